import { useTranslation } from 'react-i18next';
import { isRecord, PRICE_KIND_LABELS } from '#shared/domain/listing/document';
import {
  CURRENCIES,
  DECIMAL_AMOUNT_PATTERN,
  isCurrencyCode,
} from '#shared/domain/money/currencies';
import { formatMoney } from '#shared/domain/money/money';
import { priceInCny, type Price } from '#shared/domain/money/price';
import type { Locale } from '#shared/i18n/localized';
import { Invalid, Missing, preview } from './values';

const isAmount = (value: unknown): value is string =>
  typeof value === 'string' && DECIMAL_AMOUNT_PATTERN.test(value);

/** A well-formed price, or null when the document's price cannot be read as one. */
export function readPrice(value: unknown): Price | null {
  if (!isRecord(value) || !isCurrencyCode(value['currency'])) {
    return null;
  }
  const currency = value['currency'];
  if (value['kind'] === 'fixed' && isAmount(value['amount'])) {
    return { kind: 'fixed', currency, amount: value['amount'] };
  }
  if (value['kind'] === 'range' && isAmount(value['min']) && isAmount(value['max'])) {
    return { kind: 'range', currency, min: value['min'], max: value['max'] };
  }
  return null;
}

function formatPrice(price: Price, locale: Locale): string {
  return price.kind === 'fixed'
    ? formatMoney({ amount: price.amount, currency: price.currency }, locale)
    : `${formatMoney({ amount: price.min, currency: price.currency }, locale)} – ${formatMoney(
        { amount: price.max, currency: price.currency },
        locale,
      )}`;
}

/**
 * A package price as the institution quoted it, with its CNY equivalent at the rate in force
 * on the review day (and which rate that was). A price that cannot be read or converted says so.
 */
export function PriceValue({
  value,
  onDate,
  locale,
}: {
  readonly value: unknown;
  /** The review day (`YYYY-MM-DD`, Shanghai) whose rate converts the price. */
  readonly onDate: string;
  readonly locale: Locale;
}) {
  const { t } = useTranslation();
  if (value === undefined || value === null) {
    return <Missing />;
  }
  const price = readPrice(value);
  if (price === null) {
    return (
      <span className="rd-invalid" data-testid="price-invalid">
        {t('itemPage.price.unreadable')} <code className="rd-raw">{preview(value)}</code>
      </span>
    );
  }
  let original: string;
  try {
    original = formatPrice(price, locale);
  } catch {
    return <Invalid value={value} />;
  }
  const currencyName = CURRENCIES[price.currency].name[locale];
  const kind = PRICE_KIND_LABELS[price.kind][locale];
  if (price.currency === 'CNY') {
    return (
      <span className="rd-price" data-testid="price">
        <span className="rd-price-original">{original}</span>{' '}
        <span className="rd-dimmed">({kind})</span>
      </span>
    );
  }
  const converted = priceInCny(price, onDate);
  return (
    <span className="rd-price" data-testid="price">
      <span className="rd-price-original">{original}</span>{' '}
      <span className="rd-dimmed">
        ({kind} · {currencyName})
      </span>
      <br />
      {converted.ok ? (
        <span className="rd-price-cny" data-testid="price-cny">
          {t('itemPage.price.cny', {
            amount:
              converted.value.kind === 'fixed'
                ? formatMoney(converted.value.amount, locale)
                : `${formatMoney(converted.value.min, locale)} – ${formatMoney(
                    converted.value.max,
                    locale,
                  )}`,
          })}{' '}
          <span className="rd-dimmed">
            {t('itemPage.price.rate', {
              currency: price.currency,
              rate: converted.value.rate,
              date: converted.value.rateDate,
            })}
          </span>
        </span>
      ) : (
        <span className="rd-invalid" data-testid="price-cny-failed">
          {t('itemPage.price.noConversion', { reason: converted.error.message[locale] })}
        </span>
      )}
    </span>
  );
}
