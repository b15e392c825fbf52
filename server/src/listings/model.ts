import type { ListingState } from '#shared/domain/listing/lifecycle';
import type { Queryable } from '../db/database';
import type { WorkScope } from '../review/scope';

/** A revision's own state: the listing states plus the two ends a revision can come to. */
export type RevisionState = ListingState | 'superseded' | 'withdrawn';

export interface ListingRow {
  readonly id: string;
  readonly institution_id: string;
  readonly owner_id: string;
  readonly state: ListingState;
  readonly current_revision_id: string | null;
  readonly live_revision_id: string | null;
  readonly name: string;
  readonly country: string | null;
  readonly offline_reason: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly deleted_at: string | null;
}

export interface RevisionRow {
  readonly id: string;
  readonly listing_id: string;
  readonly number: number;
  readonly state: RevisionState;
  readonly document: Record<string, unknown>;
  readonly name: string;
  readonly country: string | null;
  readonly submitted_at: string | null;
  readonly decided_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

const LISTING_COLUMNS = `id, institution_id, owner_id, state, current_revision_id, live_revision_id,
  name, country, offline_reason, created_at, updated_at, deleted_at`;
const REVISION_COLUMNS = `id, listing_id, number, state, document, name, country, submitted_at,
  decided_at, created_at, updated_at`;

export async function lockListing(tx: Queryable, id: string): Promise<ListingRow | null> {
  const [row] = await tx.query<ListingRow>(
    `SELECT ${LISTING_COLUMNS} FROM listings WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
    [id],
  );
  return row ?? null;
}

export async function findListing(db: Queryable, id: string): Promise<ListingRow | null> {
  const [row] = await db.query<ListingRow>(
    `SELECT ${LISTING_COLUMNS} FROM listings WHERE id = $1 AND deleted_at IS NULL`,
    [id],
  );
  return row ?? null;
}

export async function findRevision(db: Queryable, id: string): Promise<RevisionRow | null> {
  const [row] = await db.query<RevisionRow>(
    `SELECT ${REVISION_COLUMNS} FROM listing_revisions WHERE id = $1`,
    [id],
  );
  return row ?? null;
}

export async function listRevisions(db: Queryable, listingId: string): Promise<RevisionRow[]> {
  return db.query<RevisionRow>(
    `SELECT ${REVISION_COLUMNS} FROM listing_revisions WHERE listing_id = $1 ORDER BY number`,
    [listingId],
  );
}

/** Changes a listing's state (and optionally its pointers), audited as a transition. */
export async function updateListing(
  scope: WorkScope,
  listing: ListingRow,
  changes: {
    readonly state?: ListingState;
    readonly currentRevisionId?: string | null;
    readonly liveRevisionId?: string | null;
    readonly offlineReason?: string | null;
    readonly name?: string;
    readonly country?: string | null;
  },
  audit?: {
    readonly action: string;
    readonly reason?: string | null;
    readonly itemId?: string | null;
  },
): Promise<ListingRow> {
  const next: ListingRow = {
    ...listing,
    state: changes.state ?? listing.state,
    current_revision_id:
      changes.currentRevisionId === undefined
        ? listing.current_revision_id
        : changes.currentRevisionId,
    live_revision_id:
      changes.liveRevisionId === undefined ? listing.live_revision_id : changes.liveRevisionId,
    offline_reason:
      changes.offlineReason === undefined ? listing.offline_reason : changes.offlineReason,
    name: changes.name ?? listing.name,
    country: changes.country === undefined ? listing.country : changes.country,
    updated_at: scope.nowIso,
  };
  await scope.tx.query(
    `UPDATE listings SET state = $2, current_revision_id = $3, live_revision_id = $4,
            offline_reason = $5, name = $6, country = $7, updated_at = $8, row_version = $9
      WHERE id = $1`,
    [
      listing.id,
      next.state,
      next.current_revision_id,
      next.live_revision_id,
      next.offline_reason,
      next.name,
      next.country,
      scope.nowIso,
      await scope.version(),
    ],
  );
  if (audit !== undefined) {
    await scope.audit({
      subjectType: 'listing',
      subjectId: listing.id,
      itemId: audit.itemId ?? null,
      action: audit.action,
      fromState: listing.state,
      toState: next.state,
      reason: audit.reason ?? null,
    });
  }
  return next;
}

export async function setRevisionState(
  scope: WorkScope,
  revisionId: string,
  state: RevisionState,
  stamps: { readonly submitted?: boolean; readonly decided?: boolean } = {},
): Promise<void> {
  await scope.tx.query(
    `UPDATE listing_revisions
        SET state = $2, updated_at = $3, row_version = $4,
            submitted_at = CASE WHEN $5 THEN $3::timestamptz ELSE submitted_at END,
            decided_at = CASE WHEN $6 THEN $3::timestamptz ELSE decided_at END
      WHERE id = $1`,
    [
      revisionId,
      state,
      scope.nowIso,
      await scope.version(),
      stamps.submitted === true,
      stamps.decided === true,
    ],
  );
}
