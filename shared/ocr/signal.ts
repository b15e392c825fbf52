import { OcrError, type OcrAbortSignal, type OcrTimers } from './types';

/*
 * Cancellation and timeouts without DOM or Node types: a small abort controller whose signal
 * fits `OcrAbortSignal` (and is passed to runtimes like a real `AbortSignal`), and helpers that
 * make every await of the pipeline give up as soon as its signal fires, whether or not the
 * runtime call listens.
 */

class Signal implements OcrAbortSignal {
  aborted = false;
  reason: unknown = undefined;
  private readonly listeners = new Set<() => void>();

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) {
      return;
    }
    this.listeners.add(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    this.listeners.delete(listener);
  }

  fire(reason: unknown): void {
    if (this.aborted) {
      return;
    }
    this.aborted = true;
    this.reason = reason;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) {
      listener();
    }
  }
}

/** An abort controller for shared code; `dispose` unhooks it from its parent. */
export interface LinkedController {
  readonly signal: OcrAbortSignal;
  abort(reason?: unknown): void;
  dispose(): void;
}

/** A controller that also aborts when `parent` does (with the parent's reason). */
export function linkedController(parent?: OcrAbortSignal): LinkedController {
  const signal = new Signal();
  const onParentAbort = () => {
    signal.fire(parent?.reason);
  };
  if (parent?.aborted === true) {
    signal.fire(parent.reason);
  } else {
    parent?.addEventListener('abort', onParentAbort, { once: true });
  }
  return {
    signal,
    abort(reason?: unknown) {
      signal.fire(reason);
    },
    dispose() {
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/** The error a fired signal stands for: its reason when that is an `OcrError`, else CANCELLED. */
export function abortError(signal: OcrAbortSignal | undefined): OcrError {
  const reason = signal?.reason;
  return reason instanceof OcrError ? reason : new OcrError('CANCELLED', {}, { cause: reason });
}

export function throwIfAborted(signal: OcrAbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw abortError(signal);
  }
}

/** `promise`, or a rejection with {@link abortError} as soon as `signal` fires. */
export function raceAbort<T>(promise: Promise<T>, signal: OcrAbortSignal | undefined): Promise<T> {
  if (signal === undefined) {
    return promise;
  }
  if (signal.aborted) {
    // The abandoned promise may still reject later; nobody is waiting for it.
    promise.catch(() => undefined);
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(abortError(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Runs `step` with a signal that fires when `signal` does or after `ms` (a TIMEOUT error naming
 * `what`). Without timers or with `ms` not finite, only cancellation applies.
 */
export async function withDeadline<T>(
  step: (signal: OcrAbortSignal) => Promise<T>,
  options: {
    readonly signal?: OcrAbortSignal | undefined;
    readonly timers?: OcrTimers | undefined;
    readonly ms: number;
    readonly what: string;
  },
): Promise<T> {
  const controller = linkedController(options.signal);
  const timers = options.timers;
  const handle =
    timers !== undefined && Number.isFinite(options.ms)
      ? timers.setTimeout(() => {
          controller.abort(
            new OcrError('TIMEOUT', {
              step: options.what,
              seconds: Math.round(options.ms / 100) / 10,
            }),
          );
        }, options.ms)
      : undefined;
  try {
    return await raceAbort(step(controller.signal), controller.signal);
  } finally {
    if (handle !== undefined) {
      timers?.clearTimeout(handle);
    }
    controller.dispose();
  }
}
