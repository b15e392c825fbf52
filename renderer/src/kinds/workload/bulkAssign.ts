import type { Workspace } from '../../workspace/workspace';

/**
 * Assignments recorded per outbox transaction. One transaction for 500 rows would hold the
 * database (and the progress bar) for the whole write; one per row made 500 transactions. A
 * hundred keeps each write short and the loop yields between them, so the UI stays responsive.
 */
export const ASSIGNMENTS_PER_WRITE = 100;

export type BulkOutcome =
  | { readonly ok: true; readonly recorded: number }
  | { readonly ok: false; readonly recorded: number; readonly message: string };

/**
 * Records one `assign` per item, in order, through the outbox (so it works offline and reaches
 * the server exactly once; the sync engine pushes them in batches), a chunk of
 * `ASSIGNMENTS_PER_WRITE` per IndexedDB transaction. A chunk is written whole or not at all; a
 * failure stops the loop and says how far it got: the chunks already recorded stay.
 */
export async function recordAssignments(
  workspace: Pick<Workspace, 'recordMany'>,
  itemIds: readonly string[],
  assigneeId: string,
  onProgress: (done: number) => void,
): Promise<BulkOutcome> {
  let recorded = 0;
  for (let start = 0; start < itemIds.length; start += ASSIGNMENTS_PER_WRITE) {
    const chunk = itemIds.slice(start, start + ASSIGNMENTS_PER_WRITE);
    try {
      await workspace.recordMany(
        chunk.map((itemId) => ({ name: 'assign', args: { itemId, assigneeId } })),
      );
    } catch (error) {
      onProgress(recorded);
      return {
        ok: false,
        recorded,
        message: error instanceof Error ? error.message : String(error),
      };
    }
    recorded += chunk.length;
    onProgress(recorded);
  }
  return { ok: true, recorded };
}
