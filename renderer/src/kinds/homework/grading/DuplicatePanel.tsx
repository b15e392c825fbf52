import { Alert, Badge, Button, Group, Mark, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { HomeworkSubmissionRecord } from '#shared/sync/rows';
import { sharedPassages, type NearDuplicatePair } from '#shared/text/nearDuplicate';
import { duplicateText } from '../nearDuplicates';

/** A flag of this submission: the other submission and the exact similarity. */
export interface DuplicateFlag {
  readonly other: HomeworkSubmissionRecord;
  readonly similarity: number;
}

export function flagsOf(
  submissionId: string,
  pairs: readonly NearDuplicatePair[],
  byId: ReadonlyMap<string, HomeworkSubmissionRecord>,
): DuplicateFlag[] {
  const flags: DuplicateFlag[] = [];
  for (const pair of pairs) {
    const other = byId.get(pair.a === submissionId ? pair.b : pair.a);
    if (other !== undefined) {
      flags.push({ other, similarity: pair.similarity });
    }
  }
  return flags.sort((a, b) => b.similarity - a.similarity);
}

/**
 * The near-duplicate findings of a submission within its chapter, each with the passages the two
 * texts share highlighted side by side (the text diff's equal runs). Advisory: the TA decides;
 * the findings go with the grade.
 */
export function DuplicatePanel({
  submission,
  flags,
}: {
  readonly submission: HomeworkSubmissionRecord;
  readonly flags: readonly DuplicateFlag[];
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" data-testid="homework-duplicates">
      <Text fw={600}>
        {t('homework.grading.duplicates.title', { chapter: submission.chapter })}
      </Text>
      {flags.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="duplicates-none">
          {t('homework.grading.duplicates.none')}
        </Text>
      ) : (
        <Alert color="orange" p="sm">
          <Stack gap="xs">
            <Text size="sm">{t('homework.grading.duplicates.advisory')}</Text>
            {flags.map((flag) => (
              <DuplicateFlagView key={flag.other.id} submission={submission} flag={flag} />
            ))}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}

function DuplicateFlagView({
  submission,
  flag,
}: {
  readonly submission: HomeworkSubmissionRecord;
  readonly flag: DuplicateFlag;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const mine = duplicateText(submission);
  const theirs = duplicateText(flag.other);
  const passages = useMemo(() => (open ? sharedPassages(mine, theirs) : []), [open, mine, theirs]);
  return (
    <Stack gap={6} data-testid="duplicate-flag" data-other-id={flag.other.id}>
      <Group gap="xs">
        <Badge color="orange">
          {t('homework.grading.duplicates.flag', {
            similarity: Math.round(flag.similarity * 100),
            name: flag.other.studentName,
            id: flag.other.studentId,
          })}
        </Badge>
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={() => {
            setOpen(!open);
          }}
          data-testid="duplicate-show"
        >
          {open ? t('homework.grading.duplicates.hide') : t('homework.grading.duplicates.show')}
        </Button>
      </Group>
      {open && (
        <Stack gap={4} data-testid="duplicate-passages">
          <Text size="xs" c="dimmed">
            {t('homework.grading.duplicates.passages', { count: passages.length })}
          </Text>
          <SimpleGrid cols={2}>
            <Marked
              label={t('homework.grading.duplicates.mine')}
              text={mine}
              ranges={passages.map((passage) => [passage.aStart, passage.aEnd] as const)}
            />
            <Marked
              label={t('homework.grading.duplicates.theirs', { name: flag.other.studentName })}
              text={theirs}
              ranges={passages.map((passage) => [passage.bStart, passage.bEnd] as const)}
            />
          </SimpleGrid>
        </Stack>
      )}
    </Stack>
  );
}

/** A text with the given ranges highlighted (they are in order and do not overlap). */
function Marked({
  label,
  text,
  ranges,
}: {
  readonly label: string;
  readonly text: string;
  readonly ranges: readonly (readonly [number, number])[];
}) {
  const parts: ReactNode[] = [];
  let at = 0;
  ranges.forEach(([start, end], index) => {
    if (start > at) {
      parts.push(text.slice(at, start));
    }
    parts.push(
      <Mark key={index} color="orange" data-testid="shared-passage">
        {text.slice(start, end)}
      </Mark>,
    );
    at = end;
  });
  parts.push(text.slice(at));
  return (
    <Paper withBorder p="xs">
      <Text size="xs" fw={600} mb={4}>
        {label}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {parts}
      </Text>
    </Paper>
  );
}
