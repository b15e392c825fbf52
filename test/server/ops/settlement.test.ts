import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromShanghai } from '#shared/domain/time';
import { createTestServer, type TestServer } from '../harness';

/**
 * Settlement runs through HTTP: members and orders sent by the course platform, a month proposed,
 * approved once, the held-back order carried into the next month after its links are fixed.
 * Figures by hand: see each comment.
 */
let server: TestServer;

const put = (url: string, body: unknown) => server.as('ops1', 'PUT', url, body);

beforeAll(async () => {
  server = await createTestServer();
  for (const [id, paying, referrerId] of [
    ['A', true, null],
    ['B', true, 'A'],
    ['C', true, 'B'],
    ['X', true, 'Y'],
    ['Y', true, 'X'],
    ['Z', false, 'X'],
  ] as const) {
    expect(
      (await put(`/api/v1/course/members/${id}`, { name: `会员${id}`, paying, referrerId }))
        .statusCode,
    ).toBe(200);
  }
  for (const [id, buyerId, amount, refunded, paidAt] of [
    ['o1', 'C', '1000.00', '0', '2026-10-05T12:00:00+08:00'],
    ['o2', 'C', '500.00', '250.00', '2026-10-20T12:00:00+08:00'],
    ['o3', 'Z', '300.00', '0', '2026-10-21T12:00:00+08:00'],
    ['o4', 'B', '100.00', '0', '2026-11-03T12:00:00+08:00'],
  ] as const) {
    expect(
      (await put(`/api/v1/course/orders/${id}`, { buyerId, amount, refunded, paidAt })).statusCode,
    ).toBe(200);
  }
});

afterAll(async () => {
  await server.close();
});

describe('commission settlement runs', () => {
  it('proposes October, recomputes it while proposed, approves it once', async () => {
    server.clock.set(fromShanghai('2026-11-15', 9));
    const proposed = await server.as('ops1', 'POST', '/api/v1/ops/settlements', {
      month: '2026-10',
    });
    expect(proposed.statusCode).toBe(200);
    // o1 (C buys 1000): B 200, A 150. o2 (base 250): B 50, A 37.50. o3: Z's chain loops → held.
    expect(proposed.json()).toMatchObject({
      month: '2026-10',
      state: 'proposed',
      settlement: {
        settleOn: '2026-11-15',
        total: '437.50',
        members: [
          { memberId: 'B', amount: '250.00' },
          { memberId: 'A', amount: '187.50' },
        ],
        heldBack: [{ orderId: 'o3', code: 'REFERRAL_CYCLE', chain: ['X', 'Y', 'X'] }],
      },
      // The names of the members paid, from the roster.
      memberNames: { A: '会员A', B: '会员B' },
    });
    expect(proposed.json<{ memberNames: object }>().memberNames).toEqual({
      A: '会员A',
      B: '会员B',
    });
    // A late refund before approval: recomputed (o1 base 900: B 180, A 135).
    await put('/api/v1/course/orders/o1', {
      buyerId: 'C',
      amount: '1000.00',
      refunded: '100.00',
      paidAt: '2026-10-05T12:00:00+08:00',
    });
    const again = await server.as('ops1', 'POST', '/api/v1/ops/settlements', { month: '2026-10' });
    expect(again.json()).toMatchObject({ settlement: { total: '402.50' } });
    const approved = await server.as('ops1', 'POST', '/api/v1/ops/settlements/2026-10/approve');
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      state: 'approved',
      approvedBy: await server.userId('ops1'),
    });
    const twice = await server.as('ops1', 'POST', '/api/v1/ops/settlements/2026-10/approve');
    expect(twice.statusCode).toBe(409);
    const recompute = await server.as('ops1', 'POST', '/api/v1/ops/settlements', {
      month: '2026-10',
    });
    expect(recompute.statusCode).toBe(409);
    expect(
      (await server.as('ops1', 'GET', '/api/v1/ops/settlements/2026-10')).json(),
    ).toMatchObject({
      state: 'approved',
      settlement: { total: '402.50' },
    });
  });

  it('carries the held-back order into November once its links are fixed', async () => {
    await put('/api/v1/course/members/Y', { name: 'Y', paying: true, referrerId: null });
    server.clock.set(fromShanghai('2026-12-15', 9));
    const november = await server.as('ops1', 'POST', '/api/v1/ops/settlements', {
      month: '2026-11',
    });
    // o3 (300, Z → X 20 % = 60, Y 15 % = 45); o4 (B buys 100: A 20).
    expect(november.json()).toMatchObject({
      settlement: { carriedOver: ['o3'], heldBack: [], total: '125.00' },
    });
  });

  it('refuses a month not yet due or malformed, bad orders, and non-ops users', async () => {
    server.clock.set(fromShanghai('2026-12-14', 23));
    const early = await server.as('ops1', 'POST', '/api/v1/ops/settlements', { month: '2026-11' });
    expect(early.statusCode).toBe(400);
    expect(early.json()).toMatchObject({ error: { code: 'MONTH_NOT_DUE' } });
    const future = await server.as('ops1', 'POST', '/api/v1/ops/settlements', { month: '2027-06' });
    expect(future.json()).toMatchObject({ error: { code: 'MONTH_NOT_DUE' } });
    const malformed = await server.as('ops1', 'POST', '/api/v1/ops/settlements', {
      month: '2026-13',
    });
    expect(malformed.json()).toMatchObject({ error: { code: 'INVALID_MONTH' } });
    expect(
      (await server.as('ops1', 'POST', '/api/v1/ops/settlements/2026-09/approve')).statusCode,
    ).toBe(404);
    const overRefunded = await put('/api/v1/course/orders/o9', {
      buyerId: 'A',
      amount: '10.00',
      refunded: '10.01',
      paidAt: '2026-10-05T12:00:00+08:00',
    });
    expect(overRefunded.json()).toMatchObject({ error: { code: 'REFUND_EXCEEDS_ORDER' } });
    expect(
      (
        await put('/api/v1/course/orders/o9', {
          buyerId: 'A',
          amount: '-5',
          paidAt: '2026-10-05T12:00:00Z',
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await server.as('reviewer1', 'POST', '/api/v1/ops/settlements', { month: '2026-10' }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await server.as('submitter1', 'PUT', '/api/v1/course/members/Q', {
          name: 'Q',
          paying: true,
          referrerId: null,
        })
      ).statusCode,
    ).toBe(403);
  });
});
