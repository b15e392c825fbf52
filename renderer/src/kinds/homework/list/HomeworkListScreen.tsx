import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { taDeadline } from '#shared/domain/homework';
import type { ReviewItemRecord } from '#shared/sync/rows';
import { formatServerTime, useNow } from '../../../app/format';
import { routeHref } from '../../../app/routing';
import { formatDuration } from '../../../features/queue/lease';
import {
  cacheForOffline,
  currentPending,
  isClaimable,
  recordClaim,
  type Claimability,
} from '../../../features/queue/offline';
import { TakeDialog, type TakeRun } from '../../../features/queue/TakeDialog';
import { useLocale } from '../../../i18n/useLocale';
import type { Workspace } from '../../../workspace/workspace';
import type { ScreenProps } from '../../registry';
import { compareChapters } from '../data';
import { useDuplicateThreshold } from '../nearDuplicates';
import {
  DEFAULT_HOMEWORK_FILTER,
  groupByChapter,
  orderedRows,
  type HomeworkFilter,
  type HomeworkRow,
} from './homeworkOrder';
import { useHomeworkRows } from './useHomeworkRows';

/**
 * `#/homework`: the TA's day. Submissions grouped by chapter, overdue first, with the 18:00
 * (Asia/Shanghai) first-pass deadline counted down; filters by chapter, state, student and
 * overdue; "take for offline work" claims the first N waiting ones for H hours and caches their
 * screenshots. A row opens the grading page.
 */
export function HomeworkListScreen({ workspace }: ScreenProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  useNow(30_000);
  const serverNow = workspace.serverNow();
  const [filter, setFilter] = useState<HomeworkFilter>(DEFAULT_HOMEWORK_FILTER);
  const [taking, setTaking] = useState(false);
  const [threshold, setThreshold] = useDuplicateThreshold();
  const rows = useHomeworkRows(workspace, serverNow);
  const groups = useMemo(
    () => (rows === undefined ? [] : groupByChapter(rows, filter)),
    [rows, filter],
  );
  const chapters = useMemo(
    () => [...new Set((rows ?? []).map((row) => row.submission.chapter))].sort(compareChapters),
    [rows],
  );
  // Today's 18:00 (Shanghai), or tomorrow's once it has passed: when work arriving now is due.
  const deadline = taDeadline(serverNow);
  const waitingOverdue = (rows ?? []).filter((row) => row.overdue && row.pendingOutcome === null);
  const canTake = workspace.session.user.role === 'ta';

  return (
    <Stack gap="md" data-testid="homework-list">
      <Group justify="space-between" align="flex-end">
        <Stack gap={2}>
          <Title order={2}>{t('homework.list.title')}</Title>
          {
            <Text size="sm" c="dimmed" data-testid="homework-deadline">
              {t('homework.list.deadline', {
                time: formatServerTime(deadline, locale, serverNow),
                left: formatDuration(deadline - serverNow, t),
              })}
            </Text>
          }
        </Stack>
        {canTake && (
          <Button
            variant="light"
            onClick={() => {
              setTaking(true);
            }}
            data-testid="homework-take"
          >
            {t('homework.list.take')}
          </Button>
        )}
      </Group>
      {waitingOverdue.length > 0 && (
        <Alert color="red" data-testid="homework-overdue-alert">
          {t('homework.list.overdueAlert', { count: waitingOverdue.length })}
        </Alert>
      )}
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('homework.list.filter.chapter')}
          placeholder={t('homework.list.filter.allChapters')}
          data={chapters.map((chapter) => ({
            value: chapter,
            label: t('homework.chapter', { chapter }),
          }))}
          value={filter.chapter}
          onChange={(chapter) => {
            setFilter({ ...filter, chapter });
          }}
          clearable
          w={160}
          data-testid="homework-filter-chapter"
        />
        <Select
          label={t('homework.list.filter.state')}
          data={(['waiting', 'graded', 'all'] as const).map((value) => ({
            value,
            label: t(`homework.list.filter.states.${value}`),
          }))}
          value={filter.state}
          onChange={(value) => {
            setFilter({ ...filter, state: value ?? 'waiting' });
          }}
          allowDeselect={false}
          w={160}
          data-testid="homework-filter-state"
        />
        <TextInput
          label={t('homework.list.filter.student')}
          placeholder={t('homework.list.filter.studentPlaceholder')}
          value={filter.student}
          onChange={(event) => {
            setFilter({ ...filter, student: event.currentTarget.value });
          }}
          w={200}
          data-testid="homework-filter-student"
        />
        <Checkbox
          label={t('homework.list.filter.overdue')}
          checked={filter.overdueOnly}
          onChange={(event) => {
            setFilter({ ...filter, overdueOnly: event.currentTarget.checked });
          }}
          mb={6}
          data-testid="homework-filter-overdue"
        />
        <NumberInput
          label={t('homework.list.threshold')}
          description={t('homework.list.thresholdHint')}
          value={threshold}
          min={5}
          max={100}
          suffix=" %"
          onChange={(value) => {
            const percent = typeof value === 'number' ? value : Number.parseInt(value, 10);
            if (Number.isInteger(percent) && percent >= 5 && percent <= 100) {
              setThreshold(percent);
            }
          }}
          w={170}
          data-testid="homework-threshold"
        />
      </Group>
      {rows === undefined ? null : groups.length === 0 ? (
        <Text c="dimmed" data-testid="homework-empty">
          {t(filter.state === 'waiting' ? 'homework.list.emptyWaiting' : 'homework.list.empty')}
        </Text>
      ) : (
        groups.map((group) => (
          <Stack
            key={group.chapter}
            gap={6}
            data-testid="homework-chapter"
            data-chapter={group.chapter}
          >
            <Group gap="xs">
              <Title order={4}>{t('homework.chapter', { chapter: group.chapter })}</Title>
              <Badge variant="light">
                {t('homework.list.count', { count: group.rows.length })}
              </Badge>
              {group.overdue > 0 && (
                <Badge color="red" variant="light">
                  {t('homework.list.overdueCount', { count: group.overdue })}
                </Badge>
              )}
            </Group>
            {group.rows.map((row) => (
              <HomeworkListRow key={row.item.id} row={row} serverNow={serverNow} />
            ))}
          </Stack>
        ))
      )}
      {taking && (
        <TakeDialog
          onClose={() => {
            setTaking(false);
          }}
          run={takeRun(workspace, orderedRows(groups), serverNow)}
        />
      )}
    </Stack>
  );
}

function HomeworkListRow({
  row,
  serverNow,
}: {
  readonly row: HomeworkRow;
  readonly serverNow: number;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { submission, item } = row;
  const due = Date.parse(submission.taDueAt);
  const state =
    row.pendingOutcome !== null
      ? { color: 'blue', label: t(`homework.state.pending_${row.pendingOutcome}`) }
      : {
          color: STATE_COLORS[submission.state] ?? 'gray',
          label: t(`homework.state.${submission.state}`),
        };
  return (
    <Paper
      withBorder
      p="xs"
      data-testid="homework-item"
      data-item-id={item.id}
      data-submission-id={submission.id}
      data-overdue={row.overdue ? 'true' : 'false'}
    >
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={0}>
          <Anchor
            href={routeHref({ name: 'item', itemId: item.id, tab: 'listing' })}
            fw={600}
            data-testid="homework-open"
          >
            {submission.studentName} · {submission.studentId}
          </Anchor>
          <Text size="xs" c="dimmed">
            {t('homework.list.submitted', {
              time: formatServerTime(submission.submittedAt, locale, serverNow),
            })}
          </Text>
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {submission.state === 'submitted' && row.pendingOutcome === null && (
            <Badge
              color={row.overdue ? 'red' : due - serverNow < 2 * 3600_000 ? 'orange' : 'gray'}
              variant="light"
            >
              {row.overdue
                ? t('homework.list.overdue')
                : t('homework.list.dueIn', { left: formatDuration(due - serverNow, t) })}
            </Badge>
          )}
          {item.claim !== null && row.pendingOutcome === null && (
            <Badge variant="outline" color="gray">
              {t('homework.list.held')}
            </Badge>
          )}
          <Badge color={state.color} data-testid="homework-state">
            {state.label}
          </Badge>
        </Group>
      </Group>
    </Paper>
  );
}

export const STATE_COLORS: Readonly<Record<string, string>> = {
  submitted: 'gray',
  ta_passed: 'green',
  ta_rejected: 'red',
  mentor_reviewed: 'teal',
  archived: 'teal',
};

/** Claims the first N waiting submissions in the list's order and caches their screenshots. */
function takeRun(
  workspace: Workspace,
  ordered: readonly HomeworkRow[],
  serverNow: number,
): TakeRun {
  return async (count, leaseHours, onProgress) => {
    const { user } = workspace.session;
    const claimability: Claimability = {
      userId: user.id,
      role: user.role,
      serverNow,
      pending: await currentPending(workspace),
      results: new Map(),
    };
    const items: ReviewItemRecord[] = ordered
      .filter((row) => row.pendingOutcome === null && isClaimable(row.item, claimability))
      .slice(0, count)
      .map((row) => row.item);
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
