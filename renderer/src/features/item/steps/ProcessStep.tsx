import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { DURATION_UNIT_LABELS, isRecord } from '#shared/domain/listing/document';
import { fieldLabel } from '#shared/domain/listing/fieldLabels';
import type { Locale } from '#shared/i18n/localized';
import { member, ptr } from '../fields';
import { Anchor, ListBlock } from './common';
import { ItemCard, StepSection } from './StepSection';
import { Invalid, Missing, TextValue } from './values';

function DurationValue({ value, locale }: { readonly value: unknown; readonly locale: Locale }) {
  const { t } = useTranslation();
  if (value === undefined || value === null) {
    return <Missing />;
  }
  const amount = member(value, 'value');
  const unit = member(value, 'unit');
  if (!isRecord(value) || typeof amount !== 'number' || !Number.isFinite(amount)) {
    return <Invalid value={value} />;
  }
  const unitLabel =
    typeof unit === 'string' && Object.hasOwn(DURATION_UNIT_LABELS, unit)
      ? DURATION_UNIT_LABELS[unit as keyof typeof DURATION_UNIT_LABELS][locale]
      : null;
  return unitLabel === null ? (
    <span className="rd-invalid">
      <span className="rd-text">
        {String(amount)} {typeof unit === 'string' ? unit : ''}
      </span>{' '}
      {t('itemPage.value.unknownValue')}
    </span>
  ) : (
    <span className="rd-text">
      {String(amount)} {unitLabel}
    </span>
  );
}

/** Step 4: the service timeline, node by node. */
export const ProcessStep = memo(function ProcessStep({
  value,
  locale,
}: {
  readonly value: unknown;
  readonly locale: Locale;
}) {
  const { t } = useTranslation();
  const step = 'process';
  return (
    <StepSection section={step} value={value} locale={locale}>
      <ListBlock
        step={step}
        stepValue={value}
        listKey="timeline"
        locale={locale}
        renderItem={(item, index) => {
          const name = member(item, 'stageName');
          const label = fieldLabel([step, 'timeline', index])[locale];
          return (
            <ItemCard
              key={index}
              id={`timeline-${String(index)}-title`}
              title={
                typeof name === 'string' && name.trim() !== ''
                  ? t('itemPage.listing.namedItem', { label, name })
                  : label
              }
            >
              <Anchor path={ptr(step, 'timeline', index, 'stageName')} locale={locale}>
                <TextValue value={name} />
              </Anchor>
              <Anchor path={ptr(step, 'timeline', index, 'duration')} locale={locale}>
                <DurationValue value={member(item, 'duration')} locale={locale} />
              </Anchor>
              <Anchor path={ptr(step, 'timeline', index, 'deliverable')} locale={locale}>
                <TextValue value={member(item, 'deliverable')} />
              </Anchor>
              <Anchor path={ptr(step, 'timeline', index, 'acceptanceCriteria')} locale={locale}>
                <TextValue value={member(item, 'acceptanceCriteria')} />
              </Anchor>
            </ItemCard>
          );
        }}
      />
    </StepSection>
  );
});
