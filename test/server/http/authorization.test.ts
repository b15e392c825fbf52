import { randomBytes, randomUUID } from 'node:crypto';
import type * as FastifyModule from 'fastify';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROLES, type Role } from '#shared/domain/roles';
import { issueAccessToken } from '../../../server/src/auth/tokens';
import { createUser } from '../../../server/src/auth/users';
import { currentSpaceVersion } from '../../../server/src/sync/version';
import { PDF, PNG, multipart } from '../files/uploads';
import {
  createTestServer,
  OTHER_INSTITUTION_ID,
  TEST_INSTITUTION_ID,
  TEST_PASSWORD,
  type TestServer,
  type TestUsername,
} from '../harness';
import { inviteCollaborator } from '../listings/invite';
import { listingDocument, submitNewListing, TestSyncClient } from '../sync/client';

/**
 * Who may call which HTTP route, over every route × caller × state. The table below is written
 * by hand from the product rules (shared/domain/listing/lifecycle.ts, the redaction policy, the
 * ops and homework role sets), independently of the route code; the route list itself comes from
 * Fastify at runtime, so a route added without rows here fails the coverage test.
 *
 * "Not yours" is a 403 everywhere on this server (listings, their files, homework, ops): the ids
 * are random UUIDs, so telling "exists but not yours" from "does not exist" leaks nothing useful,
 * and one consistent answer is easier to keep right than a mix.
 */

// Every route Fastify registers, collected as the harness's app is built. An `onRoute` hook
// only sees routes added after it, and `buildApp` adds them right after creating the instance,
// so the hook goes on in the factory itself; the app is otherwise the real one.
const registered = vi.hoisted(() => new Set<string>());
vi.mock('fastify', async (importOriginal) => {
  const actual = await importOriginal<typeof FastifyModule>();
  const createOriginal = actual.default as (...args: unknown[]) => FastifyInstance;
  const create = (...args: unknown[]) => {
    const app = createOriginal(...args);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        registered.add(`${method} ${route.url}`);
      }
    });
    return app;
  };
  return { ...actual, default: create, fastify: create };
});

// ── Callers and token states ────────────────────────────────────────────────────────────────

/** The seven roles (institution members of the listings' own institution) and two outsiders. */
const CALLERS = [...ROLES, 'submitter@other', 'collaborator@other'] as const;
type Caller = (typeof CALLERS)[number];

/** Requests that must be refused (401) before any route looks at them. */
const TOKEN_STATES = [
  'anonymous',
  'forged signature',
  'forged claims',
  'unsigned token',
  'expired token',
  'deactivated user',
] as const;
type TokenState = (typeof TOKEN_STATES)[number];
/** The 401's code, so that each row is refused for its own reason and not by accident. */
const CODE_OF_STATE: Readonly<Record<TokenState, string>> = {
  anonymous: 'UNAUTHENTICATED',
  'forged signature': 'TOKEN_INVALID',
  'forged claims': 'TOKEN_INVALID',
  'unsigned token': 'TOKEN_INVALID',
  'expired token': 'TOKEN_EXPIRED',
  'deactivated user': 'USER_INACTIVE',
};

const USER_OF_ROLE: Readonly<Record<Role, TestUsername>> = {
  submitter: 'submitter1',
  collaborator: 'collaborator1',
  assistant: 'assistant1',
  reviewer: 'reviewer1',
  ops_manager: 'ops1',
  ta: 'ta1',
  mentor: 'mentor1',
};
const OTHER_INSTITUTION_USERS = {
  'submitter@other': { username: 'submitter-x2', role: 'submitter' },
  'collaborator@other': { username: 'collaborator-x2', role: 'collaborator' },
} as const;

// ── The table ───────────────────────────────────────────────────────────────────────────────

interface Call {
  readonly url: string;
  readonly body?: unknown;
  readonly upload?: { readonly payload: Buffer; readonly contentType: string };
  /** The server-sent event stream: answered when its head is written, never ended. */
  readonly stream?: boolean;
}

interface Variant {
  /** The state of the target, in the row's title ("" when only the caller matters). */
  readonly state: string;
  /** Builds the target and the request; called once per row, so a write gets a fresh target. */
  readonly arrange: () => Promise<Call>;
  readonly expected: Readonly<Record<Caller, number>>;
}

type Expected = Readonly<Record<Caller, number>>;

/** `ok` for the listed callers, `otherwise` (403) for everyone else. */
function only(allowed: readonly Caller[], ok: number, otherwise = 403): Expected {
  return Object.fromEntries(
    CALLERS.map((caller) => [caller, allowed.includes(caller) ? ok : otherwise]),
  ) as Record<Caller, number>;
}
const everyone = (status: number): Expected => only(CALLERS, status);
/** `base`, with some callers answered differently. */
const except = (base: Expected, changes: Partial<Record<Caller, number>>): Expected => ({
  ...base,
  ...changes,
});

/** Who sees a listing's work in progress: its institution and the listing staff. */
const LISTING_INSIDERS: readonly Caller[] = [
  'submitter',
  'collaborator',
  'assistant',
  'reviewer',
  'ops_manager',
];
/**
 * Who writes a listing's drafts: its institution's submitter, the collaborator its owner invited
 * and assistants (assisted entry).
 */
const DRAFT_AUTHORS: readonly Caller[] = ['submitter', 'collaborator', 'assistant'];
/** The course operations team that files homework, screenshots and roster entries. */
const HOMEWORK_INTAKE: readonly Caller[] = ['ops_manager', 'assistant', 'ta'];

let server: TestServer;
/** Access tokens of the token states, made once in `beforeAll`. */
const tokenOfState = new Map<TokenState, string | null>();

let plantedAlerts = 0;
/**
 * Every target listing's owner (submitter1) invited the `collaborator` caller to it: the row
 * tests what an invited collaborator may do; one row per draft route shows the collaborator who
 * was not invited (`fixtures.uninvitedDraft`).
 */
async function invitedListing(
  listing: Promise<{ listingId: string; itemId: string }>,
): Promise<{ listingId: string; itemId: string }> {
  const made = await listing;
  await inviteCollaborator(server, made.listingId);
  return made;
}
const fixtures = {
  /** A draft of the test institution, with a complete document (it could be submitted). */
  uninvitedDraft: async (): Promise<string> => {
    const created = await server.as('submitter1', 'POST', '/api/v1/listings', {
      document: listingDocument(),
    });
    expect(created.statusCode, created.body).toBe(201);
    return created.json<{ id: string }>().id;
  },
  draft: async (): Promise<string> =>
    (
      await invitedListing(
        fixtures.uninvitedDraft().then((listingId) => ({ listingId, itemId: '' })),
      )
    ).listingId,
  pending: async (): Promise<{ listingId: string; itemId: string }> => {
    return invitedListing(submitNewListing(server));
  },
  live: async (): Promise<string> => {
    const { listingId, itemId } = await invitedListing(submitNewListing(server));
    const approved = await new TestSyncClient(server, 'ops1').do('approve', { itemId });
    expect(approved.status, JSON.stringify(approved)).toBe('applied');
    return listingId;
  },
  /** A submission the review desk sent back (a reviewer rejected it). */
  rejected: async (): Promise<string> => {
    const { listingId, itemId } = await invitedListing(submitNewListing(server));
    const rejected = await new TestSyncClient(server, 'reviewer1').do('reject', {
      itemId,
      reasons: ['other'],
      comments: [{ path: '/basic/name', reasonCode: 'other', text: '请修改' }],
    });
    expect(rejected.status, JSON.stringify(rejected)).toBe('applied');
    return listingId;
  },
  /** A live listing whose submitter has started an update (a draft revision on top). */
  liveWithUpdate: async (): Promise<string> => {
    const listingId = await fixtures.live();
    const started = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/update`);
    expect(started.statusCode, started.body).toBe(200);
    return listingId;
  },
  offline: async (): Promise<string> => {
    const listingId = await fixtures.live();
    const takenDown = await new TestSyncClient(server, 'submitter1').do('takedown', {
      listingId,
      reason: '暂停招生',
    });
    expect(takenDown.status, JSON.stringify(takenDown)).toBe('applied');
    return listingId;
  },
  credentialFile: async (listingId: string): Promise<string> => {
    const body = multipart([
      { name: 'file', filename: `licence-${randomUUID()}.pdf`, content: uniquePdf() },
    ]);
    const response = await server.app.inject({
      method: 'POST',
      url: `/api/v1/listings/${listingId}/files`,
      headers: {
        authorization: `Bearer ${await server.token('submitter1')}`,
        'content-type': body.contentType,
      },
      payload: body.payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  },
  homework: async (): Promise<string> => {
    const response = await server.as('ops1', 'POST', '/api/v1/homework', homeworkBody());
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  },
  /** A reminder of submitter1's draft (planted: the rules have their own tests). */
  reminder: async (): Promise<string> => {
    const listingId = await fixtures.draft();
    const id = randomUUID();
    await server.db.query(
      `INSERT INTO listing_reminders (id, rule, listing_id, user_id, basis_at, raised_at)
       VALUES ($1, 'stale_draft', $2, $3, now(), now())`,
      [id, listingId, await server.userId('submitter1')],
    );
    return id;
  },
  /** A draft the assistant sent to the institution for confirmation. */
  awaitingConfirmation: async (): Promise<string> => {
    const listingId = await fixtures.draft();
    const sent = await server.as(
      'assistant1',
      'POST',
      `/api/v1/listings/${listingId}/confirmation`,
      {},
    );
    expect(sent.statusCode, sent.body).toBe(201);
    return listingId;
  },
  /** An alert the schedule raised (planted in the table: the rules have their own tests). */
  alert: async (): Promise<string> => {
    const id = randomUUID();
    // One alert per rule and day: each row gets a day of its own.
    plantedAlerts += 1;
    await server.db.query(
      `INSERT INTO ops_alerts (id, rule, day, raised_at, value, threshold)
       VALUES ($1, 'submission_spike', DATE '2026-01-01' + $2::int, now(), 30, 20)`,
      [id, plantedAlerts],
    );
    return id;
  },
  screenshot: async (): Promise<string> => {
    const submissionId = await fixtures.homework();
    const body = pngUpload();
    const response = await server.app.inject({
      method: 'POST',
      url: `/api/v1/homework/${submissionId}/files`,
      headers: {
        authorization: `Bearer ${await server.token('ops1')}`,
        'content-type': body.contentType,
      },
      payload: body.payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string }>().id;
  },
};

/** A read-only target made once for all the rows that read it. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | null = null;
  return () => (made ??= make());
}
const sharedDraft = once(fixtures.draft);
const sharedPending = once(fixtures.pending);
const sharedLive = once(fixtures.live);
const sharedRejected = once(fixtures.rejected);
const sharedLiveWithUpdate = once(fixtures.liveWithUpdate);
const sharedOffline = once(fixtures.offline);
const sharedDraftFile = once(async () => fixtures.credentialFile(await sharedDraft()));
const sharedLiveFile = once(async () => {
  // Uploaded while the listing is a draft, then the listing goes live: the market reads the
  // listing from then on, but never its licence scans.
  const listingId = await fixtures.draft();
  const fileId = await fixtures.credentialFile(listingId);
  const submitted = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/submit`);
  const { itemId } = submitted.json<{ itemId: string }>();
  await new TestSyncClient(server, 'ops1').do('approve', { itemId });
  return fileId;
});
const sharedScreenshot = once(fixtures.screenshot);

/** A PDF no other upload has (the same bytes twice on one listing are a 200, not a 201). */
const uniquePdf = () => Buffer.concat([PDF, Buffer.from(`\n% ${randomUUID()}\n`)]);
const pngUpload = () => multipart([{ name: 'file', filename: 'shot.png', content: PNG }]);
const pdfUpload = () =>
  multipart([{ name: 'file', filename: 'licence.pdf', content: uniquePdf() }]);

function homeworkBody(): Record<string, unknown> {
  return {
    studentId: `s-${randomUUID().slice(0, 8)}`,
    studentName: '韩梅梅',
    chapter: '02_进阶篇',
    articleUrl: `https://mp.weixin.qq.com/s/${randomUUID()}`,
  };
}

const range = '?from=2026-11-01&to=2026-11-20';
/** Months the settlement rows use: proposed in `beforeAll`, each approved at most once. */
const READ_MONTH = '2026-09';
/** The timesheet week the actuals rows read and write (test time is its Saturday). */
const ACTUALS_MONDAY = '2026-11-16';
/** Who keeps a timesheet: the platform's staff, not institution users. */
const TEAM_MEMBERS: readonly Caller[] = ['assistant', 'reviewer', 'ops_manager', 'ta', 'mentor'];
const APPROVE_MONTH = '2026-08';

const supportConversation = (messageText = '课程怎么开发票？') => ({
  customer: { name: '陈思远' },
  messages: [
    { id: 'q1', author: 'customer', text: messageText, sentAt: '2026-11-20T10:00:00+08:00' },
  ],
});

const ROUTES: Readonly<Record<string, readonly Variant[]>> = {
  'GET /auth/me': [
    { state: '', arrange: () => Promise.resolve({ url: '/auth/me' }), expected: everyone(200) },
  ],

  // Sync: every signed-in member syncs; what each may do and see is the push table
  // (test/server/sync/authorization.test.ts) and the redaction tests, not the route's status.
  'POST /sync/v1/push': [
    {
      state: '',
      arrange: () =>
        Promise.resolve({
          url: '/sync/v1/push',
          body: {
            protocol: 1,
            clientId: randomUUID(),
            mutations: [
              {
                seq: 1,
                mutationId: randomUUID(),
                name: 'release',
                v: 1,
                args: { itemId: randomUUID() },
              },
            ],
          },
        }),
      expected: everyone(200),
    },
  ],
  'POST /sync/v1/pull': [
    {
      state: '',
      arrange: () =>
        Promise.resolve({
          url: '/sync/v1/pull',
          body: { protocol: 1, clientId: randomUUID(), cursor: null, limit: 1 },
        }),
      expected: everyone(200),
    },
  ],
  'POST /sync/v1/items': [
    {
      state: '',
      arrange: async () => ({
        url: '/sync/v1/items',
        body: { protocol: 1, itemIds: [(await sharedPending()).itemId] },
      }),
      expected: everyone(200),
    },
  ],
  'GET /sync/v1/events': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: '/sync/v1/events', stream: true }),
      expected: everyone(200),
    },
  ],

  // Listings. Submitters create in their own institution whatever they name; assistants name one.
  'POST /api/v1/listings': [
    {
      state: '',
      arrange: () =>
        Promise.resolve({
          url: '/api/v1/listings',
          body: { institutionId: TEST_INSTITUTION_ID, document: listingDocument() },
        }),
      expected: only(['submitter', 'assistant', 'submitter@other'], 201),
    },
  ],
  'GET /api/v1/listings/:id': [
    {
      state: 'draft',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedDraft()}` }),
      expected: only(LISTING_INSIDERS, 200),
    },
    {
      state: 'submitted',
      arrange: async () => ({ url: `/api/v1/listings/${(await sharedPending()).listingId}` }),
      expected: only(LISTING_INSIDERS, 200),
    },
    {
      state: 'rejected',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedRejected()}` }),
      expected: only(LISTING_INSIDERS, 200),
    },
    {
      state: 'live',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedLive()}` }),
      expected: everyone(200),
    },
    {
      // Outsiders get the live revision only (checked in test/server/listings/routes.test.ts).
      state: 'live, update in progress',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedLiveWithUpdate()}` }),
      expected: everyone(200),
    },
    {
      state: 'taken offline',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedOffline()}` }),
      expected: only(LISTING_INSIDERS, 200),
    },
  ],
  'PUT /api/v1/listings/:id/draft': [
    {
      state: 'draft',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.draft()}/draft`,
        body: listingDocument('改过的名称'),
      }),
      expected: only(DRAFT_AUTHORS, 200),
    },
    {
      // A collaborator of the institution reads every draft of it, edits only those invited to.
      state: 'draft, collaborator not invited',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.uninvitedDraft()}/draft`,
        body: listingDocument('改过的名称'),
      }),
      expected: except(only(DRAFT_AUTHORS, 200), { collaborator: 403 }),
    },
    {
      // Nobody edits what is under review: the submitter withdraws first (409 for the authors).
      state: 'submitted',
      arrange: async () => ({
        url: `/api/v1/listings/${(await fixtures.pending()).listingId}/draft`,
        body: listingDocument('改过的名称'),
      }),
      expected: only(DRAFT_AUTHORS, 409),
    },
    {
      // 「修正后重新提交」: the submitter's own work; the other authors are told it is not editable.
      state: 'rejected',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.rejected()}/draft`,
        body: listingDocument('改过的名称'),
      }),
      expected: except(only(DRAFT_AUTHORS, 409), { submitter: 200 }),
    },
    {
      state: 'live',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.live()}/draft`,
        body: listingDocument('改过的名称'),
      }),
      expected: only(DRAFT_AUTHORS, 409),
    },
    {
      state: 'live, update in progress',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.liveWithUpdate()}/draft`,
        body: listingDocument('改过的名称'),
      }),
      expected: only(DRAFT_AUTHORS, 200),
    },
  ],
  'POST /api/v1/listings/:id/submit': [
    {
      // Collaborators and assistants prepare drafts; only the submitter submits them.
      state: 'draft',
      arrange: async () => ({ url: `/api/v1/listings/${await fixtures.draft()}/submit` }),
      expected: only(['submitter'], 200),
    },
    {
      state: 'submitted',
      arrange: async () => ({
        url: `/api/v1/listings/${(await fixtures.pending()).listingId}/submit`,
      }),
      expected: only(DRAFT_AUTHORS, 409),
    },
    {
      state: 'rejected',
      arrange: async () => ({ url: `/api/v1/listings/${await fixtures.rejected()}/submit` }),
      expected: only(['submitter'], 200),
    },
    {
      state: 'live, update in progress',
      arrange: async () => ({ url: `/api/v1/listings/${await fixtures.liveWithUpdate()}/submit` }),
      expected: only(['submitter'], 200),
    },
  ],
  // Reminders: each user reads their own; a reminder id that is not yours is unknown to you.
  'GET /api/v1/reminders': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: '/api/v1/reminders' }),
      expected: everyone(200),
    },
  ],
  'POST /api/v1/reminders/:id/read': [
    {
      state: "submitter1's reminder",
      arrange: async () => ({ url: `/api/v1/reminders/${await fixtures.reminder()}/read` }),
      // The test institution's submitter is the owner of the draft reminded of.
      expected: except(everyone(404), { submitter: 200 }),
    },
  ],
  'GET /api/v1/ops/reminders': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: '/api/v1/ops/reminders' }),
      expected: only(['ops_manager'], 200),
    },
  ],
  // Assisted entry: assistants and collaborators send a draft; the institution's submitter answers.
  'POST /api/v1/listings/:id/confirmation': [
    {
      state: 'draft',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.draft()}/confirmation`,
        body: { message: '请确认' },
      }),
      expected: only(['assistant', 'collaborator'], 201),
    },
  ],
  'POST /api/v1/listings/:id/confirmation/confirm': [
    {
      state: 'sent for confirmation',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.awaitingConfirmation()}/confirmation/confirm`,
      }),
      expected: only(['submitter'], 200),
    },
    {
      state: 'nothing sent',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.draft()}/confirmation/confirm`,
      }),
      expected: except(everyone(403), { submitter: 409 }),
    },
  ],
  'POST /api/v1/listings/:id/confirmation/return': [
    {
      state: 'sent for confirmation',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.awaitingConfirmation()}/confirmation/return`,
        body: { comment: '价格有误' },
      }),
      expected: only(['submitter'], 200),
    },
  ],
  // Versions read like the listing: insiders every revision, everyone a live one's live version.
  'GET /api/v1/listings/:id/versions': [
    {
      state: 'draft',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedDraft()}/versions` }),
      expected: only(LISTING_INSIDERS, 200),
    },
    {
      state: 'live',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedLive()}/versions` }),
      expected: everyone(200),
    },
  ],
  'GET /api/v1/listings/:id/versions/:number': [
    {
      state: 'draft',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedDraft()}/versions/1` }),
      expected: only(LISTING_INSIDERS, 200),
    },
    {
      state: 'live',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedLive()}/versions/1` }),
      expected: everyone(200),
    },
  ],
  // What waits for the caller's confirmation (or came back to them): everyone gets their own list.
  'GET /api/v1/listings/confirmations': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: '/api/v1/listings/confirmations' }),
      expected: everyone(200),
    },
  ],
  // Collaborators of one listing: its owner invites and removes them; its insiders read the list
  // and the operation history.
  'GET /api/v1/listings/:id/collaborators': [
    {
      state: 'draft',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedDraft()}/collaborators` }),
      expected: only(LISTING_INSIDERS, 200),
    },
  ],
  'POST /api/v1/listings/:id/collaborators': [
    {
      // Only the owner (submitter1 created it): the other authors and the staff are refused.
      state: 'draft',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.uninvitedDraft()}/collaborators`,
        body: { userId: await server.userId('collaborator1') },
      }),
      expected: only(['submitter'], 201),
    },
  ],
  'DELETE /api/v1/listings/:id/collaborators/:userId': [
    {
      state: 'draft, collaborator invited',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.draft()}/collaborators/${await server.userId('collaborator1')}`,
      }),
      expected: only(['submitter'], 204),
    },
  ],
  'GET /api/v1/listings/:id/operations': [
    {
      state: 'draft',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedDraft()}/operations` }),
      expected: only(LISTING_INSIDERS, 200),
    },
    {
      // The history of a live listing is its work in progress too: not the market's to read.
      state: 'live',
      arrange: async () => ({ url: `/api/v1/listings/${await sharedLive()}/operations` }),
      expected: only(LISTING_INSIDERS, 200),
    },
  ],
  'POST /api/v1/listings/:id/withdraw': [
    {
      state: 'submitted',
      arrange: async () => ({
        url: `/api/v1/listings/${(await fixtures.pending()).listingId}/withdraw`,
      }),
      expected: only(['submitter'], 200),
    },
    {
      state: 'draft',
      arrange: async () => ({ url: `/api/v1/listings/${await fixtures.draft()}/withdraw` }),
      expected: except(everyone(403), { submitter: 409 }),
    },
  ],
  'POST /api/v1/listings/:id/update': [
    {
      state: 'live',
      arrange: async () => ({ url: `/api/v1/listings/${await fixtures.live()}/update` }),
      expected: only(['submitter'], 200),
    },
    {
      state: 'draft',
      arrange: async () => ({ url: `/api/v1/listings/${await fixtures.draft()}/update` }),
      expected: only(DRAFT_AUTHORS, 409),
    },
  ],

  // Credential files: the listing's institution and the listing staff; never TAs or mentors.
  'POST /api/v1/listings/:id/files': [
    {
      state: 'draft',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.draft()}/files`,
        upload: pdfUpload(),
      }),
      expected: only(DRAFT_AUTHORS, 201),
    },
    {
      state: 'submitted',
      arrange: async () => ({
        url: `/api/v1/listings/${(await fixtures.pending()).listingId}/files`,
        upload: pdfUpload(),
      }),
      expected: everyone(403),
    },
    {
      state: 'rejected',
      arrange: async () => ({
        url: `/api/v1/listings/${await fixtures.rejected()}/files`,
        upload: pdfUpload(),
      }),
      expected: only(['submitter'], 201),
    },
    {
      // A renewed licence may be added to a live listing by its authors.
      state: 'live',
      arrange: async () => ({
        url: `/api/v1/listings/${await sharedLive()}/files`,
        upload: pdfUpload(),
      }),
      expected: only(DRAFT_AUTHORS, 201),
    },
  ],
  'GET /api/v1/files/:fileId': [
    {
      state: 'credential file, draft listing',
      arrange: async () => ({ url: `/api/v1/files/${await sharedDraftFile()}` }),
      expected: only(LISTING_INSIDERS, 200),
    },
    {
      state: 'credential file, live listing',
      arrange: async () => ({ url: `/api/v1/files/${await sharedLiveFile()}` }),
      expected: only(LISTING_INSIDERS, 200),
    },
    {
      state: 'homework screenshot',
      arrange: async () => ({ url: `/api/v1/files/${await sharedScreenshot()}` }),
      expected: only(['ta', 'mentor', 'ops_manager'], 200),
    },
  ],

  // Homework intake and the roster: the course operations team.
  'POST /api/v1/homework': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: '/api/v1/homework', body: homeworkBody() }),
      expected: only(HOMEWORK_INTAKE, 201),
    },
  ],
  'PUT /api/v1/homework/:id': [
    {
      state: '',
      arrange: async () => ({
        url: `/api/v1/homework/${await sharedScreenshotSubmission()}`,
        body: { articleUrl: `https://mp.weixin.qq.com/s/${randomUUID()}` },
      }),
      expected: only(HOMEWORK_INTAKE, 200),
    },
  ],
  'POST /api/v1/homework/:id/files': [
    {
      state: '',
      arrange: async () => ({
        url: `/api/v1/homework/${await fixtures.homework()}/files`,
        upload: pngUpload(),
      }),
      expected: only(HOMEWORK_INTAKE, 201),
    },
  ],
  'PUT /api/v1/students/:studentId': [
    {
      state: '',
      arrange: () =>
        Promise.resolve({
          url: `/api/v1/students/s-${randomUUID().slice(0, 8)}`,
          body: { name: '李雷', joinedAt: '2026-09-01T08:00:00+08:00' },
        }),
      expected: only(HOMEWORK_INTAKE, 201),
    },
  ],

  // The ops console and the commission settlement: ops managers only.
  'GET /api/v1/ops/kpis': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: `/api/v1/ops/kpis${range}` }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'GET /api/v1/ops/health': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: `/api/v1/ops/health${range}` }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'GET /api/v1/ops/board': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: `/api/v1/ops/board${range}` }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'GET /api/v1/ops/alerts': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: '/api/v1/ops/alerts' }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'POST /api/v1/ops/alerts/:id/acknowledge': [
    {
      state: '',
      arrange: async () => ({ url: `/api/v1/ops/alerts/${await fixtures.alert()}/acknowledge` }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'PUT /api/v1/course/members/:id': [
    {
      state: '',
      arrange: () =>
        Promise.resolve({
          url: `/api/v1/course/members/m-${randomUUID().slice(0, 8)}`,
          body: { name: '王芳', paying: true, referrerId: null },
        }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'PUT /api/v1/course/orders/:id': [
    {
      state: '',
      arrange: () =>
        Promise.resolve({
          url: `/api/v1/course/orders/o-${randomUUID().slice(0, 8)}`,
          body: { buyerId: 'm-1', amount: '1999.00', paidAt: '2026-10-03T10:00:00+08:00' },
        }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'PUT /api/v1/support/conversations/:id': [
    {
      state: '',
      arrange: () =>
        Promise.resolve({
          url: `/api/v1/support/conversations/CS-${randomUUID().slice(0, 8)}`,
          body: supportConversation(),
        }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'GET /api/v1/support/conversations/:id': [
    {
      state: '',
      arrange: async () => {
        const url = `/api/v1/support/conversations/CS-${randomUUID().slice(0, 8)}`;
        const put = await server.as('ops1', 'PUT', url, supportConversation());
        expect(put.statusCode, put.body).toBe(200);
        return { url };
      },
      expected: only(['ops_manager'], 200),
    },
  ],
  'POST /api/v1/ops/settlements': [
    {
      state: '',
      arrange: () =>
        Promise.resolve({ url: '/api/v1/ops/settlements', body: { month: '2026-10' } }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'GET /api/v1/ops/settlements/:month': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: `/api/v1/ops/settlements/${READ_MONTH}` }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'POST /api/v1/ops/settlements/:month/approve': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: `/api/v1/ops/settlements/${APPROVE_MONTH}/approve` }),
      expected: only(['ops_manager'], 200),
    },
  ],

  // Team actuals (shared/ops/actuals.ts): staff keep their own timesheet; ops managers read and
  // correct everyone's, manage projects, close months and read the report.
  'GET /api/v1/actuals/projects': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: '/api/v1/actuals/projects' }),
      expected: only(TEAM_MEMBERS, 200),
    },
  ],
  'POST /api/v1/actuals/projects': [
    {
      state: '',
      arrange: () =>
        Promise.resolve({
          url: '/api/v1/actuals/projects',
          body: { name: `项目-${randomUUID().slice(0, 8)}`, type: 'billable' },
        }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'POST /api/v1/actuals/projects/:id': [
    {
      state: '',
      arrange: async () => ({
        url: `/api/v1/actuals/projects/${await sharedProject()}`,
        body: { name: '授权测试项目', type: 'support', active: true },
      }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'GET /api/v1/actuals/weeks/:monday': [
    {
      state: 'own',
      arrange: () => Promise.resolve({ url: `/api/v1/actuals/weeks/${ACTUALS_MONDAY}` }),
      expected: only(TEAM_MEMBERS, 200),
    },
    {
      state: "another member's",
      arrange: async () => ({
        url: `/api/v1/actuals/weeks/${ACTUALS_MONDAY}?memberId=${await server.userId('reviewer2')}`,
      }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'POST /api/v1/actuals/weeks/:monday': [
    {
      state: 'own',
      arrange: async () => ({
        url: `/api/v1/actuals/weeks/${ACTUALS_MONDAY}`,
        body: { cells: [{ projectId: await sharedProject(), day: ACTUALS_MONDAY, hours: 1 }] },
      }),
      expected: only(TEAM_MEMBERS, 200),
    },
    {
      state: "another member's",
      arrange: async () => ({
        url: `/api/v1/actuals/weeks/${ACTUALS_MONDAY}`,
        body: {
          memberId: await server.userId('reviewer2'),
          cells: [{ projectId: await sharedProject(), day: ACTUALS_MONDAY, hours: 2 }],
          reason: '核对更正',
        },
      }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'POST /api/v1/actuals/months/:month': [
    {
      state: '',
      arrange: () =>
        Promise.resolve({ url: '/api/v1/actuals/months/2026-10', body: { closed: true } }),
      expected: only(['ops_manager'], 200),
    },
  ],
  'GET /api/v1/actuals/report': [
    {
      state: '',
      arrange: () => Promise.resolve({ url: `/api/v1/actuals/report${range}` }),
      expected: only(['ops_manager'], 200),
    },
  ],
};

/** The submission the homework rows change (a new evidence version or screenshot each time). */
const sharedScreenshotSubmission = once(fixtures.homework);
/** The project the actuals rows write hours on. */
const sharedProject = once(async () => {
  const response = await server.as('ops1', 'POST', '/api/v1/actuals/projects', {
    name: '授权测试项目',
    type: 'support',
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ id: string }>().id;
});

/**
 * Routes without a row per caller, and why. Every one of them must exist (so this list cannot
 * go stale), and nothing else may be missing from the table.
 */
const PUBLIC_ROUTES: Readonly<Record<string, string>> = {
  'GET /health': 'liveness probe for load balancers; says nothing but "ok" and the version',
  'GET /docs/json': 'the OpenAPI description; the same for everyone',
  'POST /auth/login': 'takes credentials; its lockout is tested in test/server/auth/routes.test.ts',
  'POST /auth/refresh': 'takes a refresh token; see "sessions" below',
  'POST /auth/logout': 'takes a refresh token; see "sessions" below',
  'OPTIONS *': 'CORS preflight (@fastify/cors); see "grants other origins nothing" below',
};

// ── Sending ─────────────────────────────────────────────────────────────────────────────────

const otherTokens = new Map<Caller, string>();

async function tokenOf(caller: Caller): Promise<string> {
  if (caller === 'submitter@other' || caller === 'collaborator@other') {
    const token = otherTokens.get(caller);
    if (token === undefined) {
      throw new Error(`${caller} has not signed in`);
    }
    return token;
  }
  return server.token(USER_OF_ROLE[caller]);
}

async function send(
  method: string,
  call: Call,
  token: string | null,
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> =
    token === null ? {} : { authorization: `Bearer ${token}` };
  if (call.upload !== undefined) {
    headers['content-type'] = call.upload.contentType;
  }
  const response = await server.app.inject({
    method: method as 'GET',
    url: call.url,
    headers,
    ...(call.upload !== undefined
      ? { payload: call.upload.payload }
      : call.body === undefined
        ? {}
        : { payload: call.body as Record<string, unknown> }),
    ...(call.stream === true ? { payloadAsStream: true } : {}),
  });
  if (call.stream === true) {
    // The stream stays open until the app closes (its preClose hook ends every stream).
    response.stream().destroy();
  }
  return response;
}

const routeKey = (key: string) => {
  const [method = '', url = ''] = key.split(' ');
  return { method, url };
};

const describeState = (state: string, caller: string) =>
  state === '' ? caller : `${caller} (${state})`;

// ── The tests ───────────────────────────────────────────────────────────────────────────────

beforeAll(async () => {
  server = await createTestServer();
  // A genuine token that the clock then moves past (access tokens live 15 minutes).
  const expired = await server.token('reviewer1');
  server.clock.advance(16 * 60_000);
  const reviewer = { id: await server.userId('reviewer1'), role: 'reviewer' as const };
  const [header, , signature] = (await issueAccessToken(server.ctx, reviewer)).split('.');
  const claims = {
    sub: await server.userId('ops1'),
    role: 'ops_manager',
    iss: 'review-desk',
    aud: 'review-desk-workstation',
    iat: Math.floor(server.clock.now() / 1000),
    exp: Math.floor(server.clock.now() / 1000) + 600,
  };
  tokenOfState.set('anonymous', null);
  tokenOfState.set(
    'forged signature',
    await issueAccessToken({ ...server.ctx, tokenKey: randomBytes(32) }, reviewer),
  );
  // A reviewer's signature under claims rewritten to an ops manager's.
  tokenOfState.set(
    'forged claims',
    `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`,
  );
  // The same claims "signed" with alg none (RFC 7519 §6): no signature at all.
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  tokenOfState.set(
    'unsigned token',
    `${none}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`,
  );
  tokenOfState.set('expired token', expired);
  // A token issued before the account was deactivated (inactive1 cannot sign in any more).
  tokenOfState.set(
    'deactivated user',
    await issueAccessToken(server.ctx, { id: await server.userId('inactive1'), role: 'reviewer' }),
  );

  for (const [caller, { username, role }] of Object.entries(OTHER_INSTITUTION_USERS)) {
    await server.db.transaction((tx) =>
      createUser(
        tx,
        {
          username,
          displayName: username,
          role,
          password: TEST_PASSWORD,
          institutionId: OTHER_INSTITUTION_ID,
        },
        server.clock.now(),
      ),
    );
    const login = await server.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username, password: TEST_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    otherTokens.set(caller as Caller, login.json<{ accessToken: string }>().accessToken);
  }
  for (const month of [READ_MONTH, APPROVE_MONTH]) {
    const proposed = await server.as('ops1', 'POST', '/api/v1/ops/settlements', { month });
    expect(proposed.statusCode, proposed.body).toBe(200);
  }
});
afterAll(async () => {
  await server.close();
});

const callerRows = Object.entries(ROUTES).flatMap(([key, variants]) =>
  variants.flatMap((variant) =>
    CALLERS.map((caller) => ({
      title: `${key} as ${describeState(variant.state, caller)} → ${variant.expected[caller]}`,
      method: routeKey(key).method,
      variant,
      caller,
    })),
  ),
);
/**
 * Fastify answers HEAD with the GET route's handler: the same decisions, without a body. One
 * variant per route (the first) shows that the HEAD door is no way around them; not for the
 * event stream, which has no HEAD use.
 */
const headRows = Object.entries(ROUTES)
  .filter(([key]) => key.startsWith('GET ') && key !== 'GET /sync/v1/events')
  .flatMap(([key, variants]) => {
    const variant = variants[0]!;
    const head = key.replace(/^GET /, 'HEAD ');
    return CALLERS.map((caller) => ({
      title: `${head} as ${describeState(variant.state, caller)} → ${variant.expected[caller]}`,
      method: 'HEAD',
      variant,
      caller,
    }));
  });
const tokenRows = Object.entries(ROUTES).flatMap(([key, variants]) =>
  TOKEN_STATES.map((state) => ({
    title: `${key} with ${describeState(variants[0]?.state ?? '', state)} → 401`,
    method: routeKey(key).method,
    variant: variants[0]!,
    state,
  })),
);

describe('route × caller × state', () => {
  it('covers every registered route, every caller and every token state', () => {
    const routes = [...registered].filter((key) => !key.startsWith('HEAD '));
    for (const key of Object.keys(PUBLIC_ROUTES)) {
      expect(routes, `public route ${key} is not registered any more`).toContain(key);
    }
    const needingRows = routes.filter((key) => !(key in PUBLIC_ROUTES)).sort();
    expect(Object.keys(ROUTES).sort()).toEqual(needingRows);
    // Every HEAD route is a GET route's twin (Fastify's exposeHeadRoutes), covered through it.
    const heads = [...registered].filter((key) => key.startsWith('HEAD '));
    expect(
      heads.map((key) => key.replace(/^HEAD /, 'GET ')).filter((key) => !routes.includes(key)),
    ).toEqual([]);
    // Counted by hand from the table: 26 routes with 45 variants (7 routes with several:
    // listing read 6, draft 5 (6 below), submit 4, withdraw 2, update 2, upload 4, download 3), so
    // 45 × 9 callers, 26 × 6 token states, and 8 GET routes (not the stream) × 9 callers by HEAD;
    // team actuals add 7 routes with 9 variants (week read 2, week save 2), 3 of them GET;
    // escalations add 2 routes (put and read a conversation), 1 of them GET; alert
    // acknowledgement, assisted entry's confirmation (send, confirm 2, return) and the reminders
    // (mine, read, ops) add 7 routes with 8 variants, 2 of them GET; listing versions (list,
    // one version: draft and live each) and the confirmation list add 3 GET routes, 5 variants;
    // a listing's collaborators (list, invite, remove) and its operation history (draft, live)
    // add 4 routes with 5 variants, 2 of them GET, and the draft route a sixth variant (a
    // collaborator not invited).
    expect(needingRows).toHaveLength(26 + 7 + 2 + 7 + 3 + 4);
    expect(callerRows).toHaveLength((45 + 9 + 2 + 8 + 5 + 6) * CALLERS.length);
    expect(tokenRows).toHaveLength((26 + 7 + 2 + 7 + 3 + 4) * TOKEN_STATES.length);
    expect(headRows).toHaveLength((8 + 3 + 1 + 2 + 3 + 2) * CALLERS.length);
  });

  // Titled by `%s` of the title itself: `$title` would quote it and cut it at 40 characters.
  const titled = <T extends { title: string }>(rows: readonly T[]) =>
    rows.map((row) => [row.title, row] as const);

  it.each(titled([...callerRows, ...headRows]))('%s', async (_, { method, variant, caller }) => {
    const call = await variant.arrange();
    const before = await currentSpaceVersion(server.db);
    const response = await send(method, call, await tokenOf(caller));
    const expected = variant.expected[caller];
    expect(response.statusCode, call.stream === true ? '' : response.body).toBe(expected);
    if (expected >= 400) {
      // A refusal changes nothing the workstations mirror (its transaction never commits).
      expect(await currentSpaceVersion(server.db)).toBe(before);
    }
  });

  it.each(titled(tokenRows))('%s', async (_, { method, variant, state }) => {
    const call = await variant.arrange();
    const before = await currentSpaceVersion(server.db);
    const response = await send(method, call, tokenOfState.get(state) ?? null);
    expect(response.statusCode, call.stream === true ? '' : response.body).toBe(401);
    if (call.stream !== true && method !== 'HEAD') {
      expect(response.json<{ error: { code: string } }>().error.code).toBe(CODE_OF_STATE[state]);
    }
    expect(await currentSpaceVersion(server.db)).toBe(before);
  });

  it.each(Object.keys(PUBLIC_ROUTES).filter((key) => key.startsWith('GET ')))(
    '%s answers anonymous callers',
    async (key) => {
      const response = await send('GET', { url: routeKey(key).url }, null);
      expect(response.statusCode).toBe(200);
    },
  );

  it('grants other origins nothing, and no origin the refresh cookie header', async () => {
    const preflight = (origin: string, headers: string) =>
      server.app.inject({
        method: 'OPTIONS',
        url: '/auth/refresh',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': headers,
        },
      });
    const foreign = await preflight('https://evil.example', 'authorization');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
    // The desktop app's origin may send a bearer token, but never ask for the cookie: only a
    // page of the server's own origin (no preflight) can, so no other site makes a browser
    // present the refresh cookie (see REFRESH_TRANSPORT_HEADER in server/src/auth/routes.ts).
    const desktop = await preflight('app://reviewdesk', 'authorization, x-review-desk-refresh');
    expect(desktop.headers['access-control-allow-origin']).toBe('app://reviewdesk');
    const allowed = String(desktop.headers['access-control-allow-headers']).split(/,\s*/);
    expect(allowed).toContain('authorization');
    expect(allowed).not.toContain('x-review-desk-refresh');
  });

  it('hands an institution’s item rows to nobody outside it', async () => {
    const { itemId } = await sharedPending();
    const seen = async (caller: Caller) => {
      const response = await send(
        'POST',
        { url: '/sync/v1/items', body: { protocol: 1, itemIds: [itemId] } },
        await tokenOf(caller),
      );
      return response.json<{ itemIds: string[] }>().itemIds;
    };
    expect(await seen('reviewer')).toEqual([itemId]);
    expect(await seen('submitter@other')).toEqual([]);
    expect(await seen('collaborator@other')).toEqual([]);
    expect(await seen('ta')).toEqual([]);
  });

  it('creates a submitter’s listing in their own institution, whatever the body names', async () => {
    const created = await server.app.inject({
      method: 'POST',
      url: '/api/v1/listings',
      headers: { authorization: `Bearer ${await tokenOf('submitter@other')}` },
      payload: { institutionId: TEST_INSTITUTION_ID, document: listingDocument() },
    });
    expect(created.statusCode, created.body).toBe(201);
    const [row] = await server.db.query<{ institution_id: string }>(
      'SELECT institution_id FROM listings WHERE id = $1',
      [created.json<{ id: string }>().id],
    );
    expect(row).toEqual({ institution_id: OTHER_INSTITUTION_ID });
  });
});

// ── Sessions ────────────────────────────────────────────────────────────────────────────────

describe('sessions', () => {
  async function signIn(username = 'reviewer2'): Promise<string> {
    const login = await server.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username, password: TEST_PASSWORD },
    });
    expect(login.statusCode, login.body).toBe(200);
    return login.json<{ refreshToken: string }>().refreshToken;
  }
  const refresh = (refreshToken: string) =>
    server.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
  const codeOf = (response: LightMyRequestResponse) =>
    response.json<{ error: { code: string } }>().error.code;

  it('ends the whole session when a refresh token is used twice', async () => {
    const first = await signIn();
    const rotated = await refresh(first);
    expect(rotated.statusCode, rotated.body).toBe(200);
    const successor = rotated.json<{ refreshToken: string }>().refreshToken;

    const reused = await refresh(first);
    expect([reused.statusCode, codeOf(reused)]).toEqual([401, 'REFRESH_REUSED']);
    // The successor was never used, but its session is over: whoever copied the token loses it.
    const afterReuse = await refresh(successor);
    expect([afterReuse.statusCode, codeOf(afterReuse)]).toEqual([401, 'REFRESH_REVOKED']);
  });

  it('refuses a forged refresh token', async () => {
    const wellFormed = await refresh(randomBytes(32).toString('base64url'));
    expect([wellFormed.statusCode, codeOf(wellFormed)]).toEqual([401, 'REFRESH_INVALID']);
    const shortGarbage = await refresh('not-a-refresh-token');
    expect([shortGarbage.statusCode, codeOf(shortGarbage)]).toEqual([401, 'REFRESH_INVALID']);
    // An access token is no refresh token (it is too long to be one: refused as malformed).
    const accessToken = await refresh(await server.token('reviewer2'));
    expect([accessToken.statusCode, codeOf(accessToken)]).toEqual([400, 'VALIDATION']);
  });

  it('refuses the refresh token of a session that was signed out', async () => {
    const refreshToken = await signIn();
    const logout = await server.app.inject({
      method: 'POST',
      url: '/auth/logout',
      payload: { refreshToken },
    });
    expect(logout.statusCode).toBe(204);
    const after = await refresh(refreshToken);
    expect([after.statusCode, codeOf(after)]).toEqual([401, 'REFRESH_REVOKED']);
  });

  it('ends the sessions of a deactivated member for good', async () => {
    await server.db.transaction((tx) =>
      createUser(
        tx,
        {
          username: 'reviewer-x3',
          displayName: 'reviewer-x3',
          role: 'reviewer',
          password: TEST_PASSWORD,
          institutionId: null,
        },
        server.clock.now(),
      ),
    );
    const refreshToken = await signIn('reviewer-x3');
    await server.db.query(`UPDATE users SET active = false WHERE username = 'reviewer-x3'`);
    const inactive = await refresh(refreshToken);
    expect([inactive.statusCode, codeOf(inactive)]).toEqual([403, 'USER_INACTIVE']);
    // Reactivation does not bring the old session back: they sign in again.
    await server.db.query(`UPDATE users SET active = true WHERE username = 'reviewer-x3'`);
    const reactivated = await refresh(refreshToken);
    expect([reactivated.statusCode, codeOf(reactivated)]).toEqual([401, 'REFRESH_REVOKED']);
  });

  // Last: it moves the clock past every token's lifetime.
  it('refuses a refresh token past its 30 days', async () => {
    const refreshToken = await signIn();
    server.clock.advance(30 * 24 * 3_600_000);
    const expired = await refresh(refreshToken);
    expect([expired.statusCode, codeOf(expired)]).toEqual([401, 'REFRESH_EXPIRED']);
  });
});
