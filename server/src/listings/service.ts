import { randomUUID } from 'node:crypto';
import { can } from '#shared/domain/listing/lifecycle';
import { validateListing } from '#shared/domain/listing/validate';
import { shanghaiDate } from '#shared/domain/time';
import { diffListings } from '#shared/diff/listingDiff';
import { deepEqual, getValueAt, type JsonValue } from '#shared/diff/patch';
import { hasErrors, type ValidationIssue } from '#shared/domain/validationIssue';
import type { Principal } from '../auth/principal';
import type { Queryable } from '../db/database';
import { conflict as httpConflict, forbidden, HttpError, notFound } from '../http/errors';
import { LISTING_REVISION_KIND } from '../review/kinds/listingKindName';
import type { WorkScope } from '../review/scope';
import {
  findRevision,
  lockListing,
  setRevisionState,
  updateListing,
  type ListingRow,
  type RevisionRow,
} from './model';

/** How long the review team has to answer a submission (the queue's due time). */
export const REVIEW_SLA_MS = 48 * 3_600_000;

const LISTING_STAFF = new Set(['reviewer', 'ops_manager', 'assistant']);

/**
 * Whether the principal sees the listing's work in progress (drafts, updates under review): the
 * listing's institution and the listing staff. Everyone else sees a live listing as the market
 * does, through its live revision only.
 */
export function seesWorkInProgress(principal: Principal, listing: ListingRow): boolean {
  return LISTING_STAFF.has(principal.role) || principal.institutionId === listing.institution_id;
}

/** Read access: the listing's institution, the listing staff, and everyone for live listings. */
export function assertCanRead(principal: Principal, listing: ListingRow): void {
  if (seesWorkInProgress(principal, listing) || listing.state === 'live') {
    return;
  }
  throw forbidden('You may not see this listing');
}

/** Whether the user has a standing invitation to collaborate on the listing (collaborators.ts). */
export async function isInvitedCollaborator(
  db: Queryable,
  listingId: string,
  userId: string,
): Promise<boolean> {
  const [row] = await db.query(
    `SELECT 1 FROM listing_collaborators
      WHERE listing_id = $1 AND user_id = $2 AND removed_at IS NULL`,
    [listingId, userId],
  );
  return row !== undefined;
}

/**
 * Write access (editing, submitting…): the listing's institution's submitters, the collaborators
 * of the institution its owner invited to this listing, and assistants (assisted entry). A
 * collaborator who was not invited reads the draft and does not change it.
 */
export async function assertCanWrite(
  db: Queryable,
  principal: Principal,
  listing: ListingRow,
): Promise<void> {
  const ownInstitution = principal.institutionId === listing.institution_id;
  if (principal.role === 'assistant' || (principal.role === 'submitter' && ownInstitution)) {
    return;
  }
  if (principal.role === 'collaborator' && ownInstitution) {
    if (await isInvitedCollaborator(db, listing.id, principal.id)) {
      return;
    }
    throw forbidden('Only collaborators invited to this listing may change it', {
      reason: 'NOT_INVITED',
    });
  }
  throw forbidden('Only the institution that owns this listing may change it');
}

export async function lockOwnListing(scope: WorkScope, listingId: string): Promise<ListingRow> {
  const listing = await lockListing(scope.tx, listingId);
  if (listing === null) {
    throw notFound('Listing');
  }
  await assertCanWrite(scope.tx, scope.principal, listing);
  return listing;
}

interface DocumentColumns {
  readonly name: string;
  readonly country: string | null;
  readonly stages: string[];
  readonly providerName: string;
}

/** The indexed copies of document fields; tolerant of drafts with any shape. */
function documentColumns(document: Record<string, unknown>): DocumentColumns {
  const record = (value: unknown): Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const basic = record(document['basic']);
  const provider = record(document['provider']);
  const text = (value: unknown, max: number) =>
    typeof value === 'string' ? value.slice(0, max) : '';
  return {
    name: text(basic['name'], 200),
    country: typeof basic['country'] === 'string' ? basic['country'].slice(0, 8) : null,
    stages: Array.isArray(basic['stages'])
      ? basic['stages'].filter((stage): stage is string => typeof stage === 'string').slice(0, 10)
      : [],
    providerName: text(provider['name'], 200),
  };
}

async function insertRevision(
  scope: WorkScope,
  listingId: string,
  number: number,
  document: Record<string, unknown>,
): Promise<string> {
  const id = randomUUID();
  const columns = documentColumns(document);
  await scope.tx.query(
    `INSERT INTO listing_revisions (id, listing_id, number, state, document, name, country, stages,
                                    provider_name, created_by, created_at, updated_at, row_version)
     VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $10, $11)`,
    [
      id,
      listingId,
      number,
      JSON.stringify(document),
      columns.name,
      columns.country,
      columns.stages,
      columns.providerName,
      scope.principal.id,
      scope.nowIso,
      await scope.version(),
    ],
  );
  return id;
}

async function nextRevisionNumber(scope: WorkScope, listingId: string): Promise<number> {
  const [row] = await scope.tx.query<{ next: number }>(
    'SELECT COALESCE(max(number), 0) + 1 AS next FROM listing_revisions WHERE listing_id = $1',
    [listingId],
  );
  return row?.next ?? 1;
}

export async function currentRevision(scope: WorkScope, listing: ListingRow): Promise<RevisionRow> {
  const revision =
    listing.current_revision_id === null
      ? null
      : await findRevision(scope.tx, listing.current_revision_id);
  if (revision === null) {
    throw new Error(`listing ${listing.id} has no current revision`);
  }
  return revision;
}

/**
 * The draft revision to edit: the current one when it is a draft, else a new revision copying
 * the current document (a submitted revision is never changed: it is what was reviewed).
 */
async function editableRevision(scope: WorkScope, listing: ListingRow): Promise<RevisionRow> {
  const current = await currentRevision(scope, listing);
  if (current.state === 'draft') {
    return current;
  }
  const id = await insertRevision(
    scope,
    listing.id,
    await nextRevisionNumber(scope, listing.id),
    current.document,
  );
  await updateListing(scope, listing, { currentRevisionId: id });
  const created = await findRevision(scope.tx, id);
  if (created === null) {
    throw new Error('new revision vanished');
  }
  return created;
}

/** `POST /api/v1/listings`: a new listing with an (optionally pre-filled) draft revision. */
export async function createListing(
  scope: WorkScope,
  input: {
    readonly institutionId?: string | undefined;
    readonly document?: Record<string, unknown> | undefined;
  },
): Promise<{ listingId: string; revisionId: string }> {
  const { principal } = scope;
  let institutionId: string | null;
  if (principal.role === 'submitter') {
    institutionId = principal.institutionId;
  } else if (principal.role === 'assistant') {
    // Assisted entry: the assistant types in a listing on behalf of an institution.
    institutionId = input.institutionId ?? null;
  } else {
    throw forbidden('Only submitters and ops assistants create listings');
  }
  if (institutionId === null) {
    throw new HttpError(
      400,
      'INSTITUTION_REQUIRED',
      'Say which institution the listing belongs to',
    );
  }
  const [institution] = await scope.tx.query('SELECT 1 FROM institutions WHERE id = $1', [
    institutionId,
  ]);
  if (institution === undefined) {
    throw notFound('Institution');
  }
  const listingId = randomUUID();
  const document = input.document ?? { schemaVersion: 1 };
  const columns = documentColumns(document);
  await scope.tx.query(
    `INSERT INTO listings (id, institution_id, owner_id, state, name, country, created_at, updated_at, row_version)
     VALUES ($1, $2, $3, 'draft', $4, $5, $6, $6, $7)`,
    [
      listingId,
      institutionId,
      principal.id,
      columns.name,
      columns.country,
      scope.nowIso,
      await scope.version(),
    ],
  );
  const revisionId = await insertRevision(scope, listingId, 1, document);
  await scope.tx.query('UPDATE listings SET current_revision_id = $2 WHERE id = $1', [
    listingId,
    revisionId,
  ]);
  await scope.audit({
    subjectType: 'listing',
    subjectId: listingId,
    action: 'create',
    toState: 'draft',
  });
  return { listingId, revisionId };
}

/**
 * While the draft waits for the institution's confirmation (confirmation.ts), only its submitter
 * may change it: what they confirm is what was sent to them, or their own last touch.
 */
async function assertEditableDuringConfirmation(
  scope: WorkScope,
  listing: ListingRow,
): Promise<void> {
  if (scope.principal.role === 'submitter') {
    return;
  }
  const [open] = await scope.tx.query(
    `SELECT 1 FROM listing_confirmations WHERE listing_id = $1 AND status = 'requested'`,
    [listing.id],
  );
  if (open !== undefined) {
    throw httpConflict(
      'AWAITING_CONFIRMATION',
      'The draft waits for the institution to confirm it; only its submitter may change it now',
    );
  }
}

/** At most this many field pointers per saved draft in its audit event; the rest are counted. */
export const MAX_AUDITED_FIELDS = 100;

/** The fields (RFC 6901 pointers) a save changes, by the listing diff engine (shared/diff). */
function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  onDate: string,
): { fields: string[]; moreFields: number } {
  const pointers = [
    ...new Set(
      diffListings(before as JsonValue, after as JsonValue, { onDate }).changes.map(
        (change) => change.pointer,
      ),
    ),
  ];
  return {
    fields: pointers.slice(0, MAX_AUDITED_FIELDS),
    moreFields: Math.max(0, pointers.length - MAX_AUDITED_FIELDS),
  };
}

/** `PUT /api/v1/listings/{id}/draft`: saves the document of the draft being edited. */
export async function saveDraft(
  scope: WorkScope,
  listingId: string,
  document: Record<string, unknown>,
): Promise<{ revisionId: string; issues: ValidationIssue[] }> {
  const listing = await lockOwnListing(scope, listingId);
  const current = await currentRevision(scope, listing);
  const updatingLive = listing.state === 'live' && current.state === 'draft';
  if (!updatingLive && !can(scope.principal.role, 'edit', listing.state)) {
    throw httpConflict('NOT_EDITABLE', `A listing that is ${listing.state} cannot be edited now`, {
      state: listing.state,
    });
  }
  await assertEditableDuringConfirmation(scope, listing);
  const revision = await editableRevision(scope, listing);
  const fields = changedFields(revision.document, document, shanghaiDate(scope.now));
  const columns = documentColumns(document);
  await scope.tx.query(
    `UPDATE listing_revisions SET document = $2, name = $3, country = $4, stages = $5,
            provider_name = $6, updated_at = $7, row_version = $8
      WHERE id = $1`,
    [
      revision.id,
      JSON.stringify(document),
      columns.name,
      columns.country,
      columns.stages,
      columns.providerName,
      scope.nowIso,
      await scope.version(),
    ],
  );
  if (listing.live_revision_id === null) {
    // Until a listing is live, its name in lists is the draft's.
    await scope.tx.query(
      'UPDATE listings SET name = $2, country = $3, updated_at = $4, row_version = $5 WHERE id = $1',
      [listing.id, columns.name, columns.country, scope.nowIso, await scope.version()],
    );
  }
  // The draft's operation history (collaborators.ts): who changed which fields, and when.
  await scope.audit({
    subjectType: 'listing',
    subjectId: listing.id,
    action: 'save_draft',
    details: { revisionId: revision.id, ...fields },
  });
  return {
    revisionId: revision.id,
    issues: validateListing(document, { today: shanghaiDate(scope.now) }),
  };
}

/**
 * `POST /api/v1/listings/{id}/submit`: validates the draft (errors → 422 with field paths) and
 * queues it for review. Works for a first submission, a resubmission after a rejection and an
 * update of a live listing (which stays live until the update is approved).
 */
export async function submitListing(
  scope: WorkScope,
  listingId: string,
): Promise<{ revisionId: string; itemId: string; issues: ValidationIssue[] }> {
  const listing = await lockOwnListing(scope, listingId);
  const current = await currentRevision(scope, listing);
  const updatingLive = listing.state === 'live' && current.state === 'draft';
  if (!updatingLive && !can(scope.principal.role, 'submit', listing.state)) {
    throw listing.state === 'draft' || listing.state === 'rejected'
      ? forbidden('Only the submitter may submit a listing for review')
      : httpConflict('NOT_SUBMITTABLE', `A listing that is ${listing.state} cannot be submitted`, {
          state: listing.state,
        });
  }
  if (updatingLive && scope.principal.role !== 'submitter') {
    throw forbidden('Only the submitter may submit a listing for review');
  }
  const revision = await editableRevision(scope, listing);
  const issues = validateListing(revision.document, { today: shanghaiDate(scope.now) });
  if (hasErrors(issues)) {
    throw new HttpError(422, 'VALIDATION', 'The listing has errors; fix them and submit again', {
      issues,
    });
  }
  // The item this submission replaces: the last one closed. Items created in the same millisecond
  // are told apart by row_version (the one closed last was written last).
  const [previous] = await scope.tx.query<{ id: string }>(
    `SELECT id FROM review_items WHERE subject_id = $1 AND kind = $2 AND state IN ('decided', 'withdrawn')
      ORDER BY created_at DESC, row_version DESC LIMIT 1`,
    [listing.id, LISTING_REVISION_KIND],
  );
  const itemId = randomUUID();
  await setRevisionState(scope, revision.id, 'pending', { submitted: true });
  await scope.tx.query(
    `INSERT INTO review_items (id, kind, subject_id, revision_id, state, priority, due_at, title,
                               supersedes_item_id, created_at, updated_at, row_version)
     VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6, $7, $8, $8, $9)`,
    [
      itemId,
      LISTING_REVISION_KIND,
      listing.id,
      revision.id,
      new Date(scope.now + REVIEW_SLA_MS).toISOString(),
      revision.name,
      previous?.id ?? null,
      scope.nowIso,
      await scope.version(),
    ],
  );
  if (previous !== undefined) {
    await carryRejectionComments(scope, previous.id, itemId, revision);
  }
  const latest = (await lockListing(scope.tx, listing.id)) ?? listing;
  await updateListing(scope, latest, updatingLive ? {} : { state: 'pending' }, {
    action: updatingLive ? 'submit_update' : 'submit',
    itemId,
  });
  return { revisionId: revision.id, itemId, issues };
}

/**
 * When an institution resubmits after a rejection, the rejection's field comments are carried
 * onto the new review item, each marked `field_changed` by comparing the field (its JSON Pointer)
 * in the rejected revision and in the new one — so the reviewer sees at once which objections
 * the submitter addressed.
 */
async function carryRejectionComments(
  scope: WorkScope,
  previousItemId: string,
  itemId: string,
  revision: RevisionRow,
): Promise<void> {
  const comments = await scope.tx.query<{
    id: string;
    author_id: string;
    path: string;
    reason_code: string;
    text: string;
    revision_id: string | null;
  }>(
    `SELECT c.id, c.author_id, c.path, c.reason_code, c.text, c.revision_id
       FROM field_comments c JOIN decisions d ON d.id = c.decision_id
      WHERE c.item_id = $1 AND d.is_final AND d.outcome = 'reject'
      ORDER BY c.created_at, c.id`,
    [previousItemId],
  );
  if (comments.length === 0) {
    return;
  }
  const before =
    comments[0]?.revision_id === null || comments[0] === undefined
      ? null
      : await findRevision(scope.tx, comments[0].revision_id);
  const oldDocument = (before?.document ?? {}) as JsonValue;
  const newDocument = revision.document as JsonValue;
  for (const comment of comments) {
    const changed = !deepEqual(
      getValueAt(oldDocument, comment.path) ?? null,
      getValueAt(newDocument, comment.path) ?? null,
    );
    await scope.tx.query(
      `INSERT INTO field_comments (id, item_id, revision_id, decision_id, author_id, path, reason_code,
                                   text, carried_from_id, field_changed, created_at, row_version)
       VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        randomUUID(),
        itemId,
        revision.id,
        comment.author_id,
        comment.path,
        comment.reason_code,
        comment.text,
        comment.id,
        changed,
        scope.nowIso,
        await scope.version(),
      ],
    );
  }
}

/** `POST /api/v1/listings/{id}/withdraw`: takes a pending submission back to draft. */
export async function withdrawListing(
  scope: WorkScope,
  listingId: string,
): Promise<{ revisionId: string }> {
  const listing = await lockOwnListing(scope, listingId);
  const current = await currentRevision(scope, listing);
  const updatingLive = listing.state === 'live' && current.state === 'pending';
  if (!updatingLive && !can(scope.principal.role, 'withdraw', listing.state)) {
    throw listing.state === 'in_review' || current.state === 'in_review'
      ? httpConflict(
          'IN_REVIEW',
          'A reviewer is already reviewing this listing; it cannot be withdrawn now',
        )
      : scope.principal.role !== 'submitter'
        ? forbidden('Only the submitter may withdraw a listing')
        : httpConflict(
            'NOT_WITHDRAWABLE',
            `A listing that is ${listing.state} cannot be withdrawn`,
          );
  }
  if (updatingLive && scope.principal.role !== 'submitter') {
    throw forbidden('Only the submitter may withdraw a listing');
  }
  const [item] = await scope.tx.query<{ id: string; state: string }>(
    `SELECT id, state FROM review_items WHERE revision_id = $1 AND kind = $2 FOR UPDATE`,
    [current.id, LISTING_REVISION_KIND],
  );
  if (item?.state === 'in_review') {
    throw httpConflict(
      'IN_REVIEW',
      'A reviewer is already reviewing this listing; it cannot be withdrawn now',
    );
  }
  if (item !== undefined) {
    await scope.tx.query(
      `UPDATE review_items SET state = 'withdrawn', updated_at = $2, row_version = $3 WHERE id = $1`,
      [item.id, scope.nowIso, await scope.version()],
    );
  }
  await setRevisionState(scope, current.id, 'withdrawn');
  const draftId = await insertRevision(
    scope,
    listing.id,
    await nextRevisionNumber(scope, listing.id),
    current.document,
  );
  await updateListing(
    scope,
    listing,
    { currentRevisionId: draftId, ...(updatingLive ? {} : { state: 'draft' }) },
    { action: 'withdraw', itemId: item?.id ?? null },
  );
  return { revisionId: draftId };
}

/** `POST /api/v1/listings/{id}/update`: starts a new revision of a live listing. */
export async function startUpdate(
  scope: WorkScope,
  listingId: string,
): Promise<{ revisionId: string }> {
  const listing = await lockOwnListing(scope, listingId);
  if (!can(scope.principal.role, 'start_update', listing.state)) {
    throw listing.state === 'live'
      ? forbidden('Only the submitter may start an update')
      : httpConflict('NOT_LIVE', 'Only a live listing can be updated');
  }
  const current = await currentRevision(scope, listing);
  if (current.id !== listing.live_revision_id && current.state !== 'rejected') {
    throw httpConflict('UPDATE_IN_PROGRESS', 'An update of this listing is already in progress', {
      revisionId: current.id,
      revisionState: current.state,
    });
  }
  const base =
    listing.live_revision_id === null
      ? current
      : ((await findRevision(scope.tx, listing.live_revision_id)) ?? current);
  const id = await insertRevision(
    scope,
    listing.id,
    await nextRevisionNumber(scope, listing.id),
    base.document,
  );
  await updateListing(scope, listing, { currentRevisionId: id }, { action: 'start_update' });
  return { revisionId: id };
}
