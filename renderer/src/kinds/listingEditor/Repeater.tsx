import { ActionIcon, Button, Group, Paper, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { FieldPath } from '#shared/domain/validationIssue';
import { toJsonPointer } from '#shared/domain/validationIssue';
import { isRecord } from '#shared/domain/listing/document';
import { listAt, moveItem } from './draftDocument';
import { PathIssues, shortLabel, useEditor } from './fields';
import { useEditorT } from './text';

/**
 * A list of the document (packages, timeline nodes, success cases, advantages…) with add,
 * remove and reordering: the ↑/↓ buttons of a row, or Alt+↑/Alt+↓ anywhere inside it (the
 * focus stays on the moved item). Each move is announced to screen readers.
 */
export function Repeater({
  path,
  max,
  newItem,
  renderItem,
  addLabel,
  testId,
  hideAdd,
}: {
  readonly path: FieldPath;
  readonly max: number;
  readonly newItem: () => unknown;
  readonly renderItem: (index: number) => ReactNode;
  readonly addLabel: string;
  readonly testId: string;
  /** Items come from elsewhere (uploads): no add button. */
  readonly hideAdd?: boolean;
}) {
  const editor = useEditor();
  const t = useEditorT();
  const items = listAt(editor.doc, path);
  const [announcement, setAnnouncement] = useState('');
  const rows = useRef(new Map<number, HTMLDivElement>());
  const locale = editor.locale;
  const itemName = (index: number) => shortLabel([...path, index])[locale];

  const move = (from: number, to: number) => {
    if (to < 0 || to >= items.length) {
      return;
    }
    const hadFocusIn = [...rows.current.entries()].find(([, row]) =>
      row.contains(document.activeElement),
    )?.[0];
    editor.update(path, moveItem(items, from, to));
    setAnnouncement(t('listingEditor.repeater.moved', { item: itemName(from), position: to + 1 }));
    // Items without an id are rendered by position: the focus then follows the item by hand.
    if (!isRecord(items[from]) && hadFocusIn === from) {
      requestAnimationFrame(() => {
        rows.current.get(to)?.querySelector<HTMLElement>('input, textarea')?.focus();
      });
    }
  };

  const onKeyDown = (index: number) => (event: KeyboardEvent<HTMLDivElement>) => {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) {
      return;
    }
    event.preventDefault();
    move(index, event.key === 'ArrowUp' ? index - 1 : index + 1);
  };

  return (
    <Stack gap="sm" data-testid={testId} data-field={toJsonPointer(path)}>
      <PathIssues path={path} />
      {items.map((item, index) => (
        <Paper
          key={
            isRecord(item) && typeof item['id'] === 'string' ? item['id'] : `row-${String(index)}`
          }
          withBorder
          p="sm"
          role="group"
          aria-label={itemName(index)}
          data-testid="repeater-row"
          data-index={index}
          ref={(element: HTMLDivElement | null) => {
            if (element === null) {
              rows.current.delete(index);
            } else {
              rows.current.set(index, element);
            }
          }}
          onKeyDown={onKeyDown(index)}
        >
          <Group justify="space-between" mb="xs" wrap="nowrap">
            <Text fw={600} size="sm">
              {itemName(index)}
            </Text>
            {!editor.readOnly && (
              <Group gap={4} wrap="nowrap">
                <ActionIcon
                  variant="subtle"
                  aria-label={t('listingEditor.repeater.up', { item: itemName(index) })}
                  title={t('listingEditor.repeater.keys')}
                  disabled={index === 0}
                  onClick={() => {
                    move(index, index - 1);
                  }}
                >
                  ↑
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  aria-label={t('listingEditor.repeater.down', { item: itemName(index) })}
                  title={t('listingEditor.repeater.keys')}
                  disabled={index === items.length - 1}
                  onClick={() => {
                    move(index, index + 1);
                  }}
                >
                  ↓
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('listingEditor.repeater.remove', { item: itemName(index) })}
                  onClick={() => {
                    editor.update(
                      path,
                      items.filter((_, i) => i !== index),
                    );
                    setAnnouncement(t('listingEditor.repeater.removed', { item: itemName(index) }));
                  }}
                >
                  ✕
                </ActionIcon>
              </Group>
            )}
          </Group>
          {renderItem(index)}
        </Paper>
      ))}
      {!editor.readOnly && (
        <Group>
          <Button
            variant="light"
            size="xs"
            display={hideAdd === true ? 'none' : undefined}
            disabled={items.length >= max}
            onClick={() => {
              editor.update(path, [...items, newItem()]);
              setAnnouncement(t('listingEditor.repeater.added', { item: itemName(items.length) }));
            }}
          >
            {addLabel}
          </Button>
          <Text size="xs" c="dimmed">
            {t('listingEditor.repeater.count', { count: items.length, max })}
            {items.length > 1 ? ` · ${t('listingEditor.repeater.keys')}` : ''}
          </Text>
        </Group>
      )}
      <VisuallyHidden aria-live="polite" data-testid="repeater-announcement">
        {announcement}
      </VisuallyHidden>
    </Stack>
  );
}
