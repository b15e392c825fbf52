/**
 * `npm run bench`: speed of the review server's sync, the diff engine, near-duplicate detection,
 * the workstation in Chromium and OCR, each measured against a baseline in the same run and
 * printed as ratios (never asserted by tests).
 *
 *   bootstrap pull — a reviewer's first pull of everything they may see (50,000 listings by
 *                    default), through processPull; baseline: a plain keyset SELECT of the same
 *                    tables' rows, page by page, with no visibility rules and no JSON shaping.
 *   push           — claim mutations pushed in batches of 100 through processPush (stored
 *                    result, audit, version counter, one transaction each); baseline: one plain
 *                    transactional INSERT per mutation.
 *
 * Flags: --quick (5,000 listings and queue items, fewer pushes, OCR pages and diff repeats),
 * --json (also write every figure to bench-results.json), --listings N (default 50000), --pushes N (default 2000), --database-url URL (a real
 * PostgreSQL; default: in-memory PGlite), --queue-items N (browser bootstrap, default 50000),
 * --skip-server, --skip-diff, --skip-browser, --skip-ocr, --ocr-pages N (default 6; OCR against
 * native tesseract: scripts/benchOcr.ts), --skip-near-duplicates (homework near-duplicate detection
 * against the exact all-pairs comparison: scripts/benchNearDuplicates.ts).
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBrowserBenchmarks } from './benchBrowser';
import { runDiffBenchmarks } from './benchDiff';
import { benchFigure, type BenchFigure } from './benchFigures';
import { runNearDuplicateBenchmarks } from './benchNearDuplicates';
import { runOcrBenchmarks } from './benchOcr';
import { runServerBenchmarks } from './benchServer';

const { values } = parseArgs({
  options: {
    listings: { type: 'string' },
    pushes: { type: 'string' },
    'database-url': { type: 'string' },
    'queue-items': { type: 'string' },
    'skip-server': { type: 'boolean', default: false },
    'skip-diff': { type: 'boolean', default: false },
    'skip-browser': { type: 'boolean', default: false },
    'skip-ocr': { type: 'boolean', default: false },
    'skip-near-duplicates': { type: 'boolean', default: false },
    'ocr-pages': { type: 'string' },
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const listings = Number(values.listings ?? (quick ? 5000 : 50000));
const pushes = Number(values.pushes ?? (quick ? 500 : 2000));
const queueItems = Number(values['queue-items'] ?? (quick ? 5000 : 50000));
const ocrPages = Number(values['ocr-pages'] ?? (quick ? 4 : 6));

const figures: BenchFigure[] = [];

if (!values['skip-server']) {
  figures.push(
    ...(await runServerBenchmarks({ listings, pushes, databaseUrl: values['database-url'] })),
  );
}
if (!values['skip-diff']) {
  console.log('');
  const results = runDiffBenchmarks(quick ? { repeats: 11 } : {});
  const changed = results.filter((result) => result.theirsBytes > 0);
  const sum = (pick: (result: (typeof results)[number]) => number, rows = results) =>
    rows.reduce((total, result) => total + pick(result), 0);
  figures.push(
    benchFigure(
      'diff_size',
      sum((result) => result.oursBytes, changed),
      sum((result) => result.theirsBytes, changed),
      'bytes (all pairs with changes)',
    ),
    benchFigure(
      'diff_time',
      sum((result) => result.oursMs),
      sum((result) => result.theirsMs),
      'ms (median per pair, summed)',
    ),
  );
}
if (!values['skip-near-duplicates']) {
  console.log('');
  const result = runNearDuplicateBenchmarks(quick ? { submissions: 500 } : {});
  figures.push(benchFigure('near_duplicates', result.oursMs, result.naiveMs, 'ms'));
}
if (!values['skip-browser']) {
  figures.push(...(await runBrowserBenchmarks({ items: queueItems })));
}
if (!values['skip-ocr']) {
  console.log('');
  figures.push(...(await runOcrBenchmarks({ pages: ocrPages })));
}

if (values.json) {
  const target = fileURLToPath(new URL('../bench-results.json', import.meta.url));
  await writeFile(target, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`\n${String(figures.length)} figures written to bench-results.json`);
}
