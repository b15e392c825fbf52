import { randomUUID } from 'node:crypto';
import {
  DEFAULT_ALERT_SETTINGS,
  rejectionRate,
  submissionSpike,
  type AlertRule,
  type AlertSettings,
  type AlertVerdict,
  type OpsAlert,
} from '#shared/ops/alerts';
import { addCalendarDays, DAY_MS, fromShanghai, shanghaiDate } from '#shared/domain/time';
import type { Clock } from '../clock';
import type { Queryable } from '../db/database';
import { LISTING_REVISION_KIND } from '../review/kinds/listing';
import { runOnSchedule } from '../schedule';

/**
 * Evaluates the alert rules of shared/ops/alerts.ts against the review core's tables and records
 * what they raise, once per rule and Shanghai day (`ops_alerts`, unique on rule + day): the
 * schedule may run as often as it likes.
 */

const iso = (ms: number) => new Date(ms).toISOString();

interface AlertRow {
  id: string;
  rule: AlertRule;
  day: string;
  raised_at: string;
  value: number;
  threshold: number;
  details: Record<string, unknown>;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
}

const toAlert = (row: AlertRow): OpsAlert => ({
  id: row.id,
  rule: row.rule,
  // PGlite and node-postgres both give `date` columns back as text here (see the cast below).
  day: row.day,
  raisedAt: new Date(row.raised_at).toISOString(),
  value: row.value,
  threshold: row.threshold,
  details: row.details,
  acknowledged:
    row.acknowledged_at === null || row.acknowledged_by === null
      ? null
      : {
          at: new Date(row.acknowledged_at).toISOString(),
          byId: row.acknowledged_by,
          byName: row.acknowledged_by_name ?? '',
        },
});

const ALERT_COLUMNS = `a.id, a.rule, a.day::text AS day, a.raised_at, a.value, a.threshold, a.details,
  a.acknowledged_at, a.acknowledged_by, u.display_name AS acknowledged_by_name`;
/** The same columns of a row just inserted (nobody has acknowledged it yet). */
const NEW_ALERT_COLUMNS = `id, rule, day::text AS day, raised_at, value, threshold, details,
  NULL::timestamptz AS acknowledged_at, NULL::uuid AS acknowledged_by,
  NULL::text AS acknowledged_by_name`;
/** `ops_alerts a` with the acknowledging user's name. */
const ALERTS_FROM = 'ops_alerts a LEFT JOIN users u ON u.id = a.acknowledged_by';

/** Submissions per Shanghai day of the `days` days before `today`, oldest first. */
async function submissionsPerDay(
  db: Queryable,
  today: string,
  days: number,
  nowMs: number,
): Promise<{ today: number; baseline: number[] }> {
  const first = addCalendarDays(today, -days);
  // Shanghai has kept UTC+8 all year since 1991: a fixed offset names its calendar day.
  const rows = await db.query<{ day: string; submissions: number }>(
    `SELECT ((created_at AT TIME ZONE 'UTC') + interval '8 hours')::date::text AS day,
            count(*)::int AS submissions
       FROM review_items
      WHERE kind = $1 AND created_at >= $2 AND created_at <= $3
      GROUP BY 1`,
    [LISTING_REVISION_KIND, iso(fromShanghai(first)), iso(nowMs)],
  );
  const byDay = new Map(rows.map((row) => [row.day, row.submissions]));
  const baseline = Array.from(
    { length: days },
    (_day, index) => byDay.get(addCalendarDays(first, index)) ?? 0,
  );
  return { today: byDay.get(today) ?? 0, baseline };
}

async function finalDecisions(
  db: Queryable,
  sinceMs: number,
  nowMs: number,
): Promise<{ rejected: number; decided: number }> {
  const [row] = await db.query<{ rejected: number; decided: number }>(
    `SELECT count(*) FILTER (WHERE d.outcome = 'reject')::int AS rejected, count(*)::int AS decided
       FROM decisions d JOIN review_items i ON i.id = d.item_id
      WHERE d.is_final AND i.kind = $1 AND d.decided_at > $2 AND d.decided_at <= $3`,
    [LISTING_REVISION_KIND, iso(sinceMs), iso(nowMs)],
  );
  return { rejected: row?.rejected ?? 0, decided: row?.decided ?? 0 };
}

/** Evaluates every rule at `nowMs`; returns the alerts raised by this evaluation (new ones). */
export async function evaluateAlerts(
  db: Queryable,
  nowMs: number,
  settings: AlertSettings = DEFAULT_ALERT_SETTINGS,
): Promise<OpsAlert[]> {
  const today = shanghaiDate(nowMs);
  const submissions = await submissionsPerDay(db, today, settings.spikeBaselineDays, nowMs);
  const decisions = await finalDecisions(db, nowMs - settings.rejectionWindowDays * DAY_MS, nowMs);
  const verdicts: [AlertRule, AlertVerdict, Record<string, unknown>][] = [
    [
      'submission_spike',
      submissionSpike(submissions.today, submissions.baseline, settings),
      { baseline: submissions.baseline, baselineDays: settings.spikeBaselineDays },
    ],
    [
      'rejection_rate',
      rejectionRate(decisions.rejected, decisions.decided, settings),
      { ...decisions, windowDays: settings.rejectionWindowDays },
    ],
  ];
  const raised: OpsAlert[] = [];
  for (const [rule, verdict, details] of verdicts) {
    if (!verdict.raised) {
      continue;
    }
    const rows = await db.query<AlertRow>(
      `INSERT INTO ops_alerts (id, rule, day, raised_at, value, threshold, details)
       VALUES ($1, $2, $3::date, $4, $5, $6, $7)
       ON CONFLICT (rule, day) DO NOTHING
       RETURNING ${NEW_ALERT_COLUMNS}`,
      [
        randomUUID(),
        rule,
        today,
        iso(nowMs),
        verdict.value,
        verdict.threshold,
        JSON.stringify(details),
      ],
    );
    raised.push(...rows.map(toAlert));
  }
  return raised;
}

/** The alerts raised in the last `days` days, newest first. */
export async function recentAlerts(db: Queryable, nowMs: number, days = 30): Promise<OpsAlert[]> {
  const rows = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM ${ALERTS_FROM} WHERE a.raised_at > $1
      ORDER BY a.raised_at DESC, a.rule LIMIT 200`,
    [iso(nowMs - days * DAY_MS)],
  );
  return rows.map(toAlert);
}

/**
 * Records that `userId` acknowledged the alert. The first acknowledgement stands: a second one
 * (another ops manager, a retried request) changes nothing and gets the alert as it is.
 * Null when there is no such alert.
 */
export async function acknowledgeAlert(
  db: Queryable,
  alertId: string,
  userId: string,
  nowMs: number,
): Promise<OpsAlert | null> {
  await db.query(
    `UPDATE ops_alerts SET acknowledged_at = $2, acknowledged_by = $3, row_version = row_version + 1
      WHERE id = $1 AND acknowledged_at IS NULL`,
    [alertId, iso(nowMs), userId],
  );
  const rows = await db.query<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM ${ALERTS_FROM} WHERE a.id = $1`,
    [alertId],
  );
  const row = rows[0];
  return row === undefined ? null : toAlert(row);
}

/** How often the server evaluates the rules: a spike shows within minutes, not hours. */
export const ALERT_INTERVAL_MS = 10 * 60_000;

/**
 * Evaluates the rules now and then every `intervalMs` on the server's clock; a failure is
 * reported and the next round tries again. Returns a function that stops the schedule.
 */
export function startAlertSchedule(options: {
  readonly db: Queryable;
  readonly clock: Clock;
  readonly intervalMs?: number;
  readonly settings?: AlertSettings;
  readonly onRaised?: (alerts: readonly OpsAlert[]) => void;
  readonly onError: (error: unknown) => void;
}): () => void {
  return runOnSchedule({
    intervalMs: options.intervalMs ?? ALERT_INTERVAL_MS,
    round: async () => {
      const raised = await evaluateAlerts(options.db, options.clock.now(), options.settings);
      if (raised.length > 0) {
        options.onRaised?.(raised);
      }
    },
    onError: options.onError,
  });
}
