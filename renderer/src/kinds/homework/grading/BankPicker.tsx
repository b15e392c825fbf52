import { Badge, Group, Modal, Stack, Text, UnstyledButton } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommentBankRecord } from '#shared/sync/rows';
import { useShortcuts, type Shortcut } from '../../../app/shortcuts';

/**
 * The chapter's comment bank as a picker: entries in the student's course language first (most
 * used first), numbered; a digit or a click inserts the entry into the feedback.
 */
export function BankPicker({
  entries,
  language,
  onPick,
  onClose,
}: {
  readonly entries: readonly CommentBankRecord[];
  readonly language: 'zh-CN' | 'en';
  readonly onPick: (entry: CommentBankRecord) => void;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation();
  const ordered = useMemo(
    () => [
      ...entries.filter((entry) => entry.language === language),
      ...entries.filter((entry) => entry.language !== language),
    ],
    [entries, language],
  );
  const shortcuts = useMemo<Shortcut[]>(
    () =>
      ordered.slice(0, 9).map((entry, index) => ({
        keys: String(index + 1),
        description: entry.text.slice(0, 40),
        group: t('homework.grading.bank.title'),
        run: () => {
          onPick(entry);
        },
      })),
    [ordered, onPick, t],
  );
  useShortcuts(shortcuts);
  return (
    <Modal opened onClose={onClose} title={t('homework.grading.bank.title')} size="lg">
      <Stack gap="xs" data-testid="bank-picker">
        {ordered.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('homework.grading.bank.empty')}
          </Text>
        ) : (
          <Text size="xs" c="dimmed">
            {t('homework.grading.bank.hint')}
          </Text>
        )}
        {ordered.map((entry, index) => (
          <UnstyledButton
            key={entry.id}
            onClick={() => {
              onPick(entry);
            }}
            data-testid="bank-entry"
            data-comment-id={entry.id}
            p="xs"
            style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
          >
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Badge variant="outline" w={28} p={0}>
                {index < 9 ? index + 1 : '·'}
              </Badge>
              <Stack gap={2}>
                <Text size="sm">{entry.text}</Text>
                <Text size="xs" c="dimmed">
                  {entry.language === language
                    ? ''
                    : `${t('homework.grading.bank.otherLanguage')} · `}
                  {t('homework.grading.bank.uses', { count: entry.useCount })}
                </Text>
              </Stack>
            </Group>
          </UnstyledButton>
        ))}
      </Stack>
    </Modal>
  );
}
