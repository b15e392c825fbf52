import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../harness';
import { submitNewListing, TestSyncClient } from './client';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('push and pull, end to end', () => {
  it('claims and approves a submitted listing, and the mirror follows', async () => {
    const { listingId, itemId } = await submitNewListing(server);
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await reviewer.pullAll();
    expect(reviewer.row('review_items', itemId)).toMatchObject({
      state: 'pending',
      kind: 'listing_revision',
    });
    expect(reviewer.row('listings', listingId)).toMatchObject({ state: 'pending' });

    const claim = await reviewer.do('claim', { itemId });
    expect(claim).toMatchObject({ status: 'applied', code: null });
    const approve = await reviewer.do('approve', { itemId });
    expect(approve).toMatchObject({ status: 'applied' });

    await reviewer.pullAll();
    expect(reviewer.row('review_items', itemId)).toMatchObject({ state: 'decided', claim: null });
    expect(reviewer.row('listings', listingId)).toMatchObject({ state: 'live' });
    const decisions = reviewer.rows('decisions').filter((row) => row['itemId'] === itemId);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ outcome: 'approve', isFinal: true });
  });
});
