import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '#shared/i18n/localized';
import { formatServerTime } from '../../../app/format';
import { member, ptr } from '../fields';
import { Anchor } from './common';
import { StepSection } from './StepSection';
import { Invalid, TextValue } from './values';

function ConfirmationValue({
  confirmed,
  confirmedAt,
  locale,
}: {
  readonly confirmed: unknown;
  readonly confirmedAt: unknown;
  readonly locale: Locale;
}) {
  const { t } = useTranslation();
  if (confirmed === true) {
    return (
      <span className="rd-tag rd-tag--ok" data-testid="risk-confirmed">
        {typeof confirmedAt === 'string' && Number.isFinite(Date.parse(confirmedAt))
          ? t('itemPage.risk.confirmedAt', { time: formatServerTime(confirmedAt, locale) })
          : t('itemPage.risk.confirmed')}
      </span>
    );
  }
  if (confirmed === false || confirmed === undefined || confirmed === null) {
    return (
      <span className="rd-tag rd-tag--error" data-testid="risk-not-confirmed">
        {t('itemPage.risk.notConfirmed')}
      </span>
    );
  }
  return <Invalid value={confirmed} />;
}

/** Step 6: the risk disclosure, the after-sales policy and the submitter's confirmation. */
export const RiskStep = memo(function RiskStep({
  value,
  locale,
}: {
  readonly value: unknown;
  readonly locale: Locale;
}) {
  const step = 'risk';
  return (
    <StepSection section={step} value={value} locale={locale}>
      <Anchor path={ptr(step, 'disclosure')} locale={locale}>
        <TextValue value={member(value, 'disclosure')} />
      </Anchor>
      <Anchor path={ptr(step, 'afterSalesPolicy')} locale={locale}>
        <TextValue value={member(value, 'afterSalesPolicy')} />
      </Anchor>
      <Anchor path={ptr(step, 'confirmed')} locale={locale}>
        <ConfirmationValue
          confirmed={member(value, 'confirmed')}
          confirmedAt={member(value, 'confirmedAt')}
          locale={locale}
        />
      </Anchor>
    </StepSection>
  );
});
