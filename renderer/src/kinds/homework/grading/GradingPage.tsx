import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MAX_FEEDBACK_LENGTH,
  rubricTotal,
  validateRubricGrade,
  type RubricIssue,
} from '#shared/domain/rubric';
import type { GradeHomeworkV2Args } from '#shared/sync/mutations';
import type { CommentBankRecord, HomeworkSubmissionRecord, RubricRecord } from '#shared/sync/rows';
import { itemView } from '#shared/sync/view';
import { formatServerTime, useNow } from '../../../app/format';
import { navigate, routeHref } from '../../../app/routing';
import { useShortcuts, type Shortcut } from '../../../app/shortcuts';
import { useItemTimeTracking } from '../../../features/item/useTimeTracking';
import { recordClaim } from '../../../features/queue/offline';
import { usePending, useResultsByItem, useUsers } from '../../../features/queue/useQueue';
import { useLocale } from '../../../i18n/useLocale';
import type { Workspace } from '../../../workspace/workspace';
import type { KindItemViewProps } from '../../registry';
import {
  pendingFor,
  useChapterSubmissions,
  useCommentBank,
  useEvidence,
  useRubrics,
  useStudents,
  useSubmission,
} from '../data';
import { groupByChapter, orderedRows, DEFAULT_HOMEWORK_FILTER } from '../list/homeworkOrder';
import { useHomeworkRows } from '../list/useHomeworkRows';
import { useDuplicatePairs, useDuplicateThreshold } from '../nearDuplicates';
import { BankPicker } from './BankPicker';
import { DuplicatePanel, flagsOf } from './DuplicatePanel';
import { EvidencePanel } from './EvidencePanel';

const MAX_DUPLICATE_FLAGS = 20;

/**
 * The grading page of one submission (`#/items/{homework item id}`): what was submitted (the
 * evidence snapshot), the chapter's rubric scored with number keys, the comment bank, the
 * near-duplicate findings, and pass / return with feedback. Keyboard only: 1–9 give a criterion
 * full points (again: clear), `a` / `r` choose pass / return, `b` opens the comment bank, `f`
 * goes to the feedback, Ctrl+Enter saves and opens the next submission. Saving claims the
 * submission first when the TA does not hold it yet; both go through the outbox, so grading
 * works offline.
 */
export function GradingPage({ workspace, itemId, item }: KindItemViewProps) {
  const { t } = useTranslation();
  const submission = useSubmission(workspace.db, item.subjectId);
  if (submission === undefined) {
    return null;
  }
  if (submission === null) {
    return (
      <Alert color="yellow" data-testid="grading-missing">
        {t('homework.grading.notOnDevice')}
      </Alert>
    );
  }
  return (
    <GradingBody
      key={itemId}
      workspace={workspace}
      itemId={itemId}
      submission={submission}
      item={item}
    />
  );
}

function GradingBody({
  workspace,
  itemId,
  item,
  submission,
}: KindItemViewProps & { readonly submission: HomeworkSubmissionRecord }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { db, session } = workspace;
  useNow(30_000);
  const serverNow = workspace.serverNow();
  const pending = usePending(db);
  const results = useResultsByItem(db);
  const users = useUsers(db);
  const rubric = useRubrics(db)?.get(submission.chapter);
  const bank = useCommentBank(db, submission.chapter);
  const evidence = useEvidence(db, submission.id);
  const student = useStudents(db)?.get(submission.studentId);
  const chapterSubmissions = useChapterSubmissions(db, submission.chapter);
  const [threshold] = useDuplicateThreshold();
  const pairs = useDuplicatePairs(chapterSubmissions, threshold);
  const flags = useMemo(
    () =>
      flagsOf(
        submission.id,
        pairs.get(submission.id) ?? [],
        new Map(chapterSubmissions.map((other) => [other.id, other])),
      ),
    [pairs, submission.id, chapterSubmissions],
  );
  const rows = useHomeworkRows(workspace, serverNow);

  const view = itemView(item, {
    userId: session.user.id,
    pending,
    results: results.get(itemId) ?? [],
    serverNow,
  });
  const myPending = pendingFor(pending, 'gradeHomework', itemId);
  const isTa = session.user.role === 'ta';
  const gradable =
    isTa && submission.state === 'submitted' && myPending === null && !view.heldByOther;

  useItemTimeTracking(workspace, itemId, isTa);

  const next = () => {
    const following = orderedRows(groupByChapter(rows ?? [], DEFAULT_HOMEWORK_FILTER)).find(
      (row) => row.item.id !== itemId,
    );
    if (following === undefined) {
      navigate({ name: 'screen', screenId: 'homework', subpath: '', query: '' });
    } else {
      navigate({ name: 'item', itemId: following.item.id, tab: 'listing' });
    }
  };

  const due = Date.parse(submission.taDueAt);
  return (
    <Stack gap="md" data-testid="grading-page" data-submission-id={submission.id}>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Anchor
            href={routeHref({ name: 'screen', screenId: 'homework', subpath: '', query: '' })}
            size="sm"
          >
            ← {t('homework.grading.back')}
          </Anchor>
          <Title order={2}>
            {t('homework.grading.student', {
              name: submission.studentName,
              id: submission.studentId,
            })}
          </Title>
          <Group gap="xs">
            <Badge variant="light">{t('homework.chapter', { chapter: submission.chapter })}</Badge>
            {student !== undefined && (
              <>
                <Badge variant="outline">
                  {t('homework.grading.cohort', { cohort: student.cohort })}
                </Badge>
                <Badge variant="outline" data-testid="grading-language">
                  {t('homework.grading.language', {
                    language: t(`homework.grading.languages.${student.language}`),
                  })}
                </Badge>
              </>
            )}
            {submission.state === 'submitted' && (
              <Badge color={serverNow >= due ? 'red' : 'gray'} variant="light">
                {serverNow >= due
                  ? t('homework.grading.overdue', {
                      time: formatServerTime(due, locale, serverNow),
                    })
                  : t('homework.grading.due', { time: formatServerTime(due, locale, serverNow) })}
              </Badge>
            )}
          </Group>
        </Stack>
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <EvidencePanel
              workspace={workspace}
              submission={submission}
              evidence={evidence ?? []}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <DuplicatePanel submission={submission} flags={flags} />
            {myPending !== null ? (
              <Alert color="blue" data-testid="grade-saved">
                {view.decision.kind === 'syncing' || view.decision.kind === 'saved'
                  ? t('homework.grading.saved')
                  : t('homework.grading.savedSynced')}
              </Alert>
            ) : submission.state !== 'submitted' ? (
              <Alert
                color={submission.state === 'ta_rejected' ? 'orange' : 'green'}
                data-testid="grade-standing"
              >
                {t('homework.grading.decidedBy', {
                  outcome: t(`homework.state.${submission.state}`),
                  score: submission.score ?? '–',
                  name:
                    (submission.taId === null
                      ? undefined
                      : users.get(submission.taId)?.displayName) ?? '–',
                })}
                {submission.taFeedback !== null && submission.taFeedback !== '' && (
                  <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }}>
                    {submission.taFeedback}
                  </Text>
                )}
              </Alert>
            ) : view.heldByOther ? (
              <Alert color="orange" data-testid="grade-held-by-other">
                {t('homework.grading.heldByOther')}
              </Alert>
            ) : null}
            {rubric === undefined ? (
              <Alert color="yellow" data-testid="rubric-missing">
                {t('homework.grading.rubric.missing', { chapter: submission.chapter })}
              </Alert>
            ) : (
              <GradeForm
                workspace={workspace}
                itemId={itemId}
                submission={submission}
                rubric={rubric}
                bank={bank}
                language={student?.language ?? (locale === 'en' ? 'en' : 'zh-CN')}
                enabled={gradable}
                needsClaim={!view.heldByMe}
                duplicateFlags={flags
                  .slice(0, MAX_DUPLICATE_FLAGS)
                  .map((flag) => ({ submissionId: flag.other.id, similarity: flag.similarity }))}
                onSaved={next}
              />
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

type Outcome = 'pass' | 'reject';

const withoutScore = (scores: Readonly<Record<string, number>>, criterionId: string) =>
  Object.fromEntries(Object.entries(scores).filter(([id]) => id !== criterionId));

function GradeForm({
  workspace,
  itemId,
  submission,
  rubric,
  bank,
  language,
  enabled,
  needsClaim,
  duplicateFlags,
  onSaved,
}: {
  readonly workspace: Workspace;
  readonly itemId: string;
  readonly submission: HomeworkSubmissionRecord;
  readonly rubric: RubricRecord;
  readonly bank: readonly CommentBankRecord[];
  readonly language: 'zh-CN' | 'en';
  readonly enabled: boolean;
  readonly needsClaim: boolean;
  readonly duplicateFlags: GradeHomeworkV2Args['duplicateFlags'];
  readonly onSaved: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [scores, setScores] = useState<Readonly<Record<string, number>>>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [feedback, setFeedback] = useState('');
  const [bankIds, setBankIds] = useState<readonly string[]>([]);
  const [bankOpen, setBankOpen] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const feedbackRef = useRef<HTMLTextAreaElement>(null);

  const issues = useMemo(
    () => validateRubricGrade(rubric, { outcome: outcome ?? 'reject', scores, feedback }),
    [rubric, outcome, scores, feedback],
  );
  // Out-of-range scores and over-long feedback show at once; what is missing, after a save try.
  const shown = (issue: RubricIssue) =>
    attempted || issue.code === 'score_out_of_range' || issue.code === 'feedback_too_long';
  const issueAt = (path: string) => {
    const issue = issues.find((candidate) => candidate.path === path && shown(candidate));
    return issue === undefined ? null : issue.message[locale];
  };
  const total = rubricTotal(rubric, scores);

  const toggle = useCallback(
    (index: number) => {
      const criterion = rubric.criteria[index];
      if (criterion === undefined) {
        return;
      }
      setScores((current) =>
        current[criterion.id] === criterion.points
          ? withoutScore(current, criterion.id)
          : { ...current, [criterion.id]: criterion.points },
      );
    },
    [rubric],
  );

  const insert = useCallback((entry: CommentBankRecord) => {
    setFeedback((current) =>
      current.trim() === '' ? entry.text : `${current.trimEnd()}\n${entry.text}`,
    );
    setBankIds((current) => (current.includes(entry.id) ? current : [...current, entry.id]));
    setBankOpen(false);
    feedbackRef.current?.focus();
  }, []);

  const save = async () => {
    setAttempted(true);
    setError(null);
    if (!enabled || saving || outcome === null || submission.evidenceSha256 === null) {
      if (outcome === null) {
        setError(t('homework.grading.outcome.label'));
      }
      return;
    }
    if (validateRubricGrade(rubric, { outcome, scores, feedback }).length > 0) {
      return;
    }
    setSaving(true);
    try {
      if (needsClaim) {
        await recordClaim(workspace, itemId);
      }
      const args: GradeHomeworkV2Args = {
        itemId,
        outcome,
        rubricId: rubric.id,
        rubricRevision: rubric.revision,
        criterionScores: scores,
        feedback: feedback.trim(),
        bankCommentIds: [...bankIds],
        evidenceSha256: submission.evidenceSha256,
        duplicateFlags: [...duplicateFlags],
      };
      await workspace.record('gradeHomework', args, undefined, { v: 2 });
      onSaved();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setSaving(false);
    }
  };

  const group = t('homework.grading.shortcuts.group');
  const shortcuts = useMemo<Shortcut[]>(
    () => [
      ...rubric.criteria.slice(0, 9).map((_, index) => ({
        keys: String(index + 1),
        description: t('homework.grading.shortcuts.criterion', { n: index + 1 }),
        group,
        run: () => {
          toggle(index);
        },
        enabled: enabled && !bankOpen,
      })),
      {
        keys: 'a',
        description: t('homework.grading.shortcuts.pass'),
        group,
        run: () => {
          setOutcome('pass');
        },
        enabled: enabled && !bankOpen,
      },
      {
        keys: 'r',
        description: t('homework.grading.shortcuts.reject'),
        group,
        run: () => {
          setOutcome('reject');
        },
        enabled: enabled && !bankOpen,
      },
      {
        keys: 'b',
        description: t('homework.grading.shortcuts.bank'),
        group,
        run: () => {
          setBankOpen(true);
        },
        enabled: enabled && !bankOpen,
      },
      {
        keys: 'f',
        description: t('homework.grading.shortcuts.feedback'),
        group,
        run: (event) => {
          event.preventDefault();
          feedbackRef.current?.focus();
        },
        enabled: enabled && !bankOpen,
      },
      {
        keys: 'mod+enter',
        description: t('homework.grading.shortcuts.save'),
        group,
        run: () => {
          void save();
        },
        inInputs: true,
        enabled: enabled && !bankOpen,
      },
    ],
    // `save` reads the latest state through this list, rebuilt when any of it changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [
      rubric,
      enabled,
      bankOpen,
      toggle,
      t,
      group,
      scores,
      outcome,
      feedback,
      bankIds,
      duplicateFlags,
      needsClaim,
    ],
  );
  useShortcuts(shortcuts);

  const feedbackLength = Array.from(feedback.trim()).length;
  return (
    <Paper withBorder p="md" data-testid="grade-form">
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>
            {t('homework.grading.rubric.title', { title: rubric.title })}{' '}
            <Text span size="xs" c="dimmed">
              {t('homework.grading.rubric.revision', { revision: rubric.revision })}
            </Text>
          </Text>
          <Badge size="lg" data-testid="rubric-total" data-total={total}>
            {t('homework.grading.rubric.total', { total, max: rubric.maxScore })}
          </Badge>
        </Group>
        <Text size="xs" c="dimmed">
          {t('homework.grading.rubric.keys', { n: Math.min(9, rubric.criteria.length) })}
        </Text>
        {rubric.criteria.map((criterion, index) => {
          const score = scores[criterion.id];
          return (
            <Group
              key={criterion.id}
              justify="space-between"
              wrap="nowrap"
              align="flex-start"
              data-testid="rubric-criterion"
              data-criterion-id={criterion.id}
              data-score={score ?? ''}
            >
              <Group gap="xs" wrap="nowrap" align="flex-start">
                <Badge variant={score === criterion.points ? 'filled' : 'outline'} w={28} p={0}>
                  {index + 1}
                </Badge>
                <Stack gap={0}>
                  <Text size="sm" fw={600}>
                    {criterion.title}{' '}
                    <Text span size="xs" c="dimmed">
                      {t('homework.grading.rubric.points', { points: criterion.points })}
                    </Text>
                  </Text>
                  <Text size="xs" c="dimmed">
                    {criterion.description}
                  </Text>
                </Stack>
              </Group>
              <NumberInput
                aria-label={`${t('homework.grading.rubric.score')}: ${criterion.title}`}
                value={score ?? ''}
                onChange={(value) => {
                  setScores((current) =>
                    value === ''
                      ? withoutScore(current, criterion.id)
                      : {
                          ...current,
                          [criterion.id]: typeof value === 'number' ? value : Number(value),
                        },
                  );
                }}
                min={0}
                max={criterion.points}
                clampBehavior="none"
                allowDecimal={false}
                w={90}
                disabled={!enabled}
                error={issueAt(`scores/${criterion.id}`)}
              />
            </Group>
          );
        })}
        <SegmentedControl
          value={outcome ?? ''}
          onChange={(value) => {
            setOutcome(value === 'pass' || value === 'reject' ? value : null);
          }}
          data={[
            { value: 'pass', label: t('homework.grading.outcome.pass') },
            { value: 'reject', label: t('homework.grading.outcome.reject') },
          ]}
          disabled={!enabled}
          data-testid="grade-outcome"
          aria-label={t('homework.grading.outcome.label')}
        />
        <Group justify="space-between" align="flex-end">
          <Text size="sm" fw={600}>
            {t('homework.grading.feedback.label')}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => {
              setBankOpen(true);
            }}
            disabled={!enabled}
          >
            {t('homework.grading.bank.open')}
          </Button>
        </Group>
        <Textarea
          ref={feedbackRef}
          value={feedback}
          onChange={(event) => {
            setFeedback(event.currentTarget.value);
          }}
          description={
            outcome === 'reject'
              ? t('homework.grading.feedback.reject')
              : t('homework.grading.feedback.pass')
          }
          placeholder={t('homework.grading.feedback.placeholder')}
          autosize
          minRows={4}
          maxRows={12}
          disabled={!enabled}
          error={issueAt('feedback')}
          data-testid="grade-feedback"
          aria-label={t('homework.grading.feedback.label')}
        />
        <Text size="xs" c={feedbackLength > MAX_FEEDBACK_LENGTH ? 'red' : 'dimmed'} ta="right">
          {t('homework.grading.feedback.counter', {
            count: feedbackLength,
            max: MAX_FEEDBACK_LENGTH,
          })}
        </Text>
        {error !== null && (
          <Alert color="red" data-testid="grade-error">
            {error}
          </Alert>
        )}
        {enabled && needsClaim && (
          <Text size="xs" c="dimmed">
            {t('homework.grading.claimNote')}
          </Text>
        )}
        <Button
          onClick={() => void save()}
          loading={saving}
          disabled={!enabled}
          data-testid="grade-save"
        >
          {t('homework.grading.save')}
        </Button>
      </Stack>
      {bankOpen && (
        <BankPicker
          entries={bank}
          language={language}
          onPick={insert}
          onClose={() => {
            setBankOpen(false);
          }}
        />
      )}
    </Paper>
  );
}
