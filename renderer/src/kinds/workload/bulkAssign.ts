import type { Workspace } from '../../workspace/workspace';

/** How often a bulk assignment reports progress (a re-render per row would be wasted work). */
const PROGRESS_EVERY = 25;

export type BulkOutcome =
  | { readonly ok: true; readonly recorded: number }
  | { readonly ok: false; readonly recorded: number; readonly message: string };

/**
 * Records one `assign` per item, in order, through the outbox (so it works offline and reaches
 * the server exactly once; the sync engine pushes them in batches). Each row is its own short
 * IndexedDB transaction and the loop awaits between them, so the UI stays responsive for 500
 * items. A failure stops the loop and says how far it got: the rows already recorded stay.
 */
export async function recordAssignments(
  workspace: Pick<Workspace, 'record'>,
  itemIds: readonly string[],
  assigneeId: string,
  onProgress: (done: number) => void,
): Promise<BulkOutcome> {
  let recorded = 0;
  for (const itemId of itemIds) {
    try {
      await workspace.record('assign', { itemId, assigneeId });
    } catch (error) {
      onProgress(recorded);
      return {
        ok: false,
        recorded,
        message: error instanceof Error ? error.message : String(error),
      };
    }
    recorded += 1;
    if (recorded % PROGRESS_EVERY === 0) {
      onProgress(recorded);
    }
  }
  onProgress(recorded);
  return { ok: true, recorded };
}
