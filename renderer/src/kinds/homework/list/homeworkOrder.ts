import type { HomeworkSubmissionRecord, ReviewItemRecord } from '#shared/sync/rows';
import { compareChapters } from '../data';

/**
 * What the homework list shows and in which order: the TA's day. Pure, so the order is tested
 * without a screen.
 */

/** A submission with its review item and where the user's own grade stands. */
export interface HomeworkRow {
  readonly submission: HomeworkSubmissionRecord;
  readonly item: ReviewItemRecord;
  /** The user's grade waiting in the outbox, if any: `pass` or `reject`. */
  readonly pendingOutcome: 'pass' | 'reject' | null;
  readonly overdue: boolean;
}

/** `waiting`: not graded yet (nor by me on this device); `graded`: graded, here or on the server. */
export type HomeworkStateFilter = 'waiting' | 'graded' | 'all';

export interface HomeworkFilter {
  readonly chapter: string | null;
  readonly state: HomeworkStateFilter;
  /** Part of a student's id or name. */
  readonly student: string;
  readonly overdueOnly: boolean;
}

export const DEFAULT_HOMEWORK_FILTER: HomeworkFilter = {
  chapter: null,
  state: 'waiting',
  student: '',
  overdueOnly: false,
};

export function isWaiting(row: HomeworkRow): boolean {
  return row.submission.state === 'submitted' && row.pendingOutcome === null;
}

export function matchesFilter(row: HomeworkRow, filter: HomeworkFilter): boolean {
  if (filter.chapter !== null && row.submission.chapter !== filter.chapter) {
    return false;
  }
  if (filter.state === 'waiting' && !isWaiting(row)) {
    return false;
  }
  if (filter.state === 'graded' && isWaiting(row)) {
    return false;
  }
  if (filter.overdueOnly && !row.overdue) {
    return false;
  }
  const needle = filter.student.trim().toLowerCase();
  return (
    needle === '' ||
    row.submission.studentId.toLowerCase().includes(needle) ||
    row.submission.studentName.toLowerCase().includes(needle)
  );
}

export interface ChapterGroup {
  readonly chapter: string;
  readonly rows: readonly HomeworkRow[];
  readonly overdue: number;
}

/**
 * The filtered rows grouped by chapter. In a chapter: overdue first, then by deadline, then by
 * arrival. Chapters with overdue work come first, then in chapter order.
 */
export function groupByChapter(
  rows: readonly HomeworkRow[],
  filter: HomeworkFilter,
): ChapterGroup[] {
  const byChapter = new Map<string, HomeworkRow[]>();
  for (const row of rows) {
    if (matchesFilter(row, filter)) {
      const list = byChapter.get(row.submission.chapter) ?? [];
      list.push(row);
      byChapter.set(row.submission.chapter, list);
    }
  }
  const groups = [...byChapter.entries()].map(([chapter, list]) => ({
    chapter,
    rows: list.sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        a.submission.taDueAt.localeCompare(b.submission.taDueAt) ||
        a.submission.submittedAt.localeCompare(b.submission.submittedAt) ||
        a.submission.id.localeCompare(b.submission.id),
    ),
    overdue: list.filter((row) => row.overdue).length,
  }));
  return groups.sort(
    (a, b) =>
      Number(b.overdue > 0) - Number(a.overdue > 0) || compareChapters(a.chapter, b.chapter),
  );
}

/** The rows in the order the list shows them (for "next submission" and "take N"). */
export function orderedRows(groups: readonly ChapterGroup[]): HomeworkRow[] {
  return groups.flatMap((group) => group.rows);
}
