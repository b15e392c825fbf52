import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  commissionLevelLabel,
  commissionSettlementDate,
  splitCommission,
  type Upline,
} from '#shared/domain/commission';

/** An instant written with an explicit +08:00 offset. */
function beijing(isoLocal: string): number {
  return Date.parse(`${isoLocal}+08:00`);
}

const paying = (memberId: string): Upline => ({ memberId, paying: true });
const free = (memberId: string): Upline => ({ memberId, paying: false });

// The test's own oracle works in integer fen with BigInt, not with decimal.js.
const RATE_PERCENT: Readonly<Record<1 | 2 | 3, bigint>> = { 1: 20n, 2: 15n, 3: 10n };

function toFen(amount: string): bigint {
  const [yuan = '0', fen = ''] = amount.split('.');
  return BigInt(yuan) * 100n + BigInt(fen.padEnd(2, '0'));
}

function fenToString(fen: bigint): string {
  return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
}

/** round-half-up(orderFen × percent / 100), for non-negative amounts. */
function expectedLineFen(orderFen: bigint, percent: bigint): bigint {
  return (orderFen * percent + 50n) / 100n;
}

describe('splitCommission examples', () => {
  it('pays 20 / 15 / 10 % to three paying levels', () => {
    const split = splitCommission({
      orderAmount: '1999.00',
      buyerId: 'buyer',
      uplines: [paying('a'), paying('b'), paying('c'), paying('d')],
    });
    expect(split.lines).toEqual([
      { level: 1, memberId: 'a', rate: '0.20', amount: '399.80' },
      { level: 2, memberId: 'b', rate: '0.15', amount: '299.85' },
      { level: 3, memberId: 'c', rate: '0.10', amount: '199.90' },
    ]);
    expect(split.total).toBe('899.55');
    expect(split.skipped).toEqual([]);
  });

  it('rounds each line half-up to the fen', () => {
    const split = splitCommission({
      orderAmount: '0.05',
      buyerId: 'buyer',
      uplines: [paying('a'), paying('b'), paying('c')],
    });
    // 0.01 exactly, 0.0075 → 0.01, 0.005 → 0.01
    expect(split.lines.map((line) => line.amount)).toEqual(['0.01', '0.01', '0.01']);
    expect(split.total).toBe('0.03');
  });

  it('can exceed exactly 45 % by per-line rounding (documented consequence)', () => {
    const split = splitCommission({
      orderAmount: '999.05',
      buyerId: 'buyer',
      uplines: [paying('a'), paying('b'), paying('c')],
    });
    expect(split.lines.map((line) => line.amount)).toEqual(['199.81', '149.86', '99.91']);
    expect(split.total).toBe('449.58'); // 45 % is 449.5725
  });

  it('gives a non-paying upline nothing and does not pass the share up', () => {
    const split = splitCommission({
      orderAmount: '1000',
      buyerId: 'buyer',
      uplines: [free('a'), paying('b'), paying('c'), paying('d')],
    });
    expect(split.lines).toEqual([
      { level: 2, memberId: 'b', rate: '0.15', amount: '150.00' },
      { level: 3, memberId: 'c', rate: '0.10', amount: '100.00' },
    ]);
    expect(split.skipped).toEqual([{ level: 1, memberId: 'a', reason: 'not_paying' }]);
    expect(split.total).toBe('250.00');
  });

  it('never pays the buyer, even when the chain loops back', () => {
    const split = splitCommission({
      orderAmount: '1000',
      buyerId: 'buyer',
      uplines: [paying('a'), paying('buyer'), paying('c')],
    });
    expect(split.lines.map((line) => line.memberId)).toEqual(['a', 'c']);
    expect(split.skipped).toEqual([{ level: 2, memberId: 'buyer', reason: 'buyer' }]);
  });

  it('pays a member appearing twice once, at the nearest level', () => {
    const split = splitCommission({
      orderAmount: '1000',
      buyerId: 'buyer',
      uplines: [paying('a'), paying('b'), paying('a')],
    });
    expect(split.lines).toEqual([
      { level: 1, memberId: 'a', rate: '0.20', amount: '200.00' },
      { level: 2, memberId: 'b', rate: '0.15', amount: '150.00' },
    ]);
    expect(split.skipped).toEqual([{ level: 3, memberId: 'a', reason: 'repeated' }]);
  });

  it('handles short and empty chains and zero orders', () => {
    expect(splitCommission({ orderAmount: '88', buyerId: 'x', uplines: [] })).toEqual({
      lines: [],
      total: '0.00',
      skipped: [],
    });
    expect(
      splitCommission({ orderAmount: '0', buyerId: 'x', uplines: [paying('a')] }).lines,
    ).toEqual([{ level: 1, memberId: 'a', rate: '0.20', amount: '0.00' }]);
  });

  it.each(['', '-1', '1.001', '1e3', '01', ' 5', 'abc', '1,000'])(
    'refuses the order amount "%s"',
    (orderAmount) => {
      expect(() => splitCommission({ orderAmount, buyerId: 'x', uplines: [] })).toThrow(RangeError);
    },
  );

  it('labels the levels', () => {
    expect(commissionLevelLabel(1)['zh-CN']).toContain('一级');
    expect(commissionLevelLabel(3).en).toContain('Level 3');
  });
});

describe('splitCommission properties', () => {
  const orderFen = fc.bigInt({ min: 0n, max: 10_000_000_000n });
  const member = fc.constantFrom('a', 'b', 'c', 'd', 'buyer');
  const chain = fc.array(fc.record({ memberId: member, paying: fc.boolean() }), { maxLength: 6 });

  it('every line is the rounded rate × amount, at its own level', () => {
    fc.assert(
      fc.property(orderFen, chain, (fen, uplines) => {
        const split = splitCommission({ orderAmount: fenToString(fen), buyerId: 'buyer', uplines });
        for (const line of split.lines) {
          expect(line.amount).toBe(fenToString(expectedLineFen(fen, RATE_PERCENT[line.level])));
          expect(uplines[line.level - 1]?.memberId).toBe(line.memberId);
        }
        const sum = split.lines.reduce((acc, line) => acc + toFen(line.amount), 0n);
        expect(split.total).toBe(fenToString(sum));
      }),
    );
  });

  it('the total stays within 45 % of the order, give or take half a fen per line', () => {
    fc.assert(
      fc.property(orderFen, chain, (fen, uplines) => {
        const split = splitCommission({ orderAmount: fenToString(fen), buyerId: 'buyer', uplines });
        // In thousandths of a fen: total ≤ 45 % × order + 0.5 fen × lines.
        const totalMilli = toFen(split.total) * 1000n;
        const capMilli = fen * 450n + 500n * BigInt(split.lines.length);
        expect(totalMilli <= capMilli).toBe(true);
        // Before rounding, the shares never exceed 45 %.
        const exact = split.lines.reduce((acc, line) => acc + fen * RATE_PERCENT[line.level], 0n);
        expect(exact <= fen * 45n).toBe(true);
      }),
    );
  });

  it('pays only paying members, never the buyer, each member at most once, levels 1–3 only', () => {
    fc.assert(
      fc.property(orderFen, chain, (fen, uplines) => {
        const split = splitCommission({ orderAmount: fenToString(fen), buyerId: 'buyer', uplines });
        const ids = split.lines.map((line) => line.memberId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).not.toContain('buyer');
        for (const line of split.lines) {
          expect([1, 2, 3]).toContain(line.level);
          expect(uplines[line.level - 1]?.paying).toBe(true);
        }
        // Every one of the first three positions either pays or is explained.
        expect(split.lines.length + split.skipped.length).toBe(Math.min(uplines.length, 3));
      }),
    );
  });
});

describe('commissionSettlementDate', () => {
  it.each([
    ['2024-01-01T00:00:00', '2024-02-15'],
    ['2024-01-31T23:59:59.999', '2024-02-15'],
    ['2024-02-01T00:00:00', '2024-03-15'],
    ['2024-02-29T12:00:00', '2024-03-15'],
    ['2024-12-31T23:59:59', '2025-01-15'],
    ['2024-03-15T10:00:00', '2024-04-15'],
  ])('a payment at %s (Shanghai) is settled on %s', (paidAt, settled) => {
    expect(commissionSettlementDate(beijing(paidAt))).toBe(settled);
  });

  it('uses the Shanghai month: 16:30 UTC on 31 January is already February', () => {
    expect(commissionSettlementDate(Date.parse('2024-01-31T16:30:00Z'))).toBe('2024-03-15');
    expect(commissionSettlementDate(Date.parse('2024-01-31T15:59:59Z'))).toBe('2024-02-15');
  });
});
