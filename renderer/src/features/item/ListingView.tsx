import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isRecord } from '#shared/domain/listing/document';
import type { Locale } from '#shared/i18n/localized';
import { member, SECTIONS, sectionOf, type Section } from './fields';
import { UnanchoredProvenance } from './FieldProvenance';
import { isReviewed } from './reviewedMarks';
import { ReviewStoreContext, useReview, type ReviewStore } from './reviewStore';
import { BasicStep, ProviderSection } from './steps/BasicStep';
import { CredentialsStep } from './steps/CredentialsStep';
import { HighlightsStep, type MentorInfo } from './steps/HighlightsStep';
import { PackagesStep } from './steps/PackagesStep';
import { ProcessStep } from './steps/ProcessStep';
import { RequirementsStep } from './steps/RequirementsStep';
import { RiskStep } from './steps/RiskStep';
import { Leftovers, sectionDomId, sectionTitle, sectionTitleId } from './steps/StepSection';

/**
 * The whole listing of a revision, read-only: the provider and the seven steps, every field an
 * anchor for comments, findings and reviewed marks (see `FieldAnchor`). The document comes from
 * an institution and may be incomplete or malformed in any way; the view shows what it can and
 * says what it cannot.
 */
export function ListingView({
  store,
  doc,
  locale,
  onDate,
  mentors,
  itemId,
}: {
  readonly store: ReviewStore;
  readonly doc: unknown;
  readonly locale: Locale;
  /** The review day (Shanghai), for exchange rates. */
  readonly onDate: string;
  readonly mentors: ReadonlyMap<string, MentorInfo>;
  readonly itemId: string;
}) {
  const { t } = useTranslation();
  if (!isRecord(doc)) {
    return (
      <div data-testid="listing-view" className="rd-listing">
        <Alert color="orange" role="alert" title={t('itemPage.listing.unreadableTitle')}>
          {doc === undefined || doc === null
            ? t('itemPage.listing.noDocument')
            : t('itemPage.listing.unreadable')}
        </Alert>
      </div>
    );
  }
  return (
    <ReviewStoreContext.Provider value={store}>
      <div data-testid="listing-view" className="rd-listing">
        <StepNav locale={locale} />
        <Leftovers section={null} />
        <UnanchoredProvenance />
        <ProviderSection value={member(doc, 'provider')} locale={locale} />
        <BasicStep value={member(doc, 'basic')} locale={locale} />
        <HighlightsStep value={member(doc, 'highlights')} locale={locale} mentors={mentors} />
        <PackagesStep value={member(doc, 'packages')} locale={locale} onDate={onDate} />
        <ProcessStep value={member(doc, 'process')} locale={locale} />
        <RequirementsStep value={member(doc, 'requirements')} locale={locale} />
        <RiskStep value={member(doc, 'risk')} locale={locale} />
        <CredentialsStep value={member(doc, 'credentials')} locale={locale} itemId={itemId} />
      </div>
    </ReviewStoreContext.Provider>
  );
}

interface SectionStats {
  readonly fields: number;
  readonly reviewed: number;
  readonly errors: number;
  readonly warnings: number;
}

/** Jump links to the steps, each with its reviewed count and findings. */
function StepNav({ locale }: { readonly locale: Locale }) {
  const { t } = useTranslation();
  const stats = useReview((state) => state.hashes);
  const marks = useReview((state) => state.marks);
  const issues = useReview((state) => state.issues);
  const bySection = new Map<Section, SectionStats>();
  for (const [path, hash] of stats) {
    const section = sectionOf(path);
    if (section === null) {
      continue;
    }
    const found = issues.get(path) ?? [];
    const before = bySection.get(section) ?? { fields: 0, reviewed: 0, errors: 0, warnings: 0 };
    bySection.set(section, {
      fields: before.fields + 1,
      reviewed: before.reviewed + (isReviewed(marks.get(path), hash) ? 1 : 0),
      errors: before.errors + found.filter((issue) => issue.severity === 'error').length,
      warnings: before.warnings + found.filter((issue) => issue.severity === 'warning').length,
    });
  }
  return (
    <nav className="rd-step-nav" aria-label={t('itemPage.listing.stepsNav')}>
      <ul>
        {SECTIONS.map((section) => {
          const entry = bySection.get(section);
          return (
            <li key={section}>
              <button
                type="button"
                className="rd-step-nav-button"
                aria-describedby={`${sectionDomId(section)}-nav-stats`}
                onClick={() => {
                  const heading = document.getElementById(sectionTitleId(section));
                  heading?.focus();
                  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent in jsdom
                  heading?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
                }}
              >
                {sectionTitle(section, locale, t)}
              </button>
              <span className="rd-step-nav-stats" id={`${sectionDomId(section)}-nav-stats`}>
                {t('itemPage.listing.reviewedCount', {
                  reviewed: entry?.reviewed ?? 0,
                  total: entry?.fields ?? 0,
                })}
                {(entry?.errors ?? 0) > 0 &&
                  ` · ${t('itemPage.listing.errorCount', { count: entry?.errors ?? 0 })}`}
                {(entry?.warnings ?? 0) > 0 &&
                  ` · ${t('itemPage.listing.warningCount', { count: entry?.warnings ?? 0 })}`}
              </span>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
