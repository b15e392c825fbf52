import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createOcrPipeline,
  type GreyImage,
  OCR_CACHE_VERSION,
  OcrError,
  type OcrImage,
  type OcrLimits,
  type OcrProgress,
  type OcrRuntime,
  type Orientation,
  type PdfPageInfo,
  type Recognition,
  type RecognizeOptions,
} from '../../../shared/ocr/index';
import { certificateRows, licenceRows, page, type Row } from './support';
import { pngHeader } from './pngHeader';

interface FakeImage extends OcrImage {
  readonly label: string;
}

function recognition(rows: readonly Row[], width = 1800, height = 1300): Recognition {
  const { words, lines } = page(rows);
  return {
    words,
    lines,
    text: lines.map((line) => line.text).join('\n'),
    confidence: 0.9,
    width,
    height,
  };
}

const GARBAGE: Recognition = {
  ...recognition([{ y: 10, cells: [{ x: 10, text: '口', confidence: 0.2 }] }]),
  confidence: 0.2,
};

/** A fake PDF: the header, then `pages=N` and optional `scan=S` (the scan's image scale). */
function fakePdf(pages: number, options: { scan?: number; width?: number; height?: number } = {}) {
  return new TextEncoder().encode(
    `%PDF-1.7 pages=${pages} scan=${options.scan ?? ''} size=${options.width ?? 842}x${options.height ?? 595} `,
  );
}

interface Fake {
  runtime: OcrRuntime<FakeImage>;
  readonly recognized: { label: string; rotate: Orientation; region: boolean }[];
  readonly rendered: { index: number; scale: number }[];
  readonly decoded: number[];
  readonly cache: Map<string, unknown>;
  closed: number;
}

function fake(
  read: (image: FakeImage, options: RecognizeOptions) => Promise<Recognition> | Recognition = () =>
    recognition(licenceRows()),
  extra: Partial<OcrRuntime<FakeImage>> = {},
): Fake {
  const state: Fake = {
    recognized: [],
    rendered: [],
    decoded: [],
    cache: new Map(),
    closed: 0,
    runtime: undefined as unknown as OcrRuntime<FakeImage>,
  };
  const runtime: OcrRuntime<FakeImage> = {
    languages: ['chi_sim'],
    sha256: (bytes) => Promise.resolve(createHash('sha256').update(bytes).digest('hex')),
    cache: {
      get: (key) => Promise.resolve(state.cache.get(key)),
      set: (key, value) => {
        state.cache.set(key, structuredClone(value));
        return Promise.resolve();
      },
    },
    timers: {
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => {
        clearTimeout(handle as ReturnType<typeof setTimeout>);
      },
    },
    recognizer: {
      recognize: async (image, options) => {
        state.recognized.push({
          label: image.label,
          rotate: options.rotate ?? 0,
          region: options.region !== undefined,
        });
        options.onProgress?.(0.5);
        return read(image, options);
      },
    },
    images: {
      decode: (_bytes, options) => {
        state.decoded.push(options.width * options.height);
        const scale = Math.min(1, Math.sqrt(options.maxPixels / (options.width * options.height)));
        return Promise.resolve({
          label: 'image',
          width: Math.round(options.width * scale),
          height: Math.round(options.height * scale),
        });
      },
    },
    pdf: {
      open: (bytes) => {
        const text = new TextDecoder().decode(bytes);
        const pages = Number(/pages=(\d+)/.exec(text)?.[1] ?? 0);
        const scan = /scan=([\d.]+)/.exec(text)?.[1];
        const [width = 842, height = 595] = (/size=(\d+)x(\d+)/.exec(text) ?? [])
          .slice(1)
          .map(Number);
        return Promise.resolve({
          pageCount: pages,
          pageInfo: (): Promise<PdfPageInfo> =>
            Promise.resolve({
              width,
              height,
              ...(scan === undefined ? {} : { imageScale: Number(scan) }),
            }),
          renderPage: (index, scale) => {
            state.rendered.push({ index, scale });
            return Promise.resolve({
              label: `page${index}`,
              width: Math.round(width * scale),
              height: Math.round(height * scale),
            });
          },
          close: () => {
            state.closed += 1;
            return Promise.resolve();
          },
        });
      },
    },
    ...extra,
  };
  state.runtime = runtime;
  return state;
}

/** A grey page of dark bars, like text lines running one way (see shared/ocr/layout.ts). */
function stripes(direction: 'horizontal' | 'vertical'): GreyImage {
  const size = 400;
  const pixels = new Uint8Array(size * size).fill(250);
  for (let a = 0; a < size; a += 1) {
    for (let b = 0; b < size; b += 1) {
      // Bars 10 px thick every 30 px, broken into 10-px "characters" along the line.
      if (a % 30 < 10 && b % 14 < 10) {
        pixels[direction === 'horizontal' ? a * size + b : b * size + a] = 20;
      }
    }
  }
  return { width: size, height: size, pixels };
}

function pipelineOf(state: Fake, limits: Partial<OcrLimits> = {}) {
  return createOcrPipeline(state.runtime, limits);
}

describe('pipeline: what may be read', () => {
  it('refuses empty files, too large files and bytes of another kind', async () => {
    const pipeline = pipelineOf(fake(), { maxFileBytes: 100 });
    await expect(pipeline.process(new Uint8Array())).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    await expect(pipeline.process(new Uint8Array(101))).rejects.toMatchObject({
      code: 'FILE_TOO_LARGE',
    });
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    const error = await pipeline.process(zip, { name: 'licence.pdf' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OcrError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_TYPE', params: { claimed: 'pdf' } });
    expect((error as Error).message).toMatch(/ZIP archive.*\.pdf/);
  });

  it('refuses a 100-megapixel image from its header, without decoding it', async () => {
    const state = fake();
    await expect(pipelineOf(state).process(pngHeader(10_000, 10_000))).rejects.toMatchObject({
      code: 'IMAGE_TOO_LARGE',
      params: { width: 10_000, height: 10_000, megapixels: 100 },
    });
    expect(state.decoded).toEqual([]);
    expect(state.recognized).toEqual([]);
  });

  it('scales a large image down to the pixel budget and says so', async () => {
    const state = fake();
    const result = await pipelineOf(state).process(pngHeader(6000, 4000));
    expect(result.warnings.map((w) => w.code)).toEqual(['IMAGE_DOWNSCALED']);
    expect(result.pages[0]?.scale).toBeCloseTo(Math.sqrt(12_000_000 / 24_000_000), 2);
  });

  it('trusts the bytes over the extension, with a warning', async () => {
    const result = await pipelineOf(fake()).process(pngHeader(1800, 1300), { name: 'scan.JPG' });
    expect(result.fileType).toBe('png');
    expect(result.warnings).toMatchObject([
      { code: 'TYPE_MISMATCH', params: { claimed: 'jpg', actual: 'png' } },
    ]);
  });
});

describe('pipeline: reading', () => {
  it('reads an image into fields with provenance', async () => {
    const result = await pipelineOf(fake()).process(pngHeader(1800, 1300), { name: 'a.png' });
    expect(result).toMatchObject({
      name: 'a.png',
      fileType: 'png',
      pageCount: 1,
      kind: 'business_licence',
      fromCache: false,
      languages: ['chi_sim'],
      warnings: [],
    });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.fields.creditCode?.value).toBe('91330106MA2B5K80X3');
    expect(result.pages[0]).toMatchObject({ index: 0, orientation: 0, scale: 1 });
    expect(result.text).toContain('营业执照');
  });

  it('refuses PDFs with too many pages after reading only the page count', async () => {
    const state = fake();
    await expect(pipelineOf(state).process(fakePdf(300))).rejects.toMatchObject({
      code: 'TOO_MANY_PAGES',
      params: { pages: 300, maxPages: 100 },
    });
    expect(state.rendered).toEqual([]);
    expect(state.closed).toBe(1);
  });

  it('reads the first pages of a longer PDF and says so', async () => {
    const state = fake();
    const result = await pipelineOf(state).process(fakePdf(7));
    expect(result.pageCount).toBe(7);
    expect(result.pages.map((p) => p.index)).toEqual([0, 1, 2, 3, 4]);
    expect(result.warnings).toMatchObject([{ code: 'PAGES_TRUNCATED', params: { read: 5 } }]);
  });

  it('renders at 300 dpi within the pixel budget, and scans at their own resolution', async () => {
    const state = fake();
    const pipeline = pipelineOf(state);
    await pipeline.process(fakePdf(1));
    await pipeline.process(fakePdf(1, { width: 1191, height: 842 }));
    await pipeline.process(fakePdf(1, { scan: 2.23 }));
    await pipeline.process(fakePdf(1, { scan: 0.5 }));
    const scales = state.rendered.map((r) => Math.round(r.scale * 1000) / 1000);
    expect(scales).toEqual([
      Math.round((300 / 72) * 1000) / 1000,
      Math.round(Math.sqrt(12_000_000 / (1191 * 842)) * 1000) / 1000,
      2.23,
      Math.round((150 / 72) * 1000) / 1000,
    ]);
  });

  it('maps PDF failures to CORRUPT_PDF and passes ENCRYPTED_PDF through', async () => {
    const broken = fake(undefined, {
      pdf: { open: () => Promise.reject(new Error('Invalid PDF structure.')) },
    });
    await expect(pipelineOf(broken).process(fakePdf(1))).rejects.toMatchObject({
      code: 'CORRUPT_PDF',
      params: { detail: 'Error: Invalid PDF structure.' },
    });
    const locked = fake(undefined, {
      pdf: { open: () => Promise.reject(new OcrError('ENCRYPTED_PDF')) },
    });
    await expect(pipelineOf(locked).process(fakePdf(1))).rejects.toMatchObject({
      code: 'ENCRYPTED_PDF',
    });
  });

  it('turns an upside-down page until it reads well', async () => {
    const state = fake((_image, options) =>
      options.rotate === 180 ? recognition(certificateRows()) : GARBAGE,
    );
    const result = await pipelineOf(state).process(pngHeader(1800, 1300));
    expect(state.recognized.map((r) => r.rotate)).toEqual([0, 180]);
    expect(result.pages[0]?.orientation).toBe(180);
    expect(result.kind).toBe('tutor_certificate');
    expect(result.warnings).toEqual([]);
  });

  it('tries quarter turns first for portrait images and keeps the best reading', async () => {
    const state = fake(() => GARBAGE);
    const result = await pipelineOf(state).process(pngHeader(1300, 1800));
    expect(state.recognized.map((r) => r.rotate)).toEqual([0, 90, 270, 180]);
    expect(result.warnings.map((w) => w.code)).toEqual(['ORIENTATION_UNCERTAIN']);
  });

  it('reads both quarter turns of a sideways page at the same time when two readings may run', async () => {
    let running = 0;
    let peak = 0;
    const state = fake(async (_image, options) => {
      running += 1;
      peak = Math.max(peak, running);
      // Let the other turn start before this one answers.
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return options.rotate === 270 ? recognition(certificateRows()) : GARBAGE;
    });
    const result = await pipelineOf(state, { pageConcurrency: 2 }).process(pngHeader(1300, 1800));
    expect(state.recognized.map((r) => r.rotate)).toEqual([0, 90, 270]);
    expect(peak).toBe(2);
    expect(result.pages[0]?.orientation).toBe(270);
    expect(result.warnings).toEqual([]);
  });

  it('reads a page whose text lines run vertically on its sides first, never upright if a turn reads well', async () => {
    const state = fake((_image, options) =>
      options.rotate === 270 ? recognition(certificateRows()) : GARBAGE,
    );
    const asked: number[] = [];
    state.runtime = {
      ...state.runtime,
      images: {
        ...state.runtime.images,
        grey: (_image, options) => {
          asked.push(options.maxSide);
          return Promise.resolve(stripes('vertical'));
        },
      },
    };
    const result = await pipelineOf(state, { pageConcurrency: 1 }).process(pngHeader(1300, 1800));
    expect(asked).toEqual([600]);
    expect(state.recognized.map((r) => r.rotate)).toEqual([90, 270]);
    expect(result.pages[0]?.orientation).toBe(270);
    expect(result.warnings).toEqual([]);
  });

  it('falls back to the upright reading when no quarter turn of a "vertical" page reads well', async () => {
    const state = fake((_image, options) =>
      options.rotate === 0 ? recognition(certificateRows()) : GARBAGE,
    );
    state.runtime = {
      ...state.runtime,
      images: { ...state.runtime.images, grey: () => Promise.resolve(stripes('vertical')) },
    };
    const result = await pipelineOf(state, { pageConcurrency: 2 }).process(pngHeader(1800, 1300));
    expect(state.recognized.map((r) => r.rotate)).toEqual([90, 270, 0]);
    expect(result.pages[0]?.orientation).toBe(0);
  });

  it('reads a horizontal page once, and ignores a layout check that fails', async () => {
    for (const grey of [
      () => Promise.resolve(stripes('horizontal')),
      () => Promise.reject(new Error('no canvas')),
    ]) {
      const state = fake(() => recognition(certificateRows()));
      state.runtime = { ...state.runtime, images: { ...state.runtime.images, grey } };
      const result = await pipelineOf(state).process(pngHeader(1300, 1800));
      expect(state.recognized.map((r) => r.rotate)).toEqual([0]);
      expect(result.pages[0]?.orientation).toBe(0);
    }
  });

  it('reading one turn at a time, stops at the first turn that reads well', async () => {
    let running = 0;
    let peak = 0;
    const state = fake(async (_image, options) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return options.rotate === 90 ? recognition(certificateRows()) : GARBAGE;
    });
    const result = await pipelineOf(state, { pageConcurrency: 1 }).process(pngHeader(1300, 1800));
    expect(state.recognized.map((r) => r.rotate)).toEqual([0, 90]);
    expect(peak).toBe(1);
    expect(result.pages[0]?.orientation).toBe(90);
  });

  it('trusts a recognizer that detects orientation itself', async () => {
    const state = fake(() => ({ ...GARBAGE, orientation: 90 }));
    const result = await pipelineOf(state).process(pngHeader(1800, 1300));
    expect(state.recognized).toHaveLength(1);
    expect(result.pages[0]?.orientation).toBe(90);
  });

  it('reads an invalid credit code again from its box and keeps a valid second reading', async () => {
    const state = fake((_image, options) =>
      options.region === undefined
        ? recognition(licenceRows({ code: '91330106MA2zB5ksox3' }))
        : { ...GARBAGE, text: '91330106MA2B5K80X3', confidence: 0.88 },
    );
    const pipeline = pipelineOf(state);
    const result = await pipeline.process(pngHeader(1800, 1300));
    expect(state.recognized.map((r) => r.region)).toEqual([false, true]);
    expect(result.fields.creditCode).toMatchObject({ value: '91330106MA2B5K80X3', repaired: true });
    // The second reading is cached with the page.
    const again = await pipeline.process(pngHeader(1800, 1300));
    expect(again.fromCache).toBe(true);
    expect(again.fields.creditCode?.value).toBe('91330106MA2B5K80X3');
    expect(state.recognized).toHaveLength(2);
  });
});

describe('pipeline: cache', () => {
  it('reuses results by SHA-256 unless asked to refresh', async () => {
    const state = fake();
    const pipeline = pipelineOf(state);
    const bytes = pngHeader(1800, 1300);
    const first = await pipeline.process(bytes);
    const second = await pipeline.process(bytes, { name: 'again.png' });
    expect(second.fromCache).toBe(true);
    expect(second.name).toBe('again.png');
    expect(second.fields).toEqual(first.fields);
    expect(state.recognized).toHaveLength(1);
    await pipeline.process(bytes, { refresh: true });
    expect(state.recognized).toHaveLength(2);
  });

  it('treats entries of another version, other languages or garbage as misses', async () => {
    const state = fake();
    const pipeline = pipelineOf(state);
    const bytes = pngHeader(1800, 1300);
    const { sha256 } = await pipeline.process(bytes);
    const entry = state.cache.get(sha256) as Record<string, unknown>;
    for (const bad of [
      { ...entry, version: OCR_CACHE_VERSION + 1 },
      { ...entry, languages: ['eng'] },
      { ...entry, pages: 'nope' },
      'garbage',
    ]) {
      state.cache.set(sha256, bad);
      expect((await pipeline.process(bytes)).fromCache).toBe(false);
    }
  });

  it('goes on without a cache that fails', async () => {
    const state = fake(undefined, {
      cache: {
        get: () => Promise.reject(new Error('disk full')),
        set: () => Promise.reject(new Error('disk full')),
      },
    });
    const result = await pipelineOf(state).process(pngHeader(1800, 1300));
    expect(result.kind).toBe('business_licence');
    expect(result.warnings.map((w) => w.code)).toEqual(['CACHE_UNAVAILABLE', 'CACHE_UNAVAILABLE']);
  });
});

describe('pipeline: cancellation, deadlines, progress', () => {
  it('stops at once when cancelled while reading, and tells the recognizer', async () => {
    let signalSeen: RecognizeOptions['signal'];
    const state = fake((_image, options) => {
      signalSeen = options.signal;
      return new Promise<Recognition>(() => undefined);
    });
    const controller = new AbortController();
    const job = pipelineOf(state).process(pngHeader(1800, 1300), { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    controller.abort();
    await expect(job).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - started).toBeLessThan(100);
    expect(signalSeen?.aborted).toBe(true);
  });

  it('does not start when already cancelled', async () => {
    const state = fake();
    const controller = new AbortController();
    controller.abort();
    await expect(
      pipelineOf(state).process(pngHeader(1800, 1300), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(state.recognized).toEqual([]);
  });

  it('gives up on a step that takes too long', async () => {
    const state = fake(() => new Promise<Recognition>(() => undefined));
    await expect(
      pipelineOf(state, { recognizeTimeoutMs: 30 }).process(pngHeader(1800, 1300)),
    ).rejects.toMatchObject({ code: 'TIMEOUT', params: { step: 'reading page 1' } });
  });

  it('reports progress that only goes up and ends at 1', async () => {
    const events: OcrProgress[] = [];
    await pipelineOf(fake()).process(fakePdf(2), {
      onProgress: (event) => events.push(event),
    });
    const fractions = events.map((event) => event.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(events.at(-1)).toEqual({ stage: 'done', fraction: 1 });
    expect(events.map((event) => event.stage)).toEqual(
      expect.arrayContaining(['hashing', 'opening', 'rendering', 'recognizing', 'extracting']),
    );
    expect(events.filter((event) => event.pages === 2).map((event) => event.page)).toContain(2);
  });
});
