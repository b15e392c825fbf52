import { randomUUID } from 'node:crypto';
import {
  homeworkTransition,
  mentorReviewDay,
  type HomeworkCommand,
  type HomeworkState,
  type HomeworkSubmission,
} from '#shared/domain/homework';
import { rubricTotal, validateRubricGrade } from '#shared/domain/rubric';
import { fromShanghai, shanghaiDate } from '#shared/domain/time';
import { MUTATION_ARGS, MUTATION_ARGS_LATER } from '#shared/sync/mutations';
import { currentEvidenceDigest, touchEvidence } from '../../homework/evidence';
import { issueDetails, issuesMessage, rubricOf, rubricOfChapter } from '../../homework/rubrics';
import { decisionOutcome, recordFinalDecision, takeHold } from '../core';
import { displayName, lockItem, type ReviewItemRow } from '../items';
import { defineMutation, type ReviewKind } from '../kind';
import { conflict, rejected, type Outcome, type WorkScope } from '../scope';
import { hasNul, NUL_OUTCOME } from './textRules';
import { homeworkCourseMutations } from './homeworkCourse';

/**
 * Homework of the AI-writing course, in two review kinds: the TA's daily first pass
 * (`homework`) and the mentors' Friday pool (`homework_mentor`), each deciding through its own
 * mutation (`gradeHomework` v1 and v2, `mentorReview`) with the shared homework state machine.
 * The course's own data (rubrics, the comment bank, the roster's contact notes) is changed by
 * item-less mutations of the `homework` kind (`homeworkCourse.ts`).
 */
export const HOMEWORK_KIND = 'homework';

/** Who files homework and its screenshots: the course platform's integration account (ops). */
export const HOMEWORK_INTAKE_ROLES: ReadonlySet<string> = new Set([
  'ops_manager',
  'assistant',
  'ta',
]);
export const HOMEWORK_MENTOR_KIND = 'homework_mentor';

interface SubmissionRow {
  readonly id: string;
  readonly student_id: string;
  readonly student_name: string;
  readonly chapter: string;
  readonly article_url: string;
  readonly reflection: string;
  readonly screenshots: string[];
  readonly state: HomeworkState;
  readonly score: number | null;
  readonly ta_feedback: string | null;
  readonly ta_id: string | null;
  readonly ta_decided_at: string | null;
  readonly criterion_scores: Record<string, number> | null;
  readonly evidence_sha256: string | null;
  readonly excellent: boolean | null;
  readonly mentor_comment: string | null;
  readonly submitted_at: string;
}

const SUBMISSION_COLUMNS = `id, student_id, student_name, chapter, article_url, reflection,
  screenshots, state, score, ta_feedback, ta_id, ta_decided_at, criterion_scores, evidence_sha256,
  excellent, mentor_comment, submitted_at`;

async function lockSubmission(scope: WorkScope, id: string): Promise<SubmissionRow | null> {
  const [row] = await scope.tx.query<SubmissionRow>(
    `SELECT ${SUBMISSION_COLUMNS} FROM homework_submissions WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return row ?? null;
}

function toDomain(row: SubmissionRow): HomeworkSubmission {
  return {
    studentId: row.student_id,
    chapter: row.chapter,
    articleUrl: row.article_url,
    screenshots: row.screenshots,
    reflection: row.reflection,
    submittedAt: Date.parse(row.submitted_at),
    state: row.state,
    score: row.score,
    taFeedback: row.ta_feedback,
    excellent: row.excellent,
    mentorComment: row.mentor_comment,
  };
}

/**
 * The TA grade that stands on a submission, for an ALREADY_DECIDED conflict, so the workstation
 * can put it beside the grade it tried to send: `{ outcome, score, criterionScores, feedback,
 * taId, taName, decidedAt }`, or null while nobody graded it.
 */
async function standingGrade(
  scope: WorkScope,
  row: SubmissionRow,
): Promise<Record<string, unknown> | null> {
  if (row.state === 'submitted') {
    return null;
  }
  return {
    outcome: row.state === 'ta_rejected' ? 'reject' : 'pass',
    score: row.score,
    criterionScores: row.criterion_scores,
    feedback: row.ta_feedback,
    taId: row.ta_id,
    taName: row.ta_id === null ? null : await displayName(scope.tx, row.ta_id),
    decidedAt: row.ta_decided_at,
  };
}

/** An ALREADY_DECIDED conflict on a homework item, with the standing grade as `theirs`. */
async function withTheirs(
  scope: WorkScope,
  outcome: Outcome,
  submissionId: string,
): Promise<Outcome> {
  if (outcome.status !== 'conflict' || outcome.code !== 'ALREADY_DECIDED') {
    return outcome;
  }
  const [row] = await scope.tx.query<SubmissionRow>(
    `SELECT ${SUBMISSION_COLUMNS} FROM homework_submissions WHERE id = $1`,
    [submissionId],
  );
  if (row === undefined) {
    return outcome;
  }
  return conflict('ALREADY_DECIDED', {
    ...(outcome.details ?? {}),
    homeworkState: row.state,
    theirs: await standingGrade(scope, row),
  });
}

/** Runs a command through the shared homework rules, or the outcome that refuses it. */
function transitionOrOutcome(
  scope: WorkScope,
  submission: HomeworkSubmission,
  command: HomeworkCommand,
): { ok: true; next: HomeworkSubmission } | { ok: false; outcome: Outcome } {
  const result = homeworkTransition(scope.principal.role, submission, command);
  if (result.ok) {
    return { ok: true, next: result.submission };
  }
  switch (result.reason) {
    case 'not_applicable':
      return {
        ok: false,
        outcome: conflict('ALREADY_DECIDED', { homeworkState: submission.state }),
      };
    case 'forbidden':
      return { ok: false, outcome: rejected('FORBIDDEN', { role: scope.principal.role }) };
    case 'feedback_required':
    case 'comment_required':
    case 'invalid_score':
      return {
        ok: false,
        outcome: {
          status: 'rejected',
          code: 'VALIDATION',
          details: { reason: result.reason },
          message: result.message,
        },
      };
  }
}

async function heldItemOfKind(
  scope: WorkScope,
  itemId: string,
  kind: ReviewKind,
): Promise<{ item: ReviewItemRow; flags: readonly string[] } | Outcome> {
  const item = await lockItem(scope.tx, itemId);
  if (item === null) {
    return rejected('NOT_FOUND', { itemId });
  }
  if (item.kind !== kind.kind) {
    return rejected('VALIDATION', { reason: 'wrong_kind', expected: kind.kind, actual: item.kind });
  }
  const hold = await takeHold(scope, item, kind, 'other');
  if (hold.ok) {
    return { item, flags: hold.flags };
  }
  return kind.kind === HOMEWORK_KIND
    ? withTheirs(scope, hold.outcome, item.subject_id)
    : hold.outcome;
}

const isOutcome = (value: object): value is Outcome => 'status' in value;

/** The TA's item and the submission it grades, both locked, or the outcome that stops. */
async function gradingTarget(
  scope: WorkScope,
  itemId: string,
): Promise<{ item: ReviewItemRow; flags: readonly string[]; row: SubmissionRow } | Outcome> {
  const held = await heldItemOfKind(scope, itemId, homeworkKind);
  if (isOutcome(held)) {
    return held;
  }
  const row = await lockSubmission(scope, held.item.subject_id);
  if (row === null) {
    return rejected('NOT_FOUND', { submissionId: held.item.subject_id });
  }
  return { ...held, row };
}

/** Puts passed work into the mentors' pool, due at the end of its Friday review day (Shanghai). */
async function enterMentorPool(
  scope: WorkScope,
  item: ReviewItemRow,
  row: SubmissionRow,
): Promise<void> {
  const reviewDay = mentorReviewDay(scope.now);
  await scope.tx.query(
    `INSERT INTO review_items (id, kind, subject_id, state, priority, due_at, title,
                               created_at, updated_at, row_version)
     VALUES ($1, $2, $3, 'pending', 0, $4, $5, $6, $6, $7)`,
    [
      randomUUID(),
      HOMEWORK_MENTOR_KIND,
      row.id,
      new Date(fromShanghai(reviewDay, 24)).toISOString(),
      item.title,
      scope.nowIso,
      await scope.version(),
    ],
  );
  // Mentors see the submission from now on, and its evidence with it.
  await touchEvidence(scope.tx, row.id, await scope.version());
}

/**
 * When the mentors' pool opens for an item: 00:00 Shanghai of its Friday review day. The item is
 * due at the END of that day (see {@link enterMentorPool}), so the day is the one just before
 * `due_at`. Null for an item without a due time (it is always open).
 */
export function mentorPoolOpensAt(
  dueAt: string | null,
): { opensAt: number; reviewDay: string } | null {
  if (dueAt === null) {
    return null;
  }
  const reviewDay = shanghaiDate(Date.parse(dueAt) - 1);
  return { opensAt: fromShanghai(reviewDay, 0), reviewDay };
}

export const homeworkKind: ReviewKind = {
  kind: HOMEWORK_KIND,
  reviewerRoles: ['ta'],
  assignerRoles: ['ops_manager'],
  visibleTo: ['ta', 'ops_manager'],
  mutations: {
    gradeHomework: defineMutation({
      v: 1,
      args: MUTATION_ARGS.gradeHomework,
      async run(scope, { itemId, outcome, score, feedback }) {
        if (hasNul(feedback)) {
          return NUL_OUTCOME;
        }
        const target = await gradingTarget(scope, itemId);
        if (isOutcome(target)) {
          return target;
        }
        const { item, flags, row } = target;
        const command: HomeworkCommand =
          outcome === 'pass'
            ? { action: 'ta_pass', ...(score === undefined ? {} : { score }) }
            : { action: 'ta_reject', feedback };
        const moved = transitionOrOutcome(scope, toDomain(row), command);
        if (!moved.ok) {
          return withTheirs(scope, moved.outcome, row.id);
        }
        await scope.tx.query(
          `UPDATE homework_submissions
              SET state = $2, score = $3, ta_feedback = $4, ta_id = $5, ta_decided_at = $6,
                  updated_at = $6, row_version = $7
            WHERE id = $1`,
          [
            row.id,
            moved.next.state,
            moved.next.score,
            feedback.trim() === '' ? null : feedback.trim(),
            scope.principal.id,
            scope.nowIso,
            await scope.version(),
          ],
        );
        await recordFinalDecision(scope, item, {
          outcome,
          note: feedback,
          details: { score: moved.next.score },
          flags,
        });
        if (outcome === 'pass') {
          await enterMentorPool(scope, item, row);
        }
        return decisionOutcome(flags, { homeworkState: moved.next.state });
      },
    }),

    /**
     * A grade against the chapter's rubric (see `gradeHomeworkV2` in shared/sync/mutations.ts):
     * the rubric must be the chapter's and still at the revision the TA scored against
     * (RUBRIC_CHANGED otherwise), the scores within it (VALIDATION with `details.issues`); the
     * score is their total. A grade of evidence that changed since is applied and flagged
     * `evidence_changed`; the device's near-duplicate findings are recorded (`near_duplicate`).
     */
    'gradeHomework@2': defineMutation({
      v: 2,
      args: MUTATION_ARGS_LATER.gradeHomework[2],
      async run(scope, args) {
        if (hasNul(args.feedback)) {
          return NUL_OUTCOME;
        }
        const target = await gradingTarget(scope, args.itemId);
        if (isOutcome(target)) {
          return target;
        }
        const { item, row } = target;
        if (row.state !== 'submitted') {
          return withTheirs(
            scope,
            conflict('ALREADY_DECIDED', { homeworkState: row.state }),
            row.id,
          );
        }
        const rubric = await rubricOfChapter(scope.tx, row.chapter);
        if (rubric === null) {
          return {
            status: 'rejected',
            code: 'VALIDATION',
            details: { reason: 'no_rubric', chapter: row.chapter },
            message: {
              'zh-CN': `「${row.chapter}」还没有评分标准，请联系运营经理。`,
              en: `The chapter “${row.chapter}” has no rubric yet; ask an ops manager.`,
            },
          };
        }
        if (rubric.id !== args.rubricId) {
          return {
            status: 'rejected',
            code: 'VALIDATION',
            details: { reason: 'wrong_rubric', chapter: row.chapter, rubricId: rubric.id },
            message: {
              'zh-CN': '所用评分标准不属于该作业的章节。',
              en: 'The rubric used is not the one of this homework’s chapter.',
            },
          };
        }
        if (rubric.revision !== args.rubricRevision) {
          return conflict('RUBRIC_CHANGED', {
            reason: 'grade',
            rubricId: rubric.id,
            gradedRevision: args.rubricRevision,
            currentRevision: rubric.revision,
          });
        }
        const issues = validateRubricGrade(rubricOf(rubric), {
          outcome: args.outcome,
          scores: args.criterionScores,
          feedback: args.feedback,
        });
        if (issues.length > 0) {
          return {
            status: 'rejected',
            code: 'VALIDATION',
            details: { reason: 'rubric_grade', issues: issueDetails(issues) },
            message: issuesMessage(issues),
          };
        }
        const total = rubricTotal(rubricOf(rubric), args.criterionScores);
        const command: HomeworkCommand =
          args.outcome === 'pass'
            ? { action: 'ta_pass', score: total }
            : { action: 'ta_reject', feedback: args.feedback };
        const moved = transitionOrOutcome(scope, toDomain(row), command);
        if (!moved.ok) {
          return withTheirs(scope, moved.outcome, row.id);
        }
        const current = await currentEvidenceDigest(scope.tx, row.id, row.evidence_sha256);
        const evidenceChanged = current !== args.evidenceSha256;
        const flags = [
          ...target.flags,
          ...(evidenceChanged ? ['evidence_changed'] : []),
          ...(args.duplicateFlags.length > 0 ? ['near_duplicate'] : []),
        ];
        const feedback = args.feedback.trim();
        await scope.tx.query(
          `UPDATE homework_submissions
              SET state = $2, score = $3, ta_feedback = $4, ta_id = $5, ta_decided_at = $6,
                  criterion_scores = $7, graded_evidence_sha256 = $8, duplicate_flags = $9,
                  updated_at = $6, row_version = $10
            WHERE id = $1`,
          [
            row.id,
            moved.next.state,
            moved.next.score,
            feedback === '' ? null : feedback,
            scope.principal.id,
            scope.nowIso,
            JSON.stringify(args.criterionScores),
            args.evidenceSha256,
            JSON.stringify(args.duplicateFlags),
            await scope.version(),
          ],
        );
        const counted = await countBankComments(scope, row.chapter, args.bankCommentIds);
        await recordFinalDecision(scope, item, {
          outcome: args.outcome,
          note: args.feedback,
          details: {
            score: moved.next.score,
            rubricTotal: total,
            rubricId: rubric.id,
            rubricRevision: rubric.revision,
            criterionScores: args.criterionScores,
            evidenceSha256: args.evidenceSha256,
            ...(evidenceChanged ? { currentEvidenceSha256: current } : {}),
            ...(args.duplicateFlags.length > 0 ? { duplicateFlags: args.duplicateFlags } : {}),
            bankCommentIds: counted,
          },
          flags,
        });
        if (args.outcome === 'pass') {
          await enterMentorPool(scope, item, row);
        }
        return decisionOutcome(flags, {
          homeworkState: moved.next.state,
          score: moved.next.score,
          evidenceChanged,
          bankCommentIds: counted,
        });
      },
    }),

    ...homeworkCourseMutations,
  },
};

/**
 * One more use of each comment-bank entry the feedback inserted: entries of the submission's
 * chapter that are not deleted, each counted once whatever the list repeats. Returns the ids
 * counted.
 */
async function countBankComments(
  scope: WorkScope,
  chapter: string,
  ids: readonly string[],
): Promise<string[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) {
    return [];
  }
  const rows = await scope.tx.query<{ id: string }>(
    `UPDATE comment_bank SET use_count = use_count + 1, row_version = $3
      WHERE id = ANY($1::uuid[]) AND chapter = $2 AND deleted_at IS NULL
      RETURNING id`,
    [unique, chapter, await scope.version()],
  );
  const counted = new Set(rows.map((one) => one.id));
  return unique.filter((id) => counted.has(id));
}

export const homeworkMentorKind: ReviewKind = {
  kind: HOMEWORK_MENTOR_KIND,
  reviewerRoles: ['mentor'],
  assignerRoles: ['ops_manager'],
  visibleTo: ['mentor', 'ops_manager'],
  mutations: {
    /**
     * The mentor's review of passed work, from 00:00 Shanghai of its Friday review day on
     * (POOL_NOT_OPEN before); the work is archived to the student record in the same step.
     */
    mentorReview: defineMutation({
      v: 1,
      args: MUTATION_ARGS.mentorReview,
      async run(scope, { itemId, excellent, comment }) {
        if (hasNul(comment)) {
          return NUL_OUTCOME;
        }
        const held = await heldItemOfKind(scope, itemId, homeworkMentorKind);
        if (isOutcome(held)) {
          return held;
        }
        const { item, flags } = held;
        const pool = mentorPoolOpensAt(item.due_at);
        if (pool !== null && scope.now < pool.opensAt) {
          return {
            status: 'rejected',
            code: 'POOL_NOT_OPEN',
            details: {
              reviewDay: pool.reviewDay,
              opensAt: new Date(pool.opensAt).toISOString(),
              waitMs: pool.opensAt - scope.now,
            },
          };
        }
        const row = await lockSubmission(scope, item.subject_id);
        if (row === null) {
          return rejected('NOT_FOUND', { submissionId: item.subject_id });
        }
        const reviewed = transitionOrOutcome(scope, toDomain(row), {
          action: 'mentor_review',
          excellent,
          comment,
        });
        if (!reviewed.ok) {
          return reviewed.outcome;
        }
        // Reviewed work goes straight to the student record (SOP: 审核通过的作业归档).
        const archived = transitionOrOutcome(scope, reviewed.next, { action: 'archive' });
        if (!archived.ok) {
          return archived.outcome;
        }
        await scope.tx.query(
          `UPDATE homework_submissions
              SET state = $2, excellent = $3, mentor_comment = $4, mentor_id = $5,
                  mentor_reviewed_at = $6, archived_at = $6, updated_at = $6, row_version = $7
            WHERE id = $1`,
          [
            row.id,
            archived.next.state,
            excellent,
            archived.next.mentorComment,
            scope.principal.id,
            scope.nowIso,
            await scope.version(),
          ],
        );
        const recordId = randomUUID();
        await scope.tx.query(
          `INSERT INTO student_records (id, submission_id, student_id, student_name, chapter, score,
                                        excellent, mentor_comment, ta_id, mentor_id, archived_at,
                                        row_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            recordId,
            row.id,
            row.student_id,
            row.student_name,
            row.chapter,
            archived.next.score,
            excellent,
            archived.next.mentorComment,
            row.ta_id,
            scope.principal.id,
            scope.nowIso,
            await scope.version(),
          ],
        );
        await recordFinalDecision(scope, item, {
          outcome: excellent ? 'excellent' : 'reviewed',
          note: comment,
          flags,
        });
        await scope.audit({
          subjectType: 'homework',
          subjectId: row.id,
          itemId: item.id,
          action: 'archive',
          fromState: 'mentor_reviewed',
          toState: 'archived',
          details: { studentRecordId: recordId },
        });
        return decisionOutcome(flags, {
          homeworkState: archived.next.state,
          studentRecordId: recordId,
        });
      },
    }),
  },
};
