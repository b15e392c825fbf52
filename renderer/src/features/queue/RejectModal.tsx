import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  Modal,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  REVIEW_REASON_CODES,
  REVIEW_REASON_LABELS,
  type ReviewReasonCode,
} from '#shared/domain/review/reasons';
import { MUTATION_ARGS, type MutationArgs } from '#shared/sync/mutations';
import type { ReviewItemRecord } from '#shared/sync/rows';
import { useLocale } from '../../i18n/useLocale';

interface CommentDraft {
  readonly key: number;
  readonly path: string;
  /** null: the first chosen reason. */
  readonly reasonCode: ReviewReasonCode | null;
  readonly text: string;
}

interface Errors {
  readonly reasons: boolean;
  readonly comments: readonly { readonly path: boolean; readonly text: boolean }[];
}

const FIELD_PATH = /^(\/[^/]*)+$/;
const MAX_TEXT = 2000;

const isReason = (value: string | null): value is ReviewReasonCode =>
  value !== null && (REVIEW_REASON_CODES as readonly string[]).includes(value);

/**
 * Rejecting asks for at least one reason and at least one comment pinned to a field of the
 * submission (a JSON pointer; `/` for the whole listing) — what the submitter needs to fix it.
 * Nothing is recorded until the form is valid.
 */
export function RejectModal({
  item,
  onClose,
  onSubmit,
}: {
  readonly item: ReviewItemRecord;
  readonly onClose: () => void;
  readonly onSubmit: (args: MutationArgs<'reject'>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [reasons, setReasons] = useState<ReviewReasonCode[]>([]);
  const [comments, setComments] = useState<CommentDraft[]>([
    { key: 1, path: '/', reasonCode: null, text: '' },
  ]);
  const [errors, setErrors] = useState<Errors | null>(null);
  const [busy, setBusy] = useState(false);

  const reasonOf = (comment: CommentDraft): ReviewReasonCode =>
    comment.reasonCode ?? reasons[0] ?? 'other';

  const update = (key: number, patch: Partial<Omit<CommentDraft, 'key'>>) => {
    setComments((list) =>
      list.map((entry) => (entry.key === key ? { ...entry, ...patch } : entry)),
    );
  };

  const submit = async () => {
    const found: Errors = {
      reasons: reasons.length === 0,
      comments: comments.map((comment) => ({
        path: !FIELD_PATH.test(comment.path.trim()),
        text: comment.text.trim() === '' || comment.text.trim().length > MAX_TEXT,
      })),
    };
    setErrors(found);
    if (found.reasons || found.comments.some((entry) => entry.path || entry.text)) {
      return;
    }
    const args = MUTATION_ARGS.reject.safeParse({
      itemId: item.id,
      reasons,
      comments: comments.map((comment) => ({
        path: comment.path.trim(),
        reasonCode: reasonOf(comment),
        text: comment.text.trim(),
      })),
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

  const reasonOptions = REVIEW_REASON_CODES.map((code) => ({
    value: code,
    label: REVIEW_REASON_LABELS[code][locale],
  }));

  return (
    <Modal opened onClose={onClose} title={t('reject.title', { title: item.title })} size="lg">
      <Stack gap="md">
        <Checkbox.Group<ReviewReasonCode>
          label={t('reject.reasons')}
          value={reasons}
          onChange={setReasons}
          error={errors?.reasons === true ? t('reject.reasonsError') : undefined}
          withAsterisk
        >
          <Group gap="md" mt={6}>
            {reasonOptions.map((option) => (
              <Checkbox key={option.value} value={option.value} label={option.label} />
            ))}
          </Group>
        </Checkbox.Group>
        <Text size="sm" fw={500}>
          {t('reject.comments')}
        </Text>
        {comments.map((comment, index) => {
          const n = index + 1;
          const error = errors?.comments[index];
          return (
            <Fieldset key={comment.key} legend={t('reject.commentN', { n })}>
              <Stack gap="xs">
                <Group align="flex-start" grow>
                  <TextInput
                    label={t('reject.path')}
                    description={t('reject.pathHint')}
                    inputWrapperOrder={['label', 'input', 'description', 'error']}
                    value={comment.path}
                    onChange={(event) => {
                      update(comment.key, { path: event.currentTarget.value });
                    }}
                    error={error?.path === true ? t('reject.pathError') : undefined}
                    spellCheck={false}
                    withAsterisk
                  />
                  <Select
                    label={t('reject.reasonCode')}
                    data={reasonOptions}
                    value={reasonOf(comment)}
                    onChange={(value) => {
                      if (isReason(value)) {
                        update(comment.key, { reasonCode: value });
                      }
                    }}
                    allowDeselect={false}
                  />
                </Group>
                <Textarea
                  label={t('reject.text')}
                  value={comment.text}
                  onChange={(event) => {
                    update(comment.key, { text: event.currentTarget.value });
                  }}
                  error={error?.text === true ? t('reject.textError') : undefined}
                  autosize
                  minRows={2}
                  maxLength={MAX_TEXT}
                  withAsterisk
                />
                {comments.length > 1 && (
                  <Group justify="flex-end">
                    <Button
                      variant="subtle"
                      color="red"
                      size="compact-sm"
                      onClick={() => {
                        setComments((list) => list.filter((entry) => entry.key !== comment.key));
                        setErrors(null);
                      }}
                    >
                      {t('reject.removeComment', { n })}
                    </Button>
                  </Group>
                )}
              </Stack>
            </Fieldset>
          );
        })}
        <Group justify="space-between">
          <Button
            variant="default"
            size="compact-sm"
            onClick={() => {
              setComments((list) => [
                ...list,
                {
                  key: Math.max(0, ...list.map((entry) => entry.key)) + 1,
                  path: '/',
                  reasonCode: null,
                  text: '',
                },
              ]);
            }}
          >
            {t('reject.addComment')}
          </Button>
          <Group gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button color="red.9" loading={busy} onClick={() => void submit()}>
              {t('reject.submit')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
