import { addCalendarDays, fromShanghai, parseCalendarDate, shanghaiDate } from '../domain/time';

/**
 * The listing KPIs of project-submission-workspace.zh.md §10, as the ops console and
 * `review-desk report kpis` show them. The server computes them (server/src/ops/kpis.ts); this
 * module holds what both sides agree on: the ids, targets, units, the date range and its rules.
 *
 * Every figure is over a range of Shanghai calendar days, `from` and `to` both included, and
 * "as of" the range's end (or now, when the range ends today): a month's report does not change
 * when it is printed again next month.
 *
 *  - `draft_to_submit` (≥ 70 %): of the listings created in the range, the share submitted for
 *    review by the as-of instant.
 *  - `first_pass_approval` (≥ 60 %): of the listings whose first final review decision falls in
 *    the range, the share whose first decision was an approval.
 *  - `preparation_days` (≤ 3): for the listings first submitted in the range, the mean time from
 *    the listing's creation to that first submission, in days.
 *  - `rejection_response_hours` (≤ 48): for the rejections decided in the range, the mean time
 *    until the next revision of the same listing was submitted, in hours, over the answered
 *    ones; the unanswered ones (no resubmission by the as-of instant) are counted apart.
 */

export const KPI_IDS = [
  'draft_to_submit',
  'first_pass_approval',
  'preparation_days',
  'rejection_response_hours',
] as const;
export type KpiId = (typeof KPI_IDS)[number];

export interface KpiDefinition {
  readonly id: KpiId;
  readonly unit: 'ratio' | 'days' | 'hours';
  readonly target: number;
  /** Whether the figure should be at least or at most the target. */
  readonly goal: 'atLeast' | 'atMost';
}

export const KPI_DEFINITIONS: Readonly<Record<KpiId, KpiDefinition>> = {
  draft_to_submit: { id: 'draft_to_submit', unit: 'ratio', target: 0.7, goal: 'atLeast' },
  first_pass_approval: { id: 'first_pass_approval', unit: 'ratio', target: 0.6, goal: 'atLeast' },
  preparation_days: { id: 'preparation_days', unit: 'days', target: 3, goal: 'atMost' },
  rejection_response_hours: {
    id: 'rejection_response_hours',
    unit: 'hours',
    target: 48,
    goal: 'atMost',
  },
};

export interface KpiFigure {
  readonly id: KpiId;
  /** null when nothing in the range to measure (no listing created, no decision, …). */
  readonly value: number | null;
  readonly unit: KpiDefinition['unit'];
  readonly target: number;
  readonly goal: KpiDefinition['goal'];
  /** Whether the value meets the target; null without a value. */
  readonly met: boolean | null;
  /** How many listings / decisions the value is over (its denominator). */
  readonly sample: number;
  /** The same figure over the range of the same length just before, for the trend. */
  readonly previous: number | null;
  /** `rejection_response_hours` only: rejections without a resubmission by the as-of instant. */
  readonly unanswered?: number;
}

export interface KpiReport {
  readonly from: string;
  readonly to: string;
  /** ISO instant the figures are as of. */
  readonly asOf: string;
  readonly kpis: readonly KpiFigure[];
}

export function kpiMet(definition: KpiDefinition, value: number | null): boolean | null {
  if (value === null) {
    return null;
  }
  return definition.goal === 'atLeast' ? value >= definition.target : value <= definition.target;
}

export type ReportRangeProblem =
  | { readonly code: 'INVALID_DATE'; readonly field: 'from' | 'to'; readonly value: string }
  | { readonly code: 'RANGE_UPSIDE_DOWN'; readonly from: string; readonly to: string }
  | { readonly code: 'RANGE_IN_FUTURE'; readonly to: string; readonly today: string }
  | { readonly code: 'RANGE_TOO_LONG'; readonly days: number; readonly maxDays: number };

export class ReportRangeError extends Error {
  constructor(readonly problem: ReportRangeProblem) {
    super(describeRangeProblem(problem));
    this.name = 'ReportRangeError';
  }
}

function describeRangeProblem(problem: ReportRangeProblem): string {
  switch (problem.code) {
    case 'INVALID_DATE':
      return `--${problem.field} must be a calendar date as YYYY-MM-DD, got "${problem.value}"`;
    case 'RANGE_UPSIDE_DOWN':
      return `the range is upside down: from ${problem.from} is after to ${problem.to}`;
    case 'RANGE_IN_FUTURE':
      return `the range ends in the future: to ${problem.to} is after today (${problem.today}, Shanghai)`;
    case 'RANGE_TOO_LONG':
      return `the range is ${problem.days} days long; at most ${problem.maxDays}`;
  }
}

/** Ten years: beyond that a typo (`2062` for `2026`) is likelier than a wish. */
export const MAX_REPORT_DAYS = 3660;

/** A checked report range: instants of its start and end (exclusive) and its length. */
export interface ReportRange {
  readonly from: string;
  readonly to: string;
  readonly startMs: number;
  /** The midnight that ends `to` (exclusive). */
  readonly endMs: number;
  /** min(end, now): what the figures are as of. */
  readonly asOfMs: number;
  readonly days: number;
}

/** Checks `from`/`to` (Shanghai days, both included) against `nowMs`; throws ReportRangeError. */
export function reportRange(from: string, to: string, nowMs: number): ReportRange {
  for (const [field, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    try {
      parseCalendarDate(value);
    } catch {
      throw new ReportRangeError({ code: 'INVALID_DATE', field, value });
    }
  }
  if (from > to) {
    throw new ReportRangeError({ code: 'RANGE_UPSIDE_DOWN', from, to });
  }
  const today = shanghaiDate(nowMs);
  if (to > today) {
    throw new ReportRangeError({ code: 'RANGE_IN_FUTURE', to, today });
  }
  const startMs = fromShanghai(from);
  const endMs = fromShanghai(addCalendarDays(to, 1));
  const days = Math.round((endMs - startMs) / 86_400_000);
  if (days > MAX_REPORT_DAYS) {
    throw new ReportRangeError({ code: 'RANGE_TOO_LONG', days, maxDays: MAX_REPORT_DAYS });
  }
  return { from, to, startMs, endMs, asOfMs: Math.min(endMs, nowMs), days };
}

/** The range of the same length that ends the day before `range` starts (for trends). */
export function previousRange(range: ReportRange): ReportRange {
  const to = addCalendarDays(range.from, -1);
  const from = addCalendarDays(to, -(range.days - 1));
  const startMs = fromShanghai(from);
  return { from, to, startMs, endMs: range.startMs, asOfMs: range.startMs, days: range.days };
}
