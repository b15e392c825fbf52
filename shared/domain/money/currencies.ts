import type { LocalizedText } from '../../i18n/localized';

/**
 * ISO 4217 currencies a listing may be priced in: the destinations of the study-abroad market
 * plus CNY, the standard currency every price is compared in. `minorUnits` is the number of
 * decimals the currency is quoted and rounded to.
 */
export const CURRENCIES = {
  CNY: { minorUnits: 2, name: { 'zh-CN': '人民币', en: 'Chinese yuan' } },
  USD: { minorUnits: 2, name: { 'zh-CN': '美元', en: 'US dollar' } },
  GBP: { minorUnits: 2, name: { 'zh-CN': '英镑', en: 'Pound sterling' } },
  EUR: { minorUnits: 2, name: { 'zh-CN': '欧元', en: 'Euro' } },
  AUD: { minorUnits: 2, name: { 'zh-CN': '澳元', en: 'Australian dollar' } },
  CAD: { minorUnits: 2, name: { 'zh-CN': '加元', en: 'Canadian dollar' } },
  NZD: { minorUnits: 2, name: { 'zh-CN': '新西兰元', en: 'New Zealand dollar' } },
  HKD: { minorUnits: 2, name: { 'zh-CN': '港元', en: 'Hong Kong dollar' } },
  MOP: { minorUnits: 2, name: { 'zh-CN': '澳门元', en: 'Macanese pataca' } },
  SGD: { minorUnits: 2, name: { 'zh-CN': '新加坡元', en: 'Singapore dollar' } },
  JPY: { minorUnits: 0, name: { 'zh-CN': '日元', en: 'Japanese yen' } },
  KRW: { minorUnits: 0, name: { 'zh-CN': '韩元', en: 'South Korean won' } },
  CHF: { minorUnits: 2, name: { 'zh-CN': '瑞士法郎', en: 'Swiss franc' } },
  MYR: { minorUnits: 2, name: { 'zh-CN': '马来西亚林吉特', en: 'Malaysian ringgit' } },
} as const satisfies Record<string, { minorUnits: number; name: LocalizedText }>;

export type CurrencyCode = keyof typeof CURRENCIES;

export const CURRENCY_CODES = Object.keys(CURRENCIES) as readonly CurrencyCode[];

/** The currency every price is normalised to for comparison. */
export const STANDARD_CURRENCY = 'CNY' satisfies CurrencyCode;

export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && Object.hasOwn(CURRENCIES, value);
}

/**
 * A non-negative decimal amount written as a string (`"12800"`, `"12800.50"`), never a binary
 * float: prices are compared and converted exactly.
 */
export const DECIMAL_AMOUNT_PATTERN = /^(0|[1-9]\d{0,14})(\.\d{1,8})?$/;
