import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The numbered SQL files, in order. Numbers must be unique and gapless from 001. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const [index, file] of files.entries()) {
    const match = MIGRATION_FILE.exec(file);
    if (match === null) {
      throw new Error(`Migration file ${file} must be named NNN_snake_case.sql`);
    }
    const version = Number(match[1]);
    if (version !== index + 1) {
      throw new Error(`Migration ${file} is out of sequence: expected number ${index + 1}`);
    }
    migrations.push({ version, name: file, sql: await readFile(join(dir, file), 'utf8') });
  }
  return migrations;
}

/**
 * Brings the schema up to date: each pending migration runs in its own transaction and is
 * recorded in `schema_migrations`. On PostgreSQL an advisory lock makes concurrent starts of
 * several server nodes wait for one another instead of racing. Returns the versions applied.
 */
export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = await loadMigrations(dir);
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      // Arbitrary constant key: "review-desk migrations".
      await tx.query('SELECT pg_advisory_xact_lock(874512093)');
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (done.length > 0) {
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) {
      applied.push(migration.version);
    }
  }
  return applied;
}
