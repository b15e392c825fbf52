import { Skeleton, Text } from '@mantine/core';
import { observeElementRect, useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { useEffect, useImperativeHandle, useRef, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewDeskDb } from '../../db/database';
import { renderRow, type RowContext } from './renderRow';
import type { QueueResult } from './queueQuery';
import { QUEUE_COLUMNS, ROW_HEIGHT } from './QueueRow';
import { useQueueWindow } from './useQueue';

/** Rows rendered beyond the visible ones, above and below (keeps keyboard moves smooth). */
export const OVERSCAN = 20;
/** Rows are read in pages of this many, so scrolling a little does not re-read. */
const PAGE = 50;
const HEADER_HEIGHT = 36;

/**
 * Without layout (a first render, jsdom) an element measures 0 × 0 and a virtualizer shows no
 * rows: assume the window's height until the element has one.
 */
function observeRect(
  instance: Virtualizer<HTMLDivElement, Element>,
  callback: (rect: { width: number; height: number }) => void,
) {
  return observeElementRect(instance, (rect) => {
    callback(
      rect.height > 0
        ? rect
        : { width: rect.width > 0 ? rect.width : 1024, height: window.innerHeight || 800 },
    );
  });
}

export interface QueueListApi {
  scrollTo(index: number): void;
  focusRow(itemId: string): void;
}

/**
 * The queue's rows, virtualized (fixed row height): only the visible rows (and `OVERSCAN` more)
 * are in the page, and only their rows are read from IndexedDB, a page at a time. An ARIA table:
 * the header row stays on top, each row knows its position (`aria-rowindex`) in the whole list.
 */
export function QueueList({
  db,
  result,
  context,
  selectedId,
  apiRef,
}: {
  readonly db: ReviewDeskDb;
  readonly result: QueueResult;
  readonly context: RowContext;
  readonly selectedId: string | null;
  readonly apiRef: RefObject<QueueListApi | null>;
}) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const pendingFocus = useRef<string | null>(null);
  /** The row the keyboard is in: a re-run of the query re-creates the rows (placeholders while
   * the new window loads), which drops focus to the page; it comes back to the same item. */
  const focusedRow = useRef<string | null>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: result.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
    observeElementRect: observeRect,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const first = virtualRows[0]?.index ?? 0;
  const last = (virtualRows.at(-1)?.index ?? 0) + 1;
  const start = Math.floor(first / PAGE) * PAGE;
  const end = Math.min(result.total, Math.ceil(last / PAGE) * PAGE);
  const window = useQueueWindow(db, result, start, end);
  const current = window?.result === result ? window : undefined;

  const focusNow = (itemId: string): boolean => {
    const row = [
      ...(scrollRef.current?.querySelectorAll<HTMLElement>('[data-testid="queue-item"]') ?? []),
    ].find((element) => element.dataset['itemId'] === itemId);
    if (row === undefined) {
      return false;
    }
    row.focus({ preventScroll: true });
    return true;
  };

  useImperativeHandle(apiRef, () => ({
    scrollTo: (index: number) => {
      virtualizer.scrollToIndex(index, { align: 'auto' });
    },
    focusRow: (itemId: string) => {
      if (!focusNow(itemId)) {
        pendingFocus.current = itemId;
      }
    },
  }));

  // A row asked for focus before it was rendered, or lost it when its element was replaced:
  // focus it once it is there.
  useEffect(() => {
    const active = document.activeElement;
    const lost = active === null || active === document.body ? focusedRow.current : null;
    const wanted = pendingFocus.current ?? lost;
    if (wanted !== null && focusNow(wanted)) {
      pendingFocus.current = null;
    }
  });

  const header = [
    t('queue.columns.title'),
    t('queue.columns.state'),
    t('queue.columns.due'),
    t('queue.columns.holder'),
    t('queue.columns.status'),
    t('queue.columns.actions'),
  ];

  return (
    <div role="table" aria-label={t('queue.title')} aria-rowcount={result.total + 1}>
      <div
        ref={scrollRef}
        data-testid="queue-scroll"
        onFocus={(event) => {
          const row =
            event.target instanceof HTMLElement
              ? event.target.closest<HTMLElement>('[data-testid="queue-item"]')
              : null;
          focusedRow.current = row?.dataset['itemId'] ?? null;
        }}
        onBlur={(event) => {
          // Focus moved somewhere on purpose (not: the row's element went away).
          if (event.relatedTarget !== null && !event.currentTarget.contains(event.relatedTarget)) {
            focusedRow.current = null;
          }
        }}
        style={{
          height: 'max(320px, calc(100dvh - 420px))',
          overflow: 'auto',
          position: 'relative',
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-sm)',
        }}
      >
        <div
          role="rowgroup"
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 1,
            minWidth: 1100,
            background: 'var(--mantine-color-body)',
          }}
        >
          <div
            role="row"
            aria-rowindex={1}
            style={{
              display: 'grid',
              gridTemplateColumns: QUEUE_COLUMNS,
              columnGap: 12,
              alignItems: 'center',
              height: HEADER_HEIGHT,
              padding: '0 12px',
              borderBottom: '1px solid var(--mantine-color-default-border)',
            }}
          >
            {header.map((label) => (
              <Text key={label} role="columnheader" size="sm" fw={600} truncate="end" title={label}>
                {label}
              </Text>
            ))}
          </div>
        </div>
        <div
          role="rowgroup"
          style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: 1100 }}
        >
          {virtualRows.map((virtualRow) => {
            const style = {
              position: 'absolute',
              top: 0,
              left: 0,
              width: '100%',
              transform: `translateY(${virtualRow.start - HEADER_HEIGHT}px)`,
            } as const;
            const item = current?.items[virtualRow.index - current.start];
            if (current === undefined || item === undefined) {
              return (
                <div
                  key={`placeholder-${virtualRow.index}`}
                  role="row"
                  aria-rowindex={virtualRow.index + 2}
                  style={{ ...style, height: ROW_HEIGHT, padding: '12px' }}
                >
                  <div role="cell">
                    <Skeleton height={14} width="40%" mb={8} />
                    <Skeleton height={10} width="60%" />
                  </div>
                </div>
              );
            }
            return renderRow(item, virtualRow.index, context, current, {
              selected: item.id === selectedId,
              style,
            });
          })}
        </div>
      </div>
    </div>
  );
}
