import { Button, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatServerTime, useNow } from '../../app/format';
import { useLocale } from '../../i18n/useLocale';
import type { Workspace } from '../../workspace/workspace';
import { useConflictCount, usePendingCount, useSyncStatus } from './hooks';

function Dot({ color }: { readonly color: string }) {
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-block',
        width: 10,
        height: 10,
        borderRadius: '50%',
        background: `var(--mantine-color-${color}-6)`,
      }}
    />
  );
}

/**
 * The footer every screen shows (RSP/1 §2.6): online or not, how many decisions wait to be
 * sent, unresolved conflicts, and the last successful sync in server time. Its data attributes
 * are what end-to-end tests read.
 */
export function StatusBar({ workspace }: { readonly workspace: Workspace }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const status = useSyncStatus(workspace);
  const pending = usePendingCount(workspace.db);
  const conflicts = useConflictCount(workspace.db);
  const now = useNow(1000);
  const serverNow = now + status.serverOffsetMs;

  let activity: string | null = null;
  if (status.phase === 'bootstrapping') {
    activity = t('status.bootstrapping', { count: status.bootstrapRows });
  } else if (status.phase === 'pushing' || status.phase === 'pulling') {
    activity = t('status.syncing');
  } else if (status.phase === 'signed_out') {
    activity = t('status.signedOut');
  } else if (status.retryAt !== null) {
    activity = t('status.retryIn', {
      seconds: Math.max(0, Math.ceil((status.retryAt - now) / 1000)),
    });
  }
  const busy =
    status.phase === 'pushing' || status.phase === 'pulling' || status.phase === 'bootstrapping';

  return (
    <Group
      component="section"
      aria-label={t('status.label')}
      data-testid="sync-status"
      data-online={String(status.online)}
      data-pending={String(pending)}
      data-conflicts={String(conflicts)}
      data-phase={status.phase}
      h="100%"
      px="md"
      gap="lg"
      wrap="nowrap"
      justify="space-between"
    >
      <Group gap="lg" wrap="nowrap" style={{ overflow: 'hidden' }}>
        <Group gap={6} wrap="nowrap">
          <Dot color={status.online ? 'teal' : 'gray'} />
          <Text size="sm" data-testid="sync-online">
            {status.online ? t('status.online') : t('status.offline')}
          </Text>
        </Group>
        <Text size="sm" {...(pending > 0 ? { fw: 600 } : {})} data-testid="sync-pending">
          {t('status.pending', { count: pending })}
        </Text>
        <Text
          size="sm"
          {...(conflicts > 0 ? { c: 'red', fw: 600 } : {})}
          data-testid="sync-conflicts"
        >
          {t('status.conflicts', { count: conflicts })}
        </Text>
        <Text size="sm" c="dimmed" data-testid="sync-last">
          {status.lastSyncServerTime === null
            ? t('status.neverSynced')
            : t('status.lastSync', {
                time: formatServerTime(status.lastSyncServerTime, locale, serverNow),
              })}
        </Text>
        {activity !== null && (
          <Group gap={6} wrap="nowrap">
            {busy && <Loader size={12} aria-hidden />}
            <Text size="sm" c="dimmed" role="status" data-testid="sync-activity">
              {activity}
            </Text>
          </Group>
        )}
      </Group>
      <Button
        size="compact-sm"
        variant="light"
        onClick={() => {
          workspace.syncNow();
        }}
        disabled={status.phase === 'signed_out'}
      >
        {t('status.syncNow')}
      </Button>
    </Group>
  );
}
