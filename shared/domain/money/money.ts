import Decimal from 'decimal.js';
import type { Locale } from '../../i18n/localized';
import { CURRENCIES, type CurrencyCode } from './currencies';

/**
 * Exact money arithmetic on decimal strings.
 *
 * Error policy: calling an arithmetic function with values that break its contract (two different
 * currencies, an amount string that is not a decimal, a result that would lose digits) is a
 * programming error, so these functions throw a {@link MoneyError}. Turning *user text* into an
 * amount is expected to fail now and then, so {@link parseAmount} returns a result object instead.
 * Conversion between currencies (`cnyRates.ts`) also returns results: a missing rate is a data
 * condition the workstation must show, not a crash.
 */

/**
 * The decimal.js constructor every money module uses. A clone, so the global `Decimal`
 * configuration (which other code may rely on) is never mutated. 40 significant digits is far
 * more than any amount we accept needs (see {@link MAX_AMOUNT_INTEGER_DIGITS}); operations that
 * could still exceed it check first and throw rather than round silently. ROUND_HALF_UP is the
 * default only for the rare division (allocation shares, percentages); every rounding of an amount
 * names its mode explicitly.
 */
export const MoneyDecimal = Decimal.clone({
  precision: 40,
  rounding: Decimal.ROUND_HALF_UP,
  // Amounts are always printed with `toFixed()`, which never uses exponent notation; these
  // bounds only keep `toString()` (debuggers, error messages) readable too.
  toExpNeg: -60,
  toExpPos: 60,
});

/**
 * An amount of money. `amount` is an exact decimal string in canonical form: optional `-`, no
 * leading zeros, no exponent, no trailing fractional zeros (`"12800.5"`, `"-3"`, `"0"`). It may
 * carry more decimals than the currency's minor units (an exact conversion result, a commission
 * before rounding); {@link roundMoney} brings it to minor units.
 */
export interface Money {
  readonly amount: string;
  readonly currency: CurrencyCode;
}

/** Largest number of integer digits an amount may have (10^18 CNY is beyond any real price). */
export const MAX_AMOUNT_INTEGER_DIGITS = 18;
/**
 * Largest number of decimals an amount may have. With {@link MAX_AMOUNT_INTEGER_DIGITS} this
 * keeps every sum and difference within the 40 significant digits of {@link MoneyDecimal}
 * (18 + 1 carry + 20 = 39), so addition and subtraction are always exact.
 */
export const MAX_AMOUNT_FRACTION_DIGITS = 20;

/** Why something went wrong in a money operation; stable, tests and callers key on it. */
export type MoneyErrorCode =
  | 'invalid_amount'
  | 'currency_mismatch'
  | 'precision_exceeded'
  | 'invalid_ratios'
  | 'not_in_minor_units';

/** Thrown when a money function is called against its contract (see the module comment). */
export class MoneyError extends Error {
  override readonly name = 'MoneyError';
  readonly code: MoneyErrorCode;

  constructor(code: MoneyErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Outcome of {@link parseAmount}. */
export type AmountParseResult = AmountParseSuccess | AmountParseFailure;

export interface AmountParseSuccess {
  readonly ok: true;
  /** The canonical amount string (see {@link Money}). */
  readonly amount: string;
}

export interface AmountParseFailure {
  readonly ok: false;
  /** `syntax`: not a plain decimal; `too_many_digits`: beyond the integer or fraction limits. */
  readonly reason: 'syntax' | 'too_many_digits';
}

// A plain decimal: optional sign, digits with correctly placed thousands separators or none, an
// optional fraction. No exponent, no currency symbol, no bare "." and no "1." (ambiguous when a
// reviewer is halfway through typing).
const AMOUNT_SYNTAX = /^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/;

/**
 * Reads an amount typed by a person or found in a document. Accepts full-width digits (NFKC, as
 * typed with Chinese input methods), surrounding whitespace, a leading `+`/`-` and thousands
 * separators (`12,800.50`, the form {@link formatMoney} prints, so formatting round-trips).
 * Returns the canonical amount string.
 */
export function parseAmount(input: string): AmountParseResult {
  const text = input.normalize('NFKC').trim();
  if (!AMOUNT_SYNTAX.test(text)) {
    return { ok: false, reason: 'syntax' };
  }
  const value = new MoneyDecimal(text.replaceAll(',', ''));
  if (!fitsAmountLimits(value)) {
    return { ok: false, reason: 'too_many_digits' };
  }
  return { ok: true, amount: value.toFixed() };
}

/** Whether `value` is already a canonical amount string that fits the limits. */
export function isCanonicalAmount(value: string): boolean {
  const parsed = parseAmount(value);
  return parsed.ok && parsed.amount === value;
}

/**
 * Builds a {@link Money} from an amount string (any form {@link parseAmount} accepts).
 * Throws `MoneyError('invalid_amount')` when the string is not an amount; meant for values the
 * program already trusts (constants, schema-validated data), not for raw user input.
 */
export function money(amount: string, currency: CurrencyCode): Money {
  return { amount: toCanonicalAmount(amount, 'amount'), currency };
}

/** Zero in `currency`. */
export function zeroMoney(currency: CurrencyCode): Money {
  return { amount: '0', currency };
}

/** `a + b`, exactly. Throws `MoneyError('currency_mismatch')` unless both share a currency. */
export function addMoney(a: Money, b: Money): Money {
  const currency = sameCurrency(a, b, 'add');
  return fromDecimal(toDecimal(a).plus(toDecimal(b)), currency);
}

/** `a - b`, exactly. Throws `MoneyError('currency_mismatch')` unless both share a currency. */
export function subtractMoney(a: Money, b: Money): Money {
  const currency = sameCurrency(a, b, 'subtract');
  return fromDecimal(toDecimal(a).minus(toDecimal(b)), currency);
}

/**
 * The exact sum of `items`, all in `currency` (given separately so that an empty list has a
 * currency too).
 */
export function sumMoney(items: readonly Money[], currency: CurrencyCode): Money {
  return items.reduce((total, item) => addMoney(total, item), zeroMoney(currency));
}

/**
 * `m × factor`, exactly, not rounded (a commission rate, an exchange rate). `factor` is a decimal
 * string, never a JS number, so `0.15` means exactly fifteen hundredths. Throws
 * `MoneyError('precision_exceeded')` if the exact product would not fit the amount limits.
 */
export function multiplyMoney(m: Money, factor: string): Money {
  const a = toDecimal(m);
  const f = new MoneyDecimal(toCanonicalAmount(factor, 'factor'));
  // The exact product of numbers with p and q significant digits has at most p + q digits; if
  // that fits the working precision, decimal.js does not round.
  if (a.precision(true) + f.precision(true) > MoneyDecimal.precision) {
    throw new MoneyError(
      'precision_exceeded',
      `Cannot multiply ${m.amount} by ${factor} exactly: too many significant digits.`,
    );
  }
  return fromDecimal(a.times(f), m.currency);
}

/** Orders two amounts of the same currency: -1, 0 or 1. Throws on different currencies. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b, 'compare');
  return compareAmounts(a.amount, b.amount);
}

/** Orders two amount strings numerically (`"10" > "9.5"`): -1, 0 or 1. */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  const order = new MoneyDecimal(toCanonicalAmount(a, 'amount')).comparedTo(
    new MoneyDecimal(toCanonicalAmount(b, 'amount')),
  );
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

/** Whether `m` is zero. */
export function isZeroMoney(m: Money): boolean {
  return toDecimal(m).isZero();
}

/**
 * Rounds `m` to its currency's minor units (2 decimals for CNY, 0 for JPY and KRW).
 *
 * ROUND_HALF_UP (half away from zero: 0.005 → 0.01, -0.005 → -0.01) because it is 四舍五入, the
 * rule on Chinese invoices, bank slips and every calculator the reviewers check figures with;
 * banker's rounding would make the workstation disagree with the paperwork by a fen now and then.
 * Halves away from zero keep rounding symmetric for negative amounts (price decreases).
 */
export function roundMoney(m: Money): Money {
  const { minorUnits } = CURRENCIES[m.currency];
  return fromDecimal(
    toDecimal(m).toDecimalPlaces(minorUnits, MoneyDecimal.ROUND_HALF_UP),
    m.currency,
  );
}

/** Whether `m` has no more decimals than its currency's minor units. */
export function isInMinorUnits(m: Money): boolean {
  return toDecimal(m).decimalPlaces() <= CURRENCIES[m.currency].minorUnits;
}

/**
 * An amount rounded to `minorUnits` decimals (ROUND_HALF_UP, see {@link roundMoney}) and written
 * with thousands separators and exactly `minorUnits` decimals: `"12,800.00"`, `"-1,234"`.
 * Digits are grouped from the decimal string, never through a JS number, so no precision is
 * lost and the output does not depend on the runtime's ICU data.
 */
export function formatAmount(amount: string, minorUnits: number): string {
  const value = new MoneyDecimal(toCanonicalAmount(amount, 'amount')).toDecimalPlaces(
    minorUnits,
    MoneyDecimal.ROUND_HALF_UP,
  );
  const negative = value.isNegative() && !value.isZero();
  const fixed = value.abs().toFixed(minorUnits);
  const [integerPart = '0', fractionPart] = fixed.split('.');
  const grouped = integerPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fractionPart === undefined ? '' : `.${fractionPart}`}`;
}

/**
 * Formats money for people, rounded to the currency's minor units with all of them shown.
 *
 * - `zh-CN`: CNY gets the familiar `¥12,800.00`; every other currency is prefixed with its ISO
 *   code (`USD 1,500.00`, `JPY 300,000`). Only CNY gets a symbol because `¥` is also the yen sign
 *   and `$` is shared by USD, AUD, CAD, NZD, HKD and SGD — a reviewer comparing prices must never
 *   have to guess.
 * - `en`: always the ISO code (`CNY 12,800.00`), the unambiguous convention of international
 *   finance documents.
 *
 * A negative amount puts the sign first: `-¥12.50`, `-USD 12.50`. Both locales group digits by
 * thousands with `,` and use `.` for decimals, as both Chinese and English business writing do.
 */
export function formatMoney(m: Money, locale: Locale): string {
  const digits = formatAmount(m.amount, CURRENCIES[m.currency].minorUnits);
  const negative = digits.startsWith('-');
  const magnitude = negative ? digits.slice(1) : digits;
  const prefix = locale === 'zh-CN' && m.currency === 'CNY' ? '¥' : `${m.currency} `;
  return `${negative ? '-' : ''}${prefix}${magnitude}`;
}

/**
 * Splits `total` into parts proportional to `ratios` (decimal strings such as `"0.2"` or `"1"`,
 * non-negative, not all zero) so that the parts, each in whole minor units, sum exactly to
 * `total`. Largest-remainder method: every part first gets its exact share rounded down to a
 * minor unit; the minor units left over go one each to the parts with the largest discarded
 * remainders, ties to the earlier part (so the result is deterministic and the first-listed
 * party, e.g. the direct referrer, is favoured). Each part is therefore within one minor unit of
 * its exact share. A negative total is split like its magnitude and every part negated.
 *
 * Throws `MoneyError('not_in_minor_units')` when `total` itself has sub-minor-unit digits (it
 * cannot then be split into whole minor units exactly; round it first) and
 * `MoneyError('invalid_ratios')` for an empty, negative or all-zero list.
 */
export function allocateMoney(total: Money, ratios: readonly string[]): Money[] {
  if (!isInMinorUnits(total)) {
    throw new MoneyError(
      'not_in_minor_units',
      `Cannot allocate ${total.amount} ${total.currency}: it has more decimals than the currency's minor units.`,
    );
  }
  const weights = ratios.map((ratio) => new MoneyDecimal(toCanonicalAmount(ratio, 'ratio')));
  if (weights.length === 0 || weights.some((w) => w.isNegative() && !w.isZero())) {
    throw new MoneyError(
      'invalid_ratios',
      'Allocation ratios must be a non-empty list of non-negative amounts.',
    );
  }
  // Scale ratios to integers so every share is an integer division with an exact remainder:
  // no decimal division, so no rounding can misorder remainders or overshoot the total.
  const scale = new MoneyDecimal(10).pow(Math.max(...weights.map((w) => w.decimalPlaces())));
  const integerWeights = weights.map((w) => w.times(scale));
  const weightSum = integerWeights.reduce((sum, w) => sum.plus(w), new MoneyDecimal(0));
  if (weightSum.isZero()) {
    throw new MoneyError('invalid_ratios', 'Allocation ratios must not all be zero.');
  }
  const { minorUnits } = CURRENCIES[total.currency];
  const unitSize = new MoneyDecimal(10).pow(-minorUnits);
  const totalValue = toDecimal(total);
  const units = totalValue.abs().div(unitSize);
  const shares = integerWeights.map((weight, index) => {
    if (units.precision(true) + weight.precision(true) > MoneyDecimal.precision) {
      throw new MoneyError(
        'precision_exceeded',
        `Cannot allocate ${total.amount} by these ratios exactly: too many significant digits.`,
      );
    }
    const numerator = units.times(weight);
    return {
      index,
      units: numerator.divToInt(weightSum),
      remainder: numerator.mod(weightSum),
    };
  });
  const assigned = shares.reduce((sum, share) => sum.plus(share.units), new MoneyDecimal(0));
  // Each floor lost less than one unit, so fewer than `ratios.length` units are left over: a
  // small integer, safe as a JS number (it is a count, not an amount).
  const leftover = units.minus(assigned).toNumber();
  const byRemainder = [...shares].sort(
    (x, y) => y.remainder.comparedTo(x.remainder) || x.index - y.index,
  );
  for (const share of byRemainder.slice(0, leftover)) {
    share.units = share.units.plus(1);
  }
  const sign = totalValue.isNegative() ? -1 : 1;
  return shares.map((share) =>
    fromDecimal(share.units.times(unitSize).times(sign), total.currency),
  );
}

function sameCurrency(a: Money, b: Money, operation: string): CurrencyCode {
  if (a.currency !== b.currency) {
    throw new MoneyError(
      'currency_mismatch',
      `Cannot ${operation} ${a.currency} and ${b.currency}: convert to one currency first (see convertToCny).`,
    );
  }
  return a.currency;
}

function toCanonicalAmount(value: string, what: string): string {
  const parsed = parseAmount(value);
  if (!parsed.ok) {
    throw new MoneyError(
      'invalid_amount',
      `Invalid ${what} ${JSON.stringify(value)}: ${parsed.reason}.`,
    );
  }
  return parsed.amount;
}

function toDecimal(m: Money): Decimal {
  return new MoneyDecimal(toCanonicalAmount(m.amount, 'amount'));
}

function fitsAmountLimits(value: Decimal): boolean {
  // `e` is the exponent of the most significant digit: 12800 has e = 4, i.e. five integer digits.
  const integerDigits = value.isZero() ? 1 : Math.max(value.e + 1, 1);
  return (
    integerDigits <= MAX_AMOUNT_INTEGER_DIGITS &&
    value.decimalPlaces() <= MAX_AMOUNT_FRACTION_DIGITS
  );
}

function fromDecimal(value: Decimal, currency: CurrencyCode): Money {
  if (!fitsAmountLimits(value)) {
    throw new MoneyError(
      'precision_exceeded',
      `Result ${value.toString()} ${currency} exceeds the amount limits (${MAX_AMOUNT_INTEGER_DIGITS} integer digits, ${MAX_AMOUNT_FRACTION_DIGITS} decimals).`,
    );
  }
  return { amount: value.toFixed(), currency };
}
