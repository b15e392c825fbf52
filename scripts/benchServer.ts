/**
 * The review server's benchmarks (part of `npm run bench`): a demo data set of N listings in a
 * fresh database (in-memory PGlite, or a real PostgreSQL with `--database-url`), then the
 * bootstrap pull (scripts/benchPull.ts) and the push (scripts/benchPush.ts), each against a
 * plain-SQL baseline on the same database in the same run.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../server/src/clock';
import { resolveServerConfig } from '../server/src/config';
import type { ServerContext } from '../server/src/context';
import { openPglite, openPostgres, type Database } from '../server/src/db/database';
import { migrate } from '../server/src/db/migrate';
import { seedDemoData } from '../server/src/demo/seed';
import { createLocalStorage } from '../server/src/files/localStorage';
import { createChangeHints } from '../server/src/hints';
import { seconds, perSecond, time, type BenchFigure } from './benchFigures';
import { runPullBenchmark } from './benchPull';
import { runKpiBenchmark } from './benchKpis';
import { runPushBenchmark } from './benchPush';

export interface ServerBenchOptions {
  readonly listings: number;
  readonly pushes: number;
  /** A real PostgreSQL to create a scratch database in; default: in-memory PGlite. */
  readonly databaseUrl?: string | undefined;
}

async function freshDatabase(
  url: string | undefined,
): Promise<{ db: Database; drop: () => Promise<void> }> {
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

const peakRss = () => `${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;

export async function runServerBenchmarks(options: ServerBenchOptions): Promise<BenchFigure[]> {
  const filesDir = await mkdtemp(join(tmpdir(), 'review-desk-bench-'));
  const { db, drop } = await freshDatabase(options.databaseUrl);
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
      `ReviewDesk benchmarks — ${db.kind}, ${options.listings.toLocaleString('en-US')} listings, Node ${process.version}\n`,
    );
    const seeded = await time(() =>
      seedDemoData(ctx, {
        password: 'bench-password',
        listings: options.listings,
        homework: 24,
      }),
    );
    console.log(
      `seed demo data             ${seconds(seeded.ms)}  (${perSecond(options.listings, seeded.ms)} listings)`,
    );
    const figures = [
      ...(await runPullBenchmark(ctx)),
      ...(await runPushBenchmark(ctx, { pushes: options.pushes })),
      ...(await runKpiBenchmark(ctx, { auditEvents: options.listings * 10 })),
    ];
    console.log(`\npeak RSS                   ${peakRss()}`);
    return figures;
  } finally {
    await drop();
    await rm(filesDir, { recursive: true, force: true });
  }
}
