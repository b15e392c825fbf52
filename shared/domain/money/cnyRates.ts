import { z } from 'zod';
import type { LocalizedText } from '../../i18n/localized';
import { CURRENCY_CODES, isCurrencyCode, type CurrencyCode } from './currencies';
import {
  MoneyError,
  compareAmounts,
  multiplyMoney,
  parseAmount,
  roundMoney,
  type Money,
} from './money';

/**
 * The dated CNY exchange-rate table the workstation keeps offline, and conversion with it.
 *
 * Conversion failures are returned, not thrown ({@link ConversionResult}): a listing priced in a
 * currency or on a date the table does not cover is a data condition the reviewer has to see at
 * the price field, not a crash. Every function of `price.ts` follows the same convention.
 */

/** Every currency except CNY: the ones a rate is needed for. */
export type ForeignCurrencyCode = Exclude<CurrencyCode, 'CNY'>;

export const FOREIGN_CURRENCY_CODES = CURRENCY_CODES.filter(
  (code): code is ForeignCurrencyCode => code !== 'CNY',
);

/** One dated set of rates: from `effectiveFrom` until the next entry, 1 unit of X = rate CNY. */
export interface CnyRateEntry {
  /** First day (`YYYY-MM-DD`, Beijing business day) these rates apply to. */
  readonly effectiveFrom: string;
  /** Where the figures come from, shown next to every converted price. */
  readonly source: string;
  /** CNY per 1 unit of each currency, as exact decimal strings (`"7.1"`, `"0.0471"`). */
  readonly rates: Readonly<Record<ForeignCurrencyCode, string>>;
}

/** Rate entries in strictly ascending `effectiveFrom` order. */
export type CnyRateTable = readonly CnyRateEntry[];

/**
 * Rates are written with at most 6 integer and 10 fractional digits: enough for KRW (≈ 0.005)
 * and keeps `amount × rate` within the exact-arithmetic limits of `money.ts` for every amount a
 * price may have.
 */
const RATE_PATTERN = /^(0|[1-9]\d{0,5})(\.\d{1,10})?$/;

const rateSchema = z
  .string()
  .regex(RATE_PATTERN, 'a rate is a plain decimal such as "7.1"')
  // zod runs every check even after the regex failed, so this one must not throw on bad syntax.
  .refine((rate) => {
    const parsed = parseAmount(rate);
    return parsed.ok && compareAmounts(parsed.amount, '0') > 0;
  }, 'a rate must be positive')
  // Canonical form ("7.1000" → "7.1") so that a rate is printed and compared the same way
  // everywhere.
  .transform((rate) => {
    const parsed = parseAmount(rate);
    return parsed.ok ? parsed.amount : rate;
  });

const ratesSchema = z.strictObject(
  Object.fromEntries(FOREIGN_CURRENCY_CODES.map((code) => [code, rateSchema])) as Record<
    ForeignCurrencyCode,
    typeof rateSchema
  >,
);

const entrySchema = z.strictObject({
  effectiveFrom: z.string().refine(isIsoDate, 'effectiveFrom must be a real YYYY-MM-DD date'),
  source: z.string().trim().min(1),
  rates: ratesSchema,
});

/**
 * Validates a rate table: at least one entry, real dates in strictly ascending order, every
 * non-CNY currency present (and nothing else), every rate a positive decimal.
 */
export const cnyRateTableSchema = z
  .array(entrySchema)
  .min(1)
  .superRefine((entries, ctx) => {
    entries.forEach((entry, index) => {
      const previous = entries[index - 1];
      if (previous !== undefined && previous.effectiveFrom >= entry.effectiveFrom) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'effectiveFrom'],
          message: `dates must be strictly ascending: ${entry.effectiveFrom} follows ${previous.effectiveFrom}`,
        });
      }
    });
  });

/**
 * Parses and freezes a rate table (throws zod's `ZodError` when it is invalid). Used on the
 * built-in table at module load, so a bad edit fails every test and every start-up at once
 * instead of converting a price wrongly.
 */
export function parseCnyRateTable(input: unknown): CnyRateTable {
  return Object.freeze(
    cnyRateTableSchema
      .parse(input)
      .map((entry) => Object.freeze({ ...entry, rates: Object.freeze(entry.rates) })),
  );
}

/*
 * HOW TO ADD RATES: append a new entry at the END with a later `effectiveFrom`; never edit or
 * remove a past entry. A conversion records the `rateDate` it used, so a price converted on
 * 2026-02-10 must give the same CNY figure next year — that only holds if past entries stay as
 * they were. To correct a wrong figure, append a corrected entry from the day of the correction
 * and say so in its `source`.
 *
 * The figures below are plausible reference values chosen for development and tests (roughly the
 * CFETS central-parity levels of the period). Before real use the ops team should replace them
 * with the official figures from their rate sheet, keeping the same dates or appending.
 */
const BUILT_IN_TABLE: readonly CnyRateEntry[] = [
  {
    effectiveFrom: '2026-01-01',
    source: 'ReviewDesk ops reference rates, 2026 Q1 (illustrative, CFETS central-parity level)',
    rates: {
      USD: '7.1000',
      GBP: '9.0200',
      EUR: '7.8100',
      AUD: '4.6800',
      CAD: '5.1900',
      NZD: '4.2000',
      HKD: '0.9120',
      MOP: '0.8855',
      SGD: '5.4900',
      JPY: '0.047000',
      KRW: '0.005100',
      CHF: '8.3000',
      MYR: '1.6000',
    },
  },
  {
    effectiveFrom: '2026-04-01',
    source: 'ReviewDesk ops reference rates, 2026 Q2 (illustrative, CFETS central-parity level)',
    rates: {
      USD: '7.0850',
      GBP: '9.0600',
      EUR: '7.8400',
      AUD: '4.6500',
      CAD: '5.1700',
      NZD: '4.1800',
      HKD: '0.9100',
      MOP: '0.8835',
      SGD: '5.4700',
      JPY: '0.047200',
      KRW: '0.005080',
      CHF: '8.3200',
      MYR: '1.6050',
    },
  },
  {
    effectiveFrom: '2026-07-01',
    source: 'ReviewDesk ops reference rates, 2026 Q3 (illustrative, CFETS central-parity level)',
    rates: {
      USD: '7.0700',
      GBP: '8.9800',
      EUR: '7.8000',
      AUD: '4.6700',
      CAD: '5.1600',
      NZD: '4.1500',
      HKD: '0.9070',
      MOP: '0.8806',
      SGD: '5.4600',
      JPY: '0.046500',
      KRW: '0.005120',
      CHF: '8.2800',
      MYR: '1.6100',
    },
  },
];

/** The built-in, validated rate table (see "HOW TO ADD RATES" above the entries). */
export const CNY_RATE_TABLE: CnyRateTable = parseCnyRateTable(BUILT_IN_TABLE);

/** Result of a conversion: the value, or a typed error to show to the reviewer. */
export type ConversionResult<T> = ConversionSuccess<T> | ConversionFailure;

export interface ConversionSuccess<T> {
  readonly ok: true;
  readonly value: T;
}

export interface ConversionFailure {
  readonly ok: false;
  readonly error: CnyConversionError;
}

export type CnyConversionErrorCode =
  /** `onDate` is before the first entry of the table (or the table is empty). */
  | 'no_rate_for_date'
  /** The currency is not a known code, or the table has no rate for it. */
  | 'unknown_currency'
  /** The amount is not a decimal, or too long to convert exactly. */
  | 'invalid_amount'
  /** `onDate` is not a real `YYYY-MM-DD` date. */
  | 'invalid_date';

export interface CnyConversionError {
  readonly code: CnyConversionErrorCode;
  readonly message: LocalizedText;
  /** The currency of the money being converted, as given. */
  readonly currency: string;
  readonly onDate: string;
  /** For `no_rate_for_date`: the first date the table covers, when it has any entry. */
  readonly firstRateDate?: string;
}

/** A successful conversion to CNY, with everything needed to explain and reproduce it. */
export interface CnyConversion {
  readonly original: Money;
  /** The exact product `amount × rate`, not rounded: compare and add with this. */
  readonly cny: Money;
  /** `cny` rounded to fen (ROUND_HALF_UP), for display. */
  readonly cnyRounded: Money;
  /** CNY per 1 unit of the original currency; `"1"` for CNY itself. */
  readonly rate: string;
  /** `effectiveFrom` of the entry used; for CNY itself, `onDate`. */
  readonly rateDate: string;
  readonly source: string;
}

/** The `source` reported when CNY is "converted" to itself. */
export const CNY_IDENTITY_SOURCE = 'CNY is the standard currency: no conversion';

/**
 * The entry in force on `onDate`: the one with the latest `effectiveFrom <= onDate`, or
 * `undefined` when `onDate` precedes the whole table. Does not rely on the table's order.
 */
export function findCnyRateEntry(
  onDate: string,
  table: CnyRateTable = CNY_RATE_TABLE,
): CnyRateEntry | undefined {
  let found: CnyRateEntry | undefined;
  for (const entry of table) {
    // ISO dates compare correctly as strings.
    if (
      entry.effectiveFrom <= onDate &&
      (found === undefined || entry.effectiveFrom > found.effectiveFrom)
    ) {
      found = entry;
    }
  }
  return found;
}

/**
 * Converts `money` to CNY with the rate in force on `onDate` (`YYYY-MM-DD`): the latest table
 * entry with `effectiveFrom <= onDate`. The product is exact; `cnyRounded` is for display.
 * CNY converts to itself with rate `"1"` on any valid date.
 */
export function convertToCny(
  money: Money,
  onDate: string,
  table: CnyRateTable = CNY_RATE_TABLE,
): ConversionResult<CnyConversion> {
  const currency: string = money.currency;
  if (!isIsoDate(onDate)) {
    return failure('invalid_date', currency, onDate, {
      'zh-CN': `日期 “${onDate}” 不是有效的 YYYY-MM-DD 日期`,
      en: `“${onDate}” is not a valid YYYY-MM-DD date`,
    });
  }
  if (!isCurrencyCode(currency)) {
    return unknownCurrency(currency, onDate);
  }
  if (currency === 'CNY') {
    return convertWith(money, onDate, { rate: '1', rateDate: onDate, source: CNY_IDENTITY_SOURCE });
  }
  const entry = findCnyRateEntry(onDate, table);
  if (entry === undefined) {
    const firstRateDate = table.reduce<string | undefined>(
      (first, e) => (first === undefined || e.effectiveFrom < first ? e.effectiveFrom : first),
      undefined,
    );
    return noRateForDate(currency, onDate, firstRateDate);
  }
  // A table given by a caller may be partial at run time even though its type says otherwise.
  const rate = Object.hasOwn(entry.rates, currency) ? entry.rates[currency] : undefined;
  if (rate === undefined) {
    return unknownCurrency(currency, onDate);
  }
  return convertWith(money, onDate, { rate, rateDate: entry.effectiveFrom, source: entry.source });
}

/** Whether `value` is a real calendar date written `YYYY-MM-DD` (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

function convertWith(
  money: Money,
  onDate: string,
  { rate, rateDate, source }: Pick<CnyConversion, 'rate' | 'rateDate' | 'source'>,
): ConversionResult<CnyConversion> {
  let cny: Money;
  try {
    cny = { ...multiplyMoney(money, rate), currency: 'CNY' };
  } catch (error) {
    if (error instanceof MoneyError) {
      return failure('invalid_amount', money.currency, onDate, {
        'zh-CN': `金额 “${money.amount}” 无效或位数过多，无法折算为人民币`,
        en: `The amount “${money.amount}” is invalid or too long to convert to CNY`,
      });
    }
    throw error;
  }
  return {
    ok: true,
    value: { original: money, cny, cnyRounded: roundMoney(cny), rate, rateDate, source },
  };
}

function unknownCurrency(currency: string, onDate: string): ConversionFailure {
  return failure('unknown_currency', currency, onDate, {
    'zh-CN': `未知币种 “${currency}”，汇率表中没有它对人民币的汇率`,
    en: `Unknown currency “${currency}”: the rate table has no CNY rate for it`,
  });
}

function noRateForDate(
  currency: string,
  onDate: string,
  firstRateDate: string | undefined,
): ConversionFailure {
  const since =
    firstRateDate === undefined
      ? { 'zh-CN': '汇率表为空', en: 'the rate table is empty' }
      : {
          'zh-CN': `汇率表自 ${firstRateDate} 起`,
          en: `the rate table starts on ${firstRateDate}`,
        };
  const error: CnyConversionError = {
    code: 'no_rate_for_date',
    currency,
    onDate,
    message: {
      'zh-CN': `${onDate} 没有生效的 ${currency} 对人民币汇率（${since['zh-CN']}）`,
      en: `No ${currency} to CNY rate is in effect on ${onDate} (${since.en})`,
    },
    ...(firstRateDate === undefined ? {} : { firstRateDate }),
  };
  return { ok: false, error };
}

function failure(
  code: CnyConversionErrorCode,
  currency: string,
  onDate: string,
  message: LocalizedText,
): ConversionFailure {
  return { ok: false, error: { code, currency, onDate, message } };
}
