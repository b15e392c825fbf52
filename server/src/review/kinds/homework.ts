import { randomUUID } from 'node:crypto';
import {
  homeworkTransition,
  mentorReviewDay,
  type HomeworkCommand,
  type HomeworkState,
  type HomeworkSubmission,
} from '#shared/domain/homework';
import { fromShanghai } from '#shared/domain/time';
import { MUTATION_ARGS } from '#shared/sync/mutations';
import { decisionOutcome, recordFinalDecision, takeHold } from '../core';
import { lockItem, type ReviewItemRow } from '../items';
import { defineMutation, type ReviewKind } from '../kind';
import { conflict, rejected, type Outcome, type WorkScope } from '../scope';

/**
 * Homework of the AI-writing course, in two review kinds: the TA's daily first pass
 * (`homework`) and the mentors' Friday pool (`homework_mentor`), each deciding through its own
 * mutation (`gradeHomework`, `mentorReview`) with the shared homework state machine.
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
  readonly chapter: string;
  readonly article_url: string;
  readonly reflection: string;
  readonly screenshots: string[];
  readonly state: HomeworkState;
  readonly score: number | null;
  readonly ta_feedback: string | null;
  readonly excellent: boolean | null;
  readonly mentor_comment: string | null;
  readonly submitted_at: string;
}

async function lockSubmission(scope: WorkScope, id: string): Promise<SubmissionRow | null> {
  const [row] = await scope.tx.query<SubmissionRow>(
    `SELECT id, student_id, chapter, article_url, reflection, screenshots, state, score,
            ta_feedback, excellent, mentor_comment, submitted_at
       FROM homework_submissions WHERE id = $1 FOR UPDATE`,
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
  return hold.ok ? { item, flags: hold.flags } : hold.outcome;
}

const isOutcome = (value: object): value is Outcome => 'status' in value;

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
        const held = await heldItemOfKind(scope, itemId, homeworkKind);
        if (isOutcome(held)) {
          return held;
        }
        const { item, flags } = held;
        const row = await lockSubmission(scope, item.subject_id);
        if (row === null) {
          return rejected('NOT_FOUND', { submissionId: item.subject_id });
        }
        const command: HomeworkCommand =
          outcome === 'pass'
            ? { action: 'ta_pass', ...(score === undefined ? {} : { score }) }
            : { action: 'ta_reject', feedback };
        const moved = transitionOrOutcome(scope, toDomain(row), command);
        if (!moved.ok) {
          return moved.outcome;
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
          // Into the mentors' pool, due at the end of the Friday review day (Shanghai).
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
        }
        return decisionOutcome(flags, { homeworkState: moved.next.state });
      },
    }),
  },
};

export const homeworkMentorKind: ReviewKind = {
  kind: HOMEWORK_MENTOR_KIND,
  reviewerRoles: ['mentor'],
  assignerRoles: ['ops_manager'],
  visibleTo: ['mentor', 'ops_manager'],
  mutations: {
    mentorReview: defineMutation({
      v: 1,
      args: MUTATION_ARGS.mentorReview,
      async run(scope, { itemId, excellent, comment }) {
        const held = await heldItemOfKind(scope, itemId, homeworkMentorKind);
        if (isOutcome(held)) {
          return held;
        }
        const { item, flags } = held;
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
        });
        return decisionOutcome(flags, { homeworkState: archived.next.state });
      },
    }),
  },
};
