import { describe, expect, it } from 'vitest';
import { fromShanghai } from '../../../shared/domain/time';
import {
  settleMonth,
  SettlementMonthError,
  type SettlementMember,
  type SettlementOrder,
} from '../../../shared/ops/settlement';

const NOW = fromShanghai('2026-11-15', 10);

const MEMBERS: SettlementMember[] = [
  { id: 'A', paying: true, referrerId: null },
  { id: 'B', paying: true, referrerId: 'A' },
  { id: 'C', paying: false, referrerId: 'B' },
  { id: 'D', paying: true, referrerId: 'C' },
  { id: 'E', paying: true, referrerId: 'D' },
  // X and Y refer each other: bad data.
  { id: 'X', paying: true, referrerId: 'Y' },
  { id: 'Y', paying: true, referrerId: 'X' },
  { id: 'Z', paying: true, referrerId: 'X' },
];

const order = (
  orderId: string,
  buyerId: string,
  amount: string,
  paidAt: number,
  refunded = '0',
): SettlementOrder => ({ orderId, buyerId, amount, refunded, paidAt });

const ORDERS: SettlementOrder[] = [
  order('o1', 'E', '1000.00', fromShanghai('2026-10-05', 12)),
  // 23:30 on 31 October in Shanghai: October's, with 100 refunded.
  order('o2', 'D', '500.00', fromShanghai('2026-10-31', 23, 30), '100.00'),
  // 00:10 on 1 November in Shanghai (still 31 October in UTC): November's.
  order('o3', 'E', '800.00', fromShanghai('2026-11-01', 0, 10)),
  order('o4', 'Z', '300.00', fromShanghai('2026-10-10', 9)),
  order('o5', 'E', '200.00', fromShanghai('2026-10-12', 9), '200.00'),
  order('o6', 'ghost', '90.00', fromShanghai('2026-10-13', 9)),
];

describe('monthly commission settlement', () => {
  it('settles the month net of refunds, per level, and holds back what it cannot settle', () => {
    const run = settleMonth('2026-10', NOW, ORDERS, MEMBERS);
    expect(run.settleOn).toBe('2026-11-15');
    // o1: E's chain is D (20 % of 1000 = 200), C (not paying: nothing), B (10 % = 100).
    // o2: base 500 − 100 = 400; D's chain is C (nothing), B (15 % = 60), A (10 % = 40).
    expect(
      run.lines.map(({ orderId, memberId, level, amount }) => [orderId, memberId, level, amount]),
    ).toEqual([
      ['o1', 'D', 1, '200.00'],
      ['o1', 'B', 3, '100.00'],
      ['o2', 'B', 2, '60.00'],
      ['o2', 'A', 3, '40.00'],
    ]);
    expect(run.members).toEqual([
      { memberId: 'D', amount: '200.00' },
      { memberId: 'B', amount: '160.00' },
      { memberId: 'A', amount: '40.00' },
    ]);
    expect(run.total).toBe('400.00');
    // o1, o2 and the fully refunded o5 were settled; o3 is November's.
    expect(run.orders).toBe(3);
    expect(run.heldBack).toEqual([
      { orderId: 'o4', code: 'REFERRAL_CYCLE', chain: ['X', 'Y', 'X'] },
      { orderId: 'o6', code: 'UNKNOWN_BUYER', buyerId: 'ghost' },
    ]);
  });

  it('refuses a month before its settlement day, in the future, or malformed', () => {
    const problem = (month: string, now: number) => {
      try {
        settleMonth(month, now, ORDERS, MEMBERS);
      } catch (error) {
        if (error instanceof SettlementMonthError) {
          return error.problem;
        }
        throw error;
      }
      return null;
    };
    expect(problem('2026-11', NOW)).toEqual({
      code: 'MONTH_NOT_DUE',
      month: '2026-11',
      settleOn: '2026-12-15',
    });
    expect(problem('2027-03', NOW)).toMatchObject({ code: 'MONTH_NOT_DUE' });
    expect(problem('2026-10', fromShanghai('2026-11-14', 23, 59))).toMatchObject({
      code: 'MONTH_NOT_DUE',
    });
    expect(problem('2026-13', NOW)).toEqual({ code: 'INVALID_MONTH', month: '2026-13' });
    expect(problem('2026-1', NOW)).toMatchObject({ code: 'INVALID_MONTH' });
    expect(problem('2026-10', NOW)).toBeNull();
  });

  it('takes the orders an earlier run held back again, and settles them once the links are fixed', () => {
    const fixed = MEMBERS.map((member) =>
      member.id === 'Y' ? { ...member, referrerId: null } : member,
    );
    const run = settleMonth('2026-11', fromShanghai('2026-12-15'), ORDERS, fixed, new Set(['o4']));
    // o4 (October, 300): Z's chain X (20 % = 60), Y (15 % = 45). o3 (November, 800): D 160, B 80.
    expect(run.carriedOver).toEqual(['o4']);
    expect(run.lines.map(({ orderId, memberId, amount }) => [orderId, memberId, amount])).toEqual([
      ['o4', 'X', '60.00'],
      ['o4', 'Y', '45.00'],
      ['o3', 'D', '160.00'],
      ['o3', 'B', '80.00'],
    ]);
    expect(run.heldBack).toEqual([]);
  });

  it('settles December on 15 January of the next year', () => {
    const run = settleMonth('2026-12', fromShanghai('2027-01-15'), [], MEMBERS);
    expect(run).toMatchObject({ settleOn: '2027-01-15', total: '0.00', orders: 0 });
  });
});
