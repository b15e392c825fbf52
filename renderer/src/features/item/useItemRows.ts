import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useState } from 'react';
import { itemsMissingRows, sessionTransport, ensureItemRows } from '../../sync/deferred';
import { NetworkError } from '../../sync/transport';
import type { Workspace } from '../../workspace/workspace';

/**
 * Whether an item's deferred rows (its listing document and revisions, its history) are on this
 * device, fetching them when they are not (`deferred.ts`):
 *  - `ready`: present (or the mirror holds every row: a full bootstrap);
 *  - `loading`: being downloaded now;
 *  - `offline`: not downloaded and the server cannot be reached;
 *  - `failed`: the server refused (`retry` tries again).
 */
export type ItemRowsState = 'ready' | 'loading' | 'offline' | 'failed';

export function useItemRows(
  workspace: Pick<Workspace, 'db' | 'session'>,
  itemId: string,
  /** Changes when the connection may have come back (e.g. the last successful pull's time). */
  reconnected: unknown = null,
): { readonly state: ItemRowsState; readonly retry: () => void } {
  const { db, session } = workspace;
  const missing = useLiveQuery(
    async () => (await itemsMissingRows(db, [itemId])).length > 0,
    [db, itemId],
  );
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => {
    setAttempt((value) => value + 1);
  }, []);
  // The outcome of the download for one attempt; a new attempt (retry, reconnection, another
  // item) shows `loading` until its own outcome arrives.
  const key = `${itemId} ${String(attempt)} ${String(reconnected)}`;
  const [outcome, setOutcome] = useState<{
    readonly key: string;
    /** `done`: fetched; if the rows are still missing, the server no longer shows the item. */
    readonly result: 'done' | 'offline' | 'failed';
  } | null>(null);

  useEffect(() => {
    if (missing !== true) {
      return;
    }
    let live = true;
    ensureItemRows(db, sessionTransport(session), [itemId]).then(
      () => {
        if (live) {
          setOutcome({ key, result: 'done' });
        }
      },
      (error: unknown) => {
        if (live) {
          setOutcome({ key, result: error instanceof NetworkError ? 'offline' : 'failed' });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [db, session, itemId, missing, key]);

  const result = outcome?.key === key ? outcome.result : null;
  const state: ItemRowsState =
    missing === false || result === 'done' ? 'ready' : (result ?? 'loading');
  return { state, retry };
}
