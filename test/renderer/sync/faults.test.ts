import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_MUTATIONS_PER_PUSH } from '#shared/sync/protocol';
import type { ReviewItemRecord } from '#shared/sync/rows';
import { itemView } from '#shared/sync/view';
import type { FetchLike } from '../../../renderer/src/sync/transport';
import { createTestServer, type TestServer, type TestUsername } from '../../server/harness';
import { submitNewListing } from '../../server/sync/client';
import { injectFetch, type NetworkFaults } from '../support/injectFetch';
import { Machine, openWorkstation, type Workstation } from '../support/workstation';

/**
 * Fault scenarios of the sync research (§3) that live on the workstation's side: the sync engine
 * against the real review server (embedded PostgreSQL) with fake-indexeddb as IndexedDB.
 */
let server: TestServer;
let faults: NetworkFaults;
let fetch: FetchLike;
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
  username: TestUsername = 'reviewer1',
  options: { deviceNow?: () => number; on?: Machine; fetch?: FetchLike } = {},
): Promise<Workstation> {
  const opened = await openWorkstation(
    server,
    options.on ?? machine,
    username,
    options.fetch ?? fetch,
    options.deviceNow === undefined ? {} : { deviceNow: options.deviceNow },
  );
  open.push(opened);
  return opened;
}

async function close(ws: Workstation): Promise<void> {
  await ws.close();
  open.splice(open.indexOf(ws), 1);
}

async function serverCount(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await server.db.query<{ n: number }>(
    `SELECT count(*)::int8 AS n FROM ${sql}`,
    params,
  );
  return row?.n ?? -1;
}

const MINUTE = 60_000;

/** The test's network, also noting the UTF-8 size of each push request's body. */
function countingPushes(): { pushBodies: number[]; counting: FetchLike } {
  const pushBodies: number[] = [];
  const counting: FetchLike = async (input, init) => {
    if (input.endsWith('/sync/v1/push') && typeof init?.body === 'string') {
      pushBodies.push(new TextEncoder().encode(init.body).length);
    }
    return fetch(input, init);
  };
  return { pushBodies, counting };
}

describe('scenario 4: the app is killed after the push is sent, before the answer', () => {
  it('replays the outbox after the restart and the server applies each mutation once', async () => {
    const { itemId } = await submitNewListing(server);
    const before = await workstation();
    await before.engine.syncOnce();
    await before.record('claim', { itemId });
    await before.record('approve', { itemId });
    // The server commits both; the app dies before it reads the answer.
    faults.dropResponses = 1;
    expect(await before.engine.syncOnce()).toBe('offline');
    expect(await serverCount('decisions WHERE item_id = $1', [itemId])).toBe(1);
    await close(before);

    // The same computer starts again: same IndexedDB, same client id, same outbox.
    const after = await workstation();
    expect(await after.db.outbox.count()).toBe(2);
    expect(await after.engine.syncOnce()).toBe('done');

    const results = await after.db.results.orderBy('seq').toArray();
    expect(results.map((row) => [row.seq, row.name, row.status])).toEqual([
      [1, 'claim', 'applied'],
      [2, 'approve', 'applied'],
    ]);
    expect(await after.db.outbox.count()).toBe(0);
    expect(await serverCount('decisions WHERE item_id = $1', [itemId])).toBe(1);
    expect(await serverCount(`sync_mutation_results WHERE status = 'applied'`)).toBe(2);
    expect(machine.bridge.journal_).toEqual([]);
  });
});

describe('scenario 14: the computer’s clock is wrong', () => {
  it.each([
    ['5 minutes ahead', 5 * MINUTE],
    ['an hour behind', -60 * MINUTE],
    ['a day ahead', 24 * 60 * MINUTE],
  ])('syncs with the clock %s and learns the offset', async (_label, skewMs) => {
    const { itemId } = await submitNewListing(server);
    const ws = await workstation('reviewer1', { deviceNow: () => server.clock.now() + skewMs });
    expect(await ws.engine.syncOnce()).toBe('done');
    // The server time at the middle of the round trip: the test's server clock stands still.
    expect(ws.engine.getStatus().serverOffsetMs).toBe(-skewMs);

    await ws.record('claim', { itemId });
    await ws.record('approve', { itemId });
    expect(await ws.engine.syncOnce()).toBe('done');
    expect((await ws.db.results.orderBy('seq').toArray()).map((row) => row.status)).toEqual([
      'applied',
      'applied',
    ]);
    expect(await serverCount('decisions WHERE item_id = $1', [itemId])).toBe(1);
  });

  it('judges leases in server time: a day-fast clock does not think a live claim expired', async () => {
    const { itemId } = await submitNewListing(server);
    const holder = await workstation('reviewer2', { on: new Machine() });
    await holder.engine.syncOnce();
    await holder.record('claim', { itemId });
    expect(await holder.engine.syncOnce()).toBe('done');

    const dayFast = () => server.clock.now() + 24 * 60 * MINUTE;
    const fast = await workstation('reviewer1', { deviceNow: dayFast });
    expect(await fast.engine.syncOnce()).toBe('done');
    // What the queue and item page show: server time is the device clock plus the learned offset.
    const cached = (await fast.db
      .mirror('review_items')
      .get(itemId)) as unknown as ReviewItemRecord;
    const view = (deviceNow: number) =>
      itemView(cached, {
        userId: fast.session.user.id,
        pending: [],
        results: [],
        serverNow: deviceNow + fast.engine.getStatus().serverOffsetMs,
      });
    expect(view(dayFast()).heldByOther).toBe(true);

    await fast.record('approve', { itemId });
    expect(await fast.engine.syncOnce()).toBe('done');
    // reviewer2's lease is live on the server's clock, so the approval loses, visibly.
    const [result] = await fast.db.results.toArray();
    expect([result?.status, result?.code]).toEqual(['conflict', 'CLAIMED_BY_OTHER']);
    expect(await serverCount('decisions WHERE item_id = $1', [itemId])).toBe(0);
  });

  it('keeps the recorded order when the clock jumps backwards mid-session', async () => {
    const { itemId } = await submitNewListing(server);
    let skewMs = 0;
    const ws = await workstation('reviewer1', { deviceNow: () => server.clock.now() + skewMs });
    await ws.engine.syncOnce();
    await ws.record('claim', { itemId });
    skewMs = -2 * 60 * MINUTE;
    await ws.record('comment', {
      itemId,
      path: '/basic/title',
      text: '标题需要补充',
      reasonCode: 'other',
    });
    await ws.record('approve', { itemId });
    const recorded = await ws.db.outbox.orderBy('seq').toArray();
    // The device times go backwards, the seqs do not.
    expect(Date.parse(recorded[1]!.createdAt)).toBeLessThan(Date.parse(recorded[0]!.createdAt));

    expect(await ws.engine.syncOnce()).toBe('done');
    expect(
      (await ws.db.results.orderBy('seq').toArray()).map((row) => [row.name, row.status]),
    ).toEqual([
      ['claim', 'applied'],
      ['comment', 'applied'],
      ['approve', 'applied'],
    ]);
    expect(ws.engine.getStatus().serverOffsetMs).toBe(2 * 60 * MINUTE);
  });
});

describe('scenario 17: thousands of decisions queued offline', () => {
  it('drains 5,000 in batches of at most 100 mutations and 1 MB, in order, each once', async () => {
    const items = [await submitNewListing(server, 'A'), await submitNewListing(server, 'B')];
    const { pushBodies, counting } = countingPushes();
    const ws = await workstation('reviewer1', { fetch: counting });
    await ws.engine.syncOnce();
    faults.offline = true;
    const total = 5000;
    for (let index = 0; index < total; index += 1) {
      // Every 50th note is as long as a note may be, in Chinese (3 bytes a character in UTF-8).
      const text = index % 50 === 0 ? '长'.repeat(2000) : `第 ${index} 条意见`;
      await ws.record('comment', {
        itemId: items[index % 2]!.itemId,
        path: '/basic/title',
        text,
      });
    }
    expect(await ws.engine.syncOnce()).toBe('offline');
    faults.offline = false;
    pushBodies.length = 0;

    expect(await ws.engine.syncOnce()).toBe('done');
    expect(pushBodies.length).toBeLessThanOrEqual(total / MAX_MUTATIONS_PER_PUSH);
    expect(Math.max(...pushBodies)).toBeLessThanOrEqual(1_000_000);
    expect(await ws.db.outbox.count()).toBe(0);
    const results = await ws.db.results.orderBy('seq').toArray();
    expect(results).toHaveLength(total);
    expect(results.every((row, index) => row.seq === index + 1 && row.status === 'applied')).toBe(
      true,
    );
    expect(await serverCount(`sync_mutation_results WHERE status = 'applied'`)).toBe(total);
    expect(await serverCount('field_comments')).toBe(total);
  }, 180_000);

  it('measures the 1 MB in UTF-8 bytes: long Chinese rejections still fit the server’s limit', async () => {
    const { pushBodies, counting } = countingPushes();
    const ws = await workstation('reviewer1', { fetch: counting });
    await ws.engine.syncOnce();
    // Ten notes of 2,000 Chinese characters: ~20,000 characters but ~60 KB of UTF-8 each.
    const comments = Array.from({ length: 10 }, (_, index) => ({
      path: `/basic/field${index}`,
      reasonCode: 'other',
      text: '资质说明不完整'.repeat(285),
    }));
    const total = 60;
    for (let index = 0; index < total; index += 1) {
      await ws.record('reject', { itemId: randomUUID(), reasons: ['other'], comments });
    }
    expect(await ws.engine.syncOnce()).toBe('done');
    expect(Math.max(...pushBodies)).toBeLessThanOrEqual(1_000_000);
    // Unknown items: each gets its terminal answer, none is stuck behind a refused request.
    const results = await ws.db.results.toArray();
    expect(results).toHaveLength(total);
    expect(new Set(results.map((row) => row.code))).toEqual(new Set(['NOT_FOUND']));
  }, 120_000);
});

describe('scenario 30: the push fails once and the user does nothing', () => {
  it('retries on the timer without a new write', async () => {
    const { itemId } = await submitNewListing(server);
    const ws = await workstation();
    await ws.engine.syncOnce();
    await ws.record('claim', { itemId });
    faults.offline = true;
    ws.engine.syncNow();
    await ws.engine.idle();
    expect(ws.timers).toHaveLength(1);
    expect(await ws.db.outbox.count()).toBe(1);

    // The network comes back without an `online` event, and nobody records anything.
    faults.offline = false;
    ws.timers[0]!.callback();
    await ws.engine.idle();
    expect(await ws.db.outbox.count()).toBe(0);
    expect(await serverCount(`claims WHERE item_id = $1`, [itemId])).toBe(1);
    expect(ws.timers).toHaveLength(1);
  });
});
