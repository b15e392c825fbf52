import { describe, expect, it } from 'vitest';
import {
  HOMEWORK_ACTION_LABELS,
  HOMEWORK_ACTIONS,
  HOMEWORK_STATE_LABELS,
  HOMEWORK_STATES,
  canHomework,
  homeworkTransition,
  isTaOverdue,
  isValidHomeworkScore,
  mentorReviewDay,
  taDeadline,
  type HomeworkAction,
  type HomeworkCommand,
  type HomeworkState,
  type HomeworkSubmission,
} from '#shared/domain/homework';
import { ROLES, type Role } from '#shared/domain/roles';

/** An instant written with an explicit +08:00 offset. */
function beijing(isoLocal: string): number {
  return Date.parse(`${isoLocal}+08:00`);
}

// Independent of the module's table: who may do what, where.
const ALLOWED: Readonly<Record<Role, readonly string[]>> = {
  submitter: [],
  collaborator: [],
  assistant: [],
  reviewer: [],
  ops_manager: ['archive@mentor_reviewed'],
  ta: ['ta_pass@submitted', 'ta_reject@submitted'],
  mentor: ['mentor_review@ta_passed', 'archive@mentor_reviewed'],
};

const TARGET: Readonly<Record<HomeworkAction, [HomeworkState, HomeworkState]>> = {
  ta_pass: ['submitted', 'ta_passed'],
  ta_reject: ['submitted', 'ta_rejected'],
  mentor_review: ['ta_passed', 'mentor_reviewed'],
  archive: ['mentor_reviewed', 'archived'],
};

/** A valid command of each kind, so that only role and state decide. */
const VALID_COMMAND: Readonly<Record<HomeworkAction, HomeworkCommand>> = {
  ta_pass: { action: 'ta_pass', score: 80 },
  ta_reject: { action: 'ta_reject', feedback: '截图缺少发布时间，请补充。' },
  mentor_review: { action: 'mentor_review', excellent: true, comment: '结构清晰，案例真实。' },
  archive: { action: 'archive' },
};

function submission(state: HomeworkState, extra: Partial<HomeworkSubmission> = {}) {
  const base: HomeworkSubmission = {
    studentId: 'stu-042',
    chapter: '01_基础篇',
    articleUrl: 'https://mp.weixin.qq.com/s/example',
    screenshots: ['shot-1.png'],
    reflection: '第一次完整发布文章。',
    submittedAt: beijing('2024-03-01T10:00:00'),
    state,
    score: null,
    taFeedback: null,
    excellent: null,
    mentorComment: null,
  };
  return { ...base, ...extra };
}

describe('every role × action × state', () => {
  const cases: [string, Role, HomeworkAction, HomeworkState, boolean][] = [];
  for (const role of ROLES) {
    for (const action of HOMEWORK_ACTIONS) {
      for (const state of HOMEWORK_STATES) {
        const allowed = ALLOWED[role].includes(`${action}@${state}`);
        cases.push([
          `${role} ${allowed ? 'MAY' : 'may not'} ${action} ${state} homework`,
          role,
          action,
          state,
          allowed,
        ]);
      }
    }
  }

  it('covers 7 roles × 4 actions × 5 states', () => {
    expect(cases).toHaveLength(140);
  });

  it.each(cases)('%s', (_name, role, action, state, allowed) => {
    expect(canHomework(role, action, state)).toBe(allowed);
    const result = homeworkTransition(role, submission(state), VALID_COMMAND[action]);
    const [from, to] = TARGET[action];
    if (allowed) {
      expect(result).toMatchObject({ ok: true, from, to });
    } else if (state !== from) {
      expect(result).toMatchObject({ ok: false, reason: 'not_applicable' });
    } else {
      expect(result).toMatchObject({ ok: false, reason: 'forbidden' });
    }
  });

  it('treats a TA rejection as terminal', () => {
    for (const role of ROLES) {
      for (const action of HOMEWORK_ACTIONS) {
        expect(canHomework(role, action, 'ta_rejected')).toBe(false);
        expect(canHomework(role, action, 'archived')).toBe(false);
      }
    }
  });
});

describe('homeworkTransition content rules', () => {
  it('passes with an optional integer score', () => {
    const noScore = homeworkTransition('ta', submission('submitted'), { action: 'ta_pass' });
    expect(noScore).toMatchObject({ ok: true, submission: { state: 'ta_passed', score: null } });
    for (const score of [0, 100, 73]) {
      expect(
        homeworkTransition('ta', submission('submitted'), { action: 'ta_pass', score }),
      ).toMatchObject({ ok: true, submission: { score } });
    }
  });

  it.each([-1, 101, 59.5, Number.NaN])('refuses the score %s', (score) => {
    expect(
      homeworkTransition('ta', submission('submitted'), { action: 'ta_pass', score }),
    ).toMatchObject({ ok: false, reason: 'invalid_score' });
    expect(isValidHomeworkScore(score)).toBe(false);
  });

  it('requires written feedback to reject, and stores it trimmed', () => {
    for (const feedback of ['', '   ', '\n\t']) {
      const result = homeworkTransition('ta', submission('submitted'), {
        action: 'ta_reject',
        feedback,
      });
      expect(result).toMatchObject({ ok: false, reason: 'feedback_required' });
      if (!result.ok) {
        expect(result.message['zh-CN']).toContain('修改意见');
      }
    }
    expect(
      homeworkTransition('ta', submission('submitted'), {
        action: 'ta_reject',
        feedback: '  缺少截图  ',
      }),
    ).toMatchObject({ ok: true, to: 'ta_rejected', submission: { taFeedback: '缺少截图' } });
  });

  it('requires a mentor comment for excellent work only', () => {
    expect(
      homeworkTransition('mentor', submission('ta_passed'), {
        action: 'mentor_review',
        excellent: true,
        comment: '  ',
      }),
    ).toMatchObject({ ok: false, reason: 'comment_required' });
    expect(
      homeworkTransition('mentor', submission('ta_passed'), {
        action: 'mentor_review',
        excellent: true,
      }),
    ).toMatchObject({ ok: false, reason: 'comment_required' });
    expect(
      homeworkTransition('mentor', submission('ta_passed'), {
        action: 'mentor_review',
        excellent: false,
      }),
    ).toMatchObject({
      ok: true,
      submission: { state: 'mentor_reviewed', excellent: false, mentorComment: null },
    });
  });

  it('archives student ID, chapter, score and mentor comment', () => {
    const passed = homeworkTransition('ta', submission('submitted'), {
      action: 'ta_pass',
      score: 88,
    });
    if (!passed.ok) {
      throw new Error('pass failed');
    }
    const reviewed = homeworkTransition('mentor', passed.submission, {
      action: 'mentor_review',
      excellent: true,
      comment: '优秀：前后对比清楚。',
    });
    if (!reviewed.ok) {
      throw new Error('review failed');
    }
    const archived = homeworkTransition('ops_manager', reviewed.submission, { action: 'archive' });
    expect(archived).toMatchObject({
      ok: true,
      to: 'archived',
      archiveRecord: {
        studentId: 'stu-042',
        chapter: '01_基础篇',
        score: 88,
        mentorComment: '优秀：前后对比清楚。',
      },
    });
    expect(passed.archiveRecord).toBeNull();
  });

  it('does not modify the submission it is given', () => {
    const before = submission('submitted');
    homeworkTransition('ta', before, { action: 'ta_pass', score: 90 });
    expect(before.state).toBe('submitted');
    expect(before.score).toBeNull();
  });

  it('checks state before role before content', () => {
    expect(
      homeworkTransition('submitter', submission('archived'), {
        action: 'ta_reject',
        feedback: '',
      }),
    ).toMatchObject({ ok: false, reason: 'not_applicable' });
    expect(
      homeworkTransition('submitter', submission('submitted'), {
        action: 'ta_reject',
        feedback: '',
      }),
    ).toMatchObject({ ok: false, reason: 'forbidden' });
  });
});

describe('taDeadline', () => {
  it.each([
    ['00:00:00.000', '2024-03-01T18:00:00'],
    ['09:30:00.000', '2024-03-01T18:00:00'],
    ['17:59:59.000', '2024-03-01T18:00:00'],
    ['17:59:59.999', '2024-03-01T18:00:00'],
    ['18:00:00.000', '2024-03-02T18:00:00'],
    ['18:00:01.000', '2024-03-02T18:00:00'],
    ['23:59:59.999', '2024-03-02T18:00:00'],
  ])('a submission at %s on 2024-03-01 (Shanghai) is due %s', (time, due) => {
    expect(taDeadline(beijing(`2024-03-01T${time}`))).toBe(beijing(due));
  });

  it('uses Shanghai days, not UTC days (23:30 Shanghai is 15:30 UTC)', () => {
    expect(taDeadline(Date.parse('2024-03-01T15:30:00Z'))).toBe(beijing('2024-03-02T18:00:00'));
    expect(taDeadline(Date.parse('2024-02-29T16:00:00Z'))).toBe(beijing('2024-03-01T18:00:00'));
  });

  it('crosses month and year ends, and runs on weekends too', () => {
    expect(taDeadline(beijing('2024-02-29T19:00:00'))).toBe(beijing('2024-03-01T18:00:00'));
    expect(taDeadline(beijing('2024-12-31T18:00:00'))).toBe(beijing('2025-01-01T18:00:00'));
    expect(taDeadline(beijing('2024-03-02T12:00:00'))).toBe(beijing('2024-03-02T18:00:00'));
  });

  it('is overdue from 18:00:00.000 exactly', () => {
    const submittedAt = beijing('2024-03-01T10:00:00');
    expect(isTaOverdue(submittedAt, beijing('2024-03-01T17:59:59.999'))).toBe(false);
    expect(isTaOverdue(submittedAt, beijing('2024-03-01T18:00:00'))).toBe(true);
  });

  it('refuses a non-finite time', () => {
    expect(() => taDeadline(Number.NaN)).toThrow(RangeError);
  });
});

describe('mentorReviewDay', () => {
  it.each([
    ['2024-02-26T10:00:00', '2024-03-01'], // Monday
    ['2024-02-29T23:59:59', '2024-03-01'], // Thursday, last second
    ['2024-03-01T00:00:00', '2024-03-08'], // Friday: waits for the next Friday
    ['2024-03-01T17:00:00', '2024-03-08'],
    ['2024-03-02T09:00:00', '2024-03-08'], // Saturday
    ['2024-03-03T23:00:00', '2024-03-08'], // Sunday
    ['2024-12-30T12:00:00', '2025-01-03'], // across the year end
  ])('work passed at %s (Shanghai) is reviewed on %s', (passed, friday) => {
    expect(mentorReviewDay(beijing(passed))).toBe(friday);
  });

  it('uses the Shanghai day: Thursday 16:30 UTC is already Friday in Shanghai', () => {
    expect(mentorReviewDay(Date.parse('2024-02-29T16:30:00Z'))).toBe('2024-03-08');
  });
});

describe('labels', () => {
  it('labels every state and action in both languages', () => {
    for (const state of HOMEWORK_STATES) {
      expect(HOMEWORK_STATE_LABELS[state]['zh-CN']).not.toBe('');
      expect(HOMEWORK_STATE_LABELS[state].en).not.toBe('');
    }
    for (const action of HOMEWORK_ACTIONS) {
      expect(HOMEWORK_ACTION_LABELS[action]['zh-CN']).not.toBe('');
      expect(HOMEWORK_ACTION_LABELS[action].en).not.toBe('');
    }
  });
});
