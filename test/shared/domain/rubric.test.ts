import { describe, expect, it } from 'vitest';
import {
  evidenceCanonicalText,
  evidenceChanges,
  type HomeworkEvidenceContent,
} from '#shared/domain/homeworkEvidence';
import {
  MAX_FEEDBACK_LENGTH,
  rubricTotal,
  validateRubric,
  validateRubricGrade,
  type Rubric,
} from '#shared/domain/rubric';

const criterion = (id: string, points: number, title = `标准 ${id}`) => ({
  id,
  title,
  description: '',
  points,
});

const rubric: Rubric = {
  chapter: '01_基础篇',
  maxScore: 100,
  criteria: [criterion('a', 40, '选题'), criterion('b', 35, '结构'), criterion('c', 25, '反思')],
};

const codes = (issues: readonly { code: string }[]) => issues.map((issue) => issue.code);

describe('validateRubric', () => {
  it('accepts criteria whose points add up to the maximum score', () => {
    expect(validateRubric(rubric)).toEqual([]);
  });

  it('says by how much the points miss the maximum, in both languages', () => {
    const issues = validateRubric({
      ...rubric,
      criteria: [criterion('a', 40), criterion('b', 50)],
    });
    expect(codes(issues)).toEqual(['points_do_not_add_up']);
    expect(issues[0]?.message['zh-CN']).toContain('90');
    expect(issues[0]?.message.en).toBe(
      'The criteria add up to 90 points, not the maximum score of 100.',
    );
  });

  it('refuses more than nine criteria (one per number key), none, blanks and bad points', () => {
    const ten = Array.from({ length: 10 }, (_, index) => criterion(`k${index}`, 10));
    expect(codes(validateRubric({ ...rubric, criteria: ten }))).toContain('too_many_criteria');
    expect(codes(validateRubric({ ...rubric, criteria: [] }))).toEqual(['no_criteria']);
    expect(
      codes(
        validateRubric({
          ...rubric,
          criteria: [criterion('a', 60, '  '), criterion('a', 40.5)],
        }),
      ),
    ).toEqual(['title_required', 'duplicate_criterion', 'invalid_points', 'points_do_not_add_up']);
    expect(
      codes(validateRubric({ ...rubric, maxScore: 0, criteria: [criterion('a', 1)] })),
    ).toEqual(['invalid_max_score', 'points_do_not_add_up']);
  });

  it('counts characters, not UTF-16 units, against the title limit', () => {
    const sixtyEmoji = '😀'.repeat(60);
    expect(validateRubric({ ...rubric, criteria: [criterion('a', 100, sixtyEmoji)] })).toEqual([]);
    expect(
      codes(validateRubric({ ...rubric, criteria: [criterion('a', 100, `${sixtyEmoji}!`)] })),
    ).toEqual(['title_too_long']);
  });
});

describe('validateRubricGrade and rubricTotal', () => {
  it('sums the criterion scores; a missing criterion counts nothing', () => {
    expect(rubricTotal(rubric, { a: 30, b: 35, c: 20 })).toBe(85);
    expect(rubricTotal(rubric, { a: 30 })).toBe(30);
  });

  it('accepts a complete pass and a rejection with feedback and partial scores', () => {
    expect(
      validateRubricGrade(rubric, {
        outcome: 'pass',
        scores: { a: 40, b: 0, c: 25 },
        feedback: '',
      }),
    ).toEqual([]);
    expect(
      validateRubricGrade(rubric, { outcome: 'reject', scores: { a: 10 }, feedback: '请补充截图' }),
    ).toEqual([]);
  });

  it('refuses a score outside its criterion, an unknown criterion, and an incomplete pass', () => {
    const issues = validateRubricGrade(rubric, {
      outcome: 'pass',
      scores: { a: 41, b: -1, zzz: 3 },
      feedback: '',
    });
    expect(issues.map((issue) => `${issue.path}:${issue.code}`)).toEqual([
      'scores/a:score_out_of_range',
      'scores/b:score_out_of_range',
      'scores/zzz:unknown_criterion',
      'scores/c:score_missing',
    ]);
    expect(issues[0]?.message.en).toBe('The score for “选题” must be a whole number from 0 to 40.');
    expect(
      codes(
        validateRubricGrade(rubric, {
          outcome: 'pass',
          scores: { a: 1.5, b: 1, c: 1 },
          feedback: '',
        }),
      ),
    ).toEqual(['score_out_of_range']);
  });

  it('requires feedback on a rejection and caps it at 2,000 characters', () => {
    expect(
      codes(validateRubricGrade(rubric, { outcome: 'reject', scores: {}, feedback: '   ' })),
    ).toEqual(['feedback_required']);
    const long = '改'.repeat(MAX_FEEDBACK_LENGTH + 1);
    const issues = validateRubricGrade(rubric, { outcome: 'reject', scores: {}, feedback: long });
    expect(codes(issues)).toEqual(['feedback_too_long']);
    expect(issues[0]?.message.en).toContain('(this has 2001)');
    expect(
      validateRubricGrade(rubric, {
        outcome: 'reject',
        scores: {},
        feedback: '改'.repeat(MAX_FEEDBACK_LENGTH),
      }),
    ).toEqual([]);
  });
});

describe('homework evidence', () => {
  const content: HomeworkEvidenceContent = {
    articleUrl: 'https://mp.weixin.qq.com/s/abc',
    articleText: '我用 AI 写了第一篇文章。',
    reflection: '学会了提示词。',
    screenshots: ['a'.repeat(64), 'b'.repeat(64)],
  };

  it('has one canonical text per content, sensitive to every part and the screenshot order', () => {
    const base = evidenceCanonicalText(content);
    expect(evidenceCanonicalText({ ...content })).toBe(base);
    const variants = [
      { ...content, articleUrl: 'https://mp.weixin.qq.com/s/abd' },
      { ...content, articleText: `${content.articleText} ` },
      { ...content, reflection: '' },
      { ...content, screenshots: [...content.screenshots].reverse() },
      // Moving text between fields must not give the same text (no plain concatenation).
      { ...content, articleText: `${content.articleText}${content.reflection}`, reflection: '' },
    ];
    for (const variant of variants) {
      expect(evidenceCanonicalText(variant)).not.toBe(base);
    }
  });

  it('names the parts that changed', () => {
    expect(evidenceChanges(content, content)).toEqual([]);
    expect(
      evidenceChanges(content, { ...content, articleText: '改过了', screenshots: [] }),
    ).toEqual(['articleText', 'screenshots']);
  });
});
