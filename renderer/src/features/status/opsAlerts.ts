import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo } from 'react';
import type { Bridge } from '#shared/ipc/contract';
import type { OpsAlert } from '#shared/ops/alerts';
import { cachedFigures, defaultOpsRange, fetchFigures } from '../../kinds/ops/opsData';
import type { Workspace } from '../../workspace/workspace';
import { useAnnounceOnce } from './announce';

/**
 * The ops managers' alert badge: the alerts the ops console lists (`GET /api/v1/ops/alerts`,
 * fetched and cached on the device by the console's own `fetchFigures`, for the console's
 * default range), and a desktop notification for each alert this device has not seen before.
 */

/** The server evaluates the rules every 10 minutes; asking more often finds nothing new. */
export const ALERT_REFRESH_MS = 10 * 60_000;
/** `meta` key: ids of the alerts already announced on this device (for this user). */
export const SEEN_ALERTS_KEY = 'ops:alerts:seen';

/** The alerts of cached figures (figures from a server without them count as none). */
function alertsOf(figures: { readonly alerts?: unknown } | null): readonly OpsAlert[] {
  return figures !== null && Array.isArray(figures.alerts) ? (figures.alerts as OpsAlert[]) : [];
}

/** The alerts in `alerts` whose id is not in `seen`, oldest first. */
export function unseenAlerts(
  alerts: readonly OpsAlert[],
  seen: ReadonlySet<string>,
): readonly OpsAlert[] {
  return alerts
    .filter((alert) => !seen.has(alert.id))
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));
}

/**
 * The alerts of the console's default range as cached on this device, live; refreshed from the
 * server now and every `ALERT_REFRESH_MS` while `enabled` (ops managers). Offline, the cached
 * alerts stay. Undefined while nothing is known.
 */
export function useOpsAlerts(
  workspace: Workspace,
  enabled: boolean,
  serverNow: number,
): readonly OpsAlert[] | undefined {
  // Strings that change once a day: the query and the refresh restart only then.
  const { from, to } = defaultOpsRange(serverNow);
  const alerts = useLiveQuery(
    async () => (enabled ? alertsOf(await cachedFigures(workspace.db, { from, to })) : undefined),
    [workspace, enabled, from, to],
  );
  useEffect(() => {
    if (!enabled) {
      return;
    }
    const refresh = () => {
      // Offline or refused: the cached alerts stay, the next round tries again.
      void fetchFigures(workspace, { from, to }).catch(() => undefined);
    };
    refresh();
    const timer = setInterval(refresh, ALERT_REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [workspace, enabled, from, to]);
  return alerts;
}

/**
 * A desktop notification (through the bridge, as `dueNotifications.ts` does for items coming
 * due) when alerts appear that this device has not announced yet, oldest first. `describe` words
 * them in the user's language.
 */
export function useAlertNotifications(
  workspace: Workspace,
  bridge: Bridge,
  alerts: readonly OpsAlert[] | undefined,
  describe: (fresh: readonly OpsAlert[]) => { title: string; body: string },
): void {
  const oldestFirst = useMemo(
    () => (alerts === undefined ? undefined : unseenAlerts(alerts, new Set())),
    [alerts],
  );
  useAnnounceOnce(workspace.db, bridge, SEEN_ALERTS_KEY, oldestFirst, describe);
}
