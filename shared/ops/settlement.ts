import Decimal from 'decimal.js';
import {
  ORDER_AMOUNT_PATTERN,
  splitCommission,
  type CommissionLevel,
  type Upline,
} from '../domain/commission';
import { fromShanghai, shanghaiDate } from '../domain/time';

/**
 * A month's commission settlement (course-operations-sop.zh.md §8: three levels at 20/15/10 %,
 * settled on the 15th for the previous month), net of refunds, as the ops console proposes it
 * for approval. Pure: the server reads the orders, members and referral links and stores the run.
 *
 * Decided where the SOP is silent:
 *  - An order belongs to the Shanghai month it was paid in; its commission base is the amount
 *    paid minus what was refunded by the time of the run (a full refund pays nothing).
 *  - The referral chain is followed from the buyer's referrer upwards. A chain that loops (A
 *    refers B refers A) is bad data, not a rule case: the order is HELD BACK with the cycle named,
 *    so nobody is paid on a guess and nothing is lost: the next month's run takes it again
 *    (`carried`) and settles it once the links are fixed. An order whose buyer is unknown is
 *    held back the same way.
 *  - A month can be settled from the 15th of the month after it (Shanghai), never before.
 */

const Cny = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export interface SettlementMember {
  readonly id: string;
  readonly paying: boolean;
  readonly referrerId: string | null;
}

export interface SettlementOrder {
  readonly orderId: string;
  readonly buyerId: string;
  /** Amount paid, CNY, two decimals at most. */
  readonly amount: string;
  /** Refunded so far, CNY. */
  readonly refunded: string;
  readonly paidAt: number;
}

export interface SettlementLine {
  readonly orderId: string;
  readonly memberId: string;
  readonly level: CommissionLevel;
  readonly rate: string;
  /** The order's commission base: paid minus refunded. */
  readonly base: string;
  readonly amount: string;
}

export type HeldBackOrder =
  | { readonly orderId: string; readonly code: 'REFERRAL_CYCLE'; readonly chain: readonly string[] }
  | { readonly orderId: string; readonly code: 'UNKNOWN_BUYER'; readonly buyerId: string }
  | { readonly orderId: string; readonly code: 'INVALID_AMOUNT'; readonly amount: string };

export interface MonthSettlement {
  /** `YYYY-MM`. */
  readonly month: string;
  /** `YYYY-MM-15` of the month after. */
  readonly settleOn: string;
  readonly lines: readonly SettlementLine[];
  /** Per member, the sum of their lines, largest first. */
  readonly members: readonly { readonly memberId: string; readonly amount: string }[];
  readonly total: string;
  readonly orders: number;
  readonly heldBack: readonly HeldBackOrder[];
  /** Orders of earlier months held back then and taken again in this run. */
  readonly carriedOver: readonly string[];
}

export type SettlementMonthProblem =
  | { readonly code: 'INVALID_MONTH'; readonly month: string }
  | { readonly code: 'MONTH_NOT_DUE'; readonly month: string; readonly settleOn: string };

export class SettlementMonthError extends Error {
  constructor(readonly problem: SettlementMonthProblem) {
    super(
      problem.code === 'INVALID_MONTH'
        ? `the month must be YYYY-MM, got "${problem.month}"`
        : `${problem.month} can be settled from ${problem.settleOn} (Shanghai), not before`,
    );
    this.name = 'SettlementMonthError';
  }
}

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month's bounds (Shanghai) and its settlement day; throws SettlementMonthError. */
export function settlementMonth(
  month: string,
  nowMs: number,
): { readonly startMs: number; readonly endMs: number; readonly settleOn: string } {
  const match = MONTH_PATTERN.exec(month);
  if (match === null) {
    throw new SettlementMonthError({ code: 'INVALID_MONTH', month });
  }
  const year = Number(match[1]);
  const monthNumber = Number(match[2]);
  const next =
    monthNumber === 12
      ? `${String(year + 1)}-01`
      : `${String(year)}-${String(monthNumber + 1).padStart(2, '0')}`;
  const settleOn = `${next}-15`;
  if (shanghaiDate(nowMs) < settleOn) {
    throw new SettlementMonthError({ code: 'MONTH_NOT_DUE', month, settleOn });
  }
  return { startMs: fromShanghai(`${month}-01`), endMs: fromShanghai(`${next}-01`), settleOn };
}

/** The buyer's referrers, nearest first, up to three; or the cycle when the links loop. */
function uplinesOf(
  buyerId: string,
  members: ReadonlyMap<string, SettlementMember>,
): { readonly uplines: Upline[] } | { readonly cycle: string[] } {
  const uplines: Upline[] = [];
  const path = [buyerId];
  let current = members.get(buyerId)?.referrerId ?? null;
  while (current !== null && uplines.length < 3) {
    if (path.includes(current)) {
      return { cycle: [...path.slice(path.indexOf(current)), current] };
    }
    path.push(current);
    const member = members.get(current);
    uplines.push({ memberId: current, paying: member?.paying ?? false });
    current = member?.referrerId ?? null;
  }
  return { uplines };
}

export function settleMonth(
  month: string,
  nowMs: number,
  orders: readonly SettlementOrder[],
  memberList: readonly SettlementMember[],
  /** Orders of earlier months that their runs held back and no run has settled since. */
  carried: ReadonlySet<string> = new Set(),
): MonthSettlement {
  const { startMs, endMs, settleOn } = settlementMonth(month, nowMs);
  const members = new Map(memberList.map((member) => [member.id, member]));
  const lines: SettlementLine[] = [];
  const heldBack: HeldBackOrder[] = [];
  let counted = 0;
  const inMonth = orders
    .filter(
      (order) =>
        (order.paidAt >= startMs && order.paidAt < endMs) ||
        (order.paidAt < startMs && carried.has(order.orderId)),
    )
    .sort((a, b) => a.paidAt - b.paidAt || a.orderId.localeCompare(b.orderId));
  for (const order of inMonth) {
    if (!members.has(order.buyerId)) {
      heldBack.push({ orderId: order.orderId, code: 'UNKNOWN_BUYER', buyerId: order.buyerId });
      continue;
    }
    if (!ORDER_AMOUNT_PATTERN.test(order.amount) || !ORDER_AMOUNT_PATTERN.test(order.refunded)) {
      heldBack.push({ orderId: order.orderId, code: 'INVALID_AMOUNT', amount: order.amount });
      continue;
    }
    const chain = uplinesOf(order.buyerId, members);
    if ('cycle' in chain) {
      heldBack.push({ orderId: order.orderId, code: 'REFERRAL_CYCLE', chain: chain.cycle });
      continue;
    }
    const net = Cny.max(new Cny(order.amount).minus(order.refunded), 0);
    counted += 1;
    if (net.isZero()) {
      continue;
    }
    const base = net.toFixed(2);
    const split = splitCommission({
      orderAmount: base,
      buyerId: order.buyerId,
      uplines: chain.uplines,
    });
    for (const line of split.lines) {
      lines.push({ orderId: order.orderId, base, ...line });
    }
  }
  const perMember = new Map<string, Decimal>();
  for (const line of lines) {
    perMember.set(line.memberId, (perMember.get(line.memberId) ?? new Cny(0)).plus(line.amount));
  }
  const total = lines.reduce((sum, line) => sum.plus(line.amount), new Cny(0));
  return {
    month,
    settleOn,
    lines,
    members: [...perMember]
      .sort((a, b) => b[1].comparedTo(a[1]) || a[0].localeCompare(b[0]))
      .map(([memberId, amount]) => ({ memberId, amount: amount.toFixed(2) })),
    total: total.toFixed(2),
    orders: counted,
    heldBack,
    carriedOver: inMonth.filter((order) => order.paidAt < startMs).map((order) => order.orderId),
  };
}

/** A month's settlement run as the server stores it and the console shows it. */
export interface CommissionRun {
  readonly month: string;
  readonly state: 'proposed' | 'approved';
  readonly settlement: MonthSettlement;
  readonly computedAt: string;
  readonly computedBy: string;
  readonly approvedAt: string | null;
  readonly approvedBy: string | null;
  /**
   * Names of the members the run pays, by member id, as the roster says when the run is read
   * (display only: the run itself pays ids). A member missing from the roster has no entry.
   */
  readonly memberNames: Readonly<Record<string, string>>;
}
