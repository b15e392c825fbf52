import { Alert, Box, Group, SegmentedControl, Slider, Stack, Text } from '@mantine/core';
import { useEffect, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { Workspace } from '../../workspace/workspace';
import { exceedsPixelBudget, readBlobImageHeader, type ImageHeader } from '../viewer/imageHeader';
import { useObjectUrl } from '../viewer/objectUrl';
import { useFileBlob, type FileRef } from '../viewer/useFileBlob';
import { FileLoadStatus } from '../viewer/ViewerParts';

export type ImageDiffMode = 'side' | 'swipe' | 'onion';

const BOX_HEIGHT = 380;

/**
 * Two versions of a credential image: side by side, swipe (a slider uncovers the new one over
 * the old) or onion skin (the new one over the old, its opacity on a slider). Both come from the
 * file cache when they are there; images above the viewer's pixel budget are not decoded.
 */
export function ImageDiff({
  workspace,
  before,
  after,
}: {
  readonly workspace: Workspace;
  readonly before: FileRef & { readonly fileName: string };
  readonly after: FileRef & { readonly fileName: string };
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<ImageDiffMode>('side');
  const [position, setPosition] = useState(50);
  const [opacity, setOpacity] = useState(50);
  const beforeBlob = useFileBlob(workspace, before);
  const afterBlob = useFileBlob(workspace, after);
  const beforeImage = useCheckedImage(beforeBlob.status === 'ready' ? beforeBlob.blob : null);
  const afterImage = useCheckedImage(afterBlob.status === 'ready' ? afterBlob.blob : null);

  if (beforeBlob.status !== 'ready' || afterBlob.status !== 'ready') {
    return (
      <Stack gap="xs">
        {beforeBlob.status !== 'ready' && (
          <FileLoadStatus state={beforeBlob} retry={beforeBlob.retry} />
        )}
        {afterBlob.status !== 'ready' && (
          <FileLoadStatus state={afterBlob} retry={afterBlob.retry} />
        )}
      </Stack>
    );
  }
  const tooLarge = [beforeImage, afterImage].find(
    (image) => image.header?.kind === 'dimensions' && exceedsPixelBudget(image.header),
  );
  if (tooLarge?.header?.kind === 'dimensions') {
    return (
      <Alert color="orange" title={t('viewer.image.tooLargeTitle')}>
        {t('viewer.image.tooLarge', {
          width: tooLarge.header.width,
          height: tooLarge.header.height,
          megapixels: Math.round((tooLarge.header.width * tooLarge.header.height) / 1e6),
        })}
      </Alert>
    );
  }
  const beforeUrl = beforeImage.url;
  const afterUrl = afterImage.url;
  const image = (url: string | null, alt: string, style: CSSProperties = {}) =>
    url === null ? null : (
      <img
        src={url}
        alt={alt}
        draggable={false}
        style={{
          position: 'absolute',
          inset: 0,
          width: '100%',
          height: '100%',
          objectFit: 'contain',
          ...style,
        }}
      />
    );
  const frame: CSSProperties = {
    position: 'relative',
    height: BOX_HEIGHT,
    background: 'var(--mantine-color-gray-light)',
    borderRadius: 'var(--mantine-radius-sm)',
    overflow: 'hidden',
  };
  const beforeAlt = t('diffView.image.beforeAlt', { name: before.fileName });
  const afterAlt = t('diffView.image.afterAlt', { name: after.fileName });

  return (
    <Stack gap="xs" data-testid="image-diff" data-mode={mode}>
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(value) => {
            setMode(value);
          }}
          data={[
            { value: 'side', label: t('diffView.image.side') },
            { value: 'swipe', label: t('diffView.image.swipe') },
            { value: 'onion', label: t('diffView.image.onion') },
          ]}
          aria-label={t('diffView.image.mode')}
        />
        {mode === 'swipe' && (
          <Slider
            w={220}
            value={position}
            onChange={setPosition}
            label={(value) => `${String(value)}%`}
            aria-label={t('diffView.image.swipePosition')}
            thumbLabel={t('diffView.image.swipePosition')}
          />
        )}
        {mode === 'onion' && (
          <Slider
            w={220}
            value={opacity}
            onChange={setOpacity}
            label={(value) => `${String(value)}%`}
            aria-label={t('diffView.image.opacity')}
            thumbLabel={t('diffView.image.opacity')}
          />
        )}
      </Group>
      {mode === 'side' ? (
        <Group grow align="flex-start" gap="xs">
          <Stack gap={4}>
            <Text size="xs" fw={600}>
              {t('diffView.before')} · {before.fileName}
            </Text>
            <Box style={frame}>{image(beforeUrl, beforeAlt)}</Box>
          </Stack>
          <Stack gap={4}>
            <Text size="xs" fw={600}>
              {t('diffView.after')} · {after.fileName}
            </Text>
            <Box style={frame}>{image(afterUrl, afterAlt)}</Box>
          </Stack>
        </Group>
      ) : (
        <Stack gap={4}>
          <Group justify="space-between">
            <Text size="xs" fw={600}>
              {t('diffView.before')} · {before.fileName}
            </Text>
            <Text size="xs" fw={600}>
              {t('diffView.after')} · {after.fileName}
            </Text>
          </Group>
          <Box style={frame}>
            {image(beforeUrl, beforeAlt)}
            {mode === 'swipe'
              ? image(afterUrl, afterAlt, { clipPath: `inset(0 0 0 ${String(position)}%)` })
              : image(afterUrl, afterAlt, { opacity: opacity / 100 })}
            {mode === 'swipe' && (
              <div
                aria-hidden
                style={{
                  position: 'absolute',
                  top: 0,
                  bottom: 0,
                  left: `${String(position)}%`,
                  width: 2,
                  background: 'var(--mantine-color-blue-filled)',
                }}
              />
            )}
          </Box>
        </Stack>
      )}
    </Stack>
  );
}

/** A blob's header (read before decoding) and its object URL, unless it is too large. */
function useCheckedImage(blob: Blob | null): {
  readonly header: ImageHeader | null;
  readonly url: string | null;
} {
  const [header, setHeader] = useState<{ blob: Blob; header: ImageHeader } | null>(null);
  useEffect(() => {
    if (blob === null) {
      return;
    }
    let live = true;
    void readBlobImageHeader(blob)
      .catch((): ImageHeader => ({ kind: 'unknown' }))
      .then((read) => {
        if (live) {
          setHeader({ blob, header: read });
        }
      });
    return () => {
      live = false;
    };
  }, [blob]);
  const current = header !== null && header.blob === blob ? header.header : null;
  const allowed =
    current !== null && !(current.kind === 'dimensions' && exceedsPixelBudget(current));
  const url = useObjectUrl(allowed ? blob : null);
  return { header: current, url };
}
