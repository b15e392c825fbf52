import {
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isValidHomeworkScore } from '#shared/domain/homework';
import { MUTATION_ARGS, type MutationArgs } from '#shared/sync/mutations';
import type { ReviewItemRecord } from '#shared/sync/rows';

const MAX_TEXT = 2000;
type Outcome = 'pass' | 'reject';

/** The TA's grade: pass (optionally scored) or return for revision with written feedback. */
export function GradeModal({
  item,
  onClose,
  onSubmit,
}: {
  readonly item: ReviewItemRecord;
  readonly onClose: () => void;
  readonly onSubmit: (args: MutationArgs<'gradeHomework'>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<Outcome>('pass');
  const [score, setScore] = useState<string | number>('');
  const [feedback, setFeedback] = useState('');
  const [errors, setErrors] = useState<{ score?: string; feedback?: string }>({});
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const found: { score?: string; feedback?: string } = {};
    const scoreValue = score === '' ? undefined : Number(score);
    if (outcome === 'pass' && scoreValue !== undefined && !isValidHomeworkScore(scoreValue)) {
      found.score = t('grade.scoreError');
    }
    if (feedback.trim().length > MAX_TEXT) {
      found.feedback = t('grade.feedbackTooLong');
    } else if (outcome === 'reject' && feedback.trim() === '') {
      found.feedback = t('grade.feedbackError');
    }
    setErrors(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    const args = MUTATION_ARGS.gradeHomework.safeParse({
      itemId: item.id,
      outcome,
      ...(outcome === 'pass' && scoreValue !== undefined ? { score: scoreValue } : {}),
      feedback: feedback.trim(),
    });
    if (!args.success) {
      return;
    }
    setBusy(true);
    try {
      await onSubmit(args.data);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('grade.title', { title: item.title })} size="md">
      <Stack gap="md">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="grade-outcome-label">
            {t('grade.outcome')}
          </Text>
          <SegmentedControl<Outcome>
            aria-labelledby="grade-outcome-label"
            value={outcome}
            onChange={(value) => {
              setOutcome(value);
              setErrors({});
            }}
            data={[
              { value: 'pass', label: t('grade.pass') },
              { value: 'reject', label: t('grade.reject') },
            ]}
          />
        </Stack>
        {outcome === 'pass' && (
          <NumberInput
            label={t('grade.score')}
            value={score}
            onChange={setScore}
            min={0}
            max={100}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            error={errors.score}
          />
        )}
        <Textarea
          label={t('grade.feedback')}
          value={feedback}
          onChange={(event) => {
            setFeedback(event.currentTarget.value);
          }}
          error={errors.feedback}
          withAsterisk={outcome === 'reject'}
          autosize
          minRows={3}
          maxLength={MAX_TEXT}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={busy} onClick={() => void submit()}>
            {t('grade.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
