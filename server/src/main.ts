import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReminderSchedule } from './listings/reminders';
import { startAlertSchedule } from './ops/alerts';
import { buildApp, type App } from './app';
import { systemClock, type Clock } from './clock';
import type { ServerConfig } from './config';
import type { ServerContext } from './context';
import { openPglite, openPostgres, type Database } from './db/database';
import { migrate } from './db/migrate';
import { generateDemoPassword, isDatabaseEmpty, seedDemoData } from './demo/seed';
import { createLocalStorage } from './files/localStorage';
import { createChangeHints } from './hints';
import { pruneTombstones } from './sync/prune';

/** How often old tombstones are pruned while the server runs. */
const PRUNE_INTERVAL_MS = 24 * 3_600_000;

export interface RunningServer {
  readonly app: App;
  readonly ctx: ServerContext;
  /** Where the server listens, e.g. `http://127.0.0.1:8787`. */
  readonly url: string;
  /** Stops accepting requests, finishes those in flight, closes the database. */
  close(): Promise<void>;
}

/** Opens the configured database: a real PostgreSQL, or embedded PGlite under the data directory. */
export function openDatabase(config: ServerConfig): Promise<Database> {
  return config.databaseUrl === null
    ? openPglite(join(config.dataDir, 'pgdata'))
    : Promise.resolve(openPostgres(config.databaseUrl));
}

/**
 * The token-signing key: `REVIEW_DESK_TOKEN_SECRET` when set (several server nodes must share
 * one), else a random key generated on first start and kept in the data directory (mode 0600).
 */
export async function loadTokenKey(config: ServerConfig): Promise<Uint8Array> {
  if (config.tokenSecret !== null) {
    return new TextEncoder().encode(config.tokenSecret);
  }
  const file = join(config.dataDir, 'token-secret');
  try {
    return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  const key = randomBytes(48);
  await writeFile(file, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return key;
}

/**
 * Embedded PGlite must have one process only: a second server on the same data directory would
 * corrupt it. The lock file holds the owner's pid; a lock left by a process that died is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = join(dataDir, 'server.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new Error(
          `another review server (pid ${owner}) is using ${dataDir}; stop it or pass another --data-dir`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StartOptions {
  readonly clock?: Clock;
  /** Lines for the person who started the server (the demo password, the address). */
  readonly say?: (line: string) => void;
}

/**
 * Starts the review server: opens and migrates the database, loads demo data into an empty one
 * (first start), and listens. The demo password is printed once when it was generated.
 */
export async function startServer(
  config: ServerConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const say = options.say ?? (() => undefined);
  const clock = options.clock ?? systemClock;
  await mkdir(config.dataDir, { recursive: true });
  const unlock =
    config.databaseUrl === null ? await lockDataDir(config.dataDir) : () => Promise.resolve();
  let db: Database | null = null;
  try {
    db = await openDatabase(config);
    await migrate(db);
    const storage = createLocalStorage(join(config.dataDir, 'files'));
    const ctx: ServerContext = {
      config,
      db,
      clock,
      storage,
      hints: createChangeHints(),
      tokenKey: await loadTokenKey(config),
    };
    if (config.seedDemoOnEmpty && (await isDatabaseEmpty(db))) {
      const password = config.demoPassword ?? generateDemoPassword();
      say('Empty database: loading the demo data (first start)…');
      const seeded = await seedDemoData(ctx, { password });
      say(
        `Demo users: ${seeded.users.join(', ')} — password: ${password}` +
          (config.demoPassword === null ? ' (generated now; shown only this once)' : ''),
      );
    }
    const app = await buildApp(ctx);
    const prune = () => {
      pruneTombstones(ctx.db, clock.now()).catch((error: unknown) => {
        app.log.warn({ err: error }, 'pruning tombstones failed');
      });
    };
    prune();
    const pruning = setInterval(prune, PRUNE_INTERVAL_MS);
    pruning.unref();
    const stopAlerts = startAlertSchedule({
      db: ctx.db,
      clock,
      onRaised: (raised) => {
        app.log.warn(
          { alerts: raised.map(({ rule, day }) => ({ rule, day })) },
          'ops alert raised',
        );
      },
      onError: (error) => {
        app.log.warn({ err: error }, 'evaluating the ops alerts failed');
      },
    });
    const stopReminders = startReminderSchedule({
      db: ctx.db,
      clock,
      onRaised: (raised) => {
        app.log.info({ reminders: raised.length }, 'listing reminders raised');
      },
      onError: (error) => {
        app.log.warn({ err: error }, 'raising the listing reminders failed');
      },
    });
    app.addHook('onClose', (_instance, done) => {
      clearInterval(pruning);
      stopAlerts();
      stopReminders();
      done();
    });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    const opened = db;
    let closing: Promise<void> | null = null;
    return {
      app,
      ctx,
      url,
      close() {
        closing ??= (async () => {
          await app.close();
          await opened.close();
          await unlock();
        })();
        return closing;
      },
    };
  } catch (error) {
    await db?.close().catch(() => undefined);
    await unlock();
    throw error;
  }
}
