import { Button, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePending } from '../../../features/queue/useQueue';
import type { ScreenProps } from '../../registry';
import { useRubrics, useSubmissions, compareChapters } from '../data';
import { CommentBankPanel } from './CommentBankPanel';
import { RubricEditor } from './RubricEditor';

/**
 * `#/homework/rubrics`: per chapter, its rubric (ops managers edit it; TAs and mentors read it)
 * and its comment bank. The chapters are those with a rubric or with submissions; an ops manager
 * may start the rubric of another chapter.
 */
export function RubricsScreen({ workspace, params }: ScreenProps) {
  const { t } = useTranslation();
  const { db } = workspace;
  const rubrics = useRubrics(db);
  const submissions = useSubmissions(db);
  const pending = usePending(db);
  const canEdit = workspace.session.user.role === 'ops_manager';
  const [added, setAdded] = useState<readonly string[]>([]);
  const [newChapter, setNewChapter] = useState('');
  const chapters = useMemo(
    () =>
      [
        ...new Set([
          ...(rubrics?.keys() ?? []),
          ...(submissions ?? []).map((one) => one.chapter),
          ...added,
        ]),
      ].sort(compareChapters),
    [rubrics, submissions, added],
  );
  const [picked, setPicked] = useState<string | null>(params.get('chapter'));
  const chapter = picked !== null && chapters.includes(picked) ? picked : (chapters[0] ?? null);

  if (rubrics === undefined || submissions === undefined) {
    return null;
  }
  const rubric = chapter === null ? null : (rubrics.get(chapter) ?? null);
  const typed = newChapter.trim();

  return (
    <Stack gap="md" data-testid="rubrics-screen">
      <Title order={2}>{t('homeworkBoard.rubrics.screenTitle')}</Title>
      <Group align="flex-end" gap="sm">
        <Select
          label={t('homeworkBoard.rubrics.chapter')}
          data={chapters.map((value) => ({
            value,
            label: t('homework.chapter', { chapter: value }),
          }))}
          value={chapter}
          onChange={setPicked}
          allowDeselect={false}
          w={200}
          data-testid="rubrics-chapter"
        />
        {canEdit && (
          <>
            <TextInput
              label={t('homeworkBoard.rubrics.newChapter')}
              value={newChapter}
              onChange={(event) => {
                setNewChapter(event.currentTarget.value);
              }}
              maxLength={100}
              w={160}
            />
            <Button
              variant="default"
              disabled={typed === '' || chapters.includes(typed)}
              onClick={() => {
                setAdded([...added, typed]);
                setPicked(typed);
                setNewChapter('');
              }}
            >
              {t('homeworkBoard.rubrics.addChapter')}
            </Button>
          </>
        )}
      </Group>
      {chapter === null ? (
        <Text c="dimmed" data-testid="rubrics-empty">
          {t('homeworkBoard.rubrics.noChapters')}
        </Text>
      ) : (
        <>
          <RubricEditor
            key={chapter}
            workspace={workspace}
            chapter={chapter}
            rubric={rubric}
            canEdit={canEdit}
            pending={pending}
          />
          <CommentBankPanel workspace={workspace} chapter={chapter} pending={pending} />
        </>
      )}
    </Stack>
  );
}
