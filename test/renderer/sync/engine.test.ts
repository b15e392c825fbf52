import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewItemRecord } from '#shared/sync/rows';
import { META, readMeta } from '../../../renderer/src/db/database';
import { searchIndexReady } from '../../../renderer/src/db/searchIndex';
import { DEFAULT_FILTERS, runQueueQuery } from '../../../renderer/src/features/queue/queueQuery';
import { exportPending, replayJournal } from '../../../renderer/src/db/outbox';
import { STALL_AFTER_MS } from '../../../renderer/src/sync/engine';
import { createTestServer, type TestServer } from '../../server/harness';
import { submitNewListing } from '../../server/sync/client';
import { injectFetch, type NetworkFaults } from '../support/injectFetch';
import { Machine, openWorkstation, type Workstation } from '../support/workstation';

/**
 * The sync engine against the real review server (embedded PostgreSQL), with fake-indexeddb as
 * the browser's IndexedDB and faults injected in the network.
 */
let server: TestServer;
let faults: NetworkFaults;
let fetch: ReturnType<typeof injectFetch>['fetch'];
let machine: Machine;
const open: Workstation[] = [];

beforeEach(async () => {
  server = await createTestServer();
  ({ fetch, faults } = injectFetch(server));
  machine = new Machine();
});
afterEach(async () => {
  for (const workstation of open.splice(0)) {
    await workstation.close();
  }
  await server.close();
});

async function workstation(
  username: 'reviewer1' | 'reviewer2' | 'ops1' = 'reviewer1',
): Promise<Workstation> {
  const opened = await openWorkstation(server, machine, username, fetch);
  open.push(opened);
  return opened;
}

async function serverCount(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await server.db.query<{ n: number }>(
    `SELECT count(*)::int8 AS n FROM ${sql}`,
    params,
  );
  return row?.n ?? -1;
}

describe('bootstrap and deltas', () => {
  it('downloads the queue into IndexedDB and keeps it current', async () => {
    const first = await submitNewListing(server, '英国硕士申请旗舰包');
    const ws = await workstation();
    expect(await ws.engine.syncOnce()).toBe('done');
    const item = (await ws.db
      .mirror('review_items')
      .get(first.itemId)) as unknown as ReviewItemRecord;
    expect(item.state).toBe('pending');
    expect(await readMeta(ws.db, META.bootstrapped, false)).toBe(true);

    const second = await submitNewListing(server, '美国本科文书精修');
    expect(await ws.engine.syncOnce()).toBe('done');
    expect(await ws.db.mirror('review_items').get(second.itemId)).toBeDefined();
    expect(ws.engine.getStatus().lastSyncServerTime).toBe(
      new Date(server.clock.now()).toISOString(),
    );
  });

  it('stores a bootstrap without its search index, searchable meanwhile, and indexes it after', async () => {
    const first = await submitNewListing(server, '英国硕士申请旗舰包');
    const ws = await workstation();
    // A stopped engine builds no search index in the background: the state a search meets
    // between the bootstrap's last page and the index's completion.
    ws.engine.stop();
    expect(await ws.engine.syncOnce()).toBe('done');
    expect(await searchIndexReady(ws.db)).toBe(false);
    expect(await ws.db.searchTokens.count()).toBe(0);
    const search = () =>
      runQueueQuery(
        ws.db,
        { ...DEFAULT_FILTERS, query: '硕士' },
        { userId: randomUUID(), now: server.clock.now() },
      );
    const before = await search();
    expect(before.keys).toEqual([first.itemId]);
    expect(before.plan).not.toContain('_searchOrder');

    await ws.engine.start();
    await ws.engine.idle();
    await ws.engine.indexSearch();
    expect(await searchIndexReady(ws.db)).toBe(true);
    const after = await search();
    expect(after.keys).toEqual([first.itemId]);
    expect(after.plan).toBe('walk _searchOrder=硕士');

    // A delta writes its items' search index rows in its own transaction: no rebuild needed.
    const second = await submitNewListing(server, '美国硕士文书精修');
    ws.engine.stop();
    expect(await ws.engine.syncOnce()).toBe('done');
    expect(await searchIndexReady(ws.db)).toBe(true);
    expect((await ws.db.searchTokens.get(second.itemId))?._searchOrder.length).toBeGreaterThan(0);
    const both = await search();
    expect([...(await both.ensure(10))].sort()).toEqual([first.itemId, second.itemId].sort());
    expect(both.plan).toBe('walk _searchOrder=硕士');
  });
});

describe('working offline', () => {
  it('keeps decisions made offline and applies each exactly once on reconnect', async () => {
    const items = [
      await submitNewListing(server, '英国硕士A'),
      await submitNewListing(server, '英国硕士B'),
    ];
    const ws = await workstation();
    await ws.engine.syncOnce();
    faults.offline = true;
    for (const { itemId } of items) {
      await ws.record('claim', { itemId });
      await ws.record('approve', { itemId });
    }

    expect(await ws.engine.syncOnce()).toBe('offline');
    expect(ws.engine.getStatus().online).toBe(false);
    expect(await ws.db.outbox.count()).toBe(4);
    expect((await ws.db.outbox.toArray()).map((row) => row.status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
    ]);

    faults.offline = false;
    ws.engine.setOnline(true);
    await ws.engine.idle();

    expect(await ws.db.outbox.count()).toBe(0);
    expect(await serverCount(`decisions WHERE outcome = 'approve'`)).toBe(2);
    const results = await ws.db.results.toArray();
    expect(results.map((row) => [row.seq, row.status, row.dismissed])).toEqual([
      [1, 'applied', 1],
      [2, 'applied', 1],
      [3, 'applied', 1],
      [4, 'applied', 1],
    ]);
    const item = (await ws.db
      .mirror('review_items')
      .get(items[0]!.itemId)) as unknown as ReviewItemRecord;
    expect(item.state).toBe('decided');
  });

  it('backs off with full jitter, doubling up to a minute', async () => {
    const ws = await workstation();
    await ws.engine.syncOnce();
    faults.offline = true;
    await ws.record('claim', { itemId: randomUUID() });
    const delays: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      ws.engine.syncNow();
      await ws.engine.idle();
      delays.push(ws.timers.at(-1)!.ms);
    }
    // random() is 0.5 in tests: half of min(60 s, 1 s · 2^n).
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    ws.engine.setOnline(true);
    expect(ws.engine.getStatus().failures).toBe(0);
  });

  it('survives a lost push response: the retry gets the stored results, nothing twice', async () => {
    const { itemId } = await submitNewListing(server);
    const ws = await workstation();
    await ws.engine.syncOnce();
    await ws.record('claim', { itemId });
    await ws.record('approve', { itemId });
    faults.dropResponses = 1;

    expect(await ws.engine.syncOnce()).toBe('offline');
    expect(await ws.db.outbox.count()).toBe(2);
    expect(await ws.engine.syncOnce()).toBe('done');

    expect(await ws.db.outbox.count()).toBe(0);
    expect(await serverCount('decisions WHERE item_id = $1', [itemId])).toBe(1);
    expect(await serverCount('sync_mutation_results')).toBe(2);
  });

  it('recovers from a gap in its own outbox by renumbering from the seq the server expects', async () => {
    const { itemId } = await submitNewListing(server);
    const ws = await workstation();
    await ws.engine.syncOnce();
    await ws.record('claim', { itemId });
    await ws.record('approve', { itemId });
    await ws.db.outbox.delete(1);

    expect(await ws.engine.syncOnce()).toBe('done');
    const results = await ws.db.results.toArray();
    expect(results.map((row) => [row.seq, row.name, row.status])).toEqual([
      [1, 'approve', 'applied'],
    ]);
  });

  it('stores results of a batch cut short by the server and retries the rest (503)', async () => {
    const items = [await submitNewListing(server, 'A'), await submitNewListing(server, 'B')];
    const ws = await workstation();
    await ws.engine.syncOnce();
    await ws.record('claim', { itemId: items[0]!.itemId });
    await ws.record('claim', { itemId: items[1]!.itemId });
    let calls = 0;
    const realFetch = fetch;
    const flaky = await openWorkstation(server, new Machine(), 'reviewer2', async (input, init) => {
      if (input.endsWith('/sync/v1/push') && calls++ === 0) {
        return new Response(
          JSON.stringify({
            code: 'TRANSIENT',
            processedThrough: 0,
            retryAfterMs: 1000,
            results: [],
          }),
          { status: 503 },
        );
      }
      return realFetch(input, init);
    });
    open.push(flaky);
    await flaky.engine.syncOnce();
    await flaky.record('claim', { itemId: items[0]!.itemId });
    calls = 0;
    expect(await flaky.engine.syncOnce()).toBe('transient');
    expect(await flaky.db.outbox.count()).toBe(1);
    expect(await flaky.engine.syncOnce()).toBe('done');
    expect(await flaky.db.outbox.count()).toBe(0);
    expect(await ws.engine.syncOnce()).toBe('done');
  });
});

describe('conflicts', () => {
  it('flags a pending decision at risk after a pull, then files the conflict in the inbox', async () => {
    const { itemId } = await submitNewListing(server);
    const mine = await workstation('reviewer1');
    await mine.engine.syncOnce();
    faults.offline = true;
    await mine.record('approve', { itemId });
    faults.offline = false;

    const other = await openWorkstation(server, new Machine(), 'reviewer2', fetch);
    open.push(other);
    await other.engine.syncOnce();
    await other.record('reject', {
      itemId,
      reasons: ['missing_material'],
      comments: [
        { path: '/credentials/files', reasonCode: 'missing_material', text: '缺合同样本' },
      ],
    });
    expect(await other.engine.syncOnce()).toBe('done');

    // Before pushing, a pull shows the item decided: the pending approval is "likely conflict".
    faults.offline = false;
    await (mine.engine as unknown as { pullAll(): Promise<string> }).pullAll();
    const [pending] = await mine.db.outbox.toArray();
    expect(pending?.atRisk?.code).toBe('ALREADY_DECIDED');

    expect(await mine.engine.syncOnce()).toBe('done');
    const [result] = await mine.db.results.toArray();
    expect(result).toMatchObject({
      status: 'conflict',
      code: 'ALREADY_DECIDED',
      dismissed: 0,
      args: { itemId },
    });
    expect(result?.details['decision']).toMatchObject({
      outcome: 'reject',
      reviewerName: 'reviewer2',
    });
  });
});

describe('sessions', () => {
  it('refreshes an expired access token by itself', async () => {
    const ws = await workstation();
    await ws.engine.syncOnce();
    server.clock.advance(16 * 60_000);
    await submitNewListing(server);
    expect(await ws.engine.syncOnce()).toBe('done');
    expect(await ws.db.mirror('review_items').count()).toBe(1);
  });

  it('after days offline with an expired refresh token, asks to sign in and keeps the outbox', async () => {
    const { itemId } = await submitNewListing(server);
    const ws = await workstation();
    await ws.engine.syncOnce();
    await ws.record('claim', { itemId });
    faults.offline = true;
    expect(await ws.engine.syncOnce()).toBe('offline');
    server.clock.advance(31 * 24 * 3_600_000);
    faults.offline = false;

    ws.engine.syncNow();
    await ws.engine.idle();
    expect(ws.engine.getStatus().phase).toBe('signed_out');
    expect(await ws.db.outbox.count()).toBe(1);

    // Signing in again opens the same local database; the decision goes out then.
    await ws.close();
    open.splice(open.indexOf(ws), 1);
    const again = await workstation();
    expect(await again.db.outbox.count()).toBe(1);
    expect(await again.engine.syncOnce()).toBe('done');
    expect(await serverCount('claims WHERE item_id = $1', [itemId])).toBe(1);
  });

  it('never shows or pushes one user’s pending work to another user of the same machine', async () => {
    const { itemId } = await submitNewListing(server);
    const first = await workstation('reviewer1');
    await first.engine.syncOnce();
    faults.offline = true;
    await first.record('approve', { itemId });
    await first.close();
    open.splice(open.indexOf(first), 1);
    faults.offline = false;

    const second = await workstation('reviewer2');
    expect(second.db.name).not.toBe(first.db.name);
    expect(await second.db.outbox.count()).toBe(0);
    expect(await second.engine.syncOnce()).toBe('done');
    expect(await serverCount('decisions')).toBe(0);
    expect(machine.bridge.journal_.every((entry) => entry.userId === first.session.user.id)).toBe(
      true,
    );
  });
});

describe('losing IndexedDB', () => {
  it('replays the journal under a new client id: applied ones count once, the rest apply', async () => {
    const a = await submitNewListing(server, 'A');
    const b = await submitNewListing(server, 'B');
    const ws = await workstation();
    await ws.engine.syncOnce();
    await ws.record('approve', { itemId: a.itemId });
    // The first approval reaches the server but its answer is lost; then IndexedDB is gone.
    faults.dropResponses = 1;
    await ws.engine.syncOnce();
    await ws.record('approve', { itemId: b.itemId });
    expect(machine.bridge.journal_).toHaveLength(2);
    await ws.close();
    open.splice(open.indexOf(ws), 1);
    machine.wipeIndexedDb();

    const fresh = await workstation();
    const replayed = await replayJournal(
      fresh.db,
      await machine.bridge.journal.list({ userId: fresh.session.user.id }),
      { now: () => new Date(server.clock.now()), newId: randomUUID },
    );
    expect(replayed).toBe(2);
    expect(await fresh.engine.syncOnce()).toBe('done');

    const results = await fresh.db.results.orderBy('seq').toArray();
    expect(results.map((row) => row.status)).toEqual(['duplicate', 'applied']);
    expect(await serverCount(`decisions WHERE outcome = 'approve'`)).toBe(2);
    // Answered mutations leave the journal.
    expect(machine.bridge.journal_).toEqual([]);
  });
});

describe('stalls and storage', () => {
  it('reports a stall when online with pending work and no successful push for two minutes', async () => {
    const ws = await workstation();
    await ws.engine.start();
    await ws.engine.idle();
    // From now on the server only answers 503.
    (ws.engine as unknown as { deps: { transport: { post: unknown } } }).deps.transport.post = () =>
      Promise.resolve({
        status: 503,
        body: { code: 'TRANSIENT', processedThrough: 0, retryAfterMs: 1000, results: [] },
        headers: new Headers(),
        midpoint: server.clock.now(),
      });
    await ws.record('claim', { itemId: randomUUID() });
    await ws.engine.tick();
    expect(ws.engine.getStatus().stalled).toBe(false);
    server.clock.advance(STALL_AFTER_MS + 1000);
    ws.engine.syncNow();
    await ws.engine.idle();
    expect(ws.engine.getStatus().stalled).toBe(true);

    const exported = JSON.parse(await exportPending(ws.db, new Date(server.clock.now()))) as {
      pending: unknown[];
    };
    expect(exported.pending).toHaveLength(1);
  });

  it('empties the file cache and goes on when the disk fills up during a bootstrap', async () => {
    await submitNewListing(server);
    const ws = await workstation();
    await ws.db.blobs.put({
      key: 'f1',
      blob: new Blob(['x']),
      size: 1,
      mimeType: 'text/plain',
      lastUsedAt: 1,
    });
    const original = ws.db.transaction.bind(ws.db);
    let failed = false;
    (ws.db as unknown as { transaction: unknown }).transaction = (...args: unknown[]) => {
      const tables = args.slice(1, -1).flat() as { name?: string }[];
      if (!failed && tables.some((table) => table.name === 'srv_users')) {
        failed = true;
        return Promise.reject(
          Object.assign(new Error('quota'), {
            name: 'AbortError',
            inner: { name: 'QuotaExceededError' },
          }),
        );
      }
      return (original as (...a: unknown[]) => unknown)(...args);
    };
    expect(await ws.engine.syncOnce()).toBe('done');
    expect(failed).toBe(true);
    expect(await ws.db.blobs.count()).toBe(0);
    expect(await ws.db.mirror('review_items').count()).toBe(1);
    // Decisions can still be recorded and sent: no crash loop.
    const [item] = (await ws.db.mirror('review_items').toArray()) as unknown as ReviewItemRecord[];
    await ws.record('claim', { itemId: item!.id });
    expect(await ws.db.outbox.count()).toBe(1);
    expect(await ws.engine.syncOnce()).toBe('done');
    expect(await serverCount(`claims WHERE item_id = $1`, [item!.id])).toBe(1);
  });
});
