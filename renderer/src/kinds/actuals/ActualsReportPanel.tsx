import { BarChart } from '@mantine/charts';
import { Anchor, Badge, Card, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useMemo } from 'react';
import { formatShanghaiDateTime } from '#shared/domain/time';
import { isRole, ROLE_LABELS } from '#shared/domain/roles';
import type { ActualsReport } from '#shared/ops/actuals';
import { useLocale } from '../../i18n/useLocale';
import type { Workspace } from '../../workspace/workspace';
import { actualsApi, reportCacheKey, useCachedFetch } from './actualsData';
import { useActualsT, type ActualsT } from './text';

/**
 * The ops console's team actuals (`GET /api/v1/actuals/report`): declared hours per member as a
 * stacked billable / support bar chart, per member and per project as tables, the billable
 * share, and the corrections ops made. Kept on the device like the console's other figures.
 */

const hours = (value: number) => String(Math.round(value * 100) / 100);
const share = (t: ActualsT, value: number | null) =>
  value === null ? t('actuals.report.noShare') : `${(value * 100).toFixed(1)} %`;

function ReportBody({ report }: { report: ActualsReport }) {
  const t = useActualsT();
  const locale = useLocale();
  const names = new Map(report.projects.map((project) => [project.projectId, project.name]));
  if (report.members.length === 0) {
    return (
      <Text c="dimmed" data-testid="actuals-report-none">
        {t('actuals.report.none')}
      </Text>
    );
  }
  const billableLabel = t('actuals.report.billable');
  const supportLabel = t('actuals.report.support');
  return (
    <Stack>
      <Text data-testid="actuals-report-totals" data-hours={report.totals.hours}>
        {t('actuals.report.totals', {
          hours: hours(report.totals.hours),
          billable: hours(report.totals.billable),
          support: hours(report.totals.support),
          share: share(t, report.totals.billableShare),
        })}
      </Text>
      <Text size="sm" fw={600}>
        {t('actuals.report.chart')}
      </Text>
      <BarChart
        h={220}
        data={report.members.map((member) => ({
          member: member.displayName,
          [billableLabel]: member.billable,
          [supportLabel]: member.support,
        }))}
        dataKey="member"
        type="stacked"
        withLegend
        series={[
          { name: billableLabel, color: 'teal.6' },
          { name: supportLabel, color: 'grape.6' },
        ]}
      />
      <Table striped data-testid="actuals-report-members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('actuals.report.member')}</Table.Th>
            <Table.Th>{t('actuals.report.role')}</Table.Th>
            <Table.Th>{t('actuals.report.hours')}</Table.Th>
            <Table.Th>{billableLabel}</Table.Th>
            <Table.Th>{supportLabel}</Table.Th>
            <Table.Th>{t('actuals.report.share')}</Table.Th>
            <Table.Th>{t('actuals.report.recordedHours')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.members.map((member) => (
            <Table.Tr
              key={member.userId}
              data-testid="actuals-report-member"
              data-member={member.displayName}
              data-hours={member.hours}
              data-billable={member.billable}
            >
              <Table.Td>
                <Anchor
                  href={`#/actuals?member=${encodeURIComponent(member.userId)}&week=${report.to}`}
                  size="sm"
                >
                  {member.displayName}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {isRole(member.role) ? ROLE_LABELS[member.role][locale] : member.role}
              </Table.Td>
              <Table.Td>{hours(member.hours)}</Table.Td>
              <Table.Td>{hours(member.billable)}</Table.Td>
              <Table.Td>{hours(member.support)}</Table.Td>
              <Table.Td>{share(t, member.billableShare)}</Table.Td>
              <Table.Td>{hours(member.recordedHours)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" fw={600}>
        {t('actuals.report.projects')}
      </Text>
      <Table striped data-testid="actuals-report-projects">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('actuals.project')}</Table.Th>
            <Table.Th>{t('actuals.report.projectType')}</Table.Th>
            <Table.Th>{t('actuals.report.hours')}</Table.Th>
            <Table.Th>{t('actuals.report.members')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.projects.map((project) => (
            <Table.Tr key={project.projectId} data-testid="actuals-report-project">
              <Table.Td>{project.name}</Table.Td>
              <Table.Td>
                <Badge
                  size="sm"
                  variant="light"
                  color={project.type === 'billable' ? 'teal' : 'grape'}
                >
                  {t(`actuals.type.${project.type}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{hours(project.hours)}</Table.Td>
              <Table.Td>{project.members}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {report.closedMonths.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('actuals.report.closedMonths', { months: report.closedMonths.join(', ') })}
        </Text>
      )}
      {report.corrections.length > 0 && (
        <Stack gap={4} data-testid="actuals-report-corrections">
          <Text size="sm" fw={600}>
            {t('actuals.report.corrections')}
          </Text>
          {report.corrections.map((entry) => (
            <Text size="sm" key={`${entry.at} ${entry.memberId} ${entry.projectId} ${entry.day}`}>
              {formatShanghaiDateTime(Date.parse(entry.at))} ·{' '}
              {t('actuals.report.correction', {
                actor: entry.actorName,
                member: entry.memberName,
                day: `${entry.day} ${names.get(entry.projectId) ?? ''}`.trim(),
                before: entry.hoursBefore === null ? '0' : hours(entry.hoursBefore),
                after: entry.hoursAfter === null ? '0' : hours(entry.hoursAfter),
                reason: entry.reason,
              })}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** The team actuals card of the ops console over the console's range. */
export function ActualsReportPanel({
  workspace,
  from,
  to,
}: {
  workspace: Workspace;
  from: string;
  to: string;
}) {
  const t = useActualsT();
  const api = useMemo(() => actualsApi(workspace), [workspace]);
  const load = useCallback(() => api.report(from, to), [api, from, to]);
  const [state] = useCachedFetch<ActualsReport>(workspace.db, reportCacheKey(from, to), load);
  if (state.status === 'error' && ['HTTP_404', 'NOT_FOUND', 'NOT_A_REPORT'].includes(state.code)) {
    return null; // an older server without team actuals
  }
  return (
    <Card withBorder padding="md" data-testid="actuals-report">
      <Stack>
        <Title order={3}>{t('actuals.report.title')}</Title>
        {state.status === 'offline' && <Text c="orange">{t('actuals.report.offline')}</Text>}
        {state.status === 'error' && (
          <Text c="red">{t('actuals.report.error', { message: state.message })}</Text>
        )}
        {state.status === 'ready' && (
          <>
            {state.source === 'unreachable' && (
              <Text size="sm" c="orange">
                {t('actuals.report.fromCache', {
                  when: formatShanghaiDateTime(state.fetched.fetchedAt),
                })}
              </Text>
            )}
            <ReportBody report={state.fetched.value} />
          </>
        )}
      </Stack>
    </Card>
  );
}
