import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rejectionRate, submissionSpike } from '#shared/ops/alerts';
import { evaluateAlerts, recentAlerts, startAlertSchedule } from '../../../server/src/ops/alerts';
import { createTestServer, TEST_INSTITUTION_ID, type TestServer } from '../harness';

const at = (shanghai: string) => Date.parse(`${shanghai}+08:00`);

let server: TestServer;
let owner: string;
let reviewer: string;

beforeEach(async () => {
  server = await createTestServer();
  owner = await server.userId('submitter1');
  reviewer = await server.userId('reviewer1');
});

afterEach(async () => {
  await server.close();
});

/** `count` submissions (listing review items) at `when`, decided with `outcome` if given. */
async function submit(count: number, when: number, outcome?: 'approve' | 'reject'): Promise<void> {
  await server.db.transaction(async (tx) => {
    for (let index = 0; index < count; index += 1) {
      const listing = randomUUID();
      const item = randomUUID();
      const time = new Date(when + index * 1000).toISOString();
      await tx.query(
        `INSERT INTO listings (id, institution_id, owner_id, state, created_at, updated_at)
         VALUES ($1, $2, $3, 'pending', $4, $4)`,
        [listing, TEST_INSTITUTION_ID, owner, time],
      );
      await tx.query(
        `INSERT INTO review_items (id, kind, subject_id, state, created_at, updated_at)
         VALUES ($1, 'listing_revision', $2, $3, $4, $4)`,
        [item, listing, outcome === undefined ? 'pending' : 'decided', time],
      );
      if (outcome !== undefined) {
        await tx.query(
          `INSERT INTO decisions (id, item_id, kind, outcome, is_final, reviewer_id, decided_at)
           VALUES ($1, $2, 'listing_revision', $3, true, $4, $5)`,
          [randomUUID(), item, outcome, reviewer, time],
        );
      }
    }
  });
}

describe('alert rules (pure)', () => {
  it('calls a spike at three times the baseline mean, and never below the minimum', () => {
    expect(submissionSpike(30, [10, 10, 10])).toMatchObject({ raised: true, threshold: 30 });
    expect(submissionSpike(29, [10, 10, 10])).toMatchObject({ raised: false });
    expect(submissionSpike(19, [0, 0, 0])).toMatchObject({ raised: false, threshold: 20 });
    expect(submissionSpike(20, [])).toMatchObject({ raised: true });
  });

  it('calls a rejection rate strictly over half, over enough decisions', () => {
    expect(rejectionRate(6, 10)).toMatchObject({ raised: true, value: 0.6 });
    expect(rejectionRate(5, 10)).toMatchObject({ raised: false, value: 0.5 });
    expect(rejectionRate(9, 9)).toMatchObject({ raised: false });
    expect(rejectionRate(0, 0)).toMatchObject({ raised: false, value: 0 });
  });
});

describe('alerts on the server', () => {
  it('raises a planted submission spike once per day, with its baseline, and not before', async () => {
    // 14 quiet days of 4 submissions (mean 4: the spike needs max(20, 12) = 20).
    for (let day = 1; day <= 14; day += 1) {
      await submit(4, at(`2026-11-${String(day).padStart(2, '0')}T10:00:00`));
    }
    await submit(19, at('2026-11-15T09:00:00'));
    expect(await evaluateAlerts(server.db, at('2026-11-15T12:00:00'))).toEqual([]);
    await submit(1, at('2026-11-15T13:00:00'));
    const raised = await evaluateAlerts(server.db, at('2026-11-15T13:30:00'));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      rule: 'submission_spike',
      day: '2026-11-15',
      value: 20,
      threshold: 20,
      details: { baselineDays: 14, baseline: Array.from({ length: 14 }, () => 4) },
    });
    // Evaluated again the same day: nothing new, one alert kept.
    await submit(10, at('2026-11-15T14:00:00'));
    expect(await evaluateAlerts(server.db, at('2026-11-15T15:00:00'))).toEqual([]);
    const listed = await recentAlerts(server.db, at('2026-11-15T15:00:00'));
    expect(listed.map((alert) => alert.rule)).toEqual(['submission_spike']);
  });

  it('raises the rejection rate over the last 7 days, and forgets decisions older than that', async () => {
    await submit(6, at('2026-11-10T10:00:00'), 'reject');
    await submit(4, at('2026-11-10T11:00:00'), 'approve');
    // Older than 7 days at evaluation: must not count.
    await submit(20, at('2026-11-01T10:00:00'), 'approve');
    const raised = await evaluateAlerts(server.db, at('2026-11-12T10:00:00'));
    expect(raised.map(({ rule, value }) => ({ rule, value }))).toEqual([
      { rule: 'rejection_rate', value: 0.6 },
    ]);
    expect(raised[0]?.details).toMatchObject({ rejected: 6, decided: 10, windowDays: 7 });
  });

  it('runs on a schedule on the server clock and lists the alert to ops managers only', async () => {
    await submit(25, at('2026-11-20T08:00:00'));
    server.clock.set(at('2026-11-20T09:00:00'));
    const raised: string[] = [];
    const stop = startAlertSchedule({
      db: server.db,
      clock: server.clock,
      intervalMs: 20,
      onRaised: (alerts) => raised.push(...alerts.map((alert) => alert.rule)),
      onError: (error) => {
        throw error;
      },
    });
    try {
      await vi.waitFor(() => {
        expect(raised).toEqual(['submission_spike']);
      });
    } finally {
      stop();
    }
    const response = await server.as('ops1', 'GET', '/api/v1/ops/alerts');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      alerts: [{ rule: 'submission_spike', day: '2026-11-20', value: 25 }],
    });
    expect((await server.as('reviewer1', 'GET', '/api/v1/ops/alerts')).statusCode).toBe(403);
  });

  it('is acknowledged by the first ops manager who takes it, once, with a clear error otherwise', async () => {
    await submit(25, at('2026-11-20T08:00:00'));
    const [alert] = await evaluateAlerts(server.db, at('2026-11-20T09:00:00'));
    if (alert === undefined) {
      throw new Error('the planted spike raised no alert');
    }
    expect(alert.acknowledged).toBeNull();
    server.clock.set(at('2026-11-20T09:30:00'));
    const url = `/api/v1/ops/alerts/${alert.id}/acknowledge`;

    expect((await server.as('reviewer1', 'POST', url)).statusCode).toBe(403);
    const first = await server.as('ops1', 'POST', url);
    expect(first.statusCode).toBe(200);
    const ops = await server.userId('ops1');
    const acknowledged = {
      at: new Date(at('2026-11-20T09:30:00')).toISOString(),
      byId: ops,
      byName: expect.any(String) as unknown,
    };
    expect(first.json()).toMatchObject({ alert: { id: alert.id, acknowledged } });

    // A retry an hour later changes nothing: the first acknowledgement stands.
    server.clock.set(at('2026-11-20T10:30:00'));
    const again = await server.as('ops1', 'POST', url);
    expect(again.json()).toMatchObject({ alert: { acknowledged } });
    const listed = await server.as('ops1', 'GET', '/api/v1/ops/alerts');
    expect(listed.json()).toMatchObject({ alerts: [{ id: alert.id, acknowledged }] });

    const unknown = await server.as(
      'ops1',
      'POST',
      `/api/v1/ops/alerts/${randomUUID()}/acknowledge`,
    );
    expect(unknown.statusCode).toBe(404);
    const invalid = await server.as('ops1', 'POST', "/api/v1/ops/alerts/1'%20OR%201=1/acknowledge");
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: { code: 'INVALID_ID' } });
  });
});
