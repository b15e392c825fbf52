import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Modal,
  Progress,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  REVIEW_REASON_CODES,
  REVIEW_REASON_LABELS,
  type ReviewReasonCode,
} from '#shared/domain/review/reasons';
import type { Locale } from '#shared/i18n/localized';
import { MUTATION_ARGS, type MutationArgs } from '#shared/sync/mutations';
import type { DecisionRecord, ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import type { ItemView } from '#shared/sync/view';
import { formatDeviceTime, formatServerTime } from '../../app/format';
import { routeHref } from '../../app/routing';
import { DecisionChip } from '../queue/DecisionChip';
import { outcomeLabel, stateLabel } from '../labels';
import { findTemplate, templatesFor } from './commentBank';
import { MAX_COMMENT_LENGTH } from './CommentComposer';
import type { CommentView } from './comments';
import { deviceTimeDiffers } from './history';
import { pathLabel } from './fields';

/** The decisions the reviewer can take now; a missing one is not offered. */
export interface DecisionActions {
  readonly claim?: () => void;
  readonly release?: () => void;
  readonly approve?: () => void;
  readonly reject?: () => void;
}

/** Who holds the item, since when and until when, as a sentence. */
export function holderText(
  view: ItemView,
  options: {
    readonly userId: string;
    readonly users: ReadonlyMap<string, UserRecord>;
    readonly locale: Locale;
    readonly serverNow: number;
    readonly t: TFunction;
  },
): string {
  const { item } = view;
  const { t, locale, serverNow, users } = options;
  const time = (iso: string) => formatServerTime(iso, locale, serverNow);
  const nameOf = (id: string) => users.get(id)?.displayName ?? t('itemPage.someone');
  const claim = item.claim;
  if (item.state !== 'pending' && item.state !== 'in_review') {
    return t('itemPage.holder.closed');
  }
  const live = claim !== null && Date.parse(claim.expiresAt) > serverNow;
  const assigned =
    claim?.assignedBy === null || claim?.assignedBy === undefined
      ? ''
      : t('itemPage.holder.assignedBy', { name: nameOf(claim.assignedBy) });
  if (view.heldByMe) {
    return claim?.reviewerId === options.userId && live
      ? t('itemPage.holder.me', { since: time(claim.claimedAt), until: time(claim.expiresAt) }) +
          assigned
      : t('itemPage.holder.mePending');
  }
  if (claim?.reviewerId === options.userId) {
    return t('itemPage.holder.releasePending');
  }
  if (claim !== null && live) {
    return (
      t('itemPage.holder.other', {
        name: nameOf(claim.reviewerId),
        since: time(claim.claimedAt),
        until: time(claim.expiresAt),
      }) + assigned
    );
  }
  if (claim !== null) {
    return t('itemPage.holder.expired', { name: nameOf(claim.reviewerId) });
  }
  return t('itemPage.holder.nobody');
}

/**
 * The decision column of the item page: where the item stands, who holds it, my decision's
 * status (saved → syncing → synced; never shown as final while pending), claim / release /
 * approve / reject, the reviewed progress and my comments so far.
 */
export function DecisionPanel({
  view,
  decision,
  actions,
  holder,
  locale,
  serverNow,
  users,
  drafts,
  carried,
  reviewed,
  totalFields,
  onShowField,
  children,
}: {
  readonly view: ItemView;
  readonly decision: DecisionRecord | undefined;
  readonly actions: DecisionActions;
  readonly holder: string;
  readonly locale: Locale;
  readonly serverNow: number;
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly drafts: readonly CommentView[];
  readonly carried: { readonly changed: number; readonly unchanged: number };
  readonly reviewed: number;
  readonly totalFields: number;
  readonly onShowField: (path: string) => void;
  readonly children?: ReactNode;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const { item } = view;
  const nameOf = (id: string) => users.get(id)?.displayName ?? t('itemPage.someone');
  const anyAction =
    actions.claim !== undefined ||
    actions.release !== undefined ||
    actions.approve !== undefined ||
    actions.reject !== undefined;

  return (
    <section className="rd-panel" aria-labelledby={titleId} data-testid="decision-panel">
      <Stack gap="sm">
        <Title order={3} size="h4" id={titleId}>
          {t('itemPage.decision.title')}
        </Title>
        <Text size="sm">{t('itemPage.decision.state', { state: stateLabel(item.state, t) })}</Text>
        <Text size="sm" data-testid="holder">
          {t('itemPage.decision.holder', { holder })}
        </Text>
        {decision !== undefined && (
          <Text size="sm" data-testid="final-decision">
            {t('itemPage.decision.final', {
              outcome: outcomeLabel(decision.outcome, t, item.kind),
              name: nameOf(decision.reviewerId),
              time: formatServerTime(decision.decidedAt, locale, serverNow),
            })}
            {decision.clientCreatedAt !== null &&
              deviceTimeDiffers({
                serverTime: decision.decidedAt,
                deviceTime: decision.clientCreatedAt,
              }) &&
              ` ${t('itemPage.decision.madeOnDevice', {
                time: formatDeviceTime(decision.clientCreatedAt, locale, serverNow),
              })}`}
          </Text>
        )}
        <DecisionChip state={view.decision} locale={locale} serverNow={serverNow} />
        {anyAction && (
          <Group gap="xs" role="group" aria-label={t('itemPage.decision.actions')}>
            {actions.claim !== undefined && (
              <Button size="sm" variant="light" onClick={actions.claim} aria-keyshortcuts="c">
                {t('itemPage.decision.claim')}
              </Button>
            )}
            {actions.approve !== undefined && (
              <Button size="sm" color="teal.9" onClick={actions.approve} aria-keyshortcuts="a">
                {t('itemPage.decision.approve')}
              </Button>
            )}
            {actions.reject !== undefined && (
              <Button size="sm" color="red.9" onClick={actions.reject} aria-keyshortcuts="r">
                {t('itemPage.decision.reject')}
              </Button>
            )}
            {actions.release !== undefined && (
              <Button size="sm" variant="default" onClick={actions.release}>
                {t('itemPage.decision.release')}
              </Button>
            )}
          </Group>
        )}
        {totalFields > 0 && (
          <Stack gap={4}>
            <Text size="sm" id={`${titleId}-progress`}>
              {t('itemPage.decision.reviewed', { reviewed, total: totalFields })}
            </Text>
            <Progress
              value={(reviewed / totalFields) * 100}
              // Mantine puts the progressbar role on the inner section, which gets aria-label only.
              aria-label={t('itemPage.decision.reviewed', { reviewed, total: totalFields })}
              size="sm"
            />
          </Stack>
        )}
        {(carried.changed > 0 || carried.unchanged > 0) && (
          <Text size="sm" data-testid="carried-summary">
            {t('itemPage.decision.carried', {
              changed: carried.changed,
              unchanged: carried.unchanged,
            })}{' '}
            <Anchor href={routeHref({ name: 'item', itemId: item.id, tab: 'changes' })} size="sm">
              {t('itemPage.decision.seeChanges')}
            </Anchor>
          </Text>
        )}
        <Stack gap={4}>
          <Text size="sm" fw={600}>
            {t('itemPage.decision.drafts', { count: drafts.length })}
          </Text>
          {drafts.length === 0 ? (
            <Text size="xs" c="dimmed">
              {t('itemPage.decision.noDrafts')}
            </Text>
          ) : (
            <ul className="rd-draft-list">
              {drafts.map((comment) => (
                <li key={comment.key}>
                  <button
                    type="button"
                    className="rd-link-button"
                    onClick={() => {
                      onShowField(comment.path);
                    }}
                  >
                    {pathLabel(comment.path, locale)}
                  </button>
                  {' · '}
                  <span className="rd-dimmed">
                    {REVIEW_REASON_LABELS[comment.reasonCode][locale]}
                  </span>
                  <div className="rd-comment-text">{comment.text}</div>
                </li>
              ))}
            </ul>
          )}
        </Stack>
        {children}
        <Text size="xs" c="dimmed">
          {t('itemPage.decision.shortcutHint')}
        </Text>
      </Stack>
    </section>
  );
}

interface RejectCandidate {
  readonly key: string;
  readonly path: string;
  readonly reasonCode: ReviewReasonCode;
  readonly text: string;
  readonly origin: 'mine' | 'other' | 'carried' | 'new';
  readonly carried: CommentView['carried'];
  readonly include: boolean;
}

/**
 * Rejecting: at least one reason and at least one comment anchored to a field. It starts with
 * the comments written on this revision (mine included, other reviewers' and the previous
 * rejection's offered to include), and more can be added, from the comment bank or typed.
 */
export function RejectForm({
  item,
  comments,
  fields,
  initialPath,
  locale,
  onSubmit,
  onClose,
}: {
  readonly item: ReviewItemRecord;
  /** Drafts and carried comments of the item. */
  readonly comments: readonly CommentView[];
  /** Anchor paths of the listing, for the field of a new comment. */
  readonly fields: readonly string[];
  readonly initialPath: string | null;
  readonly locale: Locale;
  readonly onSubmit: (args: MutationArgs<'reject'>) => Promise<boolean>;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation();
  const [candidates, setCandidates] = useState<RejectCandidate[]>(() =>
    comments.map((comment) => ({
      key: comment.key,
      path: comment.path,
      reasonCode: comment.reasonCode,
      text: comment.text,
      origin: comment.carried !== null ? 'carried' : comment.mine ? 'mine' : 'other',
      carried: comment.carried,
      include: comment.carried === null && comment.mine,
    })),
  );
  const [reasons, setReasons] = useState<ReviewReasonCode[]>(() => [
    ...new Set(
      comments
        .filter((comment) => comment.carried === null && comment.mine)
        .map((comment) => comment.reasonCode),
    ),
  ]);
  const [draftPath, setDraftPath] = useState<string | null>(initialPath ?? fields[0] ?? null);
  const [draftReason, setDraftReason] = useState<ReviewReasonCode | null>(null);
  const [draftTemplate, setDraftTemplate] = useState<string | null>(null);
  const [draftText, setDraftText] = useState('');
  const [draftError, setDraftError] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ reasons: boolean; comments: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const fieldOptions = useMemo(
    () => fields.map((path) => ({ value: path, label: pathLabel(path, locale) })),
    [fields, locale],
  );
  const reasonOptions = REVIEW_REASON_CODES.map((code) => ({
    value: code,
    label: REVIEW_REASON_LABELS[code][locale],
  }));
  const templateOptions = useMemo(() => {
    const { suggested, others } = templatesFor(draftPath ?? '');
    const option = (entry: (typeof suggested)[number]) => ({
      value: entry.id,
      label: entry.title[locale],
    });
    return [
      ...(suggested.length > 0
        ? [{ group: t('itemPage.composer.suggested'), items: suggested.map(option) }]
        : []),
      { group: t('itemPage.composer.otherTemplates'), items: others.map(option) },
    ];
  }, [draftPath, locale, t]);

  const included = candidates.filter((candidate) => candidate.include);

  const addDraft = () => {
    const text = draftText.trim();
    if (draftPath === null || draftReason === null || text === '') {
      setDraftError(t('itemPage.reject.newIncomplete'));
      return;
    }
    setCandidates((list) => [
      ...list,
      {
        key: `new-${String(list.length)}-${String(Date.now())}`,
        path: draftPath,
        reasonCode: draftReason,
        text: text.slice(0, MAX_COMMENT_LENGTH),
        origin: 'new',
        carried: null,
        include: true,
      },
    ]);
    setReasons((list) => (list.includes(draftReason) ? list : [...list, draftReason]));
    setDraftText('');
    setDraftTemplate(null);
    setDraftError(null);
    setErrors(null);
  };

  const submit = async () => {
    const found = { reasons: reasons.length === 0, comments: included.length === 0 };
    setErrors(found);
    if (found.reasons || found.comments) {
      return;
    }
    const args = MUTATION_ARGS.reject.safeParse({
      itemId: item.id,
      reasons,
      comments: included.map((candidate) => ({
        path: candidate.path,
        reasonCode: candidate.reasonCode,
        text: candidate.text.trim(),
      })),
    });
    if (!args.success) {
      setErrors({ reasons: false, comments: true });
      return;
    }
    setBusy(true);
    try {
      if (await onSubmit(args.data)) {
        onClose();
      }
    } finally {
      setBusy(false);
    }
  };

  const originLabel = (candidate: RejectCandidate) => {
    switch (candidate.origin) {
      case 'mine':
        return t('itemPage.reject.origin.mine');
      case 'other':
        return t('itemPage.reject.origin.other');
      case 'new':
        return t('itemPage.reject.origin.new');
      case 'carried':
        return t(`itemPage.comment.carried.${candidate.carried ?? 'unknown'}`);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('itemPage.reject.title', { title: item.title })}
      size="xl"
    >
      <Stack gap="md" data-testid="reject-form">
        <Checkbox.Group<ReviewReasonCode>
          label={t('itemPage.reject.reasons')}
          value={reasons}
          onChange={setReasons}
          error={errors?.reasons === true ? t('itemPage.reject.reasonsError') : undefined}
          withAsterisk
        >
          <Group gap="md" mt={6}>
            {reasonOptions.map((option, index) => (
              <Checkbox
                key={option.value}
                value={option.value}
                label={option.label}
                // `r` opens the form on the reasons: Space picks one, Tab moves on.
                data-autofocus={index === 0 ? true : undefined}
              />
            ))}
          </Group>
        </Checkbox.Group>

        <Stack gap="xs">
          <Text size="sm" fw={600}>
            {t('itemPage.reject.comments', { count: included.length })}
          </Text>
          {candidates.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('itemPage.reject.noComments')}
            </Text>
          )}
          {candidates.map((candidate) => (
            <Checkbox
              key={candidate.key}
              checked={candidate.include}
              data-testid="reject-comment"
              onChange={(event) => {
                const include = event.currentTarget.checked;
                setCandidates((list) =>
                  list.map((entry) =>
                    entry.key === candidate.key ? { ...entry, include } : entry,
                  ),
                );
                setErrors(null);
              }}
              label={
                <span>
                  <strong>{pathLabel(candidate.path, locale)}</strong> ·{' '}
                  {REVIEW_REASON_LABELS[candidate.reasonCode][locale]} · {originLabel(candidate)}
                  <span className="rd-comment-text">{candidate.text}</span>
                </span>
              }
            />
          ))}
          {errors?.comments === true && (
            <Text size="sm" c="red.8" role="alert">
              {t('itemPage.reject.commentsError')}
            </Text>
          )}
        </Stack>

        <fieldset className="rd-fieldset">
          <legend>{t('itemPage.reject.addComment')}</legend>
          <Stack gap="xs">
            <Group grow align="flex-start">
              <Select
                label={t('itemPage.reject.field')}
                data={fieldOptions}
                value={draftPath}
                onChange={setDraftPath}
                searchable
                allowDeselect={false}
                comboboxProps={{ withinPortal: false }}
              />
              <Select
                label={t('itemPage.composer.template')}
                placeholder={t('itemPage.composer.templatePlaceholder')}
                data={templateOptions}
                value={draftTemplate}
                searchable
                clearable
                onChange={(value) => {
                  setDraftTemplate(value);
                  const chosen = value === null ? undefined : findTemplate(value);
                  if (chosen !== undefined) {
                    setDraftText(chosen.text[locale]);
                    setDraftReason(chosen.reasonCode);
                  }
                }}
                comboboxProps={{ withinPortal: false }}
              />
              <Select
                label={t('itemPage.composer.reason')}
                placeholder={t('itemPage.composer.reasonPlaceholder')}
                data={reasonOptions}
                value={draftReason}
                allowDeselect={false}
                onChange={(value) => {
                  setDraftReason(
                    value !== null && (REVIEW_REASON_CODES as readonly string[]).includes(value)
                      ? value
                      : null,
                  );
                }}
                comboboxProps={{ withinPortal: false }}
              />
            </Group>
            <Textarea
              label={t('itemPage.composer.text')}
              value={draftText}
              onChange={(event) => {
                setDraftText(event.currentTarget.value);
              }}
              autosize
              minRows={2}
              maxLength={MAX_COMMENT_LENGTH}
              error={draftError ?? undefined}
            />
            <Group justify="flex-end">
              <Button variant="default" size="xs" onClick={addDraft}>
                {t('itemPage.reject.add')}
              </Button>
            </Group>
          </Stack>
        </fieldset>

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('itemPage.cancel')}
          </Button>
          <Button color="red.9" loading={busy} onClick={() => void submit()}>
            {t('itemPage.reject.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Asks before approving while comments are open (mine, or unaddressed from the last round). */
export function ApproveConfirm({
  mine,
  carriedUnchanged,
  onConfirm,
  onClose,
}: {
  readonly mine: number;
  readonly carriedUnchanged: number;
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal opened onClose={onClose} title={t('itemPage.approve.title')}>
      <Stack gap="md" data-testid="approve-confirm">
        <Alert color="yellow">
          {mine > 0 && <div>{t('itemPage.approve.mine', { count: mine })}</div>}
          {carriedUnchanged > 0 && (
            <div>{t('itemPage.approve.carried', { count: carriedUnchanged })}</div>
          )}
        </Alert>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('itemPage.cancel')}
          </Button>
          <Button color="teal.9" onClick={onConfirm} data-autofocus>
            {t('itemPage.approve.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
