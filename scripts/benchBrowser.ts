/**
 * The workstation's benchmarks in real Chromium (part of `npm run bench`): bootstrap throughput
 * of the sync engine into IndexedDB against raw Dexie `bulkPut` of the same rows, and time to the
 * first rendered queue row with 10,000 cached items against 100, and the queue's filter and
 * search latency (through its query module) with 50,000 cached items against 500. Ratios are
 * printed; nothing is asserted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { benchFigure, type BenchFigure } from './benchFigures';
import { CHROMIUM_ARGS, findChromium } from './chromium';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

interface BenchApi {
  bootstrap(
    count: number,
    options?: { readonly phases?: boolean },
  ): Promise<{
    rows: number;
    engineMs: number;
    rawMs: number;
    searchIndexMs: number;
    phases?: Record<string, number>;
  }>;
  firstRender(count: number): Promise<{ ms: number }>;
  filterAndSearch(count: number): Promise<{
    count: number;
    searchIndexAdded: boolean;
    queries: { name: string; ms: number; matches: number; plan: string }[];
  }>;
}

export async function runBrowserBenchmarks(options: {
  readonly items: number;
}): Promise<BenchFigure[]> {
  const executablePath = findChromium();
  if (executablePath === null) {
    console.log('⚠ browser benchmarks skipped: Chromium not found (sudo apt-get install chromium)');
    return [];
  }
  const outDir = await mkdtemp(join(tmpdir(), 'review-desk-bench-page-'));
  const profile = await mkdtemp(join(tmpdir(), 'review-desk-bench-profile-'));
  try {
    await build({
      configFile: join(projectRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, rolldownOptions: { input: join(projectRoot, 'renderer', 'bench.html') } },
    });
    const server = await preview({
      configFile: join(projectRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir },
      preview: { port: 0, strictPort: false },
    });
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
    try {
      const page = await context.newPage();
      await page.goto(`${server.resolvedUrls?.local[0] ?? ''}bench.html`);
      await page.waitForFunction(() => '__reviewDeskBench' in globalThis);
      const figures: BenchFigure[] = [];
      console.log(`\nChromium ${context.browser()?.version() ?? ''}`);
      // For working on the queue figures alone (the bootstrap takes minutes at 50,000 items).
      if (process.env['REVIEW_DESK_BENCH_SKIP_BOOTSTRAP'] !== '1') {
        // REVIEW_DESK_BENCH_PHASES=1 also times the bootstrap write's phases (a profiling aid).
        const phases = process.env['REVIEW_DESK_BENCH_PHASES'] === '1';
        const boot = await page.evaluate(
          ({ count, withPhases }) =>
            (globalThis as unknown as { __reviewDeskBench: BenchApi }).__reviewDeskBench.bootstrap(
              count,
              { phases: withPhases },
            ),
          { count: options.items, withPhases: phases },
        );
        figures.push(
          benchFigure('bootstrap_idb', boot.engineMs / boot.rows, boot.rawMs / boot.rows, 'ms/row'),
        );
        const perSecond = (ms: number) =>
          Math.round(boot.rows / (ms / 1000)).toLocaleString('en-US');
        console.log(
          `bootstrap into IndexedDB   ${boot.rows.toLocaleString('en-US')} queue items in ${(boot.engineMs / 1000).toFixed(2)} s = ${perSecond(boot.engineMs)}/s`,
        );
        console.log(
          `  baseline raw bulkPut     ${(boot.rawMs / 1000).toFixed(2)} s = ${perSecond(boot.rawMs)}/s`,
        );
        console.log(
          `  ratio (time per row)     ${(boot.engineMs / boot.rawMs).toFixed(2)}× the baseline`,
        );
        // The search index is built in the background after the bootstrap (schema version 6).
        console.log(
          `  then the search index    ${(boot.searchIndexMs / 1000).toFixed(2)} s more (${((boot.engineMs + boot.searchIndexMs) / boot.rawMs).toFixed(2)}× the baseline in all)`,
        );
        figures.push(
          benchFigure(
            'bootstrap_idb_with_search',
            (boot.engineMs + boot.searchIndexMs) / boot.rows,
            boot.rawMs / boot.rows,
            'ms/row',
          ),
        );
        for (const [phase, ms] of Object.entries(boot.phases ?? {})) {
          console.log(`  phase ${phase.padEnd(18)} ${(ms / 1000).toFixed(2)} s`);
        }
      }
      const hasRender: boolean = await page.evaluate(
        () =>
          typeof (globalThis as unknown as { __reviewDeskBench: BenchApi }).__reviewDeskBench
            .firstRender === 'function',
      );
      if (hasRender) {
        const render = (count: number) =>
          page.evaluate(
            (n) =>
              (
                globalThis as unknown as { __reviewDeskBench: Required<BenchApi> }
              ).__reviewDeskBench.firstRender(n),
            count,
          );
        const small = await render(100);
        const large = await render(10_000);
        console.log(
          `first queue render         100 cached items: ${small.ms.toFixed(0)} ms; 10,000: ${large.ms.toFixed(0)} ms`,
        );
        console.log(
          `  ratio                    ${(large.ms / small.ms).toFixed(2)}× (10,000 vs 100)`,
        );
        figures.push(benchFigure('first_render', large.ms, small.ms, 'ms (10,000 vs 100 items)'));
      }
      const hasFilter: boolean = await page.evaluate(
        () =>
          typeof (globalThis as unknown as { __reviewDeskBench: BenchApi }).__reviewDeskBench
            .filterAndSearch === 'function',
      );
      if (hasFilter) {
        const measure = (count: number) =>
          page.evaluate(
            (n) =>
              (
                globalThis as unknown as { __reviewDeskBench: BenchApi }
              ).__reviewDeskBench.filterAndSearch(n),
            count,
          );
        const largeCount = Math.max(options.items, 501);
        const small = await measure(500);
        const large = await measure(largeCount);
        const n = (value: number) => value.toLocaleString('en-US');
        console.log(
          `queue filter and search    latency to the first screen, ${n(small.count)} vs ${n(large.count)} cached items (median of 7)`,
        );
        if (large.searchIndexAdded) {
          console.log(
            '  ⚠ ReviewDeskDb declares no *_searchOrder index (searchTokens, schema version 6): searches walk no index',
          );
        }
        let sumSmall = 0;
        let sumLarge = 0;
        for (const [index, query] of large.queries.entries()) {
          const base = small.queries[index];
          if (base === undefined) {
            continue;
          }
          sumSmall += base.ms;
          sumLarge += query.ms;
          figures.push(
            benchFigure(
              `queue_query_${query.name.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`,
              query.ms,
              base.ms,
              `ms (${n(large.count)} vs ${n(small.count)} items)`,
            ),
          );
          console.log(
            `  ${query.name.padEnd(24)} ${base.ms.toFixed(1).padStart(7)} ms → ${query.ms.toFixed(1).padStart(7)} ms  ` +
              `${(query.ms / Math.max(base.ms, 0.1)).toFixed(2).padStart(6)}×  ` +
              `(${n(base.matches)} / ${n(query.matches)} matches, ${query.plan})`,
          );
        }
        console.log(
          `  ratio (all queries)      ${(sumLarge / Math.max(sumSmall, 0.1)).toFixed(2)}× (${n(large.count)} vs ${n(small.count)}; a scan would be ~${n(Math.round(large.count / small.count))}×)`,
        );
        figures.push(
          benchFigure(
            'queue_query_all',
            sumLarge,
            sumSmall,
            `ms (${n(large.count)} vs ${n(small.count)} items)`,
          ),
        );
      }
      return figures;
    } finally {
      await context.close();
      await server.close();
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  }
}
