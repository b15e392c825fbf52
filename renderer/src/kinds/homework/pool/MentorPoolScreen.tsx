import { Alert, Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MutationName } from '#shared/sync/mutations';
import type { HomeworkSubmissionRecord, ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { itemView, type PendingMutation } from '#shared/sync/view';
import { formatServerTime, useNow } from '../../../app/format';
import { usePending, useUsers } from '../../../features/queue/useQueue';
import { useLocale } from '../../../i18n/useLocale';
import type { Workspace } from '../../../workspace/workspace';
import type { ScreenProps } from '../../registry';
import { pendingFor, useItemsBySubmission, useSubmissions } from '../data';
import { MentorReviewDialog } from '../mentor/MentorReviewDialog';
import { byChapter, excerpt, poolEntries, reviewedWork, type PoolEntry } from './poolData';

/** Work reviewed earlier is history: the newest page first, more on request, so the pool stays short. */
const REVIEWED_PAGE = 20;

const nameOf = (users: ReadonlyMap<string, UserRecord>, id: string | null) =>
  id === null ? null : (users.get(id)?.displayName ?? id);

/**
 * `#/homework/pool`: the mentors' Friday pool. The work TAs passed, by chapter, with who passed it
 * and what they wrote; from 00:00 (Asia/Shanghai) of the work's Friday review day a mentor claims
 * it and reviews it in the kind's own dialog. Before that the row says when the pool opens. Work
 * already reviewed (and archived) is listed below. Ops managers and TAs see the pool read-only.
 */
export function MentorPoolScreen({ workspace }: ScreenProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  useNow(30_000);
  const serverNow = workspace.serverNow();
  const { db } = workspace;
  const submissions = useSubmissions(db);
  const items = useItemsBySubmission(db, 'homework_mentor');
  const pending = usePending(db);
  const users = useUsers(db);
  const [reviewing, setReviewing] = useState<ReviewItemRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reviewedShown, setReviewedShown] = useState(REVIEWED_PAGE);
  const canReview = workspace.session.user.role === 'mentor';

  const entries = useMemo(
    () => (submissions === undefined || items === undefined ? [] : poolEntries(submissions, items)),
    [submissions, items],
  );
  const reviewed = useMemo(() => reviewedWork(submissions ?? []), [submissions]);

  const record = async (
    name: MutationName,
    args: unknown,
    options?: { readonly v?: number },
  ): Promise<boolean> => {
    try {
      setError(null);
      await workspace.record(name, args, undefined, options);
      return true;
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
      return false;
    }
  };

  const startReview = async (item: ReviewItemRecord) => {
    const view = itemView(item, {
      userId: workspace.session.user.id,
      pending,
      results: [],
      serverNow,
    });
    // The review needs the item held: claim it first unless this mentor already holds it.
    if (!view.heldByMe && !(await record('claim', { itemId: item.id }))) {
      return;
    }
    setReviewing(item);
  };

  const time = (value: string | number | null) =>
    value === null ? '—' : formatServerTime(value, locale, serverNow);

  return (
    <Stack gap="md" data-testid="mentor-pool">
      <Stack gap={2}>
        <Title order={2}>{t('homeworkBoard.pool.title')}</Title>
        <Text size="sm" c="dimmed">
          {canReview ? t('homeworkBoard.pool.intro') : t('homeworkBoard.pool.readOnly')}
        </Text>
      </Stack>
      {error !== null && (
        <Alert color="red" data-testid="pool-error">
          {error}
        </Alert>
      )}
      {submissions === undefined || items === undefined ? null : entries.length === 0 ? (
        <Text c="dimmed" data-testid="pool-empty">
          {t('homeworkBoard.pool.empty')}
        </Text>
      ) : (
        byChapter(entries, (entry) => entry.submission.chapter).map((group) => (
          <Stack key={group.chapter} gap="xs" data-testid="pool-chapter">
            <Group gap="xs">
              <Title order={4}>{t('homework.chapter', { chapter: group.chapter })}</Title>
              <Badge variant="light">
                {t('homeworkBoard.pool.count', { count: group.rows.length })}
              </Badge>
            </Group>
            {group.rows.map((entry) => (
              <PoolRow
                key={entry.submission.id}
                entry={entry}
                workspace={workspace}
                pending={pending}
                users={users}
                serverNow={serverNow}
                canReview={canReview}
                time={time}
                onReview={(item) => void startReview(item)}
              />
            ))}
          </Stack>
        ))
      )}

      <Title order={3}>{t('homeworkBoard.pool.reviewedTitle')}</Title>
      {reviewed.length === 0 ? (
        <Text c="dimmed" size="sm" data-testid="pool-reviewed-empty">
          {t('homeworkBoard.pool.reviewedEmpty')}
        </Text>
      ) : (
        <>
          {reviewed.slice(0, reviewedShown).map((submission) => (
            <ReviewedRow key={submission.id} submission={submission} users={users} time={time} />
          ))}
          {reviewed.length > reviewedShown && (
            <Button
              variant="subtle"
              data-testid="pool-reviewed-more"
              onClick={() => {
                setReviewedShown((shown) => shown + REVIEWED_PAGE);
              }}
            >
              {t('homeworkBoard.pool.reviewedMore', {
                count: Math.min(REVIEWED_PAGE, reviewed.length - reviewedShown),
                left: reviewed.length - reviewedShown,
              })}
            </Button>
          )}
        </>
      )}

      {reviewing !== null && (
        <MentorReviewDialog
          workspace={workspace}
          item={reviewing}
          onClose={() => {
            setReviewing(null);
          }}
          onSubmit={async (name, args, options) => {
            const recorded = await record(name, args, options);
            if (recorded) {
              setReviewing(null);
            }
            return recorded;
          }}
        />
      )}
    </Stack>
  );
}

function StudentLine({ submission }: { readonly submission: HomeworkSubmissionRecord }) {
  const { t } = useTranslation();
  return (
    <Group gap="xs">
      <Text fw={600}>{submission.studentName}</Text>
      <Text size="sm" c="dimmed">
        {submission.studentId}
      </Text>
      <Badge variant="outline" color="gray">
        {t('homework.chapter', { chapter: submission.chapter })}
      </Badge>
      <Text size="sm" data-testid="pool-score">
        {submission.score === null
          ? t('homeworkBoard.noScore')
          : t('homeworkBoard.score', { score: submission.score })}
      </Text>
    </Group>
  );
}

function PoolRow({
  entry,
  workspace,
  pending,
  users,
  serverNow,
  canReview,
  time,
  onReview,
}: {
  readonly entry: PoolEntry;
  readonly workspace: Workspace;
  readonly pending: readonly PendingMutation[];
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly serverNow: number;
  readonly canReview: boolean;
  readonly time: (value: string | number | null) => string;
  readonly onReview: (item: ReviewItemRecord) => void;
}) {
  const { t } = useTranslation();
  const { submission, item, opensAt } = entry;
  const open = opensAt === null || serverNow >= opensAt;
  const mine = item === null ? null : pendingFor(pending, 'mentorReview', item.id);
  const view =
    item === null
      ? null
      : itemView(item, { userId: workspace.session.user.id, pending, results: [], serverNow });
  const holder = view?.heldByOther === true ? nameOf(users, item?.claim?.reviewerId ?? null) : null;
  const taName = nameOf(users, submission.taId);

  return (
    <Paper
      withBorder
      p="sm"
      data-testid="pool-item"
      data-submission-id={submission.id}
      {...(item === null ? {} : { 'data-item-id': item.id })}
      data-open={String(open)}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <StudentLine submission={submission} />
          <Text size="sm" c="dimmed" data-testid="pool-passed-by">
            {t('homeworkBoard.pool.passedBy', {
              name: taName ?? t('homeworkBoard.unknownUser'),
              time: time(submission.taDecidedAt),
            })}
          </Text>
          {submission.taFeedback !== null && submission.taFeedback.trim() !== '' && (
            <Text size="sm" data-testid="pool-feedback" title={submission.taFeedback}>
              {t('homeworkBoard.pool.feedback', { text: excerpt(submission.taFeedback) })}
            </Text>
          )}
          {!open && (
            <Text size="sm" c="orange" data-testid="pool-opens">
              {t('homeworkBoard.pool.opensAt', { time: time(opensAt) })}
            </Text>
          )}
          {holder !== null && (
            <Text size="sm" c="dimmed" data-testid="pool-held">
              {t('homeworkBoard.pool.heldBy', { name: holder })}
            </Text>
          )}
        </Stack>
        <Group gap="xs" wrap="nowrap">
          {mine !== null ? (
            <Badge color="yellow" variant="light" data-testid="pool-pending">
              {mine['excellent'] === true
                ? t('homeworkBoard.pool.pendingExcellent')
                : t('homeworkBoard.pool.pending')}
            </Badge>
          ) : (
            canReview &&
            item !== null && (
              <Button
                size="xs"
                disabled={!open || view?.heldByOther === true}
                onClick={() => {
                  onReview(item);
                }}
                data-testid="pool-review"
              >
                {t('homeworkBoard.pool.review')}
              </Button>
            )
          )}
        </Group>
      </Group>
    </Paper>
  );
}

function ReviewedRow({
  submission,
  users,
  time,
}: {
  readonly submission: HomeworkSubmissionRecord;
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly time: (value: string | number | null) => string;
}) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="pool-reviewed"
      data-submission-id={submission.id}
      data-excellent={String(submission.excellent === true)}
    >
      <Stack gap={4}>
        <Group justify="space-between">
          <StudentLine submission={submission} />
          {submission.excellent === true && (
            <Badge color="teal" data-testid="pool-excellent">
              {t('homeworkBoard.excellent')}
            </Badge>
          )}
        </Group>
        <Text size="sm" c="dimmed">
          {t('homeworkBoard.pool.reviewedBy', {
            name: nameOf(users, submission.mentorId) ?? t('homeworkBoard.unknownUser'),
            time: time(submission.mentorReviewedAt),
          })}
        </Text>
        {submission.mentorComment !== null && (
          <Text size="sm" data-testid="pool-comment">
            {submission.mentorComment}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
