import type { Database, Queryable } from '../../../server/src/db/database';

/** A database error as the drivers raise it, with a SQLSTATE or a Node error code. */
export function dbError(code: string, message = `injected ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * Wraps a database so tests can make transactions fail: before they run (a dead connection, a
 * serialisation failure) or after their body but before commit (the server dies mid-push).
 */
export class FaultyDatabase implements Database {
  readonly kind: Database['kind'];
  /** Consulted at the start of each transaction; an error returned is thrown. */
  beforeTransaction: ((index: number) => Error | null) | null = null;
  /** Consulted after a transaction's body, before commit; an error returned aborts it. */
  beforeCommit: ((index: number) => Error | null) | null = null;
  transactions = 0;

  constructor(private readonly inner: Database) {
    this.kind = inner.kind;
  }

  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]> {
    return this.inner.query<Row>(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.inner.exec(sql);
  }

  async transaction<T>(
    body: (tx: Queryable) => Promise<T>,
    options?: Parameters<Database['transaction']>[1],
  ): Promise<T> {
    const index = this.transactions++;
    const early = this.beforeTransaction?.(index) ?? null;
    if (early !== null) {
      throw early;
    }
    return this.inner.transaction(async (tx) => {
      const result = await body(tx);
      const late = this.beforeCommit?.(index) ?? null;
      if (late !== null) {
        throw late;
      }
      return result;
    }, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  heal(): void {
    this.beforeTransaction = null;
    this.beforeCommit = null;
  }
}
