import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextSpaceVersion } from '../../../server/src/sync/version';
import { createTestServer, databaseKind, type TestServer } from '../harness';
import { submitNewListing, TestSyncClient } from './client';

let server: TestServer;
beforeEach(async () => {
  server = await createTestServer();
});
afterEach(async () => {
  await server.close();
});

describe('bootstrap', () => {
  it('pages through everything the user may see, then switches to deltas', async () => {
    for (let index = 0; index < 6; index += 1) {
      await submitNewListing(server, `英国硕士申请旗舰包${index}`);
    }
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const pages = await reviewer.pullAll(7);

    expect(pages.length).toBeGreaterThan(3);
    expect(pages.slice(0, -1).every((page) => page.changes.length === 7 && page.hasMore)).toBe(
      true,
    );
    expect(reviewer.rows('review_items')).toHaveLength(6);
    expect(reviewer.rows('listings')).toHaveLength(6);
    expect(reviewer.rows('listing_revisions')).toHaveLength(6);
    expect(reviewer.rows('users').map((user) => user['username'])).toContain('ops1');
    expect(JSON.stringify(reviewer.rows('users'))).not.toContain('argon2');
    const last = pages.findLast((page) => page.checksums !== undefined);
    expect(last?.checksums?.review_items).toMatchObject({ count: 6 });

    // Nothing changed: the next pull is an empty delta.
    const idle = await reviewer.pullOnce();
    expect(idle).toMatchObject({ changes: [], hasMore: false });
  });

  it('resumes from the last page after a cut and repairs rows written while paging (scenarios 19, 20)', async () => {
    const first = await submitNewListing(server, '英国硕士申请旗舰包');
    await submitNewListing(server, '美国本科文书精修');
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.pullOnce(3);
    const cursorAfterCut = reviewer.cursor;

    // While the client was away mid-bootstrap, an item it already has changed and a new one came.
    await new TestSyncClient(server, 'reviewer2').do('claim', { itemId: first.itemId });
    const late = await submitNewListing(server, '德语A1保过营');

    const resumed = new TestSyncClient(server, 'reviewer1');
    resumed.cursor = cursorAfterCut;
    for (const table of reviewer.mirror.keys()) {
      resumed.mirror.set(table, new Map(reviewer.mirror.get(table)));
    }
    await resumed.pullAll(3);

    const fresh = new TestSyncClient(server, 'reviewer1');
    await fresh.pullAll();
    expect(resumed.mirror).toEqual(fresh.mirror);
    expect(resumed.row('review_items', first.itemId)).toMatchObject({ state: 'in_review' });
    expect(resumed.row('review_items', late.itemId)).toMatchObject({ state: 'pending' });
  });
});

describe('deltas', () => {
  it('delivers changes after the cursor, by version, never by time', async () => {
    const { itemId } = await submitNewListing(server);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.pullAll();
    // The server's clock goes backwards: ordering must not care.
    server.clock.advance(-24 * 3_600_000);
    await new TestSyncClient(server, 'reviewer2').do('claim', { itemId });

    const delta = await reviewer.pullOnce();

    const item = delta.changes.find(
      (change) => change.table === 'review_items' && change.id === itemId,
    );
    expect(item).toMatchObject({ op: 'put', data: { state: 'in_review' } });
    expect((item?.data?.['claim'] as Record<string, unknown>)['reviewerId']).toBe(
      await server.userId('reviewer2'),
    );
    const versions = delta.changes.map((change) => change.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('pages a large delta without splitting or losing rows, even within one version', async () => {
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.pullAll();
    // One transaction writes many rows with the same version.
    const ids = Array.from({ length: 23 }, () => randomUUID());
    await server.db.transaction(async (tx) => {
      const version = await nextSpaceVersion(tx);
      for (const id of ids) {
        await tx.query(
          `INSERT INTO mentor_profiles (id, name, title, verified, created_at, row_version)
           VALUES ($1, '导师', '', true, '2026-11-21T00:00:00Z', $2)`,
          [id, version],
        );
      }
    });
    const pages = await reviewer.pullAll(5);
    expect(pages.length).toBe(5);
    for (const id of ids) {
      expect(reviewer.row('mentor_profiles', id)).toMatchObject({ name: '导师' });
    }
  });

  it('tells a client to drop rows that left its view', async () => {
    const { itemId, listingId } = await submitNewListing(server);
    await new TestSyncClient(server, 'ops1').do('approve', { itemId });
    const ta = new TestSyncClient(server, 'ta1');
    await ta.pullAll();
    expect(ta.row('listings', listingId)).toMatchObject({ state: 'live' });
    // TAs see only what the market shows; a takedown removes the listing from their mirror.
    await new TestSyncClient(server, 'ops1').do('takedown', { listingId, reason: '资质过期' });
    const delta = await ta.pullOnce();
    expect(delta.changes).toContainEqual(
      expect.objectContaining({ table: 'listings', id: listingId, op: 'del' }),
    );
    expect(ta.row('listings', listingId)).toBeUndefined();
  });

  it('delivers tombstones as deletions', async () => {
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.pullAll();
    const id = randomUUID();
    await server.db.transaction(async (tx) => {
      const version = await nextSpaceVersion(tx);
      await tx.query(
        `INSERT INTO sync_tombstones (table_name, row_id, version, deleted_at) VALUES ('mentor_profiles', $1, $2, $3)`,
        [id, version, new Date(server.clock.now()).toISOString()],
      );
    });
    const delta = await reviewer.pullOnce();
    expect(delta.changes).toEqual([
      expect.objectContaining({ table: 'mentor_profiles', id, op: 'del' }),
    ]);
  });
});

describe('what each role sees', () => {
  it('mirrors review items by kind: listings to reviewers, homework to TAs, refunds to ops', async () => {
    await submitNewListing(server);
    const homework = await server.as('ops1', 'POST', '/api/v1/homework', {
      studentId: 's-001',
      studentName: '李雷',
      chapter: '01_基础篇',
      articleUrl: 'https://mp.weixin.qq.com/s/abc',
      reflection: '学会了提示词结构',
    });
    expect(homework.statusCode).toBe(201);

    const kinds = async (username: 'reviewer1' | 'ta1' | 'mentor1' | 'ops1' | 'submitter1') => {
      const client = new TestSyncClient(server, username);
      await client.pullAll();
      return {
        client,
        kinds: [...new Set(client.rows('review_items').map((row) => row['kind']))].sort(),
      };
    };
    expect((await kinds('reviewer1')).kinds).toEqual(['listing_revision']);
    expect((await kinds('ta1')).kinds).toEqual(['homework']);
    expect((await kinds('mentor1')).kinds).toEqual([]);
    expect((await kinds('ops1')).kinds).toEqual(['homework', 'listing_revision']);
    const ta = (await kinds('ta1')).client;
    expect(ta.rows('homework_submissions')).toHaveLength(1);
    expect(ta.rows('listing_revisions')).toHaveLength(0);
    expect(ta.rows('refund_requests')).toHaveLength(0);
    const submitter = (await kinds('submitter1')).client;
    expect(submitter.rows('homework_submissions')).toHaveLength(0);
    expect(submitter.rows('listings')).toHaveLength(1);
  });
});

describe('consistency and resets', () => {
  it('reports lastSeq together with the effects of those mutations and their results', async () => {
    const { itemId } = await submitNewListing(server);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    // The push response is lost: the results come with the next pull instead.
    await reviewer.pushRaw(
      reviewer.record({ name: 'claim', args: { itemId } }, { name: 'approve', args: { itemId } }),
    );
    const pages = await reviewer.pullAll();
    const last = pages.at(-1)!;
    expect(last.lastSeq).toBe(2);
    expect([...reviewer.results.values()].map((result) => result.status)).toEqual([
      'applied',
      'applied',
    ]);
    expect(reviewer.row('review_items', itemId)).toMatchObject({ state: 'decided' });
  });

  it('resets a cursor older than the tombstone horizon, keeping nothing stale (scenario 27)', async () => {
    await submitNewListing(server);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.pullAll();
    reviewer.mirror.set('listings', new Map([['stale-row', { name: 'gone' }]]));
    await server.db.query(
      `INSERT INTO server_meta (key, value) VALUES ('tombstone_floor', '1000000')
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
    await server.db.query(`UPDATE sync_space SET version = 1000001`);

    const page = await reviewer.pullOnce();

    expect(page.reset).toBe(true);
    await reviewer.pullAll();
    expect(reviewer.row('listings', 'stale-row')).toBeUndefined();
    expect(reviewer.rows('listings')).toHaveLength(1);
  });

  it('resets a cursor from another database and refuses one it never issued', async () => {
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.pullAll();
    await server.db.query(
      `UPDATE server_meta SET value = 'another-epoch' WHERE key = 'sync_epoch'`,
    );
    expect((await reviewer.pullOnce()).reset).toBe(true);

    const forged = await server.as('reviewer1', 'POST', '/sync/v1/pull', {
      protocol: 1,
      clientId: reviewer.clientId,
      cursor: 'eyJub3QiOiJvdXJzIn0',
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json()).toMatchObject({ error: { code: 'INVALID_CURSOR' } });
  });

  it('never skips a row committed out of version order (scenario 21)', async () => {
    // Writers take versions under the space row lock, so a transaction holding version n blocks
    // the one that would take n+1 until it commits; pulls in between must never pass a row by.
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.pullAll();
    const iterations = databaseKind === 'postgres' ? 60 : 15;
    const written: string[] = [];
    for (let round = 0; round < iterations; round += 1) {
      const slow = randomUUID();
      const fast = randomUUID();
      written.push(slow, fast);
      const insert = (id: string, delayMs: number) =>
        server.db.transaction(async (tx) => {
          const version = await nextSpaceVersion(tx);
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          await tx.query(
            `INSERT INTO mentor_profiles (id, name, title, verified, created_at, row_version)
             VALUES ($1, 'x', '', true, '2026-11-21T00:00:00Z', $2)`,
            [id, version],
          );
        });
      await Promise.all([
        insert(slow, 15),
        insert(fast, 0),
        reviewer.pullOnce(),
        reviewer.pullOnce(),
      ]);
    }
    await reviewer.pullAll();
    for (const id of written) {
      expect(reviewer.row('mentor_profiles', id), id).toBeDefined();
    }
  });
});

describe('tombstone pruning', () => {
  it('drops old tombstones and makes older cursors reset, newer ones not', async () => {
    const { pruneTombstones } = await import('../../../server/src/sync/prune');
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.pullAll();
    const day = 24 * 3_600_000;
    const oldId = randomUUID();
    await server.db.transaction(async (tx) => {
      const version = await nextSpaceVersion(tx);
      await tx.query(
        `INSERT INTO sync_tombstones (table_name, row_id, version, deleted_at) VALUES ('mentor_profiles', $1, $2, $3)`,
        [oldId, version, new Date(server.clock.now() - 61 * day).toISOString()],
      );
    });
    const upToDate = new TestSyncClient(server, 'reviewer1');
    await upToDate.pullAll();
    const stale = reviewer.cursor;

    expect(await pruneTombstones(server.db, server.clock.now())).toBe(1);
    expect(await pruneTombstones(server.db, server.clock.now())).toBe(0);

    expect((await upToDate.pullOnce()).reset).toBeUndefined();
    reviewer.cursor = stale;
    expect((await reviewer.pullOnce()).reset).toBe(true);
  });
});

describe('queue fields', () => {
  it('carries the listing’s country, stages and institution on its review item', async () => {
    const { itemId } = await submitNewListing(server);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.pullAll();
    expect(reviewer.row('review_items', itemId)).toMatchObject({
      country: 'GB',
      stages: expect.arrayContaining(['master']) as unknown,
      institutionName: '杭州明远教育科技有限公司',
    });
  });
});
