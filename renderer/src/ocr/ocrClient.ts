import { OcrError, type OcrDocumentResult, type OcrProgress } from '#shared/ocr/index';
import type { BrowserOcrRuntimeOptions } from './browserRuntime';
import type { OcrWorkerRequest, OcrWorkerResponse } from './ocr.worker';

/*
 * The workstation's handle on the OCR Web Worker (ocr.worker.ts): send a file, get progress and
 * the result (or an `OcrError`), cancel with an AbortSignal. The main thread never runs OCR.
 */

export interface OcrClient {
  process(
    file: Blob | ArrayBuffer,
    options?: {
      readonly name?: string;
      readonly signal?: AbortSignal;
      readonly onProgress?: (progress: OcrProgress) => void;
      readonly refresh?: boolean;
    },
  ): Promise<OcrDocumentResult>;
  /** Cancels every job and stops the worker. */
  terminate(): Promise<void>;
}

interface Pending {
  readonly resolve: (result: OcrDocumentResult) => void;
  readonly reject: (error: unknown) => void;
  readonly onProgress?: ((progress: OcrProgress) => void) | undefined;
}

export function createOcrClient(options: BrowserOcrRuntimeOptions = {}): OcrClient {
  const worker = new Worker(new URL('./ocr.worker.ts', import.meta.url), {
    type: 'module',
    name: 'review-desk-ocr',
  });
  const send = (message: OcrWorkerRequest, transfer: Transferable[] = []) => {
    worker.postMessage(message, transfer);
  };
  send({ type: 'configure', options });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed: (() => void) | undefined;

  worker.onmessage = (event: MessageEvent<OcrWorkerResponse>) => {
    const message = event.data;
    if (message.type === 'closed') {
      closed?.();
      return;
    }
    const job = pending.get(message.id);
    if (job === undefined) {
      return;
    }
    switch (message.type) {
      case 'progress':
        job.onProgress?.(message.progress);
        break;
      case 'result':
        pending.delete(message.id);
        job.resolve(message.result);
        break;
      case 'error':
        pending.delete(message.id);
        job.reject(new OcrError(message.error.code, message.error.params));
        break;
    }
  };
  worker.onerror = (event) => {
    const error = new OcrError('ENGINE_FAILED', { detail: event.message });
    for (const job of pending.values()) {
      job.reject(error);
    }
    pending.clear();
  };

  return {
    async process(file, processOptions = {}) {
      const { signal } = processOptions;
      if (signal?.aborted === true) {
        throw new OcrError('CANCELLED');
      }
      const bytes = file instanceof Blob ? await file.arrayBuffer() : file.slice(0);
      const id = nextId;
      nextId += 1;
      return new Promise<OcrDocumentResult>((resolve, reject) => {
        const onAbort = () => {
          send({ type: 'cancel', id });
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const settle = () => signal?.removeEventListener('abort', onAbort);
        pending.set(id, {
          resolve: (result) => {
            settle();
            resolve(result);
          },
          reject: (error) => {
            settle();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
          onProgress: processOptions.onProgress,
        });
        send(
          {
            type: 'process',
            id,
            bytes,
            ...(processOptions.name === undefined ? {} : { name: processOptions.name }),
            ...(processOptions.refresh === undefined ? {} : { refresh: processOptions.refresh }),
          },
          [bytes],
        );
      });
    },
    async terminate() {
      await Promise.race([
        new Promise<void>((resolve) => {
          closed = resolve;
          send({ type: 'close' });
        }),
        new Promise<void>((resolve) => setTimeout(resolve, 2000)),
      ]);
      worker.terminate();
      const error = new OcrError('CANCELLED');
      for (const job of pending.values()) {
        job.reject(error);
      }
      pending.clear();
    },
  };
}
