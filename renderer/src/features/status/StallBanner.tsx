import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../app/store';
import type { Workspace } from '../../workspace/workspace';
import { usePendingCount, useSyncStatus } from './hooks';

/**
 * "Sync stalled" (RSP/1 §2.5 rule 7): online, work pending, and nothing accepted for two
 * minutes, or the window that syncs for all of them stopped answering. Never silent: the user can
 * retry, or take the decisions with them as a file.
 */
export function StallBanner({ workspace }: { readonly workspace: Workspace }) {
  const { t } = useTranslation();
  const status = useSyncStatus(workspace);
  const pending = usePendingCount(workspace.db);
  const exportPending = useAppStore((state) => state.exportPending);
  if (!status.stalled) {
    return null;
  }
  return (
    <Alert color="orange" title={t('stall.title')} role="alert" data-testid="stall-banner" mb="md">
      <Stack gap="xs">
        <Text size="sm">
          {status.leaderSilent
            ? t('stall.leaderSilent', { count: pending })
            : t('stall.body', { count: pending })}
        </Text>
        {status.lastError !== null && (
          <Text size="xs" c="dimmed">
            {t('stall.lastError', { error: status.lastError })}
          </Text>
        )}
        <Group gap="sm">
          <Button
            size="xs"
            onClick={() => {
              workspace.syncNow();
            }}
          >
            {t('stall.retry')}
          </Button>
          <Button size="xs" variant="default" onClick={() => void exportPending()}>
            {t('stall.export')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
