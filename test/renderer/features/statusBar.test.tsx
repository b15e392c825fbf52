import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeUser, renderSignedIn } from '../app/harness';

beforeEach(() => {
  window.location.hash = '';
});

const bar = () => screen.getByTestId('sync-status');

describe('status bar', () => {
  it('shows online state, pending and conflict counts as attributes and text', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'));
    expect(bar().dataset).toMatchObject({ online: 'true', pending: '0', conflicts: '0' });
    expect(within(bar()).getByText('在线')).toBeTruthy();
    expect(within(bar()).getByText('待同步：0 条')).toBeTruthy();
    expect(within(bar()).getByText('尚未同步')).toBeTruthy();

    const first = await workspace.record('approve', { itemId: crypto.randomUUID() });
    await workspace.record('claim', { itemId: crypto.randomUUID() });
    await waitFor(() => {
      expect(bar().dataset['pending']).toBe('2');
    });
    expect(within(bar()).getByText('待同步：2 条')).toBeTruthy();

    await workspace.answer(first, { status: 'conflict', code: 'ALREADY_DECIDED' });
    await waitFor(() => {
      expect(bar().dataset).toMatchObject({ pending: '1', conflicts: '1' });
    });
    expect(within(bar()).getByText('冲突：1 条')).toBeTruthy();

    workspace.setStatus({ online: false });
    expect(bar().dataset['online']).toBe('false');
    expect(within(bar()).getByText('离线（使用本机数据）')).toBeTruthy();
  });

  it('shows the last successful sync in server time (Asia/Shanghai), in the user’s language', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    workspace.setStatus({ lastSyncServerTime: '2026-05-03T06:05:00.000Z' });
    expect(within(bar()).getByText(/^Last sync \(server time\): .*14:05$/)).toBeTruthy();
  });

  it('shows bootstrap progress, syncing, and the retry countdown', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    workspace.setStatus({ phase: 'bootstrapping', bootstrapRows: 1500 });
    expect(within(bar()).getByText('Downloading data: 1500 rows received')).toBeTruthy();
    workspace.setStatus({ phase: 'pushing' });
    expect(within(bar()).getByText('Syncing…')).toBeTruthy();
    workspace.setStatus({ phase: 'waiting', failures: 3, retryAt: Date.now() + 11_500 });
    expect(within(bar()).getByText('Retry in 12 s')).toBeTruthy();
  });

  it('syncs now on request', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    await userEvent.click(within(bar()).getByRole('button', { name: 'Sync now' }));
    expect(workspace.syncNowCalls).toBe(1);
  });
});

describe('stall banner', () => {
  it('appears when sync stalls, and offers retry and export', async () => {
    const { workspace, downloads } = await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    expect(screen.queryByTestId('stall-banner')).toBeNull();
    await workspace.record('approve', { itemId: crypto.randomUUID() });
    await workspace.record('approve', { itemId: crypto.randomUUID() });
    workspace.setStatus({ stalled: true, lastError: 'push answered 500' });

    const banner = await screen.findByTestId('stall-banner');
    await waitFor(() => {
      expect(banner.textContent).toContain(
        'Sync stalled: 2 decisions not sent for over 2 minutes.',
      );
    });
    expect(banner.textContent).toContain('Last error: push answered 500');
    await userEvent.click(within(banner).getByRole('button', { name: 'Retry now' }));
    expect(workspace.syncNowCalls).toBe(1);
    await userEvent.click(within(banner).getByRole('button', { name: 'Export pending decisions' }));
    await waitFor(() => {
      expect(downloads).toHaveLength(1);
    });
    expect(downloads[0]!.fileName).toBe('review-desk-pending-2026-05-03.json');
    const exported = JSON.parse(downloads[0]!.text) as { pending: unknown[]; userId: string };
    expect(exported.pending).toHaveLength(2);
    expect(exported.userId).toBe(workspace.session.user.id);

    workspace.setStatus({ stalled: false });
    expect(screen.queryByTestId('stall-banner')).toBeNull();
  });

  it('speaks zh-CN', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'));
    await workspace.record('approve', { itemId: crypto.randomUUID() });
    workspace.setStatus({ stalled: true });
    const banner = await screen.findByTestId('stall-banner');
    await waitFor(() => {
      expect(banner.textContent).toContain('同步停滞：1 条决定已超过 2 分钟未能发送。');
    });
    expect(within(banner).getByRole('button', { name: '立即重试' })).toBeTruthy();
    expect(within(banner).getByRole('button', { name: '导出待同步决定' })).toBeTruthy();
  });
});

describe('clock banner (sync research §3 scenario 14)', () => {
  it('stays away within 5 minutes of the server, and says how far off the clock is beyond', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    workspace.setStatus({ serverOffsetMs: -5 * 60_000 });
    await screen.findByTestId('sync-status');
    expect(screen.queryByTestId('clock-banner')).toBeNull();

    // Server minus device: negative, the device runs ahead.
    workspace.setStatus({ serverOffsetMs: -(5 * 60_000 + 1000) });
    const banner = await screen.findByTestId('clock-banner');
    expect(banner.textContent).toContain('This computer’s clock is 5 minutes ahead of the server.');
    expect(banner.textContent).toContain('Sync and leases are not affected');

    workspace.setStatus({ serverOffsetMs: 60 * 60_000 });
    await waitFor(() => {
      expect(screen.getByTestId('clock-banner').textContent).toContain(
        'This computer’s clock is 1 hour behind the server.',
      );
    });
    workspace.setStatus({ serverOffsetMs: -24 * 3_600_000 });
    await waitFor(() => {
      expect(screen.getByTestId('clock-banner').textContent).toContain('24 hours ahead');
    });
    workspace.setStatus({ serverOffsetMs: 3 * 24 * 3_600_000 });
    await waitFor(() => {
      expect(screen.getByTestId('clock-banner').textContent).toContain('3 days behind');
    });
    workspace.setStatus({ serverOffsetMs: 1000 });
    await waitFor(() => {
      expect(screen.queryByTestId('clock-banner')).toBeNull();
    });
  });

  it('speaks zh-CN', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'));
    workspace.setStatus({ serverOffsetMs: 2 * 3_600_000 });
    const banner = await screen.findByTestId('clock-banner');
    expect(banner.textContent).toContain('本机时钟比服务器慢 2 小时。');
    expect(banner.textContent).toContain('同步和租约不受影响');
  });
});
