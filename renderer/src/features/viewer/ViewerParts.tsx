import { Alert, Anchor, Button, Group, Progress, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/useLocale';
import { formatBytes } from './files';
import { useObjectUrl } from './objectUrl';
import type { FileBlobState, FileProblem } from './useFileBlob';

/** A link that saves the file's bytes as they are (for what the viewer cannot show). */
export function DownloadLink({
  blob,
  fileName,
}: {
  readonly blob: Blob | null;
  readonly fileName: string;
}) {
  const { t } = useTranslation();
  const url = useObjectUrl(blob);
  if (url === null) {
    return null;
  }
  return (
    <Anchor href={url} download={fileName} size="sm" data-testid="file-download">
      {t('viewer.download', { name: fileName })}
    </Anchor>
  );
}

/** Why the bytes of a file are not here, in the reviewer's words. */
export function fileProblemText(problem: FileProblem, t: TFunction): string {
  switch (problem.code) {
    case 'offline':
      return t('viewer.problem.offline');
    case 'signed_out':
      return t('viewer.problem.signedOut');
    case 'forbidden':
      return t('viewer.problem.forbidden');
    case 'not_found':
      return t('viewer.problem.notFound');
    case 'integrity':
      return t('viewer.problem.integrity');
    case 'http':
      return t('viewer.problem.http', { status: problem.status || '?' });
  }
}

/** Loading progress or the reason a file could not be had, with a retry. */
export function FileLoadStatus({
  state,
  retry,
}: {
  readonly state: FileBlobState;
  readonly retry: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (state.status === 'loading') {
    const percent =
      state.total !== null && state.total > 0 ? (state.loaded / state.total) * 100 : null;
    return (
      <Stack gap={6} maw={420} data-testid="file-loading">
        <Text size="sm">
          {state.loaded === 0
            ? t('viewer.loading')
            : state.total === null
              ? t('viewer.downloadingUnknown', { loaded: formatBytes(state.loaded, locale) })
              : t('viewer.downloading', {
                  loaded: formatBytes(state.loaded, locale),
                  total: formatBytes(state.total, locale),
                })}
        </Text>
        <Progress
          value={percent ?? 100}
          animated={percent === null}
          aria-label={t('viewer.loading')}
        />
      </Stack>
    );
  }
  if (state.status === 'error') {
    const detail =
      state.problem.code === 'offline' || state.problem.code === 'http'
        ? state.problem.detail
        : state.problem.code === 'integrity'
          ? t('viewer.problem.integrityDetail', {
              expected: state.problem.expected.slice(0, 12),
              actual: state.problem.actual.slice(0, 12),
            })
          : '';
    return (
      <Alert color="red" title={t('viewer.problem.title')} data-testid="file-error">
        <Stack gap="xs">
          <Text size="sm">{fileProblemText(state.problem, t)}</Text>
          {detail !== '' && (
            <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
              {detail}
            </Text>
          )}
          <Group>
            <Button size="xs" variant="default" onClick={retry}>
              {t('viewer.retry')}
            </Button>
          </Group>
        </Stack>
      </Alert>
    );
  }
  return null;
}
