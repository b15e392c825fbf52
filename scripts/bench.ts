/**
 * `npm run bench`: speed of the review server's sync, measured against plain-SQL baselines on
 * the same database in the same run, and printed as ratios (never asserted by tests).
 *
 *   bootstrap pull — a reviewer's first pull of everything they may see (50,000 listings by
 *                    default), through processPull; baseline: a plain keyset SELECT of the same
 *                    tables' rows, page by page, with no visibility rules and no JSON shaping.
 *   push           — claim mutations pushed in batches of 100 through processPush (stored
 *                    result, audit, version counter, one transaction each); baseline: one plain
 *                    transactional INSERT per mutation.
 *
 * Flags: --listings N (default 50000), --pushes N (default 2000), --database-url URL (a real
 * PostgreSQL; default: in-memory PGlite), --queue-items N (browser bootstrap, default 50000),
 * --skip-server, --skip-diff, --skip-browser, --skip-ocr, --ocr-pages N (default 6; OCR against
 * native tesseract: scripts/benchOcr.ts), --skip-near-duplicates (homework near-duplicate detection
 * against the exact all-pairs comparison: scripts/benchNearDuplicates.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Principal } from '../server/src/auth/principal';
import { systemClock } from '../server/src/clock';
import { resolveServerConfig } from '../server/src/config';
import type { ServerContext } from '../server/src/context';
import { openPglite, openPostgres, type Database } from '../server/src/db/database';
import { migrate } from '../server/src/db/migrate';
import { seedDemoData } from '../server/src/demo/seed';
import { createLocalStorage } from '../server/src/files/localStorage';
import { createChangeHints } from '../server/src/hints';
import { buildMutationRegistry } from '../server/src/review/kinds';
import { processPull } from '../server/src/sync/pull';
import { processPush } from '../server/src/sync/push';
import { TABLE_READERS } from '../server/src/sync/tables';
import { runBrowserBenchmarks } from './benchBrowser';
import { runDiffBenchmarks } from './benchDiff';
import { runNearDuplicateBenchmarks } from './benchNearDuplicates';
import { runOcrBenchmarks } from './benchOcr';

const { values } = parseArgs({
  options: {
    listings: { type: 'string', default: '50000' },
    pushes: { type: 'string', default: '2000' },
    'database-url': { type: 'string' },
    'queue-items': { type: 'string', default: '50000' },
    'skip-server': { type: 'boolean', default: false },
    'skip-diff': { type: 'boolean', default: false },
    'skip-browser': { type: 'boolean', default: false },
    'skip-ocr': { type: 'boolean', default: false },
    'skip-near-duplicates': { type: 'boolean', default: false },
    'ocr-pages': { type: 'string', default: '6' },
  },
});
const listings = Number(values.listings);
const pushes = Number(values.pushes);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (count: number, ms: number) =>
  `${Math.round(count / (ms / 1000)).toLocaleString('en-US')}/s`;
const peakRss = () => `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;

async function time<T>(body: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await body();
  return { ms: performance.now() - started, value };
}

async function freshDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  const url = values['database-url'];
  if (url === undefined) {
    const db = await openPglite();
    return { db, drop: () => db.close() };
  }
  const name = `rd_bench_${randomUUID().replace(/-/g, '')}`;
  const admin = openPostgres(url, { maxConnections: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = openPostgres(target.toString());
  return {
    db,
    drop: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

async function principalOf(db: Database, username: string): Promise<Principal> {
  const [row] = await db.query<{ id: string; display_name: string; role: Principal['role'] }>(
    'SELECT id, display_name, role FROM users WHERE username = $1',
    [username],
  );
  if (row === undefined) {
    throw new Error(`no user ${username}`);
  }
  return {
    id: row.id,
    username,
    displayName: row.display_name,
    role: row.role,
    institutionId: null,
  };
}

async function main(): Promise<void> {
  const filesDir = await mkdtemp(join(tmpdir(), 'review-desk-bench-'));
  const { db, drop } = await freshDatabase();
  try {
    await migrate(db);
    const ctx: ServerContext = {
      config: { ...resolveServerConfig({ dataDir: filesDir }, {}, filesDir), logLevel: 'silent' },
      db,
      clock: systemClock,
      storage: createLocalStorage(filesDir),
      hints: createChangeHints(),
      tokenKey: new TextEncoder().encode('bench'),
    };
    console.log(
      `ReviewDesk benchmarks — ${db.kind}, ${listings.toLocaleString('en-US')} listings, Node ${process.version}\n`,
    );

    const seeded = await time(() =>
      seedDemoData(ctx, { password: 'bench-password', listings, homework: 24 }),
    );
    console.log(
      `seed demo data             ${seconds(seeded.ms)}  (${perSecond(listings, seeded.ms)} listings)`,
    );

    // ── Bootstrap pull ────────────────────────────────────────────────────────────────────────
    const reviewer = await principalOf(db, 'reviewer1');
    const clientId = randomUUID();
    const pulled = await time(async () => {
      let cursor: string | null = null;
      let rows = 0;
      let bytes = 0;
      for (;;) {
        const page = await processPull(ctx, reviewer, {
          protocol: 1,
          clientId,
          cursor,
          limit: 1000,
        });
        rows += page.changes.length;
        bytes += JSON.stringify(page).length;
        cursor = page.cursor;
        if (!page.hasMore) {
          return { rows, bytes };
        }
      }
    });
    const baselinePull = await time(async () => {
      let rows = 0;
      for (const reader of TABLE_READERS) {
        let after: string | null = null;
        for (;;) {
          const page: { id: string }[] = await db.query<{ id: string }>(
            `SELECT * FROM ${reader.table} ${after === null ? '' : 'WHERE id > $1'} ORDER BY id LIMIT 1000`,
            after === null ? [] : [after],
          );
          rows += page.length;
          if (page.length < 1000) {
            break;
          }
          after = page.at(-1)?.id ?? null;
        }
      }
      return rows;
    });
    console.log(
      `bootstrap pull (reviewer)  ${pulled.value.rows.toLocaleString('en-US')} rows, ` +
        `${(pulled.value.bytes / 1048576).toFixed(1)} MB in ${seconds(pulled.ms)} = ${perSecond(pulled.value.rows, pulled.ms)}`,
    );
    console.log(
      `  baseline plain SELECT    ${baselinePull.value.toLocaleString('en-US')} rows in ${seconds(baselinePull.ms)} = ` +
        perSecond(baselinePull.value, baselinePull.ms),
    );
    console.log(
      `  ratio (time per row)     ${(pulled.ms / pulled.value.rows / (baselinePull.ms / baselinePull.value)).toFixed(2)}× the baseline`,
    );

    // ── Push ──────────────────────────────────────────────────────────────────────────────────
    const items = await db.query<{ id: string }>(
      `SELECT id FROM review_items WHERE kind = 'listing_revision' AND state = 'pending' ORDER BY id LIMIT $1`,
      [pushes * 2],
    );
    const mine = items.slice(0, pushes);
    const baselineItems = items.slice(pushes);
    const registry = buildMutationRegistry();
    const pushClient = randomUUID();
    const pushed = await time(async () => {
      let seq = 0;
      for (let start = 0; start < mine.length; start += 100) {
        const reply = await processPush(
          ctx,
          reviewer,
          {
            protocol: 1,
            clientId: pushClient,
            mutations: mine.slice(start, start + 100).map(({ id }) => ({
              seq: ++seq,
              mutationId: randomUUID(),
              name: 'claim',
              v: 1,
              args: { itemId: id },
            })),
          },
          registry,
        );
        if (reply.statusCode !== 200) {
          throw new Error(`push failed: ${reply.statusCode}`);
        }
      }
      return seq;
    });
    const baselinePush = await time(async () => {
      const now = new Date().toISOString();
      for (const { id } of baselineItems) {
        await db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO claims (id, item_id, reviewer_id, claimed_at, expires_at) VALUES ($1, $2, $3, $4, $4)`,
            [randomUUID(), id, reviewer.id, now],
          );
        });
      }
      return baselineItems.length;
    });
    console.log(
      `push (claim, 100/batch)    ${pushed.value.toLocaleString('en-US')} mutations in ${seconds(pushed.ms)} = ${perSecond(pushed.value, pushed.ms)}`,
    );
    console.log(
      `  baseline INSERT per tx   ${baselinePush.value.toLocaleString('en-US')} inserts in ${seconds(baselinePush.ms)} = ` +
        perSecond(baselinePush.value, baselinePush.ms),
    );
    console.log(
      `  ratio (time per op)      ${(pushed.ms / pushed.value / (baselinePush.ms / baselinePush.value)).toFixed(2)}× the baseline`,
    );
    console.log(`\npeak RSS                   ${peakRss()}`);
  } finally {
    await drop();
    await rm(filesDir, { recursive: true, force: true });
  }
}

if (!values['skip-server']) {
  await main();
}
if (!values['skip-diff']) {
  console.log('');
  runDiffBenchmarks();
}
if (!values['skip-near-duplicates']) {
  console.log('');
  runNearDuplicateBenchmarks();
}
if (!values['skip-browser']) {
  await runBrowserBenchmarks({ items: Number(values['queue-items']) });
}
if (!values['skip-ocr']) {
  console.log('');
  await runOcrBenchmarks({ pages: Number(values['ocr-pages']) });
}
