import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse } from '#shared/sync/protocol';
import { createUser } from '../../../server/src/auth/users';
import { fileHomework, HOMEWORK } from '../homework/support';
import { multipart, PDF, PNG } from '../files/uploads';
import {
  createTestServer,
  OTHER_INSTITUTION_ID,
  TEST_PASSWORD,
  type TestServer,
  type TestUsername,
} from '../harness';
import { listingDocument, TestSyncClient } from './client';

/*
 * Redaction by role, end to end: known sensitive values are planted in a licence (credential
 * file name, listing document) and in a student's homework and roster entry; then every byte
 * each role's device can receive is collected — the full bootstrap, a delta after a change, the
 * item fetch, the listing and file endpoints — and searched for them. Each value must be absent
 * for the roles the policy denies it and present for the roles that need it (else the test
 * could not fail).
 */

/** A resident ID number and a mobile number on the licence side (GB 11643, 13x mobile). */
const LICENCE_ID_NUMBER = '110101199003071234';
const LICENCE_PHONE = '13800138000';
/** The test institution's unified social credit code (harness seed). */
const CREDIT_CODE = '91330106MA2H3K7X5Q';
/** A student's mobile number and WeChat id. */
const STUDENT_PHONE = '13912345678';
const STUDENT_WECHAT = 'LiLei_2026';

const LICENCE_VALUES = [LICENCE_ID_NUMBER, LICENCE_PHONE, CREDIT_CODE];
const STUDENT_VALUES = [STUDENT_PHONE, STUDENT_WECHAT];

/** A seeded user, or one these tests create (`outsider1`, another institution's submitter). */
type Viewer = TestUsername | 'outsider1' | 'roleswap1';
const VIEWERS: readonly Viewer[] = [
  'submitter1',
  'collaborator1',
  'outsider1',
  'assistant1',
  'reviewer1',
  'ops1',
  'ta1',
  'mentor1',
];

/** Who must receive each kind of value (`shared/domain/redaction.ts`, by hand). */
const SEES_LICENCE: readonly Viewer[] = [
  'submitter1',
  'collaborator1',
  'assistant1',
  'reviewer1',
  'ops1',
];
const SEES_STUDENT_CONTACT: readonly Viewer[] = ['ta1', 'ops1'];

let server: TestServer;
const tokens = new Map<Viewer, string>();

async function token(viewer: Viewer): Promise<string> {
  if (viewer !== 'outsider1' && viewer !== 'roleswap1') {
    return server.token(viewer);
  }
  const cached = tokens.get(viewer);
  if (cached !== undefined) {
    return cached;
  }
  const login = await server.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username: viewer, password: TEST_PASSWORD },
  });
  const { accessToken } = login.json<{ accessToken: string }>();
  tokens.set(viewer, accessToken);
  return accessToken;
}

async function request(
  viewer: Viewer,
  method: 'GET' | 'POST',
  url: string,
  payload?: Record<string, unknown>,
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${await token(viewer)}` },
    ...(payload === undefined ? {} : { payload }),
  });
}

/** Everything a device received: status, headers and body of each response, as text. */
class Received {
  readonly responses: string[] = [];
  cursor: string | null = null;
  readonly clientId = randomUUID();
  readonly itemIds = new Set<string>();

  keep(response: LightMyRequestResponse): void {
    this.responses.push(
      `${response.statusCode}\n${JSON.stringify(response.headers)}\n${response.body}`,
    );
  }

  get bytes(): string {
    return this.responses.join('\n');
  }

  /** Pulls until nothing is left: a bootstrap from `cursor: null`, then deltas. */
  async pullAll(viewer: Viewer): Promise<void> {
    for (let guard = 0; guard < 1000; guard += 1) {
      const response = await request(viewer, 'POST', '/sync/v1/pull', {
        protocol: 1,
        clientId: this.clientId,
        cursor: this.cursor,
        limit: 50,
      });
      expect(response.statusCode, response.body).toBe(200);
      this.keep(response);
      const page = response.json<PullResponse>();
      for (const change of page.changes) {
        if (change.table === 'review_items' && change.op === 'put') {
          this.itemIds.add(change.id);
        }
      }
      this.cursor = page.cursor;
      if (!page.hasMore) {
        return;
      }
    }
    throw new Error('pull never finished');
  }
}

const received = new Map<Viewer, Received>();
const listingIds: string[] = [];
let credentialFileId = '';
let screenshotId = '';

/** A listing with the licence values in its text and credential list, live after review. */
async function liveListing(name: string): Promise<string> {
  const document = listingDocument(name);
  const risk = document['risk'] as Record<string, unknown>;
  risk['afterSalesPolicy'] = `售后联系人 张伟，手机 ${LICENCE_PHONE}`;
  const credentials = document['credentials'] as { files: Record<string, unknown>[] };
  const [licence] = credentials.files;
  if (licence === undefined) {
    throw new Error('the fixture has no licence');
  }
  licence['fileName'] = `法人身份证_${LICENCE_ID_NUMBER}.pdf`;
  const created = await server.as('submitter1', 'POST', '/api/v1/listings', { document });
  const { id } = created.json<{ id: string }>();
  const submitted = await server.as('submitter1', 'POST', `/api/v1/listings/${id}/submit`);
  expect(submitted.statusCode, submitted.body).toBe(200);
  const { itemId } = submitted.json<{ itemId: string }>();
  expect(await new TestSyncClient(server, 'ops1').do('approve', { itemId })).toMatchObject({
    status: 'applied',
  });
  return id;
}

async function uploadTo(url: string, filename: string, content: Buffer): Promise<string> {
  const body = multipart([{ name: 'file', filename, content }]);
  const response = await server.app.inject({
    method: 'POST',
    url,
    headers: {
      authorization: `Bearer ${await server.token(url.includes('/homework/') ? 'ops1' : 'submitter1')}`,
      'content-type': body.contentType,
    },
    payload: body.payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

beforeAll(async () => {
  server = await createTestServer();
  await server.db.transaction((tx) =>
    createUser(
      tx,
      {
        username: 'outsider1',
        displayName: '另一家机构',
        role: 'submitter',
        password: TEST_PASSWORD,
        institutionId: OTHER_INSTITUTION_ID,
      },
      server.clock.now(),
    ),
  );

  // The licence side: a credential file named after its holder's ID, a listing that goes live.
  const draft = await server.as('submitter1', 'POST', '/api/v1/listings', {
    document: listingDocument('英国硕士申请旗舰包'),
  });
  const draftId = draft.json<{ id: string }>().id;
  credentialFileId = await uploadTo(
    `/api/v1/listings/${draftId}/files`,
    `营业执照_法人${LICENCE_ID_NUMBER}.pdf`,
    PDF,
  );
  listingIds.push(draftId, await liveListing('英国硕士申请标准包'));

  // The student side: homework with contact data, passed to the mentors' pool, and a contact note.
  const homework = await fileHomework(server, {
    reflection: `有问题请加微信号：${STUDENT_WECHAT}，或打电话 ${STUDENT_PHONE}。`,
  });
  screenshotId = await uploadTo(
    `/api/v1/homework/${homework.id}/files`,
    `${STUDENT_PHONE}.png`,
    PNG,
  );
  const ta = new TestSyncClient(server, 'ta1');
  expect(
    await ta.do('gradeHomework', {
      itemId: homework.itemId,
      outcome: 'pass',
      score: 80,
      feedback: '',
    }),
  ).toMatchObject({ status: 'applied' });
  expect(
    await ta.do('noteStudentContact', {
      studentId: HOMEWORK.studentId,
      note: `已电话联系 ${STUDENT_PHONE}`,
    }),
  ).toMatchObject({ status: 'applied' });

  for (const viewer of VIEWERS) {
    const device = new Received();
    await device.pullAll(viewer);
    received.set(viewer, device);
  }

  // Changes after the bootstraps: another live listing and a changed homework, then deltas.
  listingIds.push(await liveListing('英国硕士申请冲刺包'));
  const updated = await server.as('ops1', 'PUT', `/api/v1/homework/${homework.id}`, {
    articleText: `${HOMEWORK.articleText} 联系我：${STUDENT_PHONE}`,
  });
  expect(updated.statusCode, updated.body).toBe(200);

  for (const viewer of VIEWERS) {
    const device = received.get(viewer);
    if (device === undefined) {
      throw new Error(`no device for ${viewer}`);
    }
    await device.pullAll(viewer);
    if (device.itemIds.size > 0) {
      const items = await request(viewer, 'POST', '/sync/v1/items', {
        protocol: 1,
        itemIds: [...device.itemIds].slice(0, 50),
      });
      expect(items.statusCode, items.body).toBe(200);
      device.keep(items);
    }
    for (const listingId of listingIds) {
      device.keep(await request(viewer, 'GET', `/api/v1/listings/${listingId}`));
    }
    device.keep(await request(viewer, 'GET', `/api/v1/files/${credentialFileId}`));
    device.keep(await request(viewer, 'GET', `/api/v1/files/${screenshotId}`));
  }
}, 120_000);

afterAll(async () => {
  await server.close();
});

function bytesOf(viewer: Viewer): string {
  const device = received.get(viewer);
  if (device === undefined) {
    throw new Error(`no device for ${viewer}`);
  }
  return device.bytes;
}

describe('redaction by role', () => {
  it.each(VIEWERS)(
    'licence ID and phone numbers reach %s only if the role needs them',
    (viewer) => {
      const bytes = bytesOf(viewer);
      for (const value of LICENCE_VALUES) {
        if (SEES_LICENCE.includes(viewer)) {
          expect(bytes, `${viewer} needs ${value}`).toContain(value);
        } else {
          expect(bytes, `${viewer} must not get ${value}`).not.toContain(value);
        }
      }
    },
  );

  it.each(VIEWERS)('students’ contact data reaches %s only if the role needs it', (viewer) => {
    const bytes = bytesOf(viewer);
    for (const value of STUDENT_VALUES) {
      if (SEES_STUDENT_CONTACT.includes(viewer)) {
        expect(bytes, `${viewer} needs ${value}`).toContain(value);
      } else {
        expect(bytes, `${viewer} must not get ${value}`).not.toContain(value);
      }
    }
  });

  it('still gives TAs and mentors the listing and the homework, with the values marked hidden', () => {
    for (const viewer of ['ta1', 'mentor1'] as const) {
      const bytes = bytesOf(viewer);
      // The live listings arrive (their names), with the licence phone masked in their text.
      expect(bytes).toContain('英国硕士申请标准包');
      expect(bytes).toContain('英国硕士申请冲刺包');
      expect(bytes).toContain('售后联系人 张伟，手机 ⟦hidden:phone⟧');
      expect(bytes).toContain('"redacted":["/document/credentials/files"]');
    }
    const mentor = bytesOf('mentor1');
    expect(mentor).toContain(HOMEWORK.studentName);
    expect(mentor).toContain('有问题请加微信号：⟦hidden:wechat⟧，或打电话 ⟦hidden:phone⟧。');
    // The screenshot itself reaches the mentor, under a masked name.
    expect(mentor).toContain(encodeURIComponent('⟦hidden:phone⟧.png'));
  });

  it('answers a roster update with the contact note only to roles that need it', async () => {
    const update = { cohort: '2026 春季班' };
    const forOps = await server.as('ops1', 'PUT', `/api/v1/students/${HOMEWORK.studentId}`, update);
    expect(forOps.statusCode, forOps.body).toBe(200);
    expect(forOps.json()).toMatchObject({ contactNote: `已电话联系 ${STUDENT_PHONE}` });
    expect(forOps.json()).not.toHaveProperty('redacted');
    // Assistants file students for the course platform but never contact them.
    const forAssistant = await server.as(
      'assistant1',
      'PUT',
      `/api/v1/students/${HOMEWORK.studentId}`,
      update,
    );
    expect(forAssistant.statusCode, forAssistant.body).toBe(200);
    expect(forAssistant.json()).toMatchObject({ contactNote: null, redacted: ['/contactNote'] });
    expect(forAssistant.body).not.toContain(STUDENT_PHONE);
  });

  it('makes a device start over when its user’s role changes, dropping what it may not keep', async () => {
    await server.db.transaction((tx) =>
      createUser(
        tx,
        { username: 'roleswap1', displayName: '转岗老师', role: 'ta', password: TEST_PASSWORD },
        server.clock.now(),
      ),
    );
    const device = new Received();
    await device.pullAll('roleswap1');
    expect(device.bytes).toContain(STUDENT_PHONE);

    await server.db.query(`UPDATE users SET role = 'mentor' WHERE username = 'roleswap1'`);
    const next = await request('roleswap1', 'POST', '/sync/v1/pull', {
      protocol: 1,
      clientId: device.clientId,
      cursor: device.cursor,
    });
    expect(next.statusCode, next.body).toBe(200);
    // Nothing changed in the data: only the reset makes the device drop the TA's rows.
    expect(next.json<PullResponse>().reset).toBe(true);
    const asMentor = new Received();
    asMentor.keep(next);
    asMentor.cursor = next.json<PullResponse>().cursor;
    await asMentor.pullAll('roleswap1');
    expect(asMentor.bytes).toContain(HOMEWORK.studentName);
    expect(asMentor.bytes).not.toContain(STUDENT_PHONE);
  });

  it('refuses licence files to TAs and mentors outright', async () => {
    for (const viewer of ['ta1', 'mentor1', 'outsider1'] as const) {
      const response = await request(viewer, 'GET', `/api/v1/files/${credentialFileId}`);
      expect(response.statusCode).toBe(403);
    }
  });
});
