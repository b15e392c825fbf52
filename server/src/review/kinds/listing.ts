import { can } from '#shared/domain/listing/lifecycle';
import { MUTATION_ARGS } from '#shared/sync/mutations';
import {
  findRevision,
  lockListing,
  setRevisionState,
  updateListing,
  type ListingRow,
} from '../../listings/model';
import { decisionOutcome, recordFinalDecision } from '../core';
import { activeClaim, lockItem, type ReviewItemRow } from '../items';
import { defineMutation, type ReviewKind } from '../kind';
import { applied, conflict, rejected, type Outcome, type WorkScope } from '../scope';
import { LISTING_REVISION_KIND } from './listingKindName';
import { saveDraftMutation } from '../../listings/drafts';

/**
 * Listing revisions: one review item per submitted revision. Approving a revision makes it the
 * live one (an update replaces the previous live revision, which becomes `superseded`); rejecting
 * it sends the listing back to the submitter, except for an update of a live listing, which
 * stays live with its old revision. Takedowns act on the listing itself.
 */
export { LISTING_REVISION_KIND } from './listingKindName';

/** The listing and the name and country of the revision under review, as `subjectSql` loads them. */
interface ListingSubject {
  readonly listing: ListingRow;
  readonly revision: { readonly name: string; readonly country: string | null } | null;
}

/**
 * Read and locked with the item (see `ReviewKind.subjectSql`): the listing as `lockListing`
 * would, with the revision's name and country that an approval copies onto it.
 */
const LISTING_SUBJECT_SQL = `SELECT jsonb_build_object(
    'listing', to_jsonb(listing),
    'revision', (SELECT jsonb_build_object('name', revision.name, 'country', revision.country)
                   FROM listing_revisions revision WHERE revision.id = item.revision_id))
  FROM listings listing
 WHERE listing.id = item.subject_id AND listing.deleted_at IS NULL
   FOR UPDATE`;

const isoOrNull = (value: unknown) =>
  typeof value === 'string' ? new Date(value).toISOString() : null;

/** The subject loaded by LISTING_SUBJECT_SQL, its timestamps as the driver gives them elsewhere. */
function listingSubject(subject: unknown): ListingSubject | null {
  if (typeof subject !== 'object' || subject === null || !('listing' in subject)) {
    return null;
  }
  const { listing, revision } = subject as {
    listing: ListingRow & Record<string, unknown>;
    revision: ListingSubject['revision'];
  };
  return {
    listing: {
      id: listing.id,
      institution_id: listing.institution_id,
      owner_id: listing.owner_id,
      state: listing.state,
      current_revision_id: listing.current_revision_id,
      live_revision_id: listing.live_revision_id,
      name: listing.name,
      country: listing.country,
      offline_reason: listing.offline_reason,
      created_at: isoOrNull(listing.created_at) ?? listing.created_at,
      updated_at: isoOrNull(listing.updated_at) ?? listing.updated_at,
      deleted_at: isoOrNull(listing.deleted_at),
    },
    revision,
  };
}

async function listingOf(
  scope: WorkScope,
  item: ReviewItemRow,
  subject?: unknown,
): Promise<ListingRow> {
  const loaded = listingSubject(subject);
  if (loaded !== null) {
    return loaded.listing;
  }
  const listing = await lockListing(scope.tx, item.subject_id);
  if (listing === null) {
    throw new Error(`review item ${item.id} points to missing listing ${item.subject_id}`);
  }
  return listing;
}

/** Whether the revision under review is an update of a listing that is (or was) live. */
const isUpdate = (listing: ListingRow) =>
  listing.live_revision_id !== null && listing.state === 'live';

/** The item that replaced `item` after a withdrawal and resubmission, if any. */
async function successorItem(scope: WorkScope, item: ReviewItemRow): Promise<ReviewItemRow | null> {
  const [row] = await scope.tx.query<{ id: string }>(
    `SELECT id FROM review_items WHERE supersedes_item_id = $1 ORDER BY created_at DESC LIMIT 1`,
    [item.id],
  );
  return row === undefined ? null : lockItem(scope.tx, row.id);
}

async function takedown(
  scope: WorkScope,
  listingId: string,
  reason: string,
  force: boolean,
): Promise<Outcome> {
  const listing = await lockListing(scope.tx, listingId);
  if (listing === null) {
    return rejected('NOT_FOUND', { listingId });
  }
  const action = force ? 'force_takedown' : 'take_offline';
  const member = scope.principal.role === 'submitter' || scope.principal.role === 'collaborator';
  if (
    !can(scope.principal.role, action, 'live') ||
    // A submitter takes only their own institution's listings offline.
    (member && scope.principal.institutionId !== listing.institution_id)
  ) {
    return rejected('FORBIDDEN', { role: scope.principal.role });
  }
  if (listing.state === 'offline' || (listing.live_revision_id === null && !force)) {
    // Already hidden (the submitter withdrew it, or it was never live): the takedown is recorded
    // for the audit trail, and nothing else changes (RSP/1 §2.6, WITHDRAWN).
    await scope.audit({
      subjectType: 'listing',
      subjectId: listing.id,
      action,
      fromState: listing.state,
      toState: listing.state,
      reason,
      details: { noChange: true },
    });
    return applied('WITHDRAWN', { listingState: listing.state });
  }
  if (force) {
    // A forced takedown also stops every review of the listing in flight.
    const open = await scope.tx.query<{ id: string }>(
      `SELECT id FROM review_items WHERE subject_id = $1 AND kind = $2 AND state IN ('pending', 'in_review')`,
      [listing.id, LISTING_REVISION_KIND],
    );
    for (const { id } of open) {
      const item = await lockItem(scope.tx, id);
      if (item === null) {
        continue;
      }
      const claim = await activeClaim(scope.tx, id);
      if (claim !== null) {
        await scope.tx.query(
          `UPDATE claims SET released_at = $2, release_reason = 'force_takedown' WHERE id = $1`,
          [claim.id, scope.nowIso],
        );
      }
      await scope.tx.query(
        `UPDATE review_items SET state = 'cancelled', updated_at = $2, row_version = $3 WHERE id = $1`,
        [id, scope.nowIso, await scope.version()],
      );
      if (item.revision_id !== null) {
        await setRevisionState(scope, item.revision_id, 'withdrawn');
      }
      await scope.audit({
        subjectType: 'review_item',
        subjectId: listing.id,
        itemId: id,
        action: 'cancel',
        fromState: item.state,
        toState: 'cancelled',
        reason,
      });
    }
  }
  if (listing.live_revision_id !== null) {
    await setRevisionState(scope, listing.live_revision_id, 'offline');
  }
  await updateListing(
    scope,
    listing,
    { state: 'offline', offlineReason: reason },
    { action, reason },
  );
  return applied();
}

export const listingRevisionKind: ReviewKind = {
  kind: LISTING_REVISION_KIND,
  reviewerRoles: ['reviewer', 'ops_manager'],
  assignerRoles: ['ops_manager'],
  visibleTo: ['reviewer', 'ops_manager'],
  subjectSql: LISTING_SUBJECT_SQL,

  async onClaimed(scope, item, subject) {
    const listing = await listingOf(scope, item, subject);
    if (item.revision_id !== null) {
      await setRevisionState(scope, item.revision_id, 'in_review');
    }
    if (listing.state === 'pending') {
      await updateListing(
        scope,
        listing,
        { state: 'in_review' },
        { action: 'claim', itemId: item.id },
      );
    }
  },

  async onReleased(scope, item, subject) {
    const listing = await listingOf(scope, item, subject);
    if (item.revision_id !== null) {
      await setRevisionState(scope, item.revision_id, 'pending');
    }
    if (listing.state === 'in_review') {
      await updateListing(
        scope,
        listing,
        { state: 'pending' },
        { action: 'release', itemId: item.id },
      );
    }
  },

  async checkSubject(scope, item, intent) {
    if (item.state !== 'withdrawn') {
      return null;
    }
    const successor = await successorItem(scope, item);
    if (successor === null) {
      return conflict('WITHDRAWN', { itemState: item.state, at: item.updated_at });
    }
    const details: Record<string, unknown> = {
      currentItemId: successor.id,
      currentRevisionId: successor.revision_id,
    };
    if (intent === 'reject' && successor.state === 'pending') {
      // A rejection still stands for the newer revision when nobody has picked it up: the core
      // re-targets it there (RSP/1 §2.6, STALE_BASE: "reject: applied to the current version").
      details['retargetItemId'] = successor.id;
    }
    return conflict('STALE_BASE', details);
  },

  async decide(scope, item, decision, flags, subject) {
    const listing = await listingOf(scope, item, subject);
    const revisionId = item.revision_id;
    if (revisionId === null) {
      return rejected('VALIDATION', { reason: 'item_without_revision' });
    }
    if (!can(scope.principal.role, decision.outcome, 'in_review')) {
      return rejected('FORBIDDEN', { role: scope.principal.role });
    }
    // Read before the writes below, so they can go out together (see coalescingWrites).
    const revision =
      decision.outcome === 'approve'
        ? (listingSubject(subject)?.revision ?? (await findRevision(scope.tx, revisionId)))
        : null;
    await recordFinalDecision(scope, item, {
      outcome: decision.outcome,
      reasons: decision.reasons,
      comments: decision.comments,
      flags,
    });
    if (decision.outcome === 'approve') {
      if (listing.live_revision_id !== null && listing.live_revision_id !== revisionId) {
        await setRevisionState(scope, listing.live_revision_id, 'superseded');
      }
      await setRevisionState(scope, revisionId, 'live', { decided: true });
      await updateListing(
        scope,
        listing,
        {
          state: 'live',
          liveRevisionId: revisionId,
          offlineReason: null,
          name: revision?.name ?? listing.name,
          country: revision?.country ?? listing.country,
        },
        { action: 'approve', itemId: item.id },
      );
    } else {
      await setRevisionState(scope, revisionId, 'rejected', { decided: true });
      await updateListing(scope, listing, isUpdate(listing) ? {} : { state: 'rejected' }, {
        action: 'reject',
        itemId: item.id,
      });
    }
    return decisionOutcome(flags, { revisionId });
  },

  mutations: {
    takedown: defineMutation({
      v: 1,
      args: MUTATION_ARGS.takedown,
      run: (scope, { listingId, reason }) => takedown(scope, listingId, reason, false),
    }),
    forceTakedown: defineMutation({
      v: 1,
      args: MUTATION_ARGS.forceTakedown,
      run: (scope, { listingId, reason }) => takedown(scope, listingId, reason, true),
    }),
    saveDraft: defineMutation({
      v: 1,
      args: MUTATION_ARGS.saveDraft,
      run: saveDraftMutation,
    }),
  },
};
