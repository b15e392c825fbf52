import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_FEEDBACK_LENGTH } from '#shared/domain/rubric';
import { MUTATION_ARGS, type MutationArgs } from '#shared/sync/mutations';
import type { CommentBankRecord } from '#shared/sync/rows';
import type { PendingMutation } from '#shared/sync/view';
import { useLocale } from '../../../i18n/useLocale';
import type { Workspace } from '../../../workspace/workspace';
import { useCommentBank } from '../data';

type Language = CommentBankRecord['language'];
type BankArgs = MutationArgs<'saveBankComment'>;

/** My `saveBankComment`s of the chapter still in the outbox, by comment id (the newest wins). */
function pendingBank(pending: readonly PendingMutation[], chapter: string): Map<string, BankArgs> {
  const byId = new Map<string, BankArgs>();
  for (const mutation of pending) {
    if (mutation.name !== 'saveBankComment') {
      continue;
    }
    const args = MUTATION_ARGS.saveBankComment.safeParse(mutation.args);
    if (args.success && args.data.chapter === chapter) {
      byId.set(args.data.commentId, args.data);
    }
  }
  return byId;
}

interface Editing {
  /** The entry edited, or a new id. */
  readonly commentId: string;
  readonly language: Language;
  readonly text: string;
}

/**
 * A chapter's comment bank: reusable feedback with how often TAs inserted it. TAs and ops
 * managers add entries, and edit their own (ops managers any); `saveBankComment` goes to the
 * outbox and the entry shows as pending until it is synced. Mentors read it.
 */
export function CommentBankPanel({
  workspace,
  chapter,
  pending,
}: {
  readonly workspace: Workspace;
  readonly chapter: string;
  readonly pending: readonly PendingMutation[];
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { user } = workspace.session;
  const entries = useCommentBank(workspace.db, chapter);
  const mine = pendingBank(pending, chapter);
  const canAdd = user.role === 'ta' || user.role === 'ops_manager';
  const canEditEntry = (entry: CommentBankRecord) =>
    user.role === 'ops_manager' || (user.role === 'ta' && entry.createdBy === user.id);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const known = new Set(entries.map((entry) => entry.id));
  const added = [...mine.values()].filter((args) => !known.has(args.commentId));

  const text = editing?.text.trim() ?? '';
  const textIssue =
    text === ''
      ? t('homeworkBoard.bank.required')
      : text.length > MAX_FEEDBACK_LENGTH
        ? t('homeworkBoard.bank.tooLong', { max: MAX_FEEDBACK_LENGTH, count: text.length })
        : null;

  const save = async () => {
    setTouched(true);
    if (editing === null || textIssue !== null) {
      return;
    }
    const args = MUTATION_ARGS.saveBankComment.safeParse({
      commentId: editing.commentId,
      chapter,
      language: editing.language,
      text,
    });
    if (!args.success) {
      setError(t('homeworkBoard.bank.invalid'));
      return;
    }
    try {
      setError(null);
      await workspace.record('saveBankComment', args.data);
      setEditing(null);
      setTouched(false);
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    }
  };

  const startEditing = (value: Editing) => {
    setEditing(value);
    setTouched(false);
    setError(null);
  };

  return (
    <Stack gap="sm" data-testid="comment-bank">
      <Group justify="space-between">
        <Title order={3}>{t('homeworkBoard.bank.title')}</Title>
        {canAdd && editing === null && (
          <Button
            variant="light"
            size="xs"
            onClick={() => {
              startEditing({
                commentId: crypto.randomUUID(),
                language: locale,
                text: '',
              });
            }}
            data-testid="bank-add"
          >
            {t('homeworkBoard.bank.add')}
          </Button>
        )}
      </Group>
      {editing !== null && (
        <Paper withBorder p="sm" data-testid="bank-form">
          <Stack gap="xs">
            <Select
              label={t('homeworkBoard.bank.language')}
              data={(['zh-CN', 'en'] as const).map((value) => ({
                value,
                label: t(`homeworkBoard.languages.${value}`),
              }))}
              value={editing.language}
              onChange={(value) => {
                if (value === 'zh-CN' || value === 'en') {
                  setEditing({ ...editing, language: value });
                }
              }}
              allowDeselect={false}
              w={180}
            />
            <Textarea
              label={t('homeworkBoard.bank.text')}
              value={editing.text}
              onChange={(event) => {
                setEditing({ ...editing, text: event.currentTarget.value });
              }}
              error={
                touched || text.length > MAX_FEEDBACK_LENGTH ? (textIssue ?? undefined) : undefined
              }
              withAsterisk
              autosize
              minRows={2}
              data-testid="bank-text"
            />
            <Group justify="flex-end" gap="xs">
              <Button
                variant="default"
                onClick={() => {
                  setEditing(null);
                }}
              >
                {t('common.cancel')}
              </Button>
              <Button onClick={() => void save()} data-testid="bank-save">
                {t('homeworkBoard.bank.save')}
              </Button>
            </Group>
            {error !== null && <Alert color="red">{error}</Alert>}
          </Stack>
        </Paper>
      )}
      {entries.length === 0 && added.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="bank-empty">
          {t('homeworkBoard.bank.empty')}
        </Text>
      ) : (
        <>
          {entries.map((entry) => {
            const edit = mine.get(entry.id);
            return (
              <BankRow
                key={entry.id}
                id={entry.id}
                language={edit?.language ?? entry.language}
                text={edit?.text ?? entry.text}
                useCount={entry.useCount}
                pendingSync={edit !== undefined}
                {...(canEditEntry(entry)
                  ? {
                      onEdit: () => {
                        startEditing({
                          commentId: entry.id,
                          language: edit?.language ?? entry.language,
                          text: edit?.text ?? entry.text,
                        });
                      },
                    }
                  : {})}
              />
            );
          })}
          {added.map((args) => (
            <BankRow
              key={args.commentId}
              id={args.commentId}
              language={args.language}
              text={args.text}
              useCount={0}
              pendingSync
            />
          ))}
        </>
      )}
    </Stack>
  );
}

function BankRow({
  id,
  language,
  text,
  useCount,
  pendingSync,
  onEdit,
}: {
  readonly id: string;
  readonly language: Language;
  readonly text: string;
  readonly useCount: number;
  readonly pendingSync: boolean;
  readonly onEdit?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="xs" data-testid="bank-entry" data-comment-id={id}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {text}
          </Text>
          <Group gap="xs">
            <Badge size="xs" variant="outline" color="gray">
              {t(`homeworkBoard.languages.${language}`)}
            </Badge>
            <Text size="xs" c="dimmed" data-testid="bank-uses">
              {t('homeworkBoard.bank.uses', { count: useCount })}
            </Text>
            {pendingSync && (
              <Badge size="xs" color="yellow" variant="light">
                {t('homeworkBoard.pendingSync')}
              </Badge>
            )}
          </Group>
        </Stack>
        {onEdit !== undefined && (
          <Button size="xs" variant="subtle" onClick={onEdit}>
            {t('homeworkBoard.bank.edit')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
