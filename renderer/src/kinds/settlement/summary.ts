import Decimal from 'decimal.js';
import type { CommissionLevel } from '#shared/domain/commission';
import type { MonthSettlement } from '#shared/ops/settlement';

/**
 * The run as ops read it: one row per member and level (how many orders, their summed base, the
 * rate, the commission), members in the run's order (largest total first). Sums are exact
 * decimals over the server's strings, never floats.
 */

export interface MemberLevelRow {
  readonly memberId: string;
  readonly level: CommissionLevel;
  readonly orders: number;
  readonly base: string;
  readonly rate: string;
  readonly commission: string;
  /** The member's total over every level (the same on each of their rows). */
  readonly memberTotal: string;
}

// Private constructor: the global Decimal configuration belongs to nobody in particular.
const Cny = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export function memberLevelRows(settlement: MonthSettlement): MemberLevelRow[] {
  const groups = new Map<
    string,
    {
      memberId: string;
      level: CommissionLevel;
      rate: string;
      orders: Set<string>;
      base: Decimal;
      amount: Decimal;
    }
  >();
  for (const line of settlement.lines) {
    const key = `${line.memberId}\u0000${String(line.level)}`;
    const group = groups.get(key) ?? {
      memberId: line.memberId,
      level: line.level,
      rate: line.rate,
      orders: new Set<string>(),
      base: new Cny(0),
      amount: new Cny(0),
    };
    group.orders.add(line.orderId);
    group.base = group.base.plus(line.base);
    group.amount = group.amount.plus(line.amount);
    groups.set(key, group);
  }
  const totals = new Map(settlement.members.map((member) => [member.memberId, member.amount]));
  const rank = new Map(settlement.members.map((member, index) => [member.memberId, index]));
  return [...groups.values()]
    .sort(
      (a, b) =>
        (rank.get(a.memberId) ?? Infinity) - (rank.get(b.memberId) ?? Infinity) ||
        a.memberId.localeCompare(b.memberId) ||
        a.level - b.level,
    )
    .map((group) => ({
      memberId: group.memberId,
      level: group.level,
      orders: group.orders.size,
      base: group.base.toFixed(2),
      rate: group.rate,
      commission: group.amount.toFixed(2),
      memberTotal: totals.get(group.memberId) ?? group.amount.toFixed(2),
    }));
}

/** A rate as people read it: "0.20" → "20 %" (exact: the rates have at most two decimals). */
export function ratePercent(rate: string): string {
  return `${new Cny(rate).times(100).toString()} %`;
}
