import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../harness';
import { submitNewListing, TestSyncClient } from './client';

/**
 * Conflicts between people (sync research §3, scenarios 9–13 and 16): every decision ends in a
 * terminal result the user can see, nothing is overwritten silently, and refused attempts are
 * audited too.
 */
let server: TestServer;
beforeEach(async () => {
  server = await createTestServer();
});
afterEach(async () => {
  await server.close();
});

const HOUR = 3_600_000;

async function rows<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
  return server.db.query<T>(sql, params);
}

async function listingState(listingId: string): Promise<string | undefined> {
  const [row] = await rows<{ state: string }>('SELECT state FROM listings WHERE id = $1', [
    listingId,
  ]);
  return row?.state;
}

const rejection = (itemId: string) => ({
  itemId,
  reasons: ['missing_material'],
  comments: [
    { path: '/credentials/files', reasonCode: 'missing_material', text: '请补充合同样本' },
  ],
});

describe('claims', () => {
  it('gives an item to exactly one of two reviewers claiming at once (scenario 9)', async () => {
    const { itemId } = await submitNewListing(server);
    const a = new TestSyncClient(server, 'reviewer1');
    const b = new TestSyncClient(server, 'reviewer2');
    await Promise.all([server.token('reviewer1'), server.token('reviewer2')]);

    const [resultA, resultB] = await Promise.all([
      a.do('claim', { itemId }),
      b.do('claim', { itemId }),
    ]);

    const statuses = [resultA.status, resultB.status].sort();
    expect(statuses).toEqual(['applied', 'conflict']);
    const loser = resultA.status === 'conflict' ? resultA : resultB;
    expect(loser.code).toBe('CLAIMED_BY_OTHER');
    expect(String(loser.details['holderName'])).toMatch(/^reviewer[12]$/);
    expect(loser.message?.['zh-CN']).toContain('已被');
    const active = await rows('SELECT 1 FROM claims WHERE item_id = $1 AND released_at IS NULL', [
      itemId,
    ]);
    expect(active).toHaveLength(1);
  });

  it('lets a reviewer take over a claim whose lease ran out', async () => {
    const { itemId } = await submitNewListing(server);
    await new TestSyncClient(server, 'reviewer1').do('claim', { itemId });
    server.clock.advance(4 * HOUR + 1);
    const result = await new TestSyncClient(server, 'reviewer2').do('claim', { itemId });
    expect(result.status).toBe('applied');
    const [released] = await rows<{ release_reason: string }>(
      `SELECT release_reason FROM claims c JOIN users u ON u.id = c.reviewer_id
        WHERE c.item_id = $1 AND u.username = 'reviewer1'`,
      [itemId],
    );
    expect(released?.release_reason).toBe('expired');
  });

  it('renews and releases only one’s own claim', async () => {
    const { itemId, listingId } = await submitNewListing(server);
    const mine = new TestSyncClient(server, 'reviewer1');
    const other = new TestSyncClient(server, 'reviewer2');
    await mine.do('claim', { itemId });
    expect(await listingState(listingId)).toBe('in_review');

    server.clock.advance(3 * HOUR);
    const renewed = await mine.do('renewLease', { itemId });
    expect(renewed.status).toBe('applied');
    expect(Date.parse(String(renewed.details['expiresAt']))).toBe(server.clock.now() + 4 * HOUR);

    expect(await other.do('release', { itemId })).toMatchObject({
      status: 'conflict',
      code: 'CLAIM_LOST',
    });
    expect(await mine.do('release', { itemId })).toMatchObject({ status: 'applied' });
    expect(await listingState(listingId)).toBe('pending');
  });
});

describe('decisions made offline', () => {
  it('lets the first of two offline decisions win, in either order, auditing both (scenario 10)', async () => {
    for (const order of [
      ['reviewer1', 'reviewer2'],
      ['reviewer2', 'reviewer1'],
    ] as const) {
      const { itemId, listingId } = await submitNewListing(server, `英国硕士冲刺包${order[0]}`);
      const first = new TestSyncClient(server, order[0]);
      const second = new TestSyncClient(server, order[1]);
      // Both decided while offline, without a claim: each outbox holds an approval or a rejection.
      const firstBatch = first.record({ name: 'approve', args: { itemId } });
      const secondBatch = second.record({ name: 'reject', args: rejection(itemId) });

      const [won] = await first.push(firstBatch);
      const [lost] = await second.push(secondBatch);

      expect(won).toMatchObject({ status: 'applied' });
      expect(lost).toMatchObject({ status: 'conflict', code: 'ALREADY_DECIDED' });
      expect(lost?.details['decision']).toMatchObject({
        outcome: 'approve',
        reviewerName: order[0],
      });
      expect(await listingState(listingId)).toBe('live');
      const decisions = await rows('SELECT 1 FROM decisions WHERE item_id = $1', [itemId]);
      expect(decisions).toHaveLength(1);
      const attempts = await rows<{ action: string; reason: string }>(
        `SELECT action, reason FROM audit_events WHERE item_id = $1 AND action LIKE 'attempt_%'`,
        [itemId],
      );
      expect(attempts).toEqual([{ action: 'attempt_reject', reason: 'ALREADY_DECIDED' }]);
    }
  });

  it('reports WITHDRAWN to decisions on a withdrawn listing and records the takedown (scenario 11)', async () => {
    const { itemId, listingId } = await submitNewListing(server);
    const live = await submitNewListing(server, '美国本科文书精修');
    const ops = new TestSyncClient(server, 'ops1');
    await ops.do('approve', { itemId: live.itemId });
    // The reviewer works offline; meanwhile the submitter withdraws the first listing and takes
    // the live one offline.
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const offline = reviewer.record({ name: 'approve', args: { itemId } });
    const withdraw = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${listingId}/withdraw`,
    );
    expect(withdraw.statusCode).toBe(200);
    await server.db.query(`UPDATE listings SET state = 'offline' WHERE id = $1`, [live.listingId]);

    const [approve] = await reviewer.push(offline);
    const forced = await ops.do('forceTakedown', { listingId: live.listingId, reason: '违规宣传' });

    expect(approve).toMatchObject({ status: 'conflict', code: 'WITHDRAWN' });
    expect(await listingState(listingId)).toBe('draft');
    expect(forced).toMatchObject({ status: 'applied', code: 'WITHDRAWN' });
    const audit = await rows('SELECT 1 FROM audit_events WHERE subject_id = $1 AND action = $2', [
      live.listingId,
      'force_takedown',
    ]);
    expect(audit).toHaveLength(1);
  });

  it('calls an approval of a superseded revision STALE_BASE and carries a rejection over (scenario 12)', async () => {
    const { itemId, listingId } = await submitNewListing(server);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const offlineApprove = reviewer.record({ name: 'approve', args: { itemId } });
    await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/withdraw`);
    const resubmitted = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${listingId}/submit`,
    );
    const newItemId = resubmitted.json<{ itemId: string }>().itemId;

    const [approve] = await reviewer.push(offlineApprove);
    expect(approve).toMatchObject({ status: 'conflict', code: 'STALE_BASE' });
    expect(approve?.details).toMatchObject({ currentItemId: newItemId });
    expect(await listingState(listingId)).toBe('pending');

    const [reject] = await reviewer.push(
      reviewer.record({ name: 'reject', args: rejection(itemId) }),
    );
    expect(reject).toMatchObject({ status: 'applied', code: 'STALE_BASE' });
    expect(reject?.details).toMatchObject({ appliedToItemId: newItemId, originalItemId: itemId });
    expect(await listingState(listingId)).toBe('rejected');
    const comments = await rows('SELECT 1 FROM field_comments WHERE item_id = $1', [newItemId]);
    expect(comments).toHaveLength(1);
  });

  it('accepts a decision after an uncontested lease expiry and refuses a contested one (scenario 13)', async () => {
    const uncontested = await submitNewListing(server, '德语A1保过营');
    const contested = await submitNewListing(server, '日本语言学校申请');
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.do('claim', { itemId: uncontested.itemId });
    await reviewer.do('claim', { itemId: contested.itemId });
    const offline = reviewer.record(
      { name: 'approve', args: { itemId: uncontested.itemId } },
      { name: 'approve', args: { itemId: contested.itemId } },
    );
    server.clock.advance(5 * HOUR);
    await new TestSyncClient(server, 'reviewer2').do('claim', { itemId: contested.itemId });

    const [accepted, lost] = await reviewer.push(offline);

    expect(accepted).toMatchObject({ status: 'applied', code: 'LEASE_EXPIRED_ACCEPTED' });
    expect(lost).toMatchObject({ status: 'conflict', code: 'CLAIM_LOST' });
    expect(lost?.details).toMatchObject({ holderName: 'reviewer2' });
    expect(await listingState(uncontested.listingId)).toBe('live');
    expect(await listingState(contested.listingId)).toBe('in_review');
  });

  it('refuses with FORBIDDEN when the role was revoked while offline (scenario 16)', async () => {
    const { itemId } = await submitNewListing(server);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.do('claim', { itemId });
    const offline = reviewer.record({ name: 'approve', args: { itemId } });
    await server.db.query(`UPDATE users SET role = 'ta' WHERE username = 'reviewer1'`);

    const [result] = await reviewer.push(offline);

    expect(result).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    const decisions = await rows('SELECT 1 FROM decisions WHERE item_id = $1', [itemId]);
    expect(decisions).toHaveLength(0);
  });
});

describe('ops manager', () => {
  it('assigns an item, taking it from its holder, whose later decision is CLAIM_LOST', async () => {
    const { itemId } = await submitNewListing(server);
    const holder = new TestSyncClient(server, 'reviewer1');
    await holder.do('claim', { itemId });
    const offline = holder.record({ name: 'approve', args: { itemId } });
    const reviewer2 = await server.userId('reviewer2');

    const assigned = await new TestSyncClient(server, 'ops1').do('assign', {
      itemId,
      assigneeId: reviewer2,
    });
    const [late] = await holder.push(offline);

    expect(assigned).toMatchObject({ status: 'applied' });
    expect(late).toMatchObject({
      status: 'conflict',
      code: 'CLAIM_LOST',
      details: { holderName: 'reviewer2' },
    });
    const [item] = await rows<{ assignee_id: string; state: string }>(
      'SELECT assignee_id, state FROM review_items WHERE id = $1',
      [itemId],
    );
    expect(item).toEqual({ assignee_id: reviewer2, state: 'in_review' });
  });

  it('refuses to assign to someone who cannot review, or who is inactive', async () => {
    const { itemId } = await submitNewListing(server);
    const ops = new TestSyncClient(server, 'ops1');
    for (const username of ['ta1', 'inactive1'] as const) {
      const result = await ops.do('assign', { itemId, assigneeId: await server.userId(username) });
      expect(result).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    }
  });

  it('takes a live listing down by force and cancels its update under review', async () => {
    const { itemId, listingId } = await submitNewListing(server);
    const ops = new TestSyncClient(server, 'ops1');
    await ops.do('approve', { itemId });
    await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/update`);
    const update = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/submit`);
    const updateItem = update.json<{ itemId: string }>().itemId;
    await new TestSyncClient(server, 'reviewer1').do('claim', { itemId: updateItem });

    const result = await ops.do('forceTakedown', { listingId, reason: '资质过期' });

    expect(result.status).toBe('applied');
    expect(await listingState(listingId)).toBe('offline');
    const [item] = await rows<{ state: string }>('SELECT state FROM review_items WHERE id = $1', [
      updateItem,
    ]);
    expect(item?.state).toBe('cancelled');
    const claims = await rows('SELECT 1 FROM claims WHERE item_id = $1 AND released_at IS NULL', [
      updateItem,
    ]);
    expect(claims).toHaveLength(0);
    // A reviewer may take a live listing offline, but not force a takedown.
    const forbidden = await new TestSyncClient(server, 'reviewer2').do('forceTakedown', {
      listingId,
      reason: 'x',
    });
    expect(forbidden).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
  });
});

describe('versions and time', () => {
  it('grants a longer lease with claim@2 and keeps accepting claim@1', async () => {
    const first = await submitNewListing(server, 'A');
    const second = await submitNewListing(server, 'B');
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const long = await reviewer.do('claim', { itemId: first.itemId, leaseHours: 10 }, { v: 2 });
    const short = await reviewer.do('claim', { itemId: second.itemId });
    expect(Date.parse(String(long.details['expiresAt']))).toBe(server.clock.now() + 10 * HOUR);
    expect(Date.parse(String(short.details['expiresAt']))).toBe(server.clock.now() + 4 * HOUR);
    const tooLong = await reviewer.do('claim', { itemId: second.itemId, leaseHours: 48 }, { v: 2 });
    expect(tooLong).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
  });

  it('records time spent on an item and mirrors it to those who see the item', async () => {
    const { itemId } = await submitNewListing(server);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const result = await reviewer.do('logTime', {
      itemId,
      seconds: 300,
      startedAt: '2026-11-21T09:00:00+08:00',
    });
    expect(result.status).toBe('applied');
    const ops = new TestSyncClient(server, 'ops1');
    await ops.pullAll();
    expect(ops.rows('time_entries')).toEqual([
      expect.objectContaining({
        itemId,
        seconds: 300,
        startedAt: '2026-11-21T01:00:00.000Z',
        userId: await server.userId('reviewer1'),
      }),
    ]);
    const ta = new TestSyncClient(server, 'ta1');
    await ta.pullAll();
    expect(ta.rows('time_entries')).toEqual([]);
  });
});
