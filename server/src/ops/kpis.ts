import {
  KPI_DEFINITIONS,
  KPI_IDS,
  kpiMet,
  previousRange,
  type KpiFigure,
  type KpiId,
  type KpiReport,
  type ReportRange,
} from '#shared/ops/kpis';
import type { Queryable } from '../db/database';
import { LISTING_REVISION_KIND } from '../review/kinds/listing';

/**
 * The listing KPIs (definitions in shared/ops/kpis.ts) in SQL over the review core's tables.
 *
 * Submissions are read from the review items, not from the revisions' `submitted_at`: every
 * submission opens one `listing_revision` item (created at the moment of submitting), while a
 * revision resubmitted after a withdrawal overwrites its `submitted_at`. Decisions are the final
 * ones of those items.
 */

interface RawFigure {
  readonly value: number | null;
  readonly sample: number;
  readonly unanswered?: number;
}

const HOUR_S = 3600;
const DAY_S = 86_400;

const iso = (ms: number) => new Date(ms).toISOString();

async function draftToSubmit(tx: Queryable, range: ReportRange): Promise<RawFigure> {
  const [row] = await tx.query<{ created: number; submitted: number }>(
    `SELECT count(*)::int AS created,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM review_items i
               WHERE i.kind = $4 AND i.subject_id = l.id AND i.created_at < $3))::int AS submitted
       FROM listings l
      WHERE l.created_at >= $1 AND l.created_at < $2`,
    [iso(range.startMs), iso(range.endMs), iso(range.asOfMs), LISTING_REVISION_KIND],
  );
  const created = row?.created ?? 0;
  return { value: created === 0 ? null : (row?.submitted ?? 0) / created, sample: created };
}

async function firstPassApproval(tx: Queryable, range: ReportRange): Promise<RawFigure> {
  const [row] = await tx.query<{ decided: number; approved: number }>(
    `WITH firsts AS (
       SELECT DISTINCT ON (i.subject_id) i.subject_id, d.outcome, d.decided_at
         FROM decisions d JOIN review_items i ON i.id = d.item_id
        WHERE d.is_final AND i.kind = $3
        ORDER BY i.subject_id, d.decided_at, d.id)
     SELECT count(*)::int AS decided, count(*) FILTER (WHERE outcome = 'approve')::int AS approved
       FROM firsts WHERE decided_at >= $1 AND decided_at < $2`,
    [iso(range.startMs), iso(range.endMs), LISTING_REVISION_KIND],
  );
  const decided = row?.decided ?? 0;
  return { value: decided === 0 ? null : (row?.approved ?? 0) / decided, sample: decided };
}

async function preparationDays(tx: Queryable, range: ReportRange): Promise<RawFigure> {
  const [row] = await tx.query<{ listings: number; seconds: number | null }>(
    `WITH firsts AS (
       SELECT subject_id, min(created_at) AS first_submitted
         FROM review_items WHERE kind = $3 GROUP BY subject_id)
     SELECT count(*)::int AS listings,
            avg(extract(epoch FROM f.first_submitted - l.created_at))::float8 AS seconds
       FROM firsts f JOIN listings l ON l.id = f.subject_id
      WHERE f.first_submitted >= $1 AND f.first_submitted < $2`,
    [iso(range.startMs), iso(range.endMs), LISTING_REVISION_KIND],
  );
  const seconds = row?.seconds ?? null;
  return { value: seconds === null ? null : seconds / DAY_S, sample: row?.listings ?? 0 };
}

async function rejectionResponseHours(tx: Queryable, range: ReportRange): Promise<RawFigure> {
  const [row] = await tx.query<{ rejections: number; answered: number; seconds: number | null }>(
    `WITH rejections AS (
       SELECT d.decided_at,
              (SELECT min(n.created_at) FROM review_items n
                WHERE n.kind = i.kind AND n.subject_id = i.subject_id
                  AND n.created_at > d.decided_at AND n.created_at < $3) AS answered_at
         FROM decisions d JOIN review_items i ON i.id = d.item_id
        WHERE d.is_final AND i.kind = $4 AND d.outcome = 'reject'
          AND d.decided_at >= $1 AND d.decided_at < $2)
     SELECT count(*)::int AS rejections,
            count(answered_at)::int AS answered,
            avg(extract(epoch FROM answered_at - decided_at))::float8 AS seconds
       FROM rejections`,
    [iso(range.startMs), iso(range.endMs), iso(range.asOfMs), LISTING_REVISION_KIND],
  );
  const seconds = row?.seconds ?? null;
  const rejections = row?.rejections ?? 0;
  const answered = row?.answered ?? 0;
  return {
    value: seconds === null ? null : seconds / HOUR_S,
    sample: answered,
    unanswered: rejections - answered,
  };
}

const COMPUTE: Readonly<Record<KpiId, (tx: Queryable, range: ReportRange) => Promise<RawFigure>>> =
  {
    draft_to_submit: draftToSubmit,
    first_pass_approval: firstPassApproval,
    preparation_days: preparationDays,
    rejection_response_hours: rejectionResponseHours,
  };

/** The KPI report of `range` (checked by `reportRange`), with the previous range for trends. */
export async function computeKpiReport(db: Queryable, range: ReportRange): Promise<KpiReport> {
  const before = previousRange(range);
  const kpis: KpiFigure[] = [];
  for (const id of KPI_IDS) {
    const definition = KPI_DEFINITIONS[id];
    const now = await COMPUTE[id](db, range);
    const previous = await COMPUTE[id](db, before);
    kpis.push({
      id,
      value: now.value,
      unit: definition.unit,
      target: definition.target,
      goal: definition.goal,
      met: kpiMet(definition, now.value),
      sample: now.sample,
      previous: previous.value,
      ...(now.unanswered === undefined ? {} : { unanswered: now.unanswered }),
    });
  }
  return { from: range.from, to: range.to, asOf: iso(range.asOfMs), kpis };
}
