import { useLiveQuery } from 'dexie-react-hooks';
import type { MutationResult } from '#shared/sync/protocol';
import type { DecisionRecord, ItemState, ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { mutationItemId, type PendingMutation } from '#shared/sync/view';
import type { MirrorRow, ReviewDeskDb } from '../../db/database';
import { toPending } from '../../db/outbox';

/** Rows one screen shows at most; the full queue (issue 5) pages and filters properly. */
export const QUEUE_ROW_LIMIT = 200;

const OPEN_STATES: readonly ItemState[] = ['pending', 'in_review'];
const CLOSED_STATES: readonly ItemState[] = ['decided', 'withdrawn', 'cancelled'];

const asItem = (row: MirrorRow) => row as unknown as ReviewItemRecord;
const asDecision = (row: MirrorRow) => row as unknown as DecisionRecord;
const asUser = (row: MirrorRow) => row as unknown as UserRecord;

export interface QueueItems {
  readonly items: readonly ReviewItemRecord[];
  /** Items of the kind in all (the list stops at {@link QUEUE_ROW_LIMIT}). */
  readonly total: number;
  /** The final (else latest) decision per item id. */
  readonly decisions: ReadonlyMap<string, DecisionRecord>;
}

/** The review kinds present in the user's mirror (the server sends only the user's kinds). */
export function useKinds(db: ReviewDeskDb): string[] | undefined {
  return useLiveQuery(
    async () => (await db.mirror('review_items').orderBy('kind').uniqueKeys()).map(String),
    [db],
  );
}

/**
 * A queue: open items (waiting, in review) first, oldest first; then closed ones, most recently
 * changed first, so a decision just made shows its final state. With `itemId`, that item only.
 */
export function useQueueItems(
  db: ReviewDeskDb,
  kind: string | null,
  itemId: string | null,
): QueueItems | undefined {
  return useLiveQuery(async (): Promise<QueueItems> => {
    const table = db.mirror('review_items');
    let items: ReviewItemRecord[];
    let total: number;
    if (itemId !== null) {
      const row = await table.get(itemId);
      items = row === undefined ? [] : [asItem(row)];
      total = items.length;
    } else if (kind === null) {
      items = [];
      total = 0;
    } else {
      const open = (
        await table
          .where('[kind+state]')
          .anyOf(OPEN_STATES.map((state) => [kind, state]))
          .toArray()
      )
        .map(asItem)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
      const closedKeys = CLOSED_STATES.map((state) => [kind, state]);
      const closedCount = await table.where('[kind+state]').anyOf(closedKeys).count();
      let closed: ReviewItemRecord[] = [];
      if (open.length < QUEUE_ROW_LIMIT && closedCount > 0) {
        closed = (await table.where('[kind+state]').anyOf(closedKeys).toArray())
          .map(asItem)
          .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
          .slice(0, QUEUE_ROW_LIMIT - open.length);
      }
      items = [...open.slice(0, QUEUE_ROW_LIMIT), ...closed];
      total = open.length + closedCount;
    }
    const decisions = new Map<string, DecisionRecord>();
    if (items.length > 0) {
      const rows = await db
        .mirror('decisions')
        .where('itemId')
        .anyOf(items.map((item) => item.id))
        .toArray();
      for (const decision of rows.map(asDecision)) {
        const known = decisions.get(decision.itemId);
        if (
          known === undefined ||
          (decision.isFinal && !known.isFinal) ||
          (decision.isFinal === known.isFinal && decision.decidedAt > known.decidedAt)
        ) {
          decisions.set(decision.itemId, decision);
        }
      }
    }
    return { items, total, decisions };
  }, [db, kind, itemId]);
}

/** The outbox, in seq order, as the view reducers want it. */
export function usePending(db: ReviewDeskDb): readonly PendingMutation[] {
  return useLiveQuery(
    async () => (await db.outbox.orderBy('seq').toArray()).map(toPending),
    [db],
    [],
  );
}

/** The user's own results per item id, oldest first. */
export function useResultsByItem(db: ReviewDeskDb): ReadonlyMap<string, readonly MutationResult[]> {
  return useLiveQuery(
    async () => {
      const byItem = new Map<string, MutationResult[]>();
      for (const row of await db.results.orderBy('seq').toArray()) {
        const itemId = mutationItemId(row.args);
        if (itemId !== null) {
          const list = byItem.get(itemId) ?? [];
          list.push(row);
          byItem.set(itemId, list);
        }
      }
      return byItem;
    },
    [db],
    EMPTY_RESULTS,
  );
}

const EMPTY_RESULTS: ReadonlyMap<string, readonly MutationResult[]> = new Map();
const EMPTY_USERS: ReadonlyMap<string, UserRecord> = new Map();

/** Users by id, for display names. */
export function useUsers(db: ReviewDeskDb): ReadonlyMap<string, UserRecord> {
  return useLiveQuery(
    async () =>
      new Map(
        (await db.mirror('users').toArray()).map(asUser).map((user) => [user.id, user]),
      ) as ReadonlyMap<string, UserRecord>,
    [db],
    EMPTY_USERS,
  );
}
