import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { redactForViewer } from '#shared/domain/redaction';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';
import { notFound } from '../http/errors';
import { parseId } from '../http/ids';
import { createWorkScope } from '../review/scope';
import {
  confirmListing,
  latestConfirmation,
  MAX_CONFIRMATION_TEXT,
  requestConfirmation,
  returnForChanges,
} from './confirmation';
import { registerCollaboratorRoutes } from './collaborators';
import { storageProblems } from './documentStorage';
import { registerReminderRoutes } from './reminderRoutes';
import { registerConfirmationListRoute } from './confirmationList';
import { registerVersionRoutes } from './versions';
import { revisionRowVersion } from './drafts';
import { findListing, findRevision, listRevisions } from './model';
import {
  assertCanRead,
  createListing,
  seesWorkInProgress,
  saveDraft,
  startUpdate,
  submitListing,
  withdrawListing,
} from './service';

const documentSchema = z
  .record(z.string(), z.unknown())
  .superRefine((document, ctx) => {
    for (const problem of storageProblems(document)) {
      ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    }
  })
  .describe('A listing document (see shared/domain/listing/document.ts); drafts may be incomplete');

const idParams = z.object({ id: z.string() });

/**
 * The submitter API: what the institutions' side calls to create, edit, submit, withdraw and
 * update listings. Each call is one transaction that also bumps the sync version, so the
 * reviewers' workstations see the change on their next pull.
 */
export function registerListingRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];

  /** Runs one unit of work for the signed-in user, then hints the workstations. */
  async function work<T>(
    request: Parameters<typeof requirePrincipal>[0],
    body: (scope: ReturnType<typeof createWorkScope>) => Promise<T>,
  ): Promise<T> {
    const principal = requirePrincipal(request);
    const { value, version } = await ctx.db.transaction(async (tx) => {
      const scope = createWorkScope({ tx, principal, now: ctx.clock.now(), config: ctx.config });
      // Every writer takes the space version first (see sync/push.ts): no lock-order deadlocks.
      await scope.version();
      return { value: await body(scope), version: scope.versionTaken() };
    });
    if (version !== null) {
      ctx.hints.notify(version);
    }
    return value;
  }

  typed.post(
    '/api/v1/listings',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Create a listing (a new draft)',
        security,
        // Fastify hands a request without a body to validation as `null`: nullish, not optional.
        body: z
          .object({ institutionId: z.uuid().optional(), document: documentSchema.optional() })
          .nullish(),
      },
    },
    async (request, reply) => {
      const created = await work(request, (scope) =>
        createListing(scope, {
          institutionId: request.body?.institutionId,
          document: request.body?.document,
        }),
      );
      return reply.status(201).send({ id: created.listingId, revisionId: created.revisionId });
    },
  );

  typed.put(
    '/api/v1/listings/:id/draft',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Save the draft document',
        security,
        params: idParams,
        body: documentSchema,
      },
    },
    async (request) => {
      const id = parseId(request.params.id, 'Listing');
      const saved = await work(request, (scope) => saveDraft(scope, id, request.body));
      return { id, revisionId: saved.revisionId, issues: saved.issues };
    },
  );

  typed.post(
    '/api/v1/listings/:id/submit',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Submit for review (422 with field paths when invalid)',
        security,
        params: idParams,
      },
    },
    async (request) => {
      const id = parseId(request.params.id, 'Listing');
      const submitted = await work(request, (scope) => submitListing(scope, id));
      return {
        id,
        revisionId: submitted.revisionId,
        itemId: submitted.itemId,
        warnings: submitted.issues,
      };
    },
  );

  typed.post(
    '/api/v1/listings/:id/withdraw',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Withdraw a pending submission back to draft',
        security,
        params: idParams,
      },
    },
    async (request) => {
      const id = parseId(request.params.id, 'Listing');
      const withdrawn = await work(request, (scope) => withdrawListing(scope, id));
      return { id, revisionId: withdrawn.revisionId };
    },
  );

  typed.post(
    '/api/v1/listings/:id/update',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Start an update (a new revision) of a live listing',
        security,
        params: idParams,
      },
    },
    async (request) => {
      const id = parseId(request.params.id, 'Listing');
      const started = await work(request, (scope) => startUpdate(scope, id));
      return { id, revisionId: started.revisionId };
    },
  );

  const textBody = (field: 'message' | 'comment') =>
    z.object({ [field]: z.string().max(MAX_CONFIRMATION_TEXT).optional() }).optional();

  typed.post(
    '/api/v1/listings/:id/confirmation',
    {
      preValidation: signedIn,
      schema: {
        summary:
          'Send an assisted draft to the institution for confirmation (assistants, collaborators)',
        security,
        params: idParams,
        body: textBody('message'),
      },
    },
    async (request, reply) => {
      const id = parseId(request.params.id, 'Listing');
      const body = request.body as { message?: string } | undefined;
      const confirmation = await work(request, (scope) =>
        requestConfirmation(scope, id, body?.message),
      );
      return reply.status(201).send({ id, confirmation });
    },
  );

  typed.post(
    '/api/v1/listings/:id/confirmation/confirm',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Confirm an assisted draft, which submits it for review (the submitter)',
        security,
        params: idParams,
      },
    },
    async (request) => {
      const id = parseId(request.params.id, 'Listing');
      const confirmed = await work(request, (scope) => confirmListing(scope, id));
      return { id, ...confirmed };
    },
  );

  typed.post(
    '/api/v1/listings/:id/confirmation/return',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Return an assisted draft to whoever entered it, with a comment (the submitter)',
        security,
        params: idParams,
        body: textBody('comment'),
      },
    },
    async (request) => {
      const id = parseId(request.params.id, 'Listing');
      const body = request.body as { comment?: string } | undefined;
      const confirmation = await work(request, (scope) =>
        returnForChanges(scope, id, body?.comment),
      );
      return { id, confirmation };
    },
  );

  typed.get(
    '/api/v1/listings/:id',
    {
      preValidation: signedIn,
      schema: {
        summary: 'A listing with its current document and revisions',
        security,
        params: idParams,
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const id = parseId(request.params.id, 'Listing');
      const listing = await findListing(ctx.db, id);
      if (listing === null) {
        throw notFound('Listing');
      }
      assertCanRead(principal, listing);
      // Outsiders reading a live listing see the live revision, never an update in progress.
      const insider = seesWorkInProgress(principal, listing);
      const shownRevisionId = insider ? listing.current_revision_id : listing.live_revision_id;
      const current = shownRevisionId === null ? null : await findRevision(ctx.db, shownRevisionId);
      const revisions = (await listRevisions(ctx.db, id)).filter(
        (revision) => insider || revision.id === listing.live_revision_id,
      );
      // The document as a mirrored revision row would carry it to this role (the shared policy).
      const shown = redactForViewer(
        'listing_revisions',
        { document: current?.document ?? null },
        principal,
        listing.institution_id,
      );
      return {
        id: listing.id,
        state: listing.state,
        institutionId: listing.institution_id,
        currentRevisionId: shownRevisionId,
        // The base a workstation names when it saves its edit of this document (saveDraft).
        currentRowVersion:
          shownRevisionId === null ? null : await revisionRowVersion(ctx.db, shownRevisionId),
        liveRevisionId: listing.live_revision_id,
        // Assisted entry: the latest request for the institution's confirmation, if any.
        confirmation: insider ? await latestConfirmation(ctx.db, listing.id) : null,
        document: shown.document,
        ...(shown.redacted === undefined ? {} : { redacted: shown.redacted }),
        revisions: revisions.map((revision) => ({
          id: revision.id,
          number: revision.number,
          state: revision.state,
          submittedAt: revision.submitted_at,
          decidedAt: revision.decided_at,
        })),
      };
    },
  );
  registerReminderRoutes(app, ctx);
  registerVersionRoutes(app, ctx);
  registerConfirmationListRoute(app, ctx);
  registerCollaboratorRoutes(app, ctx, work);
  return Promise.resolve();
}
