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
 *              every worker warm (it has read one page: a fresh worker's first reading costs
 *              about 2–3 times a later one), as the workstation's long-lived workers are;
 *   pool     — the pipeline's throughput over all the pages with the default pool
 *              (min(cores, 2) workers) against one worker;
 *   prefill  — OCR pre-fill of a paper dossier (issue 11: test/fixtures/ocr/dossiers, three
 *              scan-like pages each) per page: the pipeline reading the dossier with the pool
 *              plus `prefillFromDossier` proposing the listing values, against the same
 *              reading without the pre-fill (`ocr_prefill_page`), so the ratio is what the
 *              pre-fill adds to the OCR the reviewer's panel runs anyway. One dossier with
 *              `pages` ≤ 4 (the quick run), all three otherwise.
 *
 * `ocr_pipeline` compares the pipeline with native tesseract reading the SAME models
 * (`-l chi_sim_400+chi_sim` on the very files the pipeline loads, ungzipped): Debian's
 * `chi_sim` is one model (its LSTM is best_int's network), while the pipeline reads with two,
 * so against Debian's data the ratio mostly measured the second model, not our overhead. That
 * figure is still printed, as `ocr_pipeline_debian_chi_sim`.
 *
 * Printed as times per page and ratios; never asserted. When native tesseract (or its chi_sim
 * data) is missing, says so and still prints our own numbers.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  createNodeOcrRuntime,
  defaultWorkerCount,
  type NodeOcrRuntime,
} from '../cli/ocr/nodeRuntime';
import {
  createOcrPipeline,
  prefillFromDossier,
  readImageDimensions,
  sniffFileType,
} from '../shared/ocr/index';
import { benchFigure, type BenchFigure } from './benchFigures';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(projectRoot, 'test', 'fixtures', 'ocr');

export interface OcrBenchOptions {
  /** How many fixture images (clean and scan-like alternately); default 6. */
  readonly pages?: number;
  /** How many dossiers the pre-fill figure reads; default 1 when `pages` ≤ 4, else 3. */
  readonly dossiers?: number;
}

const DOSSIERS = join(FIXTURES, 'dossiers');

function dossierFiles(count: number): { name: string; bytes: Uint8Array }[] {
  return readdirSync(DOSSIERS)
    .filter((name) => name.endsWith('.pdf'))
    .sort()
    .slice(0, count)
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(DOSSIERS, name))) }));
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

/** Native tesseract's reading of the pipeline's own models: where they are, and which. */
interface NativeModels {
  readonly tessdataDir: string;
  readonly languages: readonly string[];
}

/** Ungzips the pipeline's `<lang>.traineddata.gz` into a tessdata folder for native tesseract. */
async function stageNativeModels(
  langDir: string,
  languages: readonly string[],
  tessdataDir: string,
): Promise<NativeModels> {
  await mkdir(tessdataDir, { recursive: true });
  for (const language of languages) {
    const packed = await readFile(join(langDir, `${language}.traineddata.gz`));
    await writeFile(join(tessdataDir, `${language}.traineddata`), gunzipSync(packed));
  }
  return { tessdataDir, languages };
}

function timeNative(page: Page, models?: NativeModels): number {
  // With the pipeline's models: LSTM only, the chi_sim_vert sub-language not loaded and spaces
  // kept, as the workers are set up (cli/ocr/nodeRuntime.ts).
  const modelArgs =
    models === undefined
      ? ['-l', 'chi_sim']
      : [
          '--tessdata-dir',
          models.tessdataDir,
          '--oem',
          '1',
          '-l',
          models.languages.join('+'),
          '-c',
          'tessedit_load_sublangs=',
          '-c',
          'preserve_interword_spaces=1',
        ];
  const started = performance.now();
  const run = spawnSync('tesseract', [page.path, '-', ...modelArgs], {
    encoding: 'utf8',
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  const elapsed = performance.now() - started;
  if (run.status !== 0) {
    throw new Error(`native tesseract failed on ${page.name}: ${run.stderr}`);
  }
  return elapsed;
}

/**
 * Starts every worker of the pool and has each read one page: the first reading of a fresh
 * worker is 2–3 times slower than later ones, so without this the pool pays that once per
 * worker inside its timing and the one-worker run once.
 */
async function warmWorkers(node: NodeOcrRuntime, page: Page | undefined): Promise<void> {
  await node.pool.warm();
  if (page === undefined) {
    return;
  }
  // Readings started together go to different idle workers.
  await Promise.all(
    Array.from({ length: node.pool.size }, () =>
      node.runtime.recognizer.recognize({ ...page }, {}),
    ),
  );
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
    const pipelineModels = { langDir: one.langDir, languages: one.runtime.languages };
    const pipelineOne: number[] = [];
    let oneTotal = 0;
    try {
      await warmWorkers(one, pages[0]);
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
    const dossiers = dossierFiles(options.dossiers ?? (pages.length <= 4 ? 1 : 3));
    let dossierPages = 0;
    let dossierOcr = 0;
    let dossierPrefill = 0;
    let proposals = 0;
    const pool = await createNodeOcrRuntime({ workers: poolSize, cache: false, cacheDir });
    try {
      await warmWorkers(pool, pages[0]);
      const pipeline = createOcrPipeline(pool.runtime, { pageConcurrency: poolSize });
      const started = performance.now();
      await Promise.all(
        pages.map((page) => pipeline.process(page.bytes, { name: page.name, refresh: true })),
      );
      poolTotal = performance.now() - started;
      // OCR pre-fill of whole dossiers: the reading, then the proposals from its pages.
      for (const dossier of dossiers) {
        const read = performance.now();
        const result = await pipeline.process(dossier.bytes, {
          name: dossier.name,
          refresh: true,
        });
        const proposed = performance.now();
        proposals += prefillFromDossier(
          result.pages.map((page) => ({ ...page, fileName: dossier.name })),
        ).length;
        dossierPrefill += performance.now() - proposed;
        dossierOcr += proposed - read;
        dossierPages += result.pages.length;
      }
    } finally {
      await pool.close();
    }

    const problem = nativeProblem();
    const native = problem === null ? pages.map((page) => timeNative(page)) : [];
    const nativeModels =
      problem === null
        ? await stageNativeModels(
            pipelineModels.langDir,
            pipelineModels.languages,
            join(cacheDir, 'native-tessdata'),
          )
        : undefined;
    const nativeSame =
      nativeModels === undefined ? [] : pages.map((page) => timeNative(page, nativeModels));
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
      const nativeSameMean = mean(nativeSame);
      const models = pipelineModels.languages.join('+');
      console.log(
        `  native, the pipeline's models (${models}), one process per page   ${ms(nativeSameMean)} per page`,
      );
      console.log(
        `  ratio pipeline / native on the same models ${ratio(pipelineMean, nativeSameMean)}`,
      );
      figures.push(
        benchFigure('ocr_pipeline', pipelineMean, nativeSameMean, `ms/page (${models})`),
        benchFigure('ocr_pipeline_debian_chi_sim', pipelineMean, nativeMean, 'ms/page'),
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
    if (dossierPages > 0) {
      const withPrefill = (dossierOcr + dossierPrefill) / dossierPages;
      const plain = dossierOcr / dossierPages;
      console.log(
        `  OCR pre-fill, ${String(dossiers.length)} dossier(s), ${String(dossierPages)} pages, ` +
          `${String(proposals)} proposals: ${ms(withPrefill)} per page against the plain ` +
          `reading ${ms(plain)} per page (${ratio(withPrefill, plain)}; the proposals alone ` +
          `${(dossierPrefill / dossierPages).toFixed(2)} ms per page)`,
      );
      figures.push(
        benchFigure(
          'ocr_prefill_page',
          withPrefill,
          plain,
          `ms/page (pool of ${String(poolSize)}, vs the same reading without pre-fill)`,
        ),
      );
    }
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
