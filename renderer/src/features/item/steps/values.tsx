import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalizedText, Locale } from '#shared/i18n/localized';

/**
 * How the listing view shows values it read from an untrusted document: text as text (never as
 * HTML), "not filled in" for what is missing or blank, and "cannot be shown" with a short
 * preview for values of the wrong type — the view shows what it can and says what it cannot.
 */

const PREVIEW_LENGTH = 120;

/** A short, plain-text preview of any value. */
export function preview(value: unknown): string {
  let text: string;
  try {
    const json: string | undefined = typeof value === 'string' ? value : JSON.stringify(value);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed string, can be undefined
    text = json ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text;
}

export function Missing() {
  const { t } = useTranslation();
  return <span className="rd-missing">{t('itemPage.value.missing')}</span>;
}

export function Invalid({ value }: { readonly value: unknown }) {
  const { t } = useTranslation();
  return (
    <span className="rd-invalid">
      {t('itemPage.value.invalid')} <code className="rd-raw">{preview(value)}</code>
    </span>
  );
}

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/** Plain text (line breaks kept, long words wrapped). */
export function TextValue({ value }: { readonly value: unknown }) {
  if (isBlank(value)) {
    return <Missing />;
  }
  if (typeof value === 'string') {
    return <span className="rd-text">{value}</span>;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return <span className="rd-text">{String(value)}</span>;
  }
  return <Invalid value={value} />;
}

/** A whole number (sessions, seats, a year), optionally with a unit. */
export function NumberValue({ value, unit }: { readonly value: unknown; readonly unit?: string }) {
  if (isBlank(value)) {
    return <Missing />;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    return (
      <span className="rd-text">
        {String(value)}
        {unit === undefined ? '' : ` ${unit}`}
      </span>
    );
  }
  return <Invalid value={value} />;
}

/** A value of an enumeration, by its label; unknown values are shown as they are, flagged. */
export function EnumValue({
  value,
  labels,
  locale,
}: {
  readonly value: unknown;
  readonly labels: Readonly<Record<string, LocalizedText>>;
  readonly locale: Locale;
}) {
  const { t } = useTranslation();
  if (isBlank(value)) {
    return <Missing />;
  }
  if (typeof value === 'string') {
    if (Object.hasOwn(labels, value)) {
      return <span className="rd-text">{labels[value]?.[locale] ?? value}</span>;
    }
    return (
      <span className="rd-invalid">
        <span className="rd-text">{value}</span> {t('itemPage.value.unknownValue')}
      </span>
    );
  }
  return <Invalid value={value} />;
}

/** A list of enumeration values (stages, intakes) as tags. */
export function EnumList({
  value,
  labels,
  locale,
}: {
  readonly value: unknown;
  readonly labels: Readonly<Record<string, LocalizedText>>;
  readonly locale: Locale;
}) {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    return <Missing />;
  }
  if (!Array.isArray(value)) {
    return <Invalid value={value} />;
  }
  return (
    <span className="rd-tags">
      {(value as unknown[]).map((entry, index) => (
        <span className="rd-tag" key={index}>
          <EnumValue value={entry} labels={labels} locale={locale} />
        </span>
      ))}
    </span>
  );
}

/** A list of plain texts (service items) as bullets. */
export function TextList({ value }: { readonly value: unknown }): ReactNode {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    return <Missing />;
  }
  if (!Array.isArray(value)) {
    return <Invalid value={value} />;
  }
  return (
    <ul className="rd-bullets">
      {(value as unknown[]).map((entry, index) => (
        <li key={index}>
          <TextValue value={entry} />
        </li>
      ))}
    </ul>
  );
}

/** Says how many items of a list are not shown (see `MAX_LIST_ITEMS`). */
export function MoreItems({ total, shown }: { readonly total: number; readonly shown: number }) {
  const { t } = useTranslation();
  if (total <= shown) {
    return null;
  }
  return <p className="rd-invalid">{t('itemPage.value.moreItems', { count: total - shown })}</p>;
}
