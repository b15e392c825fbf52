import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState, type SyntheticEvent } from 'react';
import { formatShanghaiDateTime } from '#shared/domain/time';
import type { MonthSettlement } from '#shared/ops/settlement';
import { useSyncStatus } from '../../features/status/hooks';
import type { ScreenProps } from '../registry';
import {
  commissionTable,
  download,
  heldBackReason,
  heldBackTable,
  toCsv,
  toXlsx,
  XLSX_TYPE,
} from './exportRun';
import {
  monthProblem,
  previousMonth,
  settlementApi,
  useSettlementRun,
  type FetchedRun,
  type RunActionError,
} from './settlementData';
import { memberLevelRows, ratePercent } from './summary';
import { useSettlementT, type SettlementT } from './text';

const MINUTE_MS = 60_000;

/** How long ago the device fetched the run, in the largest whole unit. */
export function ageText(t: SettlementT, ageMs: number): string {
  const minutes = Math.max(0, Math.floor(ageMs / MINUTE_MS));
  if (minutes < 60) {
    return t('settlementScreen.age.minutes', { count: minutes });
  }
  const hours = Math.floor(minutes / 60);
  return hours < 24
    ? t('settlementScreen.age.hours', { count: hours })
    : t('settlementScreen.age.days', { count: Math.floor(hours / 24) });
}

function errorText(t: SettlementT, error: RunActionError, month: string): string {
  switch (error.code) {
    case 'MONTH_NOT_DUE':
      return t('settlementScreen.notDueYet', {
        month,
        settleOn: typeof error.details['settleOn'] === 'string' ? error.details['settleOn'] : '',
      });
    case 'OFFLINE':
      return t('settlementScreen.offlineActions');
    case 'INVALID_MONTH':
    case 'RUN_APPROVED':
    case 'NOT_FOUND':
    case 'FORBIDDEN':
      return t(`settlementScreen.errors.${error.code}`, { month });
    default:
      return t('settlementScreen.errors.other', { message: error.message });
  }
}

function MemberTable({
  settlement,
  names,
}: {
  settlement: MonthSettlement;
  names: Readonly<Record<string, string>>;
}) {
  const t = useSettlementT();
  const rows = memberLevelRows(settlement);
  if (rows.length === 0) {
    return <Text c="dimmed">{t('settlementScreen.noLines')}</Text>;
  }
  return (
    <Table striped withTableBorder data-testid="settlement-lines">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('settlementScreen.columns.member')}</Table.Th>
          <Table.Th>{t('settlementScreen.columns.level')}</Table.Th>
          <Table.Th ta="right">{t('settlementScreen.columns.orders')}</Table.Th>
          <Table.Th ta="right">{t('settlementScreen.columns.base')}</Table.Th>
          <Table.Th ta="right">{t('settlementScreen.columns.rate')}</Table.Th>
          <Table.Th ta="right">{t('settlementScreen.columns.commission')}</Table.Th>
          <Table.Th ta="right">{t('settlementScreen.columns.memberTotal')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row, index) => {
          const firstOfMember = rows[index - 1]?.memberId !== row.memberId;
          return (
            <Table.Tr
              key={`${row.memberId}:${String(row.level)}`}
              data-testid="settlement-line"
              data-member={row.memberId}
              data-level={row.level}
            >
              <Table.Td>
                {firstOfMember && (
                  <>
                    <Text size="sm" fw={600} data-testid="settlement-member-name">
                      {names[row.memberId] ?? row.memberId}
                    </Text>
                    {names[row.memberId] !== undefined && (
                      <Text size="xs" c="dimmed">
                        {row.memberId}
                      </Text>
                    )}
                  </>
                )}
              </Table.Td>
              <Table.Td>
                {t(`settlementScreen.levelName.${String(row.level) as '1' | '2' | '3'}`)}
              </Table.Td>
              <Table.Td ta="right">{row.orders}</Table.Td>
              <Table.Td ta="right">{row.base}</Table.Td>
              <Table.Td ta="right">{ratePercent(row.rate)}</Table.Td>
              <Table.Td ta="right">{row.commission}</Table.Td>
              <Table.Td ta="right" fw={600}>
                {firstOfMember ? row.memberTotal : ''}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

function HeldBack({ settlement }: { settlement: MonthSettlement }) {
  const t = useSettlementT();
  return (
    <Stack gap="xs">
      <Title order={3}>{t('settlementScreen.heldBack.title')}</Title>
      {settlement.heldBack.length === 0 ? (
        <Text c="dimmed">{t('settlementScreen.heldBack.none')}</Text>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            {t('settlementScreen.heldBack.explain')}
          </Text>
          <Table withTableBorder data-testid="settlement-held">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('settlementScreen.columns.order')}</Table.Th>
                <Table.Th>{t('settlementScreen.columns.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {settlement.heldBack.map((held) => (
                <Table.Tr
                  key={held.orderId}
                  data-testid="settlement-held-order"
                  data-code={held.code}
                >
                  <Table.Td>{held.orderId}</Table.Td>
                  <Table.Td>{heldBackReason(held, t)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
      <Title order={3}>{t('settlementScreen.carried.title')}</Title>
      {settlement.carriedOver.length === 0 ? (
        <Text c="dimmed">{t('settlementScreen.carried.none')}</Text>
      ) : (
        <Text data-testid="settlement-carried">
          {t('settlementScreen.carried.explain')} {settlement.carriedOver.join(', ')}
        </Text>
      )}
    </Stack>
  );
}

function Run({ fetched, stale, now }: { fetched: FetchedRun; stale: boolean; now: number }) {
  const t = useSettlementT();
  const { run } = fetched;
  const when = formatShanghaiDateTime(fetched.fetchedAt);
  return (
    <Stack data-testid="settlement-run" data-state={run.state} data-total={run.settlement.total}>
      <Text size="sm" c={stale ? 'orange' : 'dimmed'} data-testid="settlement-freshness">
        {stale
          ? t('settlementScreen.fromCache', { when, age: ageText(t, now - fetched.fetchedAt) })
          : t('settlementScreen.fresh', { when })}
      </Text>
      <Group gap="sm">
        <Badge color={run.state === 'approved' ? 'teal' : 'yellow'} size="lg" variant="light">
          {t(`settlementScreen.state.${run.state}`)}
        </Badge>
        <Text size="sm" data-testid="settlement-state-note">
          {run.state === 'approved' && run.approvedAt !== null
            ? t('settlementScreen.approvedFinal', {
                when: formatShanghaiDateTime(Date.parse(run.approvedAt)),
              })
            : t('settlementScreen.proposedBy', {
                when: formatShanghaiDateTime(Date.parse(run.computedAt)),
              })}
        </Text>
      </Group>
      <Text fw={600} data-testid="settlement-totals">
        {t('settlementScreen.totals', {
          total: run.settlement.total,
          orders: run.settlement.orders,
          members: run.settlement.members.length,
        })}
      </Text>
      <MemberTable settlement={run.settlement} names={run.memberNames} />
      <HeldBack settlement={run.settlement} />
    </Stack>
  );
}

/** Device time, renewed every minute, so an offline run's age keeps counting. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, MINUTE_MS);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return now;
}

/**
 * `#/settlement`: a month's three-level commission run (ops managers): propose or recompute it
 * on the server, read it per member and level with what was held back and carried, approve it
 * (final), export it. The last run fetched stays readable offline, with its age.
 */
export function SettlementScreen({ workspace, params }: ScreenProps) {
  const t = useSettlementT();
  const status = useSyncStatus(workspace);
  const initialMonth = useMemo(() => {
    const asked = params.get('month');
    return asked !== null && /^\d{4}-\d{2}$/.test(asked)
      ? asked
      : previousMonth(workspace.serverNow());
  }, [workspace, params]);
  const [month, setMonth] = useState(initialMonth);
  const [draft, setDraft] = useState(initialMonth);
  const [confirming, setConfirming] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const now = useMinuteClock();
  const api = useMemo(() => settlementApi(workspace), [workspace]);
  const { state, error, busy, propose, approve } = useSettlementRun(workspace, month, api);
  const fetched = state.status === 'ready' ? state.fetched : null;
  const run = fetched?.run ?? null;
  const unreachable =
    !status.online ||
    state.status === 'offline' ||
    (state.status === 'ready' && state.source === 'unreachable');
  const notDue = monthProblem(month, workspace.serverNow());
  const show = (event: SyntheticEvent) => {
    event.preventDefault();
    setMonth(draft);
  };
  const exportAs = (format: 'csv' | 'xlsx') => {
    if (run === null) {
      return;
    }
    setExportError(null);
    const lines = commissionTable(run.settlement, t, run.memberNames);
    const name = `commission-${run.month}-${run.state}`;
    if (format === 'csv') {
      download(toCsv(lines), 'text/csv;charset=utf-8', `${name}.csv`);
      return;
    }
    toXlsx([
      { name: t('settlementScreen.export.sheetLines'), table: lines },
      { name: t('settlementScreen.export.sheetHeld'), table: heldBackTable(run.settlement, t) },
    ])
      .then((bytes) => {
        download(bytes, XLSX_TYPE, `${name}.xlsx`);
      })
      .catch((failure: unknown) => {
        setExportError(failure instanceof Error ? failure.message : String(failure));
      });
  };
  return (
    <Stack p="md" data-testid="settlement-screen">
      <Title order={2}>{t('settlementScreen.title')}</Title>
      <form onSubmit={show}>
        <Group align="end">
          <TextInput
            type="month"
            label={t('settlementScreen.month')}
            value={draft}
            onChange={(event) => {
              setDraft(event.currentTarget.value);
            }}
            data-testid="settlement-month"
          />
          <Button type="submit" variant="default" data-testid="settlement-show">
            {t('settlementScreen.show')}
          </Button>
          <Button
            onClick={propose}
            loading={busy}
            disabled={unreachable || run?.state === 'approved'}
            data-testid="settlement-propose"
          >
            {run === null ? t('settlementScreen.propose') : t('settlementScreen.recompute')}
          </Button>
          <Button
            color="teal"
            onClick={() => {
              setConfirming(true);
            }}
            disabled={unreachable || busy || run?.state !== 'proposed'}
            data-testid="settlement-approve"
          >
            {t('settlementScreen.approve')}
          </Button>
          <Button
            variant="light"
            onClick={() => {
              exportAs('csv');
            }}
            disabled={run === null}
            data-testid="settlement-export-csv"
          >
            {t('settlementScreen.export.csv')}
          </Button>
          <Button
            variant="light"
            onClick={() => {
              exportAs('xlsx');
            }}
            disabled={run === null}
            data-testid="settlement-export-xlsx"
          >
            {t('settlementScreen.export.xlsx')}
          </Button>
        </Group>
      </form>
      {unreachable && (
        <Alert color="orange" data-testid="settlement-offline">
          {t('settlementScreen.offlineActions')}
        </Alert>
      )}
      {notDue?.code === 'MONTH_NOT_DUE' && run === null && (
        <Alert color="blue" data-testid="settlement-not-due">
          {t('settlementScreen.notDueYet', { month, settleOn: notDue.settleOn })}
        </Alert>
      )}
      {error !== null && error.code !== 'OFFLINE' && (
        <Alert color="red" data-testid="settlement-error" data-code={error.code}>
          <Text size="sm">{errorText(t, error, month)}</Text>
          <Text size="xs" c="dimmed">
            {t('settlementScreen.serverSaid', { message: error.message })}
          </Text>
        </Alert>
      )}
      {exportError !== null && (
        <Alert color="red" data-testid="settlement-export-error">
          {t('settlementScreen.export.failed', { message: exportError })}
        </Alert>
      )}
      {state.status === 'loading' && <Text c="dimmed">{t('settlementScreen.loading')}</Text>}
      {state.status === 'offline' && (
        <Text c="dimmed" data-testid="settlement-offline-nothing">
          {t('settlementScreen.offlineNothing', { month })}
        </Text>
      )}
      {state.status === 'ready' && fetched === null && (
        <Text c="dimmed" data-testid="settlement-none">
          {t('settlementScreen.none', { month })}
        </Text>
      )}
      {fetched !== null && (
        <Run
          fetched={fetched}
          stale={state.status === 'ready' && state.source !== 'server'}
          now={now}
        />
      )}
      <Modal
        opened={confirming}
        onClose={() => {
          setConfirming(false);
        }}
        title={t('settlementScreen.confirm.title', { month })}
        centered
      >
        <Stack>
          <Text data-testid="settlement-confirm-body">
            {t('settlementScreen.confirm.body', {
              total: run?.settlement.total ?? '0.00',
              members: run?.settlement.members.length ?? 0,
            })}
          </Text>
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => {
                setConfirming(false);
              }}
            >
              {t('settlementScreen.confirm.cancel')}
            </Button>
            <Button
              color="teal"
              onClick={() => {
                setConfirming(false);
                approve();
              }}
              data-testid="settlement-confirm-approve"
            >
              {t('settlementScreen.confirm.approve')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
