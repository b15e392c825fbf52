import type { LocalizedText } from '../i18n/localized';
import { countCharacters } from './listing/richText';

/**
 * Homework rubrics (评分标准): one per course chapter, managed by ops managers, applied by TAs.
 * A rubric is a list of criteria, each worth some points; the points add up to the rubric's maximum
 * score, so a TA's total is always a valid homework score (0–100). At most nine criteria: TAs
 * score them with the number keys 1–9 (as in Gradescope).
 */

/** Most criteria a rubric may have: one per number key. */
export const MAX_RUBRIC_CRITERIA = 9;
/** Longest criterion title, description. */
export const MAX_CRITERION_TITLE = 60;
export const MAX_CRITERION_DESCRIPTION = 500;
/** Longest written feedback of a grade (the TA's comment to the student). */
export const MAX_FEEDBACK_LENGTH = 2000;

export interface RubricCriterion {
  /** Stable id (UUID), kept across edits so grades stay attached to it. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Points the criterion is worth (a whole number ≥ 1). */
  readonly points: number;
}

export interface Rubric {
  readonly chapter: string;
  readonly maxScore: number;
  readonly criteria: readonly RubricCriterion[];
}

/** A problem found in a rubric or a grade: where, what, and the message in both languages. */
export interface RubricIssue {
  /** `criteria/2/points`, `maxScore`, `scores/<criterionId>`, `feedback`, … */
  readonly path: string;
  readonly code:
    | 'no_criteria'
    | 'too_many_criteria'
    | 'title_required'
    | 'title_too_long'
    | 'description_too_long'
    | 'invalid_points'
    | 'duplicate_criterion'
    | 'points_do_not_add_up'
    | 'invalid_max_score'
    | 'unknown_criterion'
    | 'score_out_of_range'
    | 'score_missing'
    | 'feedback_required'
    | 'feedback_too_long';
  readonly message: LocalizedText;
}

const isWhole = (value: number) => Number.isInteger(value);

/** Every problem of a rubric, in criterion order; empty when it can be saved. */
export function validateRubric(rubric: Rubric): RubricIssue[] {
  const issues: RubricIssue[] = [];
  if (!isWhole(rubric.maxScore) || rubric.maxScore < 1 || rubric.maxScore > 100) {
    issues.push({
      path: 'maxScore',
      code: 'invalid_max_score',
      message: {
        'zh-CN': '满分须为 1–100 的整数。',
        en: 'The maximum score must be a whole number from 1 to 100.',
      },
    });
  }
  if (rubric.criteria.length === 0) {
    issues.push({
      path: 'criteria',
      code: 'no_criteria',
      message: { 'zh-CN': '评分标准至少需要一项。', en: 'A rubric needs at least one criterion.' },
    });
  }
  if (rubric.criteria.length > MAX_RUBRIC_CRITERIA) {
    issues.push({
      path: 'criteria',
      code: 'too_many_criteria',
      message: {
        'zh-CN': `评分标准最多 ${MAX_RUBRIC_CRITERIA} 项（对应数字键 1–9）。`,
        en: `A rubric has at most ${MAX_RUBRIC_CRITERIA} criteria (one per number key 1–9).`,
      },
    });
  }
  const seen = new Set<string>();
  rubric.criteria.forEach((criterion, index) => {
    const at = `criteria/${index}`;
    if (seen.has(criterion.id)) {
      issues.push({
        path: `${at}/id`,
        code: 'duplicate_criterion',
        message: { 'zh-CN': '评分项重复。', en: 'This criterion appears twice.' },
      });
    }
    seen.add(criterion.id);
    const title = criterion.title.trim();
    if (title === '') {
      issues.push({
        path: `${at}/title`,
        code: 'title_required',
        message: { 'zh-CN': '请填写评分项名称。', en: 'Enter the criterion’s title.' },
      });
    } else if (countCharacters(title) > MAX_CRITERION_TITLE) {
      issues.push({
        path: `${at}/title`,
        code: 'title_too_long',
        message: {
          'zh-CN': `评分项名称最多 ${MAX_CRITERION_TITLE} 字。`,
          en: `A criterion title has at most ${MAX_CRITERION_TITLE} characters.`,
        },
      });
    }
    if (countCharacters(criterion.description) > MAX_CRITERION_DESCRIPTION) {
      issues.push({
        path: `${at}/description`,
        code: 'description_too_long',
        message: {
          'zh-CN': `评分说明最多 ${MAX_CRITERION_DESCRIPTION} 字。`,
          en: `A criterion description has at most ${MAX_CRITERION_DESCRIPTION} characters.`,
        },
      });
    }
    if (!isWhole(criterion.points) || criterion.points < 1) {
      issues.push({
        path: `${at}/points`,
        code: 'invalid_points',
        message: {
          'zh-CN': '分值须为正整数。',
          en: 'Points must be a whole number of at least 1.',
        },
      });
    }
  });
  const total = rubric.criteria.reduce((sum, criterion) => sum + criterion.points, 0);
  if (rubric.criteria.length > 0 && total !== rubric.maxScore) {
    issues.push({
      path: 'criteria',
      code: 'points_do_not_add_up',
      message: {
        'zh-CN': `各项分值合计 ${total} 分，与满分 ${rubric.maxScore} 分不符。`,
        en: `The criteria add up to ${total} points, not the maximum score of ${rubric.maxScore}.`,
      },
    });
  }
  return issues;
}

/** The total of criterion scores (missing criteria count 0). */
export function rubricTotal(rubric: Rubric, scores: Readonly<Record<string, number>>): number {
  return rubric.criteria.reduce((sum, criterion) => sum + (scores[criterion.id] ?? 0), 0);
}

/** A TA's grade of one submission against a rubric. */
export interface RubricGradeInput {
  readonly outcome: 'pass' | 'reject';
  readonly scores: Readonly<Record<string, number>>;
  readonly feedback: string;
}

/**
 * Every problem of a grade: each score a whole number from 0 to its criterion's points, no score
 * for a criterion the rubric lacks, every criterion scored on a pass (a rejection may leave
 * criteria unscored), feedback required on a rejection and at most 2,000 characters.
 */
export function validateRubricGrade(rubric: Rubric, grade: RubricGradeInput): RubricIssue[] {
  const issues: RubricIssue[] = [];
  const known = new Map(rubric.criteria.map((criterion) => [criterion.id, criterion]));
  for (const [criterionId, score] of Object.entries(grade.scores)) {
    const criterion = known.get(criterionId);
    if (criterion === undefined) {
      issues.push({
        path: `scores/${criterionId}`,
        code: 'unknown_criterion',
        message: {
          'zh-CN': '该评分项不在本章评分标准中（评分标准可能已更新）。',
          en: 'This criterion is not in the chapter’s rubric (the rubric may have changed).',
        },
      });
    } else if (!isWhole(score) || score < 0 || score > criterion.points) {
      issues.push({
        path: `scores/${criterionId}`,
        code: 'score_out_of_range',
        message: {
          'zh-CN': `「${criterion.title}」的得分须为 0–${criterion.points} 的整数。`,
          en: `The score for “${criterion.title}” must be a whole number from 0 to ${criterion.points}.`,
        },
      });
    }
  }
  if (grade.outcome === 'pass') {
    for (const criterion of rubric.criteria) {
      if (grade.scores[criterion.id] === undefined) {
        issues.push({
          path: `scores/${criterion.id}`,
          code: 'score_missing',
          message: {
            'zh-CN': `通过前请为「${criterion.title}」打分。`,
            en: `Score “${criterion.title}” before passing the work.`,
          },
        });
      }
    }
  }
  const feedback = grade.feedback.trim();
  if (grade.outcome === 'reject' && feedback === '') {
    issues.push({
      path: 'feedback',
      code: 'feedback_required',
      message: {
        'zh-CN': '驳回作业须填写修改意见。',
        en: 'Rejecting homework requires written feedback.',
      },
    });
  }
  if (countCharacters(feedback) > MAX_FEEDBACK_LENGTH) {
    issues.push({
      path: 'feedback',
      code: 'feedback_too_long',
      message: {
        'zh-CN': `反馈最多 ${MAX_FEEDBACK_LENGTH} 字（当前 ${countCharacters(feedback)} 字）。`,
        en: `Feedback has at most ${MAX_FEEDBACK_LENGTH} characters (this has ${countCharacters(feedback)}).`,
      },
    });
  }
  return issues;
}
