import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../harness';
import { submitNewListing, TestSyncClient } from '../sync/client';

/**
 * What the workload screen relies on to release an inactive member's claims: an ops manager's
 * `assign` ends whoever's claim the item has — live or with an expired lease, of a member since
 * marked inactive — and gives it to the chosen member, exactly once per mutation id however often
 * the push is repeated. The core has no other way for one person to end another's claim.
 */
let server: TestServer;
beforeEach(async () => {
  server = await createTestServer();
});
afterEach(async () => {
  await server.close();
});

const HOUR = 3_600_000;

async function liveClaims(itemId: string): Promise<{ reviewer_id: string }[]> {
  return server.db.query<{ reviewer_id: string }>(
    'SELECT reviewer_id FROM claims WHERE item_id = $1 AND released_at IS NULL',
    [itemId],
  );
}

describe('handing over the claims of a member who left', () => {
  it('moves a live and an expired claim of an inactive member to another reviewer, once', async () => {
    const [first, second] = [await submitNewListing(server), await submitNewListing(server)];
    const leaver = new TestSyncClient(server, 'reviewer2');
    expect((await leaver.do('claim', { itemId: first.itemId })).status).toBe('applied');
    // The default lease is 4 hours: the first claim expires, the second is still live.
    server.clock.set(server.clock.now() + 5 * HOUR);
    expect((await leaver.do('claim', { itemId: second.itemId })).status).toBe('applied');
    const leaverId = await server.userId('reviewer2');
    await server.db.query('UPDATE users SET active = false WHERE id = $1', [leaverId]);
    const reviewer1 = await server.userId('reviewer1');

    const ops = new TestSyncClient(server, 'ops1');
    const envelopes = ops.record(
      { name: 'assign', args: { itemId: first.itemId, assigneeId: reviewer1 } },
      { name: 'assign', args: { itemId: second.itemId, assigneeId: reviewer1 } },
    );
    const results = await ops.push(envelopes);
    // The same push again (a lost response): answered with the stored results, nothing re-applied.
    const again = await ops.push(envelopes);

    expect(results.map((result) => result.status)).toEqual(['applied', 'applied']);
    expect(again).toEqual(results);
    for (const { itemId } of [first, second]) {
      expect(await liveClaims(itemId)).toEqual([{ reviewer_id: reviewer1 }]);
      const released = await server.db.query<{ release_reason: string }>(
        'SELECT release_reason FROM claims WHERE item_id = $1 AND reviewer_id = $2',
        [itemId, leaverId],
      );
      expect(released).toEqual([{ release_reason: 'reassigned' }]);
      const audited = await server.db.query<{ details: { previousHolderId: string } }>(
        `SELECT details FROM audit_events WHERE item_id = $1 AND action = 'assign'`,
        [itemId],
      );
      expect(audited.map((event) => event.details.previousHolderId)).toEqual([leaverId]);
      const [item] = await server.db.query<{ assignee_id: string; state: string }>(
        'SELECT assignee_id, state FROM review_items WHERE id = $1',
        [itemId],
      );
      expect(item).toEqual({ assignee_id: reviewer1, state: 'in_review' });
    }
  });

  it('lets only ops managers end someone else’s claim, and never to an inactive member', async () => {
    const { itemId } = await submitNewListing(server);
    await new TestSyncClient(server, 'reviewer1').do('claim', { itemId });
    const reviewer2 = await server.userId('reviewer2');

    const byReviewer = await new TestSyncClient(server, 'reviewer2').do('assign', {
      itemId,
      assigneeId: reviewer2,
    });
    const toInactive = await new TestSyncClient(server, 'ops1').do('assign', {
      itemId,
      assigneeId: await server.userId('inactive1'),
    });

    expect(byReviewer).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    expect(toInactive).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { reason: 'assignee_inactive' },
    });
    expect(await liveClaims(itemId)).toEqual([{ reviewer_id: await server.userId('reviewer1') }]);
  });
});
