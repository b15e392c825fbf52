import {
  Alert,
  Anchor,
  Button,
  Center,
  Group,
  Kbd,
  Loader,
  Stack,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useTranslation } from 'react-i18next';
import { useLiveQuery } from 'dexie-react-hooks';
import type { MutationName } from '#shared/sync/mutations';
import type {
  AuditEventRecord,
  DecisionRecord,
  ReviewItemRecord,
  UserRecord,
} from '#shared/sync/rows';
import type { ItemView } from '#shared/sync/view';
import { useNow } from '../../app/format';
import { navigate, routeHref } from '../../app/routing';
import { useShortcuts, type Shortcut } from '../../app/shortcuts';
import { useLocale } from '../../i18n/useLocale';
import { findKindModule } from '../../kinds/registry';
import type { Workspace } from '../../workspace/workspace';
import { useSyncStatus } from '../status/hooks';
import { AssignModal } from './AssignModal';
import { HoldersPanel } from './HoldersPanel';
import { availableActions, sortKinds } from './kinds';
import {
  cacheForOffline,
  currentPending,
  firstClaimable,
  recordClaim,
  type Claimability,
} from './offline';
import { QueueFilterBar } from './QueueFilterBar';
import { QueueList } from './QueueList';
import { DEFAULT_FILTERS, type QueueFilters, type QueueResult } from './queueQuery';
import { useQueueStore } from './queueStore';
import type { RowAction } from './QueueRow';
import { renderRow, viewOf, type RowContext } from './renderRow';
import { RejectModal } from './RejectModal';
import { TakeDialog, type TakeRun } from './TakeDialog';
import {
  useHoldings,
  useKinds,
  useOneItem,
  usePending,
  useQueueCounts,
  useQueueResult,
  useQueueTotal,
  useResultsByItem,
  useUsers,
  type QueueWindow,
} from './useQueue';

type Dialog =
  | {
      readonly form: 'reject' | 'decide' | 'assign';
      readonly item: ReviewItemRecord;
    }
  | { readonly form: 'take' };

/** The decision dialog of the item's kind module (the mentor's review, …). */
function KindDecisionDialog({
  workspace,
  item,
  onClose,
  record,
}: {
  readonly workspace: Workspace;
  readonly item: ReviewItemRecord;
  readonly onClose: () => void;
  readonly record: (
    name: MutationName,
    args: unknown,
    options?: { readonly v?: number },
  ) => Promise<boolean>;
}) {
  const Dialog = findKindModule(item.kind)?.DecisionDialog;
  if (Dialog === undefined) {
    return null;
  }
  return (
    <Dialog
      workspace={workspace}
      item={item}
      onClose={onClose}
      onSubmit={async (name, args, options) => {
        const recorded = await record(name, args, options);
        if (recorded) {
          onClose();
        }
        return recorded;
      }}
    />
  );
}

/**
 * The review queue: every item of the user's kinds in one virtualized list, filtered, searched
 * and sorted through indexes (`queueQuery.ts`), items assigned to the user first. "Claim next"
 * (`n`) and "take N items for H hours" (`t`) for offline work; lease countdowns; items changed
 * after the user claimed them are flagged; the operations manager sees who holds what since
 * when and assigns. Keyboard first (`j`/`k`, Enter, `c`, `/`, `?`), and all of it with the mouse.
 *
 * Actions only record mutations in the outbox; what a row shows comes from the server's rows
 * combined with the outbox (`itemView`), never from optimistic writes.
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
  const pending = usePending(db);
  const results = useResultsByItem(db);
  const users = useUsers(db);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [recordError, setRecordError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const record = useCallback(
    async (
      name: MutationName,
      args: unknown,
      options?: { readonly v?: number },
    ): Promise<boolean> => {
      try {
        setRecordError(null);
        await workspace.record(name, args, undefined, options);
        return true;
      } catch (error) {
        setRecordError(error instanceof Error ? error.message : String(error));
        return false;
      }
    },
    [workspace],
  );

  const select = useQueueStore((state) => state.select);
  const onAction = useCallback(
    (action: RowAction, view: ItemView) => {
      const target = { itemId: view.item.id };
      switch (action) {
        case 'claim':
        case 'release':
        case 'approve':
          void record(action, target);
          return;
        case 'decide': {
          // The kind's own decision: its dialog over the queue, or its item page.
          const module = findKindModule(view.item.kind);
          if (module?.DecisionDialog !== undefined && module.decide !== 'open') {
            setDialog({ form: 'decide', item: view.item });
          } else {
            navigate({ name: 'item', itemId: view.item.id, tab: 'listing' });
          }
          return;
        }
        case 'reject':
        case 'assign':
          setDialog({ form: action, item: view.item });
          return;
      }
    },
    [record],
  );

  const context: RowContext = {
    userId: user.id,
    role: user.role,
    users,
    pending,
    results,
    serverNow,
    locale,
    onAction,
    onSelect: select,
  };

  const submitDialog = async (name: MutationName, args: unknown) => {
    if (await record(name, args)) {
      setDialog(null);
    }
  };
  const closeDialog = () => {
    setDialog(null);
  };

  return (
    <Stack gap="sm">
      <Title order={2} size="h3">
        {t('queue.title')}
      </Title>
      {recordError !== null && (
        <Alert
          color="red"
          role="alert"
          withCloseButton
          closeButtonLabel={t('queueView.dismiss')}
          onClose={() => {
            setRecordError(null);
          }}
        >
          {t('queue.recordFailed', { detail: recordError })}
        </Alert>
      )}
      {notice !== null && (
        <Alert
          color="blue"
          withCloseButton
          closeButtonLabel={t('queueView.dismiss')}
          onClose={() => {
            setNotice(null);
          }}
          data-testid="queue-notice"
        >
          {notice}
        </Alert>
      )}
      {itemId === null ? (
        <FullQueue
          workspace={workspace}
          context={context}
          dialogOpen={dialog !== null}
          onTake={() => {
            setDialog({ form: 'take' });
          }}
          onNotice={setNotice}
          onError={setRecordError}
          takeDialog={(result) =>
            dialog?.form === 'take' ? (
              <TakeDialog onClose={closeDialog} run={takeRun(workspace, result, context)} />
            ) : null
          }
        />
      ) : (
        <OneItem workspace={workspace} itemId={itemId} context={context} />
      )}
      {dialog?.form === 'reject' && (
        <RejectModal
          item={dialog.item}
          onClose={closeDialog}
          onSubmit={(args) => submitDialog('reject', args)}
        />
      )}
      {dialog?.form === 'decide' && (
        <KindDecisionDialog
          workspace={workspace}
          item={dialog.item}
          onClose={closeDialog}
          record={record}
        />
      )}
      {dialog?.form === 'assign' && (
        <AssignModal
          item={dialog.item}
          users={users}
          onClose={closeDialog}
          onSubmit={(args) => submitDialog('assign', args)}
        />
      )}
    </Stack>
  );
}

/** Claims the first N claimable items with `claim@2` and caches them, reporting progress. */
function takeRun(
  workspace: Workspace,
  result: QueueResult | undefined,
  context: RowContext,
): TakeRun {
  return async (count, leaseHours, onProgress) => {
    if (result === undefined) {
      throw new Error('the queue is still loading');
    }
    const claimability: Claimability = {
      userId: context.userId,
      role: context.role,
      serverNow: workspace.serverNow(),
      pending: await currentPending(workspace),
      results: context.results,
    };
    const items = await firstClaimable(result, claimability, count);
    onProgress({ step: 'claiming', done: 0, total: items.length });
    for (const [index, item] of items.entries()) {
      await recordClaim(workspace, item.id, leaseHours);
      onProgress({ step: 'claiming', done: index + 1, total: items.length });
    }
    const cache = await cacheForOffline(workspace, items, (progress) => {
      onProgress({ step: 'caching', ...progress });
    });
    return { claimed: items.length, cache };
  };
}

function OneItem({
  workspace,
  itemId,
  context,
}: {
  readonly workspace: Workspace;
  readonly itemId: string;
  readonly context: RowContext;
}) {
  const { t } = useTranslation();
  const item = useOneItem(workspace.db, itemId);
  const window = useOneItemWindow(workspace, item);
  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Text size="sm" fw={500}>
          {t('queue.filteredTo')}
        </Text>
        <Anchor href={routeHref({ name: 'queue', itemId: null })} size="sm">
          {t('queue.showAll')}
        </Anchor>
      </Group>
      {item === undefined ? (
        <Center p="xl">
          <Loader aria-label={t('queue.title')} />
        </Center>
      ) : item === null ? (
        <Text c="dimmed">{t('queue.itemMissing')}</Text>
      ) : (
        <div role="table" aria-label={t('queue.title')} aria-rowcount={1}>
          <div role="rowgroup">{renderRow(item, -1, context, window, { selected: true })}</div>
        </div>
      )}
    </Stack>
  );
}

const EMPTY_WINDOW: Pick<QueueWindow, 'decisions' | 'audit'> = {
  decisions: new Map(),
  audit: new Map(),
};

function useOneItemWindow(
  workspace: Workspace,
  item: ReviewItemRecord | null | undefined,
): Pick<QueueWindow, 'decisions' | 'audit'> {
  const id = item?.id ?? null;
  return (
    useLiveQuery(async () => {
      if (id === null) {
        return EMPTY_WINDOW;
      }
      const [decisions, audit] = await Promise.all([
        workspace.db.mirror('decisions').where('itemId').equals(id).toArray(),
        workspace.db.mirror('audit_events').where('itemId').equals(id).toArray(),
      ]);
      const final = decisions
        .map((row) => row as unknown as DecisionRecord)
        .sort(
          (a, b) => Number(b.isFinal) - Number(a.isFinal) || b.decidedAt.localeCompare(a.decidedAt),
        )[0];
      return {
        decisions: new Map(final === undefined ? [] : [[id, final]]),
        audit: new Map([[id, audit as unknown as AuditEventRecord[]]]),
      };
    }, [workspace.db, id]) ?? EMPTY_WINDOW
  );
}

/** Whether a result has been shown since the queue was opened (then it stays true). */
function useFirstScreenShown(result: QueueResult | undefined): boolean {
  const [shown, setShown] = useState(false);
  if (!shown && result !== undefined) {
    // Set during render (React's "storing information from previous renders" pattern).
    setShown(true);
  }
  return shown;
}

function FullQueue({
  workspace,
  context,
  dialogOpen,
  onTake,
  onNotice,
  onError,
  takeDialog,
}: {
  readonly workspace: Workspace;
  readonly context: RowContext;
  readonly dialogOpen: boolean;
  readonly onTake: () => void;
  readonly onNotice: (notice: string | null) => void;
  readonly onError: (error: string | null) => void;
  readonly takeDialog: (result: QueueResult | undefined) => ReactNode;
}) {
  const { t } = useTranslation();
  const { db } = workspace;
  const { userId } = context;
  const status = useSyncStatus(workspace);

  const setUser = useQueueStore((state) => state.setUser);
  useEffect(() => {
    setUser(userId);
  }, [setUser, userId]);
  const filters = useQueueStore((state) =>
    state.userId === userId ? state.filters : DEFAULT_FILTERS,
  );
  const setFilters = useQueueStore((state) => state.setFilters);
  const resetFilters = useQueueStore((state) => state.resetFilters);
  const selectedId = useQueueStore((state) => (state.userId === userId ? state.selectedId : null));
  const select = useQueueStore((state) => state.select);

  const presentKinds = useKinds(db);
  const kinds = useMemo(
    () => (presentKinds === undefined ? undefined : sortKinds(presentKinds)),
    [presentKinds],
  );
  // Server time in whole minutes for the age and due filters.
  const queryNow = Math.floor(context.serverNow / 60_000) * 60_000;
  const result = useQueueResult(db, filters, userId, queryNow, kinds);
  // Counting walks index ranges (IndexedDB's `count()` is linear): it starts once the first
  // screen is there, so it never delays it.
  const firstScreenShown = useFirstScreenShown(result);
  const exactTotal = useQueueTotal(result);
  const counts = useQueueCounts(db, filters.kind, userId, firstScreenShown ? kinds : undefined);
  const isOps = context.role === 'ops_manager';
  const holdings = useHoldings(db, isOps, queryNow);
  const holderUsers = useMemo(
    () =>
      (holdings ?? [])
        .map((holding) => context.users.get(holding.userId))
        .filter((found): found is UserRecord => found !== undefined),
    [holdings, context.users],
  );
  const searchRef = useRef<HTMLInputElement | null>(null);
  const listApi = useRef<{
    scrollTo: (index: number) => void;
    focusRow: (id: string) => void;
  } | null>(null);

  const onChange = useCallback(
    (patch: Partial<QueueFilters>) => {
      setFilters(patch);
    },
    [setFilters],
  );

  const total = result?.total ?? 0;
  const selectedIndex = useMemo(() => {
    if (result === undefined || total === 0) {
      return -1;
    }
    const index = selectedId === null ? -1 : result.keys.indexOf(selectedId);
    return index === -1 ? 0 : index;
  }, [result, selectedId, total]);
  const effectiveSelectedId =
    selectedIndex === -1 || result === undefined ? null : (result.keys[selectedIndex] ?? null);

  // Handlers for the shortcuts read the latest state through a ref, so the registration stays put.
  const latest = useRef({ result, selectedIndex, effectiveSelectedId, context, dialogOpen });
  useLayoutEffect(() => {
    latest.current = { result, selectedIndex, effectiveSelectedId, context, dialogOpen };
  });

  const moveTo = useCallback(
    async (index: number) => {
      const current = latest.current.result;
      if (current === undefined || current.total === 0) {
        return;
      }
      const target = Math.min(current.total - 1, Math.max(0, index));
      const keys = await current.ensure(target + 1);
      const id = keys[target];
      if (id !== undefined) {
        select(id);
        listApi.current?.scrollTo(target);
        listApi.current?.focusRow(id);
      }
    },
    [select],
  );

  // Enter in the search box: focus the first result of that query, once it has run (an older
  // result's rows are about to be replaced, and focus with them).
  const focusFirstFor = useRef<string | null>(null);
  const focusFirstIfReady = useCallback(() => {
    const wanted = focusFirstFor.current;
    const current = latest.current.result;
    if (wanted !== null && current?.filters.query === wanted) {
      focusFirstFor.current = null;
      void moveTo(0);
    }
  }, [moveTo]);
  const onSearchDone = useCallback(
    (query: string) => {
      focusFirstFor.current = query;
      focusFirstIfReady();
    },
    [focusFirstIfReady],
  );
  useEffect(() => {
    focusFirstIfReady();
  }, [result, focusFirstIfReady]);

  const open = useCallback((id: string | null) => {
    if (id !== null) {
      navigate({ name: 'item', itemId: id, tab: 'listing' });
    }
  }, []);

  const claimability = useCallback(
    async (): Promise<Claimability> => ({
      userId: latest.current.context.userId,
      role: latest.current.context.role,
      serverNow: workspace.serverNow(),
      pending: await currentPending(workspace),
      results: latest.current.context.results,
    }),
    [workspace],
  );

  const claimNext = useCallback(async () => {
    const current = latest.current.result;
    if (current === undefined) {
      return;
    }
    try {
      const [item] = await firstClaimable(current, await claimability(), 1);
      if (item === undefined) {
        onNotice(t('queueView.nothingToClaim'));
        return;
      }
      onNotice(null);
      await recordClaim(workspace, item.id);
      select(item.id);
      open(item.id);
    } catch (error) {
      onError(error instanceof Error ? error.message : String(error));
    }
  }, [claimability, onError, onNotice, open, select, t, workspace]);

  const claimSelected = useCallback(async () => {
    const { result: current, selectedIndex: index } = latest.current;
    if (current === undefined || index < 0) {
      return;
    }
    const [item] = await current.rows(index, index + 1);
    if (item === undefined) {
      return;
    }
    const view = viewOf(item, latest.current.context);
    if (availableActions(view, latest.current.context.role).includes('claim')) {
      latest.current.context.onAction('claim', view);
    }
  }, []);

  const group = t('queueView.shortcuts.group');
  const shortcuts = useMemo<readonly Shortcut[]>(() => {
    const enabled = !dialogOpen;
    const next = () => void moveTo(latest.current.selectedIndex + 1);
    const previous = () => void moveTo(latest.current.selectedIndex - 1);
    return [
      { keys: 'j', description: t('queueView.shortcuts.next'), group, run: next, enabled },
      { keys: 'arrowdown', description: t('queueView.shortcuts.next'), group, run: next, enabled },
      { keys: 'k', description: t('queueView.shortcuts.previous'), group, run: previous, enabled },
      {
        keys: 'arrowup',
        description: t('queueView.shortcuts.previous'),
        group,
        run: previous,
        enabled,
      },
      {
        keys: 'enter',
        description: t('queueView.shortcuts.open'),
        group,
        enabled,
        run: (event) => {
          // Enter on a button or link still activates it (the dispatcher took the key).
          const control =
            event.target instanceof HTMLElement
              ? event.target.closest<HTMLElement>('button, a[href]')
              : null;
          if (control !== null) {
            control.click();
            return;
          }
          open(latest.current.effectiveSelectedId);
        },
      },
      {
        keys: 'c',
        description: t('queueView.shortcuts.claim'),
        group,
        enabled,
        run: () => void claimSelected(),
      },
      {
        keys: 'n',
        description: t('queueView.shortcuts.claimNext'),
        group,
        enabled,
        run: () => void claimNext(),
      },
      { keys: 't', description: t('queueView.shortcuts.take'), group, enabled, run: onTake },
      {
        keys: '/',
        description: t('queueView.shortcuts.search'),
        group,
        enabled,
        run: () => {
          searchRef.current?.focus();
          searchRef.current?.select();
        },
      },
      {
        keys: 'home',
        description: t('queueView.shortcuts.first'),
        group,
        enabled,
        run: () => void moveTo(0),
      },
    ];
  }, [claimNext, claimSelected, dialogOpen, group, moveTo, onTake, open, t]);
  useShortcuts(shortcuts);

  const showHelp = () => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '?', shiftKey: true, bubbles: true }));
  };

  if (kinds === undefined) {
    return (
      <Center p="xl">
        <Loader aria-label={t('queue.title')} />
      </Center>
    );
  }
  if (kinds.length === 0) {
    return (
      <Text c="dimmed">
        {status.lastSyncServerTime === null ? t('queue.notDownloaded') : t('queue.noKinds')}
      </Text>
    );
  }

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Text size="sm" aria-live="polite" data-testid="queue-count">
          {result === undefined
            ? t('queueView.loading')
            : typeof exactTotal === 'number' || result.exact
              ? t('queueView.matching', { count: result.total })
              : t('queueView.matchingAtLeast', { count: result.keys.length })}
          {counts !== undefined &&
            counts.assignedToMe > 0 &&
            ` · ${t('queueView.assignedCount', { count: counts.assignedToMe })}`}
        </Text>
        <Group gap="xs">
          <Button
            size="sm"
            color="indigo.8"
            onClick={() => void claimNext()}
            disabled={result === undefined}
          >
            {t('queueView.claimNext')}
            <VisuallyHidden> (N)</VisuallyHidden>
          </Button>
          <Button size="sm" variant="light" onClick={onTake} disabled={result === undefined}>
            {t('queueView.take.open')}
          </Button>
          <Button size="sm" variant="subtle" onClick={showHelp}>
            {t('queueView.shortcuts.help')}&nbsp;<Kbd size="xs">?</Kbd>
          </Button>
        </Group>
      </Group>
      <QueueFilterBar
        filters={filters}
        onChange={onChange}
        onReset={resetFilters}
        counts={counts}
        kinds={kinds}
        locale={context.locale}
        searchRef={searchRef}
        onSearchDone={onSearchDone}
        holders={holderUsers}
        userId={userId}
      />
      {isOps && holdings !== undefined && (
        <HoldersPanel
          holdings={holdings}
          users={context.users}
          locale={context.locale}
          serverNow={context.serverNow}
          onShow={(holderId) => {
            setFilters({ holderId, state: 'open' });
          }}
        />
      )}
      {result === undefined ? (
        <Center p="xl">
          <Loader aria-label={t('queue.title')} />
        </Center>
      ) : result.total === 0 ? (
        <Text c="dimmed" data-testid="queue-empty">
          {t('queue.empty')}
        </Text>
      ) : (
        <QueueList
          db={db}
          result={result}
          context={context}
          selectedId={effectiveSelectedId}
          apiRef={listApi}
        />
      )}
      {takeDialog(result)}
    </Stack>
  );
}
