import { BarChart, type BarChartSeries } from '@mantine/charts';
import { Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldLabel } from '#shared/domain/listing/fieldLabels';
import type { OpsBoardReport } from '#shared/ops/board';
import { useLocale } from '../../i18n/useLocale';
import { CHART_HEIGHT, ChartCard, legendProps } from './OpsCharts';

/**
 * The submission funnel per form step and the course board of course-operations-sop.zh.md §7
 * (definitions in shared/ops/board.ts), as cards of the console's chart grid.
 */

const percentOf = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;

function FunnelChart({ board }: { readonly board: OpsBoardReport }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { funnel } = board;
  const data = [
    ...funnel.steps.map((step, index) => ({
      step: `${String(index + 1)}. ${fieldLabel([step.step])[locale]}`,
      reached: step.reached,
      completed: step.completed,
    })),
    {
      step: t('opsConsole.boards.funnel.submittedStep'),
      reached: funnel.submitted,
      completed: funnel.submitted,
    },
  ];
  const series: BarChartSeries[] = [
    { name: 'reached', label: t('opsConsole.boards.funnel.reached'), color: 'blue.3' },
    { name: 'completed', label: t('opsConsole.boards.funnel.completed'), color: 'blue.7' },
  ];
  const worst = funnel.steps.reduce<{ step: string; stayed: number } | null>(
    (found, step) =>
      step.reached - step.completed > (found?.stayed ?? 0)
        ? { step: fieldLabel([step.step])[locale], stayed: step.reached - step.completed }
        : found,
    null,
  );
  return (
    <ChartCard
      chart="funnel"
      title={t('opsConsole.boards.funnel.title')}
      empty={funnel.started === 0}
      emptyText={t('opsConsole.boards.funnel.empty')}
      note={
        funnel.started === 0
          ? undefined
          : t('opsConsole.boards.funnel.note', {
              started: funnel.started,
              submitted: funnel.submitted,
              percent: percentOf(funnel.submitted, funnel.started),
            }) +
            (worst === null
              ? ''
              : ` ${t('opsConsole.boards.funnel.worst', { step: worst.step, count: worst.stayed })}`)
      }
      wide
    >
      <BarChart
        h={CHART_HEIGHT}
        data={data}
        dataKey="step"
        withLegend
        legendProps={legendProps(series)}
        series={series}
        yAxisProps={{ allowDecimals: false }}
        xAxisProps={{ interval: 0 }}
      />
    </ChartCard>
  );
}

function Figure({
  label,
  value,
  figure,
}: {
  readonly label: string;
  readonly value: string;
  readonly figure: string;
}) {
  return (
    <Paper withBorder p="sm" data-testid="course-figure" data-figure={figure}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={600}>
        {value}
      </Text>
    </Paper>
  );
}

function CourseBoardCard({ board }: { readonly board: OpsBoardReport }) {
  const { t } = useTranslation();
  const { course } = board;
  const data = course.chapters.map((chapter) => ({
    chapter: chapter.chapter,
    submitted: percentOf(chapter.submitted, course.students),
    passed: percentOf(chapter.passed, course.students),
  }));
  const series: BarChartSeries[] = [
    { name: 'submitted', label: t('opsConsole.boards.course.submissionRate'), color: 'teal.4' },
    { name: 'passed', label: t('opsConsole.boards.course.completionRate'), color: 'teal.8' },
  ];
  return (
    <ChartCard
      chart="course"
      title={t('opsConsole.boards.course.title')}
      empty={course.students === 0}
      emptyText={t('opsConsole.boards.course.empty')}
      note={t('opsConsole.boards.course.note')}
      wide
    >
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Figure
            figure="students"
            label={t('opsConsole.boards.course.students')}
            value={String(course.students)}
          />
          <Figure
            figure="active"
            label={t('opsConsole.boards.course.active')}
            value={t('opsConsole.percent', {
              value: percentOf(course.activeStudents, course.students),
            })}
          />
          <Figure
            figure="progress"
            label={t('opsConsole.boards.course.progress')}
            value={
              course.averageProgressPercent === null
                ? t('opsConsole.noValue')
                : t('opsConsole.percent', {
                    value: Math.round(course.averageProgressPercent * 10) / 10,
                  })
            }
          />
          <Figure
            figure="learningTime"
            label={t('opsConsole.boards.course.learningTime')}
            value={t('opsConsole.boards.course.notRecorded')}
          />
        </SimpleGrid>
        {data.length === 0 ? (
          <Group justify="center" py="md">
            <Text c="dimmed">{t('opsConsole.boards.course.noHomework')}</Text>
          </Group>
        ) : (
          <BarChart
            h={CHART_HEIGHT}
            data={data}
            dataKey="chapter"
            withLegend
            legendProps={legendProps(series)}
            series={series}
            unit="%"
            yAxisProps={{ domain: [0, 100] }}
            xAxisProps={{ interval: 0 }}
          />
        )}
      </Stack>
    </ChartCard>
  );
}

/** Both boards; figures cached before the boards existed have none and say so. */
export function OpsBoards({ board }: { readonly board: OpsBoardReport | null }) {
  const { t } = useTranslation();
  if (board === null) {
    return (
      <Text c="dimmed" data-testid="ops-boards-missing">
        {t('opsConsole.boards.missing')}
      </Text>
    );
  }
  return (
    <SimpleGrid cols={1} data-testid="ops-boards">
      <FunnelChart board={board} />
      <CourseBoardCard board={board} />
    </SimpleGrid>
  );
}
