import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldLabel } from '#shared/domain/listing/fieldLabels';
import type { Locale } from '#shared/i18n/localized';
import { ANCHOR_FIELDS, member, ptr } from '../fields';
import { Anchor, ListBlock } from './common';
import { ItemCard, StepSection } from './StepSection';
import { Invalid, Missing, NumberValue, TextValue } from './values';

/** What the view knows about a mentor profile (from the mirrored `mentor_profiles`). */
export interface MentorInfo {
  readonly name: string;
  readonly title: string | null;
  readonly verified: boolean;
}

function MentorValue({
  value,
  mentors,
}: {
  readonly value: unknown;
  readonly mentors: ReadonlyMap<string, MentorInfo>;
}) {
  const { t } = useTranslation();
  const mentorId = member(value, 'mentorId');
  if (value === undefined || value === null) {
    return <Missing />;
  }
  if (typeof mentorId !== 'string' || mentorId.trim() === '') {
    return <Invalid value={value} />;
  }
  const profile = mentors.get(mentorId);
  if (profile === undefined) {
    return (
      <span className="rd-invalid">
        <span className="rd-text">{mentorId}</span> {t('itemPage.highlights.mentorUnknown')}
      </span>
    );
  }
  return (
    <span className="rd-text">
      {profile.name}
      {profile.title === null ? '' : ` · ${profile.title}`}{' '}
      <span className={`rd-tag rd-tag--${profile.verified ? 'ok' : 'warn'}`}>
        {profile.verified
          ? t('itemPage.highlights.mentorVerified')
          : t('itemPage.highlights.mentorNotVerified')}
      </span>
    </span>
  );
}

/** Step 2: advantages, mentors and success cases (the whole step is optional). */
export const HighlightsStep = memo(function HighlightsStep({
  value,
  locale,
  mentors,
}: {
  readonly value: unknown;
  readonly locale: Locale;
  readonly mentors: ReadonlyMap<string, MentorInfo>;
}) {
  const step = 'highlights';
  return (
    <StepSection section={step} value={value} locale={locale}>
      <ListBlock
        step={step}
        stepValue={value}
        listKey="advantages"
        locale={locale}
        renderItem={(item, index) => (
          <Anchor key={index} path={ptr(step, 'advantages', index)} locale={locale}>
            <TextValue value={item} />
          </Anchor>
        )}
      />
      <ListBlock
        step={step}
        stepValue={value}
        listKey="mentors"
        locale={locale}
        renderItem={(item, index) => (
          <Anchor key={index} path={ptr(step, 'mentors', index)} locale={locale}>
            <MentorValue value={item} mentors={mentors} />
          </Anchor>
        )}
      />
      <ListBlock
        step={step}
        stepValue={value}
        listKey="successCases"
        locale={locale}
        renderItem={(item, index) => (
          <ItemCard
            key={index}
            id={`case-${String(index)}-title`}
            title={fieldLabel([step, 'successCases', index])[locale]}
          >
            {ANCHOR_FIELDS.successCase.map((field) => (
              <Anchor key={field} path={ptr(step, 'successCases', index, field)} locale={locale}>
                {field === 'year' ? (
                  <NumberValue value={member(item, field)} />
                ) : (
                  <TextValue value={member(item, field)} />
                )}
              </Anchor>
            ))}
          </ItemCard>
        )}
      />
    </StepSection>
  );
});
