import {
  Alert,
  Anchor,
  Center,
  Group,
  Loader,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MutationName } from '#shared/sync/mutations';
import type { ReviewItemRecord } from '#shared/sync/rows';
import { itemView, type ItemView } from '#shared/sync/view';
import { useNow } from '../../app/format';
import { routeHref } from '../../app/routing';
import { useLocale } from '../../i18n/useLocale';
import type { Workspace } from '../../workspace/workspace';
import { kindLabel } from '../labels';
import { useSyncStatus } from '../status/hooks';
import { GradeModal } from './GradeModal';
import { availableActions, sortKinds, type QueueAction } from './kinds';
import { MentorReviewModal } from './MentorReviewModal';
import { QueueRow } from './QueueRow';
import { RejectModal } from './RejectModal';
import {
  QUEUE_ROW_LIMIT,
  useKinds,
  usePending,
  useQueueItems,
  useResultsByItem,
  useUsers,
} from './useQueue';

type Dialog =
  | { readonly form: 'reject'; readonly item: ReviewItemRecord }
  | { readonly form: 'grade'; readonly item: ReviewItemRecord }
  | { readonly form: 'mentorReview'; readonly item: ReviewItemRecord };

/**
 * The minimal queue: the user's review kinds as tabs, each item with its state, holder and the
 * user's decision status. Actions only record mutations in the outbox; what a row shows comes
 * from the server's rows combined with the outbox (`itemView`), never from optimistic writes.
 */
export function QueuePage({
  workspace,
  itemId,
}: {
  readonly workspace: Workspace;
  /** Show only this item. */
  readonly itemId: string | null;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { db, session } = workspace;
  const { user } = session;
  const status = useSyncStatus(workspace);
  const now = useNow(15_000);
  const serverNow = now + status.serverOffsetMs;

  const kinds = useKinds(db);
  const sortedKinds = useMemo(() => sortKinds(kinds ?? []), [kinds]);
  const [chosenKind, setChosenKind] = useState<string | null>(null);
  const kind =
    chosenKind !== null && sortedKinds.includes(chosenKind) ? chosenKind : (sortedKinds[0] ?? null);
  const queue = useQueueItems(db, kind, itemId);
  const pending = usePending(db);
  const results = useResultsByItem(db);
  const users = useUsers(db);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [recordError, setRecordError] = useState<string | null>(null);

  const views: ItemView[] = useMemo(
    () =>
      (queue?.items ?? []).map((item) =>
        itemView(item, {
          userId: user.id,
          pending,
          results: results.get(item.id) ?? [],
          serverNow,
        }),
      ),
    [queue, pending, results, serverNow, user.id],
  );

  const record = async (name: MutationName, args: unknown): Promise<boolean> => {
    try {
      setRecordError(null);
      await workspace.record(name, args);
      return true;
    } catch (error) {
      setRecordError(error instanceof Error ? error.message : String(error));
      return false;
    }
  };

  const onAction = (action: QueueAction, view: ItemView) => {
    const target = { itemId: view.item.id };
    switch (action) {
      case 'claim':
      case 'release':
      case 'approve':
        void record(action, target);
        return;
      case 'reject':
      case 'grade':
      case 'mentorReview':
        setDialog({ form: action, item: view.item });
        return;
    }
  };

  const submitDialog = async (name: MutationName, args: unknown) => {
    if (await record(name, args)) {
      setDialog(null);
    }
  };

  const closeDialog = () => {
    setDialog(null);
  };

  let body: ReactNode;
  if (kinds === undefined || queue === undefined) {
    body = (
      <Center p="xl">
        <Loader aria-label={t('queue.title')} />
      </Center>
    );
  } else if (itemId === null && sortedKinds.length === 0) {
    body = (
      <Text c="dimmed">
        {status.lastSyncServerTime === null ? t('queue.notDownloaded') : t('queue.noKinds')}
      </Text>
    );
  } else if (views.length === 0) {
    body = <Text c="dimmed">{itemId === null ? t('queue.empty') : t('queue.itemMissing')}</Text>;
  } else {
    body = (
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover verticalSpacing="xs" data-testid="queue-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('queue.columns.title')}</Table.Th>
              <Table.Th>{t('queue.columns.kind')}</Table.Th>
              <Table.Th>{t('queue.columns.state')}</Table.Th>
              <Table.Th>{t('queue.columns.due')}</Table.Th>
              <Table.Th>{t('queue.columns.holder')}</Table.Th>
              <Table.Th>{t('queue.columns.status')}</Table.Th>
              <Table.Th>{t('queue.columns.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {views.map((view) => (
              <QueueRow
                key={view.item.id}
                view={view}
                userId={user.id}
                users={users}
                decision={queue.decisions.get(view.item.id)}
                actions={availableActions(view, user.role)}
                onAction={onAction}
                locale={locale}
                serverNow={serverNow}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Stack gap="md">
      <Title order={2} size="h3">
        {t('queue.title')}
      </Title>
      {itemId !== null ? (
        <Group gap="sm">
          <Text size="sm" fw={500}>
            {t('queue.filteredTo')}
          </Text>
          <Anchor href={routeHref({ name: 'queue', itemId: null })} size="sm">
            {t('queue.showAll')}
          </Anchor>
        </Group>
      ) : (
        sortedKinds.length > 1 && (
          <Tabs
            value={kind}
            onChange={(value) => {
              setChosenKind(value);
            }}
          >
            <Tabs.List aria-label={t('queue.kindsLabel')}>
              {sortedKinds.map((value) => (
                <Tabs.Tab key={value} value={value}>
                  {kindLabel(value, t)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
          </Tabs>
        )
      )}
      {recordError !== null && (
        <Alert
          color="red"
          role="alert"
          withCloseButton
          onClose={() => {
            setRecordError(null);
          }}
        >
          {t('queue.recordFailed', { detail: recordError })}
        </Alert>
      )}
      {body}
      {queue !== undefined && itemId === null && queue.total > QUEUE_ROW_LIMIT && (
        <Text size="sm" c="dimmed">
          {t('queue.showingFirst', { shown: queue.items.length, total: queue.total })}
        </Text>
      )}
      {dialog?.form === 'reject' && (
        <RejectModal
          item={dialog.item}
          onClose={closeDialog}
          onSubmit={(args) => submitDialog('reject', args)}
        />
      )}
      {dialog?.form === 'grade' && (
        <GradeModal
          item={dialog.item}
          onClose={closeDialog}
          onSubmit={(args) => submitDialog('gradeHomework', args)}
        />
      )}
      {dialog?.form === 'mentorReview' && (
        <MentorReviewModal
          item={dialog.item}
          onClose={closeDialog}
          onSubmit={(args) => submitDialog('mentorReview', args)}
        />
      )}
    </Stack>
  );
}
