import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { mutationItemId, type PendingMutation } from '#shared/sync/view';
import type { ReviewDeskDb } from '../../db/database';
import { toPending } from '../../db/outbox';
import { reviewerRolesOf, sortKinds } from '../../features/queue/kinds';
import { DEFAULT_FILTERS, type QueueFilters } from '../../features/queue/queueQuery';

/**
 * The workload screen's figures, from the cached review items (the server's rows; the screen
 * never writes to the mirror). Who holds what is read from the items in review only (the `state`
 * index): a claim, live or with an expired lease, exists only on an item in review.
 */

/** One member's load: their unreleased claims on open items, by what state the claim is in. */
export interface MemberLoad {
  readonly userId: string;
  /** Items whose lease is still running. */
  readonly holding: number;
  /** Of `holding`, those past their due time. */
  readonly overdue: number;
  /** Claims whose lease ran out and that nobody took over yet (the item waits on them). */
  readonly expired: number;
  /** Every item the member still has a claim on (live or expired), for a release. */
  readonly itemIds: readonly string[];
  /** The kinds of those items. */
  readonly kinds: readonly string[];
}

const isOpen = (item: ReviewItemRecord) => item.state === 'pending' || item.state === 'in_review';

/** Every member holding a claim, most held first (then most expired, then by id). */
export function memberLoads(
  items: readonly ReviewItemRecord[],
  serverNow: number,
): readonly MemberLoad[] {
  const byMember = new Map<
    string,
    { holding: number; overdue: number; expired: number; itemIds: string[]; kinds: Set<string> }
  >();
  for (const item of items) {
    const claim = item.claim;
    if (claim === null || !isOpen(item)) {
      continue;
    }
    const load = byMember.get(claim.reviewerId) ?? {
      holding: 0,
      overdue: 0,
      expired: 0,
      itemIds: [],
      kinds: new Set<string>(),
    };
    if (Date.parse(claim.expiresAt) > serverNow) {
      load.holding += 1;
      if (item.dueAt !== null && Date.parse(item.dueAt) < serverNow) {
        load.overdue += 1;
      }
    } else {
      load.expired += 1;
    }
    load.itemIds.push(item.id);
    load.kinds.add(item.kind);
    byMember.set(claim.reviewerId, load);
  }
  return [...byMember]
    .map(([userId, load]) => ({ userId, ...load, kinds: sortKinds([...load.kinds]) }))
    .sort(
      (a, b) =>
        b.holding - a.holding ||
        b.expired - a.expired ||
        (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0),
    );
}

/**
 * Who may be assigned items of all these kinds: active members whose role reviews every one of
 * them (the server's `assign` refuses anyone else), by name.
 */
export function eligibleAssignees(
  users: Iterable<UserRecord>,
  kinds: readonly string[],
): UserRecord[] {
  if (kinds.length === 0) {
    return [];
  }
  return [...users]
    .filter(
      (user) => user.active && kinds.every((kind) => reviewerRolesOf(kind).includes(user.role)),
    )
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/**
 * Why nobody can be offered for a selection: `mixed` when each kind alone has someone but no
 * member reviews them all, `none` when some kind has no active reviewer at all.
 */
export function noAssigneeReason(
  users: Iterable<UserRecord>,
  kinds: readonly string[],
): 'mixed' | 'none' {
  const list = [...users];
  return kinds.every((kind) => eligibleAssignees(list, [kind]).length > 0) ? 'mixed' : 'none';
}

/** The screen's filters, as the queue's query takes them (the screen offers four of them). */
export interface WorkloadFilters {
  readonly kind: string | null;
  readonly state: 'open' | 'pending' | 'in_review';
  readonly overdueOnly: boolean;
  /** Items whose live claim this member holds. */
  readonly holderId: string | null;
}

export const DEFAULT_WORKLOAD_FILTERS: WorkloadFilters = {
  kind: null,
  state: 'open',
  overdueOnly: false,
  holderId: null,
};

/** The queue query of the filters, earliest due first (what an ops manager hands out first). */
export function queueFiltersOf(filters: WorkloadFilters): QueueFilters {
  return {
    ...DEFAULT_FILTERS,
    state: filters.state,
    kind: filters.kind,
    due: filters.overdueOnly ? 'overdue' : 'any',
    holderId: filters.holderId,
    sort: 'due',
  };
}

/** The assignee of each item's latest pending `assign` (recorded here, not yet synced). */
export function pendingAssignments(
  pending: readonly PendingMutation[],
): ReadonlyMap<string, string> {
  const byItem = new Map<string, string>();
  for (const mutation of pending) {
    const itemId = mutationItemId(mutation.args);
    const args = mutation.args as { readonly assigneeId?: unknown };
    if (mutation.name === 'assign' && itemId !== null && typeof args.assigneeId === 'string') {
      byItem.set(itemId, args.assigneeId);
    }
  }
  return byItem;
}

const asItem = (row: unknown) => row as ReviewItemRecord;

/** The cached items in review, live (their claims are the members' loads). */
export function useItemsInReview(db: ReviewDeskDb): readonly ReviewItemRecord[] | undefined {
  return useLiveQuery(
    async () =>
      (await db.mirror('review_items').where('state').equals('in_review').toArray()).map(asItem),
    [db],
  );
}

/**
 * The pending assignments, live — frozen while `paused`: a bulk assignment writing hundreds of
 * outbox rows would otherwise re-read the whole outbox after each one.
 */
export function usePendingAssignments(
  db: ReviewDeskDb,
  paused: boolean,
): ReadonlyMap<string, string> | undefined {
  const live = useLiveQuery(
    async () =>
      paused
        ? PAUSED
        : pendingAssignments((await db.outbox.orderBy('seq').toArray()).map(toPending)),
    [db, paused],
  );
  // The last answer before the pause stays on screen (React's "state from the previous render").
  const [kept, setKept] = useState<ReadonlyMap<string, string> | undefined>(undefined);
  if (live !== undefined && live !== PAUSED && live !== kept) {
    setKept(live);
  }
  return live === undefined || live === PAUSED ? kept : live;
}

const PAUSED = 'paused' as const;
