import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea, Title } from '@mantine/core';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LISTING_STATE_LABELS, isListingState } from '#shared/domain/listing/lifecycle';
import { ROLE_LABELS } from '#shared/domain/roles';
import type { Locale } from '#shared/i18n/localized';
import type { ListingRecord, UserRecord } from '#shared/sync/rows';

const MAX_REASON = 500;

/**
 * Operations on the item and its listing, offered only where the lifecycle table allows them
 * for the user's role: assign the item to an active reviewer, take the live listing offline
 * with a reason, or force a takedown (which also stops every review of it in flight).
 */
export function OpsPanel({
  listing,
  locale,
  users,
  currentHolderId,
  canAssign,
  canTakedown,
  canForceTakedown,
  pendingOps,
  onAssign,
  onTakedown,
  onForceTakedown,
}: {
  readonly listing: ListingRecord | null;
  readonly locale: Locale;
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly currentHolderId: string | null;
  readonly canAssign: boolean;
  readonly canTakedown: boolean;
  readonly canForceTakedown: boolean;
  /** Ops mutations of mine on this item or listing not yet answered, already described. */
  readonly pendingOps: readonly string[];
  readonly onAssign: (assigneeId: string) => void;
  readonly onTakedown: () => void;
  readonly onForceTakedown: () => void;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const [assignee, setAssignee] = useState<string | null>(null);
  const reviewers = useMemo(
    () =>
      [...users.values()]
        .filter((user) => user.active && (user.role === 'reviewer' || user.role === 'ops_manager'))
        .sort((a, b) => a.displayName.localeCompare(b.displayName, locale))
        .map((user) => ({
          value: user.id,
          label: `${user.displayName} (${ROLE_LABELS[user.role][locale]})${
            user.id === currentHolderId ? ` · ${t('itemPage.ops.holds')}` : ''
          }`,
        })),
    [users, locale, currentHolderId, t],
  );
  if (!canAssign && !canTakedown && !canForceTakedown && pendingOps.length === 0) {
    return null;
  }
  const state = listing?.state;
  return (
    <section className="rd-panel" aria-labelledby={titleId} data-testid="ops-panel">
      <Stack gap="sm">
        <Title order={3} size="h4" id={titleId}>
          {t('itemPage.ops.title')}
        </Title>
        {state !== undefined && (
          <Text size="sm">
            {t('itemPage.ops.listingState', {
              state: isListingState(state) ? LISTING_STATE_LABELS[state][locale] : state,
            })}
            {listing?.offlineReason !== null &&
              listing?.offlineReason !== undefined &&
              ` · ${t('itemPage.ops.offlineReason', { reason: listing.offlineReason })}`}
          </Text>
        )}
        {canAssign && (
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <Select
              label={t('itemPage.ops.assignTo')}
              placeholder={t('itemPage.ops.assignPlaceholder')}
              data={reviewers}
              value={assignee}
              onChange={setAssignee}
              searchable
              nothingFoundMessage={t('itemPage.ops.noReviewers')}
              style={{ flex: 1 }}
              comboboxProps={{ withinPortal: false }}
            />
            <Button
              variant="light"
              disabled={assignee === null}
              onClick={() => {
                if (assignee !== null) {
                  onAssign(assignee);
                  setAssignee(null);
                }
              }}
            >
              {t('itemPage.ops.assign')}
            </Button>
          </Group>
        )}
        {(canTakedown || canForceTakedown) && (
          <Group gap="xs">
            {canTakedown && (
              <Button variant="light" color="orange.9" onClick={onTakedown}>
                {t('itemPage.ops.takedown')}
              </Button>
            )}
            {canForceTakedown && (
              <Button variant="light" color="red.9" onClick={onForceTakedown}>
                {t('itemPage.ops.forceTakedown')}
              </Button>
            )}
          </Group>
        )}
        {pendingOps.map((line) => (
          <Text key={line} size="xs" c="dimmed" data-testid="pending-op">
            {line}
          </Text>
        ))}
      </Stack>
    </section>
  );
}

/** The reason for a takedown (required, kept in the audit trail and shown to the institution). */
export function TakedownForm({
  force,
  listingName,
  onSubmit,
  onClose,
}: {
  readonly force: boolean;
  readonly listingName: string;
  readonly onSubmit: (reason: string) => Promise<boolean>;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const trimmed = reason.trim();
    if (trimmed === '' || trimmed.length > MAX_REASON) {
      setError(true);
      return;
    }
    setBusy(true);
    try {
      if (await onSubmit(trimmed)) {
        onClose();
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={
        force
          ? t('itemPage.ops.forceTitle', { name: listingName })
          : t('itemPage.ops.takedownTitle', { name: listingName })
      }
    >
      <Stack gap="md" data-testid="takedown-form">
        {force && <Alert color="red">{t('itemPage.ops.forceWarning')}</Alert>}
        <Textarea
          label={t('itemPage.ops.reason')}
          description={t('itemPage.ops.reasonHint')}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
          }}
          error={error ? t('itemPage.ops.reasonError') : undefined}
          maxLength={MAX_REASON}
          autosize
          minRows={3}
          withAsterisk
          data-autofocus
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('itemPage.cancel')}
          </Button>
          <Button color={force ? 'red' : 'orange'} loading={busy} onClick={() => void submit()}>
            {force ? t('itemPage.ops.forceConfirm') : t('itemPage.ops.takedownConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
