import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  makeUser,
  putUsers,
  renderSignedIn,
  userRecord,
  type FakeWorkspace,
} from '../../app/harness';
import { putHomework, student } from './homeworkFixtures';

/** Server time of the board: 20 May 2026, 08:00 Shanghai. */
const NOW = Date.parse('2026-05-20T00:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();

const outbox = (workspace: FakeWorkspace) => workspace.db.outbox.orderBy('seq').toArray();

async function setUp() {
  const user = makeUser('ta');
  const colleague = makeUser('ta', { username: 'ta2', displayName: '王助教' });
  const rendered = await renderSignedIn(user, {
    locale: 'en',
    prepare: (workspace) => {
      workspace.current = { ...workspace.current, serverOffsetMs: NOW - Date.now() };
    },
  });
  await putUsers(rendered.workspace.db, userRecord(colleague));
  await putHomework(rendered.workspace.db, {
    students: [
      // 19 days, 5 %: on the board, contacted before; the refund window closed.
      student({
        id: 'a',
        studentId: 'S2026001',
        name: '张三',
        joinedAt: ago(19),
        purchasedAt: ago(19),
        progressPercent: '5',
        contactedAt: ago(3),
        contactedBy: colleague.id,
        contactNote: '说工作忙，周末补课',
      }),
      // Joined 25 days ago but bought 3 days ago at 9.99 %: on the board, refund eligible.
      student({
        id: 'b',
        studentId: 'S2026002',
        name: '李四',
        cohort: '2026-夏季班',
        joinedAt: ago(25),
        purchasedAt: ago(3),
        progressPercent: '9.99',
      }),
      // Only 7 days: not yet.
      student({ id: 'c', studentId: 'S2026003', joinedAt: ago(7), progressPercent: '0' }),
      // Exactly 10 %: not below.
      student({ id: 'd', studentId: 'S2026004', joinedAt: ago(30), progressPercent: '10' }),
      student({ id: 'e', studentId: 'S2026005', joinedAt: ago(30), progressPercent: '55' }),
    ],
  });
  return rendered;
}

beforeEach(() => {
  window.location.hash = '#/homework/board';
});

const rows = () => screen.getAllByTestId('progress-student');

describe('progress board', () => {
  it('lists only students in for more than 7 days below 10 %, earliest joined first', async () => {
    await setUp();
    await waitFor(() => {
      expect(rows().map((row) => row.getAttribute('data-student-id'))).toEqual([
        'S2026002',
        'S2026001',
      ]);
    });
    const [lisi, zhangsan] = rows();
    if (lisi === undefined || zhangsan === undefined) {
      throw new Error('two rows expected');
    }
    expect(lisi.getAttribute('data-refund-eligible')).toBe('true');
    expect(within(lisi).getByTestId('progress-refund').textContent).toBe('Refund eligible');
    expect(within(lisi).getByTestId('progress-days').textContent).toContain('25 days ago');
    expect(lisi.textContent).toContain('2026-夏季班');
    expect(within(lisi).getByTestId('progress-last-contact').textContent).toBe('Not contacted yet');
    expect(zhangsan.getAttribute('data-refund-eligible')).toBe('false');
    expect(within(zhangsan).getByTestId('progress-refund').textContent).toContain(
      'Refund window closed',
    );
    expect(within(zhangsan).getByTestId('progress-percent').textContent).toBe('Progress 5 %');
    const contact = within(zhangsan).getByTestId('progress-last-contact').textContent;
    expect(contact).toContain('王助教');
    expect(contact).toContain('说工作忙，周末补课');
  });

  it('records the contact with its note and shows it pending sync; refuses a long note', async () => {
    const { workspace } = await setUp();
    await waitFor(() => {
      expect(rows()).toHaveLength(2);
    });
    const row = rows()[1];
    if (row === undefined) {
      throw new Error('row expected');
    }
    const note = within(row).getByRole('textbox', { name: 'Contact note' });
    await userEvent.click(note);
    await userEvent.paste('x'.repeat(501));
    expect(within(row).getByText('A note has at most 500 characters.')).toBeTruthy();
    expect(within(row).getByTestId('progress-contacted')).toHaveProperty('disabled', true);

    await userEvent.clear(note);
    await userEvent.type(note, '已私聊，约好周六补第一章');
    await userEvent.click(within(row).getByTestId('progress-contacted'));
    await waitFor(async () => {
      expect(await outbox(workspace)).toHaveLength(1);
    });
    const [recorded] = await outbox(workspace);
    expect(recorded?.name).toBe('noteStudentContact');
    expect(recorded?.args).toEqual({ studentId: 'S2026001', note: '已私聊，约好周六补第一章' });
    expect((await within(row).findByTestId('progress-contact-pending')).textContent).toBe(
      'Contacted · pending sync',
    );
    const [other] = rows();
    expect(
      other === undefined ? null : within(other).queryByTestId('progress-contact-pending'),
    ).toBeNull();
  });
});
