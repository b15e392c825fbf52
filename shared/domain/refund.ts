import type { LocalizedText } from '../i18n/localized';
import { parseProgressPercent } from './followUp';
import {
  addCalendarDays,
  assertEpochMs,
  DAY_MS,
  formatShanghaiDateTime,
  fromShanghai,
  shanghaiDate,
} from './time';
import { calendarCovers, CN_WORK_CALENDAR, isWorkingDay, type WorkCalendar } from './workCalendar';

/**
 * 7-day no-questions refund (运营 SOP 9.1): eligible within 7 days of purchase and with progress of
 * at most 10 %. The system checks; a person approves; the money goes back within 3 working days.
 */

/** Length of the refund window after the purchase. */
export const REFUND_WINDOW_MS = 7 * DAY_MS;
/** Highest progress that still allows a refund (inclusive: 「不超过 10%」). */
export const REFUND_MAX_PROGRESS_PERCENT = '10';
/** Working days the money has to be back within after approval. */
export const REFUND_WORKING_DAYS = 3;

/** Why a refund request is not eligible. */
export type RefundIneligibilityReason = 'window_closed' | 'progress_too_high';

/** Display names of the reasons, for lists and filters. */
export const REFUND_REASON_LABELS: Readonly<Record<RefundIneligibilityReason, LocalizedText>> = {
  window_closed: { 'zh-CN': '已超过7天退款期限', en: 'Refund window closed' },
  progress_too_high: { 'zh-CN': '学习进度超过10%', en: 'Progress above 10 %' },
};

/** Input of {@link refundEligibility}. */
export interface RefundEligibilityInput {
  /** When the course was bought (epoch ms). */
  readonly purchasedAt: number;
  /** When the refund was requested (epoch ms). */
  readonly requestedAt: number;
  /** Learning progress when requested, a decimal string 0–100. */
  readonly progressPercent: string;
}

/** The system's check of a refund request; a person still approves the eligible ones. */
export interface RefundEligibility {
  readonly eligible: boolean;
  /** Every rule that failed, in a fixed order (window first); empty when eligible. */
  readonly reasons: readonly RefundIneligibilityReason[];
  /** Last instant at which a request is still inside the window (inclusive). */
  readonly windowClosesAt: number;
  readonly message: LocalizedText;
}

/**
 * Checks a refund request. "Within 7 days" is measured in elapsed time: `requestedAt − purchasedAt
 * ≤ 7 × 24 h`, so a request at exactly 7 days is eligible and one a millisecond later is not; a
 * request time before the purchase (clock skew between devices) counts as inside the window.
 * Progress is compared exactly: 10 % is eligible, 10.01 % is not. Throws a `RangeError` for a
 * non-finite time or a malformed percentage.
 */
export function refundEligibility(input: RefundEligibilityInput): RefundEligibility {
  assertEpochMs(input.purchasedAt, 'purchasedAt');
  assertEpochMs(input.requestedAt, 'requestedAt');
  const progress = parseProgressPercent(input.progressPercent);
  const windowClosesAt = input.purchasedAt + REFUND_WINDOW_MS;

  const reasons: RefundIneligibilityReason[] = [];
  if (input.requestedAt > windowClosesAt) {
    reasons.push('window_closed');
  }
  if (progress.greaterThan(REFUND_MAX_PROGRESS_PERCENT)) {
    reasons.push('progress_too_high');
  }

  const closes = formatShanghaiDateTime(windowClosesAt);
  if (reasons.length === 0) {
    return {
      eligible: true,
      reasons,
      windowClosesAt,
      message: {
        'zh-CN': `符合7天无理由退款条件（学习进度 ${input.progressPercent}%，退款期限至 ${closes}），待人工审核。`,
        en: `Eligible for the 7-day refund (progress ${input.progressPercent} %, window open until ${closes} Beijing time); awaiting approval.`,
      },
    };
  }
  const zh: string[] = [];
  const en: string[] = [];
  for (const reason of reasons) {
    if (reason === 'window_closed') {
      zh.push(`已超过购买后7天的退款期限（截至 ${closes}）`);
      en.push(`the 7-day window closed at ${closes} Beijing time`);
    } else {
      zh.push(`学习进度 ${input.progressPercent}% 超过 ${REFUND_MAX_PROGRESS_PERCENT}%`);
      en.push(`progress ${input.progressPercent} % is above ${REFUND_MAX_PROGRESS_PERCENT} %`);
    }
  }
  return {
    eligible: false,
    reasons,
    windowClosesAt,
    message: {
      'zh-CN': `不符合7天无理由退款条件：${zh.join('；')}。`,
      en: `Not eligible for the 7-day refund: ${en.join('; ')}.`,
    },
  };
}

/** When an approved refund has to be paid back. */
export interface RefundDue {
  /** The last working day (Shanghai, `YYYY-MM-DD`) on which the money may go back. */
  readonly lastDay: string;
  /** The first instant at which the refund is late: midnight (Shanghai) after `lastDay`. */
  readonly overdueFrom: number;
  /**
   * Whether the holidays of every day counted are known (`workCalendar.ts`); when not, those
   * days counted Monday to Friday and the real deadline may be later.
   */
  readonly holidaysKnown: boolean;
}

/**
 * Deadline of an approved refund: 「3个工作日内」 counted as T+3, the approval day itself not
 * counting (it may be approved at 23:59). Working days are those of the work calendar: Monday to
 * Friday in Shanghai minus public holidays, plus the swapped weekend working days (调休), for the
 * years the State Council has published; other years count Monday to Friday (`holidaysKnown`).
 */
export function refundDueBy(
  approvedAt: number,
  calendar: WorkCalendar = CN_WORK_CALENDAR,
): RefundDue {
  assertEpochMs(approvedAt, 'approvedAt');
  let day = shanghaiDate(approvedAt);
  let counted = 0;
  let holidaysKnown = true;
  while (counted < REFUND_WORKING_DAYS) {
    day = addCalendarDays(day, 1);
    holidaysKnown &&= calendarCovers(day, calendar);
    if (isWorkingDay(day, calendar)) {
      counted += 1;
    }
  }
  return { lastDay: day, overdueFrom: fromShanghai(addCalendarDays(day, 1)), holidaysKnown };
}
