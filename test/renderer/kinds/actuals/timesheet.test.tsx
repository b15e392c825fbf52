import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActualCell, ActualsWeek } from '#shared/ops/actuals';
import {
  cellKey,
  changedCells,
  dayTotals,
  parseHours,
  prefillFromRecorded,
} from '../../../../renderer/src/kinds/actuals/actualsData';
import { fakeFetch, json, makeUser, renderSignedIn } from '../../app/harness';

const A = '00000000-0000-4000-8000-0000000000a1';
const B = '00000000-0000-4000-8000-0000000000b2';
const OLD = '00000000-0000-4000-8000-0000000000c3';
const DAYS = [
  '2026-11-16',
  '2026-11-17',
  '2026-11-18',
  '2026-11-19',
  '2026-11-20',
  '2026-11-21',
  '2026-11-22',
];

/** Monday 2 h on A (billable); 1.6 h recorded on Tuesday, 0.4 h on Sunday (a future day). */
function week(entries: ActualsWeek['entries'] = []): ActualsWeek {
  return {
    memberId: 'u-1',
    memberName: '王芳',
    monday: '2026-11-16',
    days: DAYS,
    projects: [
      { id: A, name: '留学申请', type: 'billable', active: true },
      { id: B, name: '内部支持', type: 'support', active: true },
      { id: OLD, name: '旧项目', type: 'support', active: false },
    ],
    entries: [
      {
        projectId: A,
        day: '2026-11-16',
        hours: 2,
        note: '材料',
        updatedBy: 'u-1',
        updatedAt: '2026-11-16T10:00:00.000Z',
      },
      ...entries,
    ],
    recorded: [
      { day: '2026-11-17', hours: 1.6 },
      { day: '2026-11-22', hours: 0.4 },
    ],
    editable: DAYS.map((day) => ({ day, lock: day === '2026-11-22' ? 'future' : null })),
    today: '2026-11-21',
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the timesheet grid', () => {
  it('reads quarter hours from what the member types', () => {
    expect(parseHours('')).toBe(0);
    expect(parseHours(' 1.25 ')).toBe(1.25);
    expect(parseHours('1,5')).toBe(1.5);
    expect(parseHours('24')).toBe(24);
    expect(parseHours('24.25')).toBeNull();
    expect(parseHours('1.3')).toBeNull();
    expect(parseHours('-1')).toBeNull();
    expect(parseHours('abc')).toBeNull();
  });

  it('sends only the changed cells, removals as 0, keeping notes; skips retired empty rows', () => {
    const values = {
      [cellKey(A, '2026-11-16')]: '',
      [cellKey(B, '2026-11-18')]: '3',
    };
    expect(changedCells(week(), values)).toEqual<ActualCell[]>([
      { projectId: A, day: '2026-11-16', hours: 0, note: '材料' },
      { projectId: B, day: '2026-11-18', hours: 3, note: '' },
    ]);
    expect(changedCells(week(), { [cellKey(B, '2026-11-18')]: 'x' })).toBeNull();
    expect(
      dayTotals(week(), { [cellKey(A, '2026-11-16')]: '2', [cellKey(B, '2026-11-16')]: '6.5' }),
    ).toMatchObject({ '2026-11-16': 8.5, '2026-11-17': 0 });
  });

  it('prefills only open days without hours from the recorded time, rounded to a quarter', () => {
    const values = { [cellKey(A, '2026-11-16')]: '2' };
    // Monday has hours, Sunday is in the future, the other days recorded nothing.
    expect(prefillFromRecorded(week(), values, B)).toEqual({
      [cellKey(A, '2026-11-16')]: '2',
      [cellKey(B, '2026-11-17')]: '1.5',
    });
  });
});

describe('the timesheet screen', () => {
  it('prefills, saves the week, then shows it offline with its age and says saving needs the network', async () => {
    const posted: unknown[] = [];
    let stored = week();
    const server = fakeFetch((url, init) => {
      const path = new URL(url).pathname;
      if (path === '/auth/refresh') {
        return json(200, { accessToken: 'access', refreshToken: 'refresh-2' });
      }
      if (path === '/api/v1/actuals/weeks/2026-11-16' && init?.method === 'POST') {
        const body = JSON.parse(init.body as string) as { cells: ActualCell[] };
        posted.push(body);
        stored = week(
          body.cells.map((cell) => ({
            ...cell,
            note: '',
            updatedBy: 'u-1',
            updatedAt: '2026-11-21T02:00:00.000Z',
          })),
        );
        return json(200, stored);
      }
      if (path === '/api/v1/actuals/weeks/2026-11-16') {
        return json(200, stored);
      }
      return json(200, {});
    });
    vi.stubGlobal('fetch', server);
    window.location.hash = '#/actuals?week=2026-11-18';
    const machine = new IDBFactory();
    const user = makeUser('reviewer');
    const rendered = await renderSignedIn(user, {
      locale: 'en',
      fetch: server,
      indexedDB: machine,
    });
    await waitFor(() => {
      expect(screen.getAllByTestId('actuals-row')).toHaveLength(2);
    });
    expect(screen.getByRole('link', { name: 'My timesheet' })).toBeTruthy();
    expect(screen.getByTestId('actuals-week').textContent).toBe('Week of 2026-11-16 – 2026-11-22');
    expect(screen.getAllByTestId('actuals-recorded').map((cell) => cell.textContent)).toEqual([
      'Nothing recorded',
      'Recorded 1.6 h',
      'Nothing recorded',
      'Nothing recorded',
      'Nothing recorded',
      'Nothing recorded',
      'Recorded 0.4 h',
    ]);
    const cell = (project: string, day: string) =>
      screen
        .getAllByTestId('actuals-cell')
        .find(
          (input) =>
            input.getAttribute('data-project') === project &&
            input.getAttribute('data-day') === day,
        ) as HTMLInputElement;
    expect(cell('留学申请', '2026-11-16').value).toBe('2');
    expect(cell('留学申请', '2026-11-22').disabled).toBe(true);
    expect(screen.getByTestId('actuals-pending').textContent).toBe('No changes to save.');

    await userEvent.click(screen.getByTestId('actuals-prefill'));
    expect(cell('留学申请', '2026-11-17').value).toBe('1.5');
    await userEvent.type(cell('内部支持', '2026-11-18'), '3');
    expect(screen.getByTestId('actuals-pending').textContent).toBe('2 unsaved changes');
    expect(screen.getByTestId('actuals-week-total').textContent).toBe('6.5');
    await userEvent.click(screen.getByTestId('actuals-save'));
    await waitFor(() => {
      expect(screen.getByTestId('actuals-message').textContent).toMatch(/^Saved /);
    });
    expect(posted).toEqual([
      {
        cells: [
          { projectId: A, day: '2026-11-17', hours: 1.5, note: '' },
          { projectId: B, day: '2026-11-18', hours: 3, note: '' },
        ],
        reason: '',
      },
    ]);
    expect(screen.getByTestId('actuals-pending').textContent).toBe('No changes to save.');
    rendered.unmount();

    // Offline: the week as saved, from the device, with its age; saving needs the network.
    const offline = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    vi.stubGlobal('fetch', offline);
    await renderSignedIn(user, { locale: 'en', fetch: offline, indexedDB: machine });
    await waitFor(() => {
      expect(screen.getByTestId('actuals-freshness').textContent).toMatch(
        /^Offline: the week as last fetched, \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(0 minutes ago\)\.$/,
      );
    });
    expect(screen.getByTestId('actuals-offline').textContent).toMatch(/Saving needs the network/);
    expect(cell('内部支持', '2026-11-18').value).toBe('3');
  });

  it('says in zh-CN what is wrong with a cell and what the server refused', async () => {
    const server = fakeFetch((url, init) => {
      const path = new URL(url).pathname;
      if (path === '/auth/refresh') {
        return json(200, { accessToken: 'access', refreshToken: 'refresh-2' });
      }
      if (path === '/api/v1/actuals/weeks/2026-11-16' && init?.method === 'POST') {
        return json(403, { error: { code: 'MONTH_CLOSED', message: '2026-11 is closed' } });
      }
      return json(200, week());
    });
    vi.stubGlobal('fetch', server);
    window.location.hash = '#/actuals?week=2026-11-16';
    await renderSignedIn(makeUser('ta'), {
      locale: 'zh-CN',
      fetch: server,
      indexedDB: new IDBFactory(),
    });
    const input = await screen.findByRole('textbox', { name: '内部支持，2026-11-19' });
    await userEvent.type(input, '1.3');
    expect(screen.getByTestId('actuals-pending').textContent).toBe(
      '工时须为 0 到 24 之间、以一刻钟为单位的数字（如 1.25）。',
    );
    expect(screen.getByTestId<HTMLButtonElement>('actuals-save').disabled).toBe(true);
    await userEvent.clear(input);
    await userEvent.type(input, '1.25');
    await userEvent.click(screen.getByTestId('actuals-save'));
    await waitFor(() => {
      expect(screen.getByTestId('actuals-message').textContent).toBe(
        '该月份已结账：只有运营经理可以修改。',
      );
    });
    // The refused change is still on screen, to save once the month is reopened.
    expect((input as HTMLInputElement).value).toBe('1.25');
  });
});
