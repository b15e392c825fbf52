import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '#shared/domain/roles';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';
import type { Queryable } from '../db/database';
import { forbidden, HttpError, notFound } from '../http/errors';
import { parseId } from '../http/ids';
import type { WorkScope } from '../review/scope';
import { findListing, type ListingRow } from './model';
import { lockOwnListing, seesWorkInProgress } from './service';

/**
 * Collaborators of one listing (project-submission-workspace.zh.md §6) and the draft's operation
 * history (§7). The listing's owner — the institution's submitter who created it, or the
 * assistant doing assisted entry — invites collaborators of the institution to this listing; an
 * invited collaborator edits its drafts (service.ts `assertCanWrite`) and never submits them (the
 * lifecycle table has no `submit` for the collaborator role). Who changed what is read from the
 * audit trail: every saved draft records the field pointers it changed (service.ts `saveDraft`).
 */

export interface ListingCollaborator {
  readonly userId: string;
  readonly username: string;
  readonly name: string;
  readonly invitedBy: { readonly id: string; readonly name: string };
  readonly invitedAt: string;
}

export interface CollaboratorCandidate {
  readonly userId: string;
  readonly username: string;
  readonly name: string;
}

export interface ListingOperation {
  readonly id: string;
  readonly at: string;
  readonly action: string;
  readonly actor: { readonly id: string; readonly name: string; readonly role: Role };
  /** RFC 6901 pointers of the fields a saved draft changed (`save_draft` only). */
  readonly fields: readonly string[];
  /** Changed fields beyond the ones listed (a save that touched very many). */
  readonly moreFields: number;
  readonly fromState: string | null;
  readonly toState: string | null;
  /** The person invited or removed (`invite_collaborator`, `remove_collaborator`). */
  readonly collaborator: { readonly id: string; readonly name: string } | null;
}

/** How many operations the history answers with, newest first. */
export const OPERATION_HISTORY_LIMIT = 200;

interface CollaboratorRow {
  user_id: string;
  username: string;
  name: string;
  invited_by: string;
  invited_by_name: string;
  invited_at: string;
}

/** The listing's standing invitations, oldest first. */
export async function collaboratorsOf(
  db: Queryable,
  listingId: string,
): Promise<ListingCollaborator[]> {
  const rows = await db.query<CollaboratorRow>(
    `SELECT c.user_id, u.username, u.display_name AS name, c.invited_by,
            i.display_name AS invited_by_name, c.invited_at
       FROM listing_collaborators c
       JOIN users u ON u.id = c.user_id
       JOIN users i ON i.id = c.invited_by
      WHERE c.listing_id = $1 AND c.removed_at IS NULL
      ORDER BY c.invited_at, u.username`,
    [listingId],
  );
  return rows.map((row) => ({
    userId: row.user_id,
    username: row.username,
    name: row.name,
    invitedBy: { id: row.invited_by, name: row.invited_by_name },
    invitedAt: new Date(row.invited_at).toISOString(),
  }));
}

/** The institution's active collaborators not invited to the listing yet. */
async function candidatesOf(db: Queryable, listing: ListingRow): Promise<CollaboratorCandidate[]> {
  const rows = await db.query<{ id: string; username: string; display_name: string }>(
    `SELECT u.id, u.username, u.display_name FROM users u
      WHERE u.institution_id = $1 AND u.role = 'collaborator' AND u.active
        AND NOT EXISTS (SELECT 1 FROM listing_collaborators c
                         WHERE c.listing_id = $2 AND c.user_id = u.id AND c.removed_at IS NULL)
      ORDER BY u.username`,
    [listing.institution_id, listing.id],
  );
  return rows.map((row) => ({ userId: row.id, username: row.username, name: row.display_name }));
}

/** Only the listing's owner manages its collaborators (and only while they may write it). */
async function lockManagedListing(scope: WorkScope, listingId: string): Promise<ListingRow> {
  const listing = await lockOwnListing(scope, listingId);
  if (listing.owner_id !== scope.principal.id) {
    throw forbidden('Only the owner of this listing invites or removes its collaborators');
  }
  return listing;
}

/** `POST /api/v1/listings/:id/collaborators`: invites a collaborator of the institution. */
export async function inviteCollaborator(
  scope: WorkScope,
  listingId: string,
  userId: string,
): Promise<{ collaborator: ListingCollaborator; created: boolean }> {
  const listing = await lockManagedListing(scope, listingId);
  const [user] = await scope.tx.query<{
    id: string;
    display_name: string;
    role: Role;
    institution_id: string | null;
    active: boolean;
  }>('SELECT id, display_name, role, institution_id, active FROM users WHERE id = $1', [userId]);
  if (user === undefined) {
    throw notFound('User');
  }
  if (user.institution_id !== listing.institution_id || !user.active) {
    throw new HttpError(
      422,
      'NOT_A_MEMBER',
      'Only active members of the institution that owns this listing can be invited',
      { userId },
    );
  }
  if (user.role !== 'collaborator') {
    throw new HttpError(
      422,
      'NOT_A_COLLABORATOR',
      'Only collaborators are invited: the institution’s submitters edit and submit its listings already',
      { userId, role: user.role },
    );
  }
  const standing = (await collaboratorsOf(scope.tx, listing.id)).find(
    (collaborator) => collaborator.userId === userId,
  );
  if (standing !== undefined) {
    return { collaborator: standing, created: false };
  }
  await scope.tx.query(
    `INSERT INTO listing_collaborators (id, listing_id, user_id, invited_by, invited_at, row_version)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [randomUUID(), listing.id, userId, scope.principal.id, scope.nowIso, await scope.version()],
  );
  await scope.audit({
    subjectType: 'listing',
    subjectId: listing.id,
    action: 'invite_collaborator',
    details: { collaboratorId: userId, collaboratorName: user.display_name },
  });
  const invited = (await collaboratorsOf(scope.tx, listing.id)).find(
    (collaborator) => collaborator.userId === userId,
  );
  if (invited === undefined) {
    throw new Error(`the invitation of ${userId} just written is gone`);
  }
  return { collaborator: invited, created: true };
}

/** `DELETE /api/v1/listings/:id/collaborators/:userId`: ends a standing invitation. */
export async function removeCollaborator(
  scope: WorkScope,
  listingId: string,
  userId: string,
): Promise<void> {
  const listing = await lockManagedListing(scope, listingId);
  const [removed] = await scope.tx.query<{ name: string }>(
    `UPDATE listing_collaborators c SET removed_at = $3, removed_by = $4, row_version = $5
       FROM users u
      WHERE u.id = c.user_id AND c.listing_id = $1 AND c.user_id = $2 AND c.removed_at IS NULL
      RETURNING u.display_name AS name`,
    [listing.id, userId, scope.nowIso, scope.principal.id, await scope.version()],
  );
  if (removed === undefined) {
    throw notFound('Collaborator');
  }
  await scope.audit({
    subjectType: 'listing',
    subjectId: listing.id,
    action: 'remove_collaborator',
    details: { collaboratorId: userId, collaboratorName: removed.name },
  });
}

interface OperationRow {
  id: string;
  at: string;
  action: string;
  actor_id: string;
  actor_name: string | null;
  actor_role: Role | null;
  from_state: string | null;
  to_state: string | null;
  details: Record<string, unknown> | null;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** The listing's audited operations (refused attempts left out), newest first. */
export async function operationsOf(db: Queryable, listingId: string): Promise<ListingOperation[]> {
  const rows = await db.query<OperationRow>(
    `SELECT e.id, e.at, e.action, e.actor_id, u.display_name AS actor_name, u.role AS actor_role,
            e.from_state, e.to_state, e.details
       FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.subject_type = 'listing' AND e.subject_id = $1 AND e.action NOT LIKE 'attempt\\_%'
      ORDER BY e.at DESC, e.row_version DESC, e.id
      LIMIT ${OPERATION_HISTORY_LIMIT}`,
    [listingId],
  );
  return rows.map((row) => {
    const details = row.details ?? {};
    const collaboratorId = details['collaboratorId'];
    return {
      id: row.id,
      at: new Date(row.at).toISOString(),
      action: row.action,
      actor: { id: row.actor_id, name: row.actor_name ?? '', role: row.actor_role ?? 'assistant' },
      fields: strings(details['fields']),
      moreFields: typeof details['moreFields'] === 'number' ? details['moreFields'] : 0,
      fromState: row.from_state,
      toState: row.to_state,
      collaborator:
        typeof collaboratorId === 'string'
          ? {
              id: collaboratorId,
              name:
                typeof details['collaboratorName'] === 'string' ? details['collaboratorName'] : '',
            }
          : null,
    };
  });
}

/** Runs one unit of work for the signed-in user (routes.ts), then hints the workstations. */
export type RunWork = <T>(
  request: FastifyRequest,
  body: (scope: WorkScope) => Promise<T>,
) => Promise<T>;

const idParams = z.object({ id: z.string() });

export function registerCollaboratorRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  work: RunWork,
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];

  /** A listing the caller sees the work in progress of (its institution, the listing staff). */
  async function insiderListing(request: FastifyRequest, rawId: string): Promise<ListingRow> {
    const principal = requirePrincipal(request);
    const listing = await findListing(ctx.db, parseId(rawId, 'Listing'));
    if (listing === null) {
      throw notFound('Listing');
    }
    if (!seesWorkInProgress(principal, listing)) {
      throw forbidden('You may not see who works on this listing');
    }
    return listing;
  }

  typed.get(
    '/api/v1/listings/:id/collaborators',
    {
      preValidation: signedIn,
      schema: {
        summary: 'The listing’s invited collaborators (and, for its owner, who can be invited)',
        security,
        params: idParams,
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const listing = await insiderListing(request, request.params.id);
      const manages = listing.owner_id === principal.id;
      return {
        id: listing.id,
        ownerId: listing.owner_id,
        canManage: manages,
        collaborators: await collaboratorsOf(ctx.db, listing.id),
        candidates: manages ? await candidatesOf(ctx.db, listing) : [],
      };
    },
  );

  typed.post(
    '/api/v1/listings/:id/collaborators',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Invite a collaborator of the institution to the listing (its owner)',
        security,
        params: idParams,
        body: z.object({ userId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const id = parseId(request.params.id, 'Listing');
      const userId = request.body.userId.toLowerCase();
      const invited = await work(request, (scope) => inviteCollaborator(scope, id, userId));
      return reply
        .status(invited.created ? 201 : 200)
        .send({ id, collaborator: invited.collaborator });
    },
  );

  typed.delete(
    '/api/v1/listings/:id/collaborators/:userId',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Remove a collaborator from the listing (its owner)',
        security,
        params: z.object({ id: z.string(), userId: z.string() }),
      },
    },
    async (request, reply) => {
      const id = parseId(request.params.id, 'Listing');
      const userId = parseId(request.params.userId, 'User');
      await work(request, (scope) => removeCollaborator(scope, id, userId));
      return reply.status(204).send();
    },
  );

  typed.get(
    '/api/v1/listings/:id/operations',
    {
      preValidation: signedIn,
      schema: {
        summary: 'The listing’s operation history: who changed which fields, newest first',
        security,
        params: idParams,
      },
    },
    async (request) => {
      const listing = await insiderListing(request, request.params.id);
      return { id: listing.id, operations: await operationsOf(ctx.db, listing.id) };
    },
  );
}
