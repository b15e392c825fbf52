import Decimal from 'decimal.js';
import type { LocalizedText } from '../i18n/localized';
import { assertNever } from '../util/assertNever';
import { assertEpochMs, formatCalendarDate, toShanghai } from './time';

/**
 * Affiliate commissions (运营 SOP 第 8 节「分销体系」): only paying members may promote; three levels
 * earn 20 %, 15 % and 10 % of the order; commissions are settled on the 15th for the previous month.
 */

/** A commission level: 1 = direct referrer, 2 = their referrer, 3 = the one above. */
export type CommissionLevel = 1 | 2 | 3;

/** Rate per level, as exact decimal strings. */
export const COMMISSION_RATES: Readonly<Record<CommissionLevel, string>> = {
  1: '0.20',
  2: '0.15',
  3: '0.10',
};

const LEVELS: readonly CommissionLevel[] = [1, 2, 3];

/** A CNY order amount: non-negative, at most two decimals (fen), no sign or exponent. */
export const ORDER_AMOUNT_PATTERN = /^(?:0|[1-9]\d{0,14})(?:\.\d{1,2})?$/;

// Private constructor: never touch the global Decimal configuration other modules rely on.
const Cny = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

/** One member of the referral chain above the buyer. */
export interface Upline {
  readonly memberId: string;
  /** Whether the member is a paying member, the only kind allowed to promote. */
  readonly paying: boolean;
}

/** Input of {@link splitCommission}. */
export interface CommissionInput {
  /** The order amount in CNY, a decimal string such as `"1999.00"`. */
  readonly orderAmount: string;
  readonly buyerId: string;
  /** The referral chain, nearest first: [direct referrer, their referrer, …]. */
  readonly uplines: readonly Upline[];
}

/** One commission payment. */
export interface CommissionLine {
  readonly level: CommissionLevel;
  readonly memberId: string;
  /** The level's rate, e.g. `"0.20"`. */
  readonly rate: string;
  /** `orderAmount × rate` rounded half-up to 0.01 CNY, with two decimals. */
  readonly amount: string;
}

/** Why a member within the first three levels earns nothing. */
export type CommissionSkipReason = 'not_paying' | 'buyer' | 'repeated';

/** Display names of the skip reasons, so reviewers can see why a level paid nothing. */
export const COMMISSION_SKIP_REASON_LABELS: Readonly<Record<CommissionSkipReason, LocalizedText>> =
  {
    not_paying: { 'zh-CN': '非付费会员，无推广资格', en: 'Not a paying member' },
    buyer: { 'zh-CN': '购买者本人不计佣金', en: 'The buyer themself' },
    repeated: { 'zh-CN': '已在更近的层级计佣', en: 'Already earns at a nearer level' },
  };

/** A level that pays nothing, and why. */
export interface SkippedUpline {
  readonly level: CommissionLevel;
  readonly memberId: string;
  readonly reason: CommissionSkipReason;
}

/** Result of {@link splitCommission}. */
export interface CommissionSplit {
  /** Payments, nearest level first. */
  readonly lines: readonly CommissionLine[];
  /** Sum of the line amounts, two decimals. */
  readonly total: string;
  /** Levels 1–3 that pay nothing. Members beyond level 3 are never listed. */
  readonly skipped: readonly SkippedUpline[];
}

function skipReason(
  upline: Upline,
  buyerId: string,
  seen: ReadonlySet<string>,
): CommissionSkipReason | null {
  if (upline.memberId === buyerId) {
    return 'buyer';
  }
  if (seen.has(upline.memberId)) {
    return 'repeated';
  }
  return upline.paying ? null : 'not_paying';
}

/**
 * Splits the commissions of one order over the referral chain.
 *
 * - Level = position in the chain: `uplines[0]` is level 1, and only the first three positions
 *   count. A level that pays nothing is NOT passed up: the SOP ties each rate to a relationship
 *   (直接 / 间接 / 再间接销售), and moving a share to someone further away would pay a fourth-level
 *   member at a second-level rate. The platform simply keeps it.
 * - Non-paying members earn nothing (推广资格: 仅限付费会员).
 * - The buyer never earns on their own order, even if the chain loops back to them.
 * - A member appearing more than once (a cycle in the relationship data) earns once, at the
 *   nearest level; the repeated level pays nothing.
 * - Each line is rounded half-up to 0.01 CNY on its own, so that every line can be re-checked from
 *   its rate alone. Consequence: the total can exceed exactly 45 % of the order by rounding, at
 *   most 0.005 CNY per line (e.g. 999.05 → 199.81 + 149.86 + 99.91 = 449.58 against 449.5725).
 *
 * Throws a `RangeError` for an order amount outside {@link ORDER_AMOUNT_PATTERN}.
 */
export function splitCommission(input: CommissionInput): CommissionSplit {
  if (!ORDER_AMOUNT_PATTERN.test(input.orderAmount)) {
    throw new RangeError(
      `orderAmount must be a non-negative CNY amount with at most 2 decimals, got "${input.orderAmount}"`,
    );
  }
  const order = new Cny(input.orderAmount);
  const lines: CommissionLine[] = [];
  const skipped: SkippedUpline[] = [];
  const seen = new Set<string>();
  let total = new Cny(0);

  for (const level of LEVELS) {
    const upline = input.uplines[level - 1];
    if (upline === undefined) {
      break;
    }
    const reason = skipReason(upline, input.buyerId, seen);
    seen.add(upline.memberId);
    if (reason !== null) {
      skipped.push({ level, memberId: upline.memberId, reason });
      continue;
    }
    const rate = COMMISSION_RATES[level];
    const amount = order.times(rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    total = total.plus(amount);
    lines.push({ level, memberId: upline.memberId, rate, amount: amount.toFixed(2) });
  }
  return { lines, total: total.toFixed(2), skipped };
}

/** Display name of a level, e.g. for the settlement statement. */
export function commissionLevelLabel(level: CommissionLevel): LocalizedText {
  switch (level) {
    case 1:
      return { 'zh-CN': '一级推广人（直接销售）', en: 'Level 1 (direct sale)' };
    case 2:
      return { 'zh-CN': '二级推广人（间接销售）', en: 'Level 2 (indirect sale)' };
    case 3:
      return { 'zh-CN': '三级推广人（再间接销售）', en: 'Level 3 (second-degree indirect sale)' };
    default:
      return assertNever(level, 'commission level');
  }
}

/**
 * The day the commission of an order paid at `paidAt` is settled: the 15th of the month after the
 * payment month (「每月15日结算上月佣金」), as `YYYY-MM-15`. The payment month is the Shanghai one:
 * 00:30 on 1 February in Shanghai is still 31 January in UTC, but it is February's business.
 */
export function commissionSettlementDate(paidAt: number): string {
  assertEpochMs(paidAt, 'paidAt');
  const paid = toShanghai(paidAt);
  const next =
    paid.month === 12
      ? { year: paid.year + 1, month: 1, day: 15 }
      : { year: paid.year, month: paid.month + 1, day: 15 };
  return formatCalendarDate(next);
}
