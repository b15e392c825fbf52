import { useLiveQuery } from 'dexie-react-hooks';
import type { Workspace } from '../../workspace/workspace';
import { DEFAULT_FILTERS, runQueueQuery } from './queueQuery';
import { useQueueStore } from './queueStore';

export interface Neighbours {
  readonly previous: string | null;
  readonly next: string | null;
}

const NONE: Neighbours = { previous: null, next: null };

/** The neighbours last seen per item: an item that left the order (decided) keeps its place. */
const lastSeen = new Map<string, Neighbours>();

/**
 * The item before and after `itemId` in the queue as the user last filtered and sorted it (the
 * queue store), for "next item" / "previous item" on the item page. Live: it follows the mirror.
 * When the item is no longer in that order (decided, filtered out), its last known neighbours
 * are kept, so "next" still goes on from where the user was.
 */
export function useQueueNeighbours(workspace: Workspace, itemId: string): Neighbours {
  const userId = workspace.session.user.id;
  const filters = useQueueStore((state) =>
    state.userId === userId ? state.filters : DEFAULT_FILTERS,
  );
  // Age and due filters in whole minutes, so the clock does not re-run the query.
  const now = Math.floor(workspace.serverNow() / 60_000) * 60_000;
  return (
    useLiveQuery(async () => {
      const result = await runQueueQuery(workspace.db, filters, { userId, now });
      const index = await result.indexOf(itemId);
      if (index === -1) {
        return lastSeen.get(itemId) ?? NONE;
      }
      const keys = await result.ensure(index + 2);
      const found: Neighbours = {
        previous: keys[index - 1] ?? null,
        next: keys[index + 1] ?? null,
      };
      lastSeen.set(itemId, found);
      return found;
    }, [workspace.db, filters, userId, itemId, now]) ?? NONE
  );
}
