import type {
  CommentBankRecord,
  HomeworkEvidenceRecord,
  HomeworkSubmissionRecord,
  RubricRecord,
  StudentRecord,
} from '#shared/sync/rows';
import type { MirrorRow, ReviewDeskDb } from '../../../../renderer/src/db/database';

/** Mirror rows of the homework workstation for component tests. */

let version = 10_000;
const stamp = (rows: readonly { readonly id: string }[]): MirrorRow[] =>
  rows.map((row) => ({ ...row, _version: version++ }));

export const REFLECTION =
  '通过本章的学习，我理解了提示词的基本结构：先交代角色，再说明任务和约束，最后指定输出格式。' +
  '我用这个方法让模型帮我改写了一篇公众号文章的开头，读者留言说比以前更清楚了。下一步我想练习分段提问。';

export function submission(
  overrides: Partial<HomeworkSubmissionRecord> = {},
): HomeworkSubmissionRecord {
  return {
    id: 'sub-1',
    studentId: 'S2026001',
    studentName: '张三',
    chapter: '1',
    articleUrl: 'https://mp.example.com/a/1',
    articleText:
      '人工智能写作的第一课：如何把模糊的想法变成清楚的提示词，是每个写作者都要练习的基本功。',
    reflection: REFLECTION,
    screenshots: [],
    state: 'submitted',
    score: null,
    taFeedback: null,
    taId: null,
    mentorId: null,
    excellent: null,
    mentorComment: null,
    submittedAt: '2026-05-01T02:00:00.000Z',
    taDueAt: '2026-05-01T10:00:00.000Z',
    taDecidedAt: null,
    mentorReviewedAt: null,
    archivedAt: null,
    updatedAt: '2026-05-01T02:00:00.000Z',
    evidenceSha256: 'a'.repeat(64),
    evidenceVersion: 1,
    criterionScores: null,
    gradedEvidenceSha256: null,
    duplicateFlags: [],
    ...overrides,
  };
}

export const RUBRIC: RubricRecord = {
  id: 'rubric-1',
  chapter: '1',
  title: '提示词结构',
  maxScore: 100,
  criteria: [
    { id: 'c-structure', title: '结构完整', description: '角色、任务、约束、格式齐全', points: 40 },
    { id: 'c-practice', title: '实践案例', description: '有真实的改写案例', points: 30 },
    { id: 'c-reflection', title: '反思深度', description: '说出了下一步', points: 30 },
  ],
  revision: 3,
  updatedBy: null,
  updatedAt: '2026-04-01T00:00:00.000Z',
};

export const BANK: readonly CommentBankRecord[] = [
  {
    id: 'bank-en',
    chapter: '1',
    language: 'en',
    text: 'Please add a real example of a rewritten prompt.',
    useCount: 9,
    createdBy: null,
    createdAt: '2026-04-01T00:00:00.000Z',
    updatedAt: '2026-04-01T00:00:00.000Z',
  },
  {
    id: 'bank-zh',
    chapter: '1',
    language: 'zh-CN',
    text: '请补充一个你亲自改写提示词的真实案例。',
    useCount: 3,
    createdBy: null,
    createdAt: '2026-04-01T00:00:00.000Z',
    updatedAt: '2026-04-01T00:00:00.000Z',
  },
];

export function student(overrides: Partial<StudentRecord> = {}): StudentRecord {
  return {
    id: 'student-1',
    studentId: 'S2026001',
    name: '张三',
    cohort: '2026-春季班',
    language: 'zh-CN',
    joinedAt: '2026-04-01T00:00:00.000Z',
    progressPercent: '40',
    purchasedAt: '2026-04-01T00:00:00.000Z',
    contactedAt: null,
    contactedBy: null,
    contactNote: null,
    updatedAt: '2026-04-01T00:00:00.000Z',
    ...overrides,
  };
}

export function evidence(of: HomeworkSubmissionRecord, version = 1): HomeworkEvidenceRecord {
  return {
    id: `${of.id}-v${String(version)}`,
    submissionId: of.id,
    version,
    articleUrl: of.articleUrl,
    articleText: of.articleText,
    reflection: of.reflection,
    screenshots: [],
    sha256: of.evidenceSha256 ?? '0'.repeat(64),
    capturedAt: of.submittedAt,
  };
}

export async function putHomework(
  db: ReviewDeskDb,
  rows: {
    submissions?: readonly HomeworkSubmissionRecord[];
    rubrics?: readonly RubricRecord[];
    bank?: readonly CommentBankRecord[];
    students?: readonly StudentRecord[];
    evidence?: readonly HomeworkEvidenceRecord[];
  },
): Promise<void> {
  await db.mirror('homework_submissions').bulkPut(stamp(rows.submissions ?? []));
  await db.mirror('rubrics').bulkPut(stamp(rows.rubrics ?? []));
  await db.mirror('comment_bank').bulkPut(stamp(rows.bank ?? []));
  await db.mirror('students').bulkPut(stamp(rows.students ?? []));
  await db.mirror('homework_evidence').bulkPut(stamp(rows.evidence ?? []));
}
