import {
  periodGranularity,
  TIME_BUCKET_EDGES_MINUTES,
  type MemberThroughput,
  type OpsHealthReport,
  type PeriodGranularity,
  type QueueHealthRow,
  type RejectionReasons,
  type TimeBucketCount,
} from '#shared/ops/health';
import type { ReportRange } from '#shared/ops/kpis';
import type { Queryable } from '../db/database';

/**
 * The ops console's charts (definitions in shared/ops/health.ts) in SQL over the review core's
 * tables: review items, claims and final decisions, and the time entries the workstation records
 * while an item is open and focused.
 */

const HOUR_S = 3600;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Open at the as-of instant: created before it, no final decision before it, and not closed
 * before it by a withdrawal or cancellation (those leave no decision; the item's `updated_at` is
 * when it was closed, as nothing touches a closed item afterwards). Held: a claim taken before
 * the instant, neither released nor expired by then.
 */
async function queueHealth(db: Queryable, range: ReportRange): Promise<QueueHealthRow[]> {
  const rows = await db.query<{
    kind: string;
    waiting: number;
    in_review: number;
    overdue: number;
  }>(
    `WITH open_items AS (
       SELECT i.kind, i.due_at,
              EXISTS (SELECT 1 FROM claims c
                       WHERE c.item_id = i.id AND c.claimed_at <= $1
                         AND (c.released_at IS NULL OR c.released_at > $1)
                         AND c.expires_at > $1) AS held
         FROM review_items i
        WHERE i.created_at < $1
          AND NOT EXISTS (SELECT 1 FROM decisions d
                           WHERE d.item_id = i.id AND d.is_final AND d.decided_at < $1)
          AND NOT (i.state IN ('decided', 'withdrawn', 'cancelled') AND i.updated_at < $1))
     SELECT kind,
            count(*) FILTER (WHERE NOT held)::int AS waiting,
            count(*) FILTER (WHERE held)::int AS in_review,
            count(*) FILTER (WHERE due_at < $1)::int AS overdue
       FROM open_items GROUP BY kind ORDER BY kind`,
    [iso(range.asOfMs)],
  );
  return rows.map((row) => ({
    kind: row.kind,
    waiting: row.waiting,
    inReview: row.in_review,
    overdue: row.overdue,
  }));
}

async function rejectionReasons(db: Queryable, range: ReportRange): Promise<RejectionReasons> {
  const granularity: PeriodGranularity = periodGranularity(range.days);
  // Shanghai has kept UTC+8 all year since 1991: a fixed offset names its calendar day, and
  // date_trunc('week') on that day's timestamp gives its ISO week's Monday.
  const rejections = `
    SELECT d.id, d.reasons,
           ((d.decided_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS day
      FROM decisions d
     WHERE d.is_final AND d.outcome = 'reject' AND d.decided_at >= $1 AND d.decided_at < $2`;
  const counts = await db.query<{ period: string; reason: string; count: number }>(
    `WITH rejections AS (${rejections})
     SELECT (CASE WHEN $3 = 'week' THEN date_trunc('week', r.day::timestamp)::date
                  ELSE r.day END)::text AS period,
            reason.code AS reason,
            count(DISTINCT r.id)::int AS count
       FROM rejections r, jsonb_array_elements_text(r.reasons) AS reason(code)
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [iso(range.startMs), iso(range.endMs), granularity],
  );
  const [totals] = await db.query<{ rejections: number; without_reason: number }>(
    `WITH rejections AS (${rejections})
     SELECT count(*)::int AS rejections,
            count(*) FILTER (WHERE jsonb_array_length(reasons) = 0)::int AS without_reason
       FROM rejections`,
    [iso(range.startMs), iso(range.endMs)],
  );
  return {
    granularity,
    counts,
    rejections: totals?.rejections ?? 0,
    withoutReason: totals?.without_reason ?? 0,
  };
}

async function throughput(db: Queryable, range: ReportRange): Promise<MemberThroughput[]> {
  const rows = await db.query<{
    id: string;
    display_name: string;
    role: string;
    decided: number;
    seconds: number;
  }>(
    `WITH decided AS (
       SELECT reviewer_id AS user_id, count(DISTINCT item_id)::int AS decided
         FROM decisions WHERE is_final AND decided_at >= $1 AND decided_at < $2
        GROUP BY reviewer_id),
     worked AS (
       SELECT user_id, sum(seconds)::float8 AS seconds
         FROM time_entries WHERE started_at >= $1 AND started_at < $2
        GROUP BY user_id)
     SELECT u.id, u.display_name, u.role,
            coalesce(d.decided, 0)::int AS decided, coalesce(w.seconds, 0)::float8 AS seconds
       FROM users u
       LEFT JOIN decided d ON d.user_id = u.id
       LEFT JOIN worked w ON w.user_id = u.id
      WHERE d.user_id IS NOT NULL OR w.user_id IS NOT NULL
      ORDER BY decided DESC, seconds DESC, u.display_name, u.id`,
    [iso(range.startMs), iso(range.endMs)],
  );
  return rows.map((row) => ({
    userId: row.id,
    displayName: row.display_name,
    role: row.role,
    decided: row.decided,
    hours: row.seconds / HOUR_S,
    itemsPerHour: row.seconds === 0 ? null : row.decided / (row.seconds / HOUR_S),
  }));
}

async function timePerItem(db: Queryable, range: ReportRange): Promise<TimeBucketCount[]> {
  // width_bucket against the ascending edges gives how many edges are ≤ the minutes: 0 below
  // the first edge, edges.length at or beyond the last — the bucket index of shared/ops/health.
  const edges = `ARRAY[${TIME_BUCKET_EDGES_MINUTES.join(', ')}]::float8[]`;
  return db.query<TimeBucketCount>(
    `WITH per_item AS (
       SELECT item_id, sum(seconds)::float8 AS seconds
         FROM time_entries WHERE started_at >= $1 AND started_at < $2
        GROUP BY item_id)
     SELECT width_bucket(p.seconds / 60.0, ${edges})::int AS bucket, i.kind, count(*)::int AS items
       FROM per_item p JOIN review_items i ON i.id = p.item_id
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [iso(range.startMs), iso(range.endMs)],
  );
}

/** The charts' figures of `range` (checked by `reportRange`). */
export async function computeHealthReport(
  db: Queryable,
  range: ReportRange,
): Promise<OpsHealthReport> {
  return {
    from: range.from,
    to: range.to,
    asOf: iso(range.asOfMs),
    queue: await queueHealth(db, range),
    rejectionReasons: await rejectionReasons(db, range),
    throughput: await throughput(db, range),
    timePerItem: await timePerItem(db, range),
  };
}
