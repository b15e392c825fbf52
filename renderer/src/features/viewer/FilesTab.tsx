import {
  Alert,
  Badge,
  Box,
  Button,
  Center,
  Group,
  Loader,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShortcuts, type Shortcut } from '../../app/shortcuts';
import { useLocale } from '../../i18n/useLocale';
import type { Workspace } from '../../workspace/workspace';
import {
  credentialKindLabel,
  formatBytes,
  isImage,
  isPdf,
  loadRevisionFiles,
  serverDay,
  type CredentialFileView,
} from './files';
import { ImageViewer } from './ImageViewer';
import { PdfViewer } from './PdfViewer';
import { TabBoundary } from './TabBoundary';
import { prefetchFiles, useCachedFiles, useFileBlob } from './useFileBlob';
import { DownloadLink, FileLoadStatus } from './ViewerParts';
import { OcrPanel } from '../ocr/OcrPanel';

/**
 * The credential files of an item's listing revision — what the submitter declared (kind,
 * validity) beside the file itself — each opened in the viewer (PDF pages, images with zoom and
 * rotate). Files are read from the device's cache first, so everything viewed or prefetched
 * once stays available offline. `[` and `]` move between files.
 */
export function FilesTab(props: { readonly workspace: Workspace; readonly itemId: string }) {
  return (
    <TabBoundary>
      <Files {...props} />
    </TabBoundary>
  );
}

function Files({ workspace, itemId }: { readonly workspace: Workspace; readonly itemId: string }) {
  const { t } = useTranslation();
  const { db } = workspace;
  const revision = useLiveQuery(
    async () => ({ value: await loadRevisionFiles(db, itemId) }),
    [db, itemId],
  );
  const files = useMemo(() => revision?.value?.files ?? [], [revision]);
  const cached = useCachedFiles(
    db,
    files.flatMap((file) => (file.fileId === null ? [] : [file.fileId])),
  );
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [saving, setSaving] = useState<'idle' | 'saving' | 'failed'>('idle');
  const selectedIndex = Math.max(
    0,
    files.findIndex((file) => file.entryId === selectedId),
  );
  const selected = files[selectedIndex] ?? null;

  const group = t('viewer.shortcuts.group');
  const shortcuts = useMemo<readonly Shortcut[]>(
    () => [
      {
        keys: ']',
        description: t('viewer.shortcuts.nextFile'),
        group,
        enabled: files.length > 1,
        run: () => {
          setSelectedId(files[Math.min(files.length - 1, selectedIndex + 1)]?.entryId ?? null);
        },
      },
      {
        keys: '[',
        description: t('viewer.shortcuts.previousFile'),
        group,
        enabled: files.length > 1,
        run: () => {
          setSelectedId(files[Math.max(0, selectedIndex - 1)]?.entryId ?? null);
        },
      },
    ],
    [t, group, files, selectedIndex],
  );
  useShortcuts(shortcuts);

  if (revision === undefined) {
    return (
      <Center p="xl">
        <Loader aria-label={t('viewer.title')} />
      </Center>
    );
  }
  if (revision.value === null) {
    return (
      <Text c="dimmed" data-testid="files-none">
        {t('viewer.notListing')}
      </Text>
    );
  }
  if (files.length === 0) {
    return (
      <Text c="dimmed" data-testid="files-none">
        {t('viewer.noFiles')}
      </Text>
    );
  }

  const missing = files.filter(
    (file) => file.fileId !== null && cached !== undefined && !cached.has(file.fileId),
  ).length;

  return (
    <Stack gap="sm" data-testid="files-tab">
      <Group justify="space-between">
        <Text size="sm" c="dimmed" data-testid="files-intro">
          {t('viewer.intro', { count: files.length })}
        </Text>
        {missing > 0 ? (
          <Button
            size="xs"
            variant="default"
            loading={saving === 'saving'}
            onClick={() => {
              setSaving('saving');
              void prefetchFiles(workspace, [itemId]).then(
                (summary) => {
                  setSaving(summary.failed.length > 0 ? 'failed' : 'idle');
                },
                () => {
                  setSaving('failed');
                },
              );
            }}
          >
            {t('viewer.saveOffline', { count: missing })}
          </Button>
        ) : (
          <Badge variant="light" color="teal" data-testid="files-all-offline">
            {t('viewer.allOffline')}
          </Badge>
        )}
      </Group>
      {saving === 'failed' && (
        <Text size="xs" c="red">
          {t('viewer.saveOfflineFailed')}
        </Text>
      )}
      <Group align="flex-start" wrap="nowrap" gap="md">
        <Stack
          gap={4}
          w={280}
          style={{ flex: 'none' }}
          role="listbox"
          aria-label={t('viewer.listLabel')}
        >
          {files.map((file) => (
            <FileEntry
              key={file.entryId}
              file={file}
              selected={file.entryId === selected?.entryId}
              cached={file.fileId !== null && cached?.has(file.fileId) === true}
              today={serverDay(workspace.serverNow())}
              onSelect={() => {
                setSelectedId(file.entryId);
              }}
            />
          ))}
        </Stack>
        <Box style={{ flex: 1, minWidth: 0 }}>
          {selected !== null && (
            // Distinct keys: siblings with the same key leave the previous file's viewer on screen.
            <FileView key={`view-${selected.entryId}`} workspace={workspace} file={selected} />
          )}
          {selected !== null && (
            <OcrPanel
              key={`ocr-${selected.entryId}`}
              workspace={workspace}
              itemId={itemId}
              file={selected}
            />
          )}
        </Box>
      </Group>
    </Stack>
  );
}

function FileEntry({
  file,
  selected,
  cached,
  today,
  onSelect,
}: {
  readonly file: CredentialFileView;
  readonly selected: boolean;
  readonly cached: boolean;
  readonly today: string;
  readonly onSelect: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const expired = typeof file.validUntil === 'string' && file.validUntil < today;
  const validity =
    file.validUntil === null
      ? t('viewer.validLongTerm')
      : file.validUntil === undefined
        ? t('viewer.validUnknown')
        : t('viewer.validUntil', { date: file.validUntil });
  return (
    <UnstyledButton
      onClick={onSelect}
      role="option"
      aria-selected={selected}
      data-testid="file-entry"
      data-file-id={file.fileId ?? ''}
      data-mime-type={file.mimeType}
      p="xs"
      style={{
        borderRadius: 'var(--mantine-radius-sm)',
        border: `1px solid ${selected ? 'var(--mantine-color-blue-filled)' : 'var(--mantine-color-default-border)'}`,
        background: selected ? 'var(--mantine-color-blue-light)' : undefined,
      }}
    >
      <Stack gap={2}>
        <Group gap={6} wrap="nowrap" justify="space-between">
          <Text size="sm" fw={600} lineClamp={2} style={{ wordBreak: 'break-all' }}>
            {file.fileName}
          </Text>
          <Badge size="xs" variant="outline" style={{ flex: 'none' }}>
            {isPdf(file.mimeType) ? 'PDF' : isImage(file.mimeType) ? t('viewer.imageBadge') : '?'}
          </Badge>
        </Group>
        <Text size="xs">
          {credentialKindLabel(file.kind, locale)}
          {file.sizeBytes !== null && ` · ${formatBytes(file.sizeBytes, locale)}`}
        </Text>
        <Group gap={6}>
          <Text size="xs" c={expired ? 'red' : 'dimmed'} fw={expired ? 600 : undefined}>
            {file.validFrom !== null && `${t('viewer.validFrom', { date: file.validFrom })} · `}
            {validity}
          </Text>
          {expired && (
            <Badge size="xs" color="red" variant="filled">
              {t('viewer.expired')}
            </Badge>
          )}
        </Group>
        <Text
          size="xs"
          c={cached ? 'teal' : 'dimmed'}
          data-testid="file-cached"
          data-cached={cached}
        >
          {cached ? t('viewer.cached') : t('viewer.notCached')}
        </Text>
      </Stack>
    </UnstyledButton>
  );
}

/** One file in the viewer that fits its type. */
export function FileView({
  workspace,
  file,
}: {
  readonly workspace: Workspace;
  readonly file: CredentialFileView;
}) {
  const { t } = useTranslation();
  const state = useFileBlob(
    workspace,
    file.fileId === null ? null : { id: file.fileId, sha256: file.sha256, mimeType: file.mimeType },
  );
  if (file.fileId === null) {
    return (
      <Alert color="orange" title={t('viewer.noRecordTitle')} data-testid="file-no-record">
        {t('viewer.noRecord')}
      </Alert>
    );
  }
  if (state.status !== 'ready') {
    return <FileLoadStatus state={state} retry={state.retry} />;
  }
  const type = state.blob.type !== '' ? state.blob.type : file.mimeType;
  return (
    <Stack gap="xs" data-testid="file-view" data-from-cache={state.fromCache}>
      {isPdf(type) ? (
        <PdfViewer db={workspace.db} blob={state.blob} fileName={file.fileName} />
      ) : isImage(type) ? (
        <ImageViewer blob={state.blob} fileName={file.fileName} />
      ) : (
        <Alert color="orange" title={t('viewer.unsupportedTitle')}>
          <Stack gap="xs">
            <Text size="sm">{t('viewer.unsupported', { type })}</Text>
            <DownloadLink blob={state.blob} fileName={file.fileName} />
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
