import { Badge, Button, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { openAlerts, type OpsAlert } from '#shared/ops/alerts';
import { formatServerTime, useNow } from '../../app/format';
import { routeHref } from '../../app/routing';
import { useAppStore } from '../../app/store';
import { useLocale } from '../../i18n/useLocale';
import type { Workspace } from '../../workspace/workspace';
import { useAlertBadgeT } from './alertText';
import { useConflictCount, usePendingCount, useSyncStatus } from './hooks';
import { useAlertNotifications, useOpsAlerts } from './opsAlerts';
import { ReminderBadge } from './ReminderBadge';

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
 * Ops managers' open alerts (those the ops console lists), linking to the console; a desktop
 * notification for each alert this device had not seen.
 */
function AlertBadge({
  workspace,
  serverNow,
}: {
  readonly workspace: Workspace;
  readonly serverNow: number;
}) {
  const { t } = useTranslation();
  const a = useAlertBadgeT();
  const bridge = useAppStore((state) => state.host.bridge);
  const alerts = useOpsAlerts(workspace, true, serverNow);
  useAlertNotifications(workspace, bridge, alerts, (fresh: readonly OpsAlert[]) => ({
    title: a('alertBadge.notifyTitle', { count: fresh.length }),
    body: fresh
      .slice(0, 5)
      .map((alert) =>
        a('alertBadge.notifyLine', {
          rule: t(`opsConsole.alerts.name.${alert.rule}`),
          day: alert.day,
        }),
      )
      .join('\n'),
  }));
  // Acknowledged alerts stay listed in the console; the badge counts the ones nobody took.
  const count = openAlerts(alerts ?? []).length;
  return (
    <Badge
      component="a"
      href={routeHref({ name: 'screen', screenId: 'ops', subpath: '', query: '' })}
      color={count > 0 ? 'red' : 'gray'}
      variant={count > 0 ? 'filled' : 'light'}
      style={{ cursor: 'pointer', flexShrink: 0 }}
      aria-label={a('alertBadge.aria', { count })}
      data-testid="alert-badge"
      data-count={String(count)}
    >
      {a('alertBadge.label', { count })}
    </Badge>
  );
}

/**
 * The footer every screen shows (RSP/1 §2.6): online or not, how many decisions wait to be
 * sent, unresolved conflicts, the last successful sync in server time, and for ops managers the
 * alert badge. Its data attributes are what end-to-end tests read.
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
      <Group gap="sm" wrap="nowrap">
        <ReminderBadge workspace={workspace} />
        {workspace.session.user.role === 'ops_manager' && (
          <AlertBadge workspace={workspace} serverNow={serverNow} />
        )}
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
    </Group>
  );
}
