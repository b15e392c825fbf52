import { addCalendarDays, weekdayOfDate } from '../domain/time';

/**
 * The ops console's charts (issue 12): what the server computes (server/src/ops/health.ts) over
 * a checked report range (`reportRange` in ./kpis.ts) and what the console draws. Every figure
 * is "as of" the range's as-of instant, like the KPIs: printing a past month again gives the
 * same figures.
 *
 *  - Queue health, per review kind: the items open at the as-of instant (entered the queue before
 *    it and neither decided nor withdrawn by then), split into waiting (nobody held a claim on it
 *    then) and in review (somebody did); overdue counts the open ones whose SLA due time had
 *    passed by then (`review_items.due_at`, set by the kind when the item is created).
 *  - Rejection reasons over time: the reason codes of the final rejections decided in the range,
 *    per Shanghai day (ranges up to `DAILY_MAX_DAYS` days) or per week starting on Monday.
 *    A rejection names several reasons or none (homework returned with feedback only); those
 *    without a code are counted apart.
 *  - Throughput per member: items each member decided finally in the range against the hours the
 *    workstation recorded while that member had an item open (`time_entries` started in range).
 *  - Time per item: the recorded minutes of each item with time in the range (everyone's time on
 *    it together), bucketed by `TIME_BUCKET_EDGES_MINUTES`, per kind.
 */

/** Up to this many days a rejection chart has one point per day; beyond, one per week. */
export const DAILY_MAX_DAYS = 31;

export type PeriodGranularity = 'day' | 'week';

export function periodGranularity(days: number): PeriodGranularity {
  return days <= DAILY_MAX_DAYS ? 'day' : 'week';
}

/** The Monday that starts the week of `date` (YYYY-MM-DD). */
export function weekStart(date: string): string {
  return addCalendarDays(date, 1 - weekdayOfDate(date));
}

/**
 * The periods a chart of `from`…`to` has, oldest first, each named by its first day (a week by
 * its Monday, which may be before `from`): the axis has no gaps where nothing happened.
 */
export function periodsOf(from: string, to: string, granularity: PeriodGranularity): string[] {
  const periods: string[] = [];
  const step = granularity === 'day' ? 1 : 7;
  for (
    let period = granularity === 'day' ? from : weekStart(from);
    period <= to;
    period = addCalendarDays(period, step)
  ) {
    periods.push(period);
  }
  return periods;
}

/**
 * Upper edges of the time-per-item buckets, in minutes: [0, 5), [5, 10), [10, 20), [20, 30),
 * [30, 60), and 60 or more. Short looks and long reads of a listing differ by an order of
 * magnitude; finer buckets at the short end keep the usual case visible.
 */
export const TIME_BUCKET_EDGES_MINUTES = [5, 10, 20, 30, 60] as const;

/** The bucket of an item's recorded time: its index into the edges, or edges.length for more. */
export function timeBucketIndex(seconds: number): number {
  const minutes = seconds / 60;
  const index = TIME_BUCKET_EDGES_MINUTES.findIndex((edge) => minutes < edge);
  return index === -1 ? TIME_BUCKET_EDGES_MINUTES.length : index;
}

/** A bucket's bounds in minutes; `upper` null for the last, open-ended one. */
export function timeBucketBounds(index: number): {
  readonly lower: number;
  readonly upper: number | null;
} {
  return {
    lower: index === 0 ? 0 : (TIME_BUCKET_EDGES_MINUTES[index - 1] ?? 0),
    upper: TIME_BUCKET_EDGES_MINUTES[index] ?? null,
  };
}

export const TIME_BUCKET_COUNT = TIME_BUCKET_EDGES_MINUTES.length + 1;

export interface QueueHealthRow {
  readonly kind: string;
  readonly waiting: number;
  readonly inReview: number;
  /** Of waiting + in review, those past their SLA due time. */
  readonly overdue: number;
}

export interface RejectionReasonCount {
  /** First day of the period (YYYY-MM-DD; a week's Monday). */
  readonly period: string;
  readonly reason: string;
  /** Rejections in the period that named this reason. */
  readonly count: number;
}

export interface RejectionReasons {
  readonly granularity: PeriodGranularity;
  /** Only the periods and reasons with at least one rejection (see `rejectionSeries`). */
  readonly counts: readonly RejectionReasonCount[];
  /** Final rejections in the range. */
  readonly rejections: number;
  /** Of those, the ones that named no reason code. */
  readonly withoutReason: number;
}

export interface MemberThroughput {
  readonly userId: string;
  readonly displayName: string;
  readonly role: string;
  /** Items this member decided finally in the range. */
  readonly decided: number;
  /** Hours recorded on items while this member had them open, in the range. */
  readonly hours: number;
  /** decided / hours; null without recorded time. */
  readonly itemsPerHour: number | null;
}

export interface TimeBucketCount {
  /** Index into the buckets (`timeBucketBounds`). */
  readonly bucket: number;
  readonly kind: string;
  readonly items: number;
}

export interface OpsHealthReport {
  readonly from: string;
  readonly to: string;
  readonly asOf: string;
  readonly queue: readonly QueueHealthRow[];
  readonly rejectionReasons: RejectionReasons;
  readonly throughput: readonly MemberThroughput[];
  readonly timePerItem: readonly TimeBucketCount[];
}

/**
 * A chart row: the category (`period`, `bucket`, …) and one number per series, as the chart
 * library takes its data.
 */
export type ChartRow = Readonly<Record<string, string | number>>;

/**
 * The rejection counts as chart rows, one per period of `from`…`to`, and the reasons that occur
 * (most frequent first, then by code), the series of the chart.
 */
export function rejectionSeries(
  from: string,
  to: string,
  reasons: RejectionReasons,
): { readonly rows: ChartRow[]; readonly reasons: string[] } {
  const totals = new Map<string, number>();
  for (const count of reasons.counts) {
    totals.set(count.reason, (totals.get(count.reason) ?? 0) + count.count);
  }
  const names = [...totals.entries()]
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([name]) => name);
  const rows = periodsOf(from, to, reasons.granularity).map((period) => {
    const row: Record<string, number | string> = { period };
    for (const name of names) {
      row[name] = 0;
    }
    for (const count of reasons.counts) {
      if (count.period === period) {
        row[count.reason] = count.count;
      }
    }
    return row;
  });
  return { rows, reasons: names };
}

/** One chart row per bucket: `{ bucket, [kind]: items }`, and the kinds that occur (sorted). */
export function timeBucketSeries(counts: readonly TimeBucketCount[]): {
  readonly rows: ChartRow[];
  readonly kinds: string[];
} {
  const kinds = [...new Set(counts.map((count) => count.kind))].sort();
  const rows = Array.from({ length: TIME_BUCKET_COUNT }, (_, bucket) => {
    const row: Record<string, number> = { bucket };
    for (const kind of kinds) {
      row[kind] = 0;
    }
    for (const count of counts) {
      if (count.bucket === bucket) {
        row[count.kind] = count.items;
      }
    }
    return row;
  });
  return { rows, kinds };
}
