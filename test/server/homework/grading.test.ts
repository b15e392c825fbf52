import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../harness';
import { TestSyncClient } from '../sync/client';
import {
  evidenceSha,
  extraUser,
  fileHomework,
  itemsOf,
  openPool,
  rubricArgs,
  saveRubric,
  type RubricArgs,
} from './support';

/**
 * Rubrics, the comment bank and grading against them (`saveRubric`, `saveBankComment`,
 * `gradeHomework@2`), conflicts between two TAs (both grades shown), and the mentors' Friday
 * pool with the student record. Test time starts on Saturday 2026-11-21, 09:00 in Shanghai.
 */

let server: TestServer;
let ta2: Awaited<ReturnType<typeof extraUser>>;
beforeAll(async () => {
  server = await createTestServer();
  ta2 = await extraUser(server, 'ta2', 'ta');
});
afterAll(async () => {
  await server.close();
});

const chapterName = (label: string) =>
  `0${Math.floor(Math.random() * 9) + 1}_${label}_${randomUUID().slice(0, 6)}`;

/** A chapter with a saved rubric and a filed submission of it. */
async function gradable(label: string): Promise<{
  rubric: RubricArgs;
  id: string;
  itemId: string;
  sha: string;
  full: Record<string, number>;
}> {
  const rubric = rubricArgs(chapterName(label));
  expect(await saveRubric(server, rubric)).toMatchObject({ status: 'applied' });
  const { id, itemId } = await fileHomework(server, { chapter: rubric.chapter });
  return {
    rubric,
    id,
    itemId,
    sha: await evidenceSha(server, id),
    full: Object.fromEntries(rubric.criteria.map((criterion) => [criterion.id, criterion.points])),
  };
}

const grade = (args: Record<string, unknown>, client = new TestSyncClient(server, 'ta1')) =>
  client.do('gradeHomework', args, { v: 2 });

interface GradedRow {
  readonly state: string;
  readonly score: number | null;
  readonly ta_feedback: string | null;
  readonly ta_id: string | null;
  readonly criterion_scores: Record<string, number> | null;
  readonly graded_evidence_sha256: string | null;
  readonly duplicate_flags: unknown[];
}

async function graded(id: string): Promise<GradedRow> {
  const [row] = await server.db.query<GradedRow>(
    `SELECT state, score, ta_feedback, ta_id, criterion_scores, graded_evidence_sha256,
            duplicate_flags FROM homework_submissions WHERE id = $1`,
    [id],
  );
  if (row === undefined) {
    throw new Error(`no submission ${id}`);
  }
  return row;
}

async function decisionOf(itemId: string) {
  const [row] = await server.db.query<{
    outcome: string;
    flags: string[];
    details: Record<string, unknown>;
  }>('SELECT outcome, flags, details FROM decisions WHERE item_id = $1 AND is_final', [itemId]);
  return row;
}

// ── Rubrics ───────────────────────────────────────────────────────────────────────────────────

describe('saveRubric', () => {
  it('creates a rubric at revision 1, replaces it at revision 2, and mirrors it to TAs and mentors', async () => {
    const ta = new TestSyncClient(server, 'ta1');
    const mentor = new TestSyncClient(server, 'mentor1');
    const reviewer = new TestSyncClient(server, 'reviewer1');
    await Promise.all([ta.pullAll(), mentor.pullAll(), reviewer.pullAll()]);
    const rubric = rubricArgs(chapterName('结构篇'));
    expect(await saveRubric(server, rubric)).toMatchObject({
      status: 'applied',
      details: { rubricId: rubric.rubricId, revision: 1 },
    });
    const edited = {
      ...rubric,
      title: '新标题',
      criteria: rubric.criteria.map((criterion, index) =>
        index === 0
          ? { ...criterion, points: 30 }
          : index === 2
            ? { ...criterion, points: 30 }
            : criterion,
      ),
      baseRevision: 1,
    };
    expect(await saveRubric(server, edited)).toMatchObject({
      status: 'applied',
      details: { revision: 2 },
    });
    await Promise.all([ta.pullAll(), mentor.pullAll(), reviewer.pullAll()]);
    for (const client of [ta, mentor]) {
      expect(client.row('rubrics', rubric.rubricId)).toEqual({
        id: rubric.rubricId,
        chapter: rubric.chapter,
        title: '新标题',
        maxScore: 100,
        criteria: edited.criteria,
        revision: 2,
        updatedBy: await server.userId('ops1'),
        updatedAt: new Date(server.clock.now()).toISOString(),
      });
    }
    expect(reviewer.rows('rubrics')).toEqual([]);
    const audit = await server.db.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE subject_type = 'rubric' AND subject_id = $1`,
      [rubric.rubricId],
    );
    expect(audit.map((row) => row.action)).toEqual(['save_rubric', 'save_rubric']);
  });

  it('refuses a rubric whose points do not add up, with the issue in both languages', async () => {
    const rubric = rubricArgs(chapterName('算术篇'));
    const wrong = {
      ...rubric,
      criteria: rubric.criteria.map((criterion) => ({ ...criterion, points: 30 })),
    };
    const result = await saveRubric(server, wrong);
    expect(result).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: {
        reason: 'rubric',
        issues: [{ path: 'criteria', code: 'points_do_not_add_up' }],
      },
      message: {
        'zh-CN': '各项分值合计 90 分，与满分 100 分不符。',
        en: 'The criteria add up to 90 points, not the maximum score of 100.',
      },
    });
    expect(await server.db.query('SELECT 1 FROM rubrics WHERE id = $1', [rubric.rubricId])).toEqual(
      [],
    );
  });

  it('refuses ten criteria and a blank title (schema and domain rules)', async () => {
    const rubric = rubricArgs(chapterName('上限篇'));
    const ten = {
      ...rubric,
      maxScore: 100,
      criteria: Array.from({ length: 10 }, (_, index) => ({
        id: randomUUID(),
        title: `第 ${index + 1} 项`,
        description: '',
        points: 10,
      })),
    };
    expect(await saveRubric(server, ten)).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    const blank = {
      ...rubric,
      criteria: rubric.criteria.map((criterion, index) =>
        index === 1 ? { ...criterion, title: '  ' } : criterion,
      ),
    };
    expect(await saveRubric(server, blank)).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { issues: [{ path: 'criteria/1/title', code: 'title_required' }] },
    });
  });

  it('keeps one rubric per chapter and refuses an edit of a replaced revision (RUBRIC_CHANGED)', async () => {
    const rubric = rubricArgs(chapterName('唯一篇'));
    expect(await saveRubric(server, rubric)).toMatchObject({ status: 'applied' });
    const other = { ...rubricArgs(rubric.chapter) };
    expect(await saveRubric(server, other)).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { reason: 'chapter_has_rubric', rubricId: rubric.rubricId },
    });
    expect(await saveRubric(server, { ...rubric, title: 'A', baseRevision: 1 })).toMatchObject({
      status: 'applied',
      details: { revision: 2 },
    });
    const stale = await saveRubric(server, { ...rubric, title: 'B', baseRevision: 1 });
    expect(stale).toMatchObject({
      status: 'conflict',
      code: 'RUBRIC_CHANGED',
      details: { reason: 'save', baseRevision: 1, currentRevision: 2, updatedByName: 'ops1' },
    });
    expect(stale.message?.en).toMatch(
      /Someone else saved this rubric meanwhile \(now revision 2\)/,
    );
    // A "new" rubric with an id that exists is an edit without a base: a conflict too.
    expect(await saveRubric(server, { ...rubric, title: 'C' })).toMatchObject({
      status: 'conflict',
      code: 'RUBRIC_CHANGED',
    });
    const [row] = await server.db.query<{ title: string; revision: number }>(
      'SELECT title, revision FROM rubrics WHERE id = $1',
      [rubric.rubricId],
    );
    expect(row).toEqual({ title: 'A', revision: 2 });
  });
});

// ── Comment bank ──────────────────────────────────────────────────────────────────────────────

describe('saveBankComment', () => {
  it('adds entries, lets only the author or an ops manager edit them, and drops deleted ones from devices', async () => {
    const ta = new TestSyncClient(server, 'ta1');
    await ta.pullAll();
    const commentId = randomUUID();
    const entry = { commentId, chapter: '03_实战篇', language: 'zh-CN', text: '请补充前后对比。' };
    expect(await ta.do('saveBankComment', entry)).toMatchObject({
      status: 'applied',
      details: { commentId, created: true },
    });
    const byOther = await ta2.push('saveBankComment', { ...entry, text: '改写' });
    expect(byOther).toMatchObject({
      status: 'rejected',
      code: 'FORBIDDEN',
      details: { reason: 'not_author' },
    });
    expect(
      await new TestSyncClient(server, 'ops1').do('saveBankComment', {
        ...entry,
        language: 'en',
        text: 'Add a before/after comparison.',
      }),
    ).toMatchObject({ status: 'applied', details: { created: false } });
    await ta.pullAll();
    expect(ta.row('comment_bank', commentId)).toMatchObject({
      id: commentId,
      chapter: '03_实战篇',
      language: 'en',
      text: 'Add a before/after comparison.',
      useCount: 0,
      createdBy: await server.userId('ta1'),
    });
    // Deleting (an administrator's job for now) re-versions the row: devices get a `del`.
    await server.db.transaction(async (tx) => {
      const [space] = await tx.query<{ version: number }>(
        `UPDATE sync_space SET version = version + 1 WHERE space_id = 'main' RETURNING version`,
      );
      await tx.query('UPDATE comment_bank SET deleted_at = $2, row_version = $3 WHERE id = $1', [
        commentId,
        new Date(server.clock.now()).toISOString(),
        space?.version,
      ]);
    });
    const pages = await ta.pullAll();
    expect(pages.flatMap((page) => page.changes)).toContainEqual(
      expect.objectContaining({ table: 'comment_bank', id: commentId, op: 'del' }),
    );
    expect(ta.row('comment_bank', commentId)).toBeUndefined();
    expect(await ta.do('saveBankComment', entry)).toMatchObject({
      status: 'rejected',
      code: 'NOT_FOUND',
    });
  });
});

// ── gradeHomework@2 ───────────────────────────────────────────────────────────────────────────

describe('gradeHomework@2', () => {
  it('scores against the rubric: the total is the score, criterion scores and evidence are kept, bank entries counted once', async () => {
    const { rubric, id, itemId, sha } = await gradable('计分篇');
    const [first, second, third] = rubric.criteria;
    const scores = { [first!.id]: 35, [second!.id]: 30, [third!.id]: 15 };
    const ta = new TestSyncClient(server, 'ta1');
    const bank = randomUUID();
    const elsewhere = randomUUID();
    await ta.do('saveBankComment', {
      commentId: bank,
      chapter: rubric.chapter,
      language: 'zh-CN',
      text: '结构清晰。',
    });
    await ta.do('saveBankComment', {
      commentId: elsewhere,
      chapter: '别的章节',
      language: 'zh-CN',
      text: '别处的评语。',
    });
    const result = await grade(
      {
        itemId,
        outcome: 'pass',
        rubricId: rubric.rubricId,
        rubricRevision: 1,
        criterionScores: scores,
        feedback: '  结构清晰。  ',
        bankCommentIds: [bank, bank, elsewhere, randomUUID()],
        evidenceSha256: sha,
      },
      ta,
    );
    expect(result, JSON.stringify(result)).toMatchObject({
      status: 'applied',
      code: null,
      details: {
        homeworkState: 'ta_passed',
        score: 80,
        evidenceChanged: false,
        bankCommentIds: [bank],
        flags: ['implicit_claim'],
      },
    });
    expect(await graded(id)).toEqual({
      state: 'ta_passed',
      score: 80,
      ta_feedback: '结构清晰。',
      ta_id: await server.userId('ta1'),
      criterion_scores: scores,
      graded_evidence_sha256: sha,
      duplicate_flags: [],
    });
    expect(await decisionOf(itemId)).toMatchObject({
      outcome: 'pass',
      flags: ['implicit_claim'],
      details: {
        score: 80,
        rubricTotal: 80,
        rubricId: rubric.rubricId,
        rubricRevision: 1,
        criterionScores: scores,
        evidenceSha256: sha,
      },
    });
    const counts = await server.db.query<{ id: string; use_count: number }>(
      'SELECT id, use_count FROM comment_bank WHERE id = ANY($1::uuid[]) ORDER BY id',
      [[bank, elsewhere]],
    );
    expect(Object.fromEntries(counts.map((row) => [row.id, row.use_count]))).toEqual({
      [bank]: 1,
      [elsewhere]: 0,
    });
    expect((await itemsOf(server, id)).map((item) => item.kind)).toEqual([
      'homework',
      'homework_mentor',
    ]);
    await ta.pullAll();
    expect(ta.row('homework_submissions', id)).toMatchObject({
      score: 80,
      criterionScores: scores,
      gradedEvidenceSha256: sha,
      evidenceSha256: sha,
      evidenceVersion: 1,
      duplicateFlags: [],
    });
    expect(ta.row('comment_bank', bank)).toMatchObject({ useCount: 1 });
  });

  it('accepts a grade of evidence that changed since, flagged evidence_changed, and records near-duplicates', async () => {
    const { rubric, id, itemId, sha, full } = await gradable('证据篇');
    const update = await server.as('ops1', 'PUT', `/api/v1/homework/${id}`, {
      articleText: '学生改过的文章。',
    });
    expect(update.statusCode, update.body).toBe(200);
    const current = await evidenceSha(server, id);
    expect(current).not.toBe(sha);
    const other = randomUUID();
    const result = await grade({
      itemId,
      outcome: 'pass',
      rubricId: rubric.rubricId,
      rubricRevision: 1,
      criterionScores: full,
      feedback: '',
      evidenceSha256: sha,
      duplicateFlags: [{ submissionId: other, similarity: 0.93 }],
    });
    expect(result, JSON.stringify(result)).toMatchObject({
      status: 'applied',
      details: {
        score: 100,
        evidenceChanged: true,
        flags: ['implicit_claim', 'evidence_changed', 'near_duplicate'],
      },
    });
    expect(await decisionOf(itemId)).toMatchObject({
      flags: ['implicit_claim', 'evidence_changed', 'near_duplicate'],
      details: {
        evidenceSha256: sha,
        currentEvidenceSha256: current,
        duplicateFlags: [{ submissionId: other, similarity: 0.93 }],
      },
    });
    expect(await graded(id)).toMatchObject({
      graded_evidence_sha256: sha,
      duplicate_flags: [{ submissionId: other, similarity: 0.93 }],
    });
  });

  it('is a RUBRIC_CHANGED conflict when the rubric was saved again since the TA scored', async () => {
    const { rubric, id, itemId, sha, full } = await gradable('改版篇');
    expect(await saveRubric(server, { ...rubric, title: '第二版', baseRevision: 1 })).toMatchObject(
      {
        status: 'applied',
      },
    );
    const result = await grade({
      itemId,
      outcome: 'pass',
      rubricId: rubric.rubricId,
      rubricRevision: 1,
      criterionScores: full,
      feedback: '',
      evidenceSha256: sha,
    });
    expect(result).toMatchObject({
      status: 'conflict',
      code: 'RUBRIC_CHANGED',
      details: {
        reason: 'grade',
        rubricId: rubric.rubricId,
        gradedRevision: 1,
        currentRevision: 2,
      },
      message: {
        'zh-CN': '本章评分标准已更新（现为第 2 版），请按新标准重新评分；你的评分未生效',
      },
    });
    expect(await graded(id)).toMatchObject({ state: 'submitted', score: null });
    expect((await itemsOf(server, id))[0]).toMatchObject({ state: 'pending' });
    // Re-graded against revision 2, it applies.
    expect(
      await grade({
        itemId,
        outcome: 'pass',
        rubricId: rubric.rubricId,
        rubricRevision: 2,
        criterionScores: full,
        feedback: '',
        evidenceSha256: sha,
      }),
    ).toMatchObject({ status: 'applied' });
  });

  it('refuses a score outside the rubric, with the criterion named in both languages', async () => {
    const { rubric, id, itemId, sha } = await gradable('越界篇');
    const [first, second, third] = rubric.criteria;
    const result = await grade({
      itemId,
      outcome: 'pass',
      rubricId: rubric.rubricId,
      rubricRevision: 1,
      criterionScores: { [first!.id]: 41, [second!.id]: 40, [third!.id]: 20 },
      feedback: '',
      evidenceSha256: sha,
    });
    expect(result).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: {
        reason: 'rubric_grade',
        issues: [{ path: `scores/${first!.id}`, code: 'score_out_of_range' }],
      },
      message: {
        'zh-CN': '「结构完整」的得分须为 0–40 的整数。',
        en: 'The score for “结构完整” must be a whole number from 0 to 40.',
      },
    });
    const unknown = await grade({
      itemId,
      outcome: 'reject',
      rubricId: rubric.rubricId,
      rubricRevision: 1,
      criterionScores: { [randomUUID()]: 3 },
      feedback: '请重写。',
      evidenceSha256: sha,
    });
    expect(unknown).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { issues: [{ code: 'unknown_criterion' }] },
    });
    const partial = await grade({
      itemId,
      outcome: 'pass',
      rubricId: rubric.rubricId,
      rubricRevision: 1,
      criterionScores: { [first!.id]: 40 },
      feedback: '',
      evidenceSha256: sha,
    });
    expect(partial).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { issues: [{ code: 'score_missing' }, { code: 'score_missing' }] },
    });
    // Over 100 is refused by the argument schema before anything runs.
    const huge = await grade({
      itemId,
      outcome: 'pass',
      rubricId: rubric.rubricId,
      rubricRevision: 1,
      criterionScores: { [first!.id]: 101 },
      feedback: '',
      evidenceSha256: sha,
    });
    expect(huge).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(await graded(id)).toMatchObject({ state: 'submitted', score: null });
  });

  it('refuses feedback over 2,000 characters and a rejection without feedback, and keeps nothing', async () => {
    const { rubric, id, itemId, sha } = await gradable('反馈篇');
    const long = await grade({
      itemId,
      outcome: 'reject',
      rubricId: rubric.rubricId,
      rubricRevision: 1,
      criterionScores: {},
      feedback: '改'.repeat(2001),
      evidenceSha256: sha,
    });
    expect(long).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { issues: [{ path: 'feedback' }] },
      message: {
        'zh-CN': '提交的内容不符合规则：feedback 最多 2000 个字符',
        en: 'The request does not meet the rules: feedback has at most 2000 characters',
      },
    });
    const blank = await grade({
      itemId,
      outcome: 'reject',
      rubricId: rubric.rubricId,
      rubricRevision: 1,
      criterionScores: {},
      feedback: '   ',
      evidenceSha256: sha,
    });
    expect(blank).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { issues: [{ path: 'feedback', code: 'feedback_required' }] },
      message: { en: 'Rejecting homework requires written feedback.' },
    });
    const v1 = await new TestSyncClient(server, 'ta1').do('gradeHomework', {
      itemId,
      outcome: 'reject',
      feedback: 'x'.repeat(2001),
    });
    expect(v1).toMatchObject({ status: 'rejected', code: 'VALIDATION' });
    expect(await graded(id)).toMatchObject({ state: 'submitted', ta_feedback: null });
    expect(await decisionOf(itemId)).toBeUndefined();
  });

  it('refuses a chapter without a rubric and a rubric of another chapter', async () => {
    const { id, itemId } = await fileHomework(server, { chapter: chapterName('无标准篇') });
    const sha = await evidenceSha(server, id);
    const { rubric } = await gradable('别章篇');
    const args = {
      itemId,
      outcome: 'pass',
      rubricId: rubric.rubricId,
      rubricRevision: 1,
      criterionScores: {},
      feedback: '',
      evidenceSha256: sha,
    };
    expect(await grade(args)).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { reason: 'no_rubric' },
    });
    const withOwn = await gradable('本章篇');
    expect(await grade({ ...args, itemId: withOwn.itemId })).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { reason: 'wrong_rubric', rubricId: withOwn.rubric.rubricId },
    });
  });
});

// ── Two TAs ───────────────────────────────────────────────────────────────────────────────────

describe('a grade that lost to another TA’s', () => {
  it('is ALREADY_DECIDED with their grade as `theirs` (v2)', async () => {
    const { rubric, itemId, sha, full } = await gradable('冲突篇');
    const [first] = rubric.criteria;
    const mine = await grade({
      itemId,
      outcome: 'pass',
      rubricId: rubric.rubricId,
      rubricRevision: 1,
      criterionScores: full,
      feedback: '很好。',
      evidenceSha256: sha,
    });
    expect(mine).toMatchObject({ status: 'applied' });
    const lost = await ta2.push(
      'gradeHomework',
      {
        itemId,
        outcome: 'reject',
        rubricId: rubric.rubricId,
        rubricRevision: 1,
        criterionScores: { [first!.id]: 10 },
        feedback: '结构不完整。',
        evidenceSha256: sha,
      },
      2,
    );
    expect(lost).toMatchObject({
      status: 'conflict',
      code: 'ALREADY_DECIDED',
      details: {
        decision: { outcome: 'pass', reviewerId: await server.userId('ta1'), reviewerName: 'ta1' },
        homeworkState: 'ta_passed',
        theirs: {
          outcome: 'pass',
          score: 100,
          criterionScores: full,
          feedback: '很好。',
          taId: await server.userId('ta1'),
          taName: 'ta1',
          decidedAt: new Date(server.clock.now()).toISOString(),
        },
      },
    });
  });

  it('is ALREADY_DECIDED with `theirs` for the first version too', async () => {
    const { id, itemId } = await fileHomework(server);
    const first = await ta2.push('gradeHomework', {
      itemId,
      outcome: 'reject',
      feedback: '请补充截图。',
    });
    expect(first).toMatchObject({ status: 'applied' });
    const second = await new TestSyncClient(server, 'ta1').do('gradeHomework', {
      itemId,
      outcome: 'pass',
      score: 95,
      feedback: '',
    });
    expect(second).toMatchObject({
      status: 'conflict',
      code: 'ALREADY_DECIDED',
      details: {
        homeworkState: 'ta_rejected',
        theirs: {
          outcome: 'reject',
          score: null,
          criterionScores: null,
          feedback: '请补充截图。',
          taId: ta2.id,
          taName: 'ta2 老师',
        },
      },
    });
    expect(await graded(id)).toMatchObject({ state: 'ta_rejected', ta_id: ta2.id });
  });
});

// ── The mentors' Friday pool ──────────────────────────────────────────────────────────────────

describe('the mentors’ pool', () => {
  it('opens at 00:00 Shanghai on the review Friday; the review writes the student record', async () => {
    const { rubric, id, itemId, sha, full } = await gradable('导师篇');
    expect(
      await grade({
        itemId,
        outcome: 'pass',
        rubricId: rubric.rubricId,
        rubricRevision: 1,
        criterionScores: full,
        feedback: '',
        evidenceSha256: sha,
      }),
    ).toMatchObject({ status: 'applied' });
    const mentorItem = (await itemsOf(server, id)).find((item) => item.kind === 'homework_mentor');
    const dueAt = Date.parse(mentorItem!.due_at!);
    const opensAt = dueAt - 24 * 3_600_000;
    const mentor = new TestSyncClient(server, 'mentor1');
    const args = { itemId: mentorItem!.id, excellent: true, comment: '前后对比很有说服力。' };

    // One millisecond before Friday 00:00 in Shanghai.
    server.clock.set(Math.max(server.clock.now(), opensAt - 1));
    const early = await mentor.do('mentorReview', args);
    const reviewDay = new Date(opensAt + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(early).toMatchObject({
      status: 'rejected',
      code: 'POOL_NOT_OPEN',
      details: { reviewDay, opensAt: new Date(opensAt).toISOString(), waitMs: 1 },
      message: {
        'zh-CN': `导师评审池尚未开放：该作业于 ${reviewDay}（周五）00:00（北京时间）开放评审`,
        en: `The mentors’ pool is not open yet: this work can be reviewed from Friday ${reviewDay}, 00:00 Beijing time`,
      },
    });
    expect(new Date(opensAt + 8 * 3_600_000).getUTCDay()).toBe(5);
    expect(
      await server.db.query('SELECT 1 FROM student_records WHERE submission_id = $1', [id]),
    ).toEqual([]);

    server.clock.set(opensAt);
    const reviewed = await mentor.do('mentorReview', args);
    expect(reviewed, JSON.stringify(reviewed)).toMatchObject({
      status: 'applied',
      details: { homeworkState: 'archived' },
    });
    const recordId = reviewed.details['studentRecordId'] as string;
    const record = {
      id: recordId,
      submissionId: id,
      studentId: 'S2026001',
      studentName: '李雷',
      chapter: rubric.chapter,
      score: 100,
      excellent: true,
      mentorComment: '前后对比很有说服力。',
      taId: await server.userId('ta1'),
      mentorId: await server.userId('mentor1'),
      archivedAt: new Date(opensAt).toISOString(),
    };
    for (const username of ['ta1', 'mentor1', 'ops1'] as const) {
      const client = new TestSyncClient(server, username);
      await client.pullAll();
      expect(client.row('student_records', recordId), username).toEqual(record);
    }
    for (const username of ['reviewer1', 'submitter1', 'assistant1'] as const) {
      const client = new TestSyncClient(server, username);
      await client.pullAll();
      expect(client.rows('student_records'), username).toEqual([]);
    }
  });

  it('stays open after the Friday (mentors catch up)', async () => {
    const { id, itemId } = await fileHomework(server);
    expect(
      await new TestSyncClient(server, 'ta1').do('gradeHomework', {
        itemId,
        outcome: 'pass',
        score: 70,
        feedback: '',
      }),
    ).toMatchObject({ status: 'applied' });
    const mentorItem = (await itemsOf(server, id)).find((item) => item.kind === 'homework_mentor');
    await openPool(server, mentorItem!.id);
    server.clock.advance(3 * 24 * 3_600_000);
    expect(
      await new TestSyncClient(server, 'mentor1').do('mentorReview', {
        itemId: mentorItem!.id,
        excellent: false,
        comment: '',
      }),
    ).toMatchObject({ status: 'applied' });
    const [row] = await server.db.query<{
      excellent: boolean;
      score: number;
      mentor_comment: null;
    }>('SELECT excellent, score, mentor_comment FROM student_records WHERE submission_id = $1', [
      id,
    ]);
    expect(row).toEqual({ excellent: false, score: 70, mentor_comment: null });
  });
});
