import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EARLIEST_SUBMITTED_AT } from '../../../server/src/review/kinds/homeworkRoutes';
import { createTestServer, TEST_EPOCH, type TestServer, type TestUsername } from '../harness';
import { TestSyncClient } from '../sync/client';

/**
 * `POST /api/v1/homework` (the course platform files a student's chapter homework) and the two
 * reviews that follow through sync: the TA's first pass and the mentors' Friday review.
 * Test time starts on Saturday 2026-11-21, 09:00 in Shanghai (01:00 UTC).
 */

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});

interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly details?: { issues?: { path: string; message: string }[] };
  };
}

interface Filed {
  readonly id: string;
  readonly itemId: string;
  readonly taDueAt: string;
}

interface SubmissionRow {
  readonly student_id: string;
  readonly student_name: string;
  readonly chapter: string;
  readonly article_url: string;
  readonly reflection: string;
  readonly state: string;
  readonly score: number | null;
  readonly ta_feedback: string | null;
  readonly ta_id: string | null;
  readonly mentor_id: string | null;
  readonly excellent: boolean | null;
  readonly mentor_comment: string | null;
  readonly submitted_at: string;
  readonly ta_due_at: string;
  readonly archived_at: string | null;
}

interface ItemRow {
  readonly id: string;
  readonly kind: string;
  readonly state: string;
  readonly subject_id: string;
  readonly due_at: string | null;
  readonly title: string;
}

const HOMEWORK = {
  studentId: 'stu_20261101',
  studentName: '李雷',
  chapter: '01_基础篇',
  articleUrl: 'https://mp.weixin.qq.com/s/Ab3dEf',
  reflection: '第一次用提示词写完一篇完整的文章。',
} as const;

function expectError(
  response: LightMyRequestResponse,
  status: number,
  code: string,
): ErrorBody['error'] {
  expect(response.statusCode, response.body).toBe(status);
  const { error } = response.json<ErrorBody>();
  expect(error.code, response.body).toBe(code);
  return error;
}

async function file(body: object, username: TestUsername = 'ta1'): Promise<Filed> {
  const response = await server.as(username, 'POST', '/api/v1/homework', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Filed>();
}

async function submission(id: string): Promise<SubmissionRow> {
  const [row] = await server.db.query<SubmissionRow>(
    `SELECT student_id, student_name, chapter, article_url, reflection, state, score, ta_feedback,
            ta_id, mentor_id, excellent, mentor_comment, submitted_at, ta_due_at, archived_at
       FROM homework_submissions WHERE id = $1`,
    [id],
  );
  if (row === undefined) {
    throw new Error(`no submission ${id}`);
  }
  return row;
}

function items(submissionId: string): Promise<ItemRow[]> {
  return server.db.query<ItemRow>(
    `SELECT id, kind, state, subject_id, due_at, title FROM review_items
      WHERE subject_id = $1 ORDER BY created_at, kind`,
    [submissionId],
  );
}

async function counts(): Promise<{ submissions: number; items: number; version: number }> {
  const [row] = await server.db.query<{ submissions: number; items: number; version: number }>(
    `SELECT (SELECT count(*) FROM homework_submissions) AS submissions,
            (SELECT count(*) FROM review_items) AS items,
            (SELECT version FROM sync_space WHERE space_id = 'main') AS version`,
  );
  if (row === undefined) {
    throw new Error('no counts');
  }
  return row;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/**
 * Moves the server clock to 10:00 Shanghai on the Friday the mentors' pool opens for `item`
 * (due at the end of that Friday), unless the clock is already past it.
 */
function openPoolFor(item: ItemRow | undefined): void {
  const opensAt = Date.parse(item?.due_at ?? '') - 24 * 3_600_000;
  if (Number.isNaN(opensAt)) {
    throw new Error('no mentor item');
  }
  if (server.clock.now() < opensAt) {
    server.clock.set(opensAt + 10 * 3_600_000);
  }
}

// ── Intake ───────────────────────────────────────────────────────────────────────────────────

describe('POST /api/v1/homework', () => {
  it.each(['ops1', 'ta1', 'assistant1'] as const)(
    'lets %s file homework into the TA queue',
    async (username) => {
      const before = await counts();
      const response = await server.as(username, 'POST', '/api/v1/homework', HOMEWORK);
      expect(response.statusCode, response.body).toBe(201);
      const body = response.json<Filed>();
      expect(Object.keys(body).sort()).toEqual(['id', 'itemId', 'taDueAt']);
      // Filed at 09:00 Shanghai: due at 18:00 Shanghai the same day.
      expect(body.taDueAt).toBe('2026-11-21T10:00:00.000Z');

      expect(await submission(body.id)).toMatchObject({
        student_id: HOMEWORK.studentId,
        student_name: HOMEWORK.studentName,
        chapter: HOMEWORK.chapter,
        article_url: HOMEWORK.articleUrl,
        reflection: HOMEWORK.reflection,
        state: 'submitted',
        score: null,
        submitted_at: iso(server.clock.now()),
        ta_due_at: body.taDueAt,
      });
      expect(await items(body.id)).toEqual([
        {
          id: body.itemId,
          kind: 'homework',
          state: 'pending',
          subject_id: body.id,
          due_at: body.taDueAt,
          title: `${HOMEWORK.studentName} · ${HOMEWORK.chapter}`,
        },
      ]);
      const audit = await server.db.query<{ action: string; to_state: string; actor_id: string }>(
        `SELECT action, to_state, actor_id FROM audit_events WHERE subject_id = $1`,
        [body.id],
      );
      expect(audit).toEqual([
        { action: 'submit', to_state: 'submitted', actor_id: await server.userId(username) },
      ]);
      const after = await counts();
      expect(after.submissions).toBe(before.submissions + 1);
      expect(after.version).toBeGreaterThan(before.version);
    },
  );

  it.each(['reviewer1', 'submitter1', 'collaborator1', 'mentor1'] as const)(
    'refuses %s with 403',
    async (username) => {
      const before = await counts();
      expectError(
        await server.as(username, 'POST', '/api/v1/homework', HOMEWORK),
        403,
        'FORBIDDEN',
      );
      expect(await counts()).toEqual(before);
    },
  );

  it('refuses a request without a token with 401', async () => {
    const before = await counts();
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/homework',
      payload: HOMEWORK,
    });
    expectError(response, 401, 'UNAUTHENTICATED');
    expect(await counts()).toEqual(before);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.com/homework.docx',
    'file:///etc/passwd',
    'mp.weixin.qq.com/s/Ab3dEf',
    'https://',
  ])('refuses the article URL %j with 400', async (articleUrl) => {
    const before = await counts();
    const error = expectError(
      await server.as('ta1', 'POST', '/api/v1/homework', { ...HOMEWORK, articleUrl }),
      400,
      'VALIDATION',
    );
    expect(error.details?.issues?.map((issue) => issue.path)).toEqual(['/articleUrl']);
    expect(await counts()).toEqual(before);
  });

  it('accepts http and https article URLs', async () => {
    for (const articleUrl of ['http://example.com/a', 'HTTPS://EXAMPLE.COM/B?x=1#y']) {
      const { id } = await file({ ...HOMEWORK, articleUrl });
      expect((await submission(id)).article_url).toBe(articleUrl);
    }
  });

  it.each(['studentId', 'studentName', 'chapter', 'articleUrl'] as const)(
    'refuses homework without %s with 400 at that field',
    async (field) => {
      const before = await counts();
      const { [field]: _missing, ...body } = HOMEWORK;
      const error = expectError(
        await server.as('ta1', 'POST', '/api/v1/homework', body),
        400,
        'VALIDATION',
      );
      expect(error.details?.issues?.map((issue) => issue.path)).toEqual([`/${field}`]);
      expectError(
        await server.as('ta1', 'POST', '/api/v1/homework', { ...HOMEWORK, [field]: '   ' }),
        400,
        'VALIDATION',
      );
      expect(await counts()).toEqual(before);
    },
  );

  it('refuses an empty body, a malformed one and a non-object', async () => {
    const before = await counts();
    expectError(await server.as('ta1', 'POST', '/api/v1/homework'), 400, 'VALIDATION');
    expectError(await server.as('ta1', 'POST', '/api/v1/homework', {}), 400, 'VALIDATION');
    const token = await server.token('ta1');
    for (const [payload, code] of [
      ['{"studentId":', 'MALFORMED_JSON'],
      ['[]', 'VALIDATION'],
      ['"homework"', 'VALIDATION'],
    ] as const) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/api/v1/homework',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload,
      });
      expectError(response, 400, code);
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses over-long fields and U+0000 with 400 (PostgreSQL text cannot hold U+0000)', async () => {
    const before = await counts();
    for (const body of [
      { ...HOMEWORK, studentId: 'x'.repeat(65) },
      { ...HOMEWORK, studentName: '名'.repeat(65) },
      { ...HOMEWORK, chapter: 'c'.repeat(101) },
      { ...HOMEWORK, reflection: 'r'.repeat(5001) },
      { ...HOMEWORK, articleUrl: `https://example.com/${'a'.repeat(2000)}` },
      { ...HOMEWORK, studentName: '李\u0000雷' },
      { ...HOMEWORK, chapter: '01\u0000' },
      { ...HOMEWORK, reflection: 'ok\u0000' },
      { ...HOMEWORK, articleUrl: 'https://example.com/\u0000' },
    ]) {
      expectError(await server.as('ta1', 'POST', '/api/v1/homework', body), 400, 'VALIDATION');
    }
    expect(await counts()).toEqual(before);
  });

  it('stores hostile text verbatim', async () => {
    const hostile = {
      ...HOMEWORK,
      studentId: "' OR '1'='1",
      studentName: '"; DROP TABLE users; --',
      chapter: '$1',
      reflection: '<script>alert(1)</script><img src=x onerror=alert(1)>',
    };
    const { id } = await file(hostile);
    expect(await submission(id)).toMatchObject({
      student_id: hostile.studentId,
      student_name: hostile.studentName,
      chapter: hostile.chapter,
      reflection: hostile.reflection,
    });
    const [users] = await server.db.query<{ n: number }>('SELECT count(*) AS n FROM users');
    expect(users?.n).toBe(9);
  });
});

// ── TA deadline ──────────────────────────────────────────────────────────────────────────────

describe('the TA deadline', () => {
  it('is 18:00 Shanghai the same day for a 10:00 submission', async () => {
    const filed = await file({ ...HOMEWORK, submittedAt: '2026-11-20T10:00:00+08:00' });
    expect(filed.taDueAt).toBe('2026-11-20T10:00:00.000Z');
    expect(await submission(filed.id)).toMatchObject({
      submitted_at: '2026-11-20T02:00:00.000Z',
      ta_due_at: '2026-11-20T10:00:00.000Z',
    });
    expect((await items(filed.id))[0]?.due_at).toBe('2026-11-20T10:00:00.000Z');
  });

  it('is 18:00 Shanghai the next day for a 19:00 submission (and one at 18:00 sharp)', async () => {
    const late = await file({ ...HOMEWORK, submittedAt: '2026-11-20T19:00:00+08:00' });
    expect(late.taDueAt).toBe('2026-11-21T10:00:00.000Z');
    const sharp = await file({ ...HOMEWORK, submittedAt: '2026-11-20T10:00:00Z' });
    expect(sharp.taDueAt).toBe('2026-11-21T10:00:00.000Z');
    const justBefore = await file({ ...HOMEWORK, submittedAt: '2026-11-20T09:59:59.999Z' });
    expect(justBefore.taDueAt).toBe('2026-11-20T10:00:00.000Z');
  });

  it('reads the submission time in Shanghai whatever offset it is sent with', async () => {
    // 2026-11-20 23:30 in New York is 2026-11-21 12:30 in Shanghai: due 18:00 on the 21st.
    const filed = await file({ ...HOMEWORK, submittedAt: '2026-11-20T23:30:00-05:00' });
    expect(filed.taDueAt).toBe('2026-11-21T10:00:00.000Z');
  });

  it('clamps a future submission time to now', async () => {
    const filed = await file({ ...HOMEWORK, submittedAt: '2026-12-01T10:00:00+08:00' });
    expect(await submission(filed.id)).toMatchObject({ submitted_at: iso(TEST_EPOCH) });
    expect(filed.taDueAt).toBe('2026-11-21T10:00:00.000Z');
  });

  it('refuses a submission time that is not an ISO time with offset, or absurdly old', async () => {
    const before = await counts();
    for (const submittedAt of [
      '2026-11-20 10:00:00',
      '2026-11-20T10:00:00',
      '2026-02-30T10:00:00Z',
      'yesterday',
      '0000-01-01T00:00:00Z',
      '1999-12-31T23:59:59Z',
    ]) {
      const error = expectError(
        await server.as('ta1', 'POST', '/api/v1/homework', { ...HOMEWORK, submittedAt }),
        400,
        'VALIDATION',
      );
      expect(error.details?.issues?.map((issue) => issue.path)).toEqual(['/submittedAt']);
    }
    expect(await counts()).toEqual(before);
    const earliest = await file({ ...HOMEWORK, submittedAt: EARLIEST_SUBMITTED_AT });
    expect((await submission(earliest.id)).submitted_at).toBe(
      iso(Date.parse(EARLIEST_SUBMITTED_AT)),
    );
  });
});

// ── Grading through sync ─────────────────────────────────────────────────────────────────────

describe('grading through sync', () => {
  it('passes homework into the mentors’ pool, and the mentor’s review archives it', async () => {
    const { id, itemId } = await file(HOMEWORK);
    const ta = new TestSyncClient(server, 'ta1');
    const graded = await ta.do('gradeHomework', {
      itemId,
      outcome: 'pass',
      score: 90,
      feedback: '',
    });
    expect(graded, JSON.stringify(graded)).toMatchObject({ status: 'applied', code: null });
    expect(await submission(id)).toMatchObject({
      state: 'ta_passed',
      score: 90,
      ta_feedback: null,
      ta_id: await server.userId('ta1'),
    });
    const afterPass = await items(id);
    expect(afterPass).toHaveLength(2);
    expect(afterPass.find((item) => item.id === itemId)).toMatchObject({ state: 'decided' });
    const mentorItem = afterPass.find((item) => item.kind === 'homework_mentor');
    // Passed on Saturday 2026-11-21: reviewed on Friday 2026-11-27, due at its end in Shanghai.
    expect(mentorItem).toMatchObject({
      kind: 'homework_mentor',
      state: 'pending',
      subject_id: id,
      due_at: '2026-11-27T16:00:00.000Z',
    });
    const mentorItemId = mentorItem?.id ?? '';
    // The pool opens on that Friday (the mentor reviews on it).
    openPoolFor(mentorItem);

    const mentor = new TestSyncClient(server, 'mentor1');
    const blank = await mentor.do('mentorReview', {
      itemId: mentorItemId,
      excellent: true,
      comment: '',
    });
    expect(blank, JSON.stringify(blank)).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(await submission(id)).toMatchObject({ state: 'ta_passed', excellent: null });
    expect((await items(id)).find((item) => item.id === mentorItemId)).toMatchObject({
      state: 'pending',
    });

    const reviewed = await mentor.do('mentorReview', {
      itemId: mentorItemId,
      excellent: true,
      comment: '  结构清晰，前后对比很有说服力。  ',
    });
    expect(reviewed, JSON.stringify(reviewed)).toMatchObject({ status: 'applied' });
    expect(await submission(id)).toMatchObject({
      state: 'archived',
      excellent: true,
      mentor_comment: '结构清晰，前后对比很有说服力。',
      mentor_id: await server.userId('mentor1'),
      archived_at: iso(server.clock.now()),
      score: 90,
    });
    expect((await items(id)).find((item) => item.id === mentorItemId)).toMatchObject({
      state: 'decided',
    });
    const audit = await server.db.query<{ action: string; to_state: string | null }>(
      `SELECT action, to_state FROM audit_events WHERE subject_type = 'homework' AND subject_id = $1
        ORDER BY at, row_version`,
      [id],
    );
    expect(audit.map((row) => row.action)).toEqual(['submit', 'archive']);
  });

  it('requires feedback to reject, and sends none to the mentors', async () => {
    const { id, itemId } = await file(HOMEWORK);
    const ta = new TestSyncClient(server, 'ta1');
    const blank = await ta.do('gradeHomework', { itemId, outcome: 'reject', feedback: '' });
    expect(blank, JSON.stringify(blank)).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    const spaces = await ta.do('gradeHomework', { itemId, outcome: 'reject', feedback: '   ' });
    expect(spaces).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(await submission(id)).toMatchObject({
      state: 'submitted',
      ta_feedback: null,
      ta_id: null,
    });
    expect(await items(id)).toEqual([expect.objectContaining({ id: itemId, state: 'pending' })]);

    const rejected = await ta.do('gradeHomework', {
      itemId,
      outcome: 'reject',
      feedback: '文章缺少前后对比，请补充后重新提交。',
    });
    expect(rejected, JSON.stringify(rejected)).toMatchObject({ status: 'applied' });
    expect(await submission(id)).toMatchObject({
      state: 'ta_rejected',
      ta_feedback: '文章缺少前后对比，请补充后重新提交。',
    });
    expect(await items(id)).toEqual([expect.objectContaining({ id: itemId, state: 'decided' })]);
  });

  it('lets a mentor archive ordinary work without a comment', async () => {
    const { id, itemId } = await file(HOMEWORK);
    expect(
      await new TestSyncClient(server, 'ta1').do('gradeHomework', {
        itemId,
        outcome: 'pass',
        feedback: '',
      }),
    ).toMatchObject({ status: 'applied' });
    const mentorItem = (await items(id)).find((item) => item.kind === 'homework_mentor');
    openPoolFor(mentorItem);
    const result = await new TestSyncClient(server, 'mentor1').do('mentorReview', {
      itemId: mentorItem?.id ?? '',
      excellent: false,
      comment: '',
    });
    expect(result, JSON.stringify(result)).toMatchObject({ status: 'applied' });
    expect(await submission(id)).toMatchObject({
      state: 'archived',
      excellent: false,
      mentor_comment: null,
      score: null,
    });
  });

  it('refuses grading by anyone but a TA, and a mentor review of the TA item', async () => {
    const { id, itemId } = await file(HOMEWORK);
    for (const username of ['reviewer1', 'mentor1', 'submitter1'] as const) {
      const result = await new TestSyncClient(server, username).do('gradeHomework', {
        itemId,
        outcome: 'pass',
        score: 100,
        feedback: '',
      });
      expect(result, `${username}: ${JSON.stringify(result)}`).toMatchObject({
        status: 'rejected',
        code: 'FORBIDDEN',
      });
    }
    const wrongKind = await new TestSyncClient(server, 'mentor1').do('mentorReview', {
      itemId,
      excellent: true,
      comment: '好',
    });
    expect(wrongKind).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(await submission(id)).toMatchObject({ state: 'submitted' });
    expect(await items(id)).toEqual([expect.objectContaining({ id: itemId, state: 'pending' })]);
  });
});
