import 'fake-indexeddb/auto';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MenuCommand } from '#shared/ipc/contract';
import { MemoryBridge } from '../support/memoryBridge';
import {
  fakeFetch,
  json,
  makeItem,
  makeUser,
  putItems,
  renderApp,
  renderSignedIn,
  SERVER_URL,
} from './harness';

beforeEach(() => {
  window.location.hash = '';
});
afterEach(() => {
  window.location.hash = '';
});

/** A desktop bridge whose menu commands the test can fire. */
function menuBridge() {
  const bridge = new MemoryBridge();
  const listeners = new Set<(command: MenuCommand) => void>();
  Object.assign(bridge, {
    onMenuCommand: (listener: (command: MenuCommand) => void) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  });
  const fire = (command: MenuCommand) => {
    act(() => {
      for (const listener of listeners) {
        listener(command);
      }
    });
  };
  return { bridge, fire };
}

describe('start-up', () => {
  it('shows the sign-in page in zh-CN when nobody is signed in', async () => {
    await renderApp();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('ReviewDesk 审核工作台');
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('登录');
    expect(screen.getByLabelText('用户名')).toBeTruthy();
  });

  it('switches the language before sign-in and remembers it in the settings', async () => {
    const { bridge } = await renderApp();
    await userEvent.click(screen.getByText('English'));
    expect(await screen.findByRole('heading', { level: 2, name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('ReviewDesk');
    expect(screen.getByLabelText('Username')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect((await bridge.settings.get()).language).toBe('en');
  });

  it('opens the shell when the stored session resumes', async () => {
    const user = makeUser('reviewer');
    await renderSignedIn(user);
    expect(await screen.findByRole('heading', { level: 2, name: '审核队列' })).toBeTruthy();
    expect(screen.getByTestId('current-user').textContent).toBe('王芳 · 审核员');
    expect(window.location.hash).toBe('#/queue');
  });

  it('opens the shell from the cache when the server is unreachable', async () => {
    const user = makeUser('reviewer');
    const { opened } = await renderSignedIn(user, {
      fetch: fakeFetch(() => {
        throw new TypeError('Failed to fetch');
      }),
    });
    expect(opened).toHaveLength(1);
    expect(await screen.findByRole('heading', { level: 2, name: '审核队列' })).toBeTruthy();
  });

  it('asks to sign in again when the session expired, with the username and the kept work', async () => {
    const bridge = new MemoryBridge();
    const user = makeUser('reviewer');
    await bridge.session.save({
      serverUrl: SERVER_URL,
      userId: user.id,
      username: 'wangfang',
      displayName: user.displayName,
      role: user.role,
      refreshToken: 'old',
    });
    const asked: string[] = [];
    const { opened } = await renderApp({
      bridge,
      locale: 'en',
      fetch: fakeFetch(() => json(401, { error: 'expired' })),
      countPending: (userId) => {
        asked.push(userId);
        return Promise.resolve(3);
      },
    });
    expect(opened).toHaveLength(0);
    expect(asked).toEqual([user.id]);
    expect(screen.getByLabelText<HTMLInputElement>('Username').value).toBe('wangfang');
    expect(screen.getByTestId('session-ended').textContent).toContain(
      'Your session ended; sign in again. Your 3 unsynced decisions are kept',
    );
  });
});

describe('signing in and out', () => {
  it('signs in, saves the server address, and opens that user’s own database', async () => {
    const machine = new IDBFactory();
    const previous = makeUser('reviewer', { username: 'reviewer1' });
    const next = makeUser('ops_manager', { username: 'ops1', displayName: '李经理' });
    const bridge = new MemoryBridge();
    // The previous user left a decision unsynced in their own database on this machine.
    const first = await renderSignedIn(previous, { bridge, indexedDB: machine });
    await first.workspace.record('claim', { itemId: crypto.randomUUID() });
    await waitFor(() => {
      expect(screen.getByTestId('sync-status').dataset['pending']).toBe('1');
    });
    await userEvent.click(screen.getByRole('button', { name: '退出登录' }));
    await userEvent.click(await screen.findByRole('button', { name: '仍然退出' }));
    expect(await screen.findByRole('heading', { level: 2, name: '登录' })).toBeTruthy();
    expect(first.workspace.closed).toBe(true);
    expect(await bridge.session.load()).toBeNull();
    first.unmount();

    const fetch = fakeFetch((url) => {
      expect(new URL(url).pathname).toBe('/auth/login');
      return json(200, { accessToken: 'a', refreshToken: 'r', user: next });
    });
    const second = await renderApp({ bridge, fetch, indexedDB: machine });
    await userEvent.clear(screen.getByLabelText('审核服务器地址'));
    await userEvent.type(screen.getByLabelText('审核服务器地址'), 'http://10.0.0.5:8787/');
    await userEvent.type(screen.getByLabelText('用户名'), 'ops1');
    await userEvent.type(screen.getByLabelText('密码'), 'secret');
    await userEvent.click(screen.getByRole('button', { name: '登录' }));

    expect(await screen.findByRole('heading', { level: 2, name: '审核队列' })).toBeTruthy();
    expect(second.opened).toHaveLength(1);
    expect(second.opened[0]!.session.user.id).toBe(next.id);
    expect(second.opened[0]!.db.name).toBe(`review-desk-${next.id}`);
    expect((await bridge.settings.get()).serverUrl).toBe('http://10.0.0.5:8787');
    // Nothing of the previous user's pending work is shown (or could be pushed) here.
    await waitFor(() => {
      expect(screen.getByTestId('sync-status').dataset['pending']).toBe('0');
    });
    expect(await second.opened[0]!.db.outbox.count()).toBe(0);
  });

  it('signs out at once when nothing is pending, deleting the user’s local data', async () => {
    const machine = new IDBFactory();
    const { bridge, workspace } = await renderSignedIn(makeUser('reviewer'), {
      indexedDB: machine,
    });
    await workspace.db.blobs.put({
      key: 'file:licence',
      blob: new Blob(['身份证号 110101199003077777']),
      size: 30,
      mimeType: 'text/plain',
      lastUsedAt: 1,
    });
    await userEvent.click(await screen.findByRole('button', { name: '退出登录' }));
    expect(await screen.findByRole('heading', { level: 2, name: '登录' })).toBeTruthy();
    expect(workspace.closed).toBe(true);
    expect(workspace.discarded).toBe(true);
    expect(await bridge.session.load()).toBeNull();
    expect((await machine.databases()).map(({ name }) => name)).not.toContain(workspace.db.name);
  });

  it('keeps the local data at sign-out while a conflict is not looked at yet', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'));
    const seq = await workspace.record('approve', { itemId: crypto.randomUUID() });
    await workspace.answer(seq, { status: 'conflict', code: 'ALREADY_DECIDED' });
    await userEvent.click(await screen.findByRole('button', { name: '退出登录' }));
    expect(await screen.findByRole('heading', { level: 2, name: '登录' })).toBeTruthy();
    expect(workspace.closed).toBe(true);
    expect(workspace.discarded).toBe(false);
  });

  it('asks before signing out with pending work: cancel, export, sign out anyway', async () => {
    const { workspace, downloads, bridge } = await renderSignedIn(makeUser('reviewer'), {
      locale: 'en',
    });
    await workspace.record('approve', { itemId: crypto.randomUUID() });
    await workspace.record('claim', { itemId: crypto.randomUUID() });

    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    const dialog = await screen.findByRole('dialog', { name: '2 decisions are not synced yet' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).toBeNull();
    });
    expect(workspace.closed).toBe(false);

    await userEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    const again = await screen.findByRole('dialog');
    await userEvent.click(within(again).getByRole('button', { name: 'Export' }));
    await waitFor(() => {
      expect(downloads).toHaveLength(1);
    });
    expect(downloads[0]!.fileName).toMatch(/^review-desk-pending-\d{4}-\d{2}-\d{2}\.json$/);
    expect(JSON.parse(downloads[0]!.text)).toMatchObject({
      pending: [{ name: 'approve' }, { name: 'claim' }],
    });

    await userEvent.click(within(again).getByRole('button', { name: 'Sign out anyway' }));
    expect(await screen.findByRole('heading', { level: 2, name: 'Sign in' })).toBeTruthy();
    expect(workspace.closed).toBe(true);
    expect(await bridge.session.load()).toBeNull();
    // The outbox stays in the user's database for their next sign-in.
    expect(workspace.discarded).toBe(false);
    await workspace.db.open();
    expect(await workspace.db.outbox.count()).toBe(2);
    workspace.db.close();
  });

  it('goes back to sign-in, keeping the data, when the engine says the session ended', async () => {
    const user = makeUser('reviewer', { username: 'wangfang' });
    const { workspace } = await renderSignedIn(user);
    await workspace.record('approve', { itemId: crypto.randomUUID() });
    workspace.setStatus({ phase: 'signed_out' });
    expect(await screen.findByRole('heading', { level: 2, name: '登录' })).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('用户名').value).toBe('wangfang');
    expect(screen.getByTestId('session-ended').textContent).toContain('1 条未同步决定已保留');
    expect(workspace.closed).toBe(true);
  });
});

describe('shell', () => {
  it('navigates by hash and shows the conflicts badge', async () => {
    const user = makeUser('reviewer');
    const { workspace } = await renderSignedIn(user, { locale: 'en' });
    const seq = await workspace.record('approve', { itemId: crypto.randomUUID() });
    await workspace.answer(seq, { status: 'conflict', code: 'ALREADY_DECIDED' });

    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(await within(nav).findByLabelText('1 unresolved conflict')).toBeTruthy();
    await userEvent.click(within(nav).getByText('Conflicts'));
    expect(await screen.findByRole('heading', { level: 2, name: 'Conflicts' })).toBeTruthy();
    expect(window.location.hash).toBe('#/conflicts');
    await userEvent.click(within(nav).getByText('Settings'));
    expect(await screen.findByRole('heading', { level: 2, name: 'Settings' })).toBeTruthy();
  });

  it('switches language and theme from the header', async () => {
    const { bridge } = await renderSignedIn(makeUser('reviewer'));
    await userEvent.click(screen.getByText('English'));
    expect(await screen.findByRole('heading', { level: 2, name: 'Review queue' })).toBeTruthy();
    expect(screen.getByTestId('current-user').textContent).toBe('王芳 · Reviewer');
    await userEvent.click(screen.getByText('Dark'));
    await waitFor(() => {
      expect(document.documentElement.getAttribute('data-mantine-color-scheme')).toBe('dark');
    });
    expect(await bridge.settings.get()).toMatchObject({ language: 'en', theme: 'dark' });
  });

  it('follows the desktop menu commands', async () => {
    const { bridge, fire } = menuBridge();
    const { workspace, store } = await renderSignedIn(makeUser('reviewer'), {
      bridge,
      theme: 'light',
    });
    await putItems(workspace.db, makeItem());

    fire('open-settings');
    expect(await screen.findByRole('heading', { level: 2, name: '设置' })).toBeTruthy();
    fire('open-conflicts');
    expect(await screen.findByRole('heading', { level: 2, name: '冲突' })).toBeTruthy();
    fire('open-queue');
    expect(await screen.findByRole('heading', { level: 2, name: '审核队列' })).toBeTruthy();
    fire('sync-now');
    expect(workspace.syncNowCalls).toBe(1);
    fire('toggle-theme');
    await waitFor(() => {
      expect(store.getState().theme).toBe('dark');
    });
    fire('sign-out');
    expect(await screen.findByRole('heading', { level: 2, name: '登录' })).toBeTruthy();
  });
});
