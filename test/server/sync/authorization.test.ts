import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '#shared/domain/roles';
import { createUser } from '../../../server/src/auth/users';
import { buildMutationRegistry } from '../../../server/src/review/kinds';
import {
  createTestServer,
  TEST_INSTITUTION_ID,
  TEST_PASSWORD,
  type TestServer,
  type TestUsername,
} from '../harness';
import { inviteCollaborator } from '../listings/invite';
import { listingDocument, submitNewListing, TestSyncClient } from './client';

/**
 * Who may run which mutation, over every role × mutation (the server never trusts the client).
 * The expected table is written here, independently of the code: ✓ means the mutation applies,
 * anything else must be refused with FORBIDDEN and change nothing.
 */
const ALLOWED: Readonly<Record<string, readonly Role[]>> = {
  claim: ['reviewer', 'ops_manager'],
  renewLease: ['reviewer', 'ops_manager'],
  release: ['reviewer', 'ops_manager'],
  comment: ['reviewer', 'ops_manager'],
  approve: ['reviewer', 'ops_manager'],
  reject: ['reviewer', 'ops_manager'],
  takedown: ['submitter', 'reviewer', 'ops_manager'],
  forceTakedown: ['ops_manager'],
  assign: ['ops_manager'],
  gradeHomework: ['ta'],
  mentorReview: ['mentor'],
  approveRefund: ['ops_manager'],
  'claim@2': ['reviewer', 'ops_manager'],
  logTime: ['reviewer', 'ops_manager'],
  'gradeHomework@2': ['ta'],
  saveRubric: ['ops_manager'],
  saveBankComment: ['ta', 'ops_manager'],
  noteStudentContact: ['ta', 'ops_manager'],
  replyEscalation: ['assistant', 'ops_manager'],
  closeEscalation: ['assistant', 'ops_manager'],
  // The test institution's submitter, the collaborator its owner invited to this listing and
  // assistants (assisted entry) write its drafts; a collaborator not invited is refused (below).
  saveDraft: ['submitter', 'collaborator', 'assistant'],
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

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});

async function homeworkItem(
  chapter = '02_进阶篇',
): Promise<{ taItem: string; submissionId: string; studentId: string }> {
  const studentId = `s-${randomUUID().slice(0, 8)}`;
  const response = await server.as('ops1', 'POST', '/api/v1/homework', {
    studentId,
    studentName: '韩梅梅',
    chapter,
    articleUrl: 'https://mp.weixin.qq.com/s/xyz',
  });
  const body = response.json<{ id: string; itemId: string }>();
  return { taItem: body.itemId, submissionId: body.id, studentId };
}

function rubricArgs(chapter: string) {
  return {
    rubricId: randomUUID(),
    chapter,
    title: '评分标准',
    maxScore: 100,
    criteria: [
      { id: randomUUID(), title: '结构', description: '', points: 60 },
      { id: randomUUID(), title: '表达', description: '', points: 40 },
    ],
  };
}

/** A homework item of a chapter with a rubric, and the arguments of a full-marks pass. */
async function rubricGrade(): Promise<Record<string, unknown>> {
  const chapter = `09_${randomUUID().slice(0, 8)}`;
  const rubric = rubricArgs(chapter);
  const saved = await new TestSyncClient(server, 'ops1').do('saveRubric', rubric);
  expect(saved.status, JSON.stringify(saved)).toBe('applied');
  const { taItem, submissionId } = await homeworkItem(chapter);
  const [row] = await server.db.query<{ evidence_sha256: string }>(
    'SELECT evidence_sha256 FROM homework_submissions WHERE id = $1',
    [submissionId],
  );
  return {
    itemId: taItem,
    outcome: 'pass',
    rubricId: rubric.rubricId,
    rubricRevision: 1,
    criterionScores: Object.fromEntries(rubric.criteria.map((c) => [c.id, c.points])),
    feedback: '',
    evidenceSha256: row!.evidence_sha256,
  };
}

/** Moves the server clock into the Friday the mentors' pool opens for the item, if before it. */
async function openPool(itemId: string): Promise<void> {
  const [row] = await server.db.query<{ due_at: string }>(
    'SELECT due_at FROM review_items WHERE id = $1',
    [itemId],
  );
  const opensAt = Date.parse(row!.due_at) - 24 * 3_600_000;
  if (server.clock.now() < opensAt) {
    server.clock.set(opensAt + 10 * 3_600_000);
  }
}

async function mentorItem(): Promise<string> {
  const { taItem, submissionId } = await homeworkItem();
  await new TestSyncClient(server, 'ta1').do('gradeHomework', {
    itemId: taItem,
    outcome: 'pass',
    score: 88,
    feedback: '',
  });
  const [row] = await server.db.query<{ id: string }>(
    `SELECT id FROM review_items WHERE kind = 'homework_mentor' AND subject_id = $1`,
    [submissionId],
  );
  return row!.id;
}

async function refundItem(): Promise<string> {
  const refundId = randomUUID();
  const itemId = randomUUID();
  const now = new Date(server.clock.now()).toISOString();
  await server.db.query(
    `INSERT INTO refund_requests (id, student_id, student_name, order_id, amount, purchased_at, requested_at,
                                  progress_percent, eligible, state, updated_at)
     VALUES ($1, 's-9', '王芳', $2, 1999.00, $3, $3, 5, true, 'pending', $3)`,
    [refundId, `o-${refundId.slice(0, 6)}`, now],
  );
  await server.db.query(
    `INSERT INTO review_items (id, kind, subject_id, state, title, created_at, updated_at)
     VALUES ($1, 'refund', $2, 'pending', '退款', $3, $3)`,
    [itemId, refundId, now],
  );
  return itemId;
}

/** An escalated customer-service conversation's review item (three follow-ups in a row). */
async function escalationItem(): Promise<string> {
  const id = `CS-${randomUUID().slice(0, 8)}`;
  const start = server.clock.now() - 3_600_000;
  const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
  const messages = [0, 1, 2, 3].flatMap((turn) => [
    { id: `c${turn}`, author: 'customer', text: `问题 ${turn}`, sentAt: at(turn * 2) },
    ...(turn < 3
      ? [{ id: `b${turn}`, author: 'bot', text: `回答 ${turn}`, sentAt: at(turn * 2 + 1) }]
      : []),
  ]);
  const put = await server.as('ops1', 'PUT', `/api/v1/support/conversations/${id}`, {
    channel: 'wechat',
    customer: { id: 'M1', name: '陈思远', contact: '' },
    topic: '发票',
    messages,
  });
  const itemId = put.json<{ escalation: { itemId: string } | null }>().escalation?.itemId;
  if (itemId === undefined) {
    throw new Error(`the conversation did not escalate: ${put.body}`);
  }
  return itemId;
}

/** Prepares a target the mutation can apply to, and returns the mutation to send. */
async function arrange(
  mutation: string,
  role: Role,
): Promise<{ name: string; args: unknown; v?: number }> {
  switch (mutation) {
    case 'claim':
    case 'approve':
      return { name: mutation, args: { itemId: (await submitNewListing(server)).itemId } };
    case 'renewLease':
    case 'release': {
      const { itemId } = await submitNewListing(server);
      // The caller holds the item when their role may claim at all, so only the role decides.
      if (ALLOWED['claim']!.includes(role)) {
        await new TestSyncClient(server, USER_OF_ROLE[role]).do('claim', { itemId });
      }
      return { name: mutation, args: { itemId } };
    }
    case 'comment':
      return {
        name: mutation,
        args: {
          itemId: (await submitNewListing(server)).itemId,
          path: '/basic/name',
          text: '名称请包含国家',
        },
      };
    case 'reject': {
      const { itemId } = await submitNewListing(server);
      return {
        name: mutation,
        args: {
          itemId,
          reasons: ['other'],
          comments: [{ path: '/basic/name', reasonCode: 'other', text: '请修改' }],
        },
      };
    }
    case 'takedown':
    case 'forceTakedown': {
      const { itemId, listingId } = await submitNewListing(server);
      await new TestSyncClient(server, 'ops1').do('approve', { itemId });
      return { name: mutation, args: { listingId, reason: '复核下线' } };
    }
    case 'assign':
      return {
        name: mutation,
        args: {
          itemId: (await submitNewListing(server)).itemId,
          assigneeId: await server.userId('reviewer2'),
        },
      };
    case 'gradeHomework':
      return {
        name: mutation,
        args: { itemId: (await homeworkItem()).taItem, outcome: 'pass', score: 90, feedback: '' },
      };
    case 'mentorReview': {
      const itemId = await mentorItem();
      await openPool(itemId);
      return { name: mutation, args: { itemId, excellent: true, comment: '结构清晰，案例充分' } };
    }
    case 'gradeHomework@2':
      return { name: 'gradeHomework', v: 2, args: await rubricGrade() };
    case 'saveRubric':
      return { name: mutation, args: rubricArgs(`08_${randomUUID().slice(0, 8)}`) };
    case 'saveBankComment':
      return {
        name: mutation,
        args: {
          commentId: randomUUID(),
          chapter: '02_进阶篇',
          language: 'zh-CN',
          text: '请补充前后对比。',
        },
      };
    case 'noteStudentContact':
      return {
        name: mutation,
        args: { studentId: (await homeworkItem()).studentId, note: '已私聊提醒' },
      };
    case 'approveRefund':
      return { name: 'approve', args: { itemId: await refundItem() } };
    case 'claim@2':
      return {
        name: 'claim',
        v: 2,
        args: { itemId: (await submitNewListing(server)).itemId, leaseHours: 8 },
      };
    case 'logTime':
      return {
        name: 'logTime',
        args: {
          itemId: (await submitNewListing(server)).itemId,
          seconds: 95,
          startedAt: '2026-11-21T01:00:00+08:00',
        },
      };
    case 'replyEscalation':
      return {
        name: mutation,
        args: { itemId: await escalationItem(), text: '您好，已为您处理。' },
      };
    case 'closeEscalation':
      return {
        name: mutation,
        args: { itemId: await escalationItem(), resolution: 'answered', note: '' },
      };
    case 'saveDraft': {
      const created = await server.as('submitter1', 'POST', '/api/v1/listings', {
        document: listingDocument('草稿'),
      });
      const { id } = created.json<{ id: string }>();
      if (role === 'collaborator') {
        await inviteCollaborator(server, id);
      }
      const listing = (await server.as('submitter1', 'GET', `/api/v1/listings/${id}`)).json<{
        currentRevisionId: string;
        currentRowVersion: number;
      }>();
      return {
        name: mutation,
        args: {
          listingId: id,
          document: listingDocument('草稿 2'),
          baseRevisionId: listing.currentRevisionId,
          baseRowVersion: listing.currentRowVersion,
        },
      };
    }
    default:
      throw new Error(`no arrangement for ${mutation}`);
  }
}

describe('role × mutation', () => {
  const cases = Object.keys(ALLOWED).flatMap((mutation) =>
    ROLES.map((role) => [mutation, role] as const),
  );

  it('covers every role and every mutation version the server knows', () => {
    expect(cases).toHaveLength(Object.keys(ALLOWED).length * ROLES.length);
    const covered = new Set(
      Object.keys(ALLOWED).map((key) =>
        key === 'approveRefund' ? 'approve@1' : key.includes('@') ? key : `${key}@1`,
      ),
    );
    expect([...buildMutationRegistry().keys()].sort()).toEqual([...covered].sort());
  });

  it.each(cases)('%s by %s', async (mutation, role) => {
    const { name, args, v } = await arrange(mutation, role);
    const client = new TestSyncClient(server, USER_OF_ROLE[role]);
    const before = await server.db.query<{ n: number }>(
      'SELECT count(*)::int8 AS n FROM decisions',
    );
    const result = await client.do(name, args, v === undefined ? {} : { v });
    if (ALLOWED[mutation]!.includes(role)) {
      expect(result.status, JSON.stringify(result)).toBe('applied');
    } else {
      expect(result, JSON.stringify(result)).toMatchObject({
        status: 'rejected',
        code: 'FORBIDDEN',
      });
      const after = await server.db.query<{ n: number }>(
        'SELECT count(*)::int8 AS n FROM decisions',
      );
      expect(after).toEqual(before);
    }
  });

  it('refuses saveDraft of a collaborator the owner did not invite, or removed', async () => {
    const created = await server.as('submitter1', 'POST', '/api/v1/listings', {
      document: listingDocument('未邀请'),
    });
    const { id } = created.json<{ id: string }>();
    const save = async (name: string) => {
      const listing = (await server.as('submitter1', 'GET', `/api/v1/listings/${id}`)).json<{
        currentRevisionId: string;
        currentRowVersion: number;
      }>();
      return new TestSyncClient(server, 'collaborator1').do('saveDraft', {
        listingId: id,
        document: listingDocument(name),
        baseRevisionId: listing.currentRevisionId,
        baseRowVersion: listing.currentRowVersion,
      });
    };
    expect(await save('改名 1')).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    await inviteCollaborator(server, id);
    expect((await save('改名 2')).status).toBe('applied');
    const removed = await server.as(
      'submitter1',
      'DELETE',
      `/api/v1/listings/${id}/collaborators/${await server.userId('collaborator1')}`,
    );
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await save('改名 3')).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
  });

  it('limits a submitter’s takedown to their own institution’s listings', async () => {
    const otherSubmitter = await server.db.transaction(async (tx) =>
      createUser(
        tx,
        {
          username: 'submitter-other',
          displayName: '他人',
          role: 'submitter',
          password: TEST_PASSWORD,
          institutionId: '00000000-0000-4000-8000-000000000002',
        },
        server.clock.now(),
      ),
    );
    expect(otherSubmitter).toBeTruthy();
    const { itemId, listingId } = await submitNewListing(server);
    await new TestSyncClient(server, 'ops1').do('approve', { itemId });
    const response = await server.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'submitter-other', password: TEST_PASSWORD },
    });
    const token = response.json<{ accessToken: string }>().accessToken;
    const push = await server.app.inject({
      method: 'POST',
      url: '/sync/v1/push',
      headers: { authorization: `Bearer ${token}` },
      payload: {
        protocol: 1,
        clientId: randomUUID(),
        mutations: [
          {
            seq: 1,
            mutationId: randomUUID(),
            name: 'takedown',
            v: 1,
            args: { listingId, reason: '恶意下线' },
          },
        ],
      },
    });
    expect(push.json<{ results: { code: string }[] }>().results[0]?.code).toBe('FORBIDDEN');
    const [listing] = await server.db.query<{ state: string; institution_id: string }>(
      'SELECT state, institution_id FROM listings WHERE id = $1',
      [listingId],
    );
    expect(listing).toEqual({ state: 'live', institution_id: TEST_INSTITUTION_ID });
  });
});
