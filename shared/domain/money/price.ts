import { assertNever } from '../../util/assertNever';
import {
  CNY_RATE_TABLE,
  convertToCny,
  type CnyConversion,
  type CnyRateTable,
  type ConversionResult,
} from './cnyRates';
import type { CurrencyCode } from './currencies';
import {
  MoneyDecimal,
  compareMoney,
  isZeroMoney,
  roundMoney,
  subtractMoney,
  type Money,
} from './money';

/**
 * Package prices and their comparison in CNY. Like `cnyRates.ts`, every function that converts
 * returns a {@link ConversionResult} instead of throwing.
 */

/**
 * A fixed package price. Field names match the listing schema's price object; amounts are
 * non-negative decimal strings (`DECIMAL_AMOUNT_PATTERN`).
 */
export interface FixedPrice {
  readonly kind: 'fixed';
  readonly currency: CurrencyCode;
  readonly amount: string;
}

/** A price range ("from 30,000 to 50,000"), `min <= max`, in one currency. */
export interface RangePrice {
  readonly kind: 'range';
  readonly currency: CurrencyCode;
  readonly min: string;
  readonly max: string;
}

export type Price = FixedPrice | RangePrice;

/** How a price was converted: the rate, the day of the table entry used, and its source. */
export interface PriceRateInfo {
  readonly rate: string;
  readonly rateDate: string;
  readonly source: string;
}

/** A fixed price in CNY. `amount` is the exact conversion; round it only for display. */
export interface FixedPriceInCny extends PriceRateInfo {
  readonly kind: 'fixed';
  readonly amount: Money;
  readonly original: FixedPrice;
}

/** A price range in CNY, both bounds exact. */
export interface RangePriceInCny extends PriceRateInfo {
  readonly kind: 'range';
  readonly min: Money;
  readonly max: Money;
  readonly original: RangePrice;
}

export type PriceInCny = FixedPriceInCny | RangePriceInCny;

/** The lower and upper bound of a price; both are the amount for a fixed price. */
export function priceBounds(price: Price): { readonly min: Money; readonly max: Money } {
  switch (price.kind) {
    case 'fixed':
      return {
        min: { amount: price.amount, currency: price.currency },
        max: { amount: price.amount, currency: price.currency },
      };
    case 'range':
      return {
        min: { amount: price.min, currency: price.currency },
        max: { amount: price.max, currency: price.currency },
      };
    default:
      return assertNever(price, 'price kind');
  }
}

/** The bounds of a CNY price (exact), `min === max` for a fixed price. */
export function priceInCnyBounds(price: PriceInCny): { readonly min: Money; readonly max: Money } {
  switch (price.kind) {
    case 'fixed':
      return { min: price.amount, max: price.amount };
    case 'range':
      return { min: price.min, max: price.max };
    default:
      return assertNever(price, 'price kind');
  }
}

/**
 * Converts a price to CNY with the rate in force on `onDate` (see `convertToCny`). A range keeps
 * `min <= max`: both bounds use the same positive rate and the product is exact.
 */
export function priceInCny(
  price: Price,
  onDate: string,
  table: CnyRateTable = CNY_RATE_TABLE,
): ConversionResult<PriceInCny> {
  const bounds = priceBounds(price);
  const min = convertToCny(bounds.min, onDate, table);
  if (!min.ok) {
    return min;
  }
  const rateInfo = pickRateInfo(min.value);
  switch (price.kind) {
    case 'fixed':
      return {
        ok: true,
        value: { kind: 'fixed', amount: min.value.cny, original: price, ...rateInfo },
      };
    case 'range': {
      const max = convertToCny(bounds.max, onDate, table);
      if (!max.ok) {
        return max;
      }
      return {
        ok: true,
        value: {
          kind: 'range',
          min: min.value.cny,
          max: max.value.cny,
          original: price,
          ...rateInfo,
        },
      };
    }
    default:
      return assertNever(price, 'price kind');
  }
}

/**
 * Orders two prices by their CNY value on `onDate`: by the lower bound, then by the upper bound
 * (so `fixed 100` < `range 100–200` < `range 150–160`). Exact values are compared, not rounded
 * ones, so two prices that differ by less than a fen still order correctly.
 */
export function comparePricesInCny(
  a: Price,
  b: Price,
  onDate: string,
  table: CnyRateTable = CNY_RATE_TABLE,
): ConversionResult<-1 | 0 | 1> {
  const left = priceInCny(a, onDate, table);
  if (!left.ok) {
    return left;
  }
  const right = priceInCny(b, onDate, table);
  if (!right.ok) {
    return right;
  }
  const l = priceInCnyBounds(left.value);
  const r = priceInCnyBounds(right.value);
  const byMin = compareMoney(l.min, r.min);
  return { ok: true, value: byMin === 0 ? compareMoney(l.max, r.max) : byMin };
}

/** How one bound of a price moved, in CNY rounded to fen. */
export interface PriceBoundChange {
  readonly before: Money;
  readonly after: Money;
  /** `after - before`; negative for a decrease. */
  readonly absolute: Money;
  /**
   * `(after - before) / before × 100`, ROUND_HALF_UP to 2 decimals (`"12.50"`, `"-3.00"`), or
   * `null` when `before` is zero (a change from free has no percentage).
   */
  readonly percent: string | null;
}

/** The difference between two versions of a package price, for the revision diff view. */
export interface PriceChange {
  readonly before: PriceInCny;
  readonly after: PriceInCny;
  /** Change of the lower bound (the amount, for a fixed price). */
  readonly min: PriceBoundChange;
  /** Change of the upper bound (the amount, for a fixed price). */
  readonly max: PriceBoundChange;
  /** Fixed became a range or the other way round. */
  readonly kindChanged: boolean;
  readonly currencyChanged: boolean;
  /** Both bounds are equal in CNY (rounded to fen). */
  readonly unchanged: boolean;
}

/**
 * Compares two versions of a price in CNY. Both are converted with the rates of the same day
 * (`onDate`, normally the day of the review), so the change reflects what the institution did, not
 * how exchange rates moved between the two revisions.
 *
 * The change is computed from the CNY values rounded to fen — the figures the diff view shows — so
 * that "before + change = after" holds on screen to the fen; the percentage uses the same values.
 */
export function priceChange(
  before: Price,
  after: Price,
  onDate: string,
  table: CnyRateTable = CNY_RATE_TABLE,
): ConversionResult<PriceChange> {
  const was = priceInCny(before, onDate, table);
  if (!was.ok) {
    return was;
  }
  const now = priceInCny(after, onDate, table);
  if (!now.ok) {
    return now;
  }
  const wasBounds = priceInCnyBounds(was.value);
  const nowBounds = priceInCnyBounds(now.value);
  const min = boundChange(wasBounds.min, nowBounds.min);
  const max = boundChange(wasBounds.max, nowBounds.max);
  return {
    ok: true,
    value: {
      before: was.value,
      after: now.value,
      min,
      max,
      kindChanged: before.kind !== after.kind,
      currencyChanged: before.currency !== after.currency,
      unchanged: isZeroMoney(min.absolute) && isZeroMoney(max.absolute),
    },
  };
}

/**
 * For the percentage division: truncating the (possibly endless) quotient at 40 digits can never
 * move it across a half-cent-of-percent boundary, so the final ROUND_HALF_UP to 2 decimals is
 * exact; rounding the quotient half-up first could round twice.
 */
const TruncatingDecimal = MoneyDecimal.clone({ rounding: MoneyDecimal.ROUND_DOWN });

function boundChange(beforeExact: Money, afterExact: Money): PriceBoundChange {
  const before = roundMoney(beforeExact);
  const after = roundMoney(afterExact);
  const absolute = subtractMoney(after, before);
  const percent = isZeroMoney(before)
    ? null
    : new TruncatingDecimal(absolute.amount)
        .times(100)
        .div(new TruncatingDecimal(before.amount).abs())
        .toFixed(2, TruncatingDecimal.ROUND_HALF_UP);
  return { before, after, absolute, percent };
}

function pickRateInfo(conversion: CnyConversion): PriceRateInfo {
  return { rate: conversion.rate, rateDate: conversion.rateDate, source: conversion.source };
}
