import { memo } from 'react';
import { COUNTRIES } from '#shared/domain/listing/countries';
import { INTAKE_LABELS, PROVIDER_KIND_LABELS, STAGE_LABELS } from '#shared/domain/listing/document';
import type { Locale, LocalizedText } from '#shared/i18n/localized';
import { member, ptr } from '../fields';
import { RichText } from '../RichText';
import { Anchor } from './common';
import { StepSection } from './StepSection';
import { EnumList, EnumValue, TextValue } from './values';

const COUNTRY_LABELS: Readonly<Record<string, LocalizedText>> = Object.fromEntries(
  Object.entries(COUNTRIES).map(([code, info]) => [code, info.name]),
);

/** Who offers the listing (set by the system from the submitting team). */
export const ProviderSection = memo(function ProviderSection({
  value,
  locale,
}: {
  readonly value: unknown;
  readonly locale: Locale;
}) {
  return (
    <StepSection section="provider" value={value} locale={locale}>
      <Anchor path={ptr('provider', 'kind')} locale={locale}>
        <EnumValue value={member(value, 'kind')} labels={PROVIDER_KIND_LABELS} locale={locale} />
      </Anchor>
      <Anchor path={ptr('provider', 'name')} locale={locale}>
        <TextValue value={member(value, 'name')} />
      </Anchor>
    </StepSection>
  );
});

/** Step 1: name, destination, stages, intakes and the rich-text introduction. */
export const BasicStep = memo(function BasicStep({
  value,
  locale,
}: {
  readonly value: unknown;
  readonly locale: Locale;
}) {
  return (
    <StepSection section="basic" value={value} locale={locale}>
      <Anchor path={ptr('basic', 'name')} locale={locale}>
        <TextValue value={member(value, 'name')} />
      </Anchor>
      <Anchor path={ptr('basic', 'country')} locale={locale}>
        <EnumValue value={member(value, 'country')} labels={COUNTRY_LABELS} locale={locale} />
      </Anchor>
      <Anchor path={ptr('basic', 'stages')} locale={locale}>
        <EnumList value={member(value, 'stages')} labels={STAGE_LABELS} locale={locale} />
      </Anchor>
      <Anchor path={ptr('basic', 'intakes')} locale={locale}>
        <EnumList value={member(value, 'intakes')} labels={INTAKE_LABELS} locale={locale} />
      </Anchor>
      <Anchor path={ptr('basic', 'introduction')} locale={locale}>
        <RichText html={member(value, 'introduction')} />
      </Anchor>
    </StepSection>
  );
});
