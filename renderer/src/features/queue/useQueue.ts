import { useLiveQuery } from 'dexie-react-hooks';
import type { MutationResult } from '#shared/sync/protocol';
import type {
  AuditEventRecord,
  DecisionRecord,
  ReviewItemRecord,
  UserRecord,
} from '#shared/sync/rows';
import { mutationItemId, type PendingMutation } from '#shared/sync/view';
import type { MirrorRow, ReviewDeskDb } from '../../db/database';
import { toPending } from '../../db/outbox';
import {
  presentKinds,
  queueCounts,
  runQueueQuery,
  type QueueCounts,
  type QueueFilters,
  type QueueResult,
} from './queueQuery';

const asItem = (row: MirrorRow) => row as unknown as ReviewItemRecord;
const asDecision = (row: MirrorRow) => row as unknown as DecisionRecord;
const asUser = (row: MirrorRow) => row as unknown as UserRecord;
const asAudit = (row: MirrorRow) => row as unknown as AuditEventRecord;

/** The review kinds present in the user's mirror (the server sends only the user's kinds). */
export function useKinds(db: ReviewDeskDb): string[] | undefined {
  return useLiveQuery(() => presentKinds(db), [db]);
}

/**
 * The queue for the filters, live: re-run when the mirror changes. `now` is server time rounded
 * to the minute by the caller (age and due filters), so the clock does not re-run it every tick.
 */
export function useQueueResult(
  db: ReviewDeskDb,
  filters: QueueFilters,
  userId: string,
  now: number,
  kinds: readonly string[] | undefined,
): QueueResult | undefined {
  return useLiveQuery(
    async () =>
      kinds === undefined ? undefined : runQueueQuery(db, filters, { userId, now }, kinds),
    [db, filters, userId, now, kinds],
  );
}

/**
 * The exact number of matches of a result (`QueueResult.countAll`), after its first screen:
 * undefined while counting, null when only the walk to the end can tell.
 */
export function useQueueTotal(result: QueueResult | undefined): number | null | undefined {
  return useLiveQuery(async () => (result === undefined ? undefined : result.countAll()), [result]);
}

/** Counts per state and kind (index counts only). */
export function useQueueCounts(
  db: ReviewDeskDb,
  kind: string | null,
  userId: string,
  kinds: readonly string[] | undefined,
): QueueCounts | undefined {
  return useLiveQuery(
    async () => (kinds === undefined ? undefined : queueCounts(db, kind, userId, kinds)),
    [db, kind, userId, kinds],
  );
}

/** The rows of one window of the queue, with what the rows show beside them. */
export interface QueueWindow {
  readonly result: QueueResult;
  readonly start: number;
  readonly items: readonly ReviewItemRecord[];
  /** The final (else latest) decision per item id. */
  readonly decisions: ReadonlyMap<string, DecisionRecord>;
  /** Audit events per item id, for "changed after I claimed it". */
  readonly audit: ReadonlyMap<string, readonly AuditEventRecord[]>;
}

/** Reads rows [start, end) of the order, and their decisions and audit events. */
export function useQueueWindow(
  db: ReviewDeskDb,
  result: QueueResult | undefined,
  start: number,
  end: number,
): QueueWindow | undefined {
  return useLiveQuery(async (): Promise<QueueWindow | undefined> => {
    if (result === undefined) {
      return undefined;
    }
    const items = await result.rows(start, end);
    const ids = items.map((item) => item.id);
    const decisions = new Map<string, DecisionRecord>();
    const audit = new Map<string, AuditEventRecord[]>();
    if (ids.length > 0) {
      const [decisionRows, auditRows] = await Promise.all([
        db.mirror('decisions').where('itemId').anyOf(ids).toArray(),
        db.mirror('audit_events').where('itemId').anyOf(ids).toArray(),
      ]);
      for (const decision of decisionRows.map(asDecision)) {
        const known = decisions.get(decision.itemId);
        if (
          known === undefined ||
          (decision.isFinal && !known.isFinal) ||
          (decision.isFinal === known.isFinal && decision.decidedAt > known.decidedAt)
        ) {
          decisions.set(decision.itemId, decision);
        }
      }
      for (const event of auditRows.map(asAudit)) {
        if (event.itemId !== null) {
          const list = audit.get(event.itemId) ?? [];
          list.push(event);
          audit.set(event.itemId, list);
        }
      }
    }
    return { result, start, items, decisions, audit };
  }, [db, result, start, end]);
}

/** One item by id (the queue filtered to one item, `#/queue?item=`). */
export function useOneItem(
  db: ReviewDeskDb,
  itemId: string | null,
): ReviewItemRecord | null | undefined {
  return useLiveQuery(async () => {
    if (itemId === null) {
      return null;
    }
    const row = await db.mirror('review_items').get(itemId);
    return row === undefined ? null : asItem(row);
  }, [db, itemId]);
}

/** The outbox, in seq order, as the view reducers want it. */
export function usePending(db: ReviewDeskDb): readonly PendingMutation[] {
  return useLiveQuery(
    async () => (await db.outbox.orderBy('seq').toArray()).map(toPending),
    [db],
    EMPTY_PENDING,
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

const EMPTY_PENDING: readonly PendingMutation[] = [];
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

/** Who holds what: items in review with a live claim, grouped by holder (the ops view). */
export interface Holding {
  readonly userId: string;
  readonly items: number;
  /** The earliest claim of theirs still held (server time). */
  readonly since: string;
  /** Items of theirs that were assigned by someone. */
  readonly assigned: number;
}

export function useHoldings(
  db: ReviewDeskDb,
  enabled: boolean,
  serverNow: number,
): readonly Holding[] | undefined {
  return useLiveQuery(async () => {
    if (!enabled) {
      return [];
    }
    const rows = (await db.mirror('review_items').where('state').equals('in_review').toArray()).map(
      asItem,
    );
    const byUser = new Map<string, { items: number; since: string; assigned: number }>();
    for (const item of rows) {
      const claim = item.claim;
      if (claim === null || Date.parse(claim.expiresAt) <= serverNow) {
        continue;
      }
      const known = byUser.get(claim.reviewerId) ?? {
        items: 0,
        since: claim.claimedAt,
        assigned: 0,
      };
      known.items += 1;
      if (claim.claimedAt < known.since) {
        known.since = claim.claimedAt;
      }
      if (claim.assignedBy !== null) {
        known.assigned += 1;
      }
      byUser.set(claim.reviewerId, known);
    }
    return [...byUser]
      .map(([userId, holding]) => ({ userId, ...holding }))
      .sort((a, b) => b.items - a.items || a.since.localeCompare(b.since));
  }, [db, enabled, serverNow]);
}
