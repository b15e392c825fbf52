import type { Workspace } from '../../workspace/workspace';

/**
 * The item before and after `itemId` in the queue as the user last filtered and sorted it, for
 * "next item" / "previous item" on the item page. Placeholder until the full queue lands.
 */
export function useQueueNeighbours(
  workspace: Workspace,
  itemId: string,
): { readonly previous: string | null; readonly next: string | null } {
  void workspace;
  void itemId;
  return { previous: null, next: null };
}
