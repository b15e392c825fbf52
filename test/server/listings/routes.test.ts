import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../server/src/auth/users';
import { MAX_DOCUMENT_DEPTH } from '../../../server/src/listings/documentStorage';
import {
  createTestServer,
  OTHER_INSTITUTION_ID,
  TEST_INSTITUTION_ID,
  TEST_PASSWORD,
  type TestServer,
  type TestUsername,
} from '../harness';
import { listingDocument, submitNewListing, TestSyncClient } from '../sync/client';
import { inviteCollaborator } from './invite';

/**
 * The submitter API (`/api/v1/listings…`): the listing lifecycle as institutions drive it, the
 * reviewers' side through sync, and what the routes do with bad input and bad tokens. One server
 * for the file; every test makes its own listings and compares database state before and after.
 */

let server: TestServer;
/** A submitter of OTHER_INSTITUTION_ID (the harness seeds none). */
const OTHER_SUBMITTER = 'othersubmitter';

beforeAll(async () => {
  server = await createTestServer();
  await server.db.transaction((tx) =>
    createUser(
      tx,
      {
        username: OTHER_SUBMITTER,
        displayName: '上海远航 提交人',
        role: 'submitter',
        password: TEST_PASSWORD,
        institutionId: OTHER_INSTITUTION_ID,
      },
      server.clock.now(),
    ),
  );
});
afterAll(async () => {
  await server.close();
});

// ── Helpers ──────────────────────────────────────────────────────────────────────────────────

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Document = Record<string, unknown>;

interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: Record<string, unknown>;
  };
}

interface Issue {
  readonly path: (string | number)[];
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly params?: Record<string, string | number>;
}

interface ListingView {
  readonly id: string;
  readonly state: string;
  readonly institutionId: string;
  readonly currentRevisionId: string | null;
  readonly liveRevisionId: string | null;
  readonly document: Document | null;
  readonly revisions: {
    readonly id: string;
    readonly number: number;
    readonly state: string;
    readonly submittedAt: string | null;
    readonly decidedAt: string | null;
  }[];
}

/** Asserts status and error code (the body is in the failure message) and returns the error. */
function expectError(
  response: LightMyRequestResponse,
  status: number,
  code: string,
): ErrorBody['error'] {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<ErrorBody>();
  expect(body.error.code, response.body).toBe(code);
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

function expectOk(response: LightMyRequestResponse, status = 200): void {
  expect(response.statusCode, response.body).toBe(status);
}

const tokens = new Map<string, { token: string; at: number }>();

/** Access token of the other institution's submitter (cached like the harness does). */
async function otherToken(): Promise<string> {
  const cached = tokens.get(OTHER_SUBMITTER);
  if (cached !== undefined && server.clock.now() - cached.at < 5 * 60_000) {
    return cached.token;
  }
  const response = await server.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username: OTHER_SUBMITTER, password: TEST_PASSWORD },
  });
  expectOk(response);
  const { accessToken } = response.json<{ accessToken: string }>();
  tokens.set(OTHER_SUBMITTER, { token: accessToken, at: server.clock.now() });
  return accessToken;
}

function withToken(
  token: string | null,
  method: Method,
  url: string,
  options: { payload?: string | object; contentType?: string } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (token !== null) {
    headers['authorization'] = `Bearer ${token}`;
  }
  if (options.contentType !== undefined) {
    headers['content-type'] = options.contentType;
  }
  return server.app.inject({
    method,
    url,
    headers,
    ...(options.payload === undefined ? {} : { payload: options.payload }),
  });
}

async function asOther(
  method: Method,
  url: string,
  body?: object,
): Promise<LightMyRequestResponse> {
  return withToken(await otherToken(), method, url, body === undefined ? {} : { payload: body });
}

/** Creates a draft as `username` (submitter1 by default) and returns its ids. */
async function createDraft(
  document?: Document,
  username: TestUsername = 'submitter1',
): Promise<{ id: string; revisionId: string }> {
  const response = await server.as(
    username,
    'POST',
    '/api/v1/listings',
    document === undefined ? {} : { document },
  );
  expectOk(response, 201);
  return response.json<{ id: string; revisionId: string }>();
}

/**
 * A live document as outsiders (another institution, TAs, mentors) get it: the redaction policy
 * hides the credential list (licence data); the fixture's text has no ID or phone number to mask.
 */
function marketView(document: Document): Document {
  const shown = structuredClone(document);
  (shown['credentials'] as Record<string, unknown>)['files'] = [];
  return shown;
}

async function getListing(id: string, username: TestUsername = 'submitter1'): Promise<ListingView> {
  const response = await server.as(username, 'GET', `/api/v1/listings/${id}`);
  expectOk(response);
  return response.json<ListingView>();
}

async function one<Row extends object>(sql: string, params: unknown[] = []): Promise<Row> {
  const [row] = await server.db.query<Row>(sql, params);
  if (row === undefined) {
    throw new Error(`no row for ${sql}`);
  }
  return row;
}

async function spaceVersion(): Promise<number> {
  const row = await one<{ version: number }>(
    `SELECT version FROM sync_space WHERE space_id = 'main'`,
  );
  return row.version;
}

interface ListingDbRow {
  readonly state: string;
  readonly institution_id: string;
  readonly owner_id: string;
  readonly current_revision_id: string | null;
  readonly live_revision_id: string | null;
  readonly name: string;
  readonly row_version: number;
}

function listingRow(id: string): Promise<ListingDbRow> {
  return one<ListingDbRow>(
    `SELECT state, institution_id, owner_id, current_revision_id, live_revision_id, name, row_version
       FROM listings WHERE id = $1`,
    [id],
  );
}

interface RevisionDbRow {
  readonly id: string;
  readonly number: number;
  readonly state: string;
  readonly document: Document;
  readonly name: string;
  readonly submitted_at: string | null;
  readonly decided_at: string | null;
  readonly row_version: number;
}

function revisionRows(listingId: string): Promise<RevisionDbRow[]> {
  return server.db.query<RevisionDbRow>(
    `SELECT id, number, state, document, name, submitted_at, decided_at, row_version
       FROM listing_revisions WHERE listing_id = $1 ORDER BY number`,
    [listingId],
  );
}

interface ItemDbRow {
  readonly id: string;
  readonly kind: string;
  readonly state: string;
  readonly revision_id: string | null;
  readonly supersedes_item_id: string | null;
}

function itemRows(listingId: string): Promise<ItemDbRow[]> {
  return server.db.query<ItemDbRow>(
    `SELECT id, kind, state, revision_id, supersedes_item_id
       FROM review_items WHERE subject_id = $1 ORDER BY created_at, row_version`,
    [listingId],
  );
}

interface AuditRow {
  readonly action: string;
  readonly from_state: string | null;
  readonly to_state: string | null;
  readonly actor: string | null;
}

/** The listing's own transitions (subject type `listing`), oldest first. */
function listingAudit(listingId: string): Promise<AuditRow[]> {
  return server.db.query<AuditRow>(
    `SELECT a.action, a.from_state, a.to_state, u.username AS actor
       FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.subject_type = 'listing' AND a.subject_id = $1
      ORDER BY a.at, a.row_version`,
    [listingId],
  );
}

const COUNTED_TABLES = [
  'users',
  'institutions',
  'listings',
  'listing_revisions',
  'review_items',
  'audit_events',
  'sync_space',
] as const;

async function tableCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    counts[table] = (await one<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)).n;
  }
  return counts;
}

/** Moves the server clock one second on, so that rows of successive steps order by time. */
function tick(): void {
  server.clock.advance(1000);
}

async function claim(itemId: string, username: TestUsername = 'reviewer1'): Promise<void> {
  const result = await new TestSyncClient(server, username).do('claim', { itemId });
  expect(result, JSON.stringify(result)).toMatchObject({ status: 'applied' });
}

async function approve(itemId: string): Promise<void> {
  const reviewer = new TestSyncClient(server, 'reviewer1');
  expect(await reviewer.do('claim', { itemId })).toMatchObject({ status: 'applied' });
  tick();
  const result = await reviewer.do('approve', { itemId });
  expect(result, JSON.stringify(result)).toMatchObject({ status: 'applied' });
}

async function reject(itemId: string): Promise<void> {
  const reviewer = new TestSyncClient(server, 'reviewer1');
  expect(await reviewer.do('claim', { itemId })).toMatchObject({ status: 'applied' });
  tick();
  const result = await reviewer.do('reject', {
    itemId,
    reasons: ['missing_material'],
    comments: [{ path: '/basic/name', reasonCode: 'missing_material', text: '请补充' }],
  });
  expect(result, JSON.stringify(result)).toMatchObject({ status: 'applied' });
}

/** A live listing of submitter1: created, submitted, approved. */
async function liveListing(name = '英国硕士申请旗舰包'): Promise<{
  listingId: string;
  itemId: string;
  revisionId: string;
}> {
  const submitted = await submitNewListing(server, name);
  tick();
  await approve(submitted.itemId);
  tick();
  return submitted;
}

function basicOf(document: Document): Record<string, unknown> {
  return document['basic'] as Record<string, unknown>;
}

/** The minimal draft of the fixtures: provider and a name, nothing else. */
const MINIMAL_DRAFT: Document = {
  schemaVersion: 1,
  provider: { kind: 'tutor', id: 'tutor_0042', name: '王老师' },
  basic: { name: '德语 A1 保过营' },
};

// ── Create ───────────────────────────────────────────────────────────────────────────────────

describe('POST /api/v1/listings', () => {
  it('creates a draft for the submitter’s institution, audited, and bumps the sync version', async () => {
    const before = await spaceVersion();
    const response = await server.as('submitter1', 'POST', '/api/v1/listings', {
      document: listingDocument('美国本科申请全程包'),
    });
    expectOk(response, 201);
    const body = response.json<{ id: string; revisionId: string }>();
    expect(Object.keys(body).sort()).toEqual(['id', 'revisionId']);

    const listing = await listingRow(body.id);
    expect(listing).toMatchObject({
      state: 'draft',
      institution_id: TEST_INSTITUTION_ID,
      owner_id: await server.userId('submitter1'),
      current_revision_id: body.revisionId,
      live_revision_id: null,
      name: '美国本科申请全程包',
    });
    const revisions = await revisionRows(body.id);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ id: body.revisionId, number: 1, state: 'draft' });
    expect(revisions[0]?.document).toEqual(listingDocument('美国本科申请全程包'));
    expect(await listingAudit(body.id)).toEqual([
      { action: 'create', from_state: null, to_state: 'draft', actor: 'submitter1' },
    ]);
    const after = await spaceVersion();
    expect(after).toBeGreaterThan(before);
    expect(listing.row_version).toBe(after);
  });

  it('creates an empty draft when no document is sent', async () => {
    const response = await server.as('submitter1', 'POST', '/api/v1/listings');
    expectOk(response, 201);
    const { id } = response.json<{ id: string }>();
    expect(await getListing(id)).toMatchObject({ state: 'draft', document: { schemaVersion: 1 } });
  });

  it('lets an assistant create for a named institution only', async () => {
    const before = await tableCounts();
    expectError(
      await server.as('assistant1', 'POST', '/api/v1/listings', { document: MINIMAL_DRAFT }),
      400,
      'INSTITUTION_REQUIRED',
    );
    expectError(
      await server.as('assistant1', 'POST', '/api/v1/listings', { institutionId: randomUUID() }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await server.as('assistant1', 'POST', '/api/v1/listings', { institutionId: 'inst-1' }),
      400,
      'VALIDATION',
    );
    expect(await tableCounts()).toEqual(before);

    const response = await server.as('assistant1', 'POST', '/api/v1/listings', {
      institutionId: OTHER_INSTITUTION_ID,
      document: MINIMAL_DRAFT,
    });
    expectOk(response, 201);
    const { id } = response.json<{ id: string }>();
    expect(await listingRow(id)).toMatchObject({
      state: 'draft',
      institution_id: OTHER_INSTITUTION_ID,
      owner_id: await server.userId('assistant1'),
    });
  });

  it('ignores an institutionId a submitter sends: a submitter creates for its own institution', async () => {
    const response = await server.as('submitter1', 'POST', '/api/v1/listings', {
      institutionId: OTHER_INSTITUTION_ID,
    });
    expectOk(response, 201);
    const { id } = response.json<{ id: string }>();
    expect((await listingRow(id)).institution_id).toBe(TEST_INSTITUTION_ID);
  });

  it.each(['reviewer1', 'ta1', 'mentor1', 'ops1', 'collaborator1'] as const)(
    'refuses %s with 403',
    async (username) => {
      const before = await tableCounts();
      expectError(
        await server.as(username, 'POST', '/api/v1/listings', {
          institutionId: TEST_INSTITUTION_ID,
          document: MINIMAL_DRAFT,
        }),
        403,
        'FORBIDDEN',
      );
      expect(await tableCounts()).toEqual(before);
    },
  );

  it('refuses a request without a token with 401', async () => {
    const before = await tableCounts();
    expectError(
      await withToken(null, 'POST', '/api/v1/listings', { payload: { document: MINIMAL_DRAFT } }),
      401,
      'UNAUTHENTICATED',
    );
    expect(await tableCounts()).toEqual(before);
  });
});

// ── Save draft ───────────────────────────────────────────────────────────────────────────────

describe('PUT /api/v1/listings/:id/draft', () => {
  it('saves an incomplete draft in place and reports its issues at the fields', async () => {
    const { id, revisionId } = await createDraft();
    const before = await spaceVersion();
    const response = await server.as(
      'submitter1',
      'PUT',
      `/api/v1/listings/${id}/draft`,
      MINIMAL_DRAFT,
    );
    expectOk(response);
    const body = response.json<{ id: string; revisionId: string; issues: Issue[] }>();
    expect(body.id).toBe(id);
    expect(body.revisionId).toBe(revisionId);
    expect(body.issues).toContainEqual(
      expect.objectContaining({ path: ['basic', 'country'], code: 'required', severity: 'error' }),
    );
    expect(body.issues).toContainEqual(
      expect.objectContaining({ path: ['risk', 'confirmed'], severity: 'error' }),
    );

    const revisions = await revisionRows(id);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ id: revisionId, state: 'draft', name: '德语 A1 保过营' });
    expect(revisions[0]?.document).toEqual(MINIMAL_DRAFT);
    const listing = await listingRow(id);
    expect(listing).toMatchObject({ state: 'draft', name: '德语 A1 保过营' });
    const after = await spaceVersion();
    expect(after).toBeGreaterThan(before);
    expect(listing.row_version).toBe(after);
    expect(revisions[0]?.row_version).toBe(after);
  });

  it('reports no errors for a complete document', async () => {
    const { id } = await createDraft();
    const response = await server.as(
      'submitter1',
      'PUT',
      `/api/v1/listings/${id}/draft`,
      listingDocument(),
    );
    expectOk(response);
    const { issues } = response.json<{ issues: Issue[] }>();
    expect(issues.filter((issue) => issue.severity === 'error')).toEqual([]);
  });

  it('lets the invited collaborator and an assistant edit the draft', async () => {
    const { id } = await createDraft();
    await inviteCollaborator(server, id);
    expectOk(
      await server.as(
        'collaborator1',
        'PUT',
        `/api/v1/listings/${id}/draft`,
        listingDocument('协作者改名'),
      ),
    );
    expect((await listingRow(id)).name).toBe('协作者改名');
    expectOk(
      await server.as(
        'assistant1',
        'PUT',
        `/api/v1/listings/${id}/draft`,
        listingDocument('助理改名'),
      ),
    );
    expect((await listingRow(id)).name).toBe('助理改名');
  });

  it('refuses reviewers, TAs and another institution’s submitter with 403 and changes nothing', async () => {
    const { id } = await createDraft(listingDocument('原名'));
    const before = await tableCounts();
    for (const username of ['reviewer1', 'ops1', 'ta1', 'mentor1'] as const) {
      expectError(
        await server.as(username, 'PUT', `/api/v1/listings/${id}/draft`, listingDocument('改名')),
        403,
        'FORBIDDEN',
      );
    }
    expectError(
      await asOther('PUT', `/api/v1/listings/${id}/draft`, listingDocument('改名')),
      403,
      'FORBIDDEN',
    );
    expect(await tableCounts()).toEqual(before);
    expect((await revisionRows(id))[0]?.document).toEqual(listingDocument('原名'));
  });
});

// ── Submit ───────────────────────────────────────────────────────────────────────────────────

describe('POST /api/v1/listings/:id/submit', () => {
  it('refuses an incomplete draft with 422 and the issues at their field paths', async () => {
    const { id, revisionId } = await createDraft(MINIMAL_DRAFT);
    const before = await tableCounts();
    const error = expectError(
      await server.as('submitter1', 'POST', `/api/v1/listings/${id}/submit`),
      422,
      'VALIDATION',
    );
    const issues = (error.details as { issues: Issue[] }).issues;
    expect(issues).toContainEqual(
      expect.objectContaining({ path: ['basic', 'country'], code: 'required', severity: 'error' }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ path: ['basic', 'introduction'], code: 'required' }),
    );
    expect(issues.every((issue) => Array.isArray(issue.path))).toBe(true);

    expect(await tableCounts()).toEqual(before);
    expect(await listingRow(id)).toMatchObject({ state: 'draft', current_revision_id: revisionId });
    expect(await revisionRows(id)).toEqual([
      expect.objectContaining({ id: revisionId, state: 'draft', submitted_at: null }),
    ]);
    expect(await itemRows(id)).toEqual([]);
  });

  it('queues a valid draft for review', async () => {
    const { id, revisionId } = await createDraft(listingDocument('澳洲硕士申请'));
    tick();
    const before = await spaceVersion();
    const response = await server.as('submitter1', 'POST', `/api/v1/listings/${id}/submit`);
    expectOk(response);
    const body = response.json<{
      id: string;
      revisionId: string;
      itemId: string;
      warnings: Issue[];
    }>();
    expect(body).toMatchObject({ id, revisionId });
    expect(body.itemId).toMatch(/^[0-9a-f-]{36}$/);

    expect(await listingRow(id)).toMatchObject({
      state: 'pending',
      current_revision_id: revisionId,
    });
    expect(await revisionRows(id)).toEqual([
      expect.objectContaining({
        id: revisionId,
        state: 'pending',
        submitted_at: new Date(server.clock.now()).toISOString(),
      }),
    ]);
    expect(await itemRows(id)).toEqual([
      {
        id: body.itemId,
        kind: 'listing_revision',
        state: 'pending',
        revision_id: revisionId,
        supersedes_item_id: null,
      },
    ]);
    expect((await listingAudit(id)).at(-1)).toEqual({
      action: 'submit',
      from_state: 'draft',
      to_state: 'pending',
      actor: 'submitter1',
    });
    expect(await spaceVersion()).toBeGreaterThan(before);
  });

  it.each(['collaborator1', 'assistant1'] as const)(
    'refuses %s with 403: only the submitter submits',
    async (username) => {
      const { id } = await createDraft(listingDocument());
      // The collaborator is invited: refused because collaborators never submit, not for scope.
      await inviteCollaborator(server, id);
      const before = await tableCounts();
      const refused = expectError(
        await server.as(username, 'POST', `/api/v1/listings/${id}/submit`),
        403,
        'FORBIDDEN',
      );
      expect(refused.message).toMatch(/only the submitter/i);
      expect(await tableCounts()).toEqual(before);
      expect((await listingRow(id)).state).toBe('draft');
    },
  );

  it('refuses a reviewer and another institution’s submitter with 403', async () => {
    const { id } = await createDraft(listingDocument());
    expectError(
      await server.as('reviewer1', 'POST', `/api/v1/listings/${id}/submit`),
      403,
      'FORBIDDEN',
    );
    expectError(await asOther('POST', `/api/v1/listings/${id}/submit`), 403, 'FORBIDDEN');
    expect((await listingRow(id)).state).toBe('draft');
  });

  it('refuses to submit a pending listing twice', async () => {
    const { listingId } = await submitNewListing(server);
    const before = await tableCounts();
    expectError(
      await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/submit`),
      409,
      'NOT_SUBMITTABLE',
    );
    expect(await tableCounts()).toEqual(before);
    expect(await itemRows(listingId)).toHaveLength(1);
  });
});

// ── Read ─────────────────────────────────────────────────────────────────────────────────────

describe('GET /api/v1/listings/:id', () => {
  it('returns state, current document and revisions to the owner', async () => {
    const { id, revisionId } = await createDraft(listingDocument('加拿大本科'));
    const listing = await getListing(id);
    expect(listing).toEqual({
      id,
      state: 'draft',
      institutionId: TEST_INSTITUTION_ID,
      currentRevisionId: revisionId,
      currentRowVersion: expect.any(Number) as unknown,
      liveRevisionId: null,
      confirmation: null,
      document: listingDocument('加拿大本科'),
      revisions: [
        { id: revisionId, number: 1, state: 'draft', submittedAt: null, decidedAt: null },
      ],
    });
  });

  it('accepts the id in upper case', async () => {
    const { id } = await createDraft();
    expect((await getListing(id.toUpperCase())).id).toBe(id);
  });

  it('lets reviewers, ops, assistants and the collaborator read a draft', async () => {
    const { id } = await createDraft(listingDocument('只读'));
    for (const username of ['reviewer1', 'ops1', 'assistant1', 'collaborator1'] as const) {
      expect(await getListing(id, username)).toMatchObject({ id, state: 'draft' });
    }
  });

  it('hides another institution’s listing (and TA/mentor) until it is live', async () => {
    const { listingId, itemId } = await submitNewListing(server, '新加坡硕士');
    expectError(await asOther('GET', `/api/v1/listings/${listingId}`), 403, 'FORBIDDEN');
    expectError(await server.as('ta1', 'GET', `/api/v1/listings/${listingId}`), 403, 'FORBIDDEN');
    const draft = await createDraft();
    expectError(await asOther('GET', `/api/v1/listings/${draft.id}`), 403, 'FORBIDDEN');
    expectError(
      await server.as('mentor1', 'GET', `/api/v1/listings/${draft.id}`),
      403,
      'FORBIDDEN',
    );

    tick();
    await approve(itemId);
    const response = await asOther('GET', `/api/v1/listings/${listingId}`);
    expectOk(response);
    expect(response.json<ListingView>()).toMatchObject({ id: listingId, state: 'live' });
    expect(await getListing(listingId, 'mentor1')).toMatchObject({ state: 'live' });
  });

  it('answers 404 for an unknown listing', async () => {
    expectError(
      await server.as('submitter1', 'GET', `/api/v1/listings/${randomUUID()}`),
      404,
      'NOT_FOUND',
    );
  });
});

// ── Withdraw ─────────────────────────────────────────────────────────────────────────────────

describe('POST /api/v1/listings/:id/withdraw', () => {
  it('takes a pending submission back to a new draft revision and withdraws its review item', async () => {
    const { listingId, itemId, revisionId } = await submitNewListing(server, '日本修士申请');
    tick();
    const before = await spaceVersion();
    const response = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${listingId}/withdraw`,
    );
    expectOk(response);
    const body = response.json<{ id: string; revisionId: string }>();
    expect(body.id).toBe(listingId);
    expect(body.revisionId).not.toBe(revisionId);

    expect(await listingRow(listingId)).toMatchObject({
      state: 'draft',
      current_revision_id: body.revisionId,
      live_revision_id: null,
    });
    const revisions = await revisionRows(listingId);
    expect(revisions.map(({ id, number, state }) => ({ id, number, state }))).toEqual([
      { id: revisionId, number: 1, state: 'withdrawn' },
      { id: body.revisionId, number: 2, state: 'draft' },
    ]);
    expect(revisions[1]?.document).toEqual(revisions[0]?.document);
    expect(await itemRows(listingId)).toEqual([
      expect.objectContaining({ id: itemId, state: 'withdrawn' }),
    ]);
    expect((await listingAudit(listingId)).at(-1)).toEqual({
      action: 'withdraw',
      from_state: 'pending',
      to_state: 'draft',
      actor: 'submitter1',
    });
    expect(await spaceVersion()).toBeGreaterThan(before);

    // Resubmitting queues a new item that supersedes the withdrawn one.
    tick();
    const again = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/submit`);
    expectOk(again);
    const { itemId: newItemId } = again.json<{ itemId: string }>();
    expect(await itemRows(listingId)).toEqual([
      expect.objectContaining({ id: itemId, state: 'withdrawn' }),
      expect.objectContaining({
        id: newItemId,
        state: 'pending',
        revision_id: body.revisionId,
        supersedes_item_id: itemId,
      }),
    ]);
  });

  it('chains resubmissions to the latest withdrawn item even within one millisecond', async () => {
    // The clock does not move here: every item has the same created_at.
    const { listingId, itemId: first } = await submitNewListing(server);
    const ids = [first];
    for (let round = 0; round < 3; round += 1) {
      expectOk(await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/withdraw`));
      const again = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/submit`);
      expectOk(again);
      ids.push(again.json<{ itemId: string }>().itemId);
    }
    const rows = await server.db.query<{ id: string; supersedes_item_id: string | null }>(
      'SELECT id, supersedes_item_id FROM review_items WHERE subject_id = $1',
      [listingId],
    );
    const supersedes = new Map(rows.map((row) => [row.id, row.supersedes_item_id]));
    expect(ids.map((id) => supersedes.get(id))).toEqual([null, ids[0], ids[1], ids[2]]);
  });

  it('refuses once a reviewer has claimed it (409 IN_REVIEW)', async () => {
    const { listingId, itemId, revisionId } = await submitNewListing(server);
    tick();
    await claim(itemId);
    const before = await tableCounts();
    expectError(
      await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/withdraw`),
      409,
      'IN_REVIEW',
    );
    expect(await tableCounts()).toEqual(before);
    expect(await listingRow(listingId)).toMatchObject({
      state: 'in_review',
      current_revision_id: revisionId,
    });
    expect(await itemRows(listingId)).toEqual([
      expect.objectContaining({ id: itemId, state: 'in_review' }),
    ]);
  });

  it('lets only the submitter withdraw', async () => {
    const { listingId, itemId } = await submitNewListing(server);
    const before = await tableCounts();
    for (const username of ['collaborator1', 'assistant1', 'reviewer1', 'ops1'] as const) {
      expectError(
        await server.as(username, 'POST', `/api/v1/listings/${listingId}/withdraw`),
        403,
        'FORBIDDEN',
      );
    }
    expectError(await asOther('POST', `/api/v1/listings/${listingId}/withdraw`), 403, 'FORBIDDEN');
    expect(await tableCounts()).toEqual(before);
    expect((await listingRow(listingId)).state).toBe('pending');
    expect(await itemRows(listingId)).toEqual([
      expect.objectContaining({ id: itemId, state: 'pending' }),
    ]);
  });

  it('refuses to withdraw a draft (409 NOT_WITHDRAWABLE)', async () => {
    const { id } = await createDraft();
    expectError(
      await server.as('submitter1', 'POST', `/api/v1/listings/${id}/withdraw`),
      409,
      'NOT_WITHDRAWABLE',
    );
    expect(await revisionRows(id)).toHaveLength(1);
  });
});

// ── Reject, fix, resubmit ────────────────────────────────────────────────────────────────────

describe('rejection and resubmission', () => {
  it('keeps the rejected revision untouched and queues a new revision that supersedes its item', async () => {
    const { listingId, itemId, revisionId } = await submitNewListing(server, '英国本科预科');
    tick();
    await reject(itemId);
    tick();
    expect(await listingRow(listingId)).toMatchObject({ state: 'rejected' });
    const rejectedRevision = (await revisionRows(listingId))[0];
    expect(rejectedRevision).toMatchObject({ id: revisionId, state: 'rejected' });
    expect(rejectedRevision?.decided_at).not.toBeNull();

    // The collaborator, even invited, may not fix a rejected listing; the submitter may.
    await inviteCollaborator(server, listingId);
    expectError(
      await server.as(
        'collaborator1',
        'PUT',
        `/api/v1/listings/${listingId}/draft`,
        listingDocument('x'),
      ),
      409,
      'NOT_EDITABLE',
    );
    const fixed = listingDocument('英国本科预科（已补充材料）');
    const saved = await server.as(
      'submitter1',
      'PUT',
      `/api/v1/listings/${listingId}/draft`,
      fixed,
    );
    expectOk(saved);
    const { revisionId: draftId } = saved.json<{ revisionId: string }>();
    expect(draftId).not.toBe(revisionId);
    let revisions = await revisionRows(listingId);
    expect(revisions.map(({ id, number, state }) => ({ id, number, state }))).toEqual([
      { id: revisionId, number: 1, state: 'rejected' },
      { id: draftId, number: 2, state: 'draft' },
    ]);
    expect(revisions[0]).toEqual(rejectedRevision);
    expect(revisions[1]?.document).toEqual(fixed);
    expect(await listingRow(listingId)).toMatchObject({
      state: 'rejected',
      current_revision_id: draftId,
    });

    tick();
    const resubmitted = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${listingId}/submit`,
    );
    expectOk(resubmitted);
    const body = resubmitted.json<{ revisionId: string; itemId: string }>();
    expect(body.revisionId).toBe(draftId);

    revisions = await revisionRows(listingId);
    expect(revisions[0]).toEqual(rejectedRevision);
    expect(revisions[1]).toMatchObject({ id: draftId, state: 'pending' });
    expect(await listingRow(listingId)).toMatchObject({
      state: 'pending',
      current_revision_id: draftId,
    });
    const [row] = await server.db.query<{ supersedes_item_id: string | null; revision_id: string }>(
      'SELECT supersedes_item_id, revision_id FROM review_items WHERE id = $1',
      [body.itemId],
    );
    expect(row).toEqual({ supersedes_item_id: itemId, revision_id: draftId });
    expect(await itemRows(listingId)).toEqual([
      expect.objectContaining({ id: itemId, state: 'decided' }),
      expect.objectContaining({ id: body.itemId, state: 'pending' }),
    ]);
  });
});

// ── Updates of live listings ─────────────────────────────────────────────────────────────────

describe('updating a live listing', () => {
  it('keeps the listing live through the update until the update is approved', async () => {
    const { listingId, itemId, revisionId: liveId } = await liveListing('英国硕士申请旗舰包');
    expect(await listingRow(listingId)).toMatchObject({
      state: 'live',
      live_revision_id: liveId,
      current_revision_id: liveId,
    });

    const before = await spaceVersion();
    const started = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/update`);
    expectOk(started);
    const { revisionId: updateId } = started.json<{ revisionId: string }>();
    expect(updateId).not.toBe(liveId);
    expect(await spaceVersion()).toBeGreaterThan(before);
    expect(await listingRow(listingId)).toMatchObject({
      state: 'live',
      live_revision_id: liveId,
      current_revision_id: updateId,
    });
    expect(
      (await revisionRows(listingId)).map(({ id, number, state }) => ({ id, number, state })),
    ).toEqual([
      { id: liveId, number: 1, state: 'live' },
      { id: updateId, number: 2, state: 'draft' },
    ]);

    // A second update while this one is in progress.
    const counts = await tableCounts();
    expectError(
      await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/update`),
      409,
      'UPDATE_IN_PROGRESS',
    );
    expect(await tableCounts()).toEqual(counts);

    // Edit the update: the market still shows the live name.
    tick();
    const saved = await server.as(
      'submitter1',
      'PUT',
      `/api/v1/listings/${listingId}/draft`,
      listingDocument('英国硕士申请旗舰包（2027 版）'),
    );
    expectOk(saved);
    expect(saved.json<{ revisionId: string }>().revisionId).toBe(updateId);
    expect(await listingRow(listingId)).toMatchObject({
      state: 'live',
      live_revision_id: liveId,
      name: '英国硕士申请旗舰包',
    });

    tick();
    const submitted = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/submit`);
    expectOk(submitted);
    const { itemId: updateItemId } = submitted.json<{ itemId: string }>();
    expect(await listingRow(listingId)).toMatchObject({
      state: 'live',
      live_revision_id: liveId,
      current_revision_id: updateId,
    });
    expect(await itemRows(listingId)).toEqual([
      expect.objectContaining({ id: itemId, state: 'decided' }),
      expect.objectContaining({
        id: updateItemId,
        state: 'pending',
        revision_id: updateId,
        supersedes_item_id: itemId,
      }),
    ]);
    // Outsiders still see the live revision while the update waits, never the update itself.
    const outside = await asOther('GET', `/api/v1/listings/${listingId}`);
    expectOk(outside);
    expect(outside.json<ListingView>()).toMatchObject({
      state: 'live',
      currentRevisionId: liveId,
      liveRevisionId: liveId,
      document: marketView(listingDocument('英国硕士申请旗舰包')),
      redacted: ['/document/credentials/files'],
      revisions: [expect.objectContaining({ id: liveId, state: 'live' })],
    });
    expect((await getListing(listingId, 'mentor1')).document).toEqual(
      marketView(listingDocument('英国硕士申请旗舰包')),
    );
    expect(await getListing(listingId)).toMatchObject({
      currentRevisionId: updateId,
      liveRevisionId: liveId,
      document: listingDocument('英国硕士申请旗舰包（2027 版）'),
    });
    expect((await getListing(listingId, 'reviewer1')).revisions).toHaveLength(2);
    expectError(
      await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/update`),
      409,
      'UPDATE_IN_PROGRESS',
    );
    expectError(
      await server.as(
        'submitter1',
        'PUT',
        `/api/v1/listings/${listingId}/draft`,
        listingDocument(),
      ),
      409,
      'NOT_EDITABLE',
    );

    tick();
    await approve(updateItemId);
    expect(await listingRow(listingId)).toMatchObject({
      state: 'live',
      live_revision_id: updateId,
      current_revision_id: updateId,
      name: '英国硕士申请旗舰包（2027 版）',
    });
    expect((await revisionRows(listingId)).map(({ id, state }) => ({ id, state }))).toEqual([
      { id: liveId, state: 'superseded' },
      { id: updateId, state: 'live' },
    ]);
  });

  it('keeps the old revision live when the update is rejected', async () => {
    const { listingId, revisionId: liveId } = await liveListing('美国博士申请');
    const started = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/update`);
    expectOk(started);
    const { revisionId: updateId } = started.json<{ revisionId: string }>();
    expectOk(
      await server.as(
        'submitter1',
        'PUT',
        `/api/v1/listings/${listingId}/draft`,
        listingDocument('美国博士申请 改'),
      ),
    );
    tick();
    const submitted = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/submit`);
    expectOk(submitted);
    tick();
    await reject(submitted.json<{ itemId: string }>().itemId);

    expect(await listingRow(listingId)).toMatchObject({
      state: 'live',
      live_revision_id: liveId,
      name: '美国博士申请',
    });
    const revisions = await revisionRows(listingId);
    expect(revisions.map(({ id, state }) => ({ id, state }))).toEqual([
      { id: liveId, state: 'live' },
      { id: updateId, state: 'rejected' },
    ]);
    expect(revisions[0]?.document).toEqual(listingDocument('美国博士申请'));
    const view = await getListing(listingId, 'mentor1');
    expect(view).toMatchObject({
      state: 'live',
      liveRevisionId: liveId,
      currentRevisionId: liveId,
    });
    expect(view.document).toEqual(marketView(listingDocument('美国博士申请')));

    // The submitter may start over from the live revision.
    tick();
    const again = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/update`);
    expectOk(again);
    const third = (await revisionRows(listingId))[2];
    expect(third).toMatchObject({
      id: again.json<{ revisionId: string }>().revisionId,
      number: 3,
      state: 'draft',
    });
    expect(third?.document).toEqual(listingDocument('美国博士申请'));
  });

  it('lets the submitter withdraw a pending update, keeping the listing live', async () => {
    const { listingId, revisionId: liveId } = await liveListing('香港硕士申请');
    expectOk(await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/update`));
    tick();
    const submitted = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/submit`);
    expectOk(submitted);
    const { itemId } = submitted.json<{ itemId: string }>();
    tick();
    const withdrawn = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${listingId}/withdraw`,
    );
    expectOk(withdrawn);
    expect(await listingRow(listingId)).toMatchObject({
      state: 'live',
      live_revision_id: liveId,
      current_revision_id: withdrawn.json<{ revisionId: string }>().revisionId,
    });
    expect((await itemRows(listingId)).at(-1)).toMatchObject({ id: itemId, state: 'withdrawn' });
  });

  it('refuses an update of a listing that is not live, and by anyone but the submitter', async () => {
    const { id } = await createDraft(listingDocument());
    expectError(
      await server.as('submitter1', 'POST', `/api/v1/listings/${id}/update`),
      409,
      'NOT_LIVE',
    );
    const { listingId } = await liveListing('法国硕士申请');
    const before = await tableCounts();
    for (const username of ['collaborator1', 'assistant1'] as const) {
      expectError(
        await server.as(username, 'POST', `/api/v1/listings/${listingId}/update`),
        403,
        'FORBIDDEN',
      );
    }
    expectError(await asOther('POST', `/api/v1/listings/${listingId}/update`), 403, 'FORBIDDEN');
    expectError(
      await server.as('reviewer1', 'POST', `/api/v1/listings/${listingId}/update`),
      403,
      'FORBIDDEN',
    );
    expect(await tableCounts()).toEqual(before);
  });
});

// ── States that forbid editing ───────────────────────────────────────────────────────────────

describe('editing outside the editable states', () => {
  it('refuses to edit a pending, an in-review and a live listing (409 NOT_EDITABLE)', async () => {
    const { listingId, itemId, revisionId } = await submitNewListing(server, '德国硕士申请');
    const original = (await revisionRows(listingId))[0]?.document;
    const attempt = () =>
      server.as(
        'submitter1',
        'PUT',
        `/api/v1/listings/${listingId}/draft`,
        listingDocument('改了'),
      );

    const pending = expectError(await attempt(), 409, 'NOT_EDITABLE');
    expect(pending.details).toEqual({ state: 'pending' });
    tick();
    await claim(itemId);
    const inReview = expectError(await attempt(), 409, 'NOT_EDITABLE');
    expect(inReview.details).toEqual({ state: 'in_review' });
    await inviteCollaborator(server, listingId);
    expectError(
      await server.as(
        'collaborator1',
        'PUT',
        `/api/v1/listings/${listingId}/draft`,
        listingDocument('改了'),
      ),
      409,
      'NOT_EDITABLE',
    );
    tick();
    const result = await new TestSyncClient(server, 'reviewer1').do('approve', { itemId });
    expect(result).toMatchObject({ status: 'applied' });
    const live = expectError(await attempt(), 409, 'NOT_EDITABLE');
    expect(live.details).toEqual({ state: 'live' });

    const revisions = await revisionRows(listingId);
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ id: revisionId, state: 'live' });
    expect(revisions[0]?.document).toEqual(original);
  });
});

// ── Audit and sync version ───────────────────────────────────────────────────────────────────

describe('audit trail and sync version', () => {
  it('audits every transition with actor and states, and every write takes a new version', async () => {
    const versions: number[] = [await spaceVersion()];
    const step = async (response: Promise<LightMyRequestResponse>, status = 200) => {
      tick();
      const settled = await response;
      expectOk(settled, status);
      versions.push(await spaceVersion());
      return settled;
    };

    const { id } = (
      await step(
        server.as('submitter1', 'POST', '/api/v1/listings', { document: MINIMAL_DRAFT }),
        201,
      )
    ).json<{ id: string }>();
    await step(
      server.as('submitter1', 'POST', `/api/v1/listings/${id}/collaborators`, {
        userId: await server.userId('collaborator1'),
      }),
      201,
    );
    await step(
      server.as('collaborator1', 'PUT', `/api/v1/listings/${id}/draft`, listingDocument('审计')),
    );
    const first = (
      await step(server.as('submitter1', 'POST', `/api/v1/listings/${id}/submit`))
    ).json<{
      itemId: string;
    }>();
    await step(server.as('submitter1', 'POST', `/api/v1/listings/${id}/withdraw`));
    const second = (
      await step(server.as('submitter1', 'POST', `/api/v1/listings/${id}/submit`))
    ).json<{
      itemId: string;
    }>();
    tick();
    await reject(second.itemId);
    await step(
      server.as('submitter1', 'PUT', `/api/v1/listings/${id}/draft`, listingDocument('审计 2')),
    );
    const third = (
      await step(server.as('submitter1', 'POST', `/api/v1/listings/${id}/submit`))
    ).json<{
      itemId: string;
    }>();
    tick();
    await approve(third.itemId);
    await step(server.as('submitter1', 'POST', `/api/v1/listings/${id}/update`));
    await step(server.as('submitter1', 'POST', `/api/v1/listings/${id}/submit`));

    for (let index = 1; index < versions.length; index += 1) {
      expect(versions[index], `write ${index}`).toBeGreaterThan(versions[index - 1] ?? Infinity);
    }
    expect(first.itemId).not.toBe(second.itemId);

    expect(await listingAudit(id)).toEqual([
      { action: 'create', from_state: null, to_state: 'draft', actor: 'submitter1' },
      { action: 'invite_collaborator', from_state: null, to_state: null, actor: 'submitter1' },
      { action: 'save_draft', from_state: null, to_state: null, actor: 'collaborator1' },
      { action: 'submit', from_state: 'draft', to_state: 'pending', actor: 'submitter1' },
      { action: 'withdraw', from_state: 'pending', to_state: 'draft', actor: 'submitter1' },
      { action: 'submit', from_state: 'draft', to_state: 'pending', actor: 'submitter1' },
      { action: 'claim', from_state: 'pending', to_state: 'in_review', actor: 'reviewer1' },
      { action: 'reject', from_state: 'in_review', to_state: 'rejected', actor: 'reviewer1' },
      { action: 'save_draft', from_state: null, to_state: null, actor: 'submitter1' },
      { action: 'submit', from_state: 'rejected', to_state: 'pending', actor: 'submitter1' },
      { action: 'claim', from_state: 'pending', to_state: 'in_review', actor: 'reviewer1' },
      { action: 'approve', from_state: 'in_review', to_state: 'live', actor: 'reviewer1' },
      { action: 'start_update', from_state: 'live', to_state: 'live', actor: 'submitter1' },
      { action: 'submit_update', from_state: 'live', to_state: 'live', actor: 'submitter1' },
    ]);
    const rows = await server.db.query<{ at: string; actor_id: string | null }>(
      `SELECT at, actor_id FROM audit_events WHERE subject_id = $1`,
      [id],
    );
    expect(rows.every((row) => row.actor_id !== null)).toBe(true);
  });

  it('takes no version for a refused write', async () => {
    const { listingId } = await submitNewListing(server);
    const before = await spaceVersion();
    expectError(
      await server.as(
        'submitter1',
        'PUT',
        `/api/v1/listings/${listingId}/draft`,
        listingDocument(),
      ),
      409,
      'NOT_EDITABLE',
    );
    expectError(
      await server.as('collaborator1', 'POST', `/api/v1/listings/${listingId}/withdraw`),
      403,
      'FORBIDDEN',
    );
    expect(await spaceVersion()).toBe(before);
  });
});

// ── Bad input ────────────────────────────────────────────────────────────────────────────────

const BAD_IDS = ['not-a-uuid', "'; DROP TABLE listings; --", "1' OR '1'='1", '12345'];

/** Every route that takes a listing id, with a body that is valid where one is needed. */
const ID_ROUTES: readonly { method: Method; path: (id: string) => string; body?: object }[] = [
  { method: 'GET', path: (id) => `/api/v1/listings/${id}` },
  { method: 'PUT', path: (id) => `/api/v1/listings/${id}/draft`, body: MINIMAL_DRAFT },
  { method: 'POST', path: (id) => `/api/v1/listings/${id}/submit` },
  { method: 'POST', path: (id) => `/api/v1/listings/${id}/withdraw` },
  { method: 'POST', path: (id) => `/api/v1/listings/${id}/update` },
];

async function expectTablesIntact(): Promise<void> {
  for (const table of ['listings', 'listing_revisions', 'users', 'review_items']) {
    const row = await one<{ present: string | null }>('SELECT to_regclass($1)::text AS present', [
      table,
    ]);
    expect(row.present, table).toBe(table);
  }
}

describe('bad ids', () => {
  it.each(BAD_IDS)('answers 400 INVALID_ID for %j on every route', async (badId) => {
    const before = await tableCounts();
    for (const route of ID_ROUTES) {
      const response = await server.as(
        'submitter1',
        route.method,
        route.path(encodeURIComponent(badId)),
        route.body,
      );
      expectError(response, 400, 'INVALID_ID');
    }
    await expectTablesIntact();
    expect(await tableCounts()).toEqual(before);
  });

  // Fastify's router would answer 414 in its own format for long parameters; app.ts raises the
  // limit so that they reach the handler.
  it('answers 400 INVALID_ID for a 1000-character id', async () => {
    const before = await tableCounts();
    for (const route of ID_ROUTES) {
      const response = await server.as(
        'submitter1',
        route.method,
        route.path('a'.repeat(1000)),
        route.body,
      );
      expectError(response, 400, 'INVALID_ID');
    }
    await expectTablesIntact();
    expect(await tableCounts()).toEqual(before);
  });

  it('does not let a 1000-character id reach the database or change anything', async () => {
    const before = await tableCounts();
    for (const route of ID_ROUTES) {
      const response = await server.as(
        'submitter1',
        route.method,
        route.path('a'.repeat(1000)),
        route.body,
      );
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, response.body).toBeLessThan(500);
    }
    await expectTablesIntact();
    expect(await tableCounts()).toEqual(before);
  });

  it('answers 404 for a well-formed unknown id on every route', async () => {
    const before = await tableCounts();
    for (const route of ID_ROUTES) {
      const response = await server.as(
        'submitter1',
        route.method,
        route.path(randomUUID()),
        route.body,
      );
      expectError(response, 404, 'NOT_FOUND');
    }
    expect(await tableCounts()).toEqual(before);
  });
});

describe('bad bodies', () => {
  it('answers 400 MALFORMED_JSON for a body that is not JSON', async () => {
    const { id } = await createDraft(listingDocument('原样'));
    const token = await server.token('submitter1');
    for (const payload of ['{"basic": {"name": "x"', "{'a': 1}", '{"a":1}}', 'undefined', '']) {
      expectError(
        await withToken(token, 'PUT', `/api/v1/listings/${id}/draft`, {
          payload,
          contentType: 'application/json',
        }),
        400,
        'MALFORMED_JSON',
      );
    }
    expectError(
      await withToken(token, 'POST', '/api/v1/listings', {
        payload: '{"document": ',
        contentType: 'application/json',
      }),
      400,
      'MALFORMED_JSON',
    );
    expect((await revisionRows(id))[0]?.document).toEqual(listingDocument('原样'));
  });

  it('refuses prototype-poisoning keys with 400 and stores nothing', async () => {
    const { id } = await createDraft(listingDocument('原样'));
    const token = await server.token('submitter1');
    const before = await tableCounts();
    for (const payload of [
      '{"schemaVersion":1,"__proto__":{"isAdmin":true}}',
      '{"schemaVersion":1,"basic":{"constructor":{"prototype":{"isAdmin":true}}}}',
    ]) {
      expectError(
        await withToken(token, 'PUT', `/api/v1/listings/${id}/draft`, {
          payload,
          contentType: 'application/json',
        }),
        400,
        'MALFORMED_JSON',
      );
    }
    expect(await tableCounts()).toEqual(before);
    expect((await revisionRows(id))[0]?.document).toEqual(listingDocument('原样'));
  });

  it('answers 400 VALIDATION for a document that is not an object', async () => {
    const { id } = await createDraft(listingDocument('原样'));
    const token = await server.token('submitter1');
    for (const payload of ['[]', '[{"basic":{}}]', '"a listing"', '42', 'null', 'true']) {
      expectError(
        await withToken(token, 'PUT', `/api/v1/listings/${id}/draft`, {
          payload,
          contentType: 'application/json',
        }),
        400,
        'VALIDATION',
      );
    }
    const before = await tableCounts();
    for (const document of [[], 'a listing', 42]) {
      expectError(
        await server.as('submitter1', 'POST', '/api/v1/listings', { document }),
        400,
        'VALIDATION',
      );
    }
    expect(await tableCounts()).toEqual(before);
    expect((await revisionRows(id))[0]?.document).toEqual(listingDocument('原样'));
  });

  it('answers 413 BODY_TOO_LARGE above 2 MB and accepts a body just under it', async () => {
    const { id } = await createDraft(listingDocument('原样'));
    const big = listingDocument();
    basicOf(big)['introduction'] = 'x'.repeat(2 * 1024 * 1024);
    expectError(
      await server.as('submitter1', 'PUT', `/api/v1/listings/${id}/draft`, big),
      413,
      'BODY_TOO_LARGE',
    );
    expect((await revisionRows(id))[0]?.document).toEqual(listingDocument('原样'));

    basicOf(big)['introduction'] = 'x'.repeat(1024 * 1024);
    const response = await server.as('submitter1', 'PUT', `/api/v1/listings/${id}/draft`, big);
    expectOk(response);
    expect(response.json<{ issues: Issue[] }>().issues).toContainEqual(
      expect.objectContaining({ path: ['basic', 'introduction'], code: 'too_long' }),
    );
  });

  // app.ts removes Fastify's default text/plain parser: the API takes JSON and multipart only.
  it('answers 415 for a text/plain body', async () => {
    const { id } = await createDraft(listingDocument());
    const token = await server.token('submitter1');
    for (const route of ID_ROUTES.filter((candidate) => candidate.method !== 'GET')) {
      expectError(
        await withToken(token, route.method, route.path(id), {
          payload: JSON.stringify(route.body ?? {}),
          contentType: 'text/plain',
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    }
    expect((await listingRow(id)).state).toBe('draft');
  });

  it('answers 415 for a body in another media type', async () => {
    const { id } = await createDraft(listingDocument('原样'));
    const token = await server.token('submitter1');
    for (const contentType of ['application/xml', 'application/x-www-form-urlencoded']) {
      expectError(
        await withToken(token, 'PUT', `/api/v1/listings/${id}/draft`, {
          payload: '<basic><name>x</name></basic>',
          contentType,
        }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    }
    expect((await revisionRows(id))[0]?.document).toEqual(listingDocument('原样'));
  });

  it('refuses U+0000 in a document with 400 VALIDATION at the field (PostgreSQL cannot store it)', async () => {
    const { id } = await createDraft(listingDocument('原样'));
    const before = await tableCounts();
    const inText = listingDocument();
    basicOf(inText)['introduction'] = 'a\u0000b';
    const error = expectError(
      await server.as('submitter1', 'PUT', `/api/v1/listings/${id}/draft`, inText),
      400,
      'VALIDATION',
    );
    expect(error.details).toEqual({
      issues: [{ path: '/basic/introduction', message: expect.any(String) as string }],
    });
    const inKey = { ...listingDocument(), 'note\u0000': 1 };
    expectError(
      await server.as('submitter1', 'PUT', `/api/v1/listings/${id}/draft`, inKey),
      400,
      'VALIDATION',
    );
    expectError(
      await server.as('submitter1', 'POST', '/api/v1/listings', {
        document: listingDocument('名\u0000'),
      }),
      400,
      'VALIDATION',
    );
    expect(await tableCounts()).toEqual(before);
    expect((await revisionRows(id))[0]?.document).toEqual(listingDocument('原样'));
  });

  it('refuses absurdly deep nesting with 400 VALIDATION and keeps a realistic depth', async () => {
    const { id } = await createDraft(listingDocument('原样'));
    const token = await server.token('submitter1');
    for (const depth of [MAX_DOCUMENT_DEPTH + 1, 10_000, 100_000]) {
      const payload = `{"schemaVersion":1,"basic":{"name":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
      expectError(
        await withToken(token, 'PUT', `/api/v1/listings/${id}/draft`, {
          payload,
          contentType: 'application/json',
        }),
        400,
        'VALIDATION',
      );
    }
    expect((await revisionRows(id))[0]?.document).toEqual(listingDocument('原样'));
    // Nesting up to the limit is stored (depth counted from the document root).
    const payload = `{"x":${'['.repeat(MAX_DOCUMENT_DEPTH - 1)}${']'.repeat(MAX_DOCUMENT_DEPTH - 1)}}`;
    expectOk(
      await withToken(token, 'PUT', `/api/v1/listings/${id}/draft`, {
        payload,
        contentType: 'application/json',
      }),
    );
  });
});

// ── Hostile text ─────────────────────────────────────────────────────────────────────────────

const INJECTIONS = [
  "' OR '1'='1",
  '"; DROP TABLE users; --',
  '$1',
  "'); DELETE FROM listings; --",
  '$$; DROP TABLE listing_revisions; $$',
  '\\x00\\u0000 %00',
  "Robert'); DROP TABLE institutions;--",
];

/** The document with every string in it (at any depth) replaced by an injection string. */
function injectEverywhere(value: unknown, counter = { next: 0 }): unknown {
  if (typeof value === 'string') {
    const injected = INJECTIONS[counter.next % INJECTIONS.length] ?? '';
    counter.next += 1;
    return injected;
  }
  if (Array.isArray(value)) {
    return value.map((item) => injectEverywhere(item, counter));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, injectEverywhere(item, counter)]),
    );
  }
  return value;
}

describe('hostile text in documents', () => {
  it('stores SQL-injection strings in every text field verbatim and harmlessly', async () => {
    const hostile = injectEverywhere(listingDocument()) as Document;
    expect(JSON.stringify(hostile)).toContain('DROP TABLE users');

    // Created with it…
    const countsBefore = await tableCounts();
    const created = await createDraft(hostile);
    const countsAfterCreate = await tableCounts();
    expect(countsAfterCreate['users']).toBe(countsBefore['users']);
    expect(countsAfterCreate['institutions']).toBe(countsBefore['institutions']);
    expect(countsAfterCreate['listings']).toBe((countsBefore['listings'] ?? 0) + 1);
    expect(countsAfterCreate['listing_revisions']).toBe(
      (countsBefore['listing_revisions'] ?? 0) + 1,
    );
    expect((await getListing(created.id)).document).toEqual(hostile);
    expect((await listingRow(created.id)).name).toBe(basicOf(hostile)['name']);

    // …and saved over a clean draft.
    const { id } = await createDraft(listingDocument());
    const before = await tableCounts();
    const saved = await server.as('submitter1', 'PUT', `/api/v1/listings/${id}/draft`, hostile);
    expectOk(saved);
    expect(saved.json<{ issues: Issue[] }>().issues.length).toBeGreaterThan(0);
    // The save's one audit event (the operation history), nothing else.
    expect(await tableCounts()).toEqual({
      ...before,
      audit_events: (before['audit_events'] ?? 0) + 1,
    });
    expect((await getListing(id)).document).toEqual(hostile);
    expect((await revisionRows(id))[0]?.document).toEqual(hostile);
    await expectTablesIntact();

    // Each string alone as the name, read back through the API and the indexed column.
    for (const injection of INJECTIONS) {
      const response = await server.as(
        'submitter1',
        'PUT',
        `/api/v1/listings/${id}/draft`,
        listingDocument(injection),
      );
      expectOk(response);
      expect(basicOf((await getListing(id)).document ?? {})['name']).toBe(injection);
      expect((await listingRow(id)).name).toBe(injection);
    }
    expect(await tableCounts()).toMatchObject({
      users: before['users'],
      listings: before['listings'],
      institutions: before['institutions'],
    });
  });

  it('saves a 500-character Chinese name and reports it as too_long at basic.name', async () => {
    const name = '英国硕士申请旗舰包'.repeat(56).slice(0, 500);
    expect(name).toHaveLength(500);
    const { id } = await createDraft(listingDocument());
    const response = await server.as(
      'submitter1',
      'PUT',
      `/api/v1/listings/${id}/draft`,
      listingDocument(name),
    );
    expectOk(response);
    const { issues } = response.json<{ issues: Issue[] }>();
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: ['basic', 'name'],
        code: 'too_long',
        severity: 'error',
        params: { max: 30, actual: 500 },
      }),
    );
    expect(basicOf((await getListing(id)).document ?? {})['name']).toBe(name);

    const error = expectError(
      await server.as('submitter1', 'POST', `/api/v1/listings/${id}/submit`),
      422,
      'VALIDATION',
    );
    expect((error.details as { issues: Issue[] }).issues).toContainEqual(
      expect.objectContaining({ path: ['basic', 'name'], code: 'too_long' }),
    );
    expect((await listingRow(id)).state).toBe('draft');
  });

  it('stores script and markup in the introduction verbatim and returns valid JSON', async () => {
    const xss = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '"></script><script>alert(document.cookie)</script>',
      '</p><svg/onload=alert(1)>\u2028\u2029',
    ];
    const { id } = await createDraft(listingDocument());
    for (const introduction of xss) {
      const document = listingDocument();
      basicOf(document)['introduction'] = introduction;
      expectOk(await server.as('submitter1', 'PUT', `/api/v1/listings/${id}/draft`, document));
      const response = await server.as('submitter1', 'GET', `/api/v1/listings/${id}`);
      expectOk(response);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const parsed = JSON.parse(response.body) as ListingView;
      expect(basicOf(parsed.document ?? {})['introduction']).toBe(introduction);
      expect(parsed.document).toEqual(document);
    }
  });
});

// ── Tokens ───────────────────────────────────────────────────────────────────────────────────

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('expired and forged tokens', () => {
  it('answers 401 TOKEN_INVALID for forged or garbled tokens, on every route', async () => {
    const { id } = await createDraft(listingDocument('原样'));
    const real = await server.token('submitter1');
    const [header = '', payload = '', signature = ''] = real.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const now = server.clock.now();
    const otherKey = await new SignJWT({ role: 'submitter' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(await server.userId('submitter1'))
      .setIssuer('review-desk')
      .setAudience('review-desk-workstation')
      .setIssuedAt(new Date(now))
      .setExpirationTime(new Date(now + 60_000))
      .sign(new TextEncoder().encode('not-the-server-key-not-the-server-key'));
    const forged = [
      `${header}.${base64url({ ...claims, role: 'ops_manager' })}.${signature}`,
      `${header}.${payload}.${signature.slice(0, -4)}AAAA`,
      `${base64url({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      otherKey,
      'not-a-token',
    ];
    const before = await tableCounts();
    for (const token of forged) {
      for (const route of [
        ...ID_ROUTES,
        { method: 'POST' as const, path: () => '/api/v1/listings', body: {} },
      ]) {
        const response = await withToken(token, route.method, route.path(id), {
          ...(route.body === undefined ? {} : { payload: route.body }),
        });
        expectError(response, 401, 'TOKEN_INVALID');
      }
    }
    const basic = await server.app.inject({
      method: 'GET',
      url: `/api/v1/listings/${id}`,
      headers: { authorization: `Basic ${Buffer.from('submitter1:x').toString('base64')}` },
    });
    expectError(basic, 401, 'TOKEN_INVALID');
    expect(await tableCounts()).toEqual(before);
    expect((await revisionRows(id))[0]?.document).toEqual(listingDocument('原样'));
  });

  it('answers 401 TOKEN_EXPIRED for a token older than 15 minutes, and changes nothing', async () => {
    const { id } = await createDraft(listingDocument('原样'));
    const old = await server.token('submitter1');
    expectOk(await withToken(old, 'GET', `/api/v1/listings/${id}`));
    server.clock.advance(16 * 60_000);
    const before = await tableCounts();
    for (const route of [
      ...ID_ROUTES,
      { method: 'POST' as const, path: () => '/api/v1/listings', body: {} },
    ]) {
      const response = await withToken(old, route.method, route.path(id), {
        ...(route.body === undefined ? {} : { payload: route.body }),
      });
      expectError(response, 401, 'TOKEN_EXPIRED');
    }
    expect(await tableCounts()).toEqual(before);
    expect((await revisionRows(id))[0]?.document).toEqual(listingDocument('原样'));
    // A fresh sign-in works again.
    expectOk(await server.as('submitter1', 'GET', `/api/v1/listings/${id}`));
  });
});
