import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CHANNELS,
  channelParts,
  MENU_COMMAND_CHANNEL,
  type MenuCommand,
  type RawBridge,
} from '../../shared/ipc/contract';

type Relay = (event: unknown, ...args: unknown[]) => void;

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<Relay>>();
  return {
    listeners,
    exposeInMainWorld: vi.fn(),
    ipcRenderer: {
      invoke: vi.fn((channel: string, ...args: unknown[]) =>
        Promise.resolve({ ok: true, data: { channel, args } }),
      ),
      on: vi.fn((channel: string, listener: Relay) => {
        const set = listeners.get(channel) ?? new Set<Relay>();
        set.add(listener);
        listeners.set(channel, set);
      }),
      removeListener: vi.fn((channel: string, listener: Relay) => {
        listeners.get(channel)?.delete(listener);
      }),
      send: vi.fn(),
      sendSync: vi.fn(),
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: electron.ipcRenderer,
}));

async function loadPreload(): Promise<{ name: string; api: RawBridge }> {
  vi.resetModules();
  electron.exposeInMainWorld.mockClear();
  await import('../../electron/preload/index');
  expect(electron.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [name, api] = electron.exposeInMainWorld.mock.calls[0] as [string, RawBridge];
  return { name, api };
}

function emitMenu(...args: unknown[]): void {
  for (const listener of electron.listeners.get(MENU_COMMAND_CHANNEL) ?? []) {
    listener({ sender: 'the IpcRendererEvent must never reach the page' }, ...args);
  }
}

beforeEach(() => {
  electron.listeners.clear();
  electron.ipcRenderer.invoke.mockClear();
});

describe('preload', () => {
  it('exposes reviewDesk with kind electron', async () => {
    const { name, api } = await loadPreload();
    expect(name).toBe('reviewDesk');
    expect(api.kind).toBe('electron');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('has exactly one method per channel, plus onMenuCommand, and nothing else', async () => {
    const { api } = await loadPreload();
    const exposed = api as unknown as Record<string, unknown>;
    const namespaces = new Set(CHANNELS.map((channel) => channelParts(channel).namespace));
    expect(Object.keys(exposed).sort()).toEqual([...namespaces, 'kind', 'onMenuCommand'].sort());
    let methods = 0;
    for (const namespace of namespaces) {
      const group = exposed[namespace] as Record<string, unknown>;
      for (const [verb, method] of Object.entries(group)) {
        expect(typeof method, `${namespace}.${verb}`).toBe('function');
        expect(CHANNELS).toContain(`${namespace}:${verb}`);
        methods += 1;
      }
    }
    expect(methods).toBe(CHANNELS.length);
    expect(typeof api.onMenuCommand).toBe('function');
    // No generic escape hatches.
    for (const forbidden of ['send', 'invoke', 'on', 'ipcRenderer', 'sendSync']) {
      expect(exposed[forbidden]).toBeUndefined();
    }
  });

  it('calls ipcRenderer.invoke with the channel name and the request', async () => {
    const { api } = await loadPreload();
    const entries = api as unknown as Record<
      string,
      Record<string, (request?: unknown) => Promise<unknown>>
    >;
    for (const channel of CHANNELS) {
      const { namespace, verb } = channelParts(channel);
      const request = { probe: channel };
      const result = await entries[namespace]![verb]!(request);
      expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(channel, request);
      expect(result).toEqual({ ok: true, data: { channel, args: [request] } });
    }
    await api.settings.get();
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith('settings:get', undefined);
  });

  it('passes only known menu commands, without the event, and unsubscribes', async () => {
    const { api } = await loadPreload();
    const received: unknown[][] = [];
    const unsubscribe = api.onMenuCommand((...args: unknown[]) => {
      received.push(args);
    });

    emitMenu('sync-now' satisfies MenuCommand);
    emitMenu('format-disk');
    emitMenu({ command: 'sync-now' });
    emitMenu(undefined);
    emitMenu('open-settings', 'extra');
    expect(received).toEqual([['sync-now'], ['open-settings']]);

    unsubscribe();
    emitMenu('sync-now');
    expect(received).toHaveLength(2);
    expect(electron.listeners.get(MENU_COMMAND_CHANNEL)?.size).toBe(0);
  });

  it('refuses a listener that is not a function', async () => {
    const { api } = await loadPreload();
    expect(() => api.onMenuCommand('nope' as unknown as (command: MenuCommand) => void)).toThrow(
      TypeError,
    );
  });
});
