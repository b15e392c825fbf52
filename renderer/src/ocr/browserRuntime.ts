import Tesseract from 'tesseract.js';
import * as pdfjs from 'pdfjs-dist';
import pdfWorkerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import {
  createWorkerPool,
  DEFAULT_OCR_LANGUAGES,
  OcrError,
  rgbaToGrey,
  scannedImageScale,
  withDeadline,
  type DecodeOptions,
  type GreyImage,
  type OcrAbortSignal,
  type OcrBox,
  type OcrImage,
  type OcrLine,
  type OcrRuntime,
  type OcrTimers,
  type OcrWord,
  type Orientation,
  type PdfDocumentHandle,
  type PdfOperatorCodes,
  type Recognition,
  type RecognizeOptions,
  type ResultCache,
  type WorkerPool,
} from '#shared/ocr/index';

/*
 * The OCR runtime of the workstation. It runs inside the OCR Web Worker (ocr.worker.ts), so the
 * workstation stays responsive whatever a file does: Tesseract (tesseract.js, wasm) in nested
 * workers, pdf.js (with its own nested worker) drawing into OffscreenCanvas, createImageBitmap for
 * images, WebCrypto for hashes and IndexedDB for the result cache.
 *
 * Nothing is fetched from outside the app: tesseract.js's worker script, its wasm cores and the
 * language data are served by the app itself under `/ocr/` (copied there at build time by the
 * `ocrAssets` plugin in vite.config.ts; see OCR_ASSET_BASE), with `workerBlobURL: false` so no
 * blob: worker wraps a CDN import. The language files are checked with HEAD requests before a
 * worker starts (tesseract.js hangs when it cannot load a language).
 */

/** Where the build puts the OCR assets, relative to the app's root. */
export const OCR_ASSET_BASE = '/ocr';

export interface BrowserOcrImage extends OcrImage {
  /** PNG or JPEG bytes (Tesseract decodes them itself). */
  readonly bytes: Uint8Array;
}

export interface BrowserOcrRuntimeOptions {
  readonly languages?: readonly string[];
  /** Tesseract workers; default `min(navigator.hardwareConcurrency, 2)`. */
  readonly workers?: number;
  /** Base URL of the OCR assets (default {@link OCR_ASSET_BASE} on this origin). */
  readonly assetBase?: string;
  /** Keep results in IndexedDB by SHA-256 (default true). */
  readonly cache?: boolean;
  readonly workerStartTimeoutMs?: number;
}

export interface BrowserOcrRuntime {
  readonly runtime: OcrRuntime<BrowserOcrImage>;
  readonly pool: WorkerPool<TesseractWorker>;
  close(): Promise<void>;
}

export const browserTimers: OcrTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as number);
  },
};

// ---------------------------------------------------------------------------------------------
// Tesseract

interface TesseractBbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface TesseractLine {
  text: string;
  confidence: number;
  bbox: TesseractBbox;
  words: { text: string; confidence: number; bbox: TesseractBbox }[];
}
interface TesseractPage {
  text: string | null;
  confidence: number | null;
  rotateRadians: number | null;
  blocks: { paragraphs: { lines: TesseractLine[] }[] }[] | null;
}
interface TesseractWorkerApi {
  recognize(
    image: Uint8Array,
    options: Record<string, unknown>,
    output: Record<string, boolean>,
  ): Promise<{ data: TesseractPage }>;
  setParameters(params: Record<string, string>): Promise<unknown>;
  terminate(): Promise<unknown>;
}

export interface TesseractWorker {
  api: TesseractWorkerApi;
  onProgress: ((fraction: number) => void) | undefined;
}

function toBox(bbox: TesseractBbox): OcrBox {
  return { x: bbox.x0, y: bbox.y0, width: bbox.x1 - bbox.x0, height: bbox.y1 - bbox.y0 };
}

function toRecognition(
  page: TesseractPage,
  size: { readonly width: number; readonly height: number },
): Recognition {
  const words: OcrWord[] = [];
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const index = lines.length;
        lines.push({
          text: line.text.replace(/\n$/, ''),
          confidence: line.confidence / 100,
          box: toBox(line.bbox),
        });
        for (const word of line.words) {
          words.push({
            text: word.text,
            confidence: word.confidence / 100,
            box: toBox(word.bbox),
            line: index,
          });
        }
      }
    }
  }
  const radians = page.rotateRadians ?? 0;
  return {
    words,
    lines,
    text: page.text ?? lines.map((line) => line.text).join('\n'),
    confidence:
      words.length === 0
        ? (page.confidence ?? 0) / 100
        : words.reduce((sum, word) => sum + word.confidence, 0) / words.length,
    width: size.width,
    height: size.height,
    ...(radians === 0 ? {} : { skewDegrees: Math.round(((radians * 180) / Math.PI) * 100) / 100 }),
  };
}

/**
 * Throws ENGINE_FAILED at once when this context may not compile WebAssembly (a
 * Content-Security-Policy without `'wasm-unsafe-eval'`): Tesseract's core would otherwise abort
 * inside its own worker and leave the start to time out.
 */
async function checkWebAssembly(): Promise<void> {
  try {
    // The smallest valid module: the magic number and version 1.
    await WebAssembly.compile(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new OcrError(
      'ENGINE_FAILED',
      {
        detail: `WebAssembly may not run here, so the OCR engine cannot start (the Content-Security-Policy must allow 'wasm-unsafe-eval'): ${detail}`,
      },
      { cause: error },
    );
  }
}

/** Throws LANGUAGE_DATA_MISSING unless every language file is served. */
async function checkLanguageData(base: string, languages: readonly string[]): Promise<void> {
  const missing: string[] = [];
  for (const language of languages) {
    const url = `${base}/lang/${language}.traineddata.gz`;
    try {
      const response = await fetch(url, { method: 'HEAD', cache: 'no-store' });
      if (!response.ok) {
        missing.push(url);
      }
    } catch {
      missing.push(url);
    }
  }
  if (missing.length > 0) {
    throw new OcrError('LANGUAGE_DATA_MISSING', { files: missing.join(', ') });
  }
}

async function startWorker(
  base: string,
  languages: readonly string[],
  timeoutMs: number,
): Promise<TesseractWorker> {
  const holder = { onProgress: undefined } as TesseractWorker;
  const api = (await withDeadline(
    () =>
      Tesseract.createWorker(
        languages.join('+'),
        Tesseract.OEM.LSTM_ONLY,
        {
          workerPath: `${base}/tesseract/worker.min.js`,
          corePath: `${base}/tesseract/core`,
          langPath: `${base}/lang`,
          workerBlobURL: false,
          cacheMethod: 'none',
          gzip: true,
          errorHandler: () => undefined,
          logger: (message: { status: string; progress: number }) => {
            if (message.status === 'recognizing text') {
              holder.onProgress?.(message.progress);
            }
          },
        },
        // See cli/ocr/nodeRuntime.ts: chi_sim's sub-language breaks later languages; tprintf
        // noise goes nowhere.
        { tessedit_load_sublangs: '', debug_file: '/dev/null' } as Parameters<
          typeof Tesseract.createWorker
        >[3],
      ),
    { timers: browserTimers, ms: timeoutMs, what: 'starting an OCR worker' },
  )) as unknown as TesseractWorkerApi;
  await api.setParameters({ preserve_interword_spaces: '1' });
  holder.api = api;
  return holder;
}

// ---------------------------------------------------------------------------------------------
// Images

async function encodePng(canvas: OffscreenCanvas): Promise<Uint8Array> {
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}

async function bitmapOf(bytes: Uint8Array): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  } catch (error) {
    throw new OcrError('CORRUPT_IMAGE', { detail: String(error) }, { cause: error });
  }
}

/** Draws an image turned clockwise by `rotate` and scaled by `scale` into a PNG. */
async function drawImage(
  image: ImageBitmap,
  options: { readonly rotate: Orientation; readonly scale: number },
): Promise<BrowserOcrImage> {
  const width = Math.max(1, Math.round(image.width * options.scale));
  const height = Math.max(1, Math.round(image.height * options.scale));
  const sideways = options.rotate === 90 || options.rotate === 270;
  const canvas = new OffscreenCanvas(sideways ? height : width, sideways ? width : height);
  const context = canvas.getContext('2d');
  if (context === null) {
    throw new OcrError('ENGINE_FAILED', { detail: 'no 2D canvas in this worker' });
  }
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate((options.rotate * Math.PI) / 180);
  context.drawImage(image, -width / 2, -height / 2, width, height);
  return { width: canvas.width, height: canvas.height, bytes: await encodePng(canvas) };
}

/** The image in grey levels at most `maxSide` pixels long (the pipeline's layout check). */
async function greyOf(
  image: BrowserOcrImage,
  options: { readonly maxSide: number },
): Promise<GreyImage> {
  const bitmap = await bitmapOf(image.bytes);
  try {
    const scale = Math.min(1, options.maxSide / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const context = new OffscreenCanvas(width, height).getContext('2d');
    if (context === null) {
      throw new OcrError('ENGINE_FAILED', { detail: 'no 2D canvas in this worker' });
    }
    context.drawImage(bitmap, 0, 0, width, height);
    return { width, height, pixels: rgbaToGrey(context.getImageData(0, 0, width, height).data) };
  } finally {
    bitmap.close();
  }
}

async function decodeImage(bytes: Uint8Array, options: DecodeOptions): Promise<BrowserOcrImage> {
  if (options.type !== 'webp' && options.width * options.height <= options.maxPixels) {
    return { width: options.width, height: options.height, bytes };
  }
  const bitmap = await bitmapOf(bytes);
  try {
    const scale = Math.min(1, Math.sqrt(options.maxPixels / (bitmap.width * bitmap.height)));
    return await drawImage(bitmap, { rotate: 0, scale });
  } finally {
    bitmap.close();
  }
}

// ---------------------------------------------------------------------------------------------
// PDF (pdf.js in a worker: OffscreenCanvas, no DOM fonts or filters)

interface CanvasAndContext {
  canvas: OffscreenCanvas | null;
  context: OffscreenCanvasRenderingContext2D | null;
}

/** pdf.js's canvas factory for a worker, where there is no `document`. */
class OffscreenCanvasFactory {
  create(width: number, height: number): CanvasAndContext {
    const canvas = new OffscreenCanvas(Math.max(1, width), Math.max(1, height));
    return { canvas, context: canvas.getContext('2d') };
  }

  reset(target: CanvasAndContext, width: number, height: number): void {
    if (target.canvas !== null) {
      target.canvas.width = Math.max(1, width);
      target.canvas.height = Math.max(1, height);
    }
  }

  destroy(target: CanvasAndContext): void {
    if (target.canvas !== null) {
      target.canvas.width = 0;
      target.canvas.height = 0;
    }
    target.canvas = null;
    target.context = null;
  }
}

/** pdf.js's SVG filter factory needs a document; scans need no filters. */
class NoFilterFactory {
  addFilter(): string {
    return 'none';
  }
  addHCMFilter(): string {
    return 'none';
  }
  addAlphaFilter(): string {
    return 'none';
  }
  addLuminosityFilter(): string {
    return 'none';
  }
  addHighlightHCMFilter(): string {
    return 'none';
  }
  destroy(): void {
    // Nothing to free.
  }
}

function pdfError(error: unknown): OcrError {
  if (error instanceof OcrError) {
    return error;
  }
  if (error instanceof Error && error.name === 'PasswordException') {
    return new OcrError('ENCRYPTED_PDF', {}, { cause: error });
  }
  return new OcrError(
    'CORRUPT_PDF',
    { detail: error instanceof Error ? error.message : String(error) },
    { cause: error },
  );
}

async function openPdf(
  bytes: Uint8Array,
  base: string,
  signal: OcrAbortSignal | undefined,
): Promise<PdfDocumentHandle<BrowserOcrImage>> {
  pdfjs.GlobalWorkerOptions.workerSrc = pdfWorkerUrl;
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    isOffscreenCanvasSupported: true,
    // Without it pdf.js 5 decides by reading `document.baseURI`, which a worker has not.
    useWorkerFetch: false,
    disableFontFace: true,
    cMapUrl: `${base}/pdfjs/cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${base}/pdfjs/standard_fonts/`,
    wasmUrl: `${base}/pdfjs/wasm/`,
    CanvasFactory: OffscreenCanvasFactory,
    FilterFactory: NoFilterFactory,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  const onAbort = () => {
    void task.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let document: pdfjs.PDFDocumentProxy;
  try {
    document = await task.promise;
  } catch (error) {
    void task.destroy();
    throw pdfError(error);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  const ops = pdfjs.OPS as unknown as PdfOperatorCodes;
  return {
    pageCount: document.numPages,
    async pageInfo(index) {
      try {
        const page = await document.getPage(index + 1);
        const viewport = page.getViewport({ scale: 1 });
        const list = await page.getOperatorList();
        const imageScale = scannedImageScale(list.fnArray, list.argsArray, ops);
        return {
          width: viewport.width,
          height: viewport.height,
          ...(imageScale === undefined ? {} : { imageScale }),
        };
      } catch (error) {
        throw pdfError(error);
      }
    },
    async renderPage(index, scale, options) {
      try {
        const page = await document.getPage(index + 1);
        const viewport = page.getViewport({ scale });
        const canvas = new OffscreenCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
        const context = canvas.getContext('2d');
        if (context === null) {
          throw new OcrError('ENGINE_FAILED', { detail: 'no 2D canvas in this worker' });
        }
        // pdf.js is typed for the DOM's canvas; OffscreenCanvas has the same drawing API.
        const render = page.render({
          canvas: canvas as never,
          canvasContext: context as never,
          viewport,
          background: 'rgb(255,255,255)',
        });
        const onAbort = () => {
          render.cancel();
        };
        options.signal?.addEventListener('abort', onAbort, { once: true });
        try {
          await render.promise;
        } finally {
          options.signal?.removeEventListener('abort', onAbort);
        }
        page.cleanup();
        return { width: canvas.width, height: canvas.height, bytes: await encodePng(canvas) };
      } catch (error) {
        throw pdfError(error);
      }
    },
    async close() {
      await task.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Result cache (IndexedDB)

const CACHE_DB = 'review-desk-ocr';
const CACHE_STORE = 'results';

function request<T>(operation: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    operation.onsuccess = () => {
      resolve(operation.result);
    };
    operation.onerror = () => {
      reject(operation.error ?? new Error('IndexedDB request failed'));
    };
  });
}

/** Results in an IndexedDB store of their own, keyed by SHA-256. */
export function indexedDbResultCache(): ResultCache {
  let database: Promise<IDBDatabase> | undefined;
  const open = () => {
    database ??= (() => {
      const opening = indexedDB.open(CACHE_DB, 1);
      opening.onupgradeneeded = () => {
        opening.result.createObjectStore(CACHE_STORE);
      };
      return request(opening);
    })();
    return database;
  };
  return {
    async get(sha256) {
      const db = await open();
      return request<unknown>(db.transaction(CACHE_STORE).objectStore(CACHE_STORE).get(sha256));
    },
    async set(sha256, value) {
      const db = await open();
      await request(
        db.transaction(CACHE_STORE, 'readwrite').objectStore(CACHE_STORE).put(value, sha256),
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The runtime

function hexOf(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Creates the workstation's OCR runtime; call inside the OCR worker. */
export async function createBrowserOcrRuntime(
  options: BrowserOcrRuntimeOptions = {},
): Promise<BrowserOcrRuntime> {
  const base = (options.assetBase ?? new URL(OCR_ASSET_BASE, self.location.origin).href).replace(
    /\/$/,
    '',
  );
  const languages = options.languages ?? DEFAULT_OCR_LANGUAGES;
  await checkWebAssembly();
  await checkLanguageData(base, languages);
  const size = Math.max(
    1,
    Math.floor(options.workers ?? Math.min(navigator.hardwareConcurrency || 1, 2)),
  );
  const startTimeout = options.workerStartTimeoutMs ?? 60_000;
  const pool = createWorkerPool<TesseractWorker>({
    size,
    create: () => startWorker(base, languages, startTimeout),
    destroy: async (worker) => {
      await worker.api.terminate();
    },
  });
  const recognize = async (
    image: BrowserOcrImage,
    recognizeOptions: RecognizeOptions,
  ): Promise<Recognition> => {
    const rotate = recognizeOptions.rotate ?? 0;
    let input = image;
    if (rotate !== 0) {
      const bitmap = await bitmapOf(image.bytes);
      try {
        input = await drawImage(bitmap, { rotate, scale: 1 });
      } finally {
        bitmap.close();
      }
    }
    return pool.run(
      async (worker) => {
        worker.onProgress = recognizeOptions.onProgress;
        try {
          const region = recognizeOptions.region;
          const { data } = await worker.api.recognize(
            input.bytes,
            {
              rotateAuto: true,
              ...(region === undefined
                ? {}
                : {
                    rectangle: {
                      left: Math.round(region.x),
                      top: Math.round(region.y),
                      width: Math.round(region.width),
                      height: Math.round(region.height),
                    },
                    tessedit_pageseg_mode: '7',
                  }),
              ...(recognizeOptions.characters === undefined
                ? {}
                : { tessedit_char_whitelist: recognizeOptions.characters }),
            },
            { text: true, blocks: true },
          );
          return toRecognition(data, input);
        } catch (error) {
          const detail = error instanceof Error ? error.message : String(error);
          throw /read image/i.test(detail)
            ? new OcrError('CORRUPT_IMAGE', { detail }, { cause: error })
            : new OcrError('ENGINE_FAILED', { detail }, { cause: error });
        } finally {
          worker.onProgress = undefined;
        }
      },
      { signal: recognizeOptions.signal, priority: recognizeOptions.priority },
    );
  };
  const runtime: OcrRuntime<BrowserOcrImage> = {
    recognizer: { recognize },
    pdf: { open: (bytes, openOptions) => openPdf(bytes, base, openOptions.signal) },
    images: { decode: decodeImage, grey: greyOf },
    sha256: async (bytes) =>
      hexOf(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)),
    ...(options.cache === false ? {} : { cache: indexedDbResultCache() }),
    timers: browserTimers,
    languages,
  };
  return { runtime, pool, close: () => pool.close() };
}
