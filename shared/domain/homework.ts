import type { LocalizedText } from '../i18n/localized';
import { assertNever } from '../util/assertNever';
import { ROLE_LABELS, type Role } from './roles';
import {
  addCalendarDays,
  assertEpochMs,
  fromShanghai,
  HOUR_MS,
  shanghaiDate,
  shanghaiStartOfDay,
  WEEKDAY,
  weekdayOfDate,
} from './time';

/**
 * Homework grading (运营 SOP 第 2 节「学习进度追踪与作业批改」).
 *
 * A student submits per chapter (article link, screenshots, reflection). The TA does a first pass
 * every day before 18:00; a pass goes to the mentors' pool, a rejection goes back to the student
 * with written feedback. Mentors review the pool every Friday and pick excellent work. Reviewed work
 * is archived to the student record: student ID, chapter, score, mentor comment.
 *
 * A TA rejection is terminal for that submission: the student fixes the work and submits again,
 * which is a NEW submission with its own `submittedAt` and its own TA deadline. Reopening the old
 * one would overwrite what the TA rejected and lose the feedback history.
 */

/** Homework states. */
export const HOMEWORK_STATES = [
  'submitted',
  'ta_passed',
  'ta_rejected',
  'mentor_reviewed',
  'archived',
] as const;
/** A homework state. */
export type HomeworkState = (typeof HOMEWORK_STATES)[number];

/** Display names of the states. */
export const HOMEWORK_STATE_LABELS: Readonly<Record<HomeworkState, LocalizedText>> = {
  submitted: { 'zh-CN': '已提交', en: 'Submitted' },
  ta_passed: { 'zh-CN': '助教初审通过', en: 'Passed by TA' },
  ta_rejected: { 'zh-CN': '助教驳回', en: 'Rejected by TA' },
  mentor_reviewed: { 'zh-CN': '导师已点评', en: 'Reviewed by mentor' },
  archived: { 'zh-CN': '已归档', en: 'Archived' },
};

/** Homework actions. */
export const HOMEWORK_ACTIONS = ['ta_pass', 'ta_reject', 'mentor_review', 'archive'] as const;
/** A homework action. */
export type HomeworkAction = (typeof HOMEWORK_ACTIONS)[number];

/** Display names of the actions. */
export const HOMEWORK_ACTION_LABELS: Readonly<Record<HomeworkAction, LocalizedText>> = {
  ta_pass: { 'zh-CN': '初审通过', en: 'Pass' },
  ta_reject: { 'zh-CN': '驳回', en: 'Reject' },
  mentor_review: { 'zh-CN': '导师点评', en: 'Mentor review' },
  archive: { 'zh-CN': '归档', en: 'Archive' },
};

/** What an action does: the one state it applies in, where it leads, and who may take it. */
export interface HomeworkRule {
  readonly from: HomeworkState;
  readonly to: HomeworkState;
  readonly roles: readonly Role[];
}

/**
 * The homework rule table. Archiving is the mentor's last step, and ops managers may archive too so
 * that reviewed work does not sit unarchived when a mentor is away.
 */
export const HOMEWORK_RULES = {
  ta_pass: { from: 'submitted', to: 'ta_passed', roles: ['ta'] },
  ta_reject: { from: 'submitted', to: 'ta_rejected', roles: ['ta'] },
  mentor_review: { from: 'ta_passed', to: 'mentor_reviewed', roles: ['mentor'] },
  archive: { from: 'mentor_reviewed', to: 'archived', roles: ['mentor', 'ops_manager'] },
} as const satisfies Readonly<Record<HomeworkAction, HomeworkRule>>;

const RULES: Readonly<Record<HomeworkAction, HomeworkRule>> = HOMEWORK_RULES;

/** Whether the role may take `action` on homework in `state`. */
export function canHomework(role: Role, action: HomeworkAction, state: HomeworkState): boolean {
  const rule = RULES[action];
  return rule.from === state && rule.roles.includes(role);
}

/** Lowest homework score; scores are whole numbers. */
export const HOMEWORK_SCORE_MIN = 0;
/** Highest homework score. */
export const HOMEWORK_SCORE_MAX = 100;

/** Whether `score` is a valid homework score: an integer from 0 to 100. */
export function isValidHomeworkScore(score: number): boolean {
  return Number.isInteger(score) && score >= HOMEWORK_SCORE_MIN && score <= HOMEWORK_SCORE_MAX;
}

/** One homework submission and what graders have recorded on it so far. */
export interface HomeworkSubmission {
  readonly studentId: string;
  /** The chapter the homework belongs to, e.g. `01_基础篇`. */
  readonly chapter: string;
  /** Link to the published work, e.g. a WeChat article. */
  readonly articleUrl: string;
  /** References to the stored screenshots. */
  readonly screenshots: readonly string[];
  readonly reflection: string;
  /** When the student submitted (epoch ms); drives the TA deadline. */
  readonly submittedAt: number;
  readonly state: HomeworkState;
  /** Score given by the TA on pass, if any. */
  readonly score: number | null;
  /** The TA's written feedback on rejection. */
  readonly taFeedback: string | null;
  /** Whether the mentor picked it as excellent work; `null` until reviewed. */
  readonly excellent: boolean | null;
  readonly mentorComment: string | null;
}

/** The TA passes the work, optionally with a score. */
export interface TaPassCommand {
  readonly action: 'ta_pass';
  /** An integer 0–100; optional because the first pass checks basic requirements, not quality. */
  readonly score?: number;
}

/** The TA rejects the work; written feedback is required (「填写修改意见」). */
export interface TaRejectCommand {
  readonly action: 'ta_reject';
  readonly feedback: string;
}

/**
 * The mentor's weekly review. The comment is REQUIRED when the work is picked as excellent, since
 * the archive and the students' showcase need to say why it is excellent; it is optional otherwise
 * (a mentor working through the pool on Friday does not have to write on every piece).
 */
export interface MentorReviewCommand {
  readonly action: 'mentor_review';
  readonly excellent: boolean;
  readonly comment?: string;
}

/** Archives reviewed work to the student record. */
export interface ArchiveCommand {
  readonly action: 'archive';
}

/** Any homework command. */
export type HomeworkCommand =
  TaPassCommand | TaRejectCommand | MentorReviewCommand | ArchiveCommand;

/** What is written to the student record (学员档案) when homework is archived. */
export interface HomeworkArchiveRecord {
  readonly studentId: string;
  readonly chapter: string;
  readonly score: number | null;
  readonly mentorComment: string | null;
}

/** Why a homework command was refused. */
export type HomeworkFailureReason =
  'not_applicable' | 'forbidden' | 'feedback_required' | 'comment_required' | 'invalid_score';

/** A refused homework command. */
export interface HomeworkFailure {
  readonly ok: false;
  readonly reason: HomeworkFailureReason;
  readonly message: LocalizedText;
}

/** An accepted homework command. */
export interface HomeworkSuccess {
  readonly ok: true;
  readonly from: HomeworkState;
  readonly to: HomeworkState;
  /** The submission after the command (a new object; the input is not modified). */
  readonly submission: HomeworkSubmission;
  /** The student-record entry, for `archive` only. */
  readonly archiveRecord: HomeworkArchiveRecord | null;
}

/** Outcome of {@link homeworkTransition}. */
export type HomeworkTransitionResult = HomeworkSuccess | HomeworkFailure;

function fail(reason: HomeworkFailureReason, message: LocalizedText): HomeworkFailure {
  return { ok: false, reason, message };
}

/**
 * Applies a grading command to a submission. Checks, in order: the action applies in the current
 * state (`not_applicable`), the role may take it (`forbidden`), then the command's content
 * (`feedback_required`, `comment_required`, `invalid_score`). Feedback and comments are stored
 * trimmed; a blank optional comment is stored as `null`. Scope (is this TA assigned to this class)
 * is the caller's business.
 */
export function homeworkTransition(
  role: Role,
  submission: HomeworkSubmission,
  command: HomeworkCommand,
): HomeworkTransitionResult {
  const rule = RULES[command.action];
  const from = submission.state;
  const actionLabel = HOMEWORK_ACTION_LABELS[command.action];
  if (rule.from !== from) {
    const stateLabel = HOMEWORK_STATE_LABELS[from];
    return fail('not_applicable', {
      'zh-CN': `「${stateLabel['zh-CN']}」的作业不能执行「${actionLabel['zh-CN']}」。`,
      en: `“${actionLabel.en}” does not apply to homework that is “${stateLabel.en}”.`,
    });
  }
  if (!rule.roles.includes(role)) {
    const roleLabel = ROLE_LABELS[role];
    return fail('forbidden', {
      'zh-CN': `${roleLabel['zh-CN']}无权执行「${actionLabel['zh-CN']}」。`,
      en: `The role “${roleLabel.en}” may not “${actionLabel.en}” homework.`,
    });
  }

  const moved = (
    changes: Partial<HomeworkSubmission>,
    archiveRecord: HomeworkArchiveRecord | null = null,
  ): HomeworkSuccess => ({
    ok: true,
    from,
    to: rule.to,
    submission: { ...submission, ...changes, state: rule.to },
    archiveRecord,
  });

  switch (command.action) {
    case 'ta_pass': {
      if (command.score !== undefined && !isValidHomeworkScore(command.score)) {
        return fail('invalid_score', {
          'zh-CN': `评分须为 ${HOMEWORK_SCORE_MIN}–${HOMEWORK_SCORE_MAX} 的整数。`,
          en: `The score must be a whole number from ${HOMEWORK_SCORE_MIN} to ${HOMEWORK_SCORE_MAX}.`,
        });
      }
      return moved({ score: command.score ?? null });
    }
    case 'ta_reject': {
      const feedback = command.feedback.trim();
      if (feedback === '') {
        return fail('feedback_required', {
          'zh-CN': '驳回作业须填写修改意见。',
          en: 'Rejecting homework requires written feedback.',
        });
      }
      return moved({ taFeedback: feedback });
    }
    case 'mentor_review': {
      const comment = command.comment?.trim() ?? '';
      if (command.excellent && comment === '') {
        return fail('comment_required', {
          'zh-CN': '评为优秀作业须填写导师评语。',
          en: 'Picking work as excellent requires a mentor comment.',
        });
      }
      return moved({
        excellent: command.excellent,
        mentorComment: comment === '' ? null : comment,
      });
    }
    case 'archive':
      return moved(
        {},
        {
          studentId: submission.studentId,
          chapter: submission.chapter,
          score: submission.score,
          mentorComment: submission.mentorComment,
        },
      );
    default:
      return assertNever(command, 'homework command');
  }
}

/** Hour of day (Shanghai) by which the TA first-passes the day's submissions. */
export const TA_DEADLINE_HOUR = 18;

/**
 * When the TA's first pass of a submission is due. The SOP says 「每日 18:00 前处理当日作业」: a
 * submission made before 18:00 Shanghai time is due at 18:00 the same day. One made at 18:00:00 or
 * later cannot be handled "before 18:00 that day" any more, so it is due at 18:00 the NEXT day
 * (the SOP is silent; this is the reading that never gives the TA zero time). 每日 means every
 * day, weekends included: there is no working-day rule for TAs in the SOP.
 */
export function taDeadline(submittedAt: number): number {
  assertEpochMs(submittedAt, 'submittedAt');
  const sameDay = shanghaiStartOfDay(submittedAt) + TA_DEADLINE_HOUR * HOUR_MS;
  if (submittedAt < sameDay) {
    return sameDay;
  }
  return fromShanghai(addCalendarDays(shanghaiDate(submittedAt), 1), TA_DEADLINE_HOUR);
}

/**
 * Whether the TA's first pass is late at `now`: "before 18:00" is strict, so at 18:00:00.000 the
 * submission is overdue.
 */
export function isTaOverdue(submittedAt: number, now: number): boolean {
  assertEpochMs(now, 'now');
  return now >= taDeadline(submittedAt);
}

/**
 * The Friday (Shanghai, `YYYY-MM-DD`) on which mentors review work the TA passed at `passedAt`: the
 * first Friday strictly AFTER the pass day. Work passed on a Friday waits for the next Friday: the
 * Friday session reviews the pool as it stood when the day began, so mentors can finish it and it
 * is clear what was in it, rather than chasing passes that keep arriving until the TA's 18:00
 * deadline.
 */
export function mentorReviewDay(passedAt: number): string {
  assertEpochMs(passedAt, 'passedAt');
  const passDay = shanghaiDate(passedAt);
  const weekday = weekdayOfDate(passDay);
  // Days to the next Friday: 1 from Thursday, 6 from Saturday, 7 from Friday itself.
  const ahead = (WEEKDAY.friday - weekday + 7) % 7 || 7;
  return addCalendarDays(passDay, ahead);
}
