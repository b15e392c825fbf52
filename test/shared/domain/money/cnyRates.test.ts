import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CNY_IDENTITY_SOURCE,
  CNY_RATE_TABLE,
  FOREIGN_CURRENCY_CODES,
  cnyRateTableSchema,
  convertToCny,
  findCnyRateEntry,
  isIsoDate,
  parseCnyRateTable,
  type CnyConversion,
  type CnyRateEntry,
} from '#shared/domain/money/cnyRates';
import { CURRENCY_CODES, type CurrencyCode } from '#shared/domain/money/currencies';
import { compareMoney, money } from '#shared/domain/money/money';
import { decimalString, expectOk, expectError } from './helpers';

const FIRST = CNY_RATE_TABLE[0]!;
const SECOND = CNY_RATE_TABLE[1]!;

describe('CNY_RATE_TABLE', () => {
  it('passes its own schema', () => {
    expect(cnyRateTableSchema.safeParse(CNY_RATE_TABLE).success).toBe(true);
  });

  it('has at least three 2026 dates in ascending order, every foreign currency present', () => {
    const dates = CNY_RATE_TABLE.map((entry) => entry.effectiveFrom);
    expect(dates.filter((date) => date.startsWith('2026-')).length).toBeGreaterThanOrEqual(3);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
    for (const entry of CNY_RATE_TABLE) {
      expect(Object.keys(entry.rates).sort()).toEqual([...FOREIGN_CURRENCY_CODES].sort());
      expect(entry.source.length).toBeGreaterThan(0);
    }
    expect(FOREIGN_CURRENCY_CODES).toHaveLength(CURRENCY_CODES.length - 1);
    expect(FOREIGN_CURRENCY_CODES).not.toContain('CNY');
  });

  it('holds plausible, canonical rates', () => {
    expect(Number(FIRST.rates.USD)).toBeGreaterThan(6);
    expect(Number(FIRST.rates.USD)).toBeLessThan(8);
    expect(Number(FIRST.rates.JPY)).toBeLessThan(0.1);
    expect(Number(FIRST.rates.KRW)).toBeLessThan(0.01);
    expect(FIRST.rates.USD).toBe('7.1');
  });

  it('is frozen so that past entries cannot be edited at run time', () => {
    expect(Object.isFrozen(CNY_RATE_TABLE)).toBe(true);
    expect(Object.isFrozen(FIRST)).toBe(true);
    expect(Object.isFrozen(FIRST.rates)).toBe(true);
  });
});

describe('cnyRateTableSchema', () => {
  const entry = (effectiveFrom: string, rates: Record<string, string> = FIRST.rates) => ({
    effectiveFrom,
    source: 'test',
    rates,
  });

  it('rejects dates out of order, repeated or unreal', () => {
    expect(cnyRateTableSchema.safeParse([entry('2026-02-01'), entry('2026-01-01')]).success).toBe(
      false,
    );
    expect(cnyRateTableSchema.safeParse([entry('2026-01-01'), entry('2026-01-01')]).success).toBe(
      false,
    );
    expect(cnyRateTableSchema.safeParse([entry('2026-02-30')]).success).toBe(false);
    expect(cnyRateTableSchema.safeParse([entry('2026-1-5')]).success).toBe(false);
    expect(cnyRateTableSchema.safeParse([]).success).toBe(false);
  });

  it('rejects missing, extra, zero, negative or malformed rates', () => {
    const { USD: _usd, ...withoutUsd } = FIRST.rates;
    expect(cnyRateTableSchema.safeParse([entry('2026-01-01', withoutUsd)]).success).toBe(false);
    expect(
      cnyRateTableSchema.safeParse([entry('2026-01-01', { ...FIRST.rates, CNY: '1' })]).success,
    ).toBe(false);
    for (const bad of ['0', '0.0', '-7.1', '7,1', '7.1e0', '', '1234567.1']) {
      expect(
        cnyRateTableSchema.safeParse([entry('2026-01-01', { ...FIRST.rates, USD: bad })]).success,
      ).toBe(false);
    }
  });

  it('throws from parseCnyRateTable on a bad table and canonicalises a good one', () => {
    expect(() => parseCnyRateTable([entry('2026-01-01', {})])).toThrow();
    const parsed = parseCnyRateTable([entry('2026-01-01', { ...FIRST.rates, USD: '7.2000' })]);
    expect(parsed[0]!.rates.USD).toBe('7.2');
  });
});

describe('isIsoDate', () => {
  it.each([
    ['2026-01-01', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['26-01-01', false],
    ['2026-01-01T00:00', false],
  ])('%s → %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });
});

describe('convertToCny', () => {
  it('uses an entry from its effectiveFrom day, and the previous one the day before', () => {
    const onTheDay = expectOk(convertToCny(money('100', 'USD'), SECOND.effectiveFrom));
    expect(onTheDay.rateDate).toBe(SECOND.effectiveFrom);
    expect(onTheDay.rate).toBe(SECOND.rates.USD);
    expect(onTheDay.source).toBe(SECOND.source);

    const dayBefore = expectOk(convertToCny(money('100', 'USD'), '2026-03-31'));
    expect(SECOND.effectiveFrom).toBe('2026-04-01');
    expect(dayBefore.rateDate).toBe(FIRST.effectiveFrom);
    expect(dayBefore.rate).toBe(FIRST.rates.USD);
    expect(dayBefore.cny).toEqual(money('710', 'CNY'));
  });

  it('keeps using the last entry after it', () => {
    const last = CNY_RATE_TABLE.at(-1)!;
    expect(expectOk(convertToCny(money('1', 'EUR'), '2030-01-01')).rateDate).toBe(
      last.effectiveFrom,
    );
    expect(findCnyRateEntry('2030-01-01')).toBe(last);
  });

  it('keeps full precision and offers a rounded value', () => {
    const result: CnyConversion = expectOk(convertToCny(money('0.01', 'USD'), '2026-04-15'));
    expect(result.rate).toBe('7.085');
    expect(result.cny).toEqual(money('0.07085', 'CNY'));
    expect(result.cnyRounded).toEqual(money('0.07', 'CNY'));
    expect(result.original).toEqual(money('0.01', 'USD'));
  });

  it('converts yen and won exactly', () => {
    expect(expectOk(convertToCny(money('300000', 'JPY'), '2026-01-10')).cny).toEqual(
      money('14100', 'CNY'),
    );
    expect(expectOk(convertToCny(money('1234567', 'KRW'), '2026-01-10')).cny).toEqual(
      money('6296.2917', 'CNY'),
    );
  });

  it('converts CNY to itself with rate 1 on any valid date', () => {
    const result = expectOk(convertToCny(money('12800.5', 'CNY'), '2020-05-05'));
    expect(result).toEqual({
      original: money('12800.5', 'CNY'),
      cny: money('12800.5', 'CNY'),
      cnyRounded: money('12800.5', 'CNY'),
      rate: '1',
      rateDate: '2020-05-05',
      source: CNY_IDENTITY_SOURCE,
    });
  });

  it('reports a date before the table', () => {
    const error = expectError(convertToCny(money('1', 'USD'), '2025-12-31'));
    expect(error.code).toBe('no_rate_for_date');
    expect(error.firstRateDate).toBe(FIRST.effectiveFrom);
    expect(error.onDate).toBe('2025-12-31');
    expect(error.message.en).toContain('2025-12-31');
    expect(error.message['zh-CN']).toContain(FIRST.effectiveFrom);
    expect(expectError(convertToCny(money('1', 'USD'), '2026-01-01', [])).firstRateDate).toBe(
      undefined,
    );
  });

  it('reports an unknown currency', () => {
    const error = expectError(
      convertToCny({ amount: '1', currency: 'XYZ' as CurrencyCode }, '2026-05-01'),
    );
    expect(error.code).toBe('unknown_currency');
    expect(error.currency).toBe('XYZ');
    // A caller's table that lacks a currency at run time.
    const partial = [{ ...FIRST, rates: { USD: '7' } }] as unknown as CnyRateEntry[];
    expect(expectError(convertToCny(money('1', 'GBP'), '2026-05-01', partial)).code).toBe(
      'unknown_currency',
    );
  });

  it('reports an invalid date or amount', () => {
    expect(expectError(convertToCny(money('1', 'USD'), '2026-02-30')).code).toBe('invalid_date');
    expect(expectError(convertToCny({ amount: 'abc', currency: 'USD' }, '2026-05-01')).code).toBe(
      'invalid_amount',
    );
    expect(
      expectError(convertToCny({ amount: '0.0000000000000001', currency: 'KRW' }, '2026-05-01'))
        .code,
    ).toBe('invalid_amount');
  });

  it('is monotonic: a ≤ b gives cny(a) ≤ cny(b)', () => {
    const amount = fc
      .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 8 }))
      .map(([unscaled, scale]) => decimalString(unscaled, scale));
    const date = fc
      .date({
        min: new Date('2026-01-01T00:00:00Z'),
        max: new Date('2027-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCY_CODES),
        amount,
        amount,
        date,
        (currency, a, b, onDate) => {
          const [low, high] =
            compareMoney(money(a, currency), money(b, currency)) <= 0 ? [a, b] : [b, a];
          const cnyLow = expectOk(convertToCny(money(low, currency), onDate));
          const cnyHigh = expectOk(convertToCny(money(high, currency), onDate));
          expect(compareMoney(cnyLow.cny, cnyHigh.cny)).toBeLessThanOrEqual(0);
          expect(compareMoney(cnyLow.cnyRounded, cnyHigh.cnyRounded)).toBeLessThanOrEqual(0);
        },
      ),
    );
  });
});
