import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ListingReminder } from '#shared/domain/listing/reminders';
import { fakeFetch, json, makeUser, renderSignedIn } from '../app/harness';
import { MemoryBridge } from '../support/memoryBridge';

const reminder = (
  overrides: Partial<ListingReminder> & Pick<ListingReminder, 'id'>,
): ListingReminder => ({
  rule: 'stale_draft',
  listingId: '00000000-0000-4000-8000-00000000a001',
  listingName: '英国硕士申请',
  owner: { id: 'u-sub', name: '机构管理员' },
  basisAt: '2026-11-20T02:00:00.000Z',
  raisedAt: '2026-11-27T02:00:00.000Z',
  readAt: null,
  ...overrides,
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('listing reminders in the status bar', () => {
  it('counts the unread ones, announces each once, opens the list and marks one read', async () => {
    let reminders: ListingReminder[] = [
      reminder({ id: 'r1' }),
      reminder({
        id: 'r2',
        rule: 'unanswered_rejection',
        listingName: '澳洲本科',
        listingId: '00000000-0000-4000-8000-00000000a002',
      }),
      reminder({ id: 'r3', listingName: '已读的', readAt: '2026-11-28T00:00:00.000Z' }),
    ];
    let offline = false;
    const reads: string[] = [];
    const server = fakeFetch((url, init) => {
      const { pathname } = new URL(url);
      if (pathname === '/auth/refresh') {
        return json(200, { accessToken: 'access', refreshToken: 'refresh-2' });
      }
      const read = /^\/api\/v1\/reminders\/([^/]+)\/read$/.exec(pathname);
      if (read !== null && init?.method === 'POST') {
        if (offline) {
          return Promise.reject(new TypeError('Failed to fetch'));
        }
        reads.push(read[1] ?? '');
        reminders = reminders.map((each) =>
          each.id === read[1] ? { ...each, readAt: '2026-11-29T00:00:00.000Z' } : each,
        );
        return json(200, { id: read[1], read: true });
      }
      return pathname === '/api/v1/reminders' ? json(200, { reminders }) : json(200, {});
    });
    vi.stubGlobal('fetch', server);
    const bridge = new MemoryBridge();
    const shown = vi.spyOn(bridge.notify, 'show');
    await renderSignedIn(makeUser('submitter'), { locale: 'zh-CN', fetch: server, bridge });

    const badge = await screen.findByTestId('reminder-badge');
    expect(badge.getAttribute('data-count')).toBe('2');
    expect(badge.textContent).toBe('提醒 2 条');
    await waitFor(() => {
      expect(shown).toHaveBeenCalledTimes(1);
    });
    // MemoryBridge declares `show` without parameters; the call still carries the notification.
    const [notification] = shown.mock.calls[0] as unknown as [{ title: string; body: string }];
    expect(notification.title).toBe('2 条新提醒');
    expect(notification.body).toContain('草稿「英国硕士申请」自');

    await userEvent.click(badge);
    const list = await screen.findByTestId('reminder-list');
    const rows = within(list).getAllByTestId('reminder');
    expect(rows.map((row) => row.getAttribute('data-rule'))).toEqual([
      'stale_draft',
      'unanswered_rejection',
    ]);
    expect(rows[1]?.textContent).toContain('「澳洲本科」于');
    expect(within(rows[0]!).getByText('打开').closest('a')?.getAttribute('href')).toBe(
      '#/listings/00000000-0000-4000-8000-00000000a001/edit',
    );

    await userEvent.click(within(rows[0]!).getByTestId('reminder-read'));
    await waitFor(() => {
      expect(screen.getByTestId('reminder-badge').getAttribute('data-count')).toBe('1');
    });
    expect(reads).toEqual(['r1']);

    offline = true;
    await userEvent.click(within(screen.getByTestId('reminder-list')).getByTestId('reminder-read'));
    expect(
      await within(screen.getByTestId('reminder-list')).findByText('标为已读需要联网。'),
    ).toBeTruthy();
    expect(screen.getByTestId('reminder-badge').getAttribute('data-count')).toBe('1');
    // Announced once: the refresh and the read did not announce the same reminders again.
    expect(shown).toHaveBeenCalledTimes(1);
  });

  it('shows nothing when there is nothing unread (or the server has no reminders)', async () => {
    const server = fakeFetch((url) =>
      new URL(url).pathname === '/auth/refresh'
        ? json(200, { accessToken: 'access', refreshToken: 'refresh-2' })
        : json(200, {}),
    );
    vi.stubGlobal('fetch', server);
    await renderSignedIn(makeUser('submitter'), { locale: 'en', fetch: server });
    await waitFor(() => {
      expect(server.calls).toContain('/api/v1/reminders');
    });
    expect(screen.queryByTestId('reminder-badge')).toBeNull();
  });
});
