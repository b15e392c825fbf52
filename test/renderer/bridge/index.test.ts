import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BRIDGE_CLIENT_ERROR_CODES,
  createBridgeFromRaw,
  getBridge,
} from '../../../renderer/src/bridge/index';
import {
  BridgeError,
  CHANNELS,
  channelParts,
  type MenuCommand,
  type RawBridge,
} from '../../../shared/ipc/contract';

type RawMethod = (request?: unknown) => Promise<unknown>;

/** A preload stand-in: every method answers with what `respond` returns for its channel. */
function fakeRaw(respond: (channel: string, request: unknown) => Promise<unknown>) {
  const api: Record<string, Record<string, RawMethod>> = {};
  const calls: [string, unknown][] = [];
  for (const channel of CHANNELS) {
    const { namespace, verb } = channelParts(channel);
    (api[namespace] ??= {})[verb] = (request?: unknown) => {
      calls.push([channel, request]);
      return respond(channel, request);
    };
  }
  const onMenuCommand = vi.fn((_listener: (command: MenuCommand) => void) => () => undefined);
  const raw = { ...api, kind: 'electron', onMenuCommand } as unknown as RawBridge;
  return { raw, api, calls, onMenuCommand };
}

const settings = {
  serverUrl: 'http://127.0.0.1:8787',
  language: 'zh-CN',
  theme: 'auto',
  fileRetentionDays: 30,
};

afterEach(() => {
  delete window.reviewDesk;
});

describe('createBridgeFromRaw', () => {
  it('unwraps ok results into their data and passes the request through', async () => {
    const { raw, calls } = fakeRaw(() => Promise.resolve({ ok: true, data: settings }));
    const bridge = createBridgeFromRaw(raw);
    expect(bridge.kind).toBe('electron');
    expect(await bridge.settings.set({ theme: 'dark' })).toEqual(settings);
    expect(calls).toEqual([['settings:set', { theme: 'dark' }]]);
  });

  it('unwraps null data (void channels)', async () => {
    const { raw } = fakeRaw(() => Promise.resolve({ ok: true, data: null }));
    expect(await createBridgeFromRaw(raw).session.clear()).toBeNull();
  });

  it.each(['FORBIDDEN_SENDER', 'INVALID_ARGUMENT', 'FAILED', 'SOMETHING_NEW'])(
    'throws a BridgeError with the main process code %s and message',
    async (code) => {
      const { raw } = fakeRaw(() =>
        Promise.resolve({ ok: false, error: { code, message: `because ${code}` } }),
      );
      const error = await createBridgeFromRaw(raw)
        .session.load()
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BridgeError);
      expect(error).toMatchObject({ name: 'BridgeError', code, message: `because ${code}` });
    },
  );

  it('reports a rejected invoke as IPC_UNAVAILABLE', async () => {
    const { raw } = fakeRaw(() =>
      Promise.reject(
        new Error("Error invoking remote method 'session:load': No handler registered"),
      ),
    );
    await expect(createBridgeFromRaw(raw).session.load()).rejects.toMatchObject({
      code: BRIDGE_CLIENT_ERROR_CODES.unavailable,
    });
  });

  it('reports a method the shell lacks as IPC_UNAVAILABLE', async () => {
    const { raw } = fakeRaw(() => Promise.resolve({ ok: true, data: null }));
    // An older shell without the notify namespace.
    const { notify: _notify, ...older } = raw;
    const bridge = createBridgeFromRaw(older as unknown as RawBridge);
    await expect(bridge.notify.show({ title: 'x', body: '' })).rejects.toMatchObject({
      code: 'IPC_UNAVAILABLE',
    });
  });

  it.each([undefined, null, 'ok', { ok: 'yes' }, { ok: false }, { ok: false, error: 'x' }])(
    'reports a malformed result %j as MALFORMED_RESULT',
    async (result) => {
      const { raw } = fakeRaw(() => Promise.resolve(result));
      await expect(createBridgeFromRaw(raw).settings.get()).rejects.toMatchObject({
        code: BRIDGE_CLIENT_ERROR_CODES.malformed,
      });
    },
  );

  it('forwards menu subscriptions to the preload', () => {
    const { raw, onMenuCommand } = fakeRaw(() => Promise.resolve({ ok: true, data: null }));
    const listener = vi.fn();
    const unsubscribe = createBridgeFromRaw(raw).onMenuCommand(listener);
    expect(onMenuCommand).toHaveBeenCalledWith(listener);
    expect(typeof unsubscribe).toBe('function');
  });
});

describe('getBridge', () => {
  it('returns the web bridge when there is no desktop shell', async () => {
    expect(window.reviewDesk).toBeUndefined();
    const bridge = getBridge();
    expect(bridge.kind).toBe('web');
    expect((await bridge.settings.get()).serverUrl).toBe(window.location.origin);
    expect(getBridge()).toBe(bridge);
  });

  it('wraps the preload bridge when the desktop shell exposed one', async () => {
    const { raw } = fakeRaw(() => Promise.resolve({ ok: true, data: 'os' }));
    window.reviewDesk = raw;
    const bridge = getBridge();
    expect(bridge.kind).toBe('electron');
    expect(await bridge.session.protection()).toBe('os');
    expect(getBridge()).toBe(bridge);
  });
});
