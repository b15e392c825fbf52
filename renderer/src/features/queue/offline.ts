import type { Role } from '#shared/domain/roles';
import { MAX_LEASE_HOURS } from '#shared/sync/mutations';
import type { MutationResult } from '#shared/sync/protocol';
import type { ListingRecord, ReviewItemRecord } from '#shared/sync/rows';
import { itemView, type PendingMutation } from '#shared/sync/view';
import { toPending } from '../../db/outbox';
import { ensureItemRows, sessionTransport } from '../../sync/deferred';
import type { Workspace } from '../../workspace/workspace';
import { findKindModule } from '../../kinds/registry';
import { prefetchFileRefs, prefetchFiles } from '../viewer/useFileBlob';
import { availableActions } from './kinds';
import type { QueueResult } from './queueQuery';

/**
 * "Claim next" and "take N items for the next H hours": the first claimable items of the queue
 * as the user filtered and sorted it, claimed through the outbox (so it works offline; the
 * claims go out when the network returns), and what the items need cached for offline work.
 */

export const MAX_TAKE = 50;
export { MAX_LEASE_HOURS };

/** What is known on this device about the user's own mutations, to judge claimability. */
export interface Claimability {
  readonly userId: string;
  readonly role: Role;
  readonly serverNow: number;
  readonly pending: readonly PendingMutation[];
  readonly results: ReadonlyMap<string, readonly MutationResult[]>;
}

/** Whether the user can claim the item now (as the row's Claim button would offer). */
export function isClaimable(item: ReviewItemRecord, context: Claimability): boolean {
  const view = itemView(item, {
    userId: context.userId,
    pending: context.pending,
    results: context.results.get(item.id) ?? [],
    serverNow: context.serverNow,
  });
  return availableActions(view, context.role).includes('claim');
}

/** The first `count` claimable items in the result's order (reads the order in pages). */
export async function firstClaimable(
  result: QueueResult,
  context: Claimability,
  count: number,
): Promise<ReviewItemRecord[]> {
  const found: ReviewItemRecord[] = [];
  const page = 100;
  for (let start = 0; found.length < count && start < result.total; start += page) {
    for (const item of await result.rows(start, Math.min(result.total, start + page))) {
      if (isClaimable(item, context)) {
        found.push(item);
        if (found.length === count) {
          break;
        }
      }
    }
  }
  return found;
}

/** The outbox now, as the view reducers want it (fresh, not a render's snapshot). */
export async function currentPending(workspace: Workspace): Promise<PendingMutation[]> {
  return (await workspace.db.outbox.orderBy('seq').toArray()).map(toPending);
}

/** Records a claim: `claim@2` with a lease of `leaseHours`, or `claim@1` (the default lease). */
export async function recordClaim(
  workspace: Workspace,
  itemId: string,
  leaseHours?: number,
): Promise<void> {
  if (leaseHours === undefined) {
    await workspace.record('claim', { itemId });
    return;
  }
  const hours = Math.min(MAX_LEASE_HOURS, Math.max(1, Math.round(leaseHours)));
  await workspace.record('claim', { itemId, leaseHours: hours }, undefined, { v: 2 });
}

export interface OfflineCache {
  /** Listing items whose revision under review is on this device. */
  readonly revisions: number;
  /** Listing items whose live version (if any) is on this device too. */
  readonly liveVersions: number;
  /** Files already cached or downloaded now. */
  readonly files: number;
  /** Files that could not be downloaded (offline, say): fetched when opened online. */
  readonly filesFailed: number;
}

export interface CacheProgress {
  readonly done: number;
  readonly total: number;
}

/**
 * Caches what taken items need offline: their revisions (every revision of the listing, for the
 * changes view) and history, which a deferred bootstrap left on the server, are fetched into the
 * mirror (`deferred.ts`) and checked to be there; their
 * credential files (and the files other kinds name: homework screenshots) are downloaded into the
 * file cache (`prefetchFiles` of the viewer), item by
 * item so progress can be shown. Nothing here fails the take: a file that cannot be fetched now
 * is fetched when the item is opened online.
 */
export async function cacheForOffline(
  workspace: Workspace,
  items: readonly ReviewItemRecord[],
  onProgress: (progress: CacheProgress) => void = () => undefined,
  signal?: AbortSignal,
): Promise<OfflineCache> {
  const { db } = workspace;
  if (signal?.aborted !== true) {
    // A failure (offline now) never fails the take: the item page says what is missing.
    await ensureItemRows(
      db,
      sessionTransport(workspace.session),
      items.map((item) => item.id),
    ).catch(() => undefined);
  }
  const listingItems = items.filter((item) => item.kind === 'listing_revision');
  let revisions = 0;
  let liveVersions = 0;
  for (const item of listingItems) {
    const revision =
      item.revisionId === null
        ? undefined
        : await db.mirror('listing_revisions').get(item.revisionId);
    if (revision !== undefined) {
      revisions += 1;
    }
    const listing = (await db.mirror('listings').get(item.subjectId)) as unknown as
      ListingRecord | undefined;
    const liveId = listing?.liveRevisionId ?? null;
    if (liveId === null || (await db.mirror('listing_revisions').get(liveId)) !== undefined) {
      liveVersions += 1;
    }
  }
  let files = 0;
  let filesFailed = 0;
  onProgress({ done: 0, total: items.length });
  for (const [index, item] of items.entries()) {
    if (signal?.aborted === true) {
      break;
    }
    const kindFiles = findKindModule(item.kind)?.offlineFiles;
    if (item.kind === 'listing_revision' || kindFiles !== undefined) {
      try {
        const options = signal === undefined ? {} : { signal };
        const summary =
          kindFiles === undefined
            ? await prefetchFiles(workspace, [item.id], options)
            : await prefetchFileRefs(workspace, await kindFiles(workspace.db, item), options);
        files += summary.cached + summary.downloaded;
        filesFailed += summary.failed.length;
      } catch {
        filesFailed += 1;
      }
    }
    onProgress({ done: index + 1, total: items.length });
  }
  return { revisions, liveVersions, files, filesFailed };
}
