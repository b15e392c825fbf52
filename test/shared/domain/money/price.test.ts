import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, type CurrencyCode } from '#shared/domain/money/currencies';
import { compareMoney, money } from '#shared/domain/money/money';
import {
  comparePricesInCny,
  priceBounds,
  priceChange,
  priceInCny,
  type Price,
} from '#shared/domain/money/price';
import { decimalString, expectOk } from './helpers';

const fixed = (amount: string, currency: CurrencyCode = 'CNY'): Price => ({
  kind: 'fixed',
  currency,
  amount,
});
const range = (min: string, max: string, currency: CurrencyCode = 'CNY'): Price => ({
  kind: 'range',
  currency,
  min,
  max,
});

// Q2 2026 of the built-in table: USD 7.085, GBP 9.06.
const DAY = '2026-05-01';

describe('priceInCny', () => {
  it('converts a fixed price with its rate information', () => {
    const price = fixed('1000', 'USD');
    expect(expectOk(priceInCny(price, DAY))).toEqual({
      kind: 'fixed',
      amount: money('7085', 'CNY'),
      original: price,
      rate: '7.085',
      rateDate: '2026-04-01',
      source: expect.any(String) as unknown,
    });
  });

  it('converts both bounds of a range', () => {
    const value = expectOk(priceInCny(range('3000', '5000.5', 'GBP'), DAY));
    expect(value.kind).toBe('range');
    if (value.kind === 'range') {
      expect(value.min).toEqual(money('27180', 'CNY'));
      expect(value.max).toEqual(money('45304.53', 'CNY'));
    }
  });

  it('passes conversion errors through', () => {
    const result = priceInCny(fixed('1', 'USD'), '2025-06-01');
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.error.code).toBe('no_rate_for_date');
  });

  it('keeps min ≤ max when converting a range', () => {
    const amount = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 8 }))
      .map(([unscaled, scale]) => decimalString(unscaled, scale));
    fc.assert(
      fc.property(fc.constantFrom(...CURRENCY_CODES), amount, amount, (currency, a, b) => {
        const [min, max] =
          compareMoney(money(a, currency), money(b, currency)) <= 0 ? [a, b] : [b, a];
        const value = expectOk(priceInCny(range(min, max, currency), DAY));
        if (value.kind !== 'range') {
          throw new Error('expected a range');
        }
        expect(compareMoney(value.min, value.max)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('priceBounds', () => {
  it('uses the amount as both bounds of a fixed price', () => {
    expect(priceBounds(fixed('5', 'EUR'))).toEqual({
      min: money('5', 'EUR'),
      max: money('5', 'EUR'),
    });
  });
});

describe('comparePricesInCny', () => {
  const compare = (a: Price, b: Price) => expectOk(comparePricesInCny(a, b, DAY));

  it('compares across currencies in CNY', () => {
    expect(compare(fixed('1000', 'USD'), fixed('7000'))).toBe(1);
    expect(compare(fixed('1000', 'USD'), fixed('7085'))).toBe(0);
    expect(compare(fixed('1000', 'USD'), fixed('1000', 'GBP'))).toBe(-1);
  });

  it('orders by the lower bound, then the upper bound', () => {
    expect(compare(fixed('100'), range('100', '200'))).toBe(-1);
    expect(compare(range('100', '200'), range('150', '160'))).toBe(-1);
    expect(compare(range('100', '300'), range('100', '200'))).toBe(1);
    expect(compare(range('100', '100'), fixed('100'))).toBe(0);
  });

  it('orders prices closer than a fen', () => {
    expect(compare(fixed('0.001'), fixed('0.002'))).toBe(-1);
  });

  it('passes conversion errors through', () => {
    const result = comparePricesInCny(fixed('1'), fixed('1', 'USD'), '2025-01-01');
    expect(result.ok ? null : result.error.code).toBe('no_rate_for_date');
  });
});

describe('priceChange', () => {
  it('reports an increase of a fixed price', () => {
    const change = expectOk(priceChange(fixed('12800'), fixed('14400'), DAY));
    expect(change.min).toEqual({
      before: money('12800', 'CNY'),
      after: money('14400', 'CNY'),
      absolute: money('1600', 'CNY'),
      percent: '12.50',
    });
    expect(change.max).toEqual(change.min);
    expect(change.kindChanged).toBe(false);
    expect(change.currencyChanged).toBe(false);
    expect(change.unchanged).toBe(false);
  });

  it('reports a decrease with a negative percentage rounded half up', () => {
    const change = expectOk(priceChange(fixed('3'), fixed('2'), DAY));
    expect(change.min.absolute).toEqual(money('-1', 'CNY'));
    expect(change.min.percent).toBe('-33.33');
    expect(expectOk(priceChange(fixed('3'), fixed('5'), DAY)).min.percent).toBe('66.67');
  });

  it('has no percentage for a change from zero', () => {
    const change = expectOk(priceChange(fixed('0'), fixed('100'), DAY));
    expect(change.min.percent).toBeNull();
    expect(change.min.absolute).toEqual(money('100', 'CNY'));
  });

  it('compares each bound when the kind or currency changes', () => {
    const change = expectOk(priceChange(fixed('1000', 'USD'), range('7000', '8000'), DAY));
    expect(change.kindChanged).toBe(true);
    expect(change.currencyChanged).toBe(true);
    expect(change.min.absolute).toEqual(money('-85', 'CNY'));
    expect(change.max.absolute).toEqual(money('915', 'CNY'));
    expect(change.min.percent).toBe('-1.20');
    expect(change.max.percent).toBe('12.91');
  });

  it('calls a price unchanged when it only changed currency at equal value', () => {
    const change = expectOk(priceChange(fixed('1000', 'USD'), fixed('7085'), DAY));
    expect(change.unchanged).toBe(true);
    expect(change.min.percent).toBe('0.00');
  });

  it('uses the fen-rounded figures it shows', () => {
    // 0.01 USD = 0.07085 CNY, shown as 0.07: the change is computed from 0.07.
    const change = expectOk(priceChange(fixed('0.01', 'USD'), fixed('0.08'), DAY));
    expect(change.min.before).toEqual(money('0.07', 'CNY'));
    expect(change.min.absolute).toEqual(money('0.01', 'CNY'));
    expect(change.min.percent).toBe('14.29');
  });

  it('passes conversion errors through', () => {
    const result = priceChange(fixed('1'), fixed('1', 'USD'), 'yesterday');
    expect(result.ok ? null : result.error.code).toBe('invalid_date');
  });
});
