import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useSyncExternalStore } from 'react';
import type { ReviewDeskDb } from '../../db/database';
import type { SyncStatus } from '../../sync/engine';
import type { Workspace } from '../../workspace/workspace';

/** The workspace's sync status, live. */
export function useSyncStatus(workspace: Workspace): SyncStatus {
  const subscribe = useCallback(
    (onChange: () => void) => workspace.subscribe(onChange),
    [workspace],
  );
  const snapshot = useCallback(() => workspace.status(), [workspace]);
  return useSyncExternalStore(subscribe, snapshot);
}

/** Mutations still in the outbox (saved on this device, not yet answered by the server). */
export function usePendingCount(db: ReviewDeskDb): number {
  return useLiveQuery(() => db.outbox.count(), [db], 0);
}

/** Conflicts and rejections the user has not dismissed yet: the inbox badge. */
export function useConflictCount(db: ReviewDeskDb): number {
  return useLiveQuery(
    () =>
      db.results
        .where('dismissed')
        .equals(0)
        .filter((row) => row.status === 'conflict' || row.status === 'rejected')
        .count(),
    [db],
    0,
  );
}
