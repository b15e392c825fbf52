import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { REFUND_TEMPLATES } from '#shared/domain/listing/document';
import { fieldLabel } from '#shared/domain/listing/fieldLabels';
import type { Locale } from '#shared/i18n/localized';
import { member, ptr } from '../fields';
import { RichText } from '../RichText';
import { Anchor, ListBlock } from './common';
import { PriceValue } from './PriceValue';
import { ItemCard, StepSection } from './StepSection';
import { Invalid, Missing, NumberValue, TextList, TextValue } from './values';

function RefundTemplateValue({
  value,
  locale,
}: {
  readonly value: unknown;
  readonly locale: Locale;
}) {
  const { t } = useTranslation();
  if (value === undefined || value === null || value === '') {
    return <Missing />;
  }
  if (typeof value !== 'string') {
    return <Invalid value={value} />;
  }
  const template = Object.hasOwn(REFUND_TEMPLATES, value)
    ? REFUND_TEMPLATES[value as keyof typeof REFUND_TEMPLATES]
    : undefined;
  if (template === undefined) {
    return (
      <span className="rd-invalid">
        <span className="rd-text">{value}</span> {t('itemPage.value.unknownValue')}
      </span>
    );
  }
  return (
    <span className="rd-text">
      <strong>{template.title[locale]}</strong>
      <br />
      <span className="rd-dimmed">{template.summary[locale]}</span>
    </span>
  );
}

/** Step 3: the packages with their prices (and CNY equivalents) and the refund policy. */
export const PackagesStep = memo(function PackagesStep({
  value,
  locale,
  onDate,
}: {
  readonly value: unknown;
  readonly locale: Locale;
  readonly onDate: string;
}) {
  const { t } = useTranslation();
  const step = 'packages';
  const refund = member(value, 'refundPolicy');
  return (
    <StepSection section={step} value={value} locale={locale}>
      <ListBlock
        step={step}
        stepValue={value}
        listKey="items"
        locale={locale}
        renderItem={(item, index) => {
          const name = member(item, 'name');
          return (
            <ItemCard
              key={index}
              id={`package-${String(index)}-title`}
              title={
                typeof name === 'string' && name.trim() !== ''
                  ? t('itemPage.listing.namedItem', {
                      label: fieldLabel([step, 'items', index])[locale],
                      name,
                    })
                  : fieldLabel([step, 'items', index])[locale]
              }
            >
              <Anchor path={ptr(step, 'items', index, 'name')} locale={locale}>
                <TextValue value={name} />
              </Anchor>
              <Anchor path={ptr(step, 'items', index, 'price')} locale={locale}>
                <PriceValue value={member(item, 'price')} onDate={onDate} locale={locale} />
              </Anchor>
              <Anchor path={ptr(step, 'items', index, 'serviceItems')} locale={locale}>
                <TextList value={member(item, 'serviceItems')} />
              </Anchor>
              <Anchor path={ptr(step, 'items', index, 'sessions')} locale={locale}>
                <NumberValue value={member(item, 'sessions')} />
              </Anchor>
              <Anchor path={ptr(step, 'items', index, 'seats')} locale={locale}>
                <NumberValue value={member(item, 'seats')} />
              </Anchor>
            </ItemCard>
          );
        }}
      />
      <ItemCard id="refund-policy-title" title={t('itemPage.listing.refundPolicy')}>
        {refund !== undefined && refund !== null && typeof refund !== 'object' && (
          <Invalid value={refund} />
        )}
        <Anchor path={ptr(step, 'refundPolicy', 'templateId')} locale={locale}>
          <RefundTemplateValue value={member(refund, 'templateId')} locale={locale} />
        </Anchor>
        <Anchor path={ptr(step, 'refundPolicy', 'customText')} locale={locale}>
          <RichText html={member(refund, 'customText')} />
        </Anchor>
      </ItemCard>
    </StepSection>
  );
});
