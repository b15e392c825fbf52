import { randomUUID } from 'node:crypto';
import { validateListing } from '#shared/domain/listing/validate';
import { shanghaiDate } from '#shared/domain/time';
import { hasErrors } from '#shared/domain/validationIssue';
import type { Queryable } from '../db/database';
import { badRequest, conflict as httpConflict, forbidden, HttpError } from '../http/errors';
import type { WorkScope } from '../review/scope';
import { currentRevision, lockOwnListing, submitListing } from './service';

/**
 * Assisted entry's confirmation (project-submission-workspace.zh.md §2 scenario 3): an assistant
 * who typed a listing in from the institution's paper dossier — or a collaborator — sends the
 * draft to the institution; its submitter confirms it, which submits it for review, or returns it
 * with a comment. While a request is open only the submitter may change the draft (what they
 * confirm is what was sent, or their own last touch). The audit trail records who entered it
 * and who confirmed it; the reviewer reads both in the item's history.
 */

export const MAX_CONFIRMATION_TEXT = 2000;

/** Who may send a draft to the institution: the people who enter it for the submitter. */
const REQUESTERS: ReadonlySet<string> = new Set(['assistant', 'collaborator']);

export interface ListingConfirmation {
  readonly id: string;
  readonly status: 'requested' | 'confirmed' | 'returned';
  readonly revisionId: string;
  readonly requestedBy: { readonly id: string; readonly name: string };
  readonly requestedAt: string;
  readonly message: string;
  readonly answeredBy: { readonly id: string; readonly name: string } | null;
  readonly answeredAt: string | null;
  readonly comment: string | null;
  readonly itemId: string | null;
}

interface ConfirmationRow {
  id: string;
  status: ListingConfirmation['status'];
  revision_id: string;
  requested_by: string;
  requested_by_name: string;
  requested_at: string;
  message: string;
  answered_by: string | null;
  answered_by_name: string | null;
  answered_at: string | null;
  comment: string | null;
  item_id: string | null;
}

const toConfirmation = (row: ConfirmationRow): ListingConfirmation => ({
  id: row.id,
  status: row.status,
  revisionId: row.revision_id,
  requestedBy: { id: row.requested_by, name: row.requested_by_name },
  requestedAt: new Date(row.requested_at).toISOString(),
  message: row.message,
  answeredBy:
    row.answered_by === null ? null : { id: row.answered_by, name: row.answered_by_name ?? '' },
  answeredAt: row.answered_at === null ? null : new Date(row.answered_at).toISOString(),
  comment: row.comment,
  itemId: row.item_id,
});

const SELECT_CONFIRMATION = `SELECT c.id, c.status, c.revision_id, c.requested_by,
    r.display_name AS requested_by_name, c.requested_at, c.message, c.answered_by,
    a.display_name AS answered_by_name, c.answered_at, c.comment, c.item_id
  FROM listing_confirmations c
  JOIN users r ON r.id = c.requested_by
  LEFT JOIN users a ON a.id = c.answered_by`;

/** The listing's latest confirmation request (open or answered), or null for none. */
export async function latestConfirmation(
  db: Queryable,
  listingId: string,
): Promise<ListingConfirmation | null> {
  const [row] = await db.query<ConfirmationRow>(
    `${SELECT_CONFIRMATION} WHERE c.listing_id = $1 ORDER BY c.requested_at DESC, c.row_version DESC LIMIT 1`,
    [listingId],
  );
  return row === undefined ? null : toConfirmation(row);
}

/** The request just written in this transaction (it exists: the caller wrote it). */
async function writtenConfirmation(
  scope: WorkScope,
  listingId: string,
): Promise<ListingConfirmation> {
  const written = await latestConfirmation(scope.tx, listingId);
  if (written === null) {
    throw new Error(`the confirmation of listing ${listingId} just written is gone`);
  }
  return written;
}

async function openRequest(scope: WorkScope, listingId: string): Promise<ConfirmationRow | null> {
  const [row] = await scope.tx.query<ConfirmationRow>(
    `${SELECT_CONFIRMATION} WHERE c.listing_id = $1 AND c.status = 'requested'`,
    [listingId],
  );
  return row ?? null;
}

function checkedText(value: unknown, what: string, required: boolean): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (value !== undefined && typeof value !== 'string') {
    throw badRequest('VALIDATION', `${what} must be text`);
  }
  if (required && text.length === 0) {
    throw badRequest('VALIDATION', `${what} is required`);
  }
  if (text.length > MAX_CONFIRMATION_TEXT || text.includes('\u0000')) {
    throw badRequest('VALIDATION', `${what} must be at most ${MAX_CONFIRMATION_TEXT} characters`);
  }
  return text;
}

/** `POST /api/v1/listings/:id/confirmation`: sends the draft to the institution. */
export async function requestConfirmation(
  scope: WorkScope,
  listingId: string,
  message: unknown,
): Promise<ListingConfirmation> {
  const text = checkedText(message, 'The message', false);
  const listing = await lockOwnListing(scope, listingId);
  if (!REQUESTERS.has(scope.principal.role)) {
    throw forbidden(
      'Assistants and collaborators send a draft for confirmation; the submitter submits it',
    );
  }
  const revision = await currentRevision(scope, listing);
  if (revision.state !== 'draft') {
    throw httpConflict(
      'NOT_A_DRAFT',
      `A listing that is ${listing.state} has no draft to confirm`,
      {
        state: listing.state,
      },
    );
  }
  if ((await openRequest(scope, listing.id)) !== null) {
    throw httpConflict('CONFIRMATION_PENDING', 'This draft already waits for confirmation');
  }
  const issues = validateListing(revision.document, { today: shanghaiDate(scope.now) });
  if (hasErrors(issues)) {
    throw new HttpError(422, 'VALIDATION', 'The draft has errors; fix them before sending it', {
      issues,
    });
  }
  const id = randomUUID();
  await scope.tx.query(
    `INSERT INTO listing_confirmations (id, listing_id, revision_id, requested_by, requested_at,
                                        message, status, row_version)
     VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7)`,
    [id, listing.id, revision.id, scope.principal.id, scope.nowIso, text, await scope.version()],
  );
  await scope.audit({
    subjectType: 'listing',
    subjectId: listing.id,
    action: 'request_confirmation',
    fromState: listing.state,
    toState: listing.state,
    reason: text === '' ? null : text,
    details: { revisionId: revision.id, enteredBy: scope.principal.displayName },
  });
  return await writtenConfirmation(scope, listing.id);
}

async function answerable(scope: WorkScope, listingId: string) {
  const listing = await lockOwnListing(scope, listingId);
  if (scope.principal.role !== 'submitter') {
    throw forbidden('Only the institution’s submitter confirms or returns a draft');
  }
  const request = await openRequest(scope, listing.id);
  if (request === null) {
    throw httpConflict('NO_CONFIRMATION_PENDING', 'Nothing waits for confirmation on this listing');
  }
  return { listing, request };
}

/** `POST /api/v1/listings/:id/confirmation/confirm`: confirms, which submits it for review. */
export async function confirmListing(
  scope: WorkScope,
  listingId: string,
): Promise<{ confirmation: ListingConfirmation; itemId: string; revisionId: string }> {
  const { listing, request } = await answerable(scope, listingId);
  const submitted = await submitListing(scope, listing.id);
  await scope.tx.query(
    `UPDATE listing_confirmations SET status = 'confirmed', answered_by = $2, answered_at = $3,
            item_id = $4, row_version = $5
      WHERE id = $1`,
    [request.id, scope.principal.id, scope.nowIso, submitted.itemId, await scope.version()],
  );
  await scope.audit({
    subjectType: 'listing',
    subjectId: listing.id,
    itemId: submitted.itemId,
    action: 'confirm',
    details: {
      enteredBy: request.requested_by_name,
      enteredById: request.requested_by,
      requestedAt: new Date(request.requested_at).toISOString(),
    },
  });
  return {
    confirmation: await writtenConfirmation(scope, listing.id),
    itemId: submitted.itemId,
    revisionId: submitted.revisionId,
  };
}

/** `POST /api/v1/listings/:id/confirmation/return`: sends it back to whoever entered it. */
export async function returnForChanges(
  scope: WorkScope,
  listingId: string,
  comment: unknown,
): Promise<ListingConfirmation> {
  const text = checkedText(comment, 'The comment', true);
  const { listing, request } = await answerable(scope, listingId);
  await scope.tx.query(
    `UPDATE listing_confirmations SET status = 'returned', answered_by = $2, answered_at = $3,
            comment = $4, row_version = $5
      WHERE id = $1`,
    [request.id, scope.principal.id, scope.nowIso, text, await scope.version()],
  );
  await scope.audit({
    subjectType: 'listing',
    subjectId: listing.id,
    action: 'return_confirmation',
    fromState: listing.state,
    toState: listing.state,
    reason: text,
    details: { enteredBy: request.requested_by_name },
  });
  return await writtenConfirmation(scope, listing.id);
}
