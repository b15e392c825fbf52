import { IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ASSIGNMENTS_PER_WRITE,
  recordAssignments,
} from '../../../renderer/src/kinds/workload/bulkAssign';
import { signIn } from '../../../renderer/src/session/session';
import { openWorkspace, type Workspace } from '../../../renderer/src/workspace/workspace';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../../server/harness';
import { submitNewListing } from '../../server/sync/client';
import { injectFetch } from '../support/injectFetch';
import { Machine } from '../support/workstation';

/**
 * The workload screen's bulk assignment at the size ops asks for (issue 12: 500 items), through
 * the real workspace (fake-indexeddb) against a real review server: recorded offline, pushed when
 * the network returns, applied exactly once each.
 */
const ITEMS = 500;

let server: TestServer;
let network: ReturnType<typeof injectFetch>;
let workspace: Workspace | undefined;

beforeEach(async () => {
  server = await createTestServer();
  network = injectFetch(server);
});
afterEach(async () => {
  await workspace?.close().catch(() => undefined);
  workspace = undefined;
  await server.close();
});

/** Waits for the engine to report an empty outbox (each push is a network round trip). */
async function untilSent(target: Workspace): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    if ((await target.db.outbox.count()) === 0) {
      return;
    }
    target.syncNow();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`outbox still holds ${await target.db.outbox.count()} rows`);
}

describe('bulk assignment of 500 items', () => {
  it('is recorded offline in chunked writes and lands exactly once per item when back online', async () => {
    const itemIds: string[] = [];
    for (let index = 0; index < ITEMS; index += 1) {
      itemIds.push((await submitNewListing(server, `批量分配 ${index}`)).itemId);
    }
    const machine = new Machine();
    const signed = await signIn({
      serverUrl: 'http://review.test',
      username: 'ops1',
      password: TEST_PASSWORD,
      bridge: machine.bridge,
      fetch: network.fetch,
    });
    if (!signed.ok) {
      throw new Error(`sign-in failed: ${JSON.stringify(signed.failure)}`);
    }
    workspace = await openWorkspace(signed.session, {
      bridge: machine.bridge,
      fetch: network.fetch,
      indexedDB: machine.indexedDB,
      IDBKeyRange,
    });
    const reviewerId = await server.userId('reviewer1');

    network.faults.offline = true;
    const progress: number[] = [];
    const outcome = await recordAssignments(workspace, itemIds, reviewerId, (done) =>
      progress.push(done),
    );

    expect(outcome).toEqual({ ok: true, recorded: ITEMS });
    expect(progress).toEqual(
      Array.from(
        { length: ITEMS / ASSIGNMENTS_PER_WRITE },
        (_, i) => (i + 1) * ASSIGNMENTS_PER_WRITE,
      ),
    );
    const outbox = await workspace.db.outbox.orderBy('seq').toArray();
    expect(outbox.map((row) => (row.args as { itemId: string }).itemId)).toEqual(itemIds);
    // Consecutive seqs, distinct mutation ids: 500 mutations, not one.
    expect(outbox.map((row) => row.seq)).toEqual(
      outbox.map((_, index) => (outbox[0]?.seq ?? 0) + index),
    );
    expect(new Set(outbox.map((row) => row.mutationId)).size).toBe(ITEMS);

    network.faults.offline = false;
    await untilSent(workspace);

    const claims = await server.db.query<{ item_id: string; n: string }>(
      `SELECT item_id, count(*)::text AS n FROM claims
        WHERE reviewer_id = $1 AND assigned_by IS NOT NULL GROUP BY item_id`,
      [reviewerId],
    );
    expect(claims).toHaveLength(ITEMS);
    expect(claims.every((row) => row.n === '1')).toBe(true);
    expect(new Set(claims.map((row) => row.item_id))).toEqual(new Set(itemIds));
    const items = await server.db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM review_items WHERE assignee_id = $1 AND id = ANY($2::uuid[])`,
      [reviewerId, itemIds],
    );
    expect(items[0]?.n).toBe(String(ITEMS));
    const results = await workspace.db.results.count();
    expect(results).toBeGreaterThanOrEqual(ITEMS);
  });
});
