import { fromShanghai, shanghaiDate } from '#shared/domain/time';
import type { Rng } from './content';

/**
 * The course platform's side of the commission settlement for the demo (course-operations-
 * sop.zh.md §8): a small referral network and its paid orders in the previous month and the
 * month before, so that a month can be settled on a fresh demo server whatever the day (before
 * the 15th only the month before the previous one is due). Fixed members, buyers and amounts, so
 * that every commission can be worked out by hand; the PRNG only picks when in the month each
 * order was paid.
 *
 * The network: 周建国 (M10007) → 李晓雯 (M10023) → 王磊 (M10031) → 陈静 (M10038, not a paying member,
 * so she earns nothing) → 赵敏 (M10042); students buy through them. 林峰 (M10051) and 何丽 (M10052)
 * name each other as referrer — bad data the platform sent — so the orders of their student
 * 马超 (S20106) are held back with the cycle named. One order is refunded in full, two in part.
 */

export interface DemoCourseMember {
  readonly id: string;
  readonly name: string;
  readonly paying: boolean;
  readonly referrerId: string | null;
}

export interface DemoCourseOrder {
  readonly id: string;
  readonly buyerId: string;
  readonly amount: string;
  readonly refunded: string;
  readonly paidAt: number;
}

export const DEMO_COURSE_MEMBERS: readonly DemoCourseMember[] = [
  { id: 'M10007', name: '周建国', paying: true, referrerId: null },
  { id: 'M10023', name: '李晓雯', paying: true, referrerId: 'M10007' },
  { id: 'M10031', name: '王磊', paying: true, referrerId: 'M10023' },
  { id: 'M10038', name: '陈静', paying: false, referrerId: 'M10031' },
  { id: 'M10042', name: '赵敏', paying: true, referrerId: 'M10038' },
  { id: 'M10051', name: '林峰', paying: true, referrerId: 'M10052' },
  { id: 'M10052', name: '何丽', paying: true, referrerId: 'M10051' },
  { id: 'S20101', name: '刘洋', paying: false, referrerId: 'M10042' },
  { id: 'S20102', name: '孙悦', paying: false, referrerId: 'M10031' },
  { id: 'S20103', name: '黄婷', paying: false, referrerId: 'M10023' },
  { id: 'S20104', name: '吴昊', paying: false, referrerId: 'M10007' },
  { id: 'S20105', name: '郑爽', paying: false, referrerId: null },
  { id: 'S20106', name: '马超', paying: false, referrerId: 'M10051' },
];

/** The orders of one month: buyer, amount paid, refunded (CNY). */
type MonthOrders = readonly (readonly [buyerId: string, amount: string, refunded: string])[];

/** The previous month: six orders settle (one refunded in full, one in part), one is held back. */
const PREVIOUS_MONTH_ORDERS: MonthOrders = [
  ['S20101', '2999.00', '0'],
  ['S20102', '1999.00', '0'],
  ['S20103', '3980.00', '3980.00'],
  ['S20104', '1999.00', '500.00'],
  ['S20106', '2999.00', '0'],
  ['S20105', '699.00', '0'],
  ['S20102', '699.00', '0'],
];

/** The month before: two orders settle (one refunded in part), one is held back. */
const EARLIER_MONTH_ORDERS: MonthOrders = [
  ['S20104', '2999.00', '0'],
  ['S20103', '1999.00', '999.50'],
  ['S20106', '699.00', '0'],
];

/** `YYYY-MM` of the Shanghai month `back` months before the one `nowMs` falls in. */
export function monthBefore(nowMs: number, back: number): string {
  const [year = 0, month = 1] = shanghaiDate(nowMs).split('-').map(Number);
  const index = year * 12 + (month - 1) - back;
  return `${String(Math.floor(index / 12))}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function ordersOf(month: string, orders: MonthOrders, rng: Rng): DemoCourseOrder[] {
  return orders.map(([buyerId, amount, refunded], index) => {
    // Days 1–28 exist in every month; paid between 08:00 and 22:59 Shanghai.
    const day = String(1 + Math.floor(rng() * 28)).padStart(2, '0');
    const paidAt = fromShanghai(
      `${month}-${day}`,
      8 + Math.floor(rng() * 15),
      Math.floor(rng() * 60),
    );
    return {
      id: `AIW${month.replace('-', '')}${String(index + 1).padStart(4, '0')}`,
      buyerId,
      amount,
      refunded,
      paidAt,
    };
  });
}

export interface DemoCourseNetwork {
  /** The previous month of `now`, and the one before it. */
  readonly months: { readonly previous: string; readonly earlier: string };
  readonly members: readonly DemoCourseMember[];
  readonly orders: readonly DemoCourseOrder[];
}

export function planCourseNetwork(input: { now: number; rng: Rng }): DemoCourseNetwork {
  const previous = monthBefore(input.now, 1);
  const earlier = monthBefore(input.now, 2);
  return {
    months: { previous, earlier },
    members: DEMO_COURSE_MEMBERS,
    orders: [
      ...ordersOf(earlier, EARLIER_MONTH_ORDERS, input.rng),
      ...ordersOf(previous, PREVIOUS_MONTH_ORDERS, input.rng),
    ],
  };
}
