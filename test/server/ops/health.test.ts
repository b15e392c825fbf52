import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRange } from '#shared/ops/kpis';
import { computeHealthReport } from '../../../server/src/ops/health';
import { createTestServer, type TestServer, type TestUsername } from '../harness';

/**
 * The console's charts against a small history whose every figure is worked out by hand in the
 * comments, from the timestamps alone. Range: 2026-11-01 … 2026-11-10 (Shanghai), as of
 * 2026-11-11 00:00 Shanghai. 2026-11-01 is a Sunday (2026-01-01 was a Thursday; 304 days later
 * is 3 weekdays on).
 */
const at = (shanghai: string) => `${shanghai}+08:00`;

type Kind = 'listing_revision' | 'homework' | 'refund';
type State = 'pending' | 'in_review' | 'decided' | 'withdrawn';

interface Decision {
  readonly by: TestUsername;
  readonly at: string;
  readonly outcome: 'approve' | 'reject';
  readonly reasons?: readonly string[];
  readonly final?: boolean;
}

interface Claim {
  readonly by: TestUsername;
  readonly at: string;
  readonly expires: string;
  readonly released?: string;
}

interface WorkSlice {
  readonly by: TestUsername;
  readonly at: string;
  readonly seconds: number;
}

interface Item {
  readonly kind: Kind;
  readonly createdAt: string;
  readonly state: State;
  readonly updatedAt?: string;
  readonly dueAt?: string;
  readonly claims?: readonly Claim[];
  readonly decisions?: readonly Decision[];
  readonly time?: readonly WorkSlice[];
}

const ITEMS: Readonly<Record<string, Item>> = {
  // Waiting and past its due time at the as-of instant.
  L1: {
    kind: 'listing_revision',
    createdAt: at('2026-11-05T09:00:00'),
    state: 'pending',
    dueAt: at('2026-11-07T09:00:00'),
  },
  // Held by reviewer1 at the as-of instant, due after it; a non-final rejection to ignore; 15 min.
  L2: {
    kind: 'listing_revision',
    createdAt: at('2026-11-09T09:00:00'),
    state: 'in_review',
    dueAt: at('2026-11-12T09:00:00'),
    claims: [
      { by: 'reviewer1', at: at('2026-11-10T09:00:00'), expires: at('2026-11-11T09:00:00') },
    ],
    decisions: [
      {
        by: 'reviewer2',
        at: at('2026-11-10T11:00:00'),
        outcome: 'reject',
        reasons: ['credential_problem'],
        final: false,
      },
    ],
    time: [{ by: 'reviewer1', at: at('2026-11-10T09:05:00'), seconds: 900 }],
  },
  // Rejected on 11-06 with two reasons by reviewer1, who spent 20 + 10 min on it.
  L3: {
    kind: 'listing_revision',
    createdAt: at('2026-11-03T09:00:00'),
    state: 'decided',
    claims: [
      {
        by: 'reviewer1',
        at: at('2026-11-05T10:00:00'),
        expires: at('2026-11-06T10:00:00'),
        released: at('2026-11-06T09:00:00'),
      },
    ],
    decisions: [
      {
        by: 'reviewer1',
        at: at('2026-11-06T09:00:00'),
        outcome: 'reject',
        reasons: ['missing_material', 'unclear_description'],
      },
    ],
    time: [
      { by: 'reviewer1', at: at('2026-11-05T10:00:00'), seconds: 1200 },
      { by: 'reviewer1', at: at('2026-11-06T08:50:00'), seconds: 600 },
    ],
  },
  // Decided only after the as-of instant: at it, held (claimed 11-10) and overdue (due 11-10).
  L4: {
    kind: 'listing_revision',
    createdAt: at('2026-11-08T09:00:00'),
    state: 'decided',
    dueAt: at('2026-11-10T12:00:00'),
    claims: [
      {
        by: 'reviewer1',
        at: at('2026-11-10T10:00:00'),
        expires: at('2026-11-13T10:00:00'),
        released: at('2026-11-12T10:00:00'),
      },
    ],
    decisions: [{ by: 'reviewer1', at: at('2026-11-12T10:00:00'), outcome: 'approve' }],
  },
  // Withdrawn on 11-04: closed at the as-of instant.
  L5: {
    kind: 'listing_revision',
    createdAt: at('2026-11-02T09:00:00'),
    state: 'withdrawn',
    updatedAt: at('2026-11-04T09:00:00'),
  },
  // Entered the queue after the as-of instant.
  L6: { kind: 'listing_revision', createdAt: at('2026-11-12T09:00:00'), state: 'pending' },
  // Waiting: one claim released, another expired (never released); no due time.
  L7: {
    kind: 'listing_revision',
    createdAt: at('2026-11-04T09:00:00'),
    state: 'pending',
    claims: [
      {
        by: 'reviewer2',
        at: at('2026-11-04T10:00:00'),
        expires: at('2026-11-05T10:00:00'),
        released: at('2026-11-05T09:00:00'),
      },
      { by: 'reviewer2', at: at('2026-11-09T10:00:00'), expires: at('2026-11-10T10:00:00') },
    ],
  },
  // Rejected by reviewer2 on 11-06 after an hour's work.
  L8: {
    kind: 'listing_revision',
    createdAt: at('2026-10-28T09:00:00'),
    state: 'decided',
    decisions: [
      {
        by: 'reviewer2',
        at: at('2026-11-06T15:00:00'),
        outcome: 'reject',
        reasons: ['missing_material'],
      },
    ],
    time: [{ by: 'reviewer2', at: at('2026-11-06T14:00:00'), seconds: 3600 }],
  },
  // Approved by reviewer2 after 30 min.
  L9: {
    kind: 'listing_revision',
    createdAt: at('2026-11-06T09:00:00'),
    state: 'decided',
    decisions: [{ by: 'reviewer2', at: at('2026-11-07T10:00:00'), outcome: 'approve' }],
    time: [{ by: 'reviewer2', at: at('2026-11-07T09:30:00'), seconds: 1800 }],
  },
  // Rejected half an hour before the range starts (Saturday 10-31).
  L10: {
    kind: 'listing_revision',
    createdAt: at('2026-10-29T09:00:00'),
    state: 'decided',
    decisions: [
      { by: 'reviewer1', at: at('2026-10-31T23:30:00'), outcome: 'reject', reasons: ['other'] },
    ],
  },
  // Rejected on the range's first instant (10-31 16:00 UTC: a UTC day would say 10-31); the
  // time was recorded before the range.
  L11: {
    kind: 'listing_revision',
    createdAt: at('2026-10-30T09:00:00'),
    state: 'decided',
    decisions: [
      {
        by: 'reviewer1',
        at: at('2026-11-01T00:00:00'),
        outcome: 'reject',
        reasons: ['credential_problem'],
      },
    ],
    time: [{ by: 'reviewer1', at: at('2026-10-31T23:50:00'), seconds: 600 }],
  },
  // Waiting homework past its due time; TA 3 min and mentor 2 min on it: 5 min together.
  H1: {
    kind: 'homework',
    createdAt: at('2026-11-09T09:00:00'),
    state: 'pending',
    dueAt: at('2026-11-10T09:00:00'),
    time: [
      { by: 'ta1', at: at('2026-11-10T08:00:00'), seconds: 180 },
      { by: 'mentor1', at: at('2026-11-10T09:00:00'), seconds: 120 },
    ],
  },
  // Returned by the TA without a reason code after 6 min.
  H2: {
    kind: 'homework',
    createdAt: at('2026-11-07T09:00:00'),
    state: 'decided',
    decisions: [{ by: 'ta1', at: at('2026-11-08T09:00:00'), outcome: 'reject', reasons: [] }],
    time: [{ by: 'ta1', at: at('2026-11-08T08:54:00'), seconds: 360 }],
  },
  // A refund refused on Monday 11-09 00:30 (Sunday 11-08 in UTC); ops1 looked for 2 min.
  R1: {
    kind: 'refund',
    createdAt: at('2026-11-06T09:00:00'),
    state: 'decided',
    decisions: [
      {
        by: 'assistant1',
        at: at('2026-11-09T00:30:00'),
        outcome: 'reject',
        reasons: ['window_closed'],
      },
    ],
    time: [{ by: 'ops1', at: at('2026-11-06T10:00:00'), seconds: 120 }],
  },
};

let server: TestServer;
const userIds = new Map<string, string>();

async function insertItems(): Promise<void> {
  for (const username of ['reviewer1', 'reviewer2', 'ta1', 'mentor1', 'assistant1', 'ops1']) {
    userIds.set(username, await server.userId(username as TestUsername));
  }
  const user = (name: TestUsername) => userIds.get(name) ?? name;
  await server.db.transaction(async (tx) => {
    for (const [title, item] of Object.entries(ITEMS)) {
      const itemId = randomUUID();
      await tx.query(
        `INSERT INTO review_items (id, kind, subject_id, state, due_at, title, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          itemId,
          item.kind,
          randomUUID(),
          item.state,
          item.dueAt ?? null,
          title,
          item.createdAt,
          item.updatedAt ?? item.decisions?.at(-1)?.at ?? item.createdAt,
        ],
      );
      for (const claim of item.claims ?? []) {
        await tx.query(
          `INSERT INTO claims (id, item_id, reviewer_id, claimed_at, expires_at, released_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [randomUUID(), itemId, user(claim.by), claim.at, claim.expires, claim.released ?? null],
        );
      }
      for (const decision of item.decisions ?? []) {
        await tx.query(
          `INSERT INTO decisions (id, item_id, kind, outcome, is_final, reviewer_id, reasons, decided_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            randomUUID(),
            itemId,
            item.kind,
            decision.outcome,
            decision.final ?? true,
            user(decision.by),
            JSON.stringify(decision.reasons ?? []),
            decision.at,
          ],
        );
      }
      for (const slice of item.time ?? []) {
        await tx.query(
          `INSERT INTO time_entries (id, item_id, user_id, started_at, seconds, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $4)`,
          [randomUUID(), itemId, user(slice.by), slice.at, slice.seconds],
        );
      }
    }
  });
}

beforeAll(async () => {
  server = await createTestServer();
  await insertItems();
});

afterAll(async () => {
  await server.close();
});

const november = () => reportRange('2026-11-01', '2026-11-10', server.clock.now());

describe('ops charts over a hand-computed history', () => {
  it('counts the queue as it stood at the as-of instant, per kind', async () => {
    const report = await computeHealthReport(server.db, november());
    expect(report.asOf).toBe(new Date(at('2026-11-11T00:00:00')).toISOString());
    // Open at 11-11 00:00: L1 (waiting, overdue), L2 (held), L4 (held, overdue), L7 (waiting:
    // one claim released, one expired), H1 (waiting, overdue). Closed: L3 L8 L9 L10 L11 H2 R1
    // decided before, L5 withdrawn before; L6 came after. No refund is open: no refund row.
    expect(report.queue).toEqual([
      { kind: 'homework', waiting: 1, inReview: 0, overdue: 1 },
      { kind: 'listing_revision', waiting: 2, inReview: 2, overdue: 2 },
    ]);
  });

  it('counts rejection reasons per Shanghai day, and the rejections without one apart', async () => {
    const { rejectionReasons } = await computeHealthReport(server.db, november());
    // Final rejections in range: L11 (11-01), L3 and L8 (11-06), H2 (11-08, no code), R1
    // (11-09). L10 is before the range, L2's rejection is not final.
    expect(rejectionReasons).toEqual({
      granularity: 'day',
      counts: [
        { period: '2026-11-01', reason: 'credential_problem', count: 1 },
        { period: '2026-11-06', reason: 'missing_material', count: 2 },
        { period: '2026-11-06', reason: 'unclear_description', count: 1 },
        { period: '2026-11-09', reason: 'window_closed', count: 1 },
      ],
      rejections: 5,
      withoutReason: 1,
    });
  });

  it('counts per week starting on Monday when the range is longer than a month', async () => {
    const { rejectionReasons } = await computeHealthReport(
      server.db,
      reportRange('2026-10-01', '2026-11-10', server.clock.now()),
    );
    // 41 days. Weeks: Mon 10-26 … Sun 11-01 holds L10 (Sat 10-31) and L11 (Sun 11-01); the week
    // of 11-02 holds L3 and L8 (Fri 11-06) and H2; the week of 11-09 holds R1 (Mon 00:30).
    expect(rejectionReasons).toEqual({
      granularity: 'week',
      counts: [
        { period: '2026-10-26', reason: 'credential_problem', count: 1 },
        { period: '2026-10-26', reason: 'other', count: 1 },
        { period: '2026-11-02', reason: 'missing_material', count: 2 },
        { period: '2026-11-02', reason: 'unclear_description', count: 1 },
        { period: '2026-11-09', reason: 'window_closed', count: 1 },
      ],
      rejections: 6,
      withoutReason: 1,
    });
  });

  it('sets each member’s decided items against their recorded hours', async () => {
    const { throughput } = await computeHealthReport(server.db, november());
    // reviewer2: L8 + L9 decided; 3600 + 1800 s = 1.5 h → 2 / 1.5 = 4/3 per hour.
    // reviewer1: L3 + L11 decided (L4 after the range); 1200 + 600 + 900 s = 0.75 h (L11's
    //   600 s started before the range) → 2 / 0.75 = 8/3 per hour.
    // ta1: H2; 360 + 180 s = 0.15 h → 1 / 0.15 = 20/3. assistant1: R1, no time recorded.
    // mentor1 and ops1: 120 s each, nothing decided; same figures, so by name.
    const expected = [
      ['reviewer2', 2, 1.5, 4 / 3],
      ['reviewer1', 2, 0.75, 8 / 3],
      ['ta1', 1, 0.15, 20 / 3],
      ['assistant1', 1, 0, null],
      ['mentor1', 0, 1 / 30, 0],
      ['ops1', 0, 1 / 30, 0],
    ] as const;
    expect(throughput.map((member) => member.displayName)).toEqual(expected.map(([name]) => name));
    for (const [index, [name, decided, hours, perHour]] of expected.entries()) {
      const member = throughput[index];
      expect(member).toMatchObject({ userId: userIds.get(name), decided });
      expect(member?.hours).toBeCloseTo(hours, 9);
      if (perHour === null) {
        expect(member?.itemsPerHour).toBeNull();
      } else {
        expect(member?.itemsPerHour).toBeCloseTo(perHour, 9);
      }
    }
    expect(throughput.find((member) => member.displayName === 'ta1')?.role).toBe('ta');
  });

  it('buckets each item’s recorded minutes, edges included in the bucket above', async () => {
    const { timePerItem } = await computeHealthReport(server.db, november());
    // R1 2 min → [0, 5); H1 3 + 2 = 5 min and H2 6 min → [5, 10); L2 15 min → [10, 20);
    // L3 20 + 10 = 30 min and L9 30 min → [30, 60); L8 60 min → 60 and more. L11's time is
    // before the range.
    expect(timePerItem).toEqual([
      { bucket: 0, kind: 'refund', items: 1 },
      { bucket: 1, kind: 'homework', items: 2 },
      { bucket: 2, kind: 'listing_revision', items: 1 },
      { bucket: 4, kind: 'listing_revision', items: 2 },
      { bucket: 5, kind: 'listing_revision', items: 1 },
    ]);
  });

  it('is empty, not failing, over a range where nothing happened', async () => {
    const report = await computeHealthReport(
      server.db,
      reportRange('2026-09-01', '2026-09-30', server.clock.now()),
    );
    expect(report).toMatchObject({
      queue: [],
      rejectionReasons: { granularity: 'day', counts: [], rejections: 0, withoutReason: 0 },
      throughput: [],
      timePerItem: [],
    });
  });
});

describe('GET /api/v1/ops/health', () => {
  const url = '/api/v1/ops/health?from=2026-11-01&to=2026-11-10';

  it('gives ops managers the same report, and nobody else', async () => {
    const response = await server.as('ops1', 'GET', url);
    expect(response.statusCode).toBe(200);
    const expected = await computeHealthReport(server.db, november());
    expect(response.json()).toEqual(JSON.parse(JSON.stringify(expected)));
    for (const username of ['reviewer1', 'submitter1', 'ta1', 'mentor1', 'assistant1'] as const) {
      expect((await server.as(username, 'GET', url)).statusCode).toBe(403);
    }
    expect((await server.app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('names what is wrong with a bad range', async () => {
    const upsideDown = await server.as(
      'ops1',
      'GET',
      '/api/v1/ops/health?from=2026-11-10&to=2026-11-01',
    );
    expect(upsideDown.statusCode).toBe(400);
    expect(upsideDown.json()).toMatchObject({ error: { code: 'RANGE_UPSIDE_DOWN' } });
    const future = await server.as(
      'ops1',
      'GET',
      '/api/v1/ops/health?from=2026-11-01&to=2027-01-01',
    );
    expect(future.json()).toMatchObject({ error: { code: 'RANGE_IN_FUTURE' } });
  });
});
