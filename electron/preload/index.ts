import { contextBridge, ipcRenderer } from 'electron';
import {
  CHANNELS,
  channelParts,
  MENU_COMMAND_CHANNEL,
  menuCommands,
  type MenuCommand,
  type RawBridge,
} from '../../shared/ipc/contract';

/**
 * The preload runs sandboxed and is bundled into one CommonJS file. It exposes `reviewDesk`: one
 * method per contract channel (`reviewDesk.settings.get()`, `reviewDesk.journal.append(e)`) and
 * a menu-command subscription — never `ipcRenderer`, a generic `send`/`invoke`, or Electron's
 * event objects. Arguments are validated again by the main process, which trusts nothing here.
 */

/** The part of `ipcRenderer` the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (menuCommands as readonly string[]).includes(value);
}

/** Builds the object exposed as `window.reviewDesk` (exported for tests). */
export function buildRawBridge(ipc: IpcRendererLike): RawBridge {
  const namespaces: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const { namespace, verb } = channelParts(channel);
    const methods = (namespaces[namespace] ??= {});
    // Exactly one argument always: main refuses calls with more.
    methods[verb] = (request?: unknown) => ipc.invoke(channel, request);
  }
  for (const methods of Object.values(namespaces)) {
    Object.freeze(methods);
  }
  return Object.freeze({
    ...namespaces,
    kind: 'electron',
    onMenuCommand(listener: (command: MenuCommand) => void): () => void {
      if (typeof listener !== 'function') {
        throw new TypeError('onMenuCommand needs a listener function');
      }
      const relay = (_event: unknown, command: unknown) => {
        // Only the command crosses, and only a known one: the event object stays here.
        if (isMenuCommand(command)) {
          listener(command);
        }
      };
      ipc.on(MENU_COMMAND_CHANNEL, relay);
      return () => {
        ipc.removeListener(MENU_COMMAND_CHANNEL, relay);
      };
    },
  }) as unknown as RawBridge;
}

contextBridge.exposeInMainWorld('reviewDesk', buildRawBridge(ipcRenderer));
