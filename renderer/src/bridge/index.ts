import {
  BridgeError,
  channelParts,
  type Bridge,
  type Channel,
  type RawBridge,
} from '../../../shared/ipc/contract';
import { assembleBridge, createWebBridge } from './web';

/**
 * The workstation's one door to its host: `getBridge()` returns the desktop shell's bridge when
 * the preload exposed one, else the web-mode implementation. Components and stores call this (or
 * hooks over it), never `window.reviewDesk` — one seam to fake in tests.
 */

export { BridgeError } from '../../../shared/ipc/contract';
export type { Bridge } from '../../../shared/ipc/contract';
export { createWebBridge } from './web';

/** Codes the renderer side adds to the main process's (`FORBIDDEN_SENDER`, `INVALID_ARGUMENT`, `FAILED`, …). */
export const BRIDGE_CLIENT_ERROR_CODES = {
  /** The call never reached a handler: no such method in this shell, or the IPC itself failed. */
  unavailable: 'IPC_UNAVAILABLE',
  /** The shell answered with something that is not an `IpcResult`. */
  malformed: 'MALFORMED_RESULT',
} as const;

type RawMethod = (request?: unknown) => Promise<unknown>;

/**
 * Wraps the preload's bridge: every `IpcResult` is unwrapped into its data, or thrown as a
 * {@link BridgeError} with the main process's code and message.
 */
export function createBridgeFromRaw(raw: RawBridge): Bridge {
  const methods = raw as unknown as Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  return assembleBridge(
    'electron',
    async (channel, request) => {
      const { namespace, verb } = channelParts(channel);
      const method = methods[namespace]?.[verb];
      if (typeof method !== 'function') {
        // A shell older than this renderer: a clear error beats "undefined is not a function".
        throw new BridgeError(
          BRIDGE_CLIENT_ERROR_CODES.unavailable,
          `${channel} is not available in this version of the desktop app`,
        );
      }
      let result: unknown;
      try {
        result = await (method as RawMethod)(request);
      } catch (error) {
        throw new BridgeError(
          BRIDGE_CLIENT_ERROR_CODES.unavailable,
          error instanceof Error ? error.message : String(error),
        );
      }
      return unwrap(channel, result);
    },
    (listener) => raw.onMenuCommand(listener),
  );
}

function unwrap(channel: Channel, result: unknown): unknown {
  if (typeof result === 'object' && result !== null && 'ok' in result) {
    const outcome = result as { ok: unknown; data?: unknown; error?: unknown };
    if (outcome.ok === true) {
      return outcome.data;
    }
    const error = outcome.error as { code?: unknown; message?: unknown } | undefined;
    if (outcome.ok === false && typeof error?.code === 'string') {
      throw new BridgeError(
        error.code,
        typeof error.message === 'string' ? error.message : `${channel} failed`,
      );
    }
  }
  throw new BridgeError(
    BRIDGE_CLIENT_ERROR_CODES.malformed,
    `${channel} returned an unexpected result`,
  );
}

let cached: { readonly source: RawBridge | undefined; readonly bridge: Bridge } | null = null;

/** The bridge of this page: the desktop shell's when present, else web mode. */
export function getBridge(): Bridge {
  const source = window.reviewDesk;
  if (cached === null || cached.source !== source) {
    const bridge =
      source === undefined
        ? createWebBridge({
            storage: window.localStorage,
            Notification: typeof Notification === 'undefined' ? undefined : Notification,
            origin: window.location.origin,
          })
        : createBridgeFromRaw(source);
    cached = { source, bridge };
  }
  return cached.bridge;
}
