import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../../../server/src/auth/users';
import {
  createTestServer,
  OTHER_INSTITUTION_ID,
  TEST_INSTITUTION_ID,
  TEST_PASSWORD,
  type TestServer,
} from '../harness';
import { listingDocument, submitNewListing, TestSyncClient } from '../sync/client';

/**
 * A listing's versions (`GET /api/v1/listings/:id/versions` and `…/versions/:n`) and the assisted
 * drafts that concern the caller (`GET /api/v1/listings/confirmations`), issue 11.
 */
let server: TestServer;
let outsiderToken: string;

beforeEach(async () => {
  server = await createTestServer();
  await server.db.transaction((tx) =>
    createUser(
      tx,
      {
        username: 'submitter-other',
        displayName: '远航提交人',
        role: 'submitter',
        password: TEST_PASSWORD,
        institutionId: OTHER_INSTITUTION_ID,
      },
      server.clock.now(),
    ),
  );
  const login = await server.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username: 'submitter-other', password: TEST_PASSWORD },
  });
  outsiderToken = login.json<{ accessToken: string }>().accessToken;
});
afterEach(async () => {
  await server.close();
});

const asOutsider = (url: string) =>
  server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${outsiderToken}` } });

interface VersionsAnswer {
  liveRevisionId: string | null;
  currentRevisionId: string | null;
  versions: {
    id: string;
    number: number;
    state: string;
    live: boolean;
    current: boolean;
    submittedAt: string | null;
    submittedBy: { id: string; name: string } | null;
    decidedAt: string | null;
    decidedBy: { id: string; name: string } | null;
    outcome: string | null;
    enteredBy: { id: string; name: string } | null;
    confirmedBy: { id: string; name: string } | null;
  }[];
}

/** A live listing (version 1 approved) with an update in progress (version 2, a new price). */
async function liveWithUpdate() {
  const { listingId, itemId } = await submitNewListing(server, '英国硕士申请旗舰包');
  const approved = await new TestSyncClient(server, 'ops1').do('approve', { itemId });
  expect(approved.status, JSON.stringify(approved)).toBe('applied');
  server.clock.advance(60_000);
  const started = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/update`);
  expect(started.statusCode, started.body).toBe(200);
  const updated = listingDocument('英国硕士申请旗舰包（2027 春季价）');
  const saved = await server.as(
    'submitter1',
    'PUT',
    `/api/v1/listings/${listingId}/draft`,
    updated,
  );
  expect(saved.statusCode, saved.body).toBe(200);
  return { listingId, updated };
}

describe('GET /api/v1/listings/:id/versions', () => {
  it('lists the revisions newest first with states, times and who submitted and decided', async () => {
    const { listingId } = await liveWithUpdate();
    const answer = await server.as('submitter1', 'GET', `/api/v1/listings/${listingId}/versions`);
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json<VersionsAnswer>();
    expect(body.versions.map((version) => [version.number, version.state])).toEqual([
      [2, 'draft'],
      [1, 'live'],
    ]);
    const [draft, live] = body.versions;
    expect(draft).toMatchObject({ current: true, live: false, submittedAt: null, outcome: null });
    expect(live).toMatchObject({
      live: true,
      current: false,
      submittedBy: { id: await server.userId('submitter1') },
      decidedBy: { id: await server.userId('ops1') },
      outcome: 'approve',
      enteredBy: null,
      confirmedBy: null,
    });
    expect(live?.submittedAt).not.toBeNull();
    expect(live?.decidedAt).not.toBeNull();
    expect(body.liveRevisionId).toBe(live?.id);
    expect(body.currentRevisionId).toBe(draft?.id);
    // The reviewers see the same list (listing staff).
    const staff = await server.as('reviewer1', 'GET', `/api/v1/listings/${listingId}/versions`);
    expect(staff.json<VersionsAnswer>().versions).toHaveLength(2);
  });

  it('returns one version’s document, 404 for an unknown version or listing, 400 for a bad number', async () => {
    const { listingId, updated } = await liveWithUpdate();
    const first = await server.as('submitter1', 'GET', `/api/v1/listings/${listingId}/versions/1`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      number: 1,
      state: 'live',
      live: true,
      document: { basic: { name: '英国硕士申请旗舰包' } },
    });
    const second = await server.as('submitter1', 'GET', `/api/v1/listings/${listingId}/versions/2`);
    expect(second.json<{ document: unknown }>().document).toEqual(updated);

    const missing = await server.as(
      'submitter1',
      'GET',
      `/api/v1/listings/${listingId}/versions/3`,
    );
    expect(missing.statusCode).toBe(404);
    const unknown = await server.as(
      'submitter1',
      'GET',
      `/api/v1/listings/${randomUUID()}/versions`,
    );
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const unknownOne = await server.as(
      'submitter1',
      'GET',
      `/api/v1/listings/${randomUUID()}/versions/1`,
    );
    expect(unknownOne.statusCode).toBe(404);
    for (const bad of ['0', '-1', 'abc', '1.5']) {
      const answer = await server.as(
        'submitter1',
        'GET',
        `/api/v1/listings/${listingId}/versions/${bad}`,
      );
      expect(answer.statusCode, bad).toBe(400);
    }
    const badId = await server.as('submitter1', 'GET', '/api/v1/listings/not-a-uuid/versions');
    expect(badId.statusCode).toBe(400);
  });

  it('refuses another institution a draft (403) and shows it a live listing’s live version only', async () => {
    const created = await server.as('submitter1', 'POST', '/api/v1/listings', {
      document: listingDocument('草稿'),
    });
    const draftId = created.json<{ id: string }>().id;
    const refused = await asOutsider(`/api/v1/listings/${draftId}/versions`);
    expect(refused.statusCode).toBe(403);
    expect((await asOutsider(`/api/v1/listings/${draftId}/versions/1`)).statusCode).toBe(403);

    const { listingId } = await liveWithUpdate();
    const seen = await asOutsider(`/api/v1/listings/${listingId}/versions`);
    expect(seen.statusCode, seen.body).toBe(200);
    const body = seen.json<VersionsAnswer>();
    expect(body.versions.map((version) => version.number)).toEqual([1]);
    // Who submitted and decided is not the market's to know; nor the update in progress.
    expect(body.versions[0]).toMatchObject({ submittedBy: null, decidedBy: null });
    expect(body.currentRevisionId).toBe(body.liveRevisionId);
    expect((await asOutsider(`/api/v1/listings/${listingId}/versions/1`)).statusCode).toBe(200);
    expect((await asOutsider(`/api/v1/listings/${listingId}/versions/2`)).statusCode).toBe(403);
  });

  it('names who entered and who confirmed an assisted version', async () => {
    const created = await server.as('assistant1', 'POST', '/api/v1/listings', {
      institutionId: TEST_INSTITUTION_ID,
      document: listingDocument('澳洲硕士申请（纸质材料录入）'),
    });
    const id = created.json<{ id: string }>().id;
    expect(
      (await server.as('assistant1', 'POST', `/api/v1/listings/${id}/confirmation`, {})).statusCode,
    ).toBe(201);
    const confirmed = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${id}/confirmation/confirm`,
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const answer = await server.as('assistant1', 'GET', `/api/v1/listings/${id}/versions`);
    expect(answer.json<VersionsAnswer>().versions).toMatchObject([
      {
        number: 1,
        state: 'pending',
        enteredBy: { id: await server.userId('assistant1') },
        confirmedBy: { id: await server.userId('submitter1') },
        submittedBy: { id: await server.userId('submitter1') },
      },
    ]);
  });
});

describe('GET /api/v1/listings/confirmations', () => {
  interface ListAnswer {
    confirmations: {
      listingId: string;
      name: string;
      status: string;
      comment: string | null;
      requestedBy: { id: string };
      institutionName: string;
    }[];
  }
  const list = async (username: 'submitter1' | 'assistant1' | 'reviewer1') =>
    (await server.as(username, 'GET', '/api/v1/listings/confirmations')).json<ListAnswer>()
      .confirmations;

  it('gives the submitter what waits for them and the assistant what came back', async () => {
    const created = await server.as('assistant1', 'POST', '/api/v1/listings', {
      institutionId: TEST_INSTITUTION_ID,
      document: listingDocument('澳洲硕士申请（待确认）'),
    });
    const id = created.json<{ id: string }>().id;
    expect(await list('submitter1')).toEqual([]);
    await server.as('assistant1', 'POST', `/api/v1/listings/${id}/confirmation`, {
      message: '请核对',
    });
    expect(await list('submitter1')).toMatchObject([
      {
        listingId: id,
        name: '澳洲硕士申请（待确认）',
        status: 'requested',
        institutionName: '杭州明远教育科技有限公司',
        requestedBy: { id: await server.userId('assistant1') },
      },
    ]);
    expect(await list('assistant1')).toMatchObject([{ listingId: id, status: 'requested' }]);
    // Another institution's submitter and the staff have nothing to confirm.
    const other = await asOutsider('/api/v1/listings/confirmations');
    expect(other.statusCode).toBe(200);
    expect(other.json<ListAnswer>().confirmations).toEqual([]);
    expect(await list('reviewer1')).toEqual([]);

    await server.as('submitter1', 'POST', `/api/v1/listings/${id}/confirmation/return`, {
      comment: '价格应为 68,000 元',
    });
    expect(await list('submitter1')).toEqual([]);
    expect(await list('assistant1')).toMatchObject([
      { listingId: id, status: 'returned', comment: '价格应为 68,000 元' },
    ]);

    await server.as('assistant1', 'POST', `/api/v1/listings/${id}/confirmation`, {});
    expect(await list('submitter1')).toHaveLength(1);
    await server.as('submitter1', 'POST', `/api/v1/listings/${id}/confirmation/confirm`);
    expect(await list('submitter1')).toEqual([]);
    expect(await list('assistant1')).toEqual([]);
  });
});
