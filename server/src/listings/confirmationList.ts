import type { FastifyInstance } from 'fastify';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';

/**
 * `GET /api/v1/listings/confirmations`: the assisted drafts that concern the caller (issue 11,
 * "Institution confirmation"). A submitter gets the drafts waiting for their institution's
 * confirmation; an assistant or collaborator the drafts they sent whose latest request is still
 * open or came back returned (with the comment); anyone else an empty list.
 */
export interface ConfirmationListEntry {
  readonly listingId: string;
  readonly name: string;
  readonly institutionId: string;
  readonly institutionName: string;
  readonly status: 'requested' | 'returned';
  readonly requestedBy: { readonly id: string; readonly name: string };
  readonly requestedAt: string;
  readonly message: string;
  readonly answeredAt: string | null;
  readonly comment: string | null;
}

interface Row {
  listing_id: string;
  name: string;
  institution_id: string;
  institution_name: string | null;
  status: 'requested' | 'returned';
  requested_by: string;
  requested_by_name: string;
  requested_at: string;
  message: string;
  answered_at: string | null;
  comment: string | null;
}

/** The latest request of each listing, with the listing and the people named. */
const LATEST = `SELECT DISTINCT ON (c.listing_id) c.listing_id, l.name, l.institution_id,
    i.name AS institution_name, c.status, c.requested_by, u.display_name AS requested_by_name,
    c.requested_at, c.message, c.answered_at, c.comment, c.revision_id
  FROM listing_confirmations c
  JOIN listings l ON l.id = c.listing_id AND l.deleted_at IS NULL
  LEFT JOIN institutions i ON i.id = l.institution_id
  JOIN users u ON u.id = c.requested_by`;
const LATEST_ORDER = 'ORDER BY c.listing_id, c.requested_at DESC, c.row_version DESC';

export function registerConfirmationListRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    '/api/v1/listings/confirmations',
    {
      preValidation: signedIn,
      schema: {
        summary:
          'Assisted drafts waiting for your confirmation (submitters), or sent by you and still open or returned (assistants, collaborators)',
        security: [{ bearer: [] }],
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      let rows: Row[] = [];
      if (principal.role === 'submitter' && principal.institutionId !== null) {
        rows = await ctx.db.query<Row>(
          `SELECT * FROM (${LATEST} WHERE l.institution_id = $1 ${LATEST_ORDER}) latest
            WHERE status = 'requested' ORDER BY requested_at`,
          [principal.institutionId],
        );
      } else if (principal.role === 'assistant' || principal.role === 'collaborator') {
        rows = await ctx.db.query<Row>(
          `SELECT * FROM (${LATEST} ${LATEST_ORDER}) latest
            WHERE requested_by = $1 AND status IN ('requested', 'returned')
              -- A returned draft stays on the list until its revision is submitted some other way.
              AND EXISTS (SELECT 1 FROM listing_revisions r
                           WHERE r.id = latest.revision_id AND r.state = 'draft')
            ORDER BY requested_at DESC`,
          [principal.id],
        );
      }
      const entries: ConfirmationListEntry[] = rows.map((row) => ({
        listingId: row.listing_id,
        name: row.name,
        institutionId: row.institution_id,
        institutionName: row.institution_name ?? '',
        status: row.status,
        requestedBy: { id: row.requested_by, name: row.requested_by_name },
        requestedAt: new Date(row.requested_at).toISOString(),
        message: row.message,
        answeredAt: row.answered_at === null ? null : new Date(row.answered_at).toISOString(),
        comment: row.comment,
      }));
      return { confirmations: entries };
    },
  );
}
