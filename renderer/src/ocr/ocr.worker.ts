import {
  createOcrPipeline,
  linkedController,
  OcrError,
  type LinkedController,
  type OcrDocumentResult,
  type OcrErrorCode,
  type OcrErrorParams,
  type OcrPipeline,
  type OcrProgress,
} from '#shared/ocr/index';
import { createBrowserOcrRuntime, type BrowserOcrRuntimeOptions } from './browserRuntime';

/*
 * The OCR Web Worker: the whole pipeline (pdf.js, Tesseract in nested workers, extraction) runs
 * here, off the workstation's main thread. Talk to it with `createOcrClient` (ocrClient.ts).
 * One runtime per worker, started on the first job; jobs run concurrently up to its pool size.
 */

export type OcrWorkerRequest =
  | { readonly type: 'configure'; readonly options: BrowserOcrRuntimeOptions }
  | {
      readonly type: 'process';
      readonly id: number;
      readonly bytes: ArrayBuffer;
      readonly name?: string;
      readonly refresh?: boolean;
    }
  | { readonly type: 'cancel'; readonly id: number }
  | { readonly type: 'close' };

export interface OcrWorkerError {
  readonly code: OcrErrorCode;
  readonly params: OcrErrorParams;
  readonly message: string;
}

export type OcrWorkerResponse =
  | { readonly type: 'progress'; readonly id: number; readonly progress: OcrProgress }
  | { readonly type: 'result'; readonly id: number; readonly result: OcrDocumentResult }
  | { readonly type: 'error'; readonly id: number; readonly error: OcrWorkerError }
  | { readonly type: 'closed' };

/** The part of DedicatedWorkerGlobalScope used here (the renderer compiles with DOM types). */
interface WorkerScope {
  postMessage(message: OcrWorkerResponse): void;
  onmessage: ((event: MessageEvent<OcrWorkerRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;
let options: BrowserOcrRuntimeOptions = {};
let started: Promise<{ pipeline: OcrPipeline; close: () => Promise<void> }> | undefined;
const jobs = new Map<number, LinkedController>();

function post(message: OcrWorkerResponse): void {
  scope.postMessage(message);
}

function toWorkerError(error: unknown): OcrWorkerError {
  const ocrError =
    error instanceof OcrError
      ? error
      : new OcrError('ENGINE_FAILED', {
          detail: error instanceof Error ? error.message : String(error),
        });
  return { code: ocrError.code, params: ocrError.params, message: ocrError.message };
}

function start() {
  started ??= createBrowserOcrRuntime(options).then((node) => ({
    pipeline: createOcrPipeline(node.runtime, { pageConcurrency: node.pool.size }),
    close: () => node.close(),
  }));
  // A failed start (missing language data) must not stick: the next job tries again.
  started.catch(() => {
    started = undefined;
  });
  return started;
}

async function run(id: number, bytes: ArrayBuffer, name: string | undefined, refresh: boolean) {
  const controller = linkedController();
  jobs.set(id, controller);
  try {
    const { pipeline } = await start();
    const result = await pipeline.process(new Uint8Array(bytes), {
      ...(name === undefined ? {} : { name }),
      signal: controller.signal,
      refresh,
      onProgress: (progress) => {
        post({ type: 'progress', id, progress });
      },
    });
    post({ type: 'result', id, result });
  } catch (error) {
    post({ type: 'error', id, error: toWorkerError(error) });
  } finally {
    jobs.delete(id);
    controller.dispose();
  }
}

scope.onmessage = (event: MessageEvent<OcrWorkerRequest>) => {
  const message = event.data;
  switch (message.type) {
    case 'configure':
      options = message.options;
      break;
    case 'process':
      void run(message.id, message.bytes, message.name, message.refresh === true);
      break;
    case 'cancel':
      jobs.get(message.id)?.abort(new OcrError('CANCELLED'));
      break;
    case 'close':
      for (const controller of jobs.values()) {
        controller.abort(new OcrError('CANCELLED'));
      }
      void (started ?? Promise.resolve(undefined))
        .then((runtime) => runtime?.close())
        .catch(() => undefined)
        .then(() => {
          post({ type: 'closed' });
        });
      break;
  }
};
