import type { z } from 'zod';
import {
  CHANNELS,
  IPC_CONTRACT,
  type Channel,
  type IpcResult,
  type Request,
  type Response,
} from '../../../shared/ipc/contract';
import { isAppUrl } from '../security';

/**
 * The only module that touches `ipcMain`. Every channel of the contract gets exactly one handler,
 * wrapped so that, in order: the sender frame is checked, the argument is parsed with the
 * contract's request schema, the handler runs, and the outcome crosses the boundary as an
 * `IpcResult` — never as a thrown error, because only an error's message would survive `invoke`
 * and a stack trace would leak main-process internals to the page.
 */

/** Error codes this layer reports; handlers may add their own through {@link IpcError}. */
export const IPC_ERROR_CODES = ['FORBIDDEN_SENDER', 'INVALID_ARGUMENT', 'FAILED'] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

/** The part of Electron's `WebFrameMain` the sender check needs. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: SenderFrame | null;
}

/** The part of Electron's `IpcMainInvokeEvent` the wrapper reads. */
export interface InvokeEvent {
  readonly senderFrame: SenderFrame | null | undefined;
}

/** The part of Electron's `ipcMain` this module uses (so tests pass a fake). */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>,
  ): void;
}

/**
 * One handler per channel. A mapped type over `Channel`, so a missing handler is a compile error
 * and an object literal with a channel the contract does not know is one too (excess property).
 */
export type IpcHandlers = {
  readonly [C in Channel]: (request: Request<C>) => Promise<Response<C>>;
};

/**
 * An expected failure a handler reports on purpose: its code and message reach the renderer
 * as they are, so the message must be safe to show (no paths, no secrets).
 */
export class IpcError extends Error {
  override readonly name = 'IpcError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where unexpected handler errors go (the main process log); never to the renderer. */
export type IpcErrorLogger = (channel: Channel, error: unknown) => void;

export interface RegisterOptions {
  readonly log?: IpcErrorLogger;
}

const defaultLogger: IpcErrorLogger = (channel, error) => {
  console.error(`[ipc] ${channel} failed`, error);
};

/**
 * Registers one `ipcMain.handle` per contract channel. `isTrustedSender` decides on the frame's
 * URL (see {@link createSenderPolicy}); a missing frame or a sub-frame is refused before it is
 * even asked.
 */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  handlers: IpcHandlers,
  isTrustedSender: (frame: SenderFrame) => boolean,
  options: RegisterOptions = {},
): void {
  const log = options.log ?? defaultLogger;
  for (const channel of CHANNELS) {
    // The mapped type guarantees presence at compile time; this catches a hand-built map in JS.
    const handler = handlers[channel] as unknown;
    if (typeof handler !== 'function') {
      throw new TypeError(`No IPC handler for ${channel}`);
    }
    const run = handler as (request: unknown) => Promise<unknown>;
    const schema: z.ZodType = IPC_CONTRACT[channel].request;
    ipcMain.handle(channel, async (event, ...args) => {
      if (!senderAllowed(event, isTrustedSender)) {
        return failure('FORBIDDEN_SENDER', `${channel} is not available to this frame`);
      }
      // The preload always sends exactly one argument (undefined for argument-less channels).
      if (args.length > 1) {
        return failure('INVALID_ARGUMENT', `${channel} takes one argument`);
      }
      const parsed = schema.safeParse(args[0]);
      if (!parsed.success) {
        return failure('INVALID_ARGUMENT', describeIssues(channel, parsed.error.issues));
      }
      try {
        const data = await run(parsed.data);
        return { ok: true, data } satisfies IpcResult<unknown>;
      } catch (error) {
        if (error instanceof IpcError) {
          return failure(error.code, error.message);
        }
        log(channel, error);
        return failure('FAILED', `${channel} could not be completed`);
      }
    });
  }
}

function senderAllowed(
  event: InvokeEvent,
  isTrustedSender: (frame: SenderFrame) => boolean,
): boolean {
  try {
    const frame = event.senderFrame;
    // Only the top-level document of our own page may call in: an iframe (even a same-origin
    // one) or a frame that is already gone is refused.
    return frame?.parent === null && isTrustedSender(frame);
  } catch {
    // Electron throws when a frame was disposed mid-call: that sender is not trusted either.
    return false;
  }
}

function failure(code: string, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

/** Issue paths and messages only: the offending values themselves are never echoed back. */
function describeIssues(channel: Channel, issues: readonly z.core.$ZodIssue[]): string {
  const described = issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : '';
  return `Invalid argument for ${channel}: ${described.join('; ')}${more}`;
}

export interface SenderPolicyOptions {
  /** `app.isPackaged`: a packaged app trusts nothing but its own `app://` origin. */
  readonly isPackaged: boolean;
  /** The Vite dev server the window loads in development, or null when it loads `app://`. */
  readonly devServerUrl: string | null;
}

/**
 * The trusted-sender predicate for {@link registerIpcHandlers}: the main frame of a page on the
 * app origin (`app://reviewdesk`), or — only when not packaged — on the dev server's origin.
 */
export function createSenderPolicy(options: SenderPolicyOptions): (frame: SenderFrame) => boolean {
  const devOrigin =
    !options.isPackaged && options.devServerUrl !== null ? httpOrigin(options.devServerUrl) : null;
  return (frame) => {
    if (frame.parent !== null) {
      return false;
    }
    if (isAppUrl(frame.url)) {
      return true;
    }
    return devOrigin !== null && httpOrigin(frame.url) === devOrigin;
  };
}

/** The origin of an http(s) URL, or null (other schemes have opaque origins in WHATWG URL). */
export function httpOrigin(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}
