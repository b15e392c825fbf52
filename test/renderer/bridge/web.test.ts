import { describe, expect, it, vi } from 'vitest';
import {
  createWebBridge,
  WEB_SESSION_KEY,
  WEB_SETTINGS_KEY,
  type WebNotificationApi,
} from '../../../renderer/src/bridge/web';
import {
  BridgeError,
  CHANNELS,
  REFRESH_TOKEN_IN_COOKIE,
  channelParts,
  type JournalEntry,
  type StoredSession,
} from '../../../shared/ipc/contract';

/** An in-memory Storage with the methods web mode uses. */
function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => {
      values.set(key, value);
    },
    removeItem: (key: string) => {
      values.delete(key);
    },
  };
}

function fakeNotification(permission: NotificationPermission) {
  const shown: { title: string; options: NotificationOptions | undefined }[] = [];
  const Fake = class {
    static readonly permission = permission;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, options });
    }
    close(): void {
      // Nothing to close: nothing is displayed.
    }
  } satisfies WebNotificationApi;
  return { Fake, shown };
}

const origin = 'https://review.example.com';

function bridge(storage = memoryStorage(), Notification?: WebNotificationApi) {
  return createWebBridge({
    storage,
    Notification,
    origin,
    appInfo: { version: '1.2.3', platform: 'web' },
  });
}

const session: StoredSession = {
  serverUrl: origin,
  userId: crypto.randomUUID(),
  username: 'ops1',
  displayName: '运营一',
  role: 'ops',
  refreshToken: 'rt_web',
};

describe('web bridge', () => {
  it('is kind web with one method per channel', () => {
    const web = bridge() as unknown as Record<string, Record<string, unknown>>;
    expect(web['kind']).toBe('web');
    for (const channel of CHANNELS) {
      const { namespace, verb } = channelParts(channel);
      expect(typeof web[namespace]?.[verb], channel).toBe('function');
    }
  });

  it('reports app info from the build', async () => {
    expect(await bridge().app.info()).toEqual({ version: '1.2.3', platform: 'web', kind: 'web' });
    const fallback = createWebBridge({ storage: memoryStorage(), origin });
    expect((await fallback.app.info()).kind).toBe('web');
  });

  describe('settings', () => {
    it('defaults to this origin, zh-CN and the system theme', async () => {
      expect(await bridge().settings.get()).toEqual({
        serverUrl: origin,
        language: 'zh-CN',
        theme: 'auto',
        fileRetentionDays: 30,
      });
    });

    it('stores a patch in localStorage and returns the complete settings', async () => {
      const storage = memoryStorage();
      const web = bridge(storage);
      expect(await web.settings.set({ theme: 'dark' })).toEqual({
        serverUrl: origin,
        language: 'zh-CN',
        theme: 'dark',
        fileRetentionDays: 30,
      });
      await web.settings.set({ language: 'en' });
      expect((await web.settings.set({ fileRetentionDays: 7 })).fileRetentionDays).toBe(7);
      await web.settings.set({ fileRetentionDays: 30 });
      expect(JSON.parse(storage.values.get(WEB_SETTINGS_KEY)!)).toEqual({
        serverUrl: origin,
        language: 'en',
        theme: 'dark',
        fileRetentionDays: 30,
      });
      expect(await bridge(storage).settings.get()).toMatchObject({ language: 'en', theme: 'dark' });
    });

    it('refuses an invalid patch with INVALID_ARGUMENT and stores nothing', async () => {
      const storage = memoryStorage();
      const web = bridge(storage);
      await expect(web.settings.set({ serverUrl: 'javascript:alert(1)' })).rejects.toMatchObject({
        name: 'BridgeError',
        code: 'INVALID_ARGUMENT',
      });
      await expect(web.settings.set({ theme: 'neon' as 'dark' })).rejects.toBeInstanceOf(
        BridgeError,
      );
      expect(storage.values.size).toBe(0);
    });

    it('replaces damaged stored values field by field', async () => {
      const storage = memoryStorage({
        [WEB_SETTINGS_KEY]: JSON.stringify({ serverUrl: 'ftp://x', language: 'en', theme: 7 }),
      });
      expect(await bridge(storage).settings.get()).toEqual({
        serverUrl: origin,
        language: 'en',
        theme: 'auto',
        fileRetentionDays: 30,
      });
      storage.values.set(
        WEB_SETTINGS_KEY,
        JSON.stringify({ language: 'en', fileRetentionDays: 0.5 }),
      );
      expect(await bridge(storage).settings.get()).toMatchObject({
        language: 'en',
        fileRetentionDays: 30,
      });
      storage.values.set(WEB_SETTINGS_KEY, '{not json');
      expect((await bridge(storage).settings.get()).language).toBe('zh-CN');
    });

    it('reports a failing storage as FAILED', async () => {
      const storage = memoryStorage();
      storage.setItem = () => {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      };
      await expect(bridge(storage).settings.set({ theme: 'dark' })).rejects.toMatchObject({
        code: 'FAILED',
      });
    });
  });

  describe('session', () => {
    it('keeps the session in localStorage with protection browser', async () => {
      const storage = memoryStorage();
      const web = bridge(storage);
      expect(await web.session.protection()).toBe('browser');
      expect(await web.session.load()).toBeNull();
      expect(await web.session.save(session)).toEqual({ protection: 'browser' });
      expect(storage.values.has(WEB_SESSION_KEY)).toBe(true);
      // The refresh token never reaches the browser's storage: the server's HttpOnly cookie
      // holds it, and the loaded session says so.
      expect(storage.values.get(WEB_SESSION_KEY)).not.toContain(session.refreshToken);
      expect(JSON.parse(storage.values.get(WEB_SESSION_KEY)!)).not.toHaveProperty('refreshToken');
      expect(await web.session.load()).toEqual({
        ...session,
        refreshToken: REFRESH_TOKEN_IN_COOKIE,
      });
      expect(await web.session.clear()).toBeNull();
      expect(await web.session.load()).toBeNull();
      expect(storage.values.has(WEB_SESSION_KEY)).toBe(false);
    });

    it('drops a session stored with its refresh token by an earlier version', async () => {
      const storage = memoryStorage({ [WEB_SESSION_KEY]: JSON.stringify(session) });
      expect(await bridge(storage).session.load()).toBeNull();
      expect(storage.values.has(WEB_SESSION_KEY)).toBe(false);
    });

    it('drops a damaged stored session', async () => {
      const storage = memoryStorage({ [WEB_SESSION_KEY]: JSON.stringify({ userId: 'nope' }) });
      expect(await bridge(storage).session.load()).toBeNull();
      expect(storage.values.has(WEB_SESSION_KEY)).toBe(false);
    });

    it('validates what it saves', async () => {
      await expect(bridge().session.save({ ...session, refreshToken: '' })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });
  });

  describe('journal (none in web mode)', () => {
    const entry: JournalEntry = {
      env: 1,
      userId: session.userId,
      clientId: crypto.randomUUID(),
      seq: 1,
      mutationId: crypto.randomUUID(),
      name: 'review.decide',
      v: 1,
      args: {},
      clientCreatedAt: '2026-03-01T08:00:00.000Z',
    };

    it('accepts appends, lists nothing and forgets nothing', async () => {
      const storage = memoryStorage();
      const web = bridge(storage);
      expect(await web.journal.append(entry)).toBeNull();
      expect(await web.journal.list({ userId: session.userId })).toEqual([]);
      expect(
        await web.journal.forget({ userId: session.userId, mutationIds: [entry.mutationId] }),
      ).toBeNull();
      expect(storage.values.size).toBe(0);
    });

    it('still validates the arguments', async () => {
      await expect(bridge().journal.append({ ...entry, seq: 0 })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      await expect(bridge().journal.list({ userId: '../x' })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    });
  });

  describe('notifications', () => {
    it('shows one when permission was already granted', async () => {
      const { Fake, shown } = fakeNotification('granted');
      expect(
        await bridge(memoryStorage(), Fake).notify.show({ title: '同步完成', body: '好' }),
      ).toBeNull();
      expect(shown).toEqual([{ title: '同步完成', options: { body: '好' } }]);
    });

    it.each(['default', 'denied'] as const)(
      'does nothing when permission is %s',
      async (permission) => {
        const { Fake, shown } = fakeNotification(permission);
        await bridge(memoryStorage(), Fake).notify.show({ title: 'x', body: '' });
        expect(shown).toEqual([]);
      },
    );

    it('does nothing without a Notification API, or when it throws', async () => {
      expect(await bridge().notify.show({ title: 'x', body: '' })).toBeNull();
      const Throwing = class {
        static readonly permission = 'granted' as const;
        constructor() {
          throw new TypeError('Illegal constructor');
        }
        close(): void {
          // Never constructed.
        }
      } satisfies WebNotificationApi;
      expect(
        await bridge(memoryStorage(), Throwing).notify.show({ title: 'x', body: '' }),
      ).toBeNull();
    });
  });

  it('has no menu: onMenuCommand never fires and unsubscribes harmlessly', () => {
    const listener = vi.fn();
    const unsubscribe = bridge().onMenuCommand(listener);
    expect(typeof unsubscribe).toBe('function');
    unsubscribe();
    expect(listener).not.toHaveBeenCalled();
  });
});
