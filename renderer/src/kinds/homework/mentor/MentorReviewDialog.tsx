import { Button, Checkbox, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MUTATION_ARGS } from '#shared/sync/mutations';
import type { DecisionDialogProps } from '../../registry';

/** The mentor's comment shares the feedback limit of the grading page. */
const MAX_COMMENT_LENGTH = 2000;

/**
 * The mentor's weekly review of passed work: excellent or not; excellent work needs a comment
 * saying why (it goes to the student record). Opened from the queue row and from the Friday pool.
 */
export function MentorReviewDialog({ item, onClose, onSubmit }: DecisionDialogProps) {
  const { t } = useTranslation();
  const [excellent, setExcellent] = useState(false);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const text = comment.trim();
    const problem =
      text.length > MAX_COMMENT_LENGTH
        ? t('homework.mentorReview.commentTooLong')
        : excellent && text === ''
          ? t('homework.mentorReview.commentRequired')
          : null;
    setError(problem);
    if (problem !== null) {
      return;
    }
    const args = MUTATION_ARGS.mentorReview.safeParse({
      itemId: item.id,
      excellent,
      comment: text,
    });
    if (!args.success) {
      setError(t('homework.mentorReview.commentTooLong'));
      return;
    }
    setBusy(true);
    try {
      await onSubmit('mentorReview', args.data);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('homework.mentorReview.title', { title: item.title })}
      size="md"
    >
      <Stack gap="md">
        <Checkbox
          label={t('homework.mentorReview.excellent')}
          checked={excellent}
          onChange={(event) => {
            setExcellent(event.currentTarget.checked);
          }}
        />
        <Textarea
          label={t('homework.mentorReview.comment')}
          value={comment}
          onChange={(event) => {
            setComment(event.currentTarget.value);
          }}
          error={error ?? undefined}
          withAsterisk={excellent}
          autosize
          minRows={3}
          maxLength={MAX_COMMENT_LENGTH}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={busy} onClick={() => void submit()}>
            {t('homework.mentorReview.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
