import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRange, type KpiFigure, type KpiId } from '#shared/ops/kpis';
import { computeKpiReport } from '../../../server/src/ops/kpis';
import { createTestServer, TEST_INSTITUTION_ID, type TestServer } from '../harness';

/**
 * The listing KPIs against a small history whose every figure is worked out by hand below, from
 * the timestamps alone. Range: 2026-11-01 … 2026-11-10 (Shanghai), so the range before it, for
 * the trend, is 2026-10-22 … 2026-10-31.
 */
const at = (shanghai: string) => `${shanghai}+08:00`;

interface Submission {
  readonly at: string;
  /** The final decision, if any. */
  readonly decision?: { readonly outcome: 'approve' | 'reject'; readonly at: string };
}

interface History {
  readonly createdAt: string;
  readonly submissions: readonly Submission[];
}

const HISTORY: Readonly<Record<string, History>> = {
  // Submitted 1 day after creation, rejected, answered 36 h later, approved.
  A: {
    createdAt: at('2026-11-02T10:00:00'),
    submissions: [
      {
        at: at('2026-11-03T10:00:00'),
        decision: { outcome: 'reject', at: at('2026-11-04T10:00:00') },
      },
      {
        at: at('2026-11-05T22:00:00'),
        decision: { outcome: 'approve', at: at('2026-11-06T10:00:00') },
      },
    ],
  },
  // 5 days to prepare; approved at the first pass.
  B: {
    createdAt: at('2026-11-03T09:00:00'),
    submissions: [
      {
        at: at('2026-11-08T09:00:00'),
        decision: { outcome: 'approve', at: at('2026-11-09T12:00:00') },
      },
    ],
  },
  // A draft that was never submitted.
  C: { createdAt: at('2026-11-04T12:00:00'), submissions: [] },
  // Half a day to prepare; rejected and never answered.
  D: {
    createdAt: at('2026-11-05T00:00:00'),
    submissions: [
      {
        at: at('2026-11-05T12:00:00'),
        decision: { outcome: 'reject', at: at('2026-11-07T12:00:00') },
      },
    ],
  },
  // Created in the range, submitted only after it ended.
  E: { createdAt: at('2026-11-10T20:00:00'), submissions: [{ at: at('2026-11-11T09:00:00') }] },
  // Created and submitted in the range before; rejected in this one, answered 12 h later.
  F: {
    createdAt: at('2026-10-25T10:00:00'),
    submissions: [
      {
        at: at('2026-10-26T10:00:00'),
        decision: { outcome: 'reject', at: at('2026-11-02T10:00:00') },
      },
      {
        at: at('2026-11-02T22:00:00'),
        decision: { outcome: 'approve', at: at('2026-11-03T10:00:00') },
      },
    ],
  },
  // A draft of the range before.
  G: { createdAt: at('2026-10-23T08:00:00'), submissions: [] },
  // On the range's first instant; submitted 6 h later; approved in its last second.
  Z: {
    createdAt: at('2026-11-01T00:00:00'),
    submissions: [
      {
        at: at('2026-11-01T06:00:00'),
        decision: { outcome: 'approve', at: at('2026-11-10T23:59:59') },
      },
    ],
  },
};

let server: TestServer;

async function insertHistory(): Promise<void> {
  const owner = await server.userId('submitter1');
  const reviewer = await server.userId('reviewer1');
  const ids = new Map<string, string>();
  await server.db.transaction(async (tx) => {
    for (const [name, listing] of Object.entries(HISTORY)) {
      const listingId = randomUUID();
      ids.set(name, listingId);
      await tx.query(
        `INSERT INTO listings (id, institution_id, owner_id, state, name, created_at, updated_at)
         VALUES ($1, $2, $3, 'draft', $4, $5, $5)`,
        [listingId, TEST_INSTITUTION_ID, owner, name, listing.createdAt],
      );
      for (const submission of listing.submissions) {
        const itemId = randomUUID();
        await tx.query(
          `INSERT INTO review_items (id, kind, subject_id, state, title, created_at, updated_at)
           VALUES ($1, 'listing_revision', $2, $3, $4, $5, $5)`,
          [
            itemId,
            listingId,
            submission.decision === undefined ? 'pending' : 'decided',
            name,
            submission.at,
          ],
        );
        if (submission.decision !== undefined) {
          await tx.query(
            `INSERT INTO decisions (id, item_id, kind, outcome, is_final, reviewer_id, decided_at)
             VALUES ($1, $2, 'listing_revision', $3, true, $4, $5)`,
            [randomUUID(), itemId, submission.decision.outcome, reviewer, submission.decision.at],
          );
        }
      }
    }
    // Noise the figures must ignore: a non-final approval of D before its rejection (D's first
    // FINAL decision is the rejection), and a refund item about the draft C (not a submission).
    const [dItem] = await tx.query<{ id: string }>(
      `SELECT id FROM review_items WHERE subject_id = $1`,
      [ids.get('D')],
    );
    await tx.query(
      `INSERT INTO decisions (id, item_id, kind, outcome, is_final, reviewer_id, decided_at)
       VALUES ($1, $2, 'listing_revision', 'approve', false, $3, $4)`,
      [randomUUID(), dItem?.id, reviewer, at('2026-11-06T08:00:00')],
    );
    await tx.query(
      `INSERT INTO review_items (id, kind, subject_id, state, title, created_at, updated_at)
       VALUES ($1, 'refund', $2, 'pending', 'refund', $3, $3)`,
      [randomUUID(), ids.get('C'), at('2026-11-05T09:00:00')],
    );
  });
}

function figure(kpis: readonly KpiFigure[], id: KpiId): KpiFigure {
  const found = kpis.find((kpi) => kpi.id === id);
  if (found === undefined) {
    throw new Error(`no ${id}`);
  }
  return found;
}

beforeAll(async () => {
  server = await createTestServer();
  await insertHistory();
});

afterAll(async () => {
  await server.close();
});

describe('listing KPIs over a hand-computed history', () => {
  it('computes all four figures, their targets and the previous range', async () => {
    const report = await computeKpiReport(
      server.db,
      reportRange('2026-11-01', '2026-11-10', server.clock.now()),
    );
    expect(report.from).toBe('2026-11-01');
    expect(report.asOf).toBe(new Date(at('2026-11-11T00:00:00')).toISOString());

    // Created in the range: A B C D E Z (6). Submitted by 11-11 00:00: A B D Z (4). Before:
    // F G created, F submitted.
    expect(figure(report.kpis, 'draft_to_submit')).toMatchObject({
      value: 4 / 6,
      sample: 6,
      target: 0.7,
      met: false,
      previous: 1 / 2,
    });
    // First final decisions in the range: A reject, B approve, D reject, F reject, Z approve.
    expect(figure(report.kpis, 'first_pass_approval')).toMatchObject({
      value: 2 / 5,
      sample: 5,
      met: false,
      previous: null,
    });
    // First submissions in the range: A 1 day, B 5 days, D 0.5 day, Z 0.25 day. Before: F 1 day.
    const preparation = figure(report.kpis, 'preparation_days');
    expect(preparation).toMatchObject({ sample: 4, target: 3, goal: 'atMost', met: true });
    expect(preparation.value).toBeCloseTo((1 + 5 + 0.5 + 0.25) / 4, 9);
    expect(preparation.previous).toBeCloseTo(1, 9);
    // Rejections in the range: A (answered after 36 h), F (after 12 h), D (never).
    const response = figure(report.kpis, 'rejection_response_hours');
    expect(response).toMatchObject({ sample: 2, unanswered: 1, met: true, previous: null });
    expect(response.value).toBeCloseTo((36 + 12) / 2, 9);
  });

  it('counts only what had happened by the end of a range, and says null where nothing happened', async () => {
    // 11-01 … 11-03: created A B Z, submitted by 11-04 00:00: A Z.
    const early = await computeKpiReport(
      server.db,
      reportRange('2026-11-01', '2026-11-03', server.clock.now()),
    );
    expect(figure(early.kpis, 'draft_to_submit')).toMatchObject({ value: 2 / 3, sample: 3 });
    // Only F's rejection (11-02), answered 11-02 22:00.
    expect(figure(early.kpis, 'rejection_response_hours')).toMatchObject({ value: 12, sample: 1 });
    const quiet = await computeKpiReport(
      server.db,
      reportRange('2026-09-01', '2026-09-30', server.clock.now()),
    );
    for (const kpi of quiet.kpis) {
      expect(kpi).toMatchObject({ value: null, met: null, sample: 0 });
    }
  });
});

describe('GET /api/v1/ops/kpis', () => {
  it('gives ops managers the same report, and nobody else', async () => {
    const response = await server.as(
      'ops1',
      'GET',
      '/api/v1/ops/kpis?from=2026-11-01&to=2026-11-10',
    );
    expect(response.statusCode).toBe(200);
    const expected = await computeKpiReport(
      server.db,
      reportRange('2026-11-01', '2026-11-10', server.clock.now()),
    );
    expect(response.json()).toEqual(JSON.parse(JSON.stringify(expected)));
    for (const username of ['reviewer1', 'submitter1', 'ta1', 'mentor1', 'assistant1'] as const) {
      const refused = await server.as(
        username,
        'GET',
        '/api/v1/ops/kpis?from=2026-11-01&to=2026-11-10',
      );
      expect(refused.statusCode).toBe(403);
    }
    const anonymous = await server.app.inject({
      method: 'GET',
      url: '/api/v1/ops/kpis?from=2026-11-01&to=2026-11-10',
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('names what is wrong with a bad range', async () => {
    const upsideDown = await server.as(
      'ops1',
      'GET',
      '/api/v1/ops/kpis?from=2026-11-10&to=2026-11-01',
    );
    expect(upsideDown.statusCode).toBe(400);
    expect(upsideDown.json()).toMatchObject({ error: { code: 'RANGE_UPSIDE_DOWN' } });
    const future = await server.as('ops1', 'GET', '/api/v1/ops/kpis?from=2026-11-01&to=2027-01-01');
    expect(future.json()).toMatchObject({ error: { code: 'RANGE_IN_FUTURE' } });
    const malformed = await server.as(
      'ops1',
      'GET',
      '/api/v1/ops/kpis?from=yesterday&to=2026-11-01',
    );
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { code: 'INVALID_DATE' } });
    const missing = await server.as('ops1', 'GET', '/api/v1/ops/kpis?from=2026-11-01');
    expect(missing.statusCode).toBe(400);
  });
});
