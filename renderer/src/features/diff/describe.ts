import { isJsonObject, type JsonValue } from '#shared/diff/patch';
import { COUNTRIES } from '#shared/domain/listing/countries';
import {
  CREDENTIAL_KIND_LABELS,
  CREDENTIAL_MIME_TYPE_LABELS,
  DURATION_UNIT_LABELS,
  INTAKE_LABELS,
  PRICE_KIND_LABELS,
  PROVIDER_KIND_LABELS,
  REFUND_TEMPLATES,
  REQUIREMENT_CATEGORY_LABELS,
  STAGE_LABELS,
} from '#shared/domain/listing/document';
import { fieldLabel } from '#shared/domain/listing/fieldLabels';
import { richTextToPlainText } from '#shared/domain/listing/richText';
import { isCurrencyCode } from '#shared/domain/money/currencies';
import { formatMoney, money, type Money } from '#shared/domain/money/money';
import type { PathSegment } from '#shared/domain/validationIssue';
import type { Locale, LocalizedText } from '#shared/i18n/localized';

/**
 * Listing values as a reviewer reads them: codes by their labels (GB → 英国, `master` → 硕士),
 * prices as money, rich text as its visible text, list items as "name: value" lines. Pure.
 */

type Labels = Readonly<Record<string, LocalizedText>>;

const pattern = (path: readonly PathSegment[]) =>
  path.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('.');

const COUNTRY_LABELS: Labels = Object.fromEntries(
  Object.entries(COUNTRIES).map(([code, info]) => [code, info.name]),
);

const REFUND_LABELS: Labels = Object.fromEntries(
  Object.entries(REFUND_TEMPLATES).map(([id, template]) => [id, template.title]),
);

/** Code lists by the pattern of their path (`*` for list positions). */
const CODE_LABELS: Readonly<Record<string, Labels>> = {
  'provider.kind': PROVIDER_KIND_LABELS,
  'basic.country': COUNTRY_LABELS,
  'basic.stages': STAGE_LABELS,
  'basic.stages.*': STAGE_LABELS,
  'basic.intakes': INTAKE_LABELS,
  'basic.intakes.*': INTAKE_LABELS,
  'packages.items.*.price.kind': PRICE_KIND_LABELS,
  'packages.refundPolicy.templateId': REFUND_LABELS,
  'process.timeline.*.duration.unit': DURATION_UNIT_LABELS,
  'requirements.items.*.category': REQUIREMENT_CATEGORY_LABELS,
  'credentials.files.*.kind': CREDENTIAL_KIND_LABELS,
  'credentials.files.*.mimeType': CREDENTIAL_MIME_TYPE_LABELS,
};

const RICH_TEXT = new Set(['basic.introduction', 'packages.refundPolicy.customText']);

const WORDS = {
  yes: { 'zh-CN': '是', en: 'Yes' },
  no: { 'zh-CN': '否', en: 'No' },
  empty: { 'zh-CN': '（空）', en: '(empty)' },
  longTerm: { 'zh-CN': '长期', en: 'No expiry' },
} as const;

/** The label of a tag or code at `path` (a tag list's members are at `path.*`). */
export function codeLabel(path: readonly PathSegment[], value: string, locale: Locale): string {
  const labels = CODE_LABELS[pattern(path)];
  return labels !== undefined && Object.hasOwn(labels, value)
    ? (labels[value]?.[locale] ?? value)
    : value;
}

/** Money from a listing amount, or null when the amount or currency is not valid. */
function moneyOf(amount: unknown, currency: unknown): Money | null {
  if (typeof amount !== 'string' || !isCurrencyCode(currency)) {
    return null;
  }
  try {
    return money(amount, currency);
  } catch {
    return null;
  }
}

/** A price object (`{kind, currency, amount}` / `{kind, currency, min, max}`) for people. */
export function formatPrice(value: JsonValue, locale: Locale): string | null {
  if (!isJsonObject(value)) {
    return null;
  }
  const currency = value['currency'];
  if (value['kind'] === 'fixed') {
    const amount = moneyOf(value['amount'], currency);
    return amount === null ? null : formatMoney(amount, locale);
  }
  if (value['kind'] === 'range') {
    const min = moneyOf(value['min'], currency);
    const max = moneyOf(value['max'], currency);
    return min === null || max === null
      ? null
      : `${formatMoney(min, locale)} – ${formatMoney(max, locale)}`;
  }
  return null;
}

/** The last piece of a field label ("第 1 个套餐 › 名称" → "名称"). */
export function leafLabel(path: readonly PathSegment[], locale: Locale): string {
  const label = fieldLabel(path)[locale];
  const separator = label.lastIndexOf(' › ');
  return separator < 0 ? label : label.slice(separator + 3);
}

const MAX_MEMBERS = 12;

/** A value at `path` as one line of text for a reviewer. */
export function describeValue(
  value: JsonValue | undefined,
  path: readonly PathSegment[],
  locale: Locale,
): string {
  if (value === undefined || value === '') {
    return WORDS.empty[locale];
  }
  const at = pattern(path);
  if (value === null) {
    return at === 'credentials.files.*.validUntil' ? WORDS.longTerm[locale] : WORDS.empty[locale];
  }
  if (typeof value === 'boolean') {
    return value ? WORDS.yes[locale] : WORDS.no[locale];
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value === 'string') {
    return RICH_TEXT.has(at) ? richTextToPlainText(value) : codeLabel(path, value, locale);
  }
  const separator = locale === 'zh-CN' ? '、' : ', ';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return WORDS.empty[locale];
    }
    return value
      .map((item, index) => describeValue(item, [...path, index], locale))
      .join(isJsonObject(value[0] ?? null) ? ' | ' : separator);
  }
  if (at.endsWith('.price')) {
    const price = formatPrice(value, locale);
    if (price !== null) {
      return price;
    }
  }
  if (at.endsWith('.duration')) {
    const amount = value['value'];
    const unit = value['unit'];
    if (typeof amount === 'number' && typeof unit === 'string') {
      const unitLabel = codeLabel([...path, 'unit'], unit, locale);
      return `${String(amount)} ${unitLabel}`;
    }
  }
  const members = Object.entries(value).filter(([key]) => key !== 'id');
  const shown = members
    .slice(0, MAX_MEMBERS)
    .map(
      ([key, member]) =>
        `${leafLabel([...path, key], locale)}${locale === 'zh-CN' ? '：' : ': '}${describeValue(member, [...path, key], locale)}`,
    );
  if (members.length > MAX_MEMBERS) {
    shown.push('…');
  }
  return shown.join(locale === 'zh-CN' ? '；' : '; ');
}

/** `+¥1,280.00` / `-USD 12.50`: a signed amount of money (zero has no sign). */
export function signedMoney(amount: Money, locale: Locale): string {
  const text = formatMoney(amount, locale);
  const zero = /^[-+]?0*(\.0*)?$/.test(amount.amount);
  return text.startsWith('-') || zero ? text : `+${text}`;
}

/** `+12.50%` / `-3.00%`. */
export function signedPercent(percent: string): string {
  return percent.startsWith('-') || /^0(\.0+)?$/.test(percent) ? `${percent}%` : `+${percent}%`;
}
