import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction as PGliteTransaction } from '@electric-sql/pglite';
import pg from 'pg';

/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one parameterised statement (`$1`, `$2`, …) and returns its rows. */
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

/**
 * The review server's view of PostgreSQL, the same for embedded PGlite and a real server so that
 * every query and every migration runs unchanged on both (design decision 2).
 *
 * Values come back normalised across both drivers: `int8` as a JS number (counters and versions
 * stay far below 2^53), `timestamptz` as an ISO string in UTC, `date` as `YYYY-MM-DD`, `numeric`
 * as a decimal string (money is never a float), `jsonb` parsed.
 */
export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `body` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(
    body: (tx: Queryable) => Promise<T>,
    options?: { readonly isolation?: IsolationLevel },
  ): Promise<T>;
  close(): Promise<void>;
}

const PG_TYPE = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

const toIsoTimestamp = (value: string): string => new Date(value).toISOString();
// Postgres prints `timestamp` without a zone; we only store UTC, so read it as UTC.
const toIsoTimestampUtc = (value: string): string =>
  new Date(value.endsWith('Z') ? value : `${value.replace(' ', 'T')}Z`).toISOString();

const PARSERS = {
  [PG_TYPE.int8]: (value: string) => Number(value),
  [PG_TYPE.date]: (value: string) => value,
  [PG_TYPE.timestamp]: toIsoTimestampUtc,
  [PG_TYPE.timestamptz]: toIsoTimestamp,
};

/** Embedded PGlite, persisted in `dataDir` (created if missing), or in memory when omitted. */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir !== undefined) {
    await mkdir(dataDir, { recursive: true });
  }
  const db = await PGlite.create(dataDir, { parsers: PARSERS });
  return wrapPglite(db);
}

/** A PGlite instance restored from a `dumpDataDir()` tarball: a cheap fresh database for tests. */
export async function openPgliteFromDump(dump: Blob): Promise<Database> {
  const db = await PGlite.create({ loadDataDir: dump, parsers: PARSERS });
  return wrapPglite(db);
}

/** The PGlite value parsers every instance must use, for instances created elsewhere. */
export const PGLITE_PARSERS = PARSERS;

/** Wraps an open PGlite instance (created with {@link PGLITE_PARSERS}) as a Database. */
export function wrapPglite(db: PGlite): Database {
  const asQueryable = (target: PGlite | PGliteTransaction): Queryable => ({
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<Row>(sql, [...params]);
      return result.rows;
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  });
  const self = asQueryable(db);
  return {
    kind: 'pglite',
    query: (sql, params) => self.query(sql, params),
    exec: (sql) => self.exec(sql),
    async transaction(body, options) {
      // PGlite has one connection; its transaction() queues callers, so transactions never
      // interleave. The isolation level is still set so the SQL means the same as on PostgreSQL.
      return db.transaction(async (tx) => {
        if (options?.isolation !== undefined) {
          await tx.query(`SET TRANSACTION ISOLATION LEVEL ${options.isolation.toUpperCase()}`);
        }
        return body(asQueryable(tx));
      });
    },
    async close() {
      await db.close();
    },
  };
}

/** A real PostgreSQL server reached through a connection pool. */
export function openPostgres(
  connectionString: string,
  options: { maxConnections?: number } = {},
): Database {
  const ours = PARSERS as Record<number, (value: string) => unknown>;
  // pg's own parsers for everything else (jsonb, numeric as text, booleans…).
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      ours[oid] ??
      (pg.types.getTypeParser as (id: number, format?: 'text' | 'binary') => unknown)(
        oid,
        format,
      )) as pg.CustomTypesConfig['getTypeParser'],
  };
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    types,
  });
  // An idle client losing its connection (server restart) must not crash the process; the next
  // query gets a fresh connection or a clear error.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query<Row>(sql, [...params]);
      return result.rows;
    },
    async transaction(body, options) {
      const client = await pool.connect();
      try {
        await client.query(
          options?.isolation === undefined
            ? 'BEGIN'
            : `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}`,
        );
        const result = await body({
          async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
            const rows = await client.query<Row>(sql, [...params]);
            return rows.rows;
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}

/** SQLSTATEs after which the same transaction may simply be run again. */
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

export function isRetryableTransactionError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    RETRYABLE_SQLSTATES.has(error.code)
  );
}

/** SQLSTATE of a unique violation, raised by the database backstops (one active claim, …). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error) || error.code !== '23505') {
    return false;
  }
  return constraint === undefined || ('constraint' in error && error.constraint === constraint);
}

export type Isolated<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Runs `body` behind a savepoint of the open transaction `tx`: when it throws, only its own
 * writes are rolled back and the transaction goes on (one push applies many mutations in one
 * transaction, each isolated from the others). The error is returned, not thrown, so the caller
 * decides whether the whole transaction must stop.
 */
export async function isolated<T>(tx: Queryable, body: () => Promise<T>): Promise<Isolated<T>> {
  await tx.exec('SAVEPOINT isolated');
  let value: T;
  try {
    value = await body();
  } catch (error) {
    // After a lost connection the rollback fails too; the original error is the one that counts.
    await tx
      .exec('ROLLBACK TO SAVEPOINT isolated; RELEASE SAVEPOINT isolated')
      .catch(() => undefined);
    return { ok: false, error };
  }
  await tx.exec('RELEASE SAVEPOINT isolated');
  return { ok: true, value };
}
