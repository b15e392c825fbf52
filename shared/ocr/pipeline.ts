import { z } from 'zod';
import {
  extractDocument,
  rereadRequests,
  type DocumentKind,
  type ExtractedFields,
  type Reread,
} from './extract';
import { normalizeOcrText } from './normalize';
import { LAYOUT_MAX_SIDE, textLineDirection, type LineDirection } from './layout';
import { raceAbort, throwIfAborted, withDeadline } from './signal';
import { readImageDimensions, sniffFileType, typeOfExtension } from './sniff';
import {
  OcrError,
  type OcrAbortSignal,
  type OcrFileType,
  type OcrImage,
  type OcrPage,
  type OcrProgress,
  type OcrRuntime,
  type OcrStage,
  type OcrWarning,
  type OcrWarningCode,
  type Orientation,
  type PdfDocumentHandle,
  type Recognition,
} from './types';

/*
 * The OCR pipeline: bytes in, recognised pages and extracted fields out. It decides everything
 * that is not platform-specific — what the file is, whether it may be read at all, at which
 * resolution, in which orientation, with which limits — and leaves the work to the injected
 * runtime (see types.ts). Every step can be cancelled and every runtime call has a deadline.
 *
 * Decisions:
 * - Type from the bytes, never from the name. A name whose extension promises another
 *   supported type only gives a TYPE_MISMATCH warning (the bytes are read); bytes of another kind
 *   (a ZIP named .pdf) are UNSUPPORTED_TYPE.
 * - PDFs: a credential has few pages. More than `maxPdfPages` (100) is refused (TOO_MANY_PAGES)
 *   after reading only the page count, so a 300-page PDF costs milliseconds; of shorter ones the
 *   first `maxPagesRead` (5) pages are read and PAGES_TRUNCATED says so.
 * - Resolution: pages are rendered at 300 dpi, capped by `pagePixelBudget` (12 MP: an A4 page at
 *   300 dpi is 8.7 MP). A page that is one scanned image is rendered at the image's own
 *   resolution instead (clamped to 150–300 dpi): finer only costs time.
 * - Images: the header's width × height above `maxImagePixels` (40 MP) is IMAGE_TOO_LARGE,
 *   before decoding; above `pagePixelBudget` the image is scaled down while decoding.
 * - Orientation: the LSTM-only models shipped (`4.0.0_best_int`) have no OSD (that needs the
 *   legacy engine and `osd.traineddata`), so the pipeline searches: it reads the page as is, and
 *   when fewer than `orientationMinCharacters` characters come back with a mean confidence of
 *   `orientationMinConfidence` it reads the page turned by 180°, then 90° and 270° (portrait
 *   images try 90° and 270° first: documents are mostly landscape) and keeps the most confident
 *   reading. Upright pages cost one reading; a sideways page costs up to four. The turns tried
 *   together (90° and 270°) are read at the same time, up to `pageConcurrency`, so with two
 *   workers a sideways page takes two readings' time instead of three and the pool's other
 *   worker is not left idle while one page searches. A recognizer that does OSD
 *   itself reports `orientation` and no search happens. Small skew (±2°) is the recognizer's job
 *   (Tesseract's deskew).
 * - Cache: recognition results (not extraction, which is cheap and improves between versions)
 *   are cached by SHA-256 together with a format version and the languages; anything else read
 *   back is a miss.
 */

export interface OcrLimits {
  /** Larger files are refused before anything else (FILE_TOO_LARGE). */
  readonly maxFileBytes: number;
  /** PDFs with more pages are refused (TOO_MANY_PAGES). */
  readonly maxPdfPages: number;
  /** Only the first this-many pages are read (PAGES_TRUNCATED beyond). */
  readonly maxPagesRead: number;
  /** Images whose header announces more pixels are refused (IMAGE_TOO_LARGE). */
  readonly maxImagePixels: number;
  /** Images are scaled down and pages rendered to at most this many pixels. */
  readonly pagePixelBudget: number;
  /** Render resolution for PDF pages (dots per inch), and the floor for scanned pages. */
  readonly targetDpi: number;
  readonly minDpi: number;
  /** Orientation search: a reading is accepted with this many characters at this confidence. */
  readonly orientationMinCharacters: number;
  readonly orientationMinConfidence: number;
  /** Deadlines per step, in milliseconds. */
  readonly openTimeoutMs: number;
  readonly renderTimeoutMs: number;
  readonly recognizeTimeoutMs: number;
  /**
   * Readings of one document at the same time: its pages, and the turns of an orientation search
   * (the runtime's pool size is sensible; 1 reads one after the other).
   */
  readonly pageConcurrency: number;
}

export const DEFAULT_OCR_LIMITS: OcrLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxPdfPages: 100,
  maxPagesRead: 5,
  maxImagePixels: 40_000_000,
  pagePixelBudget: 12_000_000,
  targetDpi: 300,
  minDpi: 150,
  orientationMinCharacters: 12,
  orientationMinConfidence: 0.6,
  openTimeoutMs: 30_000,
  renderTimeoutMs: 60_000,
  recognizeTimeoutMs: 120_000,
  pageConcurrency: 2,
};

export interface ProcessOptions {
  /** The file's name, for the extension check and messages. */
  readonly name?: string;
  readonly signal?: OcrAbortSignal;
  readonly onProgress?: (progress: OcrProgress) => void;
  /** Skip the cache lookup (the result is still stored). */
  readonly refresh?: boolean;
}

/** Everything known about one processed file. */
export interface OcrDocumentResult {
  readonly sha256: string;
  readonly name?: string;
  readonly fileType: OcrFileType;
  /** Pages in the file (1 for an image). */
  readonly pageCount: number;
  /** The pages read (the first `maxPagesRead`). */
  readonly pages: readonly OcrPage[];
  /** Normalised text of the pages read, pages separated by a blank line. */
  readonly text: string;
  readonly kind: DocumentKind;
  readonly fields: ExtractedFields;
  readonly warnings: readonly OcrWarning[];
  readonly fromCache: boolean;
  readonly languages: readonly string[];
}

export interface OcrPipeline {
  process(bytes: Uint8Array, options?: ProcessOptions): Promise<OcrDocumentResult>;
  readonly limits: OcrLimits;
}

// ---------------------------------------------------------------------------------------------
// Cache format

/** Bump when the cached recognition changes shape or meaning. */
export const OCR_CACHE_VERSION = 1;

const boxSchema = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
});
const orientationSchema = z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]);
const pageSchema = z.object({
  index: z.int().min(0),
  words: z.array(
    z.object({
      text: z.string(),
      confidence: z.number(),
      box: boxSchema,
      line: z.int().min(0),
    }),
  ),
  lines: z.array(z.object({ text: z.string(), confidence: z.number(), box: boxSchema })),
  text: z.string(),
  confidence: z.number(),
  width: z.number(),
  height: z.number(),
  orientation: orientationSchema,
  skewDegrees: z.number().optional(),
  scale: z.number(),
});
const warningSchema = z.object({
  code: z.enum([
    'PAGES_TRUNCATED',
    'TYPE_MISMATCH',
    'IMAGE_DOWNSCALED',
    'ORIENTATION_UNCERTAIN',
    'CACHE_UNAVAILABLE',
  ]),
  message: z.object({ 'zh-CN': z.string(), en: z.string() }),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
const cacheEntrySchema = z.object({
  version: z.literal(OCR_CACHE_VERSION),
  languages: z.array(z.string()),
  fileType: z.enum(['pdf', 'jpeg', 'png', 'webp']),
  pageCount: z.int().min(0),
  pages: z.array(pageSchema),
  /** Warnings that belong to the file (truncation, downscaling), not to one run. */
  warnings: z.array(warningSchema),
  /** Second readings of closed-vocabulary fields (see `rereadRequests`). */
  rereads: z.array(
    z.object({
      field: z.literal('creditCode'),
      page: z.int().min(0),
      box: boxSchema,
      characters: z.string(),
      text: z.string(),
      confidence: z.number(),
    }),
  ),
});
type CacheEntry = z.infer<typeof cacheEntrySchema>;

// ---------------------------------------------------------------------------------------------
// Helpers

function warning(
  code: OcrWarningCode,
  params: Readonly<Record<string, string | number>> = {},
): OcrWarning {
  const p = (name: string) => String(params[name] ?? '?');
  switch (code) {
    case 'PAGES_TRUNCATED':
      return {
        code,
        params,
        message: {
          'zh-CN': `PDF 共 ${p('pages')} 页，只识别了前 ${p('read')} 页`,
          en: `the PDF has ${p('pages')} pages; only the first ${p('read')} were read`,
        },
      };
    case 'TYPE_MISMATCH':
      return {
        code,
        params,
        message: {
          'zh-CN': `文件扩展名是 .${p('claimed')}，内容却是 ${p('actual').toUpperCase()}；已按内容识别`,
          en: `the name ends in .${p('claimed')} but the file is a ${p('actual').toUpperCase()}; it was read as what it is`,
        },
      };
    case 'IMAGE_DOWNSCALED':
      return {
        code,
        params,
        message: {
          'zh-CN': `图片 ${p('width')} × ${p('height')} 较大，已缩小后识别`,
          en: `the ${p('width')} × ${p('height')} image was scaled down before reading`,
        },
      };
    case 'ORIENTATION_UNCERTAIN':
      return {
        code,
        params,
        message: {
          'zh-CN': `第 ${p('page')} 页无论朝哪个方向都识别不清，请人工核对`,
          en: `page ${p('page')} reads poorly in every orientation; check it by eye`,
        },
      };
    case 'CACHE_UNAVAILABLE':
      return {
        code,
        params,
        message: {
          'zh-CN': '识别结果缓存不可用（不影响本次识别）',
          en: 'the result cache is unavailable (this run is not affected)',
        },
      };
  }
}

/** Confidence-weighted characters of a reading: how well an orientation reads. */
function readingQuality(recognition: Recognition): { characters: number; confidence: number } {
  let characters = 0;
  let weighted = 0;
  for (const word of recognition.words) {
    // Count letters, digits and Chinese characters only: noise reads as punctuation.
    const count = Array.from(word.text).filter((ch) => /[\p{L}\p{N}]/u.test(ch)).length;
    characters += count;
    weighted += count * word.confidence;
  }
  return { characters, confidence: characters === 0 ? 0 : weighted / characters };
}

function orientationScore(recognition: Recognition): number {
  const { characters, confidence } = readingQuality(recognition);
  return characters * confidence * confidence;
}

/** Runs `body` over `items` with at most `limit` in flight; results in input order. */
async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  body: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      const item = items[index] as T;
      results[index] = await body(item, index);
    }
  });
  await Promise.all(lanes);
  return results;
}

function documentText(pages: readonly OcrPage[]): string {
  return pages.map((page) => normalizeOcrText(page.text)).join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// The pipeline

/**
 * Which waiting reading a worker takes first (`RecognizeOptions.priority`): readings that
 * continue a page already read (orientation turns, second readings of fields) before first
 * readings, so a started page finishes; among first readings, portrait images first, since
 * they are the likeliest to be sideways documents whose search costs up to three more
 * readings. Longest-expected first: the pool's workers then finish together instead of one
 * searching a page alone at the end (issue 13's pool figure: 1.72x → see docs/performance.md).
 */
const READING_PRIORITY = { continuation: 2, likelySideways: 1, first: 0 } as const;

/** A pipeline over an injected runtime; `limits` override the defaults one by one. */
export function createOcrPipeline<I extends OcrImage>(
  runtime: OcrRuntime<I>,
  limits: Partial<OcrLimits> = {},
): OcrPipeline {
  const settings: OcrLimits = { ...DEFAULT_OCR_LIMITS, ...limits };
  const languages = [...runtime.languages];

  async function readCache(sha256: string, warnings: OcrWarning[]): Promise<CacheEntry | null> {
    if (runtime.cache === undefined) {
      return null;
    }
    try {
      const parsed = cacheEntrySchema.safeParse(await runtime.cache.get(sha256));
      if (!parsed.success || parsed.data.languages.join('+') !== languages.join('+')) {
        return null;
      }
      return parsed.data;
    } catch {
      warnings.push(warning('CACHE_UNAVAILABLE'));
      return null;
    }
  }

  async function writeCache(sha256: string, entry: CacheEntry, warnings: OcrWarning[]) {
    if (runtime.cache === undefined) {
      return;
    }
    try {
      await runtime.cache.set(sha256, entry);
    } catch {
      warnings.push(warning('CACHE_UNAVAILABLE'));
    }
  }

  async function process(
    bytes: Uint8Array,
    options: ProcessOptions = {},
  ): Promise<OcrDocumentResult> {
    const { signal, name } = options;
    let fraction = 0;
    const progress = (stage: OcrStage, value: number, page?: number, pages?: number) => {
      fraction = Math.max(fraction, Math.min(1, value));
      options.onProgress?.({
        stage,
        fraction,
        ...(page === undefined ? {} : { page }),
        ...(pages === undefined ? {} : { pages }),
      });
    };
    throwIfAborted(signal);

    // ── What is it? ────────────────────────────────────────────────────────────────────────
    if (bytes.length === 0) {
      throw new OcrError('EMPTY_FILE');
    }
    if (bytes.length > settings.maxFileBytes) {
      throw new OcrError('FILE_TOO_LARGE', {
        megabytes: (bytes.length / 1048576).toFixed(1),
        maxMegabytes: (settings.maxFileBytes / 1048576).toFixed(0),
      });
    }
    const claimed = name === undefined ? undefined : /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1];
    const sniffed = sniffFileType(bytes);
    if (!sniffed.supported) {
      throw new OcrError('UNSUPPORTED_TYPE', {
        detected: sniffed.detected.en,
        detectedZh: sniffed.detected['zh-CN'],
        ...(claimed === undefined ? {} : { claimed: claimed.toLowerCase() }),
      });
    }
    const fileType = sniffed.type;
    const warnings: OcrWarning[] = [];
    const promised = name === undefined ? undefined : typeOfExtension(name);
    if (promised !== undefined && promised !== fileType && claimed !== undefined) {
      warnings.push(warning('TYPE_MISMATCH', { claimed: claimed.toLowerCase(), actual: fileType }));
    }

    // ── Cache ──────────────────────────────────────────────────────────────────────────────
    progress('hashing', 0.01);
    const sha256 = await raceAbort(runtime.sha256(bytes), signal);
    const cached = options.refresh === true ? null : await readCache(sha256, warnings);
    throwIfAborted(signal);
    if (cached !== null) {
      progress('cache_hit', 0.95);
      const result = finish(sha256, cached, [...warnings, ...cached.warnings], true);
      progress('done', 1);
      return result;
    }

    // ── Read ───────────────────────────────────────────────────────────────────────────────
    const fileWarnings: OcrWarning[] = [];
    const read =
      fileType === 'pdf'
        ? await readPdf(bytes, fileWarnings, progress, signal)
        : await readImage(bytes, fileType, fileWarnings, progress, signal);
    progress('extracting', 0.96);
    const rereads = await reread(read, signal);
    const entry: CacheEntry = {
      version: OCR_CACHE_VERSION,
      languages,
      fileType,
      pageCount: read.pageCount,
      pages: read.pages.map((page) => ({
        ...page,
        words: [...page.words],
        lines: [...page.lines],
      })),
      warnings: fileWarnings,
      rereads,
    };
    throwIfAborted(signal);
    await writeCache(sha256, entry, warnings);
    const result = finish(sha256, entry, [...warnings, ...fileWarnings], false);
    progress('done', 1);
    return result;

    function finish(
      hash: string,
      data: CacheEntry,
      allWarnings: readonly OcrWarning[],
      fromCache: boolean,
    ): OcrDocumentResult {
      const pages = data.pages as OcrPage[];
      const text = documentText(pages);
      const extraction = extractDocument({ pages, text, rereads: data.rereads });
      return {
        sha256: hash,
        ...(name === undefined ? {} : { name }),
        fileType: data.fileType,
        pageCount: data.pageCount,
        pages,
        text,
        kind: extraction.kind,
        fields: extraction.fields,
        warnings: allWarnings,
        fromCache,
        languages,
      };
    }
  }

  type Progress = (stage: OcrStage, value: number, page?: number, pages?: number) => void;
  interface PagesRead {
    readonly pageCount: number;
    readonly pages: OcrPage[];
    /** The page images, kept for second readings. */
    readonly images: I[];
  }

  /**
   * Second readings of fields whose first reading fails its rule (see `rereadRequests`). A
   * failed second reading is ignored: it can only improve on the first.
   */
  async function reread(read: PagesRead, signal: OcrAbortSignal | undefined): Promise<Reread[]> {
    const text = documentText(read.pages);
    const requests = rereadRequests(extractDocument({ pages: read.pages, text }), read.pages);
    const rereads: Reread[] = [];
    for (const request of requests) {
      const image = read.images[request.page];
      const page = read.pages[request.page];
      if (image === undefined || page === undefined) {
        continue;
      }
      try {
        const recognition = await withDeadline(
          (stepSignal) =>
            runtime.recognizer.recognize(image, {
              signal: stepSignal,
              rotate: page.orientation,
              region: request.box,
              characters: request.characters,
              priority: READING_PRIORITY.continuation,
            }),
          {
            signal,
            timers: runtime.timers,
            ms: settings.recognizeTimeoutMs,
            what: `reading the ${request.field} again`,
          },
        );
        rereads.push({ ...request, text: recognition.text, confidence: recognition.confidence });
      } catch (error) {
        throwIfAborted(signal);
        if (error instanceof OcrError && error.code === 'CANCELLED') {
          throw error;
        }
      }
    }
    return rereads;
  }

  async function readImage(
    bytes: Uint8Array,
    type: Exclude<OcrFileType, 'pdf'>,
    warnings: OcrWarning[],
    progress: Progress,
    signal: OcrAbortSignal | undefined,
  ): Promise<PagesRead> {
    const { width, height } = readImageDimensions(bytes, type);
    const pixels = width * height;
    if (pixels > settings.maxImagePixels) {
      throw new OcrError('IMAGE_TOO_LARGE', {
        width,
        height,
        megapixels: Math.round(pixels / 100_000) / 10,
        maxMegapixels: Math.round(settings.maxImagePixels / 100_000) / 10,
      });
    }
    progress('opening', 0.03, 1, 1);
    const image = await withDeadline(
      (stepSignal) =>
        runtime.images.decode(bytes, {
          type,
          width,
          height,
          maxPixels: settings.pagePixelBudget,
          signal: stepSignal,
        }),
      { signal, timers: runtime.timers, ms: settings.renderTimeoutMs, what: 'decoding the image' },
    );
    if (image.width * image.height < pixels) {
      warnings.push(warning('IMAGE_DOWNSCALED', { width, height }));
    }
    const scale = image.width / width;
    const page = await readPage(
      image,
      0,
      scale,
      warnings,
      (value) => {
        progress('recognizing', 0.05 + 0.9 * value, 1, 1);
      },
      signal,
    );
    return { pageCount: 1, pages: [page], images: [image] };
  }

  async function readPdf(
    bytes: Uint8Array,
    warnings: OcrWarning[],
    progress: Progress,
    signal: OcrAbortSignal | undefined,
  ): Promise<PagesRead> {
    progress('opening', 0.02);
    const document = await withDeadline(
      async (stepSignal) => {
        try {
          return await runtime.pdf.open(bytes, { signal: stepSignal });
        } catch (error) {
          throw error instanceof OcrError
            ? error
            : new OcrError('CORRUPT_PDF', { detail: String(error) }, { cause: error });
        }
      },
      { signal, timers: runtime.timers, ms: settings.openTimeoutMs, what: 'opening the PDF' },
    );
    try {
      const pageCount = document.pageCount;
      if (pageCount > settings.maxPdfPages) {
        throw new OcrError('TOO_MANY_PAGES', { pages: pageCount, maxPages: settings.maxPdfPages });
      }
      if (pageCount === 0) {
        throw new OcrError('CORRUPT_PDF', { detail: 'no pages' });
      }
      const toRead = Math.min(pageCount, settings.maxPagesRead);
      if (toRead < pageCount) {
        warnings.push(warning('PAGES_TRUNCATED', { pages: pageCount, read: toRead }));
      }
      const done = new Array<number>(toRead).fill(0);
      const report = (index: number, value: number, stage: OcrStage) => {
        done[index] = value;
        const total = done.reduce((sum, part) => sum + part, 0) / toRead;
        progress(stage, 0.05 + 0.9 * total, index + 1, toRead);
      };
      const images: I[] = [];
      const pages = await mapConcurrent(
        Array.from({ length: toRead }, (_, index) => index),
        settings.pageConcurrency,
        async (index) => {
          throwIfAborted(signal);
          report(index, 0, 'rendering');
          const scale = await pageScale(document, index, signal);
          const image = await withDeadline(
            (stepSignal) => document.renderPage(index, scale, { signal: stepSignal }),
            {
              signal,
              timers: runtime.timers,
              ms: settings.renderTimeoutMs,
              what: `rendering page ${index + 1}`,
            },
          );
          images[index] = image;
          report(index, 0.1, 'recognizing');
          return readPage(
            image,
            index,
            scale,
            warnings,
            (value) => {
              report(index, 0.1 + 0.9 * value, 'recognizing');
            },
            signal,
          );
        },
      );
      return { pageCount, pages, images };
    } finally {
      await document.close().catch(() => undefined);
    }
  }

  /** Pixels per point for a page: 300 dpi, or a scan's own resolution, within the budget. */
  async function pageScale(
    document: PdfDocumentHandle<I>,
    index: number,
    signal: OcrAbortSignal | undefined,
  ): Promise<number> {
    const info = await withDeadline(
      (stepSignal) => document.pageInfo(index, { signal: stepSignal }),
      {
        signal,
        timers: runtime.timers,
        ms: settings.renderTimeoutMs,
        what: `reading page ${index + 1}`,
      },
    );
    const minScale = settings.minDpi / 72;
    const maxScale = settings.targetDpi / 72;
    let scale =
      info.imageScale === undefined
        ? maxScale
        : Math.min(maxScale, Math.max(minScale, info.imageScale));
    const area = Math.max(1, info.width * info.height);
    const budgetScale = Math.sqrt(settings.pagePixelBudget / area);
    scale = Math.min(scale, budgetScale);
    return scale;
  }

  /**
   * Which way the page's text lines run, when the runtime can hand its pixels over; a failure
   * here only costs the hint, never the page.
   */
  async function lineDirectionOf(image: I): Promise<LineDirection> {
    if (runtime.images.grey === undefined) {
      return 'unknown';
    }
    try {
      return textLineDirection(await runtime.images.grey(image, { maxSide: LAYOUT_MAX_SIDE }))
        .direction;
    } catch {
      return 'unknown';
    }
  }

  /** Reads one page image, searching the orientation when the recognizer does not detect it. */
  async function readPage(
    image: I,
    index: number,
    scale: number,
    warnings: OcrWarning[],
    onProgress: (fraction: number) => void,
    signal: OcrAbortSignal | undefined,
  ): Promise<OcrPage> {
    const recognize = (rotate: Orientation, share: [number, number], priority: number) =>
      withDeadline(
        (stepSignal) =>
          runtime.recognizer.recognize(image, {
            signal: stepSignal,
            rotate,
            priority,
            onProgress: (value) => {
              onProgress(share[0] + (share[1] - share[0]) * value);
            },
          }),
        {
          signal,
          timers: runtime.timers,
          ms: settings.recognizeTimeoutMs,
          what: `reading page ${index + 1}`,
        },
      );
    const acceptable = (recognition: Recognition) => {
      const quality = readingQuality(recognition);
      return (
        quality.characters >= settings.orientationMinCharacters &&
        quality.confidence >= settings.orientationMinConfidence
      );
    };
    // Waves of equally likely turns, the likeliest first. A page whose text lines run
    // vertically (layout.ts) lies on its side: its quarter turns are read first and the upright
    // reading, which would be garbage, only if they fail. Otherwise the page is read as it is,
    // and then, documents being mostly landscape, the turns that make it landscape (180° for a
    // landscape image, 90° and 270° for a portrait one), the others last.
    const sideways = (await lineDirectionOf(image)) === 'vertical';
    const portrait = image.height > image.width;
    const waves: Orientation[][] = sideways
      ? [[90, 270], [0], [180]]
      : portrait
        ? [[0], [90, 270], [180]]
        : [[0], [180], [90, 270]];
    const attempts = waves.flat();
    const firstPriority =
      sideways || portrait ? READING_PRIORITY.likelySideways : READING_PRIORITY.first;
    let best: { recognition: Recognition; orientation: Orientation } | undefined;
    // An object, not a `let`: it is set inside the lanes below.
    const search = { found: false };
    for (const [waveIndex, wave] of waves.entries()) {
      // The turns of one wave are equally likely: with room in the pool they are read at the
      // same time (a sideways page then costs one reading's time, not two), one after the
      // other otherwise, stopping at the first acceptable reading.
      const readings = new Array<Recognition | undefined>(wave.length);
      await mapConcurrent(wave, settings.pageConcurrency, async (rotate, position) => {
        if (search.found) {
          return;
        }
        const attempt = attempts.indexOf(rotate);
        const share: [number, number] =
          attempt === 0 ? [0, 1] : [attempt / attempts.length, (attempt + 1) / attempts.length];
        const recognition = await recognize(
          rotate,
          share,
          waveIndex === 0 ? firstPriority : READING_PRIORITY.continuation,
        );
        readings[position] = recognition;
        // A recognizer that detects the orientation itself (OSD) is trusted: no search.
        if (recognition.orientation !== undefined || acceptable(recognition)) {
          search.found = true;
        }
      });
      for (const [position, recognition] of readings.entries()) {
        const rotate = wave[position];
        if (recognition === undefined || rotate === undefined) {
          continue;
        }
        if (recognition.orientation !== undefined) {
          best = { recognition, orientation: recognition.orientation };
          break;
        }
        if (
          best === undefined ||
          orientationScore(recognition) > orientationScore(best.recognition)
        ) {
          best = { recognition, orientation: rotate };
        }
      }
      if (search.found) {
        break;
      }
    }
    if (best === undefined) {
      // The first wave always reads (nothing is found before it).
      throw new OcrError('ENGINE_FAILED', { detail: `page ${index + 1} was not read` });
    }
    if (!search.found && readingQuality(best.recognition).characters > 0) {
      warnings.push(warning('ORIENTATION_UNCERTAIN', { page: index + 1 }));
    }
    onProgress(1);
    const { recognition, orientation } = best;
    return {
      index,
      words: recognition.words,
      lines: recognition.lines,
      text: recognition.text,
      confidence: recognition.confidence,
      width: recognition.width,
      height: recognition.height,
      orientation,
      ...(recognition.skewDegrees === undefined ? {} : { skewDegrees: recognition.skewDegrees }),
      scale,
    };
  }

  return { process, limits: settings };
}
