import type { z } from 'zod';
import type { MUTATION_ARGS } from '#shared/sync/mutations';
import type { Queryable } from '../db/database';
import { HttpError } from '../http/errors';
import { applied, conflict, rejected, type Outcome, type WorkScope } from '../review/scope';
import { storageProblems } from './documentStorage';
import { lockListing } from './model';
import { assertCanWrite, currentRevision, saveDraft } from './service';

/**
 * The `saveDraft` mutation: a draft edited in the workstation (offline too) reaches the server
 * through the outbox, exactly once, like every decision. The device says which server revision
 * (and row version) its edit started from; when the server's draft moved on meanwhile (another
 * device, a collaborator, the API), nothing is overwritten: the answer is a `STALE_BASE` conflict
 * with the server's document, and the device merges three-way (shared/diff/merge.ts) and sends
 * the merge with the new base.
 */

type SaveDraftArgs = z.infer<(typeof MUTATION_ARGS)['saveDraft']>;

/** A revision's row version: the base a device names when it saves a draft it edited. */
export async function revisionRowVersion(db: Queryable, revisionId: string): Promise<number> {
  const [row] = await db.query<{ row_version: string }>(
    'SELECT row_version::text AS row_version FROM listing_revisions WHERE id = $1',
    [revisionId],
  );
  return Number(row?.row_version ?? 0);
}

export async function saveDraftMutation(scope: WorkScope, args: SaveDraftArgs): Promise<Outcome> {
  const problems = storageProblems(args.document);
  if (problems.length > 0) {
    return rejected('VALIDATION', {
      reason: 'unstorable_document',
      problems: problems.map((problem) => ({
        path: problem.path.map(String),
        message: problem.message,
      })),
    });
  }
  const listing = await lockListing(scope.tx, args.listingId);
  if (listing === null) {
    return rejected('NOT_FOUND', { listingId: args.listingId });
  }
  try {
    await assertCanWrite(scope.tx, scope.principal, listing);
  } catch {
    return rejected('FORBIDDEN', { role: scope.principal.role });
  }
  const current = await currentRevision(scope, listing);
  const currentRowVersion = await revisionRowVersion(scope.tx, current.id);
  // The edit continues the current draft as the device last saw it, or starts a new draft from
  // a revision that is not a draft (a rejected or live one) that the device based it on.
  const continues =
    current.id === args.baseRevisionId &&
    (current.state !== 'draft' || currentRowVersion === args.baseRowVersion);
  const stale = (reason?: string): Outcome =>
    conflict('STALE_BASE', {
      ...(reason === undefined ? {} : { reason }),
      listingId: listing.id,
      listingState: listing.state,
      revisionId: current.id,
      revisionState: current.state,
      rowVersion: currentRowVersion,
      document: current.document,
    });
  if (!continues) {
    return stale();
  }
  try {
    const saved = await saveDraft(scope, listing.id, args.document);
    return applied(undefined, {
      revisionId: saved.revisionId,
      rowVersion: await revisionRowVersion(scope.tx, saved.revisionId),
      issues: saved.issues.length,
    });
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 409) {
      // Submitted, in review or sent for confirmation meanwhile: the device keeps its edit and
      // says why (AWAITING_CONFIRMATION, NOT_EDITABLE).
      return stale(error.code);
    }
    if (error instanceof HttpError && error.statusCode === 403) {
      return rejected('FORBIDDEN', { role: scope.principal.role });
    }
    throw error;
  }
}
