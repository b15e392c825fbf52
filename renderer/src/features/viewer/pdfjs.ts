import type * as PdfjsModule from 'pdfjs-dist';
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { ReviewDeskDb } from '../../db/database';
import { cacheBlob, cachedBlob } from '../../db/storage';

/**
 * pdf.js for the viewer, under the workstation's CSP (no `unsafe-eval`, workers and scripts
 * from the app's own origin only):
 *
 * - the library is loaded on first use (its own chunk), with `isEvalSupported: false`;
 * - its worker is the build's own copy of `pdf.worker.min.mjs` (Vite `?url`). The script is also
 *   kept in the file cache and started from a `blob:` URL (`worker-src 'self' blob:`), so PDFs
 *   open offline after a reload even where the service worker has not precached it;
 * - CMaps (Chinese text in PDFs whose fonts are not embedded), the standard fonts and the image
 *   decoders' wasm are files the app serves itself, read through our own `BinaryDataFactory` on
 *   the main thread (`useWorkerFetch: false`) and kept in the file cache so they work offline:
 *   the worker never fetches anything itself.
 */

type Pdfjs = typeof PdfjsModule;

/** The file cache key of the worker script (its URL carries the build hash). */
const workerCacheKey = `app:pdf-worker:${workerUrl}`;

/**
 * Where the build serves pdf.js's data files (the `review-desk-ocr-assets` plugin of
 * `vite.config.ts` emits them, shared with the OCR worker), by the kind pdf.js asks for.
 */
const ASSET_FOLDERS: Readonly<Record<string, string>> = {
  cMapUrl: '/ocr/pdfjs/cmaps/',
  standardFontDataUrl: '/ocr/pdfjs/standard_fonts/',
  wasmUrl: '/ocr/pdfjs/wasm/',
};

/** The file cache that keeps fetched data files for offline use (set by `openPdf`). */
let assetCache: ReviewDeskDb | null = null;

/** pdf.js's `BinaryDataFactory` (main-thread data for the worker), offline once fetched. */
class BundledDataFactory {
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const folder = ASSET_FOLDERS[kind];
    if (folder === undefined || !/^[\w.+-]+$/.test(filename)) {
      throw new Error(`pdf.js asset not bundled: ${kind} ${filename}`);
    }
    const url = `${folder}${filename}`;
    const cacheKey = `app:pdf-asset:${url}`;
    const db = assetCache;
    const cached =
      db === null ? null : await cachedBlob(db, cacheKey, Date.now()).catch(() => null);
    if (cached !== null) {
      return new Uint8Array(await cached.arrayBuffer());
    }
    const response = await fetch(url);
    if (!response.ok) {
      throw new Error(`pdf.js asset ${filename}: HTTP ${String(response.status)}`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (db !== null) {
      await cacheBlob(db, cacheKey, new Blob([bytes]), Date.now()).catch(() => undefined);
    }
    return bytes;
  }
}

let workerSource: Promise<string> | null = null;

/** Puts the worker script in the file cache (the prefetcher calls it before going offline). */
export async function cachePdfWorker(db: ReviewDeskDb, now = Date.now()): Promise<Blob | null> {
  const cached = await cachedBlob(db, workerCacheKey, now).catch(() => null);
  if (cached !== null) {
    return cached;
  }
  try {
    const response = await fetch(workerUrl);
    if (!response.ok) {
      return null;
    }
    const script = new Blob([await response.arrayBuffer()], { type: 'text/javascript' });
    await cacheBlob(db, workerCacheKey, script, now).catch(() => undefined);
    return script;
  } catch {
    return null;
  }
}

/** The worker's URL: a `blob:` URL of the cached script, else the build's own URL. */
function pdfWorkerSource(db: ReviewDeskDb | null): Promise<string> {
  workerSource ??= (async () => {
    const script = db === null ? null : await cachePdfWorker(db);
    return script === null ? workerUrl : URL.createObjectURL(script);
  })();
  return workerSource;
}

let library: Promise<Pdfjs> | null = null;

/** pdf.js, loaded once, its worker configured. */
export async function loadPdfjs(db: ReviewDeskDb | null): Promise<Pdfjs> {
  library ??= import('pdfjs-dist').catch((error: unknown) => {
    library = null;
    throw error;
  });
  const pdfjs = await library;
  pdfjs.GlobalWorkerOptions.workerSrc = await pdfWorkerSource(db);
  return pdfjs;
}

/** Embedded images above this many pixels are skipped by pdf.js (see `ImageViewer`). */
const PDF_MAX_IMAGE_PIXELS = 40_000_000;

/** How long opening a document may take before the viewer gives up. */
export const PDF_OPEN_TIMEOUT_MS = 30_000;

/** Opens a PDF from its bytes (a copy: pdf.js transfers the buffer to its worker). */
export async function openPdf(
  db: ReviewDeskDb | null,
  blob: Blob,
): Promise<{ readonly task: PDFDocumentLoadingTask; readonly document: PDFDocumentProxy }> {
  const pdfjs = await loadPdfjs(db);
  assetCache = db;
  const data = new Uint8Array(await blob.arrayBuffer());
  const task = pdfjs.getDocument({
    data,
    isEvalSupported: false,
    useWorkerFetch: false,
    BinaryDataFactory: BundledDataFactory,
    cMapPacked: true,
    maxImageSize: PDF_MAX_IMAGE_PIXELS,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new PdfTimeoutError());
    }, PDF_OPEN_TIMEOUT_MS);
  });
  try {
    const document = await Promise.race([task.promise, timeout]);
    return { task, document };
  } catch (error) {
    void task.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

export class PdfTimeoutError extends Error {
  override readonly name = 'PdfTimeoutError';
  constructor() {
    super(`The PDF did not open within ${String(PDF_OPEN_TIMEOUT_MS / 1000)} s`);
  }
}

/** Why a PDF cannot be shown. */
export type PdfProblem =
  /** Needs a password to open. */
  | { readonly code: 'encrypted'; readonly detail: string }
  /** Not a readable PDF: corrupt, truncated, empty or not a PDF at all. */
  | { readonly code: 'unreadable'; readonly detail: string }
  /** Took too long to open. */
  | { readonly code: 'timeout'; readonly detail: string }
  /** The PDF engine itself could not start (its worker failed to load). */
  | { readonly code: 'engine'; readonly detail: string };

/** Sorts a pdf.js failure into what the viewer tells the reviewer. */
export function classifyPdfError(error: unknown): PdfProblem {
  const name =
    typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  const message =
    typeof error === 'object' && error !== null && 'message' in error ? error.message : error;
  const detail = String(message);
  switch (name) {
    case 'PasswordException':
      return { code: 'encrypted', detail };
    case 'InvalidPDFException':
    case 'FormatError':
    case 'UnknownErrorException':
    case 'ResponseException':
      return { code: 'unreadable', detail };
    case 'PdfTimeoutError':
      return { code: 'timeout', detail };
    default:
      return /worker/i.test(detail) ? { code: 'engine', detail } : { code: 'unreadable', detail };
  }
}
