import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { isRecord, type ProvenanceEntry } from '#shared/domain/listing/document';
import { describeProvenance, provenanceFor } from '#shared/domain/listing/provenance';
import { useLocale } from '../../i18n/useLocale';
import { pathLabel } from './fields';
import { useReview } from './reviewStore';

/*
 * Where a value came from, beside its field (issue 11, OCR pre-fill): "entered by 李梅 from page 3
 * of dossier.pdf" from the document's `provenance` member (shared/domain/listing/provenance.ts).
 * Plain text only: the entries come from the submitted document.
 */

interface Shown {
  readonly pointer: string;
  readonly entry: ProvenanceEntry;
  /** The entry is of a field inside the anchor (a credential's expiry at the credential). */
  readonly inner: boolean;
}

function entriesOf(doc: unknown): readonly (readonly [string, ProvenanceEntry])[] {
  const provenance = isRecord(doc) ? doc['provenance'] : undefined;
  return isRecord(provenance)
    ? Object.entries(provenance as Record<string, ProvenanceEntry>).filter(([, entry]) =>
        isRecord(entry),
      )
    : [];
}

/** Whether pointer `a` is `b` or inside it. */
function within(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`);
}

/** The provenance shown at the anchor `path`: its own (or its enclosing field's), then inner ones. */
export function useFieldProvenance(path: string): readonly Shown[] {
  const doc = useReview((state) => state.doc);
  const anchors = useReview((state) => state.hashes);
  return useMemo(() => {
    if (!isRecord(doc)) {
      return [];
    }
    const own = provenanceFor(doc, path);
    // Inner fields that have an anchor of their own show their provenance there.
    const deeper = [...anchors.keys()].filter((anchor) => anchor.startsWith(`${path}/`));
    const inner = entriesOf(doc)
      .filter(
        ([pointer]) =>
          pointer.startsWith(`${path}/`) && !deeper.some((anchor) => within(pointer, anchor)),
      )
      .map(([pointer, entry]) => ({ pointer, entry, inner: true }));
    return own === undefined ? inner : [{ ...own, inner: false }, ...inner];
  }, [doc, anchors, path]);
}

function ProvenanceList({
  shown,
  label,
}: {
  readonly shown: readonly Shown[];
  readonly label: string;
}) {
  const locale = useLocale();
  return (
    <ul className="rd-findings" aria-label={label}>
      {shown.map(({ pointer, entry, inner }) => (
        <li
          key={pointer}
          className="rd-finding"
          data-testid="field-provenance"
          data-pointer={pointer}
          data-edited={entry.edited === true ? 'true' : 'false'}
        >
          <span className="rd-tag">OCR</span> {inner ? `${pathLabel(pointer, locale)}: ` : ''}
          {describeProvenance(entry)[locale]}
        </li>
      ))}
    </ul>
  );
}

/** Beside one field anchor. */
export function FieldProvenance({ path }: { readonly path: string }) {
  const { t } = useTranslation();
  const shown = useFieldProvenance(path);
  return shown.length === 0 ? null : (
    <ProvenanceList shown={shown} label={t('itemPage.provenance.label')} />
  );
}

/** Provenance of fields the listing view has no anchor for (e.g. the provider's address). */
export function UnanchoredProvenance() {
  const { t } = useTranslation();
  const doc = useReview((state) => state.doc);
  const anchors = useReview((state) => state.hashes);
  const shown = useMemo(
    () =>
      entriesOf(doc)
        .filter(
          ([pointer]) =>
            ![...anchors.keys()].some(
              (anchor) => within(pointer, anchor) || within(anchor, pointer),
            ),
        )
        .map(([pointer, entry]) => ({ pointer, entry, inner: true })),
    [doc, anchors],
  );
  if (shown.length === 0) {
    return null;
  }
  return (
    <div className="rd-leftovers" data-testid="unanchored-provenance">
      <p className="rd-leftovers-title">{t('itemPage.provenance.unanchored')}</p>
      <ProvenanceList shown={shown} label={t('itemPage.provenance.unanchored')} />
    </div>
  );
}
