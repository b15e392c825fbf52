import type * as CanvasTypes from '@napi-rs/canvas';
import type * as PdfjsTypes from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { constants as fsConstants } from 'node:fs';
import { access, copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism, homedir, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Image, SKRSContext2D } from '@napi-rs/canvas';
import {
  createWorkerPool,
  DEFAULT_OCR_LANGUAGES,
  OCR_MODEL_SOURCES,
  OcrError,
  rgbaToGrey,
  stripLegacyComponents,
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
 * The OCR runtime for Node (the `review-desk ocr` command and the benchmark): Tesseract
 * (tesseract.js 7, wasm) in worker threads, pdf.js (legacy build) with @napi-rs/canvas for PDF
 * pages and for turning and scaling images, node:crypto for hashes, and a result cache on disk.
 *
 * Nothing is fetched. Language data comes from a local folder that holds every
 * `<lang>.traineddata.gz` (tesseract.js takes one `langPath`):
 *   1. the `langDir` option or REVIEW_DESK_OCR_LANG_DIR;
 *   2. `resources/ocr/lang/` as `npm run build` stages it;
 *   3. otherwise staged once from the `@tesseract.js-data/*` packages into `<cache>/lang/`, as
 *      `OCR_MODEL_SOURCES` says (best_int files copied, `chi_sim_400` stripped of its legacy
 *      components): the packages keep each language in its own folder, and the CLI may not
 *      import scripts/build.ts.
 * Missing files are reported as LANGUAGE_DATA_MISSING before a worker starts: tesseract.js
 * crashes the process or hangs when it cannot load a language, so a worker only starts on files
 * known to exist, and worker start-up has its own deadline anyway.
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

export { DEFAULT_OCR_LANGUAGES };

const gunzipAsync = promisify(gunzip);
const gzipAsync = promisify(gzip);

export interface NodeOcrImage extends OcrImage {
  /** The image file bytes (PNG or JPEG), as Tesseract decodes them itself. */
  readonly bytes: Uint8Array;
}

export interface NodeOcrRuntimeOptions {
  /** Tesseract languages, e.g. `['chi_sim']` or `['chi_sim', 'eng']`. */
  readonly languages?: readonly string[];
  /** Workers in the pool; default `min(availableParallelism(), 2)`. */
  readonly workers?: number;
  /** A folder holding `<lang>.traineddata.gz` for every language. */
  readonly langDir?: string;
  /** Where the result cache and staged language data live; see {@link defaultOcrCacheDir}. */
  readonly cacheDir?: string;
  /** Keep results on disk by SHA-256 (default true). */
  readonly cache?: boolean;
  /** Environment variables to read (tests pass their own). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Deadline for a worker to start (load the wasm core and the models). */
  readonly workerStartTimeoutMs?: number;
  /** Correct small skew with Tesseract's deskew (default true). */
  readonly deskew?: boolean;
}

export interface NodeOcrRuntime {
  readonly runtime: OcrRuntime<NodeOcrImage>;
  readonly pool: WorkerPool<TesseractWorker>;
  readonly langDir: string;
  readonly cacheDir: string;
  /** Stops every worker; the runtime cannot be used afterwards. */
  close(): Promise<void>;
}

/** The per-user cache folder: REVIEW_DESK_CACHE_DIR, else the platform's cache folder. */
export function defaultOcrCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  const explicit = env['REVIEW_DESK_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') {
    return join(explicit, 'ocr');
  }
  const home = env['HOME'] ?? homedir();
  const os = platform();
  if (os === 'darwin') {
    return join(home, 'Library', 'Caches', 'review-desk', 'ocr');
  }
  if (os === 'win32') {
    const local = env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local');
    return join(local, 'review-desk', 'Cache', 'ocr');
  }
  return join(env['XDG_CACHE_HOME'] ?? join(home, '.cache'), 'review-desk', 'ocr');
}

export const nodeTimers: OcrTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

// ---------------------------------------------------------------------------------------------
// Language data

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** The `<lang>.traineddata.gz` files of `languages` that `dir` lacks (or that are not gzip). */
async function hasLanguageData(dir: string, languages: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const language of languages) {
    const file = join(dir, `${language}.traineddata.gz`);
    try {
      const head = (await readFile(file)).subarray(0, 2);
      if (head[0] !== 0x1f || head[1] !== 0x8b) {
        missing.push(file);
      }
    } catch {
      missing.push(file);
    }
  }
  return missing;
}

function packagedModel(language: string): string | undefined {
  const source = OCR_MODEL_SOURCES[language];
  if (source === undefined) {
    return undefined;
  }
  try {
    const packageDir = dirname(
      require.resolve(`@tesseract.js-data/${source.package}/package.json`),
    );
    return join(packageDir, source.folder, `${source.package}.traineddata.gz`);
  } catch {
    return undefined;
  }
}

/** Copies (or strips, for `chi_sim_400`) a packaged model to `destination`, atomically. */
async function stageModel(language: string, source: string, destination: string): Promise<void> {
  const temporary = `${destination}.${process.pid}.tmp`;
  if (OCR_MODEL_SOURCES[language]?.stripLegacy === true) {
    const full = await gunzipAsync(await readFile(source));
    await writeFile(temporary, await gzipAsync(stripLegacyComponents(full), { level: 9 }));
  } else {
    await copyFile(source, temporary);
  }
  await rename(temporary, destination);
}

/**
 * The folder Tesseract reads `languages` from (see the module comment for the order), staging
 * the packaged models into the cache when needed. Throws LANGUAGE_DATA_MISSING naming the files
 * that are not there.
 */
export async function resolveLanguageDir(
  languages: readonly string[],
  options: {
    readonly langDir?: string | undefined;
    readonly cacheDir: string;
    readonly env: Readonly<Record<string, string | undefined>>;
  },
): Promise<string> {
  const explicit = options.langDir ?? options.env['REVIEW_DESK_OCR_LANG_DIR'];
  if (explicit !== undefined && explicit !== '') {
    const missing = await hasLanguageData(explicit, languages);
    if (missing.length > 0) {
      throw new OcrError('LANGUAGE_DATA_MISSING', { files: missing.join(', ') });
    }
    return explicit;
  }
  const staged = join(projectRoot, 'resources', 'ocr', 'lang');
  if ((await hasLanguageData(staged, languages)).length === 0) {
    return staged;
  }
  const target = join(options.cacheDir, 'lang');
  const missing: string[] = [];
  for (const language of languages) {
    if ((await hasLanguageData(target, [language])).length === 0) {
      continue;
    }
    const source = packagedModel(language);
    if (source === undefined || !(await isFile(source))) {
      const spec = OCR_MODEL_SOURCES[language];
      missing.push(
        spec === undefined
          ? `${language}.traineddata.gz (not a language ReviewDesk ships)`
          : `@tesseract.js-data/${spec.package}/${spec.folder}/${spec.package}.traineddata.gz`,
      );
      continue;
    }
    await mkdir(target, { recursive: true });
    await stageModel(language, source, join(target, `${language}.traineddata.gz`));
  }
  if (missing.length > 0) {
    throw new OcrError('LANGUAGE_DATA_MISSING', { files: missing.join(', ') });
  }
  return target;
}

// ---------------------------------------------------------------------------------------------
// Tesseract workers

interface TesseractBbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface TesseractWord {
  text: string;
  confidence: number;
  bbox: TesseractBbox;
}
interface TesseractLine {
  text: string;
  confidence: number;
  bbox: TesseractBbox;
  words: TesseractWord[];
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

/** One Tesseract worker thread and the progress callback of the job it is running. */
export interface TesseractWorker {
  api: TesseractWorkerApi;
  onProgress: ((fraction: number) => void) | undefined;
}

function toBox(bbox: TesseractBbox): OcrBox {
  return { x: bbox.x0, y: bbox.y0, width: bbox.x1 - bbox.x0, height: bbox.y1 - bbox.y0 };
}

/** Tesseract's block tree as flat lines and words (confidence 0–1). */
export function toRecognition(
  page: TesseractPage,
  size: { readonly width: number; readonly height: number },
): Recognition {
  const words: OcrWord[] = [];
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const lineIndex = lines.length;
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
            line: lineIndex,
          });
        }
      }
    }
  }
  const confidence =
    words.length === 0
      ? (page.confidence ?? 0) / 100
      : words.reduce((sum, word) => sum + word.confidence, 0) / words.length;
  const radians = page.rotateRadians ?? 0;
  return {
    words,
    lines,
    text: page.text ?? lines.map((line) => line.text).join('\n'),
    confidence,
    width: size.width,
    height: size.height,
    ...(radians === 0 ? {} : { skewDegrees: Math.round(((radians * 180) / Math.PI) * 100) / 100 }),
  };
}

async function startWorker(
  langDir: string,
  languages: readonly string[],
  timeoutMs: number,
): Promise<TesseractWorker> {
  const tesseract = (await import('tesseract.js')).default;
  // The logger is given before the worker exists; it reports to whoever holds the worker.
  const holder = { onProgress: undefined } as TesseractWorker;
  const api = (await withDeadline(
    () =>
      tesseract.createWorker(
        languages.join('+'),
        tesseract.OEM.LSTM_ONLY,
        {
          langPath: langDir,
          // The default writes the unpacked models into the working directory.
          cacheMethod: 'none',
          gzip: true,
          // Without a handler a failed job also throws an uncaught exception in the main thread.
          errorHandler: () => undefined,
          logger: (message: { status: string; progress: number }) => {
            if (message.status === 'recognizing text') {
              holder.onProgress?.(message.progress);
            }
          },
        },
        // chi_sim's config loads the sub-language chi_sim_vert; tesseract.js 7's wasm build mangles
        // that name, fails to load it and then skips every further language (`+eng` silently did
        // nothing). Vertical text does not occur on these papers.
        { tessedit_load_sublangs: '', debug_file: '/dev/null' } as Parameters<
          typeof tesseract.createWorker
        >[3],
      ),
    { timers: nodeTimers, ms: timeoutMs, what: 'starting an OCR worker' },
  )) as unknown as TesseractWorkerApi;
  // chi_sim separates every Chinese character with a space unless told to keep spaces as printed.
  await api.setParameters({ preserve_interword_spaces: '1' });
  holder.api = api;
  return holder;
}

// ---------------------------------------------------------------------------------------------
// Images and PDF pages (@napi-rs/canvas, pdf.js)

type CanvasModule = typeof CanvasTypes;
let canvasModule: Promise<CanvasModule> | undefined;

function loadCanvas(): Promise<CanvasModule> {
  canvasModule ??= import('@napi-rs/canvas').catch((error: unknown) => {
    canvasModule = undefined;
    throw new OcrError('ENGINE_FAILED', {
      detail: `@napi-rs/canvas is not installed (it comes with pdfjs-dist as an optional dependency): ${String(error)}`,
    });
  });
  return canvasModule;
}

async function decodeWithCanvas(bytes: Uint8Array): Promise<Image> {
  const { loadImage } = await loadCanvas();
  try {
    return await loadImage(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new OcrError('CORRUPT_IMAGE', { detail: String(error) }, { cause: error });
  }
}

/** Draws `image` turned clockwise by `rotate` and scaled by `scale` into a PNG. */
async function drawImage(
  image: Image,
  options: { readonly rotate: Orientation; readonly scale: number },
): Promise<NodeOcrImage> {
  const { createCanvas } = await loadCanvas();
  const width = Math.max(1, Math.round(image.width * options.scale));
  const height = Math.max(1, Math.round(image.height * options.scale));
  const sideways = options.rotate === 90 || options.rotate === 270;
  const canvas = createCanvas(sideways ? height : width, sideways ? width : height);
  const context: SKRSContext2D = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate((options.rotate * Math.PI) / 180);
  context.drawImage(image, -width / 2, -height / 2, width, height);
  const bytes = await canvas.encode('png');
  return { width: canvas.width, height: canvas.height, bytes };
}

/** The image in grey levels at most `maxSide` pixels long (the pipeline's layout check). */
async function greyOf(
  image: NodeOcrImage,
  options: { readonly maxSide: number },
): Promise<GreyImage> {
  const { createCanvas } = await loadCanvas();
  const decoded = await decodeWithCanvas(image.bytes);
  const scale = Math.min(1, options.maxSide / Math.max(decoded.width, decoded.height));
  const width = Math.max(1, Math.round(decoded.width * scale));
  const height = Math.max(1, Math.round(decoded.height * scale));
  const context: SKRSContext2D = createCanvas(width, height).getContext('2d');
  context.drawImage(decoded, 0, 0, width, height);
  return { width, height, pixels: rgbaToGrey(context.getImageData(0, 0, width, height).data) };
}

async function decodeImage(bytes: Uint8Array, options: DecodeOptions): Promise<NodeOcrImage> {
  const pixels = options.width * options.height;
  // PNG and JPEG within the budget go to Tesseract as they are (it decodes them, and applies
  // the EXIF orientation of photos itself).
  if (options.type !== 'webp' && pixels <= options.maxPixels) {
    return { width: options.width, height: options.height, bytes };
  }
  const image = await decodeWithCanvas(bytes);
  const scale = Math.min(1, Math.sqrt(options.maxPixels / (image.width * image.height)));
  return drawImage(image, { rotate: 0, scale });
}

type PdfjsModule = typeof PdfjsTypes;
let pdfjsModule: Promise<PdfjsModule> | undefined;

function loadPdfjs(): Promise<PdfjsModule> {
  pdfjsModule ??= (async () => {
    // pdf.js's legacy build needs a canvas implementation even to load (DOMMatrix).
    await loadCanvas();
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjsModule;
}

function pdfjsAsset(folder: string): string {
  const packageDir = dirname(require.resolve('pdfjs-dist/package.json'));
  return `${join(packageDir, folder)}/`;
}

function pdfError(error: unknown): OcrError {
  if (error instanceof OcrError) {
    return error;
  }
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') {
    return new OcrError('ENCRYPTED_PDF', {}, { cause: error });
  }
  return new OcrError('CORRUPT_PDF', { detail: message }, { cause: error });
}

async function openPdf(
  bytes: Uint8Array,
  signal: OcrAbortSignal | undefined,
): Promise<PdfDocumentHandle<NodeOcrImage>> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of the buffer it is given.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    cMapUrl: pdfjsAsset('cmaps'),
    cMapPacked: true,
    standardFontDataUrl: pdfjsAsset('standard_fonts'),
    wasmUrl: pdfjsAsset('wasm'),
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  const onAbort = () => {
    void task.destroy();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let document: Awaited<typeof task.promise>;
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
        const width = Math.ceil(viewport.width);
        const height = Math.ceil(viewport.height);
        const { createCanvas } = await loadCanvas();
        const canvas = createCanvas(width, height);
        const context = canvas.getContext('2d');
        // pdf.js is typed for the DOM's canvas; @napi-rs/canvas implements the same API.
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
        const png = await canvas.encode('png');
        page.cleanup();
        return { width, height, bytes: png };
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
// Result cache

/** Results as JSON files named by SHA-256, written atomically; unreadable files are misses. */
export function fileResultCache(dir: string): ResultCache {
  const pathOf = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) {
      throw new Error(`not a SHA-256: ${sha256}`);
    }
    return join(dir, `${sha256}.json`);
  };
  return {
    async get(sha256) {
      try {
        return JSON.parse(await readFile(pathOf(sha256), 'utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
    async set(sha256, value) {
      await mkdir(dir, { recursive: true });
      const path = pathOf(sha256);
      const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, JSON.stringify(value));
      await rename(temporary, path);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The runtime

/** Default pool size: the machine's cores, at most 2 (each worker holds ~100 MB of models). */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 2));
}

/**
 * Creates the Node runtime. Checks (and if needed stages) the language data first; workers start
 * on first use, or all at once with `pool.warm()`.
 */
export async function createNodeOcrRuntime(
  options: NodeOcrRuntimeOptions = {},
): Promise<NodeOcrRuntime> {
  const env = options.env ?? process.env;
  const languages = options.languages ?? DEFAULT_OCR_LANGUAGES;
  const cacheDir = options.cacheDir ?? defaultOcrCacheDir(env);
  const langDir = await resolveLanguageDir(languages, { langDir: options.langDir, cacheDir, env });
  const startTimeout = options.workerStartTimeoutMs ?? 60_000;
  const deskew = options.deskew ?? true;
  const workers = Math.max(1, Math.floor(options.workers ?? defaultWorkerCount()));
  const pool = createWorkerPool<TesseractWorker>({
    size: workers,
    create: () => startWorker(langDir, languages, startTimeout),
    destroy: async (worker) => {
      await worker.api.terminate();
    },
  });

  const recognizer = {
    async recognize(image: NodeOcrImage, recognizeOptions: RecognizeOptions): Promise<Recognition> {
      const rotate = recognizeOptions.rotate ?? 0;
      const input =
        rotate === 0
          ? image
          : await drawImage(await decodeWithCanvas(image.bytes), { rotate, scale: 1 });
      return pool.run(
        async (worker) => {
          worker.onProgress = recognizeOptions.onProgress;
          try {
            const region = recognizeOptions.region;
            const { data } = await worker.api.recognize(
              input.bytes,
              {
                ...(deskew ? { rotateAuto: true } : {}),
                ...(region === undefined
                  ? {}
                  : {
                      rectangle: {
                        left: Math.round(region.x),
                        top: Math.round(region.y),
                        width: Math.round(region.width),
                        height: Math.round(region.height),
                      },
                      // One line of text.
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
    },
  };

  const runtime: OcrRuntime<NodeOcrImage> = {
    recognizer,
    pdf: { open: (bytes, openOptions) => openPdf(bytes, openOptions.signal) },
    images: { decode: decodeImage, grey: greyOf },
    sha256: (bytes) => Promise.resolve(createHash('sha256').update(bytes).digest('hex')),
    ...(options.cache === false ? {} : { cache: fileResultCache(join(cacheDir, 'results')) }),
    timers: nodeTimers,
    languages,
  };
  return { runtime, pool, langDir, cacheDir, close: () => pool.close() };
}

/** Whether a path can be read (for the CLI's one-line errors). */
export async function canRead(path: string): Promise<boolean> {
  try {
    await access(path, fsConstants.R_OK);
    return true;
  } catch {
    return false;
  }
}
