import { Button, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  REVIEW_REASON_CODES,
  REVIEW_REASON_LABELS,
  type ReviewReasonCode,
} from '#shared/domain/review/reasons';
import { useLocale } from '../../i18n/useLocale';
import { findTemplate, templatesFor } from './commentBank';

export const MAX_COMMENT_LENGTH = 2000;

const isReason = (value: string | null): value is ReviewReasonCode =>
  value !== null && (REVIEW_REASON_CODES as readonly string[]).includes(value);

/**
 * Writes a comment on one field: a reason code, the text, and optionally a template from the
 * comment bank (templates suggested for this field first) that fills both in. Ctrl/⌘+Enter
 * saves, Escape closes.
 */
export function CommentComposer({
  path,
  label,
  onSubmit,
  onCancel,
}: {
  readonly path: string;
  readonly label: string;
  readonly onSubmit: (reasonCode: ReviewReasonCode, text: string) => Promise<boolean>;
  readonly onCancel: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const headingId = useId();
  const [template, setTemplate] = useState<string | null>(null);
  const [reason, setReason] = useState<ReviewReasonCode | null>(null);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<{ reason: boolean; text: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const templateData = useMemo(() => {
    const { suggested, others } = templatesFor(path);
    const option = (entry: (typeof suggested)[number]) => ({
      value: entry.id,
      label: `${entry.title[locale]} · ${REVIEW_REASON_LABELS[entry.reasonCode][locale]}`,
    });
    return [
      ...(suggested.length > 0
        ? [{ group: t('itemPage.composer.suggested'), items: suggested.map(option) }]
        : []),
      { group: t('itemPage.composer.otherTemplates'), items: others.map(option) },
    ];
  }, [path, locale, t]);

  const reasonData = REVIEW_REASON_CODES.map((code) => ({
    value: code,
    label: REVIEW_REASON_LABELS[code][locale],
  }));

  const submit = async () => {
    const trimmed = text.trim();
    const found = {
      reason: reason === null,
      text: trimmed === '' || trimmed.length > MAX_COMMENT_LENGTH,
    };
    setErrors(found);
    if (found.reason || found.text || reason === null) {
      return;
    }
    setBusy(true);
    try {
      await onSubmit(reason, trimmed);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      event.stopPropagation();
      onCancel();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <div
      className="rd-composer"
      data-composer
      data-testid="comment-composer"
      role="group"
      aria-labelledby={headingId}
      onKeyDown={onKeyDown}
    >
      <Stack gap="xs">
        <Text id={headingId} size="sm" fw={600}>
          {t('itemPage.composer.title', { field: label })}
        </Text>
        <Group grow align="flex-start" gap="sm">
          <Select
            label={t('itemPage.composer.template')}
            placeholder={t('itemPage.composer.templatePlaceholder')}
            data={templateData}
            value={template}
            searchable
            clearable
            nothingFoundMessage={t('itemPage.composer.noTemplate')}
            onChange={(value) => {
              setTemplate(value);
              const chosen = value === null ? undefined : findTemplate(value);
              if (chosen !== undefined) {
                setText(chosen.text[locale]);
                setReason(chosen.reasonCode);
                setErrors(null);
              }
            }}
            comboboxProps={{ withinPortal: false }}
          />
          <Select
            label={t('itemPage.composer.reason')}
            placeholder={t('itemPage.composer.reasonPlaceholder')}
            data={reasonData}
            value={reason}
            allowDeselect={false}
            onChange={(value) => {
              setReason(isReason(value) ? value : null);
            }}
            error={errors?.reason === true ? t('itemPage.composer.reasonError') : undefined}
            withAsterisk
            comboboxProps={{ withinPortal: false }}
          />
        </Group>
        <Textarea
          label={t('itemPage.composer.text')}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
          }}
          error={errors?.text === true ? t('itemPage.composer.textError') : undefined}
          autosize
          minRows={2}
          maxRows={8}
          maxLength={MAX_COMMENT_LENGTH}
          withAsterisk
          data-autofocus
          autoFocus
        />
        <Group justify="space-between" gap="sm">
          <Text size="xs" c="dimmed">
            {t('itemPage.composer.hint')}
          </Text>
          <Group gap="sm">
            <Button variant="default" size="xs" onClick={onCancel}>
              {t('itemPage.composer.cancel')}
            </Button>
            <Button size="xs" loading={busy} onClick={() => void submit()}>
              {t('itemPage.composer.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </div>
  );
}
