import { memo, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { REVIEW_REASON_LABELS } from '#shared/domain/review/reasons';
import type { ValidationIssue } from '#shared/domain/validationIssue';
import { formatDeviceTime, formatServerTime, useNow } from '../../app/format';
import { routeHref } from '../../app/routing';
import { useLocale } from '../../i18n/useLocale';
import { OcrFieldFindings } from '../ocr/OcrFieldFindings';
import { FieldProvenance } from './FieldProvenance';
import { CommentComposer } from './CommentComposer';
import type { CommentView } from './comments';
import { anchorDomId, pathLabel } from './fields';
import { isReviewed } from './reviewedMarks';
import { useReview, useReviewStore } from './reviewStore';

/** Elements whose clicks are their own, not "comment on this field". */
const INTERACTIVE =
  'a, button, input, textarea, select, label, [role="button"], [role="option"], [role="listbox"], [data-composer]';

/**
 * One field of the listing: a focusable anchor (`data-field-path` = its JSON Pointer) showing the
 * value, its validation findings, its comments (carried ones with "field changed/unchanged") and
 * whether the reviewer marked it reviewed. Clicking it (or Enter, or `m`) opens the comment
 * composer under it. Its value, findings, comments and state are linked with
 * `aria-describedby`, so a screen reader reads them when the field gets focus.
 */
export const FieldAnchor = memo(function FieldAnchor({
  path,
  label,
  children,
}: {
  readonly path: string;
  readonly label: string;
  readonly children: ReactNode;
}) {
  const { t } = useTranslation();
  const store = useReviewStore();
  const issues = useReview((state) => state.issues.get(path));
  const comments = useReview((state) => state.comments.get(path));
  const composerOpen = useReview((state) => state.composerPath === path);
  const reviewed = useReview((state) => isReviewed(state.marks.get(path), state.hashes.get(path)));
  const changedSinceMarked = useReview((state) => state.marks.has(path)) && !reviewed;
  const canComment = useReview((state) => state.canComment);
  const canMark = useReview((state) => state.canMark);

  const base = anchorDomId(path);
  const ids = {
    label: `${base}-label`,
    value: `${base}-value`,
    findings: `${base}-findings`,
    comments: `${base}-comments`,
    state: `${base}-state`,
  };
  const hasIssues = issues !== undefined && issues.length > 0;
  const hasComments = comments !== undefined && comments.length > 0;
  const severity = !hasIssues
    ? undefined
    : issues.some((issue) => issue.severity === 'error')
      ? 'error'
      : 'warning';
  const describedBy = [
    ids.value,
    hasIssues ? ids.findings : null,
    hasComments ? ids.comments : null,
    ids.state,
  ]
    .filter((id) => id !== null)
    .join(' ');

  const open = () => {
    if (canComment) {
      store.getState().actions.openComposer(path);
    }
  };
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const target = event.target as Element;
    if (target.closest(INTERACTIVE) !== null) {
      return;
    }
    // Selecting text to copy it is not asking for a comment.
    if ((window.getSelection()?.toString() ?? '') !== '') {
      return;
    }
    open();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Enter' && event.target === event.currentTarget) {
      event.preventDefault();
      open();
    }
  };

  const className = [
    'rd-anchor',
    severity === undefined ? '' : `rd-anchor--${severity}`,
    reviewed ? 'rd-anchor--reviewed' : '',
    composerOpen ? 'rd-anchor--composing' : '',
  ]
    .filter((part) => part !== '')
    .join(' ');

  return (
    // The anchor is a focusable group, not a button: it holds buttons and links of its own.
    <div
      className={className}
      id={base}
      role="group"
      tabIndex={0}
      aria-labelledby={ids.label}
      aria-describedby={describedBy}
      data-testid="field-anchor"
      data-field-path={path}
      data-reviewed={reviewed ? 'true' : 'false'}
      data-severity={severity}
      onClick={onClick}
      onKeyDown={onKeyDown}
    >
      <div className="rd-anchor-head">
        <span className="rd-anchor-label" id={ids.label}>
          {label}
        </span>
        <span className="rd-anchor-state" id={ids.state}>
          {reviewed
            ? t('itemPage.field.reviewed')
            : changedSinceMarked
              ? t('itemPage.field.changedSinceReviewed')
              : t('itemPage.field.notReviewed')}
        </span>
        <span className="rd-anchor-actions">
          {canMark && (
            <button
              type="button"
              className="rd-chip-button"
              aria-pressed={reviewed}
              onClick={() => {
                store.getState().actions.toggleReviewed(path);
              }}
            >
              {reviewed ? t('itemPage.field.unmark') : t('itemPage.field.mark')}
              <span className="rd-sr-only">{t('itemPage.field.forField', { field: label })}</span>
            </button>
          )}
          {canComment && (
            <button
              type="button"
              className="rd-chip-button"
              aria-expanded={composerOpen}
              onClick={() => {
                if (composerOpen) {
                  store.getState().actions.closeComposer();
                } else {
                  open();
                }
              }}
            >
              {t('itemPage.field.comment')}
              <span className="rd-sr-only">{t('itemPage.field.forField', { field: label })}</span>
            </button>
          )}
        </span>
      </div>
      <div className="rd-anchor-value" id={ids.value}>
        {children}
      </div>
      {hasIssues && <Findings id={ids.findings} issues={issues} />}
      <FieldProvenance path={path} />
      <OcrFieldFindings path={path} />
      {hasComments && <Comments id={ids.comments} comments={comments} anchorPath={path} />}
      {composerOpen && (
        <CommentComposer
          path={path}
          label={label}
          onCancel={() => {
            store.getState().actions.closeComposer();
          }}
          onSubmit={(reasonCode, text) =>
            store.getState().actions.submitComment(path, reasonCode, text)
          }
        />
      )}
    </div>
  );
});

/** Validation findings at a field. */
export function Findings({
  id,
  issues,
}: {
  readonly id?: string;
  readonly issues: readonly ValidationIssue[];
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <ul className="rd-findings" id={id} aria-label={t('itemPage.field.findings')}>
      {issues.map((issue, index) => (
        <li
          key={`${issue.code}-${String(index)}`}
          className={`rd-finding rd-finding--${issue.severity}`}
          data-testid="finding"
          data-code={issue.code}
        >
          <span className="rd-finding-severity">
            {issue.severity === 'error' ? t('itemPage.field.error') : t('itemPage.field.warning')}
          </span>{' '}
          {issue.message[locale]}
        </li>
      ))}
    </ul>
  );
}

/** Comments on a field (or, with `anchorPath` different from theirs, near it). */
export function Comments({
  id,
  comments,
  anchorPath,
}: {
  readonly id?: string;
  readonly comments: readonly CommentView[];
  readonly anchorPath: string | null;
}) {
  const { t } = useTranslation();
  return (
    <ul className="rd-comments" id={id} aria-label={t('itemPage.field.comments')}>
      {comments.map((comment) => (
        <CommentItem key={comment.key} comment={comment} anchorPath={anchorPath} />
      ))}
    </ul>
  );
}

function CommentItem({
  comment,
  anchorPath,
}: {
  readonly comment: CommentView;
  readonly anchorPath: string | null;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const now = useNow(60_000);
  const itemId = useReview((state) => state.itemId);
  const author = useReview((state) =>
    comment.authorId === null ? undefined : state.userNames.get(comment.authorId),
  );
  const carried =
    comment.carried === 'changed' || comment.carried === 'unchanged' ? comment.carried : undefined;
  return (
    <li
      className={`rd-comment${comment.carried === null ? '' : ' rd-comment--carried'}`}
      data-testid="comment"
      data-carried={carried}
      data-status={comment.status}
    >
      <div className="rd-comment-meta">
        <span className="rd-tag">{REVIEW_REASON_LABELS[comment.reasonCode][locale]}</span>
        {comment.carried !== null && (
          <span
            className={`rd-tag rd-tag--${comment.carried === 'unchanged' ? 'warn' : 'ok'}`}
            data-testid="carried-badge"
          >
            {t(`itemPage.comment.carried.${comment.carried}`)}
          </span>
        )}
        {comment.withDecision && (
          <span className="rd-tag">{t('itemPage.comment.withDecision')}</span>
        )}
        {anchorPath !== comment.path && (
          <span className="rd-comment-path">{pathLabel(comment.path, locale)}</span>
        )}
        <span className="rd-comment-author">
          {comment.mine ? t('itemPage.comment.me') : (author ?? t('itemPage.someone'))}
        </span>
        <span className="rd-comment-time">
          {comment.status === 'synced'
            ? comment.serverTime === null
              ? t('itemPage.comment.synced')
              : t('itemPage.comment.syncedAt', {
                  time: formatServerTime(comment.serverTime, locale, now),
                })
            : comment.status === 'syncing'
              ? t('itemPage.comment.syncing')
              : t('itemPage.comment.saved', {
                  time:
                    comment.deviceTime === null
                      ? ''
                      : formatDeviceTime(comment.deviceTime, locale, now),
                })}
        </span>
        {comment.carried !== null && (
          <a className="rd-link" href={routeHref({ name: 'item', itemId, tab: 'changes' })}>
            {t('itemPage.comment.seeChanges')}
          </a>
        )}
      </div>
      <p className="rd-comment-text">{comment.text}</p>
    </li>
  );
}
