import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import type { TFunction } from 'i18next';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_LABELS } from '#shared/domain/roles';
import type { Locale } from '#shared/i18n/localized';
import type { ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { formatServerTime, useNow } from '../../app/format';
import { routeHref } from '../../app/routing';
import { kindLabel, stateLabel } from '../../features/labels';
import { sortKinds } from '../../features/queue/kinds';
import type { QueueResult } from '../../features/queue/queueQuery';
import { useKinds, useQueueResult, useQueueTotal, useUsers } from '../../features/queue/useQueue';
import { useLocale } from '../../i18n/useLocale';
import type { ScreenProps } from '../registry';
import { recordAssignments, type BulkOutcome } from './bulkAssign';
import { useWorkloadT, type WorkloadT } from './text';
import {
  DEFAULT_WORKLOAD_FILTERS,
  eligibleAssignees,
  memberLoads,
  noAssigneeReason,
  queueFiltersOf,
  useItemsInReview,
  usePendingAssignments,
  type MemberLoad,
  type WorkloadFilters,
} from './workloadData';

/** Rows the list shows; "select all" takes every match, shown or not. */
export const SHOWN_ROWS = 100;
const MINUTE = 60_000;

type Progress =
  | { readonly phase: 'idle' }
  | { readonly phase: 'recording'; readonly done: number; readonly total: number }
  | { readonly phase: 'done'; readonly outcome: BulkOutcome; readonly total: number };

/** `#/workload`: who holds what, the open items filtered, bulk assignment and bulk release. */
export function WorkloadScreen({ workspace }: ScreenProps) {
  const w = useWorkloadT();
  const { db } = workspace;
  const userId = workspace.session.user.id;
  const now = useNow(MINUTE);
  const serverNow = now + workspace.status().serverOffsetMs;
  // The queries take server time rounded to the minute, so the clock does not re-run them.
  const queryNow = Math.floor(serverNow / MINUTE) * MINUTE;
  const users = useUsers(db);
  const kinds = useKinds(db);
  const inReview = useItemsInReview(db);
  const loads = useMemo(() => memberLoads(inReview ?? [], queryNow), [inReview, queryNow]);

  const [filters, setFilters] = useState<WorkloadFilters>(DEFAULT_WORKLOAD_FILTERS);
  const queueFilters = useMemo(() => queueFiltersOf(filters), [filters]);
  const result = useQueueResult(db, queueFilters, userId, queryNow, kinds);
  const exactTotal = useQueueTotal(result);
  const shown = useLiveQuery(
    async () => (result === undefined ? undefined : result.rows(0, SHOWN_ROWS)),
    [result],
  );
  const [selection, setSelection] = useState<ReadonlyMap<string, string>>(new Map());
  const [progress, setProgress] = useState<Progress>({ phase: 'idle' });
  const recording = progress.phase === 'recording';
  const pending = usePendingAssignments(db, recording);

  const changeFilters = (patch: Partial<WorkloadFilters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setSelection(new Map());
  };

  const selectAll = async () => {
    if (result === undefined) {
      return;
    }
    const keys = await result.ensure(Number.MAX_SAFE_INTEGER);
    const rows = await result.rows(0, keys.length);
    setSelection(new Map(rows.map((item) => [item.id, item.kind])));
  };

  const assign = async (itemIds: readonly string[], assigneeId: string) => {
    setProgress({ phase: 'recording', done: 0, total: itemIds.length });
    const outcome = await recordAssignments(workspace, itemIds, assigneeId, (done) => {
      setProgress({ phase: 'recording', done, total: itemIds.length });
    });
    setProgress({ phase: 'done', outcome, total: itemIds.length });
    setSelection(new Map());
  };

  const total = exactTotal ?? (result?.exact === true ? result.total : null);
  return (
    <Stack gap="lg" data-testid="workload-screen">
      <Title order={2}>{w('workload.title')}</Title>
      <MembersTable
        loads={loads}
        users={users}
        onShow={(holderId) => {
          changeFilters({ holderId, state: 'in_review' });
        }}
      />
      <Paper withBorder p="md" component="section" aria-labelledby="workload-list-title">
        <Stack gap="sm">
          <Title order={3} size="h4" id="workload-list-title">
            {w('workload.list.title')}
          </Title>
          <Filters
            filters={filters}
            kinds={kinds ?? []}
            loads={loads}
            users={users}
            onChange={changeFilters}
          />
          <ListHeader
            result={result}
            total={total}
            selected={selection.size}
            onSelectAll={() => void selectAll()}
            onClear={() => {
              setSelection(new Map());
            }}
          />
          {shown === undefined ? (
            <Text c="dimmed">{w('workload.list.loading')}</Text>
          ) : shown.length === 0 ? (
            <Text c="dimmed" data-testid="workload-empty">
              {w('workload.list.empty')}
            </Text>
          ) : (
            <ItemsTable
              items={shown}
              users={users}
              pending={pending ?? new Map()}
              selection={selection}
              serverNow={serverNow}
              onToggle={(item, checked) => {
                setSelection((current) => {
                  const next = new Map(current);
                  if (checked) {
                    next.set(item.id, item.kind);
                  } else {
                    next.delete(item.id);
                  }
                  return next;
                });
              }}
            />
          )}
          {result !== undefined && (total ?? result.total) > SHOWN_ROWS && (
            <Text size="sm" c="dimmed">
              {w('workload.list.showing', { shown: SHOWN_ROWS })}
            </Text>
          )}
        </Stack>
      </Paper>
      <AssignPanel
        title={w('workload.assign.title')}
        testId="workload-assign"
        itemIds={[...selection.keys()]}
        kinds={sortKinds([...new Set(selection.values())])}
        users={users}
        disabled={recording}
        submitLabel={(count) => w('workload.assign.submit', { count })}
        onAssign={(itemIds, assigneeId) => void assign(itemIds, assigneeId)}
        emptyText={w('workload.assign.nothingSelected')}
      />
      <ReleasePanel
        loads={loads}
        users={users}
        disabled={recording}
        onRelease={(itemIds, assigneeId) => void assign(itemIds, assigneeId)}
      />
      <ProgressNote progress={progress} w={w} />
    </Stack>
  );
}

function nameOf(users: ReadonlyMap<string, UserRecord>, userId: string, w: WorkloadT): string {
  return users.get(userId)?.displayName ?? w('workload.list.nobody');
}

function MembersTable({
  loads,
  users,
  onShow,
}: {
  readonly loads: readonly MemberLoad[];
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly onShow: (userId: string) => void;
}) {
  const w = useWorkloadT();
  const locale = useLocale();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="workload-members-title">
      <Title order={3} size="h4" id="workload-members-title" mb="xs">
        {w('workload.members.title')}
      </Title>
      {loads.length === 0 ? (
        <Text c="dimmed">{w('workload.members.none')}</Text>
      ) : (
        <Table data-testid="workload-members" verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{w('workload.members.who')}</Table.Th>
              <Table.Th>{w('workload.members.role')}</Table.Th>
              <Table.Th>{w('workload.members.holding')}</Table.Th>
              <Table.Th>{w('workload.members.overdue')}</Table.Th>
              <Table.Th>{w('workload.members.expired')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {loads.map((load) => {
              const user = users.get(load.userId);
              return (
                <Table.Tr
                  key={load.userId}
                  data-testid="workload-member"
                  data-user-id={load.userId}
                  data-holding={load.holding}
                  data-overdue={load.overdue}
                  data-expired={load.expired}
                >
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        aria-label={`${w('workload.members.show')}: ${nameOf(users, load.userId, w)}`}
                        onClick={() => {
                          onShow(load.userId);
                        }}
                      >
                        {nameOf(users, load.userId, w)}
                      </Anchor>
                      {user?.active === false && (
                        <Badge color="gray" size="sm" variant="light">
                          {w('workload.members.inactive')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{user === undefined ? '' : ROLE_LABELS[user.role][locale]}</Table.Td>
                  <Table.Td>{load.holding}</Table.Td>
                  <Table.Td>
                    <Text span size="sm" {...(load.overdue > 0 ? { c: 'red', fw: 600 } : {})}>
                      {load.overdue}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text span size="sm" {...(load.expired > 0 ? { c: 'orange', fw: 600 } : {})}>
                      {load.expired}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

function Filters({
  filters,
  kinds,
  loads,
  users,
  onChange,
}: {
  readonly filters: WorkloadFilters;
  readonly kinds: readonly string[];
  readonly loads: readonly MemberLoad[];
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly onChange: (patch: Partial<WorkloadFilters>) => void;
}) {
  const w = useWorkloadT();
  const { t } = useTranslation();
  const holders = loads.filter((load) => load.holding > 0);
  return (
    <Group gap="md" align="flex-end" wrap="wrap">
      <NativeSelect
        label={w('workload.filters.kind')}
        data-testid="workload-filter-kind"
        value={filters.kind ?? ''}
        onChange={(event) => {
          const value = event.currentTarget.value;
          onChange({ kind: value === '' ? null : value });
        }}
        data={[
          { value: '', label: w('workload.filters.allKinds') },
          ...sortKinds(kinds).map((kind) => ({ value: kind, label: kindLabel(kind, t) })),
        ]}
      />
      <NativeSelect
        label={w('workload.filters.state')}
        data-testid="workload-filter-state"
        value={filters.state}
        onChange={(event) => {
          const value = event.currentTarget.value;
          onChange({ state: value === 'pending' || value === 'in_review' ? value : 'open' });
        }}
        data={(['open', 'pending', 'in_review'] as const).map((state) => ({
          value: state,
          label: w(`workload.filters.states.${state}`),
        }))}
      />
      <NativeSelect
        label={w('workload.filters.holder')}
        data-testid="workload-filter-holder"
        value={filters.holderId ?? ''}
        onChange={(event) => {
          const value = event.currentTarget.value;
          onChange({ holderId: value === '' ? null : value });
        }}
        data={[
          { value: '', label: w('workload.filters.anyHolder') },
          ...holders.map((load) => ({
            value: load.userId,
            label: nameOf(users, load.userId, w),
          })),
          // A holder chosen from the members table stays selectable while their count changes.
          ...(filters.holderId !== null && !holders.some((load) => load.userId === filters.holderId)
            ? [{ value: filters.holderId, label: nameOf(users, filters.holderId, w) }]
            : []),
        ]}
      />
      <Checkbox
        label={w('workload.filters.overdueOnly')}
        data-testid="workload-filter-overdue"
        checked={filters.overdueOnly}
        onChange={(event) => {
          onChange({ overdueOnly: event.currentTarget.checked });
        }}
        mb={8}
      />
    </Group>
  );
}

function ListHeader({
  result,
  total,
  selected,
  onSelectAll,
  onClear,
}: {
  readonly result: QueueResult | undefined;
  readonly total: number | null;
  readonly selected: number;
  readonly onSelectAll: () => void;
  readonly onClear: () => void;
}) {
  const w = useWorkloadT();
  if (result === undefined) {
    return null;
  }
  return (
    <Group gap="md" data-testid="workload-list-header">
      <Text size="sm" fw={600} data-testid="workload-count" data-count={total ?? ''}>
        {total === null
          ? w('workload.list.countMore', { count: result.keys.length })
          : w('workload.list.count', { count: total })}
      </Text>
      <Button
        size="compact-sm"
        variant="light"
        data-testid="workload-select-all"
        disabled={total === 0}
        onClick={onSelectAll}
      >
        {total === null
          ? w('workload.list.selectAllUnknown')
          : w('workload.list.selectAll', { count: total })}
      </Button>
      {selected > 0 && (
        <>
          <Text size="sm" data-testid="workload-selected" data-count={selected}>
            {w('workload.list.selected', { count: selected })}
          </Text>
          <Button size="compact-sm" variant="subtle" onClick={onClear}>
            {w('workload.list.clearSelection')}
          </Button>
        </>
      )}
    </Group>
  );
}

function ItemsTable({
  items,
  users,
  pending,
  selection,
  serverNow,
  onToggle,
}: {
  readonly items: readonly ReviewItemRecord[];
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly pending: ReadonlyMap<string, string>;
  readonly selection: ReadonlyMap<string, string>;
  readonly serverNow: number;
  readonly onToggle: (item: ReviewItemRecord, checked: boolean) => void;
}) {
  const w = useWorkloadT();
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table data-testid="workload-items" verticalSpacing={4} highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36} />
            <Table.Th>{w('workload.list.columns.title')}</Table.Th>
            <Table.Th>{w('workload.list.columns.kind')}</Table.Th>
            <Table.Th>{w('workload.list.columns.state')}</Table.Th>
            <Table.Th>{w('workload.list.columns.due')}</Table.Th>
            <Table.Th>{w('workload.list.columns.holder')}</Table.Th>
            <Table.Th>{w('workload.list.columns.assignment')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => {
            const overdue = item.dueAt !== null && Date.parse(item.dueAt) < serverNow;
            const claim = item.claim;
            const leaseExpired = claim !== null && Date.parse(claim.expiresAt) <= serverNow;
            const pendingTo = pending.get(item.id);
            return (
              <Table.Tr
                key={item.id}
                data-testid="workload-item"
                data-item-id={item.id}
                data-pending={pendingTo === undefined ? 'false' : 'true'}
              >
                <Table.Td>
                  <Checkbox
                    aria-label={w('workload.list.select', { title: item.title })}
                    checked={selection.has(item.id)}
                    onChange={(event) => {
                      onToggle(item, event.currentTarget.checked);
                    }}
                  />
                </Table.Td>
                <Table.Td>
                  <Anchor
                    href={routeHref({ name: 'item', itemId: item.id, tab: 'listing' })}
                    size="sm"
                  >
                    {item.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>{kindLabel(item.kind, t)}</Table.Td>
                <Table.Td>{stateLabel(item.state, t)}</Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text span size="sm">
                      {item.dueAt === null
                        ? w('workload.list.noDue')
                        : formatServerTime(item.dueAt, locale, serverNow)}
                    </Text>
                    {overdue && (
                      <Badge color="red" size="sm" variant="light">
                        {w('workload.list.overdue')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text span size="sm">
                      {claim === null
                        ? w('workload.list.nobody')
                        : nameOf(users, claim.reviewerId, w)}
                    </Text>
                    {leaseExpired && (
                      <Badge color="orange" size="sm" variant="light">
                        {w('workload.list.leaseExpired')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  {pendingTo !== undefined ? (
                    <Badge color="yellow" variant="light" data-testid="workload-pending">
                      {w('workload.list.pendingAssign', { name: nameOf(users, pendingTo, w) })}
                    </Badge>
                  ) : item.assigneeId !== null ? (
                    <Text span size="sm">
                      {w('workload.list.assignedTo', { name: nameOf(users, item.assigneeId, w) })}
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A kind list as people read it: "Listing review, Refund approval". */
function kindList(kinds: readonly string[], t: TFunction, locale: Locale): string {
  return kinds.map((kind) => kindLabel(kind, t)).join(locale === 'zh-CN' ? '、' : ', ');
}

/** Picks an eligible member for the items' kinds and assigns them all (one `assign` each). */
function AssignPanel({
  title,
  testId,
  itemIds,
  kinds,
  users,
  disabled,
  submitLabel,
  onAssign,
  emptyText,
  children,
}: {
  readonly title: string;
  readonly testId: string;
  readonly itemIds: readonly string[];
  readonly kinds: readonly string[];
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly disabled: boolean;
  readonly submitLabel: (count: number) => string;
  readonly onAssign: (itemIds: readonly string[], assigneeId: string) => void;
  readonly emptyText: string;
  readonly children?: ReactNode;
}) {
  const w = useWorkloadT();
  const { t } = useTranslation();
  const locale = useLocale();
  const candidates = useMemo(() => eligibleAssignees(users.values(), kinds), [users, kinds]);
  const [chosen, setChosen] = useState('');
  const assigneeId = candidates.some((user) => user.id === chosen)
    ? chosen
    : (candidates[0]?.id ?? '');
  return (
    <Paper withBorder p="md" component="section" data-testid={testId} aria-label={title}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {title}
        </Title>
        {children}
        {itemIds.length === 0 ? (
          <Text c="dimmed" size="sm">
            {emptyText}
          </Text>
        ) : candidates.length === 0 ? (
          <Alert color="orange" role="alert" data-testid={`${testId}-nobody`}>
            {noAssigneeReason(users.values(), kinds) === 'mixed'
              ? w('workload.assign.nobodyFor', { kinds: kindList(kinds, t, locale) })
              : w('workload.assign.nobodyActive', { kinds: kindList(kinds, t, locale) })}
          </Alert>
        ) : (
          <Group gap="md" align="flex-end">
            <NativeSelect
              label={w('workload.assign.to')}
              data-testid={`${testId}-to`}
              value={assigneeId}
              onChange={(event) => {
                setChosen(event.currentTarget.value);
              }}
              data={candidates.map((user) => ({ value: user.id, label: user.displayName }))}
            />
            <Button
              data-testid={`${testId}-submit`}
              disabled={disabled || assigneeId === ''}
              onClick={() => {
                onAssign(itemIds, assigneeId);
              }}
            >
              {submitLabel(itemIds.length)}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** Hands over every claim a member still has (live or expired) to another member. */
function ReleasePanel({
  loads,
  users,
  disabled,
  onRelease,
}: {
  readonly loads: readonly MemberLoad[];
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly disabled: boolean;
  readonly onRelease: (itemIds: readonly string[], assigneeId: string) => void;
}) {
  const w = useWorkloadT();
  const { t } = useTranslation();
  const locale = useLocale();
  // Inactive members first: their items wait on someone who will not come back.
  const members = [...loads].sort(
    (a, b) =>
      Number(users.get(a.userId)?.active ?? true) - Number(users.get(b.userId)?.active ?? true),
  );
  const [memberId, setMemberId] = useState<string>('');
  const chosen =
    members.find((load) => load.userId === memberId) ??
    members.find((load) => users.get(load.userId)?.active === false);
  const name = chosen === undefined ? '' : nameOf(users, chosen.userId, w);
  const others = new Map([...users].filter(([id]) => id !== chosen?.userId));
  return (
    <AssignPanel
      title={w('workload.release.title')}
      testId="workload-release"
      itemIds={chosen?.itemIds ?? []}
      kinds={chosen?.kinds ?? []}
      users={others}
      disabled={disabled}
      submitLabel={(count) => w('workload.release.submit', { count })}
      onAssign={onRelease}
      emptyText={chosen === undefined ? '' : w('workload.release.nothing', { name })}
    >
      <Text size="sm" c="dimmed">
        {w('workload.release.intro')}
      </Text>
      <NativeSelect
        label={w('workload.release.member')}
        data-testid="workload-release-member"
        value={chosen?.userId ?? ''}
        onChange={(event) => {
          setMemberId(event.currentTarget.value);
        }}
        data={[
          ...(chosen === undefined ? [{ value: '', label: w('workload.release.pick') }] : []),
          ...members.map((load) => ({
            value: load.userId,
            label:
              users.get(load.userId)?.active === false
                ? `${nameOf(users, load.userId, w)} (${w('workload.members.inactive')})`
                : nameOf(users, load.userId, w),
          })),
        ]}
      />
      {chosen !== undefined && (
        <Text size="sm" data-testid="workload-release-summary">
          {w('workload.release.heldBy', {
            count: chosen.itemIds.length,
            name,
            kinds: kindList(chosen.kinds, t, locale),
          })}
        </Text>
      )}
    </AssignPanel>
  );
}

function ProgressNote({ progress, w }: { readonly progress: Progress; readonly w: WorkloadT }) {
  if (progress.phase === 'idle') {
    return null;
  }
  if (progress.phase === 'recording') {
    return (
      <Alert color="blue" role="status" data-testid="workload-progress">
        {w('workload.assign.recording', { done: progress.done, total: progress.total })}
      </Alert>
    );
  }
  const { outcome } = progress;
  return outcome.ok ? (
    <Alert color="teal" role="status" data-testid="workload-recorded" data-count={outcome.recorded}>
      {w('workload.assign.recorded', { count: outcome.recorded })}
    </Alert>
  ) : (
    <Alert color="red" role="alert" data-testid="workload-failed">
      {w('workload.assign.failed', {
        done: outcome.recorded,
        total: progress.total,
        message: outcome.message,
      })}
    </Alert>
  );
}
