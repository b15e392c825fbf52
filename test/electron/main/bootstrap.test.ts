import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InvokeEvent } from '../../../electron/main/ipc/register';
import { APP_ORIGIN, APP_SCHEME, secureWebPreferences } from '../../../electron/main/security';
import { CHANNELS, type IpcResult } from '../../../shared/ipc/contract';

/**
 * The bootstrap (`electron/main/index.ts`) with every Electron object faked: it proves that the
 * real wiring uses the hardened modules — the sandbox switch, the `app://` scheme, the guards on
 * the default session, one IPC registration for every channel, the window's preferences —
 * which the module tests can only show for each part alone.
 */

type InvokeListener = (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>;

const electron = vi.hoisted(() => {
  const calls: string[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  return {
    calls,
    ready,
    markReady: () => {
      markReady();
    },
    userData: '',
    handlers: new Map<string, unknown>(),
    ipcOn: [] as string[],
    windows: [] as { options: unknown; loaded: string[] }[],
    requestHandler: null as
      | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)
      | null,
    checkHandler: null as (() => boolean) | null,
    schemes: [] as unknown[],
    protocolHandlers: [] as string[],
    openExternal: vi.fn((_url: string) => Promise.resolve()),
  };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    requestSingleInstanceLock: () => true,
    enableSandbox: () => {
      electron.calls.push('enableSandbox');
    },
    whenReady: () => electron.ready,
    getPath: () => electron.userData,
    getVersion: () => '0.1.0',
    quit: () => undefined,
    exit: () => undefined,
  });
  class BrowserWindow extends Emitter {
    static getFocusedWindow = () => null;
    static getAllWindows = () => electron.windows;
    readonly loaded: string[] = [];
    readonly webContents = { send: () => undefined };
    constructor(readonly options: unknown) {
      super();
      electron.windows.push(this);
    }
    show() {
      return undefined;
    }
    maximize() {
      return undefined;
    }
    isMaximized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    getNormalBounds() {
      return { x: 0, y: 0, width: 1440, height: 900 };
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  return {
    app,
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, listener: unknown) => {
        electron.handlers.set(channel, listener);
      },
      on: (channel: string) => {
        electron.ipcOn.push(channel);
      },
    },
    Menu: { buildFromTemplate: () => ({}), setApplicationMenu: () => undefined },
    net: { fetch: () => Promise.resolve(new Response('')) },
    Notification: Object.assign(
      class {
        show() {
          return undefined;
        }
      },
      { isSupported: () => false },
    ),
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => {
        electron.calls.push('registerSchemesAsPrivileged');
        electron.schemes.push(...schemes);
      },
      handle: (scheme: string) => {
        electron.protocolHandlers.push(scheme);
      },
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (text: string) => Buffer.from(text),
      decryptString: (data: Buffer) => data.toString(),
    },
    screen: { getAllDisplays: () => [] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof electron.requestHandler) => {
          electron.requestHandler = handler;
        },
        setPermissionCheckHandler: (handler: typeof electron.checkHandler) => {
          electron.checkHandler = handler;
        },
      },
    },
    shell: { openExternal: electron.openExternal },
  };
});

vi.mock('electron-store', () => ({
  default: class {
    store: Record<string, unknown>;
    constructor(options: { defaults: Record<string, unknown> }) {
      this.store = { ...options.defaults };
    }
    set(values: Record<string, unknown>) {
      this.store = { ...this.store, ...values };
    }
  },
}));

let electronApp: EventEmitter;

beforeAll(async () => {
  electron.userData = mkdtempSync(join(tmpdir(), 'review-desk-bootstrap-'));
  ({ app: electronApp } = (await import('electron')) as unknown as { app: EventEmitter });
  await import('../../../electron/main/index');
});

afterAll(() => {
  rmSync(electron.userData, { recursive: true, force: true });
});

async function becomeReady(): Promise<void> {
  electron.markReady();
  // `index.ts` chained `onReady` on this promise first, so it has run when this await resumes.
  await electron.ready;
}

function invoke(channel: string, event: InvokeEvent, ...args: unknown[]) {
  const listener = electron.handlers.get(channel) as InvokeListener;
  return listener(event, ...args) as Promise<IpcResult<unknown>>;
}

describe('main process bootstrap', () => {
  it('turns the sandbox on and registers app:// as a secure scheme before the app is ready', () => {
    expect(electron.calls).toEqual(['enableSandbox', 'registerSchemesAsPrivileged']);
    expect(electron.schemes).toEqual([
      {
        scheme: APP_SCHEME,
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
      },
    ]);
    expect(electron.windows).toHaveLength(0);
  });

  it('serves the renderer over app:// and loads it from there, never from file://', async () => {
    await becomeReady();
    expect(electron.protocolHandlers).toEqual([APP_SCHEME]);
    expect(electron.windows).toHaveLength(1);
    const [window] = electron.windows as unknown as [{ loaded: string[] }];
    expect(window.loaded).toEqual([`${APP_ORIGIN}/`]);
  });

  it('opens the window with the pinned secure preferences', async () => {
    await becomeReady();
    const [window] = electron.windows as unknown as [
      { options: { webPreferences: { preload: string } } },
    ];
    const { webPreferences } = window.options;
    expect(webPreferences.preload).toMatch(/[/\\]electron[/\\]preload[/\\]index\.cjs$/);
    expect(webPreferences).toEqual(secureWebPreferences(webPreferences.preload));
  });

  it('denies every permission on the default session and guards later sessions and pages', async () => {
    await becomeReady();
    const callback = vi.fn();
    electron.requestHandler!({}, 'media', callback);
    expect(callback.mock.calls).toEqual([[false]]);
    expect(electron.checkHandler!()).toBe(false);
    expect(electronApp.listenerCount('web-contents-created')).toBe(1);
    expect(electronApp.listenerCount('session-created')).toBe(1);
  });

  it('hands only http(s) links from a page to shell.openExternal', async () => {
    await becomeReady();
    let openHandler: ((details: { url: string }) => unknown) | null = null;
    const contents = Object.assign(new EventEmitter(), {
      setWindowOpenHandler: (handler: (details: { url: string }) => unknown) => {
        openHandler = handler;
      },
    });
    electronApp.emit('web-contents-created', {}, contents);
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(electron.openExternal.mock.calls).toEqual([['https://example.com/help']]);
  });

  it('registers every contract channel through ipcMain.handle, and nothing else', async () => {
    await becomeReady();
    expect([...electron.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    expect(electron.ipcOn).toEqual([]);
  });

  it('serves the app page and refuses any other sender (packaged)', async () => {
    await becomeReady();
    const fromApp = await invoke('app:info', {
      senderFrame: { url: `${APP_ORIGIN}/`, parent: null },
    });
    expect(fromApp).toEqual({
      ok: true,
      data: { version: '0.1.0', platform: process.platform, kind: 'electron' },
    });
    const fromDevServer = await invoke('app:info', {
      senderFrame: { url: 'http://127.0.0.1:5173/', parent: null },
    });
    expect(fromDevServer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});
