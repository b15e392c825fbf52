import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  createSenderPolicy,
  IpcError,
  registerIpcHandlers,
  type IpcHandlers,
  type IpcMainLike,
  type InvokeEvent,
  type SenderFrame,
} from '../../../electron/main/ipc/register';
import { APP_ORIGIN } from '../../../electron/main/security';
import {
  CHANNELS,
  type Channel,
  type IpcResult,
  type JournalEntry,
} from '../../../shared/ipc/contract';

type Listener = (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** A fake `ipcMain` that, like Electron's, refuses a second handler for one channel. */
function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const handle = vi.fn((channel: string, listener: Listener) => {
    if (listeners.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    listeners.set(channel, listener);
  });
  const ipcMain: IpcMainLike = { handle };
  const invoke = async (channel: Channel, event: InvokeEvent, ...args: unknown[]) => {
    const listener = listeners.get(channel);
    if (listener === undefined) {
      throw new Error(`No handler registered for '${channel}'`);
    }
    return (await listener(event, ...args)) as IpcResult<unknown>;
  };
  return { ipcMain, handle, listeners, invoke };
}

const settings = {
  serverUrl: 'http://127.0.0.1:8787',
  language: 'zh-CN',
  theme: 'auto',
  fileRetentionDays: 30,
} as const;

function fakeHandlers() {
  const handlers = {
    'app:info': vi.fn(() =>
      Promise.resolve({ version: '1.0.0', platform: 'linux', kind: 'electron' as const }),
    ),
    'settings:get': vi.fn(() => Promise.resolve(settings)),
    'settings:set': vi.fn(() => Promise.resolve(settings)),
    'session:load': vi.fn(() => Promise.resolve(null)),
    'session:save': vi.fn(() => Promise.resolve({ protection: 'os' as const })),
    'session:clear': vi.fn(() => Promise.resolve(null)),
    'session:protection': vi.fn(() => Promise.resolve('os' as const)),
    'journal:append': vi.fn(() => Promise.resolve(null)),
    'journal:list': vi.fn(() => Promise.resolve([] as JournalEntry[])),
    'journal:forget': vi.fn(() => Promise.resolve(null)),
    'notify:show': vi.fn(() => Promise.resolve(null)),
  } satisfies IpcHandlers;
  return handlers;
}

const mainFrame = (url: string): SenderFrame => ({ url, parent: null });
const appEvent: InvokeEvent = { senderFrame: mainFrame(`${APP_ORIGIN}/#/queue`) };
const packagedPolicy = createSenderPolicy({ isPackaged: true, devServerUrl: null });

function setup(options: { log?: (channel: Channel, error: unknown) => void } = {}) {
  const fake = fakeIpcMain();
  const handlers = fakeHandlers();
  registerIpcHandlers(fake.ipcMain, handlers, packagedPolicy, {
    log: options.log ?? (() => undefined),
  });
  return { ...fake, handlers };
}

describe('registerIpcHandlers', () => {
  it('registers exactly one handler per contract channel and nothing else', () => {
    const { handle } = setup();
    const channels = handle.mock.calls.map(([channel]) => channel);
    expect(channels.sort()).toEqual([...CHANNELS].sort());
    expect(new Set(channels).size).toBe(channels.length);
  });

  it('serves no channel outside the contract', async () => {
    const { listeners, invoke } = setup();
    expect([...listeners.keys()].sort()).toEqual([...CHANNELS].sort());
    for (const channel of ['shell:exec', 'fs:read', 'menu:command', 'settings', '']) {
      expect(listeners.has(channel), channel).toBe(false);
    }
    // Electron rejects an invoke on a channel without a handler, as this fake does.
    await expect(invoke('shell:exec' as Channel, appEvent, 'rm -rf /')).rejects.toThrow(
      /No handler registered for 'shell:exec'/,
    );
  });

  it('makes a missing or unknown handler a compile error', () => {
    const { ipcMain } = fakeIpcMain();
    const { 'notify:show': _omitted, ...incomplete } = fakeHandlers();
    expect(() => {
      // @ts-expect-error -- every channel needs its handler
      registerIpcHandlers(ipcMain, incomplete, packagedPolicy);
    }).toThrow(/notify:show/);

    const extra: IpcHandlers = {
      ...fakeHandlers(),
      // @ts-expect-error -- a channel the contract does not know cannot get a handler
      'shell:exec': () => Promise.resolve(null),
    };
    expect(extra).toBeDefined();
  });

  it('runs the handler with the parsed argument and wraps the response', async () => {
    const { invoke, handlers } = setup();
    const result = await invoke('settings:set', appEvent, { theme: 'dark' });
    expect(result).toEqual({ ok: true, data: settings });
    expect(handlers['settings:set']).toHaveBeenCalledWith({ theme: 'dark' });
  });

  it('passes the validated value, not the raw one (unknown keys are stripped)', async () => {
    const { invoke, handlers } = setup();
    await invoke('notify:show', appEvent, { title: 'Hi', body: 'there', onclick: 'evil()' });
    expect(handlers['notify:show']).toHaveBeenCalledWith({ title: 'Hi', body: 'there' });
  });

  it('accepts argument-less channels called with undefined', async () => {
    const { invoke } = setup();
    expect(await invoke('settings:get', appEvent, undefined)).toEqual({ ok: true, data: settings });
    expect(await invoke('settings:get', appEvent)).toEqual({ ok: true, data: settings });
  });

  describe('sender checks', () => {
    it.each([
      [
        'a sub-frame of the app',
        { senderFrame: { url: `${APP_ORIGIN}/`, parent: mainFrame(`${APP_ORIGIN}/`) } },
      ],
      ['another origin', { senderFrame: mainFrame('https://evil.example.com/') }],
      ['another app:// host', { senderFrame: mainFrame('app://evil/') }],
      ['file://', { senderFrame: mainFrame('file:///opt/review-desk/index.html') }],
      ['the dev server when packaged', { senderFrame: mainFrame('http://127.0.0.1:5173/') }],
      ['a missing frame (null)', { senderFrame: null }],
      ['a missing frame (undefined)', { senderFrame: undefined }],
    ] satisfies [string, InvokeEvent][])(
      'refuses %s with FORBIDDEN_SENDER',
      async (_name, event) => {
        const { invoke, handlers } = setup();
        const result = await invoke('session:load', event, undefined);
        expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
        expect(handlers['session:load']).not.toHaveBeenCalled();
      },
    );

    it('refuses a frame that throws when read (disposed mid-call)', async () => {
      const { invoke, handlers } = setup();
      const event = {
        get senderFrame(): SenderFrame {
          throw new Error('Render frame was disposed before WebFrameMain could be accessed');
        },
      };
      const result = await invoke('session:load', event, undefined);
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      expect(handlers['session:load']).not.toHaveBeenCalled();
    });
  });

  describe('argument validation', () => {
    it.each([
      ['settings:set', [{ serverUrl: 'javascript:alert(1)' }]],
      ['settings:set', [{ theme: 'neon' }]],
      ['settings:set', ['not an object']],
      ['session:save', [{ userId: 'x' }]],
      ['journal:list', [{ userId: '../../etc/passwd' }]],
      ['journal:forget', [{ userId: randomUUID(), mutationIds: ['nope'] }]],
      ['notify:show', [{ title: '', body: '' }]],
      ['settings:get', [{ unexpected: true }]],
      ['settings:get', [undefined, 'a second argument']],
    ] as [Channel, unknown[]][])(
      'refuses %s %j with INVALID_ARGUMENT and calls nothing',
      async (channel, args) => {
        const { invoke, handlers } = setup();
        const result = await invoke(channel, appEvent, ...args);
        expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
        for (const handler of Object.values(handlers)) {
          expect(handler).not.toHaveBeenCalled();
        }
      },
    );

    it('says which channel and which field were wrong, in words', async () => {
      const { invoke } = setup();
      expect(await invoke('settings:set', appEvent, { theme: 'neon' })).toEqual({
        ok: false,
        error: {
          code: 'INVALID_ARGUMENT',
          message:
            'Invalid argument for settings:set: theme: Invalid option: expected one of "light"|"dark"|"auto"',
        },
      });
      expect(await invoke('settings:get', appEvent, { unexpected: true })).toEqual({
        ok: false,
        error: {
          code: 'INVALID_ARGUMENT',
          message:
            'Invalid argument for settings:get: Invalid input: expected undefined, received object',
        },
      });
    });

    it('does not echo the offending value back', async () => {
      const { invoke } = setup();
      const result = await invoke('settings:set', appEvent, { serverUrl: 'ftp://secret-host/' });
      expect(JSON.stringify(result)).not.toContain('secret-host');
    });
  });

  describe('handler failures', () => {
    it('reports an unexpected error as FAILED, logged, without message details or stack', async () => {
      const log = vi.fn();
      const { invoke, handlers } = setup({ log });
      const error = new Error('EACCES: permission denied, open /home/someone/.config/secret');
      handlers['session:load'].mockRejectedValueOnce(error);

      const result = await invoke('session:load', appEvent, undefined);

      expect(result).toEqual({
        ok: false,
        error: { code: 'FAILED', message: 'session:load could not be completed' },
      });
      expect(JSON.stringify(result)).not.toMatch(/EACCES|secret|\bat\b/);
      expect(log).toHaveBeenCalledWith('session:load', error);
    });

    it('reports a synchronous throw as FAILED too', async () => {
      const { invoke, handlers } = setup();
      handlers['settings:get'].mockImplementationOnce(() => {
        throw new TypeError('boom');
      });
      const result = await invoke('settings:get', appEvent, undefined);
      expect(result).toMatchObject({ ok: false, error: { code: 'FAILED' } });
    });

    it('passes an IpcError through with its code and message', async () => {
      const { invoke, handlers } = setup();
      handlers['journal:list'].mockRejectedValueOnce(new IpcError('JOURNAL_LOCKED', 'Try again'));
      const result = await invoke('journal:list', appEvent, { userId: randomUUID() });
      expect(result).toEqual({
        ok: false,
        error: { code: 'JOURNAL_LOCKED', message: 'Try again' },
      });
    });
  });
});

describe('createSenderPolicy', () => {
  it('trusts the app origin in the main frame', () => {
    expect(packagedPolicy(mainFrame(`${APP_ORIGIN}/`))).toBe(true);
    expect(packagedPolicy({ url: `${APP_ORIGIN}/`, parent: mainFrame(`${APP_ORIGIN}/`) })).toBe(
      false,
    );
  });

  it('trusts the dev server only when not packaged', () => {
    const dev = createSenderPolicy({ isPackaged: false, devServerUrl: 'http://127.0.0.1:5173' });
    const packaged = createSenderPolicy({
      isPackaged: true,
      devServerUrl: 'http://127.0.0.1:5173',
    });
    expect(dev(mainFrame('http://127.0.0.1:5173/#/queue'))).toBe(true);
    expect(dev(mainFrame('http://127.0.0.1:5174/'))).toBe(false);
    expect(dev(mainFrame('http://localhost:5173/'))).toBe(false);
    expect(packaged(mainFrame('http://127.0.0.1:5173/'))).toBe(false);
  });

  it('does not trust anything else, even unpackaged without a dev server', () => {
    const dev = createSenderPolicy({ isPackaged: false, devServerUrl: null });
    for (const url of [
      'http://127.0.0.1:5173/',
      'file:///index.html',
      'about:blank',
      'not a url',
    ]) {
      expect(dev(mainFrame(url)), url).toBe(false);
    }
  });
});
