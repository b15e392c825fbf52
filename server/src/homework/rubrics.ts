import type { Rubric, RubricCriterion, RubricIssue } from '#shared/domain/rubric';
import type { LocalizedText } from '#shared/i18n/localized';
import type { Queryable } from '../db/database';

/** A chapter's rubric (`rubrics`), as stored. */
export interface RubricRow {
  readonly id: string;
  readonly chapter: string;
  readonly title: string;
  readonly max_score: number;
  readonly criteria: RubricCriterion[];
  readonly revision: number;
  readonly updated_by: string | null;
  readonly updated_at: string;
}

const RUBRIC_COLUMNS = 'id, chapter, title, max_score, criteria, revision, updated_by, updated_at';

export const rubricOf = (row: RubricRow): Rubric => ({
  chapter: row.chapter,
  maxScore: row.max_score,
  criteria: row.criteria,
});

/** The rubric of a chapter, or null. */
export async function rubricOfChapter(tx: Queryable, chapter: string): Promise<RubricRow | null> {
  const [row] = await tx.query<RubricRow>(
    `SELECT ${RUBRIC_COLUMNS} FROM rubrics WHERE chapter = $1`,
    [chapter],
  );
  return row ?? null;
}

/** A rubric by id, locked for the rest of the transaction, or null. */
export async function lockRubric(tx: Queryable, id: string): Promise<RubricRow | null> {
  const [row] = await tx.query<RubricRow>(
    `SELECT ${RUBRIC_COLUMNS} FROM rubrics WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return row ?? null;
}

/** The issues as result details (`details.issues`): path, code and the bilingual message. */
export const issueDetails = (issues: readonly RubricIssue[]) =>
  issues.map((issue) => ({ path: issue.path, code: issue.code, message: issue.message }));

/** One message for several issues: each issue's own sentence, in both languages. */
export function issuesMessage(issues: readonly RubricIssue[]): LocalizedText {
  return {
    'zh-CN': issues.map((issue) => issue.message['zh-CN']).join(''),
    en: issues.map((issue) => issue.message.en).join(' '),
  };
}
