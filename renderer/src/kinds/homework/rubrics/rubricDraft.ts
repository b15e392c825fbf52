import { countCharacters } from '#shared/domain/listing/richText';
import { validateRubric, type RubricIssue } from '#shared/domain/rubric';
import type { MutationArgs } from '#shared/sync/mutations';
import type { RubricRecord } from '#shared/sync/rows';

/**
 * The rubric editor's draft: what the ops manager typed (numbers may be blank while typing), its
 * problems by `validateRubric`, and the `saveRubric` arguments it becomes.
 */

export interface DraftCriterion {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Blank while the field is empty. */
  readonly points: number | '';
}

export interface RubricDraft {
  readonly title: string;
  readonly maxScore: number | '';
  readonly criteria: readonly DraftCriterion[];
}

/** Longest rubric title (the `saveRubric` limit). */
export const MAX_RUBRIC_TITLE = 100;

const newId = (): string => crypto.randomUUID();

export function newCriterion(points: number | '' = ''): DraftCriterion {
  return { id: newId(), title: '', description: '', points };
}

/** The draft of a saved rubric, or of a new one (one criterion worth the whole 100 points). */
export function draftOf(rubric: RubricRecord | null): RubricDraft {
  if (rubric === null) {
    return { title: '', maxScore: 100, criteria: [newCriterion(100)] };
  }
  return {
    title: rubric.title,
    maxScore: rubric.maxScore,
    criteria: rubric.criteria.map((criterion) => ({ ...criterion })),
  };
}

const numberOf = (value: number | '') => (value === '' ? 0 : value);

/** The draft's problems: `validateRubric`'s, and the title's length. */
export function draftIssues(chapter: string, draft: RubricDraft): RubricIssue[] {
  const issues = validateRubric({
    chapter,
    maxScore: numberOf(draft.maxScore),
    criteria: draft.criteria.map((criterion) => ({
      ...criterion,
      points: numberOf(criterion.points),
    })),
  });
  if (countCharacters(draft.title.trim()) > MAX_RUBRIC_TITLE) {
    issues.push({
      path: 'title',
      code: 'title_too_long',
      message: {
        'zh-CN': `评分标准名称最多 ${String(MAX_RUBRIC_TITLE)} 字。`,
        en: `A rubric title has at most ${String(MAX_RUBRIC_TITLE)} characters.`,
      },
    });
  }
  return issues;
}

/** The draft's total of points (blank counts 0). */
export function draftTotal(draft: RubricDraft): number {
  return draft.criteria.reduce((sum, criterion) => sum + numberOf(criterion.points), 0);
}

/** Whether two drafts say the same. */
export function sameDraft(a: RubricDraft, b: RubricDraft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A criterion moved up (-1) or down (+1); the list unchanged at either end. */
export function moveCriterion(
  criteria: readonly DraftCriterion[],
  index: number,
  by: -1 | 1,
): DraftCriterion[] {
  const target = index + by;
  const list = [...criteria];
  const moving = list[index];
  const other = list[target];
  if (moving === undefined || other === undefined) {
    return list;
  }
  list[index] = other;
  list[target] = moving;
  return list;
}

/** The `saveRubric` arguments of a valid draft; `baseRevision` only when editing a saved one. */
export function saveArgs(
  rubricId: string,
  chapter: string,
  draft: RubricDraft,
  baseRevision: number | null,
): MutationArgs<'saveRubric'> {
  return {
    rubricId,
    chapter,
    title: draft.title.trim(),
    maxScore: numberOf(draft.maxScore),
    criteria: draft.criteria.map((criterion) => ({
      id: criterion.id,
      title: criterion.title.trim(),
      description: criterion.description.trim(),
      points: numberOf(criterion.points),
    })),
    ...(baseRevision === null ? {} : { baseRevision }),
  };
}
