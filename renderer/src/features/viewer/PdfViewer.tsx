import { ActionIcon, Alert, Box, Group, Loader, Stack, Text, Tooltip } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Shortcut } from '../../app/shortcuts';
import type { ReviewDeskDb } from '../../db/database';
import { VIEW_HEIGHT } from './ImageViewer';
import { classifyPdfError, openPdf, type PdfProblem } from './pdfjs';
import { useOwnedShortcuts } from './ownKeys';
import { DownloadLink } from './ViewerParts';
import { fitScale, useElementSize, zoomIn, zoomOut, type Zoom } from './zoom';

/** PDF points to CSS pixels: "100 %" shows the page at its printed size, as pdf.js's viewer. */
const CSS_UNITS = 96 / 72;
/** Largest canvas we draw (pixels): beyond it the output resolution is lowered instead. */
const MAX_CANVAS_PIXELS = 16_777_216;
const THUMB_WIDTH = 96;
const THUMB_ROW = 150;

type Rotation = 0 | 90 | 180 | 270;

type Opened =
  | { readonly blob: Blob; readonly status: 'opening' }
  | { readonly blob: Blob; readonly status: 'open'; readonly document: PDFDocumentProxy }
  | { readonly blob: Blob; readonly status: 'error'; readonly problem: PdfProblem };

/**
 * A credential PDF through pdf.js: the current page drawn on a canvas at the resolution of the
 * zoom, thumbnails in a virtual list (only those in view are drawn, so a 500-page contract opens
 * as fast as a one-page licence), `PageDown`/`PageUp`/`Home`/`End` between pages, `+`/`-`/`0`
 * for zoom and fit, `r` to rotate. A PDF that cannot be opened (corrupt, truncated, encrypted)
 * says so, with pdf.js's reason and the file to download; a page that fails to draw says so
 * while the others stay readable.
 */
export function PdfViewer({
  db,
  blob,
  fileName,
  active = true,
}: {
  readonly db: ReviewDeskDb | null;
  readonly blob: Blob;
  readonly fileName: string;
  readonly active?: boolean;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState<Opened>({ blob, status: 'opening' });

  useEffect(() => {
    let live = true;
    let destroy: (() => Promise<void>) | null = null;
    openPdf(db, blob).then(
      ({ task, document }) => {
        destroy = () => task.destroy();
        if (live) {
          setOpened({ blob, status: 'open', document });
        } else {
          void destroy();
        }
      },
      (error: unknown) => {
        if (live) {
          setOpened({ blob, status: 'error', problem: classifyPdfError(error) });
        }
      },
    );
    return () => {
      live = false;
      void destroy?.();
    };
  }, [db, blob]);

  const current: Opened = opened.blob === blob ? opened : { blob, status: 'opening' };
  switch (current.status) {
    case 'opening':
      return (
        <Group gap="xs" data-testid="pdf-opening">
          <Loader size="sm" />
          <Text size="sm">{t('viewer.pdf.opening')}</Text>
        </Group>
      );
    case 'error':
      return <PdfProblemAlert problem={current.problem} blob={blob} fileName={fileName} />;
    case 'open':
      return (
        <PdfDocumentView
          document={current.document}
          blob={blob}
          fileName={fileName}
          active={active}
        />
      );
  }
}

function PdfProblemAlert({
  problem,
  blob,
  fileName,
}: {
  readonly problem: PdfProblem;
  readonly blob: Blob;
  readonly fileName: string;
}) {
  const { t } = useTranslation();
  const text = {
    encrypted: t('viewer.pdf.encrypted'),
    unreadable: t('viewer.pdf.unreadable'),
    timeout: t('viewer.pdf.timeout'),
    engine: t('viewer.pdf.engine'),
  }[problem.code];
  return (
    <Alert
      color={problem.code === 'encrypted' ? 'orange' : 'red'}
      title={
        problem.code === 'encrypted'
          ? t('viewer.pdf.encryptedTitle')
          : t('viewer.pdf.unreadableTitle')
      }
      data-testid="pdf-error"
      data-problem={problem.code}
    >
      <Stack gap="xs">
        <Text size="sm">{text}</Text>
        <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
          {t('viewer.pdf.reason', { reason: problem.detail })}
        </Text>
        <DownloadLink blob={blob} fileName={fileName} />
      </Stack>
    </Alert>
  );
}

interface Drawn {
  readonly page: number;
  readonly scale: number;
  readonly error: string | null;
}

function PdfDocumentView({
  document,
  blob,
  fileName,
  active,
}: {
  readonly document: PDFDocumentProxy;
  readonly blob: Blob;
  readonly fileName: string;
  readonly active: boolean;
}) {
  const { t } = useTranslation();
  const pages = document.numPages;
  const [page, setPage] = useState(1);
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [rotation, setRotation] = useState<Rotation>(0);
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  const viewRef = useRef<HTMLDivElement>(null);
  const canvasHolder = useRef<HTMLDivElement>(null);
  const view = useElementSize(viewRef);

  useEffect(() => {
    let live = true;
    let task: RenderTask | null = null;
    const draw = async () => {
      const pdfPage = await document.getPage(page);
      const turn = (pdfPage.rotate + rotation) % 360;
      const base = pdfPage.getViewport({ scale: CSS_UNITS, rotation: turn });
      const scale = zoom === 'fit' ? fitScale(base.width, base.height, view) : zoom;
      const viewport = pdfPage.getViewport({ scale: scale * CSS_UNITS, rotation: turn });
      const ratio = Math.min(
        window.devicePixelRatio || 1,
        Math.sqrt(MAX_CANVAS_PIXELS / Math.max(1, viewport.width * viewport.height)),
      );
      const canvas = window.document.createElement('canvas');
      canvas.width = Math.max(1, Math.floor(viewport.width * ratio));
      canvas.height = Math.max(1, Math.floor(viewport.height * ratio));
      canvas.style.width = `${String(Math.floor(viewport.width))}px`;
      canvas.style.height = `${String(Math.floor(viewport.height))}px`;
      canvas.style.display = 'block';
      canvas.style.background = 'white';
      canvas.setAttribute('data-testid', 'pdf-page-canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', t('viewer.pdf.pageImage', { page, pages }));
      task = pdfPage.render({
        canvas,
        viewport,
        ...(ratio === 1 ? {} : { transform: [ratio, 0, 0, ratio, 0, 0] }),
      });
      await task.promise;
      if (!live) {
        return;
      }
      const holder = canvasHolder.current;
      if (holder !== null) {
        for (const old of holder.querySelectorAll('canvas')) {
          old.width = 0;
          old.height = 0;
        }
        holder.replaceChildren(canvas);
      }
      setDrawn({ page, scale, error: null });
    };
    draw().catch((error: unknown) => {
      if (!live || (error instanceof Error && error.name === 'RenderingCancelledException')) {
        return;
      }
      canvasHolder.current?.replaceChildren();
      setDrawn({
        page,
        scale: typeof zoom === 'number' ? zoom : 1,
        error: error instanceof Error ? error.message : String(error),
      });
    });
    return () => {
      live = false;
      task?.cancel();
    };
  }, [document, page, zoom, rotation, view, t, pages]);

  const scale = drawn?.scale ?? 1;
  const go = useCallback(
    (target: number | ((current: number) => number)) => {
      setPage((current) =>
        Math.min(pages, Math.max(1, typeof target === 'number' ? target : target(current))),
      );
    },
    [pages],
  );
  useEffect(() => {
    // A new page starts at its top left.
    viewRef.current?.scrollTo({ top: 0, left: 0 });
  }, [page]);

  const group = t('viewer.shortcuts.group');
  const shortcuts = useMemo<readonly Shortcut[]>(() => {
    const keys: [string, string, () => void][] = [
      [
        'pagedown',
        t('viewer.shortcuts.nextPage'),
        () => {
          go((p) => p + 1);
        },
      ],
      [
        'pageup',
        t('viewer.shortcuts.previousPage'),
        () => {
          go((p) => p - 1);
        },
      ],
      [
        'home',
        t('viewer.shortcuts.firstPage'),
        () => {
          go(1);
        },
      ],
      [
        'end',
        t('viewer.shortcuts.lastPage'),
        () => {
          go(pages);
        },
      ],
      [
        '+',
        t('viewer.shortcuts.zoomIn'),
        () => {
          setZoom(zoomIn(scale));
        },
      ],
      [
        '=',
        t('viewer.shortcuts.zoomIn'),
        () => {
          setZoom(zoomIn(scale));
        },
      ],
      [
        '-',
        t('viewer.shortcuts.zoomOut'),
        () => {
          setZoom(zoomOut(scale));
        },
      ],
      [
        '0',
        t('viewer.shortcuts.fit'),
        () => {
          setZoom('fit');
        },
      ],
      [
        'r',
        t('viewer.shortcuts.rotate'),
        () => {
          setRotation((r) => ((r + 90) % 360) as Rotation);
        },
      ],
    ];
    return keys.map(([keys, description, run]) => ({
      keys,
      description,
      group,
      run,
      enabled: active,
    }));
  }, [t, group, active, pages, scale, go]);
  useOwnedShortcuts(shortcuts);

  return (
    <Stack gap="xs" data-testid="pdf-viewer" data-page={page} data-pages={pages}>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap={4}>
          <Tooltip label={t('viewer.pdf.previous')}>
            <ActionIcon
              variant="default"
              aria-label={t('viewer.pdf.previous')}
              disabled={page <= 1}
              onClick={() => {
                go(page - 1);
              }}
            >
              ‹
            </ActionIcon>
          </Tooltip>
          <Text size="sm" miw={96} ta="center" data-testid="pdf-page-indicator" aria-live="polite">
            {t('viewer.pdf.pageOf', { page, pages })}
          </Text>
          <Tooltip label={t('viewer.pdf.next')}>
            <ActionIcon
              variant="default"
              aria-label={t('viewer.pdf.next')}
              disabled={page >= pages}
              onClick={() => {
                go(page + 1);
              }}
            >
              ›
            </ActionIcon>
          </Tooltip>
          <Box w={12} />
          <Tooltip label={t('viewer.zoomOut')}>
            <ActionIcon
              variant="default"
              aria-label={t('viewer.zoomOut')}
              onClick={() => {
                setZoom(zoomOut(scale));
              }}
            >
              −
            </ActionIcon>
          </Tooltip>
          <Text size="sm" w={56} ta="center" data-testid="zoom-level">
            {Math.round(scale * 100)}%
          </Text>
          <Tooltip label={t('viewer.zoomIn')}>
            <ActionIcon
              variant="default"
              aria-label={t('viewer.zoomIn')}
              onClick={() => {
                setZoom(zoomIn(scale));
              }}
            >
              +
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('viewer.fit')}>
            <ActionIcon
              variant={zoom === 'fit' ? 'filled' : 'default'}
              aria-label={t('viewer.fit')}
              aria-pressed={zoom === 'fit'}
              w="auto"
              px={8}
              onClick={() => {
                setZoom('fit');
              }}
            >
              {t('viewer.fitShort')}
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('viewer.rotate')}>
            <ActionIcon
              variant="default"
              aria-label={t('viewer.rotate')}
              onClick={() => {
                setRotation((r) => ((r + 90) % 360) as Rotation);
              }}
            >
              ⟳
            </ActionIcon>
          </Tooltip>
        </Group>
        <DownloadLink blob={blob} fileName={fileName} />
      </Group>
      <Group align="stretch" gap="xs" wrap="nowrap">
        <Thumbnails document={document} page={page} onPick={go} />
        <Box
          ref={viewRef}
          tabIndex={0}
          role="region"
          aria-label={t('viewer.pdf.region', { name: fileName })}
          style={{
            flex: 1,
            minWidth: 0,
            height: VIEW_HEIGHT,
            overflow: 'auto',
            display: 'flex',
            background: 'var(--mantine-color-gray-light)',
            borderRadius: 'var(--mantine-radius-sm)',
          }}
        >
          <div style={{ margin: 'auto', flex: 'none', padding: 8 }}>
            {drawn !== null && drawn.error !== null && drawn.page === page && (
              <Alert
                color="red"
                title={t('viewer.pdf.pageFailedTitle', { page })}
                maw={480}
                data-testid="pdf-page-error"
              >
                <Text size="sm">{t('viewer.pdf.pageFailed')}</Text>
                <Text size="xs" c="dimmed">
                  {t('viewer.pdf.reason', { reason: drawn.error })}
                </Text>
              </Alert>
            )}
            <div ref={canvasHolder} style={{ boxShadow: 'var(--mantine-shadow-sm)' }} />
          </div>
        </Box>
      </Group>
    </Stack>
  );
}

/** Thumbnails are drawn one at a time, so scrolling a long list never floods the worker. */
let thumbnailQueue: Promise<unknown> = Promise.resolve();

function Thumbnails({
  document,
  page,
  onPick,
}: {
  readonly document: PDFDocumentProxy;
  readonly page: number;
  readonly onPick: (page: number) => void;
}) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtualizer = useVirtualizer({
    count: document.numPages,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => THUMB_ROW,
    overscan: 3,
  });
  useEffect(() => {
    virtualizer.scrollToIndex(page - 1, { align: 'auto' });
  }, [virtualizer, page]);
  return (
    <Box
      ref={scrollRef}
      component="nav"
      aria-label={t('viewer.pdf.thumbnails')}
      style={{ height: VIEW_HEIGHT, overflow: 'auto', width: THUMB_WIDTH + 28, flex: 'none' }}
      data-testid="pdf-thumbnails"
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => (
          <div
            key={row.key}
            style={{ position: 'absolute', top: row.start, left: 0, right: 0, height: row.size }}
          >
            <Thumbnail
              document={document}
              page={row.index + 1}
              current={row.index + 1 === page}
              onPick={onPick}
            />
          </div>
        ))}
      </div>
    </Box>
  );
}

function Thumbnail({
  document,
  page,
  current,
  onPick,
}: {
  readonly document: PDFDocumentProxy;
  readonly page: number;
  readonly current: boolean;
  readonly onPick: (page: number) => void;
}) {
  const { t } = useTranslation();
  const holder = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const state = { live: true };
    const alive = () => state.live;
    let task: RenderTask | null = null;
    const draw = async () => {
      if (!alive()) {
        return;
      }
      const pdfPage = await document.getPage(page);
      const base = pdfPage.getViewport({ scale: 1 });
      const viewport = pdfPage.getViewport({ scale: THUMB_WIDTH / base.width });
      const canvas = window.document.createElement('canvas');
      canvas.width = Math.max(1, Math.floor(viewport.width));
      canvas.height = Math.max(1, Math.floor(viewport.height));
      canvas.style.display = 'block';
      canvas.style.maxHeight = `${String(THUMB_ROW - 34)}px`;
      canvas.style.background = 'white';
      task = pdfPage.render({ canvas, viewport });
      await task.promise;
      if (alive()) {
        holder.current?.replaceChildren(canvas);
      }
    };
    const queued = thumbnailQueue.then(draw).catch((error: unknown) => {
      if (state.live && !(error instanceof Error && error.name === 'RenderingCancelledException')) {
        setFailed(true);
      }
    });
    thumbnailQueue = queued;
    return () => {
      state.live = false;
      task?.cancel();
    };
  }, [document, page]);
  return (
    <Box
      component="button"
      type="button"
      onClick={() => {
        onPick(page);
      }}
      aria-current={current ? 'page' : undefined}
      aria-label={t('viewer.pdf.goToPage', { page })}
      data-testid="pdf-thumbnail"
      style={{
        display: 'flex',
        flexDirection: 'column',
        alignItems: 'center',
        gap: 4,
        width: '100%',
        height: THUMB_ROW - 8,
        padding: 4,
        cursor: 'pointer',
        border: current ? '2px solid var(--mantine-color-blue-filled)' : '2px solid transparent',
        borderRadius: 'var(--mantine-radius-sm)',
        background: 'transparent',
        color: 'inherit',
      }}
    >
      <div
        ref={holder}
        style={{
          minHeight: 60,
          width: THUMB_WIDTH,
          display: 'flex',
          justifyContent: 'center',
          alignItems: 'center',
          background: 'var(--mantine-color-gray-light)',
          overflow: 'hidden',
        }}
      >
        {failed && (
          <Text size="xs" c="red">
            {t('viewer.pdf.thumbnailFailed')}
          </Text>
        )}
      </div>
      <Text size="xs">{page}</Text>
    </Box>
  );
}
