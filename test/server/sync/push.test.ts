import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  OutOfOrderResponse,
  PushResponse,
  TransientFailureResponse,
} from '#shared/sync/protocol';
import { createTestServer, type TestServer } from '../harness';
import { submitNewListing, TestSyncClient } from './client';
import type { Database, Queryable, QueryOptions } from '../../../server/src/db/database';
import { dbError, FaultyDatabase } from './faults';

/**
 * Lets a test swap one statement sent inside a transaction for another, so that a chosen
 * mutation fails in the database itself (the transaction really is aborted), not in JS.
 */
class StatementRewriter implements Database {
  readonly kind: Database['kind'];
  rewrite: ((sql: string, params: readonly unknown[]) => string | null) | null = null;

  constructor(private readonly inner: Database) {
    this.kind = inner.kind;
  }

  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<Row[]> {
    return this.inner.query<Row>(sql, params, options);
  }

  exec(sql: string): Promise<void> {
    return this.inner.exec(sql);
  }

  transaction<T>(
    body: (tx: Queryable) => Promise<T>,
    options?: Parameters<Database['transaction']>[1],
  ): Promise<T> {
    return this.inner.transaction(
      (tx) =>
        body({
          query: <Row extends object>(
            sql: string,
            params: readonly unknown[] = [],
            queryOptions?: QueryOptions,
          ) => {
            const replaced = this.rewrite?.(sql, params) ?? null;
            return replaced === null
              ? tx.query<Row>(sql, params, queryOptions)
              : tx.query<Row>(replaced);
          },
          exec: (sql) => tx.exec(sql),
        }),
      options,
    );
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * RSP/1 push at the protocol level: exactly-once under retries and duplicates, gapless order,
 * permanent failures that never block the queue, transient failures that stop the batch.
 * Scenario numbers refer to ../shared/research/sync-anchors.md §3.
 */
let server: TestServer;
let faulty: FaultyDatabase;
let statements: StatementRewriter;

beforeEach(async () => {
  server = await createTestServer(
    {},
    {
      wrapDb: (db) => {
        statements = new StatementRewriter(db);
        faulty = new FaultyDatabase(statements);
        return faulty;
      },
    },
  );
});
afterEach(async () => {
  await server.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await server.db.query<{ n: number }>(
    `SELECT count(*)::int8 AS n FROM ${sql}`,
    params,
  );
  return row?.n ?? -1;
}

/** Listings submitted and waiting; returns their review item ids. */
async function pendingItems(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < n; index += 1) {
    ids.push((await submitNewListing(server, `英国硕士申请旗舰包${index}`)).itemId);
  }
  return ids;
}

describe('exactly once', () => {
  it('answers a retried batch with the stored results and applies nothing twice (scenario 1)', async () => {
    const [itemId] = await pendingItems(1);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const batch = reviewer.record(
      { name: 'claim', args: { itemId } },
      { name: 'approve', args: { itemId } },
    );

    const first = await reviewer.push(batch);
    // The response is "lost": the client sends the same batch again.
    const again = await reviewer.push(batch);

    expect(again).toEqual(first);
    expect(first.map((result) => result.status)).toEqual(['applied', 'applied']);
    expect(await count('decisions WHERE item_id = $1', [itemId])).toBe(1);
    expect(await count('claims WHERE item_id = $1', [itemId])).toBe(1);
    expect(await count('sync_mutation_results')).toBe(2);
  });

  it('applies a batch pushed twice at once exactly once (scenario 2)', async () => {
    const [itemId] = await pendingItems(1);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const batch = reviewer.record(
      { name: 'claim', args: { itemId } },
      { name: 'approve', args: { itemId } },
    );

    const [a, b] = await Promise.all([reviewer.pushRaw(batch), reviewer.pushRaw(batch)]);

    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json<PushResponse>().results).toEqual(b.json<PushResponse>().results);
    expect(await count(`decisions WHERE item_id = $1 AND outcome = 'approve'`, [itemId])).toBe(1);
  });

  it('resends after a crash mid-batch: the first mutations replay, the rest apply once (scenario 5)', async () => {
    const items = await pendingItems(10);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const batch = reviewer.record(...items.map((itemId) => ({ name: 'claim', args: { itemId } })));
    // The first three were pushed and stored; the response to the full batch is then lost
    // because the server dies before the push's transaction commits.
    const stored = await reviewer.push(batch.slice(0, 3));
    await server.token('reviewer1');
    const base = faulty.transactions;
    faulty.beforeCommit = (index) =>
      index === base ? dbError('ECONNRESET', 'Connection terminated unexpectedly') : null;

    const crashed = await reviewer.pushRaw(batch);
    expect(crashed.statusCode).toBe(503);
    const body = crashed.json<TransientFailureResponse>();
    expect(body).toMatchObject({ code: 'TRANSIENT', processedThrough: 3 });
    expect(body.results).toEqual(stored);
    expect(crashed.headers['retry-after']).toBe('1');
    expect(await count('claims WHERE released_at IS NULL')).toBe(3);

    faulty.heal();
    const resent = await reviewer.push(batch);
    expect(resent.map((result) => result.status)).toEqual(Array(10).fill('applied'));
    expect(resent.slice(0, 3)).toEqual(body.results);
    expect(await count('claims WHERE released_at IS NULL')).toBe(10);
    expect(await count('sync_mutation_results')).toBe(10);
  });

  it('isolates each mutation of a batch: one failing in the database rolls back only itself', async () => {
    const [first, second, third] = await pendingItems(3);
    const [listing] = await server.db.query<{ subject_id: string }>(
      'SELECT subject_id FROM review_items WHERE id = $1',
      [second],
    );
    // The second claim fails inside the database after it has read and locked its rows (a
    // division by zero instead of the statement that updates its listing, with the claim and
    // item rows when the writes go out together), which aborts the transaction for real.
    statements.rewrite = (sql, params) =>
      sql.includes('UPDATE listings') && params.includes(listing?.subject_id)
        ? 'SELECT 1 / 0'
        : null;
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const batch = reviewer.record(
      { name: 'claim', args: { itemId: first } },
      { name: 'claim', args: { itemId: second } },
      { name: 'claim', args: { itemId: third } },
    );

    const results = await reviewer.push(batch);
    statements.rewrite = null;
    const replayed = await reviewer.push(batch);

    expect(results.map((result) => [result.status, result.code])).toEqual([
      ['applied', null],
      ['rejected', 'INTERNAL'],
      ['applied', null],
    ]);
    expect(replayed).toEqual(results);
    for (const [itemId, claims, state] of [
      [first, 1, 'in_review'],
      [second, 0, 'pending'],
      [third, 1, 'in_review'],
    ] as const) {
      expect(await count('claims WHERE item_id = $1', [itemId])).toBe(claims);
      expect(
        await count(
          `audit_events WHERE item_id = $1 AND subject_type = 'review_item' AND action = 'claim'`,
          [itemId],
        ),
      ).toBe(claims);
      const [item] = await server.db.query<{ state: string }>(
        'SELECT state FROM review_items WHERE id = $1',
        [itemId],
      );
      expect(item?.state).toBe(state);
    }
    expect(await count('sync_mutation_results')).toBe(3);
    expect(await count('sync_dead_letter WHERE seq = 2')).toBe(1);
  });

  it('retries serialisation failures, then answers 503 and succeeds later (scenario 8)', async () => {
    const [itemId] = await pendingItems(1);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const batch = reviewer.record({ name: 'claim', args: { itemId } });
    await server.token('reviewer1');
    let failures = 0;
    faulty.beforeCommit = () => {
      failures += 1;
      return dbError('40001', 'could not serialize access due to concurrent update');
    };

    const storm = await reviewer.pushRaw(batch);
    expect(storm.statusCode).toBe(503);
    expect(failures).toBe(3);
    expect(storm.json<TransientFailureResponse>().processedThrough).toBe(0);

    // Two more failures, then the database recovers within the retries of one push.
    failures = 0;
    faulty.beforeCommit = () => (failures++ < 2 ? dbError('40P01', 'deadlock detected') : null);
    const [result] = await reviewer.push(batch);
    expect(result).toMatchObject({ status: 'applied' });
    expect(await count('claims WHERE item_id = $1', [itemId])).toBe(1);
  });

  it('counts the same mutation id under another client once (journal replay)', async () => {
    const [itemId] = await pendingItems(1);
    const first = new TestSyncClient(server, 'reviewer1');
    const [envelope] = first.record({ name: 'claim', args: { itemId } });
    await first.push([envelope!]);

    const replayed = new TestSyncClient(server, 'reviewer1');
    const [result] = await replayed.push([{ ...envelope!, seq: 1 }]);

    expect(result).toMatchObject({ status: 'duplicate', code: 'DUPLICATE' });
    expect(result?.details).toMatchObject({ originalStatus: 'applied' });
    expect(await count('claims WHERE item_id = $1', [itemId])).toBe(1);
  });
});

describe('order', () => {
  it('refuses a sequence gap with 409 and changes nothing (scenario 6)', async () => {
    const [itemId] = await pendingItems(1);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const [first, second] = reviewer.record(
      { name: 'claim', args: { itemId } },
      { name: 'approve', args: { itemId } },
    );

    const gap = await reviewer.pushRaw([second!]);

    expect(gap.statusCode).toBe(409);
    expect(gap.json<OutOfOrderResponse>()).toEqual({
      code: 'OUT_OF_ORDER',
      expectedSeq: 1,
      lastSeq: 0,
    });
    expect(await count('claims')).toBe(0);
    // The client recovers by sending from the expected seq.
    const results = await reviewer.push([first!, second!]);
    expect(results.map((result) => result.status)).toEqual(['applied', 'applied']);
  });

  it('marks a poison mutation rejected and applies everything after it (scenario 7)', async () => {
    const items = await pendingItems(50);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const batch = reviewer.record(
      ...items.map((itemId, index) =>
        index === 24
          ? { name: 'reject', args: { itemId, reasons: [], comments: [] } }
          : { name: 'claim', args: { itemId } },
      ),
    );
    const results = [];
    for (let start = 0; start < batch.length; start += 25) {
      results.push(...(await reviewer.push(batch.slice(start, start + 25))));
    }
    expect(results).toHaveLength(50);
    expect(results[24]).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(results.filter((result) => result.status === 'applied')).toHaveLength(49);
    expect(await count('claims WHERE released_at IS NULL')).toBe(49);
  });
});

describe('versions and names', () => {
  it('dead-letters an unknown mutation or version as UNSUPPORTED and moves on (scenario 25)', async () => {
    const [itemId] = await pendingItems(1);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const results = await reviewer.push(
      reviewer.record(
        { name: 'approve', v: 2, args: { itemId } },
        { name: 'teleport', args: { itemId } },
        { name: 'claim', args: { itemId } },
      ),
    );
    expect(results.map((result) => [result.status, result.code])).toEqual([
      ['rejected', 'UNSUPPORTED'],
      ['rejected', 'UNSUPPORTED'],
      ['applied', null],
    ]);
    expect(results[0]?.details).toMatchObject({ name: 'approve', v: 2, supported: 1 });
    expect(await count('sync_dead_letter')).toBe(2);
    expect(results[0]?.message?.['zh-CN']).toContain('更新应用');
  });

  it('answers 426 to another protocol version without touching anything', async () => {
    const response = await server.as('reviewer1', 'POST', '/sync/v1/push', {
      protocol: 2,
      clientId: randomUUID(),
      mutations: [{ seq: 1, mutationId: randomUUID(), name: 'claim', v: 1, args: {} }],
    });
    expect(response.statusCode).toBe(426);
    expect(response.json()).toMatchObject({ error: { code: 'UPGRADE_REQUIRED' } });
    expect(await count('sync_clients')).toBe(0);
  });

  it('rejects invalid arguments as VALIDATION with the field that is wrong', async () => {
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const [result] = await reviewer.push(
      reviewer.record({ name: 'claim', args: { itemId: "'; DROP TABLE claims; --" } }),
    );
    expect(result).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(JSON.stringify(result?.details)).toContain('itemId');
    expect(await count('claims')).toBe(0);
  });
});

describe('who may push', () => {
  it('refuses another user’s client id with 403 CLIENT_OWNERSHIP', async () => {
    const [itemId] = await pendingItems(1);
    const mine = new TestSyncClient(server, 'reviewer1');
    await mine.do('claim', { itemId });

    const response = await server.as('reviewer2', 'POST', '/sync/v1/push', {
      protocol: 1,
      clientId: mine.clientId,
      mutations: [{ seq: 2, mutationId: randomUUID(), name: 'release', v: 1, args: { itemId } }],
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { code: 'CLIENT_OWNERSHIP' } });
    const pull = await server.as('reviewer2', 'POST', '/sync/v1/pull', {
      protocol: 1,
      clientId: mine.clientId,
      cursor: null,
    });
    expect(pull.statusCode).toBe(403);
  });

  it('needs a valid token', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/sync/v1/push',
      payload: { protocol: 1, clientId: randomUUID(), mutations: [] },
    });
    expect(response.statusCode).toBe(401);
  });

  it.each([
    ['a non-object body', '"push"'],
    ['an empty batch', JSON.stringify({ protocol: 1, clientId: randomUUID(), mutations: [] })],
    [
      'a seq of zero',
      JSON.stringify({
        protocol: 1,
        clientId: randomUUID(),
        mutations: [{ seq: 0, mutationId: randomUUID(), name: 'claim', v: 1, args: {} }],
      }),
    ],
    ['a malformed client id', JSON.stringify({ protocol: 1, clientId: 'me', mutations: [] })],
  ])('refuses %s with 400', async (_name, payload) => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/sync/v1/push',
      headers: {
        authorization: `Bearer ${await server.token('reviewer1')}`,
        'content-type': 'application/json',
      },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'VALIDATION' } });
  });

  it('refuses more than 100 mutations in one push', async () => {
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const batch = reviewer.record(
      ...Array.from({ length: 101 }, () => ({ name: 'claim', args: { itemId: randomUUID() } })),
    );
    const response = await reviewer.pushRaw(batch);
    expect(response.statusCode).toBe(400);
  });
});
