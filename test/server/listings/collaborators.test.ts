import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../server/src/auth/users';
import {
  createTestServer,
  OTHER_INSTITUTION_ID,
  TEST_INSTITUTION_ID,
  TEST_PASSWORD,
  type TestServer,
  type TestUsername,
} from '../harness';
import { listingDocument, TestSyncClient } from '../sync/client';
import { inviteCollaborator } from './invite';

/**
 * Collaborators of one listing (server/src/listings/collaborators.ts): the owner invites members
 * of the institution; an invited collaborator edits and never submits — on every path — and the
 * operation history says who changed which fields.
 */

let server: TestServer;
/** Users beyond the harness's: a second collaborator of the institution, and outsiders. */
const extra = {
  collaborator2: '',
  submitter2: '',
  outsider: '',
};

async function login(username: string): Promise<string> {
  const response = await server.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username, password: TEST_PASSWORD },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ accessToken: string }>().accessToken;
}

async function asToken(
  token: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
) {
  return server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
}

beforeAll(async () => {
  server = await createTestServer();
  const make = (username: string, role: 'collaborator' | 'submitter', institutionId: string) =>
    server.db.transaction((tx) =>
      createUser(
        tx,
        { username, displayName: `${username} 名`, role, password: TEST_PASSWORD, institutionId },
        server.clock.now(),
      ),
    );
  await make('collaborator2', 'collaborator', TEST_INSTITUTION_ID);
  await make('submitter2', 'submitter', TEST_INSTITUTION_ID);
  await make('outsider', 'collaborator', OTHER_INSTITUTION_ID);
  for (const username of Object.keys(extra) as (keyof typeof extra)[]) {
    const [row] = await server.db.query<{ id: string }>(
      'SELECT id FROM users WHERE username = $1',
      [username],
    );
    extra[username] = row!.id;
  }
});
afterAll(async () => {
  await server.close();
});

async function newDraft(by: TestUsername = 'submitter1', name = '英国硕士申请'): Promise<string> {
  const created = await server.as(by, 'POST', '/api/v1/listings', {
    document: listingDocument(name),
    ...(by === 'assistant1' ? { institutionId: TEST_INSTITUTION_ID } : {}),
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ id: string }>().id;
}

const invite = (listingId: string, userId: string, by: TestUsername = 'submitter1') =>
  server.as(by, 'POST', `/api/v1/listings/${listingId}/collaborators`, { userId });

interface CollaboratorsAnswer {
  canManage: boolean;
  collaborators: { userId: string; username: string; invitedBy: { name: string } }[];
  candidates: { userId: string; username: string }[];
}

interface OperationsAnswer {
  operations: {
    action: string;
    actor: { name: string; role: string };
    fields: string[];
    moreFields: number;
    collaborator: { id: string; name: string } | null;
  }[];
}

describe('inviting and removing collaborators', () => {
  it('lets the owner invite a collaborator of the institution, listed with who invited them', async () => {
    const id = await newDraft();
    const before = (
      await server.as('submitter1', 'GET', `/api/v1/listings/${id}/collaborators`)
    ).json<CollaboratorsAnswer>();
    expect(before.canManage).toBe(true);
    expect(before.collaborators).toEqual([]);
    expect(before.candidates.map((c) => c.username)).toEqual(['collaborator1', 'collaborator2']);

    const invited = await invite(id, await server.userId('collaborator1'));
    expect(invited.statusCode, invited.body).toBe(201);
    // Inviting again changes nothing and says so (200, the standing invitation).
    const again = await invite(id, await server.userId('collaborator1'));
    expect(again.statusCode, again.body).toBe(200);

    const after = (
      await server.as('collaborator1', 'GET', `/api/v1/listings/${id}/collaborators`)
    ).json<CollaboratorsAnswer>();
    expect(after.canManage).toBe(false);
    expect(after.candidates).toEqual([]);
    expect(after.collaborators).toMatchObject([
      { username: 'collaborator1', invitedBy: { name: 'submitter1' } },
    ]);
  });

  it('refuses people outside the institution (422), submitters (422) and unknown ids (404)', async () => {
    const id = await newDraft();
    const outsider = await invite(id, extra.outsider);
    expect(outsider.statusCode, outsider.body).toBe(422);
    expect(outsider.json<{ error: { code: string } }>().error.code).toBe('NOT_A_MEMBER');
    const staff = await invite(id, await server.userId('reviewer1'));
    expect(staff.json<{ error: { code: string } }>().error.code).toBe('NOT_A_MEMBER');
    const submitter = await invite(id, extra.submitter2);
    expect(submitter.statusCode).toBe(422);
    expect(submitter.json<{ error: { code: string } }>().error.code).toBe('NOT_A_COLLABORATOR');
    const unknownUser = await invite(id, randomUUID());
    expect(unknownUser.statusCode, unknownUser.body).toBe(404);
    const unknownListing = await invite(randomUUID(), extra.collaborator2);
    expect(unknownListing.statusCode, unknownListing.body).toBe(404);
    const malformed = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${id}/collaborators`,
      {
        userId: 'collaborator2',
      },
    );
    expect(malformed.statusCode).toBe(400);
    const [count] = await server.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM listing_collaborators WHERE listing_id = $1',
      [id],
    );
    expect(count?.n).toBe(0);
  });

  it('lets only the owner invite or remove: not another submitter, a collaborator or staff (403)', async () => {
    const id = await newDraft();
    await inviteCollaborator(server, id);
    const submitter2 = await login('submitter2');
    expect(
      (
        await asToken(submitter2, 'POST', `/api/v1/listings/${id}/collaborators`, {
          userId: extra.collaborator2,
        })
      ).statusCode,
    ).toBe(403);
    for (const username of ['collaborator1', 'assistant1', 'reviewer1', 'ops1'] as const) {
      expect((await invite(id, extra.collaborator2, username)).statusCode, username).toBe(403);
      const removal = await server.as(
        username,
        'DELETE',
        `/api/v1/listings/${id}/collaborators/${await server.userId('collaborator1')}`,
      );
      expect(removal.statusCode, username).toBe(403);
    }
  });

  it('lets the assistant who entered an assisted draft invite; the institution’s submitter may not', async () => {
    const id = await newDraft('assistant1');
    expect((await invite(id, extra.collaborator2, 'submitter1')).statusCode).toBe(403);
    expect((await invite(id, extra.collaborator2, 'assistant1')).statusCode).toBe(201);
  });

  it('ends an invitation: the collaborator reads the draft and edits it no more', async () => {
    const id = await newDraft();
    await inviteCollaborator(server, id);
    const url = `/api/v1/listings/${id}/collaborators/${await server.userId('collaborator1')}`;
    expect(
      (
        await server.as(
          'collaborator1',
          'PUT',
          `/api/v1/listings/${id}/draft`,
          listingDocument('一'),
        )
      ).statusCode,
    ).toBe(200);
    expect((await server.as('submitter1', 'DELETE', url)).statusCode).toBe(204);
    expect((await server.as('submitter1', 'DELETE', url)).statusCode).toBe(404);
    const refused = await server.as(
      'collaborator1',
      'PUT',
      `/api/v1/listings/${id}/draft`,
      listingDocument('二'),
    );
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json<{ error: { details: { reason: string } } }>().error.details.reason).toBe(
      'NOT_INVITED',
    );
    expect((await server.as('collaborator1', 'GET', `/api/v1/listings/${id}`)).statusCode).toBe(
      200,
    );
    // Invited again later: a new invitation, the old one stays in the table as history.
    expect((await invite(id, await server.userId('collaborator1'))).statusCode).toBe(201);
    const rows = await server.db.query<{ removed_at: string | null }>(
      'SELECT removed_at FROM listing_collaborators WHERE listing_id = $1 ORDER BY invited_at, removed_at NULLS LAST',
      [id],
    );
    expect(rows.map((row) => row.removed_at === null)).toEqual([false, true]);
  });
});

describe('a collaborator never submits', () => {
  it('is refused the REST submit and the confirmation answer (no sync mutation submits)', async () => {
    const id = await newDraft();
    await inviteCollaborator(server, id);
    const submit = await server.as('collaborator1', 'POST', `/api/v1/listings/${id}/submit`);
    expect(submit.statusCode, submit.body).toBe(403);
    expect(submit.json<{ error: { message: string } }>().error.message).toMatch(
      /only the submitter/i,
    );

    // The collaborator sends the draft for confirmation (allowed) and cannot answer it themselves.
    const sent = await server.as('collaborator1', 'POST', `/api/v1/listings/${id}/confirmation`, {
      message: '请确认',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    for (const action of ['confirm', 'return'] as const) {
      const answer = await server.as(
        'collaborator1',
        'POST',
        `/api/v1/listings/${id}/confirmation/${action}`,
        { comment: '我自己确认' },
      );
      expect(answer.statusCode, `${action}: ${answer.body}`).toBe(403);
    }
    const [state] = await server.db.query<{ state: string }>(
      'SELECT state FROM listings WHERE id = $1',
      [id],
    );
    expect(state?.state).toBe('draft');
    const [items] = await server.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM review_items WHERE subject_id = $1',
      [id],
    );
    expect(items?.n).toBe(0);
    // The submitter confirms, which is what submits it.
    const confirmed = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${id}/confirmation/confirm`,
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
  });
});

describe('operation history', () => {
  it('records who changed which fields on every save, through REST and through sync', async () => {
    const id = await newDraft();
    await inviteCollaborator(server, id);
    server.clock.advance(1000);
    const renamed = listingDocument('协作者改的名字');
    expect(
      (await server.as('collaborator1', 'PUT', `/api/v1/listings/${id}/draft`, renamed)).statusCode,
    ).toBe(200);
    server.clock.advance(1000);
    const listing = (await server.as('submitter1', 'GET', `/api/v1/listings/${id}`)).json<{
      currentRevisionId: string;
      currentRowVersion: number;
      document: Record<string, unknown>;
    }>();
    const moved = structuredClone(listing.document);
    (moved['basic'] as Record<string, unknown>)['city'] = '曼彻斯特';
    const saved = await new TestSyncClient(server, 'submitter1').do('saveDraft', {
      listingId: id,
      document: moved,
      baseRevisionId: listing.currentRevisionId,
      baseRowVersion: listing.currentRowVersion,
    });
    expect(saved.status, JSON.stringify(saved)).toBe('applied');

    const history = (
      await server.as('collaborator1', 'GET', `/api/v1/listings/${id}/operations`)
    ).json<OperationsAnswer>();
    expect(
      history.operations.map((operation) => [
        operation.action,
        operation.actor.name,
        operation.fields,
      ]),
    ).toEqual([
      ['save_draft', 'submitter1', ['/basic/city']],
      ['save_draft', 'collaborator1', ['/basic/name']],
      ['invite_collaborator', 'submitter1', []],
      ['create', 'submitter1', []],
    ]);
    expect(history.operations[2]?.collaborator).toEqual({
      id: await server.userId('collaborator1'),
      name: 'collaborator1',
    });
  });

  it('leaves refused attempts out, and is the institution’s and the staff’s to read only', async () => {
    const id = await newDraft();
    // Not invited: the sync save is refused and audited as an attempt, not an operation.
    const listing = (await server.as('submitter1', 'GET', `/api/v1/listings/${id}`)).json<{
      currentRevisionId: string;
      currentRowVersion: number;
    }>();
    const refused = await new TestSyncClient(server, 'collaborator1').do('saveDraft', {
      listingId: id,
      document: listingDocument('未邀请'),
      baseRevisionId: listing.currentRevisionId,
      baseRowVersion: listing.currentRowVersion,
    });
    expect(refused.status).toBe('rejected');
    const history = (
      await server.as('reviewer1', 'GET', `/api/v1/listings/${id}/operations`)
    ).json<OperationsAnswer>();
    expect(history.operations.map((operation) => operation.action)).toEqual(['create']);
    const outsider = await login('outsider');
    expect((await asToken(outsider, 'GET', `/api/v1/listings/${id}/operations`)).statusCode).toBe(
      403,
    );
    expect(
      (await asToken(outsider, 'GET', `/api/v1/listings/${id}/collaborators`)).statusCode,
    ).toBe(403);
    expect((await server.as('ta1', 'GET', `/api/v1/listings/${id}/operations`)).statusCode).toBe(
      403,
    );
    expect(
      (await server.as('ta1', 'GET', `/api/v1/listings/${randomUUID()}/operations`)).statusCode,
    ).toBe(404);
  });

  it('counts the fields beyond the first 100 of one save instead of listing them', async () => {
    const id = await newDraft();
    const document = listingDocument('英国硕士申请');
    const basic = document['basic'] as Record<string, unknown>;
    for (let index = 0; index < 120; index += 1) {
      basic[`extra${index}`] = index;
    }
    expect(
      (await server.as('submitter1', 'PUT', `/api/v1/listings/${id}/draft`, document)).statusCode,
    ).toBe(200);
    const [latest] = (
      await server.as('submitter1', 'GET', `/api/v1/listings/${id}/operations`)
    ).json<OperationsAnswer>().operations;
    expect(latest?.fields).toHaveLength(100);
    expect(latest?.moreFields).toBe(20);
  });
});
