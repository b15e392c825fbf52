import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { useCallback, useMemo, useState, type SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { formatShanghaiDateTime } from '#shared/domain/time';
import { isAcknowledged, type OpsAlert } from '#shared/ops/alerts';
import type { KpiFigure } from '#shared/ops/kpis';
import { ActualsReportPanel } from '../actuals/ActualsReportPanel';
import type { ScreenProps } from '../registry';
import { OpsBoards } from './OpsBoards';
import { OpsCharts } from './OpsCharts';
import { OpsReminders } from './OpsReminders';
import { NetworkError } from '../../sync/transport';
import {
  acknowledgeOpsAlert,
  defaultOpsRange,
  useOpsFigures,
  type OpsFigures,
  type OpsRange,
} from './opsData';

/** A KPI's value as people read it: a percentage, days or hours. */
export function formatKpiValue(t: TFunction, figure: KpiFigure, value: number | null): string {
  if (value === null) {
    return t('opsConsole.noValue');
  }
  switch (figure.unit) {
    case 'ratio':
      return t('opsConsole.percent', { value: (value * 100).toFixed(1) });
    case 'days':
      return t('opsConsole.days', { value: value.toFixed(1) });
    case 'hours':
      return t('opsConsole.hours', { value: value.toFixed(1) });
  }
}

/** Whether the figure moved the right way since the previous range (null: cannot tell). */
export function kpiTrend(figure: KpiFigure): 'better' | 'worse' | 'same' | null {
  if (figure.value === null || figure.previous === null) {
    return null;
  }
  if (Math.abs(figure.value - figure.previous) < 1e-9) {
    return 'same';
  }
  const rising = figure.value > figure.previous;
  return rising === (figure.goal === 'atLeast') ? 'better' : 'worse';
}

function KpiTile({ figure }: { figure: KpiFigure }) {
  const { t } = useTranslation();
  const trend = kpiTrend(figure);
  const goalSign = figure.goal === 'atLeast' ? '≥' : '≤';
  return (
    <Card
      withBorder
      padding="md"
      data-testid="kpi-tile"
      data-kpi={figure.id}
      data-value={figure.value === null ? '' : String(figure.value)}
      data-met={figure.met === null ? '' : String(figure.met)}
    >
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          {t(`opsConsole.kpi.${figure.id}`)}
        </Text>
        <Group gap="xs" align="baseline">
          <Text fz={28} fw={700}>
            {formatKpiValue(t, figure, figure.value)}
          </Text>
          {figure.met !== null && (
            <Badge color={figure.met ? 'teal' : 'red'} variant="light">
              {figure.met ? t('opsConsole.met') : t('opsConsole.notMet')}
            </Badge>
          )}
        </Group>
        <Text size="sm">
          {t('opsConsole.target', {
            target: `${goalSign} ${formatKpiValue(t, figure, figure.target)}`,
          })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('opsConsole.previous', { value: formatKpiValue(t, figure, figure.previous) })}
          {trend !== null && ` · ${t(`opsConsole.trend.${trend}`)}`}
        </Text>
        <Text size="xs" c="dimmed">
          {t('opsConsole.sample', { count: figure.sample })}
          {figure.unanswered !== undefined &&
            figure.unanswered > 0 &&
            ` · ${t('opsConsole.unanswered', { count: figure.unanswered })}`}
        </Text>
      </Stack>
    </Card>
  );
}

function alertText(t: TFunction, alert: OpsAlert): string {
  return alert.rule === 'submission_spike'
    ? t('opsConsole.alerts.submission_spike', {
        value: alert.value,
        threshold: Math.round(alert.threshold * 10) / 10,
      })
    : t('opsConsole.alerts.rejection_rate', {
        value: (alert.value * 100).toFixed(0),
        threshold: (alert.threshold * 100).toFixed(0),
      });
}

function AlertAcknowledgement({
  alert,
  onAcknowledge,
}: {
  readonly alert: OpsAlert;
  readonly onAcknowledge: (alert: OpsAlert) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (isAcknowledged(alert)) {
    return (
      <Text size="sm" c="dimmed" data-testid="ops-alert-acknowledged">
        {t('opsConsole.alerts.acknowledgedBy', {
          name: alert.acknowledged.byName,
          when: formatShanghaiDateTime(Date.parse(alert.acknowledged.at)),
        })}
      </Text>
    );
  }
  const acknowledge = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await onAcknowledge(alert);
    } catch (error) {
      setFailure(
        error instanceof NetworkError
          ? t('opsConsole.alerts.acknowledgeOffline')
          : t('opsConsole.alerts.acknowledgeFailed', {
              message: error instanceof Error ? error.message : String(error),
            }),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap={4} align="flex-start">
      <Button
        size="xs"
        variant="light"
        loading={busy}
        onClick={() => void acknowledge()}
        data-testid="ops-alert-acknowledge"
      >
        {t('opsConsole.alerts.acknowledge')}
      </Button>
      {failure !== null && (
        <Text size="sm" c="red" role="alert" data-testid="ops-alert-acknowledge-error">
          {failure}
        </Text>
      )}
    </Stack>
  );
}

function AlertList({
  alerts,
  onAcknowledge,
}: {
  readonly alerts: readonly OpsAlert[];
  readonly onAcknowledge: (alert: OpsAlert) => Promise<void>;
}) {
  const { t } = useTranslation();
  if (alerts.length === 0) {
    return <Text c="dimmed">{t('opsConsole.alerts.none')}</Text>;
  }
  return (
    <Table data-testid="ops-alerts" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('opsConsole.alerts.day')}</Table.Th>
          <Table.Th>{t('opsConsole.alerts.rule')}</Table.Th>
          <Table.Th>{t('opsConsole.alerts.what')}</Table.Th>
          <Table.Th>{t('opsConsole.alerts.status')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {alerts.map((alert) => (
          <Table.Tr
            key={alert.id}
            data-testid="ops-alert"
            data-rule={alert.rule}
            data-acknowledged={String(isAcknowledged(alert))}
          >
            <Table.Td>{alert.day}</Table.Td>
            <Table.Td>{t(`opsConsole.alerts.name.${alert.rule}`)}</Table.Td>
            <Table.Td>{alertText(t, alert)}</Table.Td>
            <Table.Td>
              <AlertAcknowledgement alert={alert} onAcknowledge={onAcknowledge} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Freshness({ figures, source }: { figures: OpsFigures; source: 'server' | 'cache' }) {
  const { t } = useTranslation();
  const when = formatShanghaiDateTime(figures.fetchedAt);
  return (
    <Text size="sm" c={source === 'cache' ? 'orange' : 'dimmed'} data-testid="ops-freshness">
      {source === 'cache'
        ? t('opsConsole.fromCache', { when })
        : t('opsConsole.fresh', {
            when,
            asOf: formatShanghaiDateTime(Date.parse(figures.report.asOf)),
          })}
    </Text>
  );
}

function Figures({
  figures,
  source,
  onAcknowledge,
}: {
  readonly figures: OpsFigures;
  readonly source: 'server' | 'cache';
  readonly onAcknowledge: (alert: OpsAlert) => Promise<void>;
}) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Freshness figures={figures} source={source} />
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
        {figures.report.kpis.map((figure) => (
          <KpiTile key={figure.id} figure={figure} />
        ))}
      </SimpleGrid>
      <OpsCharts health={figures.health} />
      <OpsBoards board={figures.board} />
      <Title order={3}>{t('opsConsole.alerts.title')}</Title>
      <AlertList alerts={figures.alerts} onAcknowledge={onAcknowledge} />
      <OpsReminders reminders={figures.reminders} />
    </Stack>
  );
}

/** `#/ops`: the ops console (ops managers): KPIs with targets and trends, charts, alerts. */
export function OpsScreen({ workspace }: ScreenProps) {
  const { t } = useTranslation();
  const initial = useMemo(() => defaultOpsRange(workspace.serverNow()), [workspace]);
  const [range, setRange] = useState<OpsRange>(initial);
  const [draft, setDraft] = useState<OpsRange>(initial);
  const { state, reload } = useOpsFigures(workspace, range);
  const onAcknowledge = useCallback(
    async (alert: OpsAlert) => {
      await acknowledgeOpsAlert(workspace, alert.id);
      reload();
    },
    [workspace, reload],
  );
  const apply = (event: SyntheticEvent) => {
    event.preventDefault();
    if (draft.from === range.from && draft.to === range.to) {
      reload();
    } else {
      setRange(draft);
    }
  };
  return (
    <Stack p="md" data-testid="ops-console">
      <Title order={2}>{t('opsConsole.title')}</Title>
      <form onSubmit={apply} aria-label={t('opsConsole.rangeLabel')}>
        <Group align="end">
          <TextInput
            type="date"
            label={t('opsConsole.from')}
            value={draft.from}
            onChange={(event) => {
              setDraft({ ...draft, from: event.currentTarget.value });
            }}
            data-testid="ops-from"
          />
          <TextInput
            type="date"
            label={t('opsConsole.to')}
            value={draft.to}
            onChange={(event) => {
              setDraft({ ...draft, to: event.currentTarget.value });
            }}
            data-testid="ops-to"
          />
          <Button type="submit" data-testid="ops-apply">
            {t('opsConsole.apply')}
          </Button>
        </Group>
      </form>
      {state.status === 'loading' && <Text c="dimmed">{t('opsConsole.loading')}</Text>}
      {state.status === 'offline' && (
        <Alert color="orange" data-testid="ops-offline">
          {t('opsConsole.offlineNothing')}
        </Alert>
      )}
      {state.status === 'error' && (
        <>
          <Alert color="red" data-testid="ops-error" data-code={state.code}>
            {t(`opsConsole.errors.${state.code}`, {
              defaultValue: t('opsConsole.errors.other', { message: state.message }),
            })}
          </Alert>
          {state.cached !== null && (
            <Figures figures={state.cached} source="cache" onAcknowledge={onAcknowledge} />
          )}
        </>
      )}
      {state.status === 'ready' && (
        <Figures figures={state.figures} source={state.source} onAcknowledge={onAcknowledge} />
      )}
      {state.status === 'ready' && (
        <ActualsReportPanel workspace={workspace} from={range.from} to={range.to} />
      )}
    </Stack>
  );
}
