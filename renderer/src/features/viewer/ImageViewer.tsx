import { ActionIcon, Alert, Box, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Shortcut } from '../../app/shortcuts';
import { exceedsPixelBudget, readBlobImageHeader, type ImageHeader } from './imageHeader';
import { useObjectUrl } from './objectUrl';
import { useOwnedShortcuts } from './ownKeys';
import { DownloadLink } from './ViewerParts';
import { fitScale, useElementSize, zoomIn, zoomOut, type Zoom } from './zoom';

type Rotation = 0 | 90 | 180 | 270;

/** The height of the viewing area of both viewers. */
export const VIEW_HEIGHT = 'clamp(360px, calc(100vh - 300px), 900px)';

/**
 * A credential image with zoom (`+`/`-`, `0` fits), 90° rotation (`r`) and fit. The header is
 * read before anything is decoded: an image above the pixel budget is not decoded at all, and
 * the viewer says how large it is and offers the file for download instead.
 */
export function ImageViewer({
  blob,
  fileName,
  active = true,
}: {
  readonly blob: Blob;
  readonly fileName: string;
  /** Whether this viewer's keys are live (one viewer at a time). */
  readonly active?: boolean;
}) {
  const { t } = useTranslation();
  const [header, setHeader] = useState<{ blob: Blob; header: ImageHeader } | null>(null);
  useEffect(() => {
    let live = true;
    readBlobImageHeader(blob).then(
      (read) => {
        if (live) {
          setHeader({ blob, header: read });
        }
      },
      () => {
        if (live) {
          setHeader({ blob, header: { kind: 'unknown' } });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [blob]);
  const current = header?.blob === blob ? header.header : null;

  if (current === null) {
    return <Text size="sm">{t('viewer.image.reading')}</Text>;
  }
  if (current.kind === 'dimensions' && exceedsPixelBudget(current)) {
    return (
      <Alert color="orange" title={t('viewer.image.tooLargeTitle')} data-testid="image-too-large">
        <Stack gap="xs">
          <Text size="sm">
            {t('viewer.image.tooLarge', {
              width: current.width,
              height: current.height,
              megapixels: Math.round((current.width * current.height) / 1e6),
            })}
          </Text>
          <DownloadLink blob={blob} fileName={fileName} />
        </Stack>
      </Alert>
    );
  }
  return <DecodedImage blob={blob} fileName={fileName} header={current} active={active} />;
}

function DecodedImage({
  blob,
  fileName,
  header,
  active,
}: {
  readonly blob: Blob;
  readonly fileName: string;
  readonly header: ImageHeader;
  readonly active: boolean;
}) {
  const { t } = useTranslation();
  const url = useObjectUrl(blob);
  const viewRef = useRef<HTMLDivElement>(null);
  const view = useElementSize(viewRef);
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [rotation, setRotation] = useState<Rotation>(0);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const [failed, setFailed] = useState(false);

  const size =
    natural ??
    (header.kind === 'dimensions' ? { width: header.width, height: header.height } : null);
  const turned = rotation === 90 || rotation === 270;
  const boxWidth = size === null ? 0 : turned ? size.height : size.width;
  const boxHeight = size === null ? 0 : turned ? size.width : size.height;
  const fit = fitScale(boxWidth, boxHeight, view);
  const scale = zoom === 'fit' ? fit : zoom;

  const group = t('viewer.shortcuts.group');
  const shortcuts = useMemo<readonly Shortcut[]>(
    () => [
      {
        keys: '+',
        description: t('viewer.shortcuts.zoomIn'),
        group,
        enabled: active,
        run: () => {
          setZoom(zoomIn(scale));
        },
      },
      {
        keys: '=',
        description: t('viewer.shortcuts.zoomIn'),
        group,
        enabled: active,
        run: () => {
          setZoom(zoomIn(scale));
        },
      },
      {
        keys: '-',
        description: t('viewer.shortcuts.zoomOut'),
        group,
        enabled: active,
        run: () => {
          setZoom(zoomOut(scale));
        },
      },
      {
        keys: '0',
        description: t('viewer.shortcuts.fit'),
        group,
        enabled: active,
        run: () => {
          setZoom('fit');
        },
      },
      {
        keys: 'r',
        description: t('viewer.shortcuts.rotate'),
        group,
        enabled: active,
        run: () => {
          setRotation((r) => ((r + 90) % 360) as Rotation);
        },
      },
    ],
    [t, group, active, scale],
  );
  useOwnedShortcuts(shortcuts);

  if (failed) {
    return (
      <Alert color="red" title={t('viewer.image.unreadableTitle')} data-testid="image-unreadable">
        <Stack gap="xs">
          <Text size="sm">{t('viewer.image.unreadable')}</Text>
          <DownloadLink blob={blob} fileName={fileName} />
        </Stack>
      </Alert>
    );
  }

  return (
    <Stack
      gap="xs"
      data-testid="image-viewer"
      data-rotation={rotation}
      data-scale={Math.round(scale * 100)}
      data-zoom={zoom === 'fit' ? 'fit' : 'manual'}
    >
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap={4}>
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
              onClick={() => {
                setZoom('fit');
              }}
              w="auto"
              px={8}
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
        <Group gap="md">
          {size !== null && (
            <Text size="xs" c="dimmed" data-testid="image-size">
              {t('viewer.image.size', { width: size.width, height: size.height })}
              {rotation !== 0 && ` · ${t('viewer.rotated', { degrees: rotation })}`}
            </Text>
          )}
          <DownloadLink blob={blob} fileName={fileName} />
        </Group>
      </Group>
      <Box
        ref={viewRef}
        tabIndex={0}
        role="region"
        aria-label={t('viewer.image.region', { name: fileName })}
        style={{
          height: VIEW_HEIGHT,
          overflow: 'auto',
          display: 'flex',
          background: 'var(--mantine-color-gray-light)',
          borderRadius: 'var(--mantine-radius-sm)',
        }}
      >
        <div
          style={{
            position: 'relative',
            margin: 'auto',
            width: Math.max(1, Math.round(boxWidth * scale)),
            height: Math.max(1, Math.round(boxHeight * scale)),
            flex: 'none',
          }}
        >
          {url !== null && (
            <img
              src={url}
              alt={fileName}
              decoding="async"
              draggable={false}
              data-testid="image-view"
              onLoad={(event) => {
                const image = event.currentTarget;
                setNatural({ width: image.naturalWidth, height: image.naturalHeight });
              }}
              onError={() => {
                setFailed(true);
              }}
              style={{
                position: 'absolute',
                left: '50%',
                top: '50%',
                width: size === null ? 'auto' : size.width * scale,
                height: size === null ? 'auto' : size.height * scale,
                maxWidth: 'none',
                transform: `translate(-50%, -50%) rotate(${String(rotation)}deg)`,
                boxShadow: 'var(--mantine-shadow-sm)',
                background: 'white',
              }}
            />
          )}
        </div>
      </Box>
    </Stack>
  );
}
