import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { redactForViewer } from '#shared/domain/redaction';
import type { Principal } from '../auth/principal';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';
import type { Queryable } from '../db/database';
import { badRequest, forbidden, notFound } from '../http/errors';
import { parseId } from '../http/ids';
import { findListing, type ListingRow, type RevisionState } from './model';
import { assertCanRead, seesWorkInProgress } from './service';

/**
 * A listing's versions (issue 11, "Versions"): every revision with its number, state, when it
 * was submitted and decided and by whom, and who entered and confirmed an assisted one. The
 * editor lists them, copies one into the draft (the quarterly price update) and compares the
 * draft with the live one. Who may read them is who may read the listing
 * (`GET /api/v1/listings/:id`): its institution and the listing staff see every revision;
 * everyone else sees a live listing's live revision only.
 */

interface Person {
  readonly id: string;
  readonly name: string;
}

export interface ListingVersion {
  readonly id: string;
  readonly number: number;
  readonly state: RevisionState;
  readonly live: boolean;
  readonly current: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: Person | null;
  readonly submittedAt: string | null;
  readonly submittedBy: Person | null;
  readonly decidedAt: string | null;
  readonly decidedBy: Person | null;
  /** The final decision's outcome (`approve`, `reject`…), null while undecided. */
  readonly outcome: string | null;
  /** Assisted entry: who entered it and who confirmed it (listing_confirmations). */
  readonly enteredBy: Person | null;
  readonly confirmedBy: Person | null;
}

interface VersionRow {
  id: string;
  number: number;
  state: RevisionState;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_at: string | null;
  created_by: string | null;
  created_by_name: string | null;
  submitted_by: string | null;
  submitted_by_name: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  outcome: string | null;
  entered_by: string | null;
  entered_by_name: string | null;
  confirmed_by: string | null;
  confirmed_by_name: string | null;
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());
const person = (id: string | null, name: string | null): Person | null =>
  id === null ? null : { id, name: name ?? '' };

/**
 * One query for the list: the submitter is the actor of the item's submit audit event (the
 * submitter, or the institution confirming an assisted draft); the decider the final decision's
 * reviewer; the assisted entry the confirmed request of that revision.
 */
const VERSIONS_SQL = `SELECT r.id, r.number, r.state, r.created_at, r.updated_at, r.submitted_at,
    r.decided_at, r.created_by, cu.display_name AS created_by_name,
    sub.actor_id AS submitted_by, su.display_name AS submitted_by_name,
    d.reviewer_id AS decided_by, du.display_name AS decided_by_name, d.outcome,
    c.requested_by AS entered_by, eu.display_name AS entered_by_name,
    c.answered_by AS confirmed_by, au.display_name AS confirmed_by_name
  FROM listing_revisions r
  LEFT JOIN users cu ON cu.id = r.created_by
  LEFT JOIN LATERAL (
    SELECT e.actor_id FROM review_items i
      JOIN audit_events e ON e.item_id = i.id AND e.action IN ('submit', 'submit_update')
     WHERE i.revision_id = r.id ORDER BY e.at DESC LIMIT 1
  ) sub ON true
  LEFT JOIN users su ON su.id = sub.actor_id
  LEFT JOIN decisions d ON d.revision_id = r.id AND d.is_final
  LEFT JOIN users du ON du.id = d.reviewer_id
  LEFT JOIN LATERAL (
    SELECT lc.requested_by, lc.answered_by FROM listing_confirmations lc
     WHERE lc.revision_id = r.id AND lc.status = 'confirmed'
     ORDER BY lc.answered_at DESC LIMIT 1
  ) c ON true
  LEFT JOIN users eu ON eu.id = c.requested_by
  LEFT JOIN users au ON au.id = c.answered_by
 WHERE r.listing_id = $1`;

/** The revisions of a listing the principal may see, newest first. */
export async function listVersions(
  db: Queryable,
  principal: Principal,
  listing: ListingRow,
): Promise<ListingVersion[]> {
  const rows = await db.query<VersionRow>(`${VERSIONS_SQL} ORDER BY r.number DESC`, [listing.id]);
  const insider = seesWorkInProgress(principal, listing);
  return rows
    .filter((row) => insider || row.id === listing.live_revision_id)
    .map((row) => ({
      id: row.id,
      number: row.number,
      state: row.state,
      live: row.id === listing.live_revision_id,
      current: row.id === listing.current_revision_id,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      // Who did what is the institution's and the staff's to know, not the market's.
      createdBy: insider ? person(row.created_by, row.created_by_name) : null,
      submittedAt: iso(row.submitted_at),
      submittedBy: insider ? person(row.submitted_by, row.submitted_by_name) : null,
      decidedAt: iso(row.decided_at),
      decidedBy: insider ? person(row.decided_by, row.decided_by_name) : null,
      outcome: row.outcome,
      enteredBy: insider ? person(row.entered_by, row.entered_by_name) : null,
      confirmedBy: insider ? person(row.confirmed_by, row.confirmed_by_name) : null,
    }));
}

async function readableListing(ctx: ServerContext, principal: Principal, rawId: string) {
  const id = parseId(rawId, 'Listing');
  const listing = await findListing(ctx.db, id);
  if (listing === null) {
    throw notFound('Listing');
  }
  assertCanRead(principal, listing);
  return listing;
}

const MAX_VERSION = 1_000_000;

export function registerVersionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];

  typed.get(
    '/api/v1/listings/:id/versions',
    {
      preValidation: signedIn,
      schema: {
        summary: 'The versions (revisions) of a listing, newest first, with who did what',
        security,
        params: z.object({ id: z.string() }),
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const listing = await readableListing(ctx, principal, request.params.id);
      return {
        id: listing.id,
        state: listing.state,
        liveRevisionId: listing.live_revision_id,
        currentRevisionId: seesWorkInProgress(principal, listing)
          ? listing.current_revision_id
          : listing.live_revision_id,
        versions: await listVersions(ctx.db, principal, listing),
      };
    },
  );

  typed.get(
    '/api/v1/listings/:id/versions/:number',
    {
      preValidation: signedIn,
      schema: {
        summary: 'One version of a listing, with its document',
        security,
        params: z.object({ id: z.string(), number: z.string() }),
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const listing = await readableListing(ctx, principal, request.params.id);
      const number = Number(request.params.number);
      if (!/^[1-9][0-9]*$/.test(request.params.number) || number > MAX_VERSION) {
        throw badRequest('INVALID_VERSION', 'A version number is a whole number from 1');
      }
      const [row] = await ctx.db.query<{
        id: string;
        number: number;
        state: RevisionState;
        document: Record<string, unknown>;
      }>(
        'SELECT id, number, state, document FROM listing_revisions WHERE listing_id = $1 AND number = $2',
        [listing.id, number],
      );
      if (row === undefined) {
        throw notFound('Version');
      }
      if (!seesWorkInProgress(principal, listing) && row.id !== listing.live_revision_id) {
        // Like the listing read: outsiders see the live version only.
        throw forbidden('You may not see this version of the listing');
      }
      const shown = redactForViewer(
        'listing_revisions',
        { document: row.document },
        principal,
        listing.institution_id,
      );
      return {
        id: row.id,
        listingId: listing.id,
        number: row.number,
        state: row.state,
        live: row.id === listing.live_revision_id,
        document: shown.document,
        ...(shown.redacted === undefined ? {} : { redacted: shown.redacted }),
      };
    },
  );
}
