import { createHash, randomUUID } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFERRABLE_TABLES,
  MAX_ITEMS_PER_ROWS_REQUEST,
  SYNCED_TABLES,
  type ItemRowsResponse,
  type PullResponse,
} from '#shared/sync/protocol';
import { createUser } from '../../../server/src/auth/users';
import {
  createTestServer,
  OTHER_INSTITUTION_ID,
  TEST_PASSWORD,
  type TestServer,
  type TestUsername,
} from '../harness';
import { submitNewListing, TestSyncClient } from './client';

let server: TestServer;
beforeEach(async () => {
  server = await createTestServer();
});
afterEach(async () => {
  await server.close();
});

/** Pulls with `deferHeavy` until done, into the client's mirror; returns the pages. */
async function pullDeferred(client: TestSyncClient, limit?: number): Promise<PullResponse[]> {
  const pages: PullResponse[] = [];
  for (let guard = 0; guard < 1000; guard += 1) {
    const response = await server.as(client.username, 'POST', '/sync/v1/pull', {
      protocol: 1,
      clientId: client.clientId,
      cursor: client.cursor,
      deferHeavy: true,
      ...(limit === undefined ? {} : { limit }),
    });
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<PullResponse>();
    client.apply(page.changes);
    client.cursor = page.cursor;
    pages.push(page);
    if (!page.hasMore) {
      return pages;
    }
  }
  throw new Error('pull never finished');
}

async function itemRows(
  token: string,
  itemIds: readonly string[],
  protocol = 1,
): Promise<{ statusCode: number; body: string; json: () => unknown }> {
  return server.app.inject({
    method: 'POST',
    url: '/sync/v1/items',
    headers: { authorization: `Bearer ${token}` },
    payload: { protocol, itemIds },
  });
}

/** What the server's checksum of a table is over these ids (`md5` of the sorted ids). */
function checksumOf(ids: readonly string[]): { count: number; hash: string | null } {
  return {
    count: ids.length,
    hash:
      ids.length === 0
        ? null
        : createHash('md5')
            .update([...ids].sort().join(','))
            .digest('hex'),
  };
}

async function signInOtherInstitutionMember(): Promise<string> {
  await server.db.transaction((tx) =>
    createUser(
      tx,
      {
        username: 'submitter-other',
        displayName: '他人',
        role: 'submitter',
        password: TEST_PASSWORD,
        institutionId: OTHER_INSTITUTION_ID,
      },
      server.clock.now(),
    ),
  );
  const response = await server.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username: 'submitter-other', password: TEST_PASSWORD },
  });
  return response.json<{ accessToken: string }>().accessToken;
}

describe('bootstrap with deferHeavy', () => {
  it('leaves the deferrable tables out of the snapshot and of its checksums', async () => {
    for (let index = 0; index < 3; index += 1) {
      await submitNewListing(server, `英国硕士申请旗舰包${index}`);
    }
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const pages = await pullDeferred(reviewer, 4);

    expect(pages.length).toBeGreaterThan(1);
    const snapshotPages = pages.filter((page) => page.deferred !== undefined);
    expect(snapshotPages.length).toBeGreaterThan(0);
    for (const page of snapshotPages) {
      expect([...(page.deferred ?? [])].sort()).toEqual([...DEFERRABLE_TABLES].sort());
    }
    for (const table of DEFERRABLE_TABLES) {
      expect(reviewer.rows(table)).toEqual([]);
    }
    expect(reviewer.rows('review_items')).toHaveLength(3);
    expect(reviewer.rows('listings')).toHaveLength(3);

    const sums = pages.findLast((page) => page.checksums !== undefined)?.checksums;
    expect(sums).toBeDefined();
    expect(Object.keys(sums ?? {}).sort()).toEqual(
      SYNCED_TABLES.filter((table) => !(DEFERRABLE_TABLES as readonly string[]).includes(table))
        .slice()
        .sort(),
    );
    // Every checksum describes exactly the rows the pages carried.
    for (const [table, sum] of Object.entries(sums ?? {})) {
      const ids = [...(reviewer.mirror.get(table)?.keys() ?? [])];
      const expected = checksumOf(ids);
      expect(sum.count, table).toBe(expected.count);
      if (expected.hash !== null) {
        expect(sum.hash, table).toBe(expected.hash);
      }
    }
  });

  it('still sends the full bootstrap to a client that does not ask to defer', async () => {
    await submitNewListing(server);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const pages = await reviewer.pullAll();
    expect(pages.every((page) => page.deferred === undefined)).toBe(true);
    expect(reviewer.rows('listing_revisions')).toHaveLength(1);
    expect(reviewer.rows('audit_events').length).toBeGreaterThan(0);
    const sums = pages.findLast((page) => page.checksums !== undefined)?.checksums;
    expect(sums?.listing_revisions).toMatchObject({ count: 1 });
  });

  it('carries later changes to the deferred tables by delta', async () => {
    const first = await submitNewListing(server, '英国硕士申请旗舰包');
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await pullDeferred(reviewer);
    expect(reviewer.rows('audit_events')).toEqual([]);

    await new TestSyncClient(server, 'reviewer2').do('claim', { itemId: first.itemId });
    const second = await submitNewListing(server, '美国本科文书精修');
    const deltas = await pullDeferred(reviewer);

    expect(deltas.every((page) => page.deferred === undefined)).toBe(true);
    expect(reviewer.row('listing_revisions', second.revisionId)).toMatchObject({
      listingId: second.listingId,
    });
    expect(
      reviewer.rows('audit_events').filter((event) => event['itemId'] === first.itemId),
    ).toContainEqual(expect.objectContaining({ action: 'claim' }));
  });
});

describe('POST /sync/v1/items', () => {
  it('returns the revisions of the item’s listing and the audit events of item and listing', async () => {
    const { itemId, listingId, revisionId } = await submitNewListing(server);
    await new TestSyncClient(server, 'reviewer2').do('claim', { itemId });
    // A full bootstrap is the reference for what the user may see of these tables.
    const full = new TestSyncClient(server, 'reviewer1');
    await full.pullAll();

    const response = await itemRows(await server.token('reviewer1'), [itemId]);

    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as ItemRowsResponse;
    expect(body.itemIds).toEqual([itemId]);
    expect(body.changes.every((change) => change.op === 'put')).toBe(true);
    expect(body.changes.every((change) => change.version <= body.version)).toBe(true);
    const ofTable = (table: string) =>
      body.changes
        .filter((change) => change.table === table)
        .map((change) => change.id)
        .sort();
    expect(ofTable('listing_revisions')).toEqual([revisionId]);
    const expectedEvents = full
      .rows('audit_events')
      .filter((event) => event['itemId'] === itemId || event['subjectId'] === listingId)
      .map((event) => event['id'] as string)
      .sort();
    expect(expectedEvents.length).toBeGreaterThan(1);
    expect(ofTable('audit_events')).toEqual(expectedEvents);
    expect(
      body.changes.filter((change) => !DEFERRABLE_TABLES.includes(change.table as never)),
    ).toEqual([]);
    // The rows are the ones a full bootstrap carries, with their versions.
    for (const change of body.changes) {
      expect(change.data).toEqual(full.row(change.table, change.id));
    }
  });

  it('returns nothing of items the user may not see', async () => {
    const { itemId } = await submitNewListing(server);
    const members: TestUsername[] = ['ta1', 'mentor1'];
    for (const username of members) {
      const response = await itemRows(await server.token(username), [itemId]);
      expect(response.statusCode, username).toBe(200);
      expect(response.json(), username).toMatchObject({ itemIds: [], changes: [] });
    }
    const outsider = await itemRows(await signInOtherInstitutionMember(), [itemId]);
    expect(outsider.statusCode).toBe(200);
    expect(outsider.json()).toMatchObject({ itemIds: [], changes: [] });
    // A member of the listing's own institution sees its history.
    const own = await itemRows(await server.token('submitter1'), [itemId]);
    expect((own.json() as ItemRowsResponse).itemIds).toEqual([itemId]);
    expect((own.json() as ItemRowsResponse).changes.length).toBeGreaterThan(0);
  });

  it('leaves unknown ids out and refuses malformed requests', async () => {
    const { itemId } = await submitNewListing(server);
    const token = await server.token('reviewer1');

    const unknown = await itemRows(token, [randomUUID(), itemId]);
    expect(unknown.statusCode).toBe(200);
    expect((unknown.json() as ItemRowsResponse).itemIds).toEqual([itemId]);

    expect((await itemRows(token, ['not-a-uuid'])).statusCode).toBe(400);
    expect((await itemRows(token, [])).statusCode).toBe(400);
    const tooMany = Array.from({ length: MAX_ITEMS_PER_ROWS_REQUEST + 1 }, () => randomUUID());
    expect((await itemRows(token, tooMany)).statusCode).toBe(400);
    const atMost = Array.from({ length: MAX_ITEMS_PER_ROWS_REQUEST }, () => randomUUID());
    expect((await itemRows(token, atMost)).statusCode).toBe(200);

    const oldProtocol = await itemRows(token, [itemId], 2);
    expect(oldProtocol.statusCode).toBe(426);
    expect(oldProtocol.json()).toMatchObject({ error: { code: 'UPGRADE_REQUIRED' } });

    const anonymous = await server.app.inject({
      method: 'POST',
      url: '/sync/v1/items',
      payload: { protocol: 1, itemIds: [itemId] },
    });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('compression of the sync routes', () => {
  const decoders = { br: brotliDecompressSync, gzip: gunzipSync } as const;

  it.each(Object.keys(decoders) as (keyof typeof decoders)[])(
    'compresses pull and item rows with %s and decodes to the same JSON',
    async (encoding) => {
      for (let index = 0; index < 3; index += 1) {
        await submitNewListing(server, `英国硕士申请旗舰包${index}`);
      }
      const token = await server.token('reviewer1');
      const { itemId } = await submitNewListing(server);
      const requests = [
        { url: '/sync/v1/pull', payload: { protocol: 1, clientId: randomUUID(), cursor: null } },
        { url: '/sync/v1/items', payload: { protocol: 1, itemIds: [itemId] } },
      ];
      for (const { url, payload } of requests) {
        const send = (headers: Record<string, string>) =>
          server.app.inject({
            method: 'POST',
            url,
            headers: { authorization: `Bearer ${token}`, ...headers },
            payload,
          });
        const plain = await send({ 'accept-encoding': 'identity' });
        const compressed = await send({ 'accept-encoding': encoding });

        expect(plain.headers['content-encoding'], url).toBeUndefined();
        expect(compressed.statusCode, url).toBe(200);
        expect(compressed.headers['content-encoding'], url).toBe(encoding);
        const decoded = decoders[encoding](compressed.rawPayload).toString('utf8');
        expect(decoded.length, url).toBeGreaterThan(compressed.rawPayload.length);
        expect(JSON.parse(decoded), url).toEqual(plain.json());
      }
    },
  );
});
