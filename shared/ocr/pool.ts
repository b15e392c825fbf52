import { abortError, linkedController } from './signal';
import { OcrError, type OcrAbortSignal } from './types';

/*
 * A pool of OCR engine workers (Tesseract in Node worker threads or in Web Workers), used by
 * both runtimes. It does what tesseract.js's `createScheduler` does — queue jobs, hand each to an
 * idle worker — plus what a scheduler cannot: a job cancelled (or timed out) while it runs
 * terminates its worker, so the CPU is free at once and no stale result is waited for, and a
 * fresh worker replaces it on demand. Workers start lazily, up to `size`.
 */

export interface WorkerPoolOptions<W> {
  /** At most this many workers (at least 1). */
  readonly size: number;
  /** Starts a worker; reject (with an `OcrError`, ideally) when it cannot start. */
  create(): Promise<W>;
  /** Stops a worker, also in the middle of a job. Must not reject. */
  destroy(worker: W): Promise<void>;
}

export interface WorkerPool<W> {
  readonly size: number;
  /**
   * Runs `task` on an idle worker (queued until one is free; a higher `priority` is served
   * first, equal priorities in order). The task's signal fires when the job is cancelled; the
   * pool then rejects at once and terminates the worker.
   */
  run<T>(
    task: (worker: W, signal: OcrAbortSignal) => Promise<T>,
    options?: {
      readonly signal?: OcrAbortSignal | undefined;
      readonly priority?: number | undefined;
    },
  ): Promise<T>;
  /** Starts every worker now instead of on first use (for benchmarks and warm-up). */
  warm(): Promise<void>;
  /** Workers currently started (busy or idle). */
  readonly started: number;
  /** Cancels queued and running jobs and stops every worker. */
  close(): Promise<void>;
}

interface Job<W> {
  readonly task: (worker: W, signal: OcrAbortSignal) => Promise<unknown>;
  readonly signal: OcrAbortSignal | undefined;
  readonly priority: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onQueuedAbort: () => void;
}

export function createWorkerPool<W>(options: WorkerPoolOptions<W>): WorkerPool<W> {
  const size = Math.max(1, Math.floor(options.size));
  const idle: W[] = [];
  const busy = new Map<W, () => void>();
  const queue: Job<W>[] = [];
  let creating = 0;
  let closed = false;

  const destroy = (worker: W): void => {
    void options.destroy(worker).catch(() => undefined);
  };

  const failQueued = (error: unknown): void => {
    for (const job of queue.splice(0)) {
      job.signal?.removeEventListener('abort', job.onQueuedAbort);
      job.reject(error);
    }
  };

  const start = (job: Job<W>, worker: W): void => {
    job.signal?.removeEventListener('abort', job.onQueuedAbort);
    const controller = linkedController(job.signal);
    let settled = false;
    const finish = (keepWorker: boolean): void => {
      busy.delete(worker);
      controller.dispose();
      if (keepWorker && !closed) {
        idle.push(worker);
      } else {
        destroy(worker);
      }
      dispatch();
    };
    const cancel = (): void => {
      if (settled) {
        return;
      }
      settled = true;
      job.reject(abortError(controller.signal));
      // The worker is busy with work nobody wants: stop it rather than wait for it.
      finish(false);
    };
    busy.set(worker, () => {
      controller.abort(new OcrError('CANCELLED'));
    });
    controller.signal.addEventListener('abort', cancel, { once: true });
    let running: Promise<unknown>;
    try {
      running = job.task(worker, controller.signal);
    } catch (error) {
      running = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    running.then(
      (value) => {
        if (settled) {
          return;
        }
        settled = true;
        controller.signal.removeEventListener('abort', cancel);
        job.resolve(value);
        finish(true);
      },
      (error: unknown) => {
        if (settled) {
          return;
        }
        settled = true;
        controller.signal.removeEventListener('abort', cancel);
        job.reject(error);
        finish(true);
      },
    );
  };

  const grow = (): void => {
    creating += 1;
    options.create().then(
      (worker) => {
        creating -= 1;
        if (closed) {
          destroy(worker);
          return;
        }
        idle.push(worker);
        dispatch();
      },
      (error: unknown) => {
        creating -= 1;
        // Every queued job would meet the same failure (missing language data, no memory).
        failQueued(error);
      },
    );
  };

  function dispatch(): void {
    while (queue.length > 0) {
      const worker = idle.pop();
      if (worker !== undefined) {
        const job = queue.shift();
        if (job !== undefined) {
          start(job, worker);
        }
        continue;
      }
      if (idle.length + busy.size + creating < size && creating < queue.length) {
        grow();
        continue;
      }
      break;
    }
  }

  return {
    size,
    get started() {
      return idle.length + busy.size;
    },
    run<T>(
      task: (worker: W, signal: OcrAbortSignal) => Promise<T>,
      runOptions: {
        readonly signal?: OcrAbortSignal | undefined;
        readonly priority?: number | undefined;
      } = {},
    ): Promise<T> {
      const signal = runOptions.signal;
      if (closed) {
        return Promise.reject(new OcrError('CANCELLED'));
      }
      if (signal?.aborted === true) {
        return Promise.reject(abortError(signal));
      }
      return new Promise<T>((resolve, reject) => {
        const job: Job<W> = {
          task,
          signal,
          priority: runOptions.priority ?? 0,
          resolve: (value) => {
            resolve(value as T);
          },
          reject,
          onQueuedAbort: () => {
            const index = queue.indexOf(job);
            if (index >= 0) {
              queue.splice(index, 1);
              reject(abortError(signal));
            }
          },
        };
        signal?.addEventListener('abort', job.onQueuedAbort, { once: true });
        // After every queued job of the same or a higher priority (the queue stays sorted).
        const before = queue.findIndex((queued) => queued.priority < job.priority);
        queue.splice(before === -1 ? queue.length : before, 0, job);
        dispatch();
      });
    },
    async warm(): Promise<void> {
      const missing = size - (idle.length + busy.size + creating);
      const workers = await Promise.all(
        Array.from({ length: Math.max(0, missing) }, () => options.create()),
      );
      if (closed) {
        workers.forEach(destroy);
        return;
      }
      idle.push(...workers);
      dispatch();
    },
    async close(): Promise<void> {
      closed = true;
      failQueued(new OcrError('CANCELLED'));
      for (const cancel of [...busy.values()]) {
        cancel();
      }
      const workers = idle.splice(0);
      await Promise.all(workers.map((worker) => options.destroy(worker).catch(() => undefined)));
    },
  };
}
