import { Button, Checkbox, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MUTATION_ARGS, type MutationArgs } from '#shared/sync/mutations';
import type { ReviewItemRecord } from '#shared/sync/rows';

const MAX_TEXT = 2000;

/** The mentor's weekly review: excellent or not; excellent work needs a comment saying why. */
export function MentorReviewModal({
  item,
  onClose,
  onSubmit,
}: {
  readonly item: ReviewItemRecord;
  readonly onClose: () => void;
  readonly onSubmit: (args: MutationArgs<'mentorReview'>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [excellent, setExcellent] = useState(false);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const text = comment.trim();
    const problem =
      text.length > MAX_TEXT
        ? t('mentor.commentTooLong')
        : excellent && text === ''
          ? t('mentor.commentError')
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
    <Modal opened onClose={onClose} title={t('mentor.title', { title: item.title })} size="md">
      <Stack gap="md">
        <Checkbox
          label={t('mentor.excellent')}
          checked={excellent}
          onChange={(event) => {
            setExcellent(event.currentTarget.checked);
          }}
        />
        <Textarea
          label={t('mentor.comment')}
          value={comment}
          onChange={(event) => {
            setComment(event.currentTarget.value);
          }}
          error={error ?? undefined}
          withAsterisk={excellent}
          autosize
          minRows={3}
          maxLength={MAX_TEXT}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={busy} onClick={() => void submit()}>
            {t('mentor.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
