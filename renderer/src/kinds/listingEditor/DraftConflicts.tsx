import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { JsonValue } from '#shared/diff/patch';
import { parsePointer } from '#shared/diff/pointer';
import { diffText } from '#shared/diff/text';
import { fieldLabel } from '#shared/domain/listing/fieldLabels';
import type { PathSegment } from '#shared/domain/validationIssue';
import type { Locale } from '#shared/i18n/localized';
import type { DraftFieldConflict } from '../../db/database';
import { TextDiff } from '../../features/diff/DiffView';
import { describeValue } from '../../features/diff/describe';
import type { EditorT } from './text';

/** A conflict's pointer as a field path (list positions as numbers, as the labels want them). */
function pathOf(pointer: string): PathSegment[] {
  return parsePointer(pointer).map((token) =>
    /^(0|[1-9]\d*)$/.test(token) ? Number(token) : token,
  );
}

/**
 * The fields this device and another (or the server) both changed since the draft's base: per
 * field, mine beside theirs as the reviewer's changes view shows values (a text as a marked
 * text diff), and the choice of one. Mine stays in the draft and theirs in the conflict until the
 * user picks; the draft is not sent, nor can it be submitted, while any is open.
 */
export function DraftConflicts({
  conflicts,
  locale,
  t,
  onResolve,
  disabled = false,
}: {
  readonly conflicts: readonly DraftFieldConflict[];
  readonly locale: Locale;
  readonly t: EditorT;
  readonly onResolve: (path: string, choice: 'mine' | 'theirs') => void;
  readonly disabled?: boolean;
}) {
  if (conflicts.length === 0) {
    return null;
  }
  return (
    <Alert
      color="orange"
      title={t('listingEditor.conflicts.title', { count: conflicts.length })}
      data-testid="draft-conflicts"
      role="region"
    >
      <Stack gap="sm">
        <Text size="sm">{t('listingEditor.conflicts.explain')}</Text>
        {conflicts.map((conflict) => (
          <ConflictCard
            key={conflict.path}
            conflict={conflict}
            locale={locale}
            t={t}
            onResolve={onResolve}
            disabled={disabled}
          />
        ))}
      </Stack>
    </Alert>
  );
}

function ConflictCard({
  conflict,
  locale,
  t,
  onResolve,
  disabled,
}: {
  readonly conflict: DraftFieldConflict;
  readonly locale: Locale;
  readonly t: EditorT;
  readonly onResolve: (path: string, choice: 'mine' | 'theirs') => void;
  readonly disabled: boolean;
}) {
  const path = useMemo(() => pathOf(conflict.path), [conflict.path]);
  const has = (side: 'mine' | 'theirs') => Object.hasOwn(conflict, side);
  const show = (side: 'mine' | 'theirs') =>
    has(side)
      ? describeValue(conflict[side] as JsonValue, path, locale)
      : t('listingEditor.conflicts.removed');
  const mine = show('mine');
  const theirs = show('theirs');
  // Two texts: theirs → mine marked as the changes view marks a text change.
  const segments = useMemo(
    () =>
      typeof conflict.mine === 'string' && typeof conflict.theirs === 'string'
        ? diffText(theirs, mine).segments
        : null,
    [conflict.mine, conflict.theirs, mine, theirs],
  );
  return (
    <Paper withBorder p="sm" data-testid="draft-conflict" data-field={conflict.path}>
      <Stack gap={6}>
        <Group justify="space-between">
          <Text fw={600}>{fieldLabel(path)[locale]}</Text>
          {Object.hasOwn(conflict, 'base') && (
            <Text size="xs" c="dimmed">
              {t('listingEditor.conflicts.before', {
                value: describeValue(conflict.base as JsonValue, path, locale),
              })}
            </Text>
          )}
        </Group>
        <SimpleGrid cols={2} spacing="sm">
          <Stack gap={2} data-testid="conflict-mine">
            <Badge variant="light" color="blue">
              {t('listingEditor.conflicts.mine')}
            </Badge>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {mine}
            </Text>
          </Stack>
          <Stack gap={2} data-testid="conflict-theirs">
            <Badge variant="light" color="grape">
              {t('listingEditor.conflicts.theirs')}
            </Badge>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {theirs}
            </Text>
          </Stack>
        </SimpleGrid>
        {segments !== null && (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('listingEditor.conflicts.difference')}
            </Text>
            <TextDiff segments={segments} side={false} />
          </Stack>
        )}
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            data-testid="conflict-keep-mine"
            disabled={disabled}
            onClick={() => {
              onResolve(conflict.path, 'mine');
            }}
          >
            {t('listingEditor.conflicts.keepMine')}
          </Button>
          <Button
            size="xs"
            variant="light"
            color="grape"
            data-testid="conflict-take-theirs"
            disabled={disabled}
            onClick={() => {
              onResolve(conflict.path, 'theirs');
            }}
          >
            {t('listingEditor.conflicts.takeTheirs')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
