import { useContext, useMemo, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { findingToComment, type CredentialFinding } from '#shared/ocr/index';
import { AppStoreContext } from '../../app/store';
import { useLocale } from '../../i18n/useLocale';
import { resolveAnchor } from '../item/fields';
import { useReview, useReviewStore } from '../item/reviewStore';
import { useItemOcr } from './hooks';
import { FindingItem } from './OcrPanel';

const noSubscription = () => () => undefined;

/**
 * At one listing field: the OCR findings of the item's credentials that concern it (a finding
 * sits at its listing path's anchor, or at the nearest ancestor anchor), each one click away
 * from a field comment. Renders nothing outside a signed-in workstation (component tests of the
 * listing view) and when no credential of the item has been read.
 */
export function OcrFieldFindings({ path }: { readonly path: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const appStore = useContext(AppStoreContext);
  const auth = useSyncExternalStore(
    appStore?.subscribe ?? noSubscription,
    () => appStore?.getState().auth,
  );
  const workspace = auth?.kind === 'signed_in' ? auth.workspace : null;
  const itemId = useReview((state) => state.itemId);
  const hashes = useReview((state) => state.hashes);
  const canComment = useReview((state) => state.canComment);
  const comments = useReview((state) => state.comments.get(path));
  const store = useReviewStore();
  const item = useItemOcr(workspace, workspace === null ? null : itemId);
  const anchors = useMemo(() => new Set(hashes.keys()), [hashes]);
  const here = useMemo(() => {
    const found: CredentialFinding[] = [];
    for (const file of item?.files ?? []) {
      for (const finding of file.findings) {
        if (resolveAnchor(finding.listingPath, anchors) === path) {
          found.push(finding);
        }
      }
    }
    return found;
  }, [item, anchors, path]);
  if (here.length === 0) {
    return null;
  }
  return (
    <ul
      className="rd-findings"
      aria-label={t('ocrView.fieldFindings')}
      data-testid="ocr-field-findings"
      style={{ listStyle: 'none', paddingLeft: 0, display: 'grid', gap: 6 }}
    >
      {here.map((finding, index) => (
        <FindingItem
          key={`${finding.code}-${String(index)}`}
          finding={finding}
          showPath={false}
          tag={t('ocrView.fieldTag')}
          commented={
            comments?.some(
              (comment) =>
                comment.text === finding.suggestedComment.text['zh-CN'] ||
                comment.text === finding.suggestedComment.text.en,
            ) === true
          }
          onComment={
            canComment
              ? () => {
                  const comment = findingToComment(finding, locale);
                  return store
                    .getState()
                    .actions.submitComment(comment.path, comment.reasonCode, comment.text);
                }
              : undefined
          }
        />
      ))}
    </ul>
  );
}
