import type { TFunction } from 'i18next';
import {
  Badge,
  Button,
  Card,
  Center,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { createElement, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '#shared/i18n/localized';
import { MUTATION_ARGS } from '#shared/sync/mutations';
import { resultMessage } from '#shared/sync/resultMessages';
import type { ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { DECIDING_MUTATIONS, mutationItemId } from '#shared/sync/view';
import { formatDeviceTime, formatServerTime, humanizeTimes, useNow } from '../../app/format';
import { navigate } from '../../app/routing';
import { useAppStore } from '../../app/store';
import type { ResultRow } from '../../db/database';
import { useLocale } from '../../i18n/useLocale';
import type { Workspace } from '../../workspace/workspace';
import { kindLabel, outcomeLabel, stateLabel } from '../labels';
import { useSyncStatus } from '../status/hooks';
import { useUsers } from '../queue/useQueue';
import { findConflictView } from '../../kinds/registry';
import { describeMutation } from './describe';

const MAX_COMMENT = 2000;
/** Codes whose card offers "add my decision as a comment" (RSP/1 §2.6). */
const COMMENT_CODES = new Set(['CLAIM_LOST', 'ALREADY_DECIDED']);
/** Codes whose card offers exporting the decision (it cannot be applied by acting here). */
const EXPORT_CODES = new Set(['FORBIDDEN', 'UNSUPPORTED', 'INTERNAL']);

const text = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

interface Inbox {
  readonly rows: readonly ResultRow[];
  readonly items: ReadonlyMap<string, ReviewItemRecord>;
  /** Revision numbers of the newer revisions STALE_BASE results point at. */
  readonly revisions: ReadonlyMap<string, number>;
}

/**
 * The conflicts inbox: every decision the server did not apply as made (conflict or rejected),
 * newest first, until the user dismisses it. Each card puts mine beside theirs and offers the
 * actions RSP/1 §2.6 names for its code.
 */
export function ConflictsPage({ workspace }: { readonly workspace: Workspace }) {
  const { t } = useTranslation();
  const { db } = workspace;
  const inbox = useLiveQuery(async (): Promise<Inbox> => {
    const rows = (
      await db.results
        .where('dismissed')
        .equals(0)
        .filter((row) => row.status === 'conflict' || row.status === 'rejected')
        .toArray()
    ).sort((a, b) => b.seq - a.seq);
    const ids = [...new Set(rows.flatMap((row) => mutationItemId(row.args) ?? []))];
    const found = await db.mirror('review_items').bulkGet(ids);
    const items = new Map<string, ReviewItemRecord>();
    for (const row of found) {
      if (row !== undefined) {
        items.set(row.id, row as unknown as ReviewItemRecord);
      }
    }
    const revisionIds = rows.flatMap((row) => {
      const id = row.code === 'STALE_BASE' ? text(row.details['currentRevisionId']) : null;
      return id === null ? [] : [id];
    });
    const revisions = new Map<string, number>();
    for (const revision of await db.mirror('listing_revisions').bulkGet(revisionIds)) {
      if (typeof revision?.['number'] === 'number') {
        revisions.set(revision.id, revision['number']);
      }
    }
    return { rows, items, revisions };
  }, [db]);

  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('conflicts.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('conflicts.intro')}
      </Text>
      {inbox === undefined ? (
        <Center p="xl">
          <Loader aria-label={t('conflicts.title')} />
        </Center>
      ) : inbox.rows.length === 0 ? (
        <Text data-testid="conflicts-empty">{t('conflicts.empty')}</Text>
      ) : (
        inbox.rows.map((row) => {
          const itemId = mutationItemId(row.args);
          return (
            <ConflictCard
              key={row.seq}
              row={row}
              item={itemId === null ? undefined : inbox.items.get(itemId)}
              revisions={inbox.revisions}
              workspace={workspace}
            />
          );
        })
      )}
    </Stack>
  );
}

function theirs(
  row: ResultRow,
  t: TFunction,
  locale: Locale,
  now: number,
  users: ReadonlyMap<string, UserRecord>,
  revisions: ReadonlyMap<string, number>,
): string {
  const details = row.details;
  /** The server's display name, with the login name when this device knows the user. */
  const person = (id: unknown, name: unknown): string => {
    const shown: string = text(name) ?? t('queue.someone');
    const username = typeof id === 'string' ? users.get(id)?.username : undefined;
    return username === undefined || username === shown
      ? shown
      : t('conflicts.person', { name: shown, username });
  };
  const time = (value: unknown) => {
    const iso = text(value);
    return iso === null ? '?' : formatServerTime(iso, locale, now);
  };
  switch (row.code) {
    case 'ALREADY_DECIDED': {
      const decision = details['decision'];
      if (typeof decision === 'object' && decision !== null) {
        const record = decision as Record<string, unknown>;
        // Computed first: nested t() calls in the options exceed TypeScript's instantiation depth.
        const outcome: string = outcomeLabel(
          text(record['outcome']) ?? '?',
          t,
          row.name === 'gradeHomework' ? 'homework' : undefined,
        );
        const name = person(record['reviewerId'], record['reviewerName']);
        return t('conflicts.theirsDecided', { outcome, name, time: time(record['decidedAt']) });
      }
      const homeworkState = text(details['homeworkState']);
      return homeworkState === null
        ? t('conflicts.theirsDecidedUnknown')
        : t('conflicts.theirsHomeworkState', { state: homeworkState });
    }
    case 'CLAIMED_BY_OTHER':
    case 'CLAIM_LOST': {
      return text(details['holderName']) === null
        ? t('conflicts.theirsHeldUnknown')
        : t('conflicts.theirsHeld', {
            name: person(details['holderId'], details['holderName']),
            time: time(details['expiresAt']),
          });
    }
    case 'STALE_BASE': {
      const id = text(details['currentRevisionId']);
      const number = id === null ? undefined : revisions.get(id);
      const revision: string =
        number === undefined ? (id?.slice(0, 8) ?? '?') : t('conflicts.revisionNumber', { number });
      return t('conflicts.theirsNewer', { revision });
    }
    case 'WITHDRAWN':
      return t('conflicts.theirsWithdrawn', {
        state: stateLabel(text(details['itemState']) ?? 'withdrawn', t),
        time: time(details['at']),
      });
    case 'RUBRIC_CHANGED': {
      const revision = details['currentRevision'];
      return typeof revision === 'number'
        ? t('conflicts.theirsRubric', { revision })
        : t('conflicts.theirsRubricUnknown');
    }
    case 'POOL_NOT_OPEN': {
      const day = text(details['reviewDay']);
      return day === null
        ? t('conflicts.theirsPoolClosed')
        : t('conflicts.theirsPoolOpens', { day });
    }
    case 'LEASE_EXPIRED_ACCEPTED':
    case 'FORBIDDEN':
    case 'VALIDATION':
    case 'UNSUPPORTED':
    case 'NOT_FOUND':
    case 'DUPLICATE':
    case 'INTERNAL':
    case null:
      return t('conflicts.theirsNone');
  }
}

function ConflictCard({
  row,
  item,
  revisions,
  workspace,
}: {
  readonly row: ResultRow;
  readonly item: ReviewItemRecord | undefined;
  readonly revisions: ReadonlyMap<string, number>;
  readonly workspace: Workspace;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const status = useSyncStatus(workspace);
  const deviceNow = useNow(60_000);
  const now = deviceNow + status.serverOffsetMs;
  const saveFile = useAppStore((state) => state.saveFile);
  const users = useUsers(workspace.db);
  const [busy, setBusy] = useState(false);
  const itemId = mutationItemId(row.args);
  const message =
    row.code === null
      ? (row.message?.[locale] ?? '')
      : resultMessage(row.code, row.details)[locale];
  const mine = describeMutation(row.name, row.args, t, locale);
  const KindConflictView = findConflictView(row.name);
  const currentItemId = row.code === 'STALE_BASE' ? text(row.details['currentItemId']) : null;
  const canComment =
    itemId !== null &&
    row.code !== null &&
    COMMENT_CODES.has(row.code) &&
    DECIDING_MUTATIONS.has(row.name);

  const dismiss = async () => {
    await workspace.db.results.update(row.seq, { dismissed: 1 });
  };

  const addComment = async () => {
    if (itemId === null) {
      return;
    }
    setBusy(true);
    try {
      const when = row.createdAt === null ? '?' : formatDeviceTime(row.createdAt, locale);
      const body = t('conflicts.commentText', { time: when, decision: mine });
      const reject = MUTATION_ARGS.reject.safeParse(row.args);
      const args = MUTATION_ARGS.comment.parse({
        itemId,
        path: '/',
        text: body.length > MAX_COMMENT ? `${body.slice(0, MAX_COMMENT - 1)}…` : body,
        ...(reject.success ? { reasonCode: reject.data.reasons[0] } : {}),
      });
      await workspace.record('comment', args);
      // The comment is a new mutation with its own result: if it conflicts too, it shows here.
      await dismiss();
    } finally {
      setBusy(false);
    }
  };

  const exportRow = () => {
    saveFile(
      `review-desk-result-${String(row.seq)}.json`,
      JSON.stringify(
        {
          format: 'review-desk-result/1',
          exportedAt: new Date().toISOString(),
          userId: workspace.session.user.id,
          result: row,
        },
        null,
        2,
      ),
    );
  };

  const title =
    item?.title ??
    (itemId === null ? t('conflicts.noItem') : t('conflicts.unknownItem', { id: itemId }));

  return (
    <Card
      withBorder
      padding="md"
      data-testid="conflict-card"
      data-seq={row.seq}
      data-code={row.code ?? ''}
      component="article"
      aria-label={title}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2}>
            <Group gap="xs">
              <Badge color={row.status === 'rejected' ? 'orange' : 'red'} variant="light" tt="none">
                {row.status === 'rejected'
                  ? t('conflicts.status.rejected')
                  : t('conflicts.status.conflict')}
              </Badge>
              <Text fw={600}>{title}</Text>
              {item !== undefined && (
                <Text size="sm" c="dimmed">
                  {kindLabel(item.kind, t)}
                </Text>
              )}
            </Group>
            <Text size="sm" data-testid="conflict-message">
              {humanizeTimes(message, locale, now)}
            </Text>
          </Stack>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {t('conflicts.answeredAt', { time: formatServerTime(row.serverTime, locale, now) })}
          </Text>
        </Group>
        {KindConflictView !== undefined &&
          // The kind's own picture of the two sides (both homework grades, criterion by criterion).
          createElement(KindConflictView, { workspace, args: row.args, details: row.details })}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Card withBorder padding="sm" radius="sm" data-testid="conflict-mine">
            <Text size="xs" fw={700} c="dimmed" tt="uppercase">
              {t('conflicts.mine')}
            </Text>
            <Text size="sm">{mine}</Text>
            {row.createdAt !== null && (
              <Text size="xs" c="dimmed">
                {t('conflicts.madeAt', {
                  time: formatDeviceTime(row.createdAt, locale, deviceNow),
                })}
              </Text>
            )}
          </Card>
          <Card withBorder padding="sm" radius="sm" data-testid="conflict-theirs">
            <Text size="xs" fw={700} c="dimmed" tt="uppercase">
              {t('conflicts.theirs')}
            </Text>
            <Text size="sm">{theirs(row, t, locale, now, users, revisions)}</Text>
          </Card>
        </SimpleGrid>
        <Group gap="sm">
          {itemId !== null && (
            <Button
              size="xs"
              variant="light"
              onClick={() => {
                navigate({ name: 'queue', itemId });
              }}
            >
              {t('conflicts.actions.open')}
            </Button>
          )}
          {currentItemId !== null && (
            <Button
              size="xs"
              variant="light"
              onClick={() => {
                navigate({ name: 'queue', itemId: currentItemId });
              }}
            >
              {t('conflicts.actions.openCurrent')}
            </Button>
          )}
          {canComment && (
            <Button size="xs" variant="light" loading={busy} onClick={() => void addComment()}>
              {t('conflicts.actions.addComment')}
            </Button>
          )}
          {row.code !== null && EXPORT_CODES.has(row.code) && (
            <Button size="xs" variant="default" onClick={exportRow}>
              {t('conflicts.actions.export')}
            </Button>
          )}
          <Button size="xs" variant="subtle" color="gray" onClick={() => void dismiss()}>
            {t('conflicts.actions.dismiss')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
