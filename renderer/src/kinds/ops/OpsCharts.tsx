import { BarChart, type BarChartSeries } from '@mantine/charts';
import { Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { REFUND_REASON_LABELS } from '#shared/domain/refund';
import { REVIEW_REASON_LABELS } from '#shared/domain/review/reasons';
import { isRole, ROLE_LABELS } from '#shared/domain/roles';
import type { Locale } from '#shared/i18n/localized';
import {
  rejectionSeries,
  timeBucketBounds,
  timeBucketSeries,
  type ChartRow,
  type OpsHealthReport,
} from '#shared/ops/health';
import { useLocale } from '../../i18n/useLocale';

/**
 * The ops console's charts (@mantine/charts over Recharts) from the server's health report:
 * queue health per kind, rejection reasons over time, throughput against recorded hours, time
 * per item. Each chart is a card `data-testid="ops-chart"` with `data-chart`; a chart with
 * nothing to draw says so instead of showing empty axes.
 */

/** Series colours in order; more series than colours repeat them (legend names still differ). */
const PALETTE = [
  'blue.6',
  'orange.6',
  'teal.6',
  'grape.6',
  'red.6',
  'cyan.6',
  'lime.7',
  'pink.6',
  'indigo.6',
  'yellow.7',
] as const;
const colour = (index: number) => PALETTE[index % PALETTE.length] ?? 'blue.6';

export const CHART_HEIGHT = 260;

/**
 * Legend below the chart, in the order of the series: Recharts sorts legend items by label
 * otherwise, which puts "overdue" between "waiting" and "in review".
 */
export function legendProps(series: readonly BarChartSeries[]) {
  const order = series.map((entry) => entry.name);
  return {
    verticalAlign: 'bottom' as const,
    itemSorter: (item: { dataKey?: unknown }) => order.indexOf(String(item.dataKey)),
  };
}

const REASON_LABELS: Readonly<Record<string, Readonly<Record<Locale, string>>>> = {
  ...REVIEW_REASON_LABELS,
  ...REFUND_REASON_LABELS,
};

/** A reason code as people read it; a code this workstation does not know shows as it is. */
function reasonLabel(code: string, locale: Locale): string {
  return REASON_LABELS[code]?.[locale] ?? code;
}

function kindLabel(t: TFunction, kind: string): string {
  return t(`kind.${kind}`, { defaultValue: kind });
}

function roleLabel(role: string, locale: Locale): string {
  return isRole(role) ? ROLE_LABELS[role][locale] : role;
}

/** `2026-11-07` → `11-07`: the year is in the range above the charts. */
const shortDay = (day: string) => day.slice(5);

export function ChartCard({
  chart,
  title,
  empty,
  emptyText,
  note,
  wide = false,
  children,
}: {
  chart: string;
  title: string;
  empty: boolean;
  emptyText: string;
  note?: string | undefined;
  /** Spans the whole row of the grid. */
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <Card
      withBorder
      padding="md"
      data-testid="ops-chart"
      data-chart={chart}
      data-empty={empty}
      style={wide ? { gridColumn: '1 / -1' } : undefined}
    >
      <Stack gap="xs">
        <Title order={4}>{title}</Title>
        {empty ? (
          <Text c="dimmed" data-testid="ops-chart-empty" py="xl" ta="center">
            {emptyText}
          </Text>
        ) : (
          children
        )}
        {note !== undefined && (
          <Text size="xs" c="dimmed">
            {note}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

function QueueHealthChart({ health }: { health: OpsHealthReport }) {
  const { t } = useTranslation();
  const data = health.queue.map((row) => ({
    kind: kindLabel(t, row.kind),
    waiting: row.waiting,
    inReview: row.inReview,
    overdue: row.overdue,
  }));
  const series: BarChartSeries[] = [
    { name: 'waiting', label: t('opsConsole.charts.queue.waiting'), color: 'blue.6' },
    { name: 'inReview', label: t('opsConsole.charts.queue.inReview'), color: 'teal.6' },
    { name: 'overdue', label: t('opsConsole.charts.queue.overdue'), color: 'red.6' },
  ];
  return (
    <ChartCard
      chart="queue"
      title={t('opsConsole.charts.queue.title')}
      empty={data.length === 0}
      emptyText={t('opsConsole.charts.queue.empty')}
      note={t('opsConsole.charts.queue.note')}
    >
      <BarChart
        h={CHART_HEIGHT}
        data={data}
        dataKey="kind"
        withLegend
        legendProps={legendProps(series)}
        series={series}
        yAxisProps={{ allowDecimals: false }}
      />
    </ChartCard>
  );
}

function RejectionReasonsChart({ health }: { health: OpsHealthReport }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { rejectionReasons } = health;
  const series = rejectionSeries(health.from, health.to, rejectionReasons);
  const weekly = rejectionReasons.granularity === 'week';
  const chartSeries: BarChartSeries[] = series.reasons.map((reason, index) => ({
    name: reason,
    label: reasonLabel(reason, locale),
    color: colour(index),
  }));
  const data: ChartRow[] = series.rows.map((row) => {
    const period = String(row['period']);
    return {
      ...row,
      period: weekly
        ? t('opsConsole.charts.rejections.weekOf', { day: shortDay(period) })
        : shortDay(period),
    };
  });
  return (
    <ChartCard
      chart="rejections"
      title={t(
        weekly ? 'opsConsole.charts.rejections.titleWeekly' : 'opsConsole.charts.rejections.title',
      )}
      empty={series.reasons.length === 0}
      emptyText={t('opsConsole.charts.rejections.empty')}
      wide
      // Without any rejection the empty state says it all; with rejections that named no
      // reason only, the note says why the chart is empty anyway.
      note={
        rejectionReasons.rejections === 0
          ? undefined
          : t('opsConsole.charts.rejections.note', {
              count: rejectionReasons.rejections,
              without: rejectionReasons.withoutReason,
            })
      }
    >
      {/* Stacked bars rather than lines: most days have no rejection, and lines at zero hide
          one another. */}
      <BarChart
        h={CHART_HEIGHT}
        data={data}
        dataKey="period"
        type="stacked"
        withLegend
        legendProps={legendProps(chartSeries)}
        series={chartSeries}
        yAxisProps={{ allowDecimals: false }}
      />
    </ChartCard>
  );
}

const oneDecimal = (value: number) => (Math.round(value * 10) / 10).toFixed(1);

function ThroughputChart({ health }: { health: OpsHealthReport }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const data = health.throughput.map((member) => ({
    member: member.displayName,
    decided: member.decided,
    hours: Math.round(member.hours * 100) / 100,
  }));
  const series: BarChartSeries[] = [
    { name: 'decided', label: t('opsConsole.charts.throughput.decided'), color: 'blue.6' },
    {
      name: 'hours',
      label: t('opsConsole.charts.throughput.hours'),
      color: 'orange.6',
      yAxisId: 'right',
    },
  ];
  return (
    <ChartCard
      chart="throughput"
      title={t('opsConsole.charts.throughput.title')}
      empty={data.length === 0}
      emptyText={t('opsConsole.charts.throughput.empty')}
      note={t('opsConsole.charts.throughput.note')}
      wide
    >
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <BarChart
          h={CHART_HEIGHT}
          data={data}
          dataKey="member"
          withLegend
          legendProps={legendProps(series)}
          withRightYAxis
          yAxisLabel={t('opsConsole.charts.throughput.decidedAxis')}
          rightYAxisLabel={t('opsConsole.charts.throughput.hoursAxis')}
          series={series}
          // Every member's name under their bars: Recharts drops labels it thinks would collide.
          xAxisProps={{ interval: 0 }}
        />
        <Table striped fz="sm" data-testid="ops-throughput">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('opsConsole.charts.throughput.member')}</Table.Th>
              <Table.Th>{t('opsConsole.charts.throughput.role')}</Table.Th>
              <Table.Th>{t('opsConsole.charts.throughput.decided')}</Table.Th>
              <Table.Th>{t('opsConsole.charts.throughput.hours')}</Table.Th>
              <Table.Th>{t('opsConsole.charts.throughput.perHour')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {health.throughput.map((member) => (
              <Table.Tr key={member.userId} data-testid="ops-throughput-row">
                <Table.Td>{member.displayName}</Table.Td>
                <Table.Td>{roleLabel(member.role, locale)}</Table.Td>
                <Table.Td>{member.decided}</Table.Td>
                <Table.Td>{oneDecimal(member.hours)}</Table.Td>
                <Table.Td>
                  {member.itemsPerHour === null
                    ? t('opsConsole.charts.throughput.noHours')
                    : oneDecimal(member.itemsPerHour)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </SimpleGrid>
    </ChartCard>
  );
}

function bucketLabel(t: TFunction, bucket: number): string {
  const { lower, upper } = timeBucketBounds(bucket);
  return upper === null
    ? t('opsConsole.charts.timePerItem.atLeast', { lower })
    : t('opsConsole.charts.timePerItem.between', { lower, upper });
}

function TimePerItemChart({ health }: { health: OpsHealthReport }) {
  const { t } = useTranslation();
  const series = timeBucketSeries(health.timePerItem);
  const data: ChartRow[] = series.rows.map((row) => ({
    ...row,
    bucket: bucketLabel(t, Number(row['bucket'])),
  }));
  const chartSeries: BarChartSeries[] = series.kinds.map((kind, index) => ({
    name: kind,
    label: kindLabel(t, kind),
    color: colour(index),
  }));
  return (
    <ChartCard
      chart="timePerItem"
      title={t('opsConsole.charts.timePerItem.title')}
      empty={series.kinds.length === 0}
      emptyText={t('opsConsole.charts.timePerItem.empty')}
      note={t('opsConsole.charts.timePerItem.note')}
    >
      <BarChart
        h={CHART_HEIGHT}
        data={data}
        dataKey="bucket"
        type="stacked"
        withLegend
        legendProps={legendProps(chartSeries)}
        series={chartSeries}
        yAxisProps={{ allowDecimals: false }}
      />
    </ChartCard>
  );
}

/**
 * The four charts on a wide window: the two per-kind charts side by side, then the rejections
 * over time and the throughput each across the whole width (a month of days, a team of names).
 */
export function OpsCharts({ health }: { health: OpsHealthReport | null }) {
  const { t } = useTranslation();
  if (health === null) {
    return (
      <Text c="dimmed" data-testid="ops-charts-missing">
        {t('opsConsole.charts.missing')}
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} data-testid="ops-charts">
      <QueueHealthChart health={health} />
      <TimePerItemChart health={health} />
      <RejectionReasonsChart health={health} />
      <ThroughputChart health={health} />
    </SimpleGrid>
  );
}
