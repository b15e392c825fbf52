import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveServerConfig, type ServerConfig } from '../../server/src/config';
import type { Database } from '../../server/src/db/database';
import { lockDataDir, openDatabase } from '../../server/src/main';
import { CliInputError, type CliIo } from '../io';

/** Where a read-only command finds the database (flags, then environment, then ~/.review-desk). */
export interface DatabaseOptions {
  readonly dataDir?: string | undefined;
  readonly databaseUrl?: string | undefined;
}

function resolveConfig(options: DatabaseOptions, io: CliIo): ServerConfig {
  try {
    return resolveServerConfig(
      { dataDir: options.dataDir, databaseUrl: options.databaseUrl },
      io.env,
      io.cwd,
    );
  } catch (error) {
    throw new CliInputError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Runs `read` over the review database of a command that only reads: it creates no database
 * and runs no migration. The database resolves as for `review-desk server` and `review-desk
 * seed`. Embedded PGlite has one owner at a time, so it refuses while a server runs on the same
 * data directory; an unreachable PostgreSQL is a clear input error, not a stack trace.
 */
export async function withReadDatabase<T>(
  options: DatabaseOptions,
  io: CliIo,
  read: (db: Database, location: string) => Promise<T>,
): Promise<T> {
  const config = resolveConfig(options, io);
  const location =
    config.databaseUrl === null
      ? `the data directory ${config.dataDir}`
      : 'the PostgreSQL database';
  let unlock: () => Promise<void> = () => Promise.resolve();
  if (config.databaseUrl === null) {
    // Opening PGlite on a missing directory would create an empty database: say so instead.
    if (!existsSync(join(config.dataDir, 'pgdata'))) {
      throw new CliInputError(
        `there is no ReviewDesk database in ${config.dataDir} (pass --data-dir or --database-url)`,
      );
    }
    try {
      unlock = await lockDataDir(config.dataDir);
    } catch (error) {
      throw new CliInputError(error instanceof Error ? error.message : String(error));
    }
  }
  let db: Database | null = null;
  try {
    db = await openDatabase(config);
    return await read(db, location);
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') {
      throw new CliInputError(`cannot reach the database (${code}); check --database-url`);
    }
    throw error;
  } finally {
    await db?.close();
    await unlock();
  }
}
