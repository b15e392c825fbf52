/**
 * OCR speed for `npm run bench` (issue 7): on the same fixture images in the same run,
 *
 *   engine   — one tesseract.js worker (`chi_sim`, warm) recognising a page, against the
 *              native `tesseract` command with `-l chi_sim` on the same file (Debian
 *              `tesseract-ocr` + `tesseract-ocr-chi-sim`, OMP_THREAD_LIMIT=1, one process per
 *              page as a user would run it, so its model loading is included);
 *   pipeline — our whole pipeline per page with its default models (`chi_sim_400` + `chi_sim`,
 *              see shared/ocr/traineddata.ts), orientation search, deskew, second readings of
 *              closed fields and extraction; one worker, no result cache;
 *   pool     — the pipeline's throughput over all the pages with the default pool
 *              (min(cores, 2) workers) against one worker.
 *
 * Printed as times per page and ratios; never asserted. When native tesseract (or its chi_sim
 * data) is missing, says so and still prints our own numbers.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeOcrRuntime, defaultWorkerCount } from '../cli/ocr/nodeRuntime';
import { createOcrPipeline, readImageDimensions, sniffFileType } from '../shared/ocr/index';
import { benchFigure, type BenchFigure } from './benchFigures';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(projectRoot, 'test', 'fixtures', 'ocr');

export interface OcrBenchOptions {
  /** How many fixture images (clean and scan-like alternately); default 6. */
  readonly pages?: number;
}

interface Page {
  readonly name: string;
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

function fixturePages(count: number): Page[] {
  const names = readdirSync(FIXTURES)
    .filter((name) => /\.(png|jpe?g)$/.test(name))
    .sort();
  const clean = names.filter((name) => !name.includes('-scan'));
  const scan = names.filter((name) => name.includes('-scan'));
  const picked: string[] = [];
  for (let index = 0; picked.length < Math.min(count, names.length); index += 1) {
    const from = index % 2 === 0 ? clean : scan;
    const name = from[Math.floor(index / 2)];
    if (name !== undefined) {
      picked.push(name);
    } else if (index > 2 * names.length) {
      break;
    }
  }
  return picked.map((name) => {
    const path = join(FIXTURES, name);
    const bytes = new Uint8Array(readFileSync(path));
    const sniffed = sniffFileType(bytes);
    if (!sniffed.supported || sniffed.type === 'pdf') {
      throw new Error(`${name}: not an image`);
    }
    return { name, path, bytes, ...readImageDimensions(bytes, sniffed.type) };
  });
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en-US')} ms`;
const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}x`;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Why native tesseract cannot be compared, or null when it can. */
function nativeProblem(): string | null {
  const version = spawnSync('tesseract', ['--version'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0) {
    return 'the `tesseract` command is not installed';
  }
  const langs = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8' });
  const list = `${langs.stdout}\n${langs.stderr}`;
  if (!/^chi_sim$/m.test(list)) {
    return 'native tesseract has no chi_sim language data';
  }
  return null;
}

function nativeVersion(): string {
  const version = spawnSync('tesseract', ['--version'], { encoding: 'utf8' });
  return `${version.stdout}${version.stderr}`.split('\n')[0]?.trim() ?? 'tesseract';
}

function timeNative(page: Page): number {
  const started = performance.now();
  const run = spawnSync('tesseract', [page.path, '-', '-l', 'chi_sim'], {
    encoding: 'utf8',
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  const elapsed = performance.now() - started;
  if (run.status !== 0) {
    throw new Error(`native tesseract failed on ${page.name}: ${run.stderr}`);
  }
  return elapsed;
}

export async function runOcrBenchmarks(options: OcrBenchOptions = {}): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const pages = fixturePages(options.pages ?? 6);
  const cacheDir = await mkdtemp(join(tmpdir(), 'review-desk-bench-ocr-'));
  const poolSize = defaultWorkerCount();
  console.log(
    `OCR — ${String(pages.length)} fixture pages (test/fixtures/ocr, clean and scan-like), ` +
      `${String(availableParallelism())} cores`,
  );
  try {
    const engine: number[] = [];
    const bare = await createNodeOcrRuntime({
      workers: 1,
      cache: false,
      cacheDir,
      languages: ['chi_sim'],
    });
    try {
      // Warm: start the worker and read one page first (model loading is not per page).
      const [first] = pages;
      if (first !== undefined) {
        await bare.runtime.recognizer.recognize({ ...first }, {});
      }
      for (const page of pages) {
        const started = performance.now();
        await bare.runtime.recognizer.recognize({ ...page }, {});
        engine.push(performance.now() - started);
      }
    } finally {
      await bare.close();
    }

    const one = await createNodeOcrRuntime({ workers: 1, cache: false, cacheDir });
    const pipelineOne: number[] = [];
    let oneTotal = 0;
    try {
      await one.pool.warm();
      const pipeline = createOcrPipeline(one.runtime, { pageConcurrency: 1 });
      const started = performance.now();
      for (const page of pages) {
        const pageStarted = performance.now();
        await pipeline.process(page.bytes, { name: page.name, refresh: true });
        pipelineOne.push(performance.now() - pageStarted);
      }
      oneTotal = performance.now() - started;
    } finally {
      await one.close();
    }

    let poolTotal = 0;
    const pool = await createNodeOcrRuntime({ workers: poolSize, cache: false, cacheDir });
    try {
      await pool.pool.warm();
      const pipeline = createOcrPipeline(pool.runtime, { pageConcurrency: poolSize });
      const started = performance.now();
      await Promise.all(
        pages.map((page) => pipeline.process(page.bytes, { name: page.name, refresh: true })),
      );
      poolTotal = performance.now() - started;
    } finally {
      await pool.close();
    }

    const problem = nativeProblem();
    const native = problem === null ? pages.map(timeNative) : [];
    const engineMean = mean(engine);
    const pipelineMean = mean(pipelineOne);
    console.log(`  tesseract.js chi_sim, 1 worker, warm     ${ms(engineMean)} per page`);
    console.log(`  our pipeline, 1 worker                   ${ms(pipelineMean)} per page`);
    if (problem === null) {
      const nativeMean = mean(native);
      console.log(
        `  native ${nativeVersion()}, OMP_THREAD_LIMIT=1, one process per page   ${ms(nativeMean)} per page`,
      );
      console.log(
        `  ratio tesseract.js engine / native       ${ratio(engineMean, nativeMean)}  ` +
          `(pipeline / native ${ratio(pipelineMean, nativeMean)})`,
      );
      console.log(
        "  (native reads with Debian's tessdata chi_sim; tesseract.js with best_int chi_sim from @tesseract.js-data)",
      );
      figures.push(
        benchFigure('ocr_pipeline', pipelineMean, nativeMean, 'ms/page'),
        benchFigure('ocr_engine', engineMean, nativeMean, 'ms/page'),
      );
    } else {
      console.log(
        `  ⚠ native tesseract not compared: ${problem}. Install the Debian packages ` +
          '`tesseract-ocr tesseract-ocr-chi-sim` to compare.',
      );
    }
    console.log(
      `  pool of ${String(poolSize)} workers: ${ms(poolTotal / pages.length)} per page ` +
        `against 1 worker: ${ms(oneTotal / pages.length)} per page — throughput ` +
        ratio(oneTotal, poolTotal),
    );
    figures.push(
      benchFigure(
        'ocr_pool',
        pages.length / (poolTotal / 1000),
        pages.length / (oneTotal / 1000),
        `pages/s (${String(poolSize)} workers vs 1)`,
      ),
    );
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
  return figures;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runOcrBenchmarks();
}
