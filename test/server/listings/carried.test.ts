import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../harness';
import { listingDocument, submitNewListing, TestSyncClient } from '../sync/client';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('comments carried onto a resubmission', () => {
  it('copies the rejection’s comments onto the new revision, marked changed or unchanged', async () => {
    const { itemId, listingId } = await submitNewListing(server, '英国硕士申请旗舰包');
    const reviewer = new TestSyncClient(server, 'reviewer1');
    const rejected = await reviewer.do('reject', {
      itemId,
      reasons: ['unclear_description', 'missing_material'],
      comments: [
        { path: '/basic/name', reasonCode: 'unclear_description', text: '名称请写明国家和阶段' },
        { path: '/risk/disclosure', reasonCode: 'missing_material', text: '请补充退费风险说明' },
      ],
    });
    expect(rejected.status).toBe('applied');
    // The submitter fixes the name only.
    const edited = listingDocument('英国硕士申请旗舰包（2027 秋季）');
    expect(
      (await server.as('submitter1', 'PUT', `/api/v1/listings/${listingId}/draft`, edited))
        .statusCode,
    ).toBe(200);
    const resubmitted = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${listingId}/submit`,
    );
    const newItemId = resubmitted.json<{ itemId: string }>().itemId;

    const carried = await server.db.query<{
      path: string;
      field_changed: boolean;
      carried_from_id: string | null;
      text: string;
    }>(
      `SELECT path, field_changed, carried_from_id, text FROM field_comments WHERE item_id = $1 ORDER BY path`,
      [newItemId],
    );
    expect(carried.map(({ path, field_changed, text }) => ({ path, field_changed, text }))).toEqual(
      [
        { path: '/basic/name', field_changed: true, text: '名称请写明国家和阶段' },
        { path: '/risk/disclosure', field_changed: false, text: '请补充退费风险说明' },
      ],
    );
    expect(carried.every((row) => row.carried_from_id !== null)).toBe(true);

    await reviewer.pullAll();
    const mirrored = reviewer.rows('field_comments').filter((row) => row['itemId'] === newItemId);
    expect(mirrored).toHaveLength(2);
    expect(mirrored.find((row) => row['path'] === '/basic/name')).toMatchObject({
      fieldChanged: true,
    });
  });

  it('carries nothing after an approval or a withdrawal', async () => {
    const { listingId } = await submitNewListing(server, '美国本科文书精修');
    await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/withdraw`);
    const again = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/submit`);
    const [row] = await server.db.query<{ n: number }>(
      'SELECT count(*)::int8 AS n FROM field_comments WHERE item_id = $1',
      [again.json<{ itemId: string }>().itemId],
    );
    expect(row?.n).toBe(0);
  });
});
