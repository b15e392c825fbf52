/**
 * The ops console's KPI query (issue 12): `computeKpiReport` over the last 90 Shanghai days (and
 * the 90 before, for the trend) with the seeded listings and the audit log topped up to 10 events
 * per listing (500,000 for the full run's 50,000); baseline: the plain aggregate SQL over the
 * same tables and ranges (one count or mean per KPI, without the "first submission", "first final decision" and "next submission" logic
 * the KPIs need). Median of several runs each, after one warm-up.
 */
import { addCalendarDays, shanghaiDate } from '#shared/domain/time';
import { previousRange, reportRange, type ReportRange } from '#shared/ops/kpis';
import type { ServerContext } from '../server/src/context';
import { computeKpiReport } from '../server/src/ops/kpis';
import { benchFigure, seconds, time, type BenchFigure } from './benchFigures';

const RUNS = 5;

const iso = (ms: number) => new Date(ms).toISOString();

async function plainAggregates(ctx: ServerContext, range: ReportRange): Promise<void> {
  const params = [iso(range.startMs), iso(range.endMs)];
  await ctx.db.query(
    'SELECT count(*) FROM listings WHERE created_at >= $1 AND created_at < $2',
    params,
  );
  await ctx.db.query(
    `SELECT count(*) FILTER (WHERE outcome = 'approve'), count(*) FROM decisions
      WHERE is_final AND decided_at >= $1 AND decided_at < $2`,
    params,
  );
  await ctx.db.query(
    `SELECT avg(extract(epoch FROM i.created_at - l.created_at)) FROM review_items i
       JOIN listings l ON l.id = i.subject_id
      WHERE i.created_at >= $1 AND i.created_at < $2`,
    params,
  );
  await ctx.db.query(
    `SELECT avg(extract(epoch FROM d.decided_at)) FROM decisions d
      WHERE d.is_final AND d.outcome = 'reject' AND d.decided_at >= $1 AND d.decided_at < $2`,
    params,
  );
}

async function median(body: () => Promise<unknown>): Promise<number> {
  await body();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    times.push((await time(body)).ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** `auditEvents`: the audit log's size for the run (10 per listing: 500,000 for 50,000). */
export async function runKpiBenchmark(
  ctx: ServerContext,
  options: { readonly auditEvents: number },
): Promise<BenchFigure[]> {
  const [existing] = await ctx.db.query<{ n: string }>(
    'SELECT count(*)::text AS n FROM audit_events',
  );
  const missing = Math.max(0, options.auditEvents - Number(existing?.n ?? 0));
  if (missing > 0) {
    // Audit rows of the seeded listings, spread over the last 180 days (what a busy desk writes).
    await ctx.db.query(
      `WITH ids AS (SELECT array_agg(id) AS a FROM (SELECT id FROM listings LIMIT 1000) s)
       INSERT INTO audit_events (id, at, subject_type, subject_id, action, details)
       SELECT gen_random_uuid(), now() - (random() * interval '180 days'), 'listing',
              ids.a[1 + g % array_length(ids.a, 1)], 'comment', '{}'::jsonb
         FROM generate_series(1, $1) AS g, ids`,
      [missing],
    );
  }
  const now = ctx.clock.now();
  const to = shanghaiDate(now);
  const range = reportRange(addCalendarDays(to, -89), to, now);
  const ours = await median(() => computeKpiReport(ctx.db, range));
  const baseline = await median(async () => {
    await plainAggregates(ctx, range);
    await plainAggregates(ctx, previousRange(range));
  });
  console.log(
    `KPI report, 90 days         ${seconds(ours)}  (plain aggregates ${seconds(baseline)}, ` +
      `${(ours / baseline).toFixed(2)}×; ${options.auditEvents.toLocaleString('en-US')} audit events)`,
  );
  return [benchFigure('kpi_query', ours, baseline, 'ms')];
}
