import Decimal from 'decimal.js';
import type { LocalizedText } from '../i18n/localized';
import { assertEpochMs, DAY_MS } from './time';

/**
 * Learner follow-up (运营 SOP 第 4 节「进度督导机制」) and the lifecycle stages of the outreach rules.
 *
 * "Days" are elapsed 24-hour periods measured from the join instant, not calendar days: someone who
 * joined at 23:00 is not "one day in" an hour later. Shanghai has no DST, so the two only differ by
 * where the day starts.
 */

/**
 * A progress percentage as a decimal string from 0 to 100 (`"9.99"`, `"10"`, `"100.0"`). No sign,
 * no exponent, no spaces: progress comes from our own records and anything else is a bug upstream.
 */
export const PROGRESS_PERCENT_PATTERN = /^(?:100(?:\.0+)?|\d{1,2}(?:\.\d+)?)$/;

// A private Decimal constructor: the global one is shared with every other module and must never
// be reconfigured. Percentages are compared, never rounded, so only the precision matters.
const Percent = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/**
 * Parses a progress percentage exactly (no binary floats: 10.01 must not compare as 10). Throws a
 * `RangeError` for anything outside {@link PROGRESS_PERCENT_PATTERN}.
 */
export function parseProgressPercent(value: string): Decimal {
  if (!PROGRESS_PERCENT_PATTERN.test(value)) {
    throw new RangeError(`Progress must be a decimal percentage from 0 to 100, got "${value}"`);
  }
  return new Percent(value);
}

/** Follow-up starts after this much time in the group (SOP: 入群 > 7天). */
export const FOLLOW_UP_AFTER_MS = 7 * DAY_MS;
/** …for learners whose progress is strictly below this percentage (SOP: 学习进度 < 10%). */
export const FOLLOW_UP_PROGRESS_BELOW_PERCENT = '10';

/** Input of {@link needsFollowUp}. */
export interface FollowUpInput {
  /** When the learner joined the group (epoch ms). */
  readonly joinedAt: number;
  /** The moment of the check (epoch ms). */
  readonly now: number;
  /** Learning progress, a decimal string 0–100. */
  readonly progressPercent: string;
}

/**
 * Whether the learner belongs on the follow-up list: in the group for MORE than 7 days and progress
 * BELOW 10 %, both strict as in the SOP. Exactly 7 days → not yet; exactly 10 % → no.
 * A join time after `now` (clocks of offline devices disagree) counts as just joined.
 */
export function needsFollowUp(input: FollowUpInput): boolean {
  assertEpochMs(input.joinedAt, 'joinedAt');
  assertEpochMs(input.now, 'now');
  const progress = parseProgressPercent(input.progressPercent);
  return (
    input.now - input.joinedAt > FOLLOW_UP_AFTER_MS &&
    progress.lessThan(FOLLOW_UP_PROGRESS_BELOW_PERCENT)
  );
}

/** Lifecycle stages of the outreach rules, youngest first. */
export const LIFECYCLE_STAGES = ['new', 'growing', 'mature', 'dormant'] as const;
/** A lifecycle stage. */
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Display names of the stages. */
export const LIFECYCLE_STAGE_LABELS: Readonly<Record<LifecycleStage, LocalizedText>> = {
  new: { 'zh-CN': '新用户', en: 'New' },
  growing: { 'zh-CN': '成长期', en: 'Growing' },
  mature: { 'zh-CN': '成熟期', en: 'Mature' },
  dormant: { 'zh-CN': '沉睡期', en: 'Dormant' },
};

/**
 * Upper bound (inclusive) of each stage's age, in days; `dormant` has none. The documents give
 * overlapping ranges (0–7, 7–30, 30–90, 90+); we put each boundary day in the YOUNGER stage, so
 * "exactly 7 days" is still `new`. That matches the follow-up rule, where exactly 7 days is not yet
 * "> 7 天": a learner is never "growing" while still too new to be followed up.
 */
export const LIFECYCLE_STAGE_MAX_DAYS = { new: 7, growing: 30, mature: 90 } as const;

/**
 * The outreach lifecycle stage of someone who joined at `joinedAt`, seen at `now`:
 * new ≤ 7 days < growing ≤ 30 days < mature ≤ 90 days < dormant. A join time in the future (clock
 * skew) counts as `new`.
 */
export function lifecycleStage(joinedAt: number, now: number): LifecycleStage {
  assertEpochMs(joinedAt, 'joinedAt');
  assertEpochMs(now, 'now');
  const age = now - joinedAt;
  if (age <= LIFECYCLE_STAGE_MAX_DAYS.new * DAY_MS) {
    return 'new';
  }
  if (age <= LIFECYCLE_STAGE_MAX_DAYS.growing * DAY_MS) {
    return 'growing';
  }
  if (age <= LIFECYCLE_STAGE_MAX_DAYS.mature * DAY_MS) {
    return 'mature';
  }
  return 'dormant';
}
