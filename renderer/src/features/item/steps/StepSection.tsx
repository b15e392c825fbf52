import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isRecord } from '#shared/domain/listing/document';
import { STEP_LABELS } from '#shared/domain/listing/fieldLabels';
import type { Locale } from '#shared/i18n/localized';
import { Comments, Findings } from '../FieldAnchor';
import { isListingStep, SECTIONS, type Section } from '../fields';
import { useReview } from '../reviewStore';

export const sectionDomId = (section: Section) => `step-${section}`;
export const sectionTitleId = (section: Section) => `step-${section}-title`;

export function sectionTitle(section: Section, locale: Locale, t: TFunction): string {
  if (!isListingStep(section)) {
    return t('itemPage.listing.provider');
  }
  return `${String(SECTIONS.indexOf(section))}. ${STEP_LABELS[section][locale]}`;
}

/**
 * One step of the listing (or the provider block): a region with its heading, a note when the
 * step is missing or malformed, the findings and comments no field of it takes, and its fields.
 */
export function StepSection({
  section,
  value,
  locale,
  children,
}: {
  readonly section: Section;
  /** The step's value in the document, to say when it is missing or not an object. */
  readonly value: unknown;
  readonly locale: Locale;
  readonly children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section
      className="rd-step"
      id={sectionDomId(section)}
      aria-labelledby={sectionTitleId(section)}
      data-testid="listing-step"
      data-step={section}
    >
      <h3 className="rd-step-title" id={sectionTitleId(section)} tabIndex={-1}>
        {sectionTitle(section, locale, t)}
      </h3>
      {value === undefined || value === null ? (
        <p className="rd-missing" data-testid="step-missing">
          {t('itemPage.listing.stepMissing')}
        </p>
      ) : (
        !isRecord(value) && (
          <p className="rd-invalid" data-testid="step-invalid">
            {t('itemPage.listing.stepInvalid')}
          </p>
        )
      )}
      <Leftovers section={section} />
      {children}
    </section>
  );
}

/** Findings and comments of a section (or, with `null`, of the document) that no field takes. */
export function Leftovers({ section }: { readonly section: Section | null }) {
  const { t } = useTranslation();
  const leftovers = useReview((state) => state.leftovers.get(section));
  if (
    leftovers === undefined ||
    (leftovers.issues.length === 0 && leftovers.comments.length === 0)
  ) {
    return null;
  }
  return (
    <div className="rd-leftovers" data-testid="leftovers" data-section={section ?? 'document'}>
      <p className="rd-leftovers-title">
        {section === null ? t('itemPage.listing.documentNotes') : t('itemPage.listing.stepNotes')}
      </p>
      {leftovers.issues.length > 0 && <Findings issues={leftovers.issues} />}
      {leftovers.comments.length > 0 && (
        <Comments comments={leftovers.comments} anchorPath={null} />
      )}
    </div>
  );
}

/** A card for one item of a list (a package, a success case, a timeline node). */
export function ItemCard({
  id,
  title,
  children,
}: {
  readonly id: string;
  readonly title: ReactNode;
  readonly children: ReactNode;
}) {
  return (
    <div className="rd-card" role="group" aria-labelledby={id}>
      <h4 className="rd-card-title" id={id}>
        {title}
      </h4>
      {children}
    </div>
  );
}
