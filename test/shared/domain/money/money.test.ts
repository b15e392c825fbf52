import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CurrencyCode } from '#shared/domain/money/currencies';
import {
  MoneyError,
  addMoney,
  allocateMoney,
  compareMoney,
  formatAmount,
  formatMoney,
  isCanonicalAmount,
  money,
  multiplyMoney,
  parseAmount,
  roundMoney,
  subtractMoney,
  sumMoney,
  type Money,
  type MoneyErrorCode,
} from '#shared/domain/money/money';
import { decimalString } from './helpers';

function amountArbitrary(min = -(10n ** 15n), max = 10n ** 15n, maxScale = 8) {
  return fc
    .tuple(fc.bigInt({ min, max }), fc.integer({ min: 0, max: maxScale }))
    .map(([unscaled, scale]) => decimalString(unscaled, scale));
}

const cny = (amount: string): Money => money(amount, 'CNY');

/** A high-precision decimal for computing expectations independently of the module's instance. */
const Exact = Decimal.clone({ precision: 100 });

function moneyErrorCode(action: () => unknown): MoneyErrorCode | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof MoneyError) {
      return error.code;
    }
    throw error;
  }
  return undefined;
}

describe('parseAmount', () => {
  it.each([
    ['12800', '12800'],
    ['12800.50', '12800.5'],
    ['12,800.50', '12800.5'],
    ['  0.10 ', '0.1'],
    ['+3', '3'],
    ['-0.000', '0'],
    ['007', '7'],
    ['１２８００．５０', '12800.5'],
  ])('reads %j as %j', (input, amount) => {
    expect(parseAmount(input)).toEqual({ ok: true, amount });
  });

  it.each(['', '.5', '1.', '1e3', '¥12', '1,23', '12,8000', 'NaN', 'Infinity', '1 000', '--1'])(
    'rejects %j as syntax',
    (input) => {
      expect(parseAmount(input)).toEqual({ ok: false, reason: 'syntax' });
    },
  );

  it('rejects amounts beyond the digit limits', () => {
    expect(parseAmount('1'.repeat(19))).toEqual({ ok: false, reason: 'too_many_digits' });
    expect(parseAmount(`0.${'1'.repeat(21)}`)).toEqual({ ok: false, reason: 'too_many_digits' });
    expect(parseAmount('1'.repeat(18)).ok).toBe(true);
  });

  it('recognises canonical amounts', () => {
    expect(isCanonicalAmount('12800.5')).toBe(true);
    expect(isCanonicalAmount('12800.50')).toBe(false);
    expect(isCanonicalAmount('-0')).toBe(false);
  });
});

describe('arithmetic', () => {
  it('is exact where binary floats are not', () => {
    expect(addMoney(cny('0.1'), cny('0.2'))).toEqual(cny('0.3'));
    expect(subtractMoney(cny('0.3'), cny('0.1'))).toEqual(cny('0.2'));
    expect(multiplyMoney(cny('1.1'), '1.1')).toEqual(cny('1.21'));
    expect(multiplyMoney(cny('12800'), '0.15')).toEqual(cny('1920'));
    expect(sumMoney([cny('0.1'), cny('0.1'), cny('0.1')], 'CNY')).toEqual(cny('0.3'));
    expect(sumMoney([], 'USD')).toEqual(money('0', 'USD'));
  });

  it('refuses to mix currencies', () => {
    const usd = money('1', 'USD');
    expect(() => addMoney(cny('1'), usd)).toThrow(/CNY and USD/);
    expect(moneyErrorCode(() => addMoney(cny('1'), usd))).toBe('currency_mismatch');
    expect(moneyErrorCode(() => subtractMoney(cny('1'), usd))).toBe('currency_mismatch');
    expect(moneyErrorCode(() => compareMoney(cny('1'), usd))).toBe('currency_mismatch');
  });

  it('refuses invalid amounts and factors', () => {
    expect(moneyErrorCode(() => money('abc', 'CNY'))).toBe('invalid_amount');
    expect(moneyErrorCode(() => multiplyMoney(cny('1'), '0.1e1'))).toBe('invalid_amount');
    expect(moneyErrorCode(() => addMoney({ amount: '1.2.3', currency: 'CNY' }, cny('1')))).toBe(
      'invalid_amount',
    );
  });

  it('refuses results it could not represent exactly', () => {
    const big = cny('999999999999999999');
    expect(moneyErrorCode(() => addMoney(big, cny('1')))).toBe('precision_exceeded');
    expect(moneyErrorCode(() => multiplyMoney(cny('0.0000000001'), '0.00000000001'))).toBe(
      'precision_exceeded',
    );
  });

  it('compares numerically, not as text', () => {
    expect(compareMoney(cny('10'), cny('9.5'))).toBe(1);
    expect(compareMoney(cny('-1'), cny('0'))).toBe(-1);
    expect(compareMoney(cny('2.50'), cny('2.5'))).toBe(0);
  });

  it('adds commutatively and associatively, exactly', () => {
    fc.assert(
      fc.property(amountArbitrary(), amountArbitrary(), amountArbitrary(), (a, b, c) => {
        const [ma, mb, mc] = [cny(a), cny(b), cny(c)];
        expect(addMoney(ma, mb)).toEqual(addMoney(mb, ma));
        expect(addMoney(addMoney(ma, mb), mc)).toEqual(addMoney(ma, addMoney(mb, mc)));
      }),
    );
  });

  it('undoes an addition by subtracting', () => {
    fc.assert(
      fc.property(amountArbitrary(), amountArbitrary(), (a, b) => {
        expect(subtractMoney(addMoney(cny(a), cny(b)), cny(b))).toEqual(cny(a));
      }),
    );
  });

  it('agrees with exact arithmetic', () => {
    fc.assert(
      fc.property(amountArbitrary(), amountArbitrary(), (a, b) => {
        expect(addMoney(cny(a), cny(b)).amount).toBe(new Exact(a).plus(b).toFixed());
        expect(subtractMoney(cny(a), cny(b)).amount).toBe(new Exact(a).minus(b).toFixed());
      }),
    );
    // Operands small enough for the exact product to fit the amount limits.
    const small = amountArbitrary(-(10n ** 9n), 10n ** 9n);
    fc.assert(
      fc.property(small, small, (a, b) => {
        expect(multiplyMoney(cny(a), b).amount).toBe(new Exact(a).times(b).toFixed());
      }),
    );
  });
});

describe('roundMoney', () => {
  it.each([
    ['0.005', 'CNY', '0.01'],
    ['0.004999', 'CNY', '0'],
    ['1.005', 'CNY', '1.01'],
    ['2.675', 'CNY', '2.68'],
    ['-0.005', 'CNY', '-0.01'],
    ['12800', 'CNY', '12800'],
    ['1234.5', 'JPY', '1235'],
    ['1234.49', 'JPY', '1234'],
    ['-0.5', 'KRW', '-1'],
  ] as const)('rounds %s %s half up to %s', (amount, currency, rounded) => {
    expect(roundMoney(money(amount, currency))).toEqual(money(rounded, currency));
  });
});

describe('formatMoney', () => {
  it.each([
    ['12800', 'CNY', 'zh-CN', '¥12,800.00'],
    ['12800', 'CNY', 'en', 'CNY 12,800.00'],
    ['1500.5', 'USD', 'zh-CN', 'USD 1,500.50'],
    ['1500.5', 'USD', 'en', 'USD 1,500.50'],
    ['300000', 'JPY', 'zh-CN', 'JPY 300,000'],
    ['300000.5', 'JPY', 'en', 'JPY 300,001'],
    ['-12.5', 'CNY', 'zh-CN', '-¥12.50'],
    ['-12.5', 'GBP', 'en', '-GBP 12.50'],
    ['-0.001', 'CNY', 'zh-CN', '¥0.00'],
    ['0.005', 'CNY', 'en', 'CNY 0.01'],
    ['123456789012345678.99', 'CNY', 'en', 'CNY 123,456,789,012,345,678.99'],
    ['999', 'EUR', 'zh-CN', 'EUR 999.00'],
  ] as const)('formats %s %s in %s as %s', (amount, currency, locale, text) => {
    expect(formatMoney(money(amount, currency), locale)).toBe(text);
  });

  it('round-trips amounts already in minor units', () => {
    const currencies: CurrencyCode[] = ['CNY', 'JPY', 'USD', 'KRW'];
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }),
        fc.constantFrom('zh-CN' as const, 'en' as const),
        (currency, unscaled, locale) => {
          const minorUnits = currency === 'JPY' || currency === 'KRW' ? 0 : 2;
          const m = money(decimalString(unscaled, minorUnits), currency);
          expect(parseAmount(formatAmount(m.amount, minorUnits))).toEqual({
            ok: true,
            amount: m.amount,
          });
          const text = formatMoney(m, locale).replace(/¥|[A-Z]{3} /, '');
          expect(parseAmount(text)).toEqual({ ok: true, amount: m.amount });
        },
      ),
    );
  });
});

describe('allocateMoney', () => {
  it('splits evenly with the leftover fen to the first parts', () => {
    expect(allocateMoney(cny('100'), ['1', '1', '1']).map((m) => m.amount)).toEqual([
      '33.34',
      '33.33',
      '33.33',
    ]);
    expect(allocateMoney(cny('0.05'), ['1', '1', '1']).map((m) => m.amount)).toEqual([
      '0.02',
      '0.02',
      '0.01',
    ]);
  });

  it('gives the leftover to the largest remainder, not the first part', () => {
    // Exact shares 0.3, 0.3, 0.4 fen of 1 fen: the third part has the largest remainder.
    expect(allocateMoney(cny('0.01'), ['3', '3', '4']).map((m) => m.amount)).toEqual([
      '0',
      '0',
      '0.01',
    ]);
  });

  it('splits by commission-level ratios and in whole yen', () => {
    expect(allocateMoney(cny('4500'), ['0.2', '0.15', '0.1']).map((m) => m.amount)).toEqual([
      '2000',
      '1500',
      '1000',
    ]);
    expect(allocateMoney(money('1000', 'JPY'), ['1', '2']).map((m) => m.amount)).toEqual([
      '333',
      '667',
    ]);
  });

  it('splits a negative total like its magnitude', () => {
    expect(allocateMoney(cny('-100'), ['1', '1', '1']).map((m) => m.amount)).toEqual([
      '-33.34',
      '-33.33',
      '-33.33',
    ]);
  });

  it('refuses what it cannot split exactly', () => {
    expect(moneyErrorCode(() => allocateMoney(cny('10.005'), ['1']))).toBe('not_in_minor_units');
    expect(moneyErrorCode(() => allocateMoney(cny('10'), []))).toBe('invalid_ratios');
    expect(moneyErrorCode(() => allocateMoney(cny('10'), ['0', '0']))).toBe('invalid_ratios');
    expect(moneyErrorCode(() => allocateMoney(cny('10'), ['1', '-1']))).toBe('invalid_ratios');
    expect(moneyErrorCode(() => allocateMoney(cny('10'), ['one']))).toBe('invalid_amount');
  });

  it('always sums to the total, each part within one minor unit of its exact share', () => {
    const ratio = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.integer({ min: 0, max: 4 }))
      .map(([unscaled, scale]) => decimalString(unscaled, scale));
    fc.assert(
      fc.property(
        fc.constantFrom<CurrencyCode>('CNY', 'JPY'),
        fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }),
        fc.array(ratio, { minLength: 1, maxLength: 8 }),
        (currency, unscaled, ratios) => {
          fc.pre(ratios.some((r) => !new Exact(r).isZero()));
          const minorUnits = currency === 'JPY' ? 0 : 2;
          const total = money(decimalString(unscaled, minorUnits), currency);
          const parts = allocateMoney(total, ratios);
          expect(parts).toHaveLength(ratios.length);
          expect(sumMoney(parts, currency)).toEqual(total);
          const ratioSum = ratios.reduce((sum, r) => sum.plus(r), new Exact(0));
          const unit = new Exact(10).pow(-minorUnits);
          parts.forEach((part, index) => {
            expect(part.currency).toBe(currency);
            expect(new Exact(part.amount).decimalPlaces()).toBeLessThanOrEqual(minorUnits);
            const exactShare = new Exact(total.amount).times(ratios[index]!).div(ratioSum);
            expect(new Exact(part.amount).minus(exactShare).abs().lt(unit)).toBe(true);
          });
        },
      ),
    );
  });
});
