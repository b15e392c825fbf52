import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { isRecord, REQUIREMENT_CATEGORY_LABELS } from '#shared/domain/listing/document';
import type { Locale } from '#shared/i18n/localized';
import { ptr } from '../fields';
import { Anchor, ListBlock } from './common';
import { StepSection } from './StepSection';
import { EnumValue, Invalid, Missing, TextValue } from './values';

function RequirementValue({ value, locale }: { readonly value: unknown; readonly locale: Locale }) {
  const { t } = useTranslation();
  if (value === undefined || value === null) {
    return <Missing />;
  }
  if (!isRecord(value)) {
    return <Invalid value={value} />;
  }
  const required = value['required'];
  return (
    <span className="rd-text">
      <span className="rd-tag">
        <EnumValue value={value['category']} labels={REQUIREMENT_CATEGORY_LABELS} locale={locale} />
      </span>{' '}
      <TextValue value={value['text']} />{' '}
      {typeof required === 'boolean' ? (
        <span className={`rd-tag rd-tag--${required ? 'warn' : 'ok'}`}>
          {required ? t('itemPage.requirements.required') : t('itemPage.requirements.plus')}
        </span>
      ) : (
        <Invalid value={required} />
      )}
    </span>
  );
}

/** Step 5: the admission conditions a student must (or should) meet. */
export const RequirementsStep = memo(function RequirementsStep({
  value,
  locale,
}: {
  readonly value: unknown;
  readonly locale: Locale;
}) {
  const step = 'requirements';
  return (
    <StepSection section={step} value={value} locale={locale}>
      <ListBlock
        step={step}
        stepValue={value}
        listKey="items"
        locale={locale}
        renderItem={(item, index) => (
          <Anchor key={index} path={ptr(step, 'items', index)} locale={locale}>
            <RequirementValue value={item} locale={locale} />
          </Anchor>
        )}
      />
    </StepSection>
  );
});
