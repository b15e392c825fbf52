import { Badge, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatServerTime } from '../../../app/format';
import { useLocale } from '../../../i18n/useLocale';
import type { ConflictViewProps } from '../../registry';

interface GradeSide {
  readonly outcome: string | null;
  readonly score: number | null;
  readonly feedback: string | null;
}

const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

const numberOrNull = (value: unknown) => (typeof value === 'number' ? value : null);
const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);

/** My grade's score: the sum of my criterion scores (the server sums them the same way). */
function mine(args: unknown): GradeSide {
  const grade = record(args);
  const scores = Object.values(record(grade['criterionScores'])).filter(
    (value): value is number => typeof value === 'number',
  );
  return {
    outcome: textOrNull(grade['outcome']),
    score: scores.length === 0 ? numberOrNull(grade['score']) : scores.reduce((a, b) => a + b, 0),
    feedback: textOrNull(grade['feedback']),
  };
}

/**
 * A homework grade that lost (another TA graded the submission first): my grade beside the one
 * that stands, with who gave it and when.
 */
export function GradeConflictView({ args, details }: ConflictViewProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const theirs = record(details['theirs']);
  const standing: GradeSide = {
    outcome: textOrNull(theirs['outcome']),
    score: numberOrNull(theirs['score']),
    feedback: textOrNull(theirs['feedback']),
  };
  const decidedAt = textOrNull(theirs['decidedAt']);
  return (
    <Stack gap="xs" data-testid="grade-conflict">
      <Text size="sm" fw={600}>
        {t('homework.conflict.title')}
      </Text>
      <SimpleGrid cols={2}>
        <Side testId="grade-conflict-mine" title={t('homework.conflict.mine')} side={mine(args)} />
        <Side
          testId="grade-conflict-theirs"
          title={`${t('homework.conflict.theirs', { name: textOrNull(theirs['taName']) ?? '–' })}${
            decidedAt === null
              ? ''
              : ` ${t('homework.conflict.decidedAt', { time: formatServerTime(decidedAt, locale) })}`
          }`}
          side={standing}
        />
      </SimpleGrid>
    </Stack>
  );
}

function Side({
  title,
  side,
  testId,
}: {
  readonly title: string;
  readonly side: GradeSide;
  readonly testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xs" data-testid={testId}>
      <Stack gap={4}>
        <Text size="xs" fw={600}>
          {title}
        </Text>
        {side.outcome !== null && (
          <Badge color={side.outcome === 'pass' ? 'green' : 'orange'}>
            {t(
              side.outcome === 'pass'
                ? 'homework.conflict.outcome.pass'
                : 'homework.conflict.outcome.reject',
            )}
          </Badge>
        )}
        {side.score !== null && (
          <Text size="sm">{t('homework.conflict.score', { score: side.score })}</Text>
        )}
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {side.feedback !== null && side.feedback !== ''
            ? side.feedback
            : t('homework.conflict.noFeedback')}
        </Text>
      </Stack>
    </Paper>
  );
}
