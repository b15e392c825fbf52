import { mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import {
  parse as pgliteParse,
  protocol as pgliteProtocol,
  PGlite,
  type Transaction as PGliteTransaction,
} from '@electric-sql/pglite';
import pg from 'pg';

/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  /** Runs one parameterised statement (`$1`, `$2`, …) and returns its rows. */
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface QueryOptions {
  /**
   * Keep the statement prepared on the connection and reuse it the next time the same SQL
   * comes: no parsing and, once PostgreSQL settles on a generic plan, no planning. For the few
   * statements a hot path runs again and again (a push's mutations); the same text always
   * shares one prepared statement. Inside a transaction only; ignored elsewhere.
   */
  readonly prepare?: boolean;
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

/** How many statements one PGlite instance keeps prepared; later ones run unprepared. */
const MAX_PREPARED_STATEMENTS = 500;

function concatMessages(parts: readonly Uint8Array[]): Uint8Array {
  const message = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}

/**
 * Named prepared statements on one PGlite instance, over its public wire-protocol API.
 * PGlite's own `query()` parses, plans and describes every statement anew, in six calls into
 * the database; a prepared statement runs in ONE call (Bind, Describe, Execute, Sync) and skips
 * parsing, and planning once PostgreSQL uses a generic plan. Values are serialised and rows
 * parsed with the instance's own serializers and parsers, so results are the same as `query()`.
 */
function pglitePreparedStatements(db: PGlite) {
  const { serialize } = pgliteProtocol;
  const prepared = new Map<string, { readonly name: string; readonly types: number[] }>();
  const prepare = async (sql: string) => {
    const name = `rd_prepared_${prepared.size + 1}`;
    const { messages } = await db.execProtocol(
      concatMessages([
        serialize.parse({ name, text: sql, types: [] }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
    );
    const statement = { name, types: pgliteParse.parseDescribeStatementResults(messages) };
    prepared.set(sql, statement);
    return statement;
  };
  return {
    /** The rows of `sql`, prepared; null when the cache is full and `sql` is not in it. */
    async query<Row extends object>(
      sql: string,
      params: readonly unknown[],
    ): Promise<Row[] | null> {
      return db.runExclusive(async () => {
        const statement =
          prepared.get(sql) ??
          (prepared.size < MAX_PREPARED_STATEMENTS ? await prepare(sql) : null);
        if (statement === null) {
          return null;
        }
        const values = params.map((value, index) => {
          if (value === null || value === undefined) {
            return null;
          }
          const serializer = db.serializers[statement.types[index] ?? 0];
          if (serializer !== undefined) {
            return serializer(value);
          }
          // No serializer for this type (PGlite has one for every common type): text as PGlite
          // would send it, objects as JSON.
          return typeof value === 'string' ? value : JSON.stringify(value);
        });
        const { messages } = await db.execProtocol(
          concatMessages([
            serialize.bind({ statement: statement.name, values }),
            serialize.describe({ type: 'P' }),
            serialize.execute({}),
            serialize.sync(),
          ]),
        );
        const [result] = pgliteParse.parseResults(messages, db.parsers);
        return (result?.rows ?? []) as Row[];
      });
    },
  };
}

/** Wraps an open PGlite instance (created with {@link PGLITE_PARSERS}) as a Database. */
export function wrapPglite(db: PGlite): Database {
  const preparedStatements = pglitePreparedStatements(db);
  const asQueryable = (target: PGlite | PGliteTransaction, inTransaction = false): Queryable => ({
    async query<Row extends object>(
      sql: string,
      params: readonly unknown[] = [],
      options?: QueryOptions,
    ) {
      if (inTransaction && options?.prepare === true) {
        const rows = await preparedStatements.query<Row>(sql, params);
        if (rows !== null) {
          return rows;
        }
      }
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
        return body(asQueryable(tx, true));
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
          async query<Row extends object>(
            sql: string,
            params: readonly unknown[] = [],
            options?: QueryOptions,
          ) {
            // node-postgres keeps a named statement prepared on its connection by itself.
            const rows = await client.query<Row>(
              options?.prepare === true
                ? { name: preparedName(sql), text: sql, values: [...params] }
                : { text: sql, values: [...params] },
            );
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

/** The same name for the same text on every connection (node-postgres requires that). */
const preparedName = (sql: string) =>
  `rd_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;

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
 * Runs bodies one after another in the open transaction `tx`, each behind its own savepoint:
 * when one throws, only its own writes are rolled back and the transaction goes on (one push
 * applies many mutations in one transaction, each isolated from the others). The error is
 * returned, not thrown, so the caller decides whether the whole transaction must stop.
 *
 * A kept body's savepoint is released together with the next body's new savepoint, in one round
 * trip; what the caller runs between two bodies is kept with the earlier one. Call `finish()`
 * after the last body.
 */
export function isolatedSequence(tx: Queryable): {
  run<T>(body: () => Promise<T>): Promise<Isolated<T>>;
  finish(): Promise<void>;
} {
  let open = false;
  return {
    async run<T>(body: () => Promise<T>): Promise<Isolated<T>> {
      await tx.exec(open ? 'RELEASE SAVEPOINT isolated; SAVEPOINT isolated' : 'SAVEPOINT isolated');
      open = true;
      let value: T;
      try {
        value = await body();
      } catch (error) {
        open = false;
        // After a lost connection the rollback fails too; the original error is the one that counts.
        await tx
          .exec('ROLLBACK TO SAVEPOINT isolated; RELEASE SAVEPOINT isolated')
          .catch(() => undefined);
        return { ok: false, error };
      }
      return { ok: true, value };
    },
    async finish() {
      if (open) {
        open = false;
        await tx.exec('RELEASE SAVEPOINT isolated');
      }
    },
  };
}

/** Runs `body` behind a savepoint of the open transaction `tx` (see {@link isolatedSequence}). */
export async function isolated<T>(tx: Queryable, body: () => Promise<T>): Promise<Isolated<T>> {
  const sequence = isolatedSequence(tx);
  const attempt = await sequence.run(body);
  if (attempt.ok) {
    await sequence.finish();
  }
  return attempt;
}

/**
 * A plain write whose running can wait: `INSERT INTO t … VALUES …`, `UPDATE t SET … WHERE …` or
 * `DELETE FROM t WHERE …` with no RETURNING (nobody can look at its result), no sub-select and
 * no ON CONFLICT (it reads nothing another write could have changed), and no quoting, comment
 * or dollar-quote a `$n` could hide in (its parameters can be renumbered). Group 1: the table.
 */
const DEFERRABLE_WRITE = /^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_][a-z0-9_]*)\b/i;
const NOT_DEFERRABLE = /\b(?:RETURNING|SELECT|WITH|CONFLICT)\b|--|\/\*|\$\$|'[^']*\$|"|;/i;
/** Bind parameters per combined statement: well below PostgreSQL's 65,535. */
const MAX_COMBINED_PARAMS = 30_000;

interface PendingWrite {
  readonly table: string;
  readonly isInsert: boolean;
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** A Queryable whose plain writes wait and then run together (see {@link coalescingWrites}). */
export interface CoalescingQueryable extends Queryable {
  /** Runs the writes still waiting, in one statement. */
  flush(): Promise<void>;
}

/**
 * Wraps `tx` so that consecutive plain writes (see DEFERRABLE_WRITE) are held back and sent as
 * ONE statement of data-modifying CTEs — before the next read or other statement, or at
 * `flush()` — instead of one round trip each. A unit of work that reads, decides, then writes
 * a handful of rows (a claim: the claim, the item, the subject) then costs two statements.
 *
 * What stays the same: the order of writes against reads (every other statement flushes
 * first), and that nobody sees a write's outcome before it ran (no RETURNING is held back).
 * What changes: an error of a held-back write surfaces at the flush, not at its own call, so
 * code that catches a particular write's error must not use this wrapper; and the writes of one
 * combined statement see the same snapshot, so a write to a table that already has a write
 * waiting flushes first (only INSERTs into the same table share a statement: they read nothing).
 * Forgetting `flush()` loses the writes: use it where one place owns the unit of work's end.
 *
 * With `prepare`, every statement goes out prepared (see {@link QueryOptions}): for units of work
 * that run the same few statements many times over (a push's mutations).
 */
export function coalescingWrites(
  tx: Queryable,
  options: { readonly prepare?: boolean } = {},
): CoalescingQueryable {
  const queryOptions: QueryOptions = { prepare: options.prepare === true };
  let pending: PendingWrite[] = [];
  let pendingParams = 0;
  const flush = async () => {
    if (pending.length === 0) {
      return;
    }
    const writes = pending;
    pending = [];
    pendingParams = 0;
    const [only] = writes;
    if (writes.length === 1 && only !== undefined) {
      await tx.query(only.sql, only.params, queryOptions);
      return;
    }
    const combined = combineWrites(writes);
    await tx.query(combined.sql, combined.params, queryOptions);
  };
  return {
    async query<Row extends object>(sql: string, params: readonly unknown[] = []) {
      const write = DEFERRABLE_WRITE.exec(sql);
      if (write === null || NOT_DEFERRABLE.test(sql)) {
        await flush();
        return tx.query<Row>(sql, params, queryOptions);
      }
      const table = (write[1] ?? '').toLowerCase();
      const isInsert = /^\s*INSERT/i.test(sql);
      if (
        pendingParams + params.length > MAX_COMBINED_PARAMS ||
        pending.some((other) => other.table === table && !(other.isInsert && isInsert))
      ) {
        await flush();
      }
      pending.push({ table, isInsert, sql, params });
      pendingParams += params.length;
      return [];
    },
    async exec(sql: string) {
      await flush();
      await tx.exec(sql);
    },
    flush,
  };
}

/** `WITH w1 AS (write 1), w2 AS (write 2) write 3`, each write's `$n` moved past the earlier ones'. */
function combineWrites(writes: readonly PendingWrite[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts = writes.map(({ sql, params: own }) => {
    const offset = params.length;
    params.push(...own);
    return sql.replace(/\$(\d+)/g, (_match, index: string) => `$${Number(index) + offset}`);
  });
  const last = parts.pop() ?? '';
  const ctes = parts.map((part, index) => `w${index + 1} AS (${part})`);
  return { sql: `WITH ${ctes.join(', ')} ${last}`, params };
}

/** A column written by {@link insertRows}: its name and SQL type (`uuid`, `jsonb`, …). */
export interface InsertColumn {
  readonly name: string;
  readonly type: string;
}

/**
 * Inserts many rows in one prepared statement whose text does not depend on how many rows
 * there are: each column goes as one text array (`unnest`), cast to its type. A multi-row
 * VALUES list instead has one bind parameter per value and a new text per row count, parsed
 * and planned every time. Values are strings, numbers, booleans or null; `rows` holds them in
 * `columns` order.
 */
export async function insertRows(
  tx: Queryable,
  table: string,
  columns: readonly InsertColumn[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const arrays = columns.map((_column, index) =>
    rows.map((row) => {
      const value = row[index];
      if (value === null || value === undefined) {
        return null;
      }
      return typeof value === 'string' ? value : JSON.stringify(value);
    }),
  );
  const names = columns.map(({ name }) => name).join(', ');
  const casts = columns.map(({ name, type }) => `${name}::${type}`).join(', ');
  const unnest = columns.map((_column, index) => `$${index + 1}::text[]`).join(', ');
  await tx.query(
    `INSERT INTO ${table} (${names}) SELECT ${casts} FROM unnest(${unnest}) AS input (${names})`,
    arrays,
    { prepare: true },
  );
}
