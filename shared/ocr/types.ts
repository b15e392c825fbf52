import type { LocalizedText } from '../i18n/localized';
import type { GreyImage } from './layout';

/*
 * The offline OCR pipeline's vocabulary: what it returns, what it reports, and the runtime parts
 * a caller injects. `shared/` runs in the workstation's Web Worker and in the Node CLI alike, so
 * everything that needs a platform (Tesseract workers, pdf.js with a canvas, image decoding,
 * hashing, the cache, timers) is an interface here, implemented in `cli/ocr/nodeRuntime.ts` and
 * `renderer/src/ocr/browserRuntime.ts`.
 */

// ---------------------------------------------------------------------------------------------
// Platform stand-ins (shared/ compiles without DOM or Node types)

/**
 * The part of `AbortSignal` the pipeline uses. A DOM or Node `AbortSignal` fits; shared code
 * cannot name that type because it compiles without DOM and Node typings.
 */
export interface OcrAbortSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** `setTimeout`/`clearTimeout`, injected (shared code has no timers of its own). */
export interface OcrTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Lower-case hexadecimal SHA-256 of some bytes. */
export type Sha256 = (bytes: Uint8Array) => Promise<string>;

// ---------------------------------------------------------------------------------------------
// Geometry and recognition results

/** A rectangle in pixels of the page image as recognised (origin top left). */
export interface OcrBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Quarter turns, clockwise, that were applied to a page image before it was read. */
export type Orientation = 0 | 90 | 180 | 270;
export const ORIENTATIONS: readonly Orientation[] = [0, 90, 180, 270];

/**
 * One word as the recognizer read it. Chinese has no spaces, so a "word" is whatever run of
 * characters Tesseract kept together (often one to four characters).
 */
export interface OcrWord {
  readonly text: string;
  /** 0–1. */
  readonly confidence: number;
  readonly box: OcrBox;
  /** Index of the word's line in the page's `lines`. */
  readonly line: number;
}

/** A text line: its words are the page's words whose `line` is this line's index. */
export interface OcrLine {
  readonly text: string;
  /** 0–1. */
  readonly confidence: number;
  readonly box: OcrBox;
}

/** What a recognizer returns for one image. */
export interface Recognition {
  readonly words: readonly OcrWord[];
  readonly lines: readonly OcrLine[];
  /** The page text, lines separated by `\n` (not normalised). */
  readonly text: string;
  /** Mean word confidence, 0–1 (0 when nothing was read). */
  readonly confidence: number;
  /** Size of the image the boxes refer to (after any rotation). */
  readonly width: number;
  readonly height: number;
  /**
   * Set by recognizers that detect orientation themselves (Tesseract's OSD): the quarter turn
   * they applied. Without it the pipeline searches the orientation itself.
   */
  readonly orientation?: Orientation;
  /** Small-angle skew the recognizer corrected, in degrees (boxes are in the deskewed image). */
  readonly skewDegrees?: number;
}

/** One page of a processed document. */
export interface OcrPage extends Recognition {
  /** 0-based. */
  readonly index: number;
  /** The quarter turn applied before reading (the pipeline's choice or the recognizer's). */
  readonly orientation: Orientation;
  /**
   * Pixels of the recognised image per unit of the source: per PDF point (1/72 in) for PDF
   * pages, per source pixel for images (below 1 when a large image was scaled down).
   */
  readonly scale: number;
}

// ---------------------------------------------------------------------------------------------
// Injected runtime parts

/**
 * An image a runtime can hand to its recognizer: decoded or still encoded, the pipeline does
 * not care. Runtimes extend it with their own payload.
 */
export interface OcrImage {
  readonly width: number;
  readonly height: number;
}

export interface RecognizeOptions {
  readonly signal?: OcrAbortSignal;
  /** Rotate the image clockwise by this much before reading it (orientation search). */
  readonly rotate?: Orientation;
  /** Progress of this one recognition, 0–1. */
  readonly onProgress?: (fraction: number) => void;
  /**
   * Read only this part of the (rotated) image, as one line of text, allowing only these
   * characters (second readings of closed-vocabulary fields; see `rereadRequests`).
   */
  readonly region?: OcrBox;
  readonly characters?: string;
  /**
   * When readings wait for a worker, higher priorities start first (default 0; equal ones in
   * the order they came). The pipeline uses it to start the readings most likely to be long
   * (a page that may need an orientation search) and the continuations of a page already
   * started, so no worker idles at the end while one page is still searching.
   */
  readonly priority?: number;
}

/** Reads the text of one image (a pool of Tesseract workers, in practice). */
export interface OcrRecognizer<I extends OcrImage = OcrImage> {
  recognize(image: I, options: RecognizeOptions): Promise<Recognition>;
}

/** The file types the pipeline reads (sniffed from the bytes, never from a name). */
export const OCR_FILE_TYPES = ['pdf', 'jpeg', 'png', 'webp'] as const;
export type OcrFileType = (typeof OCR_FILE_TYPES)[number];
export type OcrImageFileType = Exclude<OcrFileType, 'pdf'>;

export interface DecodeOptions {
  readonly type: OcrImageFileType;
  /** Width and height from the file header (the pipeline already checked them). */
  readonly width: number;
  readonly height: number;
  /** Scale the image down to at most this many pixels (keeping its aspect ratio). */
  readonly maxPixels: number;
  readonly signal?: OcrAbortSignal;
}

/**
 * Turns image file bytes into something the recognizer accepts. The pipeline has already
 * refused images whose header announces more than `OcrLimits.maxImagePixels`, so this never
 * sees a decompression bomb; a file the decoder cannot read must reject with an `OcrError`
 * `CORRUPT_IMAGE`.
 */
export interface ImageSource<I extends OcrImage = OcrImage> {
  decode(bytes: Uint8Array, options: DecodeOptions): Promise<I>;
  /**
   * The image in grey levels, scaled down to at most `maxSide` pixels on its longer side, for
   * the layout check before the first reading (`layout.ts`: is the page lying on its side?).
   * Optional: without it the pipeline finds the orientation by reading alone.
   */
  grey?(image: I, options: { readonly maxSide: number }): Promise<GreyImage>;
}

/** Size of a PDF page in points, and what it is made of. */
export interface PdfPageInfo {
  readonly width: number;
  readonly height: number;
  /**
   * For a page that is one scanned image and no text: the render scale at which the image's own
   * pixels come out one to one. Rendering finer only makes reading slower.
   */
  readonly imageScale?: number;
}

/** An open PDF. `close` must be called (the pipeline does) to free the parser's memory. */
export interface PdfDocumentHandle<I extends OcrImage = OcrImage> {
  readonly pageCount: number;
  pageInfo(index: number, options: { readonly signal?: OcrAbortSignal }): Promise<PdfPageInfo>;
  /** Renders page `index` (0-based) at `scale` pixels per point. */
  renderPage(
    index: number,
    scale: number,
    options: { readonly signal?: OcrAbortSignal },
  ): Promise<I>;
  close(): Promise<void>;
}

/**
 * Opens PDFs (pdf.js). A damaged file must reject with `OcrError` `CORRUPT_PDF`, one that needs
 * a password with `ENCRYPTED_PDF`; anything else it throws is reported as `CORRUPT_PDF`.
 */
export interface PdfRasterizer<I extends OcrImage = OcrImage> {
  open(
    bytes: Uint8Array,
    options: { readonly signal?: OcrAbortSignal },
  ): Promise<PdfDocumentHandle<I>>;
}

/**
 * Where recognition results are kept between runs, by the file's SHA-256. Values come back as
 * `unknown` because they come from disk or IndexedDB: the pipeline validates what it reads and
 * treats anything odd as a miss. Failures of the cache never fail a job.
 */
export interface ResultCache {
  get(sha256: string): Promise<unknown>;
  set(sha256: string, value: unknown): Promise<void>;
}

/** Everything the pipeline needs from its platform. */
export interface OcrRuntime<I extends OcrImage = OcrImage> {
  readonly recognizer: OcrRecognizer<I>;
  readonly pdf: PdfRasterizer<I>;
  readonly images: ImageSource<I>;
  readonly sha256: Sha256;
  readonly cache?: ResultCache;
  /** Without timers, nothing times out (only cancellation stops a job). */
  readonly timers?: OcrTimers;
  /**
   * Tesseract language codes the recognizer reads, e.g. `['chi_sim']`; part of the cache key,
   * so results read with other languages are not reused.
   */
  readonly languages: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Progress

export type OcrStage =
  | 'hashing'
  | 'cache_hit'
  | 'opening'
  | 'rendering'
  | 'recognizing'
  | 'orientation'
  | 'extracting'
  | 'done';

/** A progress event; `fraction` is the whole job's progress, 0–1, and never goes down. */
export interface OcrProgress {
  readonly stage: OcrStage;
  readonly fraction: number;
  /** 1-based page being worked on, and how many pages will be read. */
  readonly page?: number;
  readonly pages?: number;
}

// ---------------------------------------------------------------------------------------------
// Errors

export const OCR_ERROR_CODES = [
  'EMPTY_FILE',
  'FILE_TOO_LARGE',
  'UNSUPPORTED_TYPE',
  'CORRUPT_PDF',
  'ENCRYPTED_PDF',
  'TOO_MANY_PAGES',
  'CORRUPT_IMAGE',
  'IMAGE_TOO_LARGE',
  'CANCELLED',
  'TIMEOUT',
  'LANGUAGE_DATA_MISSING',
  'ENGINE_FAILED',
] as const;
export type OcrErrorCode = (typeof OCR_ERROR_CODES)[number];

/** Values an error message is built from. */
export type OcrErrorParams = Readonly<Record<string, string | number>>;

/**
 * Why a file could not be read. `message` is English for logs; show people
 * `ocrErrorMessage(error, locale)`.
 */
export class OcrError extends Error {
  override readonly name = 'OcrError';
  readonly code: OcrErrorCode;
  readonly params: OcrErrorParams;

  constructor(code: OcrErrorCode, params: OcrErrorParams = {}, options?: { cause?: unknown }) {
    super(OCR_ERROR_MESSAGES[code](params).en, options);
    this.code = code;
    this.params = params;
  }
}

export function isOcrError(value: unknown): value is OcrError {
  return value instanceof OcrError;
}

function param(params: OcrErrorParams, name: string): string {
  const value = params[name];
  return value === undefined ? '?' : String(value);
}

/** The message of every error code, in every locale. */
export const OCR_ERROR_MESSAGES: Readonly<
  Record<OcrErrorCode, (params: OcrErrorParams) => LocalizedText>
> = {
  EMPTY_FILE: () => ({ 'zh-CN': '文件是空的（0 字节）', en: 'the file is empty (0 bytes)' }),
  FILE_TOO_LARGE: (p) => ({
    'zh-CN': `文件有 ${param(p, 'megabytes')} MB，超过上限 ${param(p, 'maxMegabytes')} MB`,
    en: `the file is ${param(p, 'megabytes')} MB; at most ${param(p, 'maxMegabytes')} MB can be read`,
  }),
  UNSUPPORTED_TYPE: (p) => ({
    'zh-CN': `不是 PDF、JPEG、PNG 或 WebP 文件（内容看起来是${param(p, 'detectedZh')}${p['claimed'] === undefined ? '' : `，扩展名却是 .${param(p, 'claimed')}`}）`,
    en: `not a PDF, JPEG, PNG or WebP file (the bytes look like ${param(p, 'detected')}${p['claimed'] === undefined ? '' : `, although the name ends in .${param(p, 'claimed')}`})`,
  }),
  CORRUPT_PDF: (p) => ({
    'zh-CN': `PDF 文件已损坏或不完整${p['detail'] === undefined ? '' : `（${param(p, 'detail')}）`}`,
    en: `the PDF is damaged or incomplete${p['detail'] === undefined ? '' : ` (${param(p, 'detail')})`}`,
  }),
  ENCRYPTED_PDF: () => ({
    'zh-CN': 'PDF 已加密，需要密码才能打开；请上传未加密的文件',
    en: 'the PDF is encrypted and needs a password; upload an unencrypted copy',
  }),
  TOO_MANY_PAGES: (p) => ({
    'zh-CN': `PDF 有 ${param(p, 'pages')} 页，资质文件最多 ${param(p, 'maxPages')} 页`,
    en: `the PDF has ${param(p, 'pages')} pages; a credential has at most ${param(p, 'maxPages')}`,
  }),
  CORRUPT_IMAGE: (p) => ({
    'zh-CN': `图片已损坏或不完整${p['detail'] === undefined ? '' : `（${param(p, 'detail')}）`}`,
    en: `the image is damaged or incomplete${p['detail'] === undefined ? '' : ` (${param(p, 'detail')})`}`,
  }),
  IMAGE_TOO_LARGE: (p) => ({
    'zh-CN': `图片为 ${param(p, 'width')} × ${param(p, 'height')}（${param(p, 'megapixels')} 百万像素），超过上限 ${param(p, 'maxMegapixels')} 百万像素`,
    en: `the image is ${param(p, 'width')} × ${param(p, 'height')} (${param(p, 'megapixels')} megapixels); at most ${param(p, 'maxMegapixels')} megapixels can be read`,
  }),
  CANCELLED: () => ({ 'zh-CN': '识别已取消', en: 'recognition was cancelled' }),
  TIMEOUT: (p) => ({
    'zh-CN': `${param(p, 'step')}超过 ${param(p, 'seconds')} 秒仍未完成，已停止`,
    en: `${param(p, 'step')} took longer than ${param(p, 'seconds')} s and was stopped`,
  }),
  LANGUAGE_DATA_MISSING: (p) => ({
    'zh-CN': `缺少 OCR 语言数据 ${param(p, 'files')}（应随应用一起安装，不会联网下载）`,
    en: `OCR language data is missing: ${param(p, 'files')} (it ships with the app and is never downloaded)`,
  }),
  ENGINE_FAILED: (p) => ({
    'zh-CN': `OCR 引擎出错：${param(p, 'detail')}`,
    en: `the OCR engine failed: ${param(p, 'detail')}`,
  }),
};

/** The message of an OCR error in a locale. */
export function ocrErrorMessage(error: OcrError, locale: keyof LocalizedText): string {
  return OCR_ERROR_MESSAGES[error.code](error.params)[locale];
}

// ---------------------------------------------------------------------------------------------
// Warnings (the job went through, with something to know)

export const OCR_WARNING_CODES = [
  /** Only the first pages of a long PDF were read. */
  'PAGES_TRUNCATED',
  /** The name's extension says another type than the bytes do (the bytes were trusted). */
  'TYPE_MISMATCH',
  /** A large image was scaled down before reading. */
  'IMAGE_DOWNSCALED',
  /** No orientation gave a confident reading; the best one was kept. */
  'ORIENTATION_UNCERTAIN',
  /** The result cache could not be read or written (the job itself went through). */
  'CACHE_UNAVAILABLE',
] as const;
export type OcrWarningCode = (typeof OCR_WARNING_CODES)[number];

export interface OcrWarning {
  readonly code: OcrWarningCode;
  readonly message: LocalizedText;
  readonly params: OcrErrorParams;
}
