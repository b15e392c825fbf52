import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  NumberInput,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_RUBRIC_CRITERIA } from '#shared/domain/rubric';
import { MUTATION_ARGS } from '#shared/sync/mutations';
import type { RubricRecord } from '#shared/sync/rows';
import type { PendingMutation } from '#shared/sync/view';
import { useLocale } from '../../../i18n/useLocale';
import type { Workspace } from '../../../workspace/workspace';
import {
  draftIssues,
  draftOf,
  draftTotal,
  moveCriterion,
  newCriterion,
  sameDraft,
  saveArgs,
  type DraftCriterion,
  type RubricDraft,
} from './rubricDraft';

const toPoints = (value: string | number): number | '' =>
  typeof value === 'number' ? value : value.trim() === '' ? '' : Number(value);

/** Whether a `saveRubric` of this rubric is still in the outbox. */
function savePending(pending: readonly PendingMutation[], rubricId: string): boolean {
  return pending.some(
    (mutation) =>
      mutation.name === 'saveRubric' &&
      (mutation.args as { readonly rubricId?: unknown } | null)?.rubricId === rubricId,
  );
}

/**
 * A chapter's rubric: title, maximum score and up to nine criteria (title, description, points),
 * added, removed and reordered. `validateRubric`'s problems are shown at their fields, in the UI
 * language, and saving waits until there are none. Saving records `saveRubric` with the revision
 * the draft started from (`baseRevision`), or none for a new rubric (a new id). Read-only unless
 * `canEdit` (ops managers).
 */
export function RubricEditor({
  workspace,
  chapter,
  rubric,
  canEdit,
  pending,
}: {
  readonly workspace: Workspace;
  readonly chapter: string;
  readonly rubric: RubricRecord | null;
  readonly canEdit: boolean;
  readonly pending: readonly PendingMutation[];
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [rubricId] = useState(() => rubric?.id ?? crypto.randomUUID());
  // What the draft started from (or was last saved as), and the revision it was read at.
  const [loaded, setLoaded] = useState<RubricDraft>(() => draftOf(rubric));
  const [base, setBase] = useState<number | null>(rubric?.revision ?? null);
  const [draft, setDraft] = useState<RubricDraft>(loaded);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const dirty = !sameDraft(draft, loaded);
  const revision = rubric?.revision ?? null;
  const changedMeanwhile = revision !== null && revision !== base;

  // A newer revision arrived (my save came back, or someone else's): follow it unless editing.
  if (rubric !== null && rubric.revision !== base && !dirty) {
    const next = draftOf(rubric);
    setLoaded(next);
    setDraft(next);
    setBase(rubric.revision);
  }

  const issues = draftIssues(chapter, draft);
  const issuesAt = (path: string) => {
    const messages = issues.filter((issue) => issue.path === path);
    return messages.length === 0
      ? undefined
      : messages.map((issue) => issue.message[locale]).join(' ');
  };
  const listIssue = issuesAt('criteria');
  const waitingForSync = savePending(pending, rubricId);
  const canSave = canEdit && dirty && issues.length === 0 && !waitingForSync && !changedMeanwhile;

  const setCriterion = (index: number, patch: Partial<DraftCriterion>) => {
    setDraft({
      ...draft,
      criteria: draft.criteria.map((one, at) => (at === index ? { ...one, ...patch } : one)),
    });
    setSaved(false);
  };

  const save = async () => {
    const args = MUTATION_ARGS.saveRubric.safeParse(saveArgs(rubricId, chapter, draft, base));
    if (!args.success) {
      setError(t('homeworkBoard.rubrics.invalid'));
      return;
    }
    try {
      setError(null);
      await workspace.record('saveRubric', args.data);
      setLoaded(draft);
      setSaved(true);
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    }
  };

  return (
    <Stack gap="sm" data-testid="rubric-editor" data-rubric-id={rubricId}>
      <Group justify="space-between">
        <Title order={3}>{t('homeworkBoard.rubrics.rubricTitle')}</Title>
        <Group gap="xs">
          {rubric === null ? (
            <Badge variant="light" color="gray">
              {t('homeworkBoard.rubrics.none')}
            </Badge>
          ) : (
            <Badge variant="light">
              {t('homeworkBoard.rubrics.revision', { revision: rubric.revision })}
            </Badge>
          )}
          {waitingForSync && (
            <Badge color="yellow" variant="light" data-testid="rubric-pending">
              {t('homeworkBoard.pendingSync')}
            </Badge>
          )}
        </Group>
      </Group>
      {changedMeanwhile && dirty && rubric !== null && (
        <Alert color="orange" data-testid="rubric-changed">
          <Group justify="space-between">
            <Text size="sm">{t('homeworkBoard.rubrics.changedMeanwhile')}</Text>
            <Button
              size="xs"
              variant="light"
              onClick={() => {
                const next = draftOf(rubric);
                setLoaded(next);
                setDraft(next);
                setBase(rubric.revision);
              }}
            >
              {t('homeworkBoard.rubrics.reload')}
            </Button>
          </Group>
        </Alert>
      )}
      <Group align="flex-start" grow>
        <TextInput
          label={t('homeworkBoard.rubrics.title')}
          value={draft.title}
          readOnly={!canEdit}
          onChange={(event) => {
            setDraft({ ...draft, title: event.currentTarget.value });
          }}
          error={issuesAt('title')}
        />
        <NumberInput
          label={t('homeworkBoard.rubrics.maxScore')}
          value={draft.maxScore}
          readOnly={!canEdit}
          min={1}
          max={100}
          allowDecimal={false}
          onChange={(value) => {
            setDraft({ ...draft, maxScore: toPoints(value) });
          }}
          error={issuesAt('maxScore')}
          data-testid="rubric-max-score"
        />
      </Group>
      {draft.criteria.map((criterion, index) => (
        <Paper key={criterion.id} withBorder p="sm" data-testid="rubric-editor-criterion">
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600} size="sm">
                {t('homeworkBoard.rubrics.criterion', { n: index + 1 })}
              </Text>
              {canEdit && (
                <Group gap={4}>
                  <ActionIcon
                    variant="subtle"
                    aria-label={t('homeworkBoard.rubrics.moveUp')}
                    disabled={index === 0}
                    onClick={() => {
                      setDraft({ ...draft, criteria: moveCriterion(draft.criteria, index, -1) });
                    }}
                  >
                    ↑
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    aria-label={t('homeworkBoard.rubrics.moveDown')}
                    disabled={index === draft.criteria.length - 1}
                    onClick={() => {
                      setDraft({ ...draft, criteria: moveCriterion(draft.criteria, index, 1) });
                    }}
                  >
                    ↓
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={t('homeworkBoard.rubrics.remove')}
                    onClick={() => {
                      setDraft({
                        ...draft,
                        criteria: draft.criteria.filter((_, at) => at !== index),
                      });
                    }}
                  >
                    ×
                  </ActionIcon>
                </Group>
              )}
            </Group>
            <Group align="flex-start" grow>
              <TextInput
                label={t('homeworkBoard.rubrics.criterionTitle')}
                value={criterion.title}
                readOnly={!canEdit}
                onChange={(event) => {
                  setCriterion(index, { title: event.currentTarget.value });
                }}
                error={issuesAt(`criteria/${String(index)}/title`)}
              />
              <NumberInput
                label={t('homeworkBoard.rubrics.points')}
                value={criterion.points}
                readOnly={!canEdit}
                min={1}
                max={100}
                allowDecimal={false}
                onChange={(value) => {
                  setCriterion(index, { points: toPoints(value) });
                }}
                error={issuesAt(`criteria/${String(index)}/points`)}
                maw={140}
              />
            </Group>
            <Textarea
              label={t('homeworkBoard.rubrics.description')}
              value={criterion.description}
              readOnly={!canEdit}
              autosize
              minRows={1}
              onChange={(event) => {
                setCriterion(index, { description: event.currentTarget.value });
              }}
              error={issuesAt(`criteria/${String(index)}/description`)}
            />
          </Stack>
        </Paper>
      ))}
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Text size="sm" data-testid="rubric-editor-total" data-total={draftTotal(draft)}>
            {t('homeworkBoard.rubrics.total', {
              total: draftTotal(draft),
              max: draft.maxScore === '' ? '—' : draft.maxScore,
            })}
          </Text>
          {listIssue !== undefined && (
            <Text size="sm" c="red" data-testid="rubric-issue" role="alert">
              {listIssue}
            </Text>
          )}
        </Stack>
        {canEdit && (
          <Group gap="xs">
            <Button
              variant="default"
              disabled={draft.criteria.length >= MAX_RUBRIC_CRITERIA}
              onClick={() => {
                setDraft({ ...draft, criteria: [...draft.criteria, newCriterion()] });
              }}
              data-testid="rubric-add-criterion"
            >
              {t('homeworkBoard.rubrics.add', { max: MAX_RUBRIC_CRITERIA })}
            </Button>
            <Button disabled={!canSave} onClick={() => void save()} data-testid="rubric-save">
              {t('homeworkBoard.rubrics.save')}
            </Button>
          </Group>
        )}
      </Group>
      {!canEdit && (
        <Text size="sm" c="dimmed">
          {t('homeworkBoard.rubrics.readOnly')}
        </Text>
      )}
      {saved && !dirty && (
        <Text size="sm" c="teal" data-testid="rubric-saved">
          {t('homeworkBoard.rubrics.saved')}
        </Text>
      )}
      {error !== null && <Alert color="red">{error}</Alert>}
    </Stack>
  );
}
