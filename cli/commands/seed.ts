import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../server/src/clock';
import { resolveServerConfig, type ServerConfig } from '../../server/src/config';
import { openPglite, openPostgres, type Database } from '../../server/src/db/database';
import { migrate } from '../../server/src/db/migrate';
import { demoUsers } from '../../server/src/demo/content';
import {
  DEFAULT_DEMO_HOMEWORK,
  DEFAULT_DEMO_LISTINGS,
  DemoSeedRefusedError,
  generateDemoPassword,
  isDatabaseEmpty,
  isDemoSeeded,
  seedDemoData,
} from '../../server/src/demo/seed';
import { createLocalStorage } from '../../server/src/files/localStorage';
import { createChangeHints } from '../../server/src/hints';
import { lockDataDir } from '../../server/src/main';
import { CliInputError, EXIT, type CliIo } from '../io';

/**
 * `review-desk seed [--demo-password PW] [--listings N] [--homework N] [--data-dir DIR]
 * [--database-url URL] [--json]`: loads the demo data into an empty database.
 *
 * The database and data directory resolve as for `review-desk server` (flags, then
 * `REVIEW_DESK_DATA_DIR` / `REVIEW_DESK_DATABASE_URL` / `DATABASE_URL`, then `~/.review-desk`):
 * embedded PGlite in `<data dir>/pgdata` unless a PostgreSQL URL is given; files always go to
 * `<data dir>/files`. The demo password is the flag's, else `REVIEW_DESK_DEMO_PASSWORD`, else a
 * generated one that is printed once and never again. Run it while no server uses the same data
 * directory: embedded PGlite must not be opened by two processes at once.
 */
export interface SeedCommandOptions {
  readonly dataDir?: string | undefined;
  readonly databaseUrl?: string | undefined;
  readonly demoPassword?: string | undefined;
  /** Whole number ≥ 0; strings are accepted as commander passes them. */
  readonly listings?: number | string | undefined;
  readonly homework?: number | string | undefined;
  readonly json: boolean;
}

/** Stable JSON output of the command. */
export interface SeedJsonResult {
  readonly database: 'pglite' | 'postgres';
  /** The PGlite directory, or the PostgreSQL URL without its password. */
  readonly location: string;
  readonly filesDir: string;
  readonly passwordSource: 'flag' | 'env' | 'generated';
  /** Present only when generated: it is not stored anywhere else. */
  readonly password?: string;
  readonly users: readonly {
    readonly username: string;
    readonly displayName: string;
    readonly role: string;
    readonly active: boolean;
  }[];
  readonly listings: number;
  readonly homework: number;
  readonly refunds: number;
  readonly seconds: number;
}

/** Largest accepted count: enough for load tests, small enough to finish. */
const MAX_COUNT = 1_000_000;

function parseCount(value: number | string | undefined, flag: string, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  const text = String(value).trim();
  if (!/^\d+$/.test(text) || Number(text) > MAX_COUNT) {
    throw new CliInputError(
      `${flag} must be a whole number from 0 to ${MAX_COUNT}, got ${JSON.stringify(String(value))}`,
    );
  }
  return Number(text);
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') {
      parsed.password = '***';
    }
    return parsed.toString();
  } catch {
    return 'postgres';
  }
}

function resolveConfig(options: SeedCommandOptions, io: CliIo): ServerConfig {
  try {
    return resolveServerConfig(
      {
        dataDir: options.dataDir,
        databaseUrl: options.databaseUrl,
        demoPassword: options.demoPassword,
      },
      io.env,
      io.cwd,
    );
  } catch (error) {
    throw new CliInputError(error instanceof Error ? error.message : String(error));
  }
}

/** Runs the command; returns the exit code. Throws CliInputError for unusable input. */
export async function runSeedCommand(options: SeedCommandOptions, io: CliIo): Promise<number> {
  const listings = parseCount(options.listings, '--listings', DEFAULT_DEMO_LISTINGS);
  const homework = parseCount(options.homework, '--homework', DEFAULT_DEMO_HOMEWORK);
  const config = resolveConfig(options, io);
  const passwordSource: SeedJsonResult['passwordSource'] =
    options.demoPassword !== undefined && options.demoPassword !== ''
      ? 'flag'
      : config.demoPassword !== null
        ? 'env'
        : 'generated';
  const password = config.demoPassword ?? generateDemoPassword();
  if (password.length < 8) {
    throw new CliInputError('the demo password must have at least 8 characters');
  }

  const pgliteDir = join(config.dataDir, 'pgdata');
  const filesDir = join(config.dataDir, 'files');
  const location = config.databaseUrl === null ? pgliteDir : redactUrl(config.databaseUrl);
  // Embedded PGlite has one owner at a time: refuse while a server runs on this directory.
  let unlock: () => Promise<void> = () => Promise.resolve();
  if (config.databaseUrl === null) {
    await mkdir(config.dataDir, { recursive: true });
    try {
      unlock = await lockDataDir(config.dataDir);
    } catch (error) {
      throw new CliInputError(error instanceof Error ? error.message : String(error));
    }
  }
  const db: Database =
    config.databaseUrl === null ? await openPglite(pgliteDir) : openPostgres(config.databaseUrl);
  const started = performance.now();
  try {
    await migrate(db);
    if ((await isDemoSeeded(db)) || !(await isDatabaseEmpty(db))) {
      throw new CliInputError(
        `the database at ${location} already has users; demo data is only loaded into an empty database (use another --data-dir)`,
      );
    }
    const reportProgress = !options.json && listings > 5000;
    const result = await seedDemoData(
      {
        db,
        storage: createLocalStorage(filesDir),
        clock: systemClock,
        config,
        hints: createChangeHints(),
      },
      {
        password,
        listings,
        homework,
        ...(reportProgress
          ? {
              onProgress: (done: number, total: number) => {
                io.stderr(`  listings ${done}/${total}\n`);
              },
            }
          : {}),
      },
    );
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const directory = new Map(demoUsers().map((user) => [user.username, user]));
    const users = result.users.map((username) => {
      const user = directory.get(username);
      return {
        username,
        displayName: user?.displayName ?? username,
        role: user?.role ?? 'unknown',
        active: user?.active ?? true,
      };
    });
    if (options.json) {
      const output: SeedJsonResult = {
        database: db.kind,
        location,
        filesDir,
        passwordSource,
        ...(passwordSource === 'generated' ? { password } : {}),
        users,
        listings: result.listings,
        homework: result.homework,
        refunds: result.refunds,
        seconds,
      };
      io.stdout(`${JSON.stringify(output, null, 2)}\n`);
      return EXIT.ok;
    }
    const lines = [
      `Demo data loaded into ${location} (${db.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'}) in ${seconds} s; files in ${filesDir}.`,
      `  listings: ${result.listings}   homework: ${result.homework}   refunds: ${result.refunds}`,
      '',
      passwordSource === 'generated'
        ? `Demo users — password: ${password}  (generated; shown only this once, write it down)`
        : `Demo users — password: as given by ${passwordSource === 'flag' ? '--demo-password' : 'REVIEW_DESK_DEMO_PASSWORD'}`,
      ...users.map(
        (user) =>
          `  ${user.username.padEnd(14)} ${user.role.padEnd(12)} ${user.displayName}${user.active ? '' : '  (inactive)'}`,
      ),
    ];
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DemoSeedRefusedError) {
      throw new CliInputError(error.message);
    }
    throw error;
  } finally {
    await db.close();
    await unlock();
  }
}
