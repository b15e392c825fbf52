import { mentorReviewDay } from '#shared/domain/homework';
import { fromShanghai, shanghaiDate } from '#shared/domain/time';
import type { HomeworkSubmissionRecord, ReviewItemRecord } from '#shared/sync/rows';
import { compareChapters } from '../data';

/**
 * The mentors' Friday pool as pure functions of the mirrored rows: which passed work waits for a
 * mentor, which was reviewed, and when the pool opens for a piece of work.
 */

/** A piece of passed work waiting in the pool, with its `homework_mentor` item (mentors, ops). */
export interface PoolEntry {
  readonly submission: HomeworkSubmissionRecord;
  /** The mentor item; TAs do not receive these, so they see the submission only. */
  readonly item: ReviewItemRecord | null;
  /** 00:00 Shanghai of the Friday review day (epoch ms); null when unknown (always open). */
  readonly opensAt: number | null;
  /** The Friday review day, `YYYY-MM-DD` (Shanghai), when known. */
  readonly reviewDay: string | null;
}

const OPEN_ITEM_STATES: ReadonlySet<string> = new Set(['pending', 'in_review']);

/**
 * The review day of passed work: the first Friday after the TA's pass (`mentorReviewDay`); without
 * a pass time, the day before the item's due time (the item is due at the end of its review day,
 * as the server reads it).
 */
export function reviewDayOf(
  submission: HomeworkSubmissionRecord,
  item: ReviewItemRecord | null,
): string | null {
  if (submission.taDecidedAt !== null) {
    return mentorReviewDay(Date.parse(submission.taDecidedAt));
  }
  if (item !== null && item.dueAt !== null) {
    return shanghaiDate(Date.parse(item.dueAt) - 1);
  }
  return null;
}

/** Passed work with an open mentor item (or, for TAs, passed work), oldest pass first. */
export function poolEntries(
  submissions: readonly HomeworkSubmissionRecord[],
  items: ReadonlyMap<string, ReviewItemRecord>,
): PoolEntry[] {
  const entries: PoolEntry[] = [];
  for (const submission of submissions) {
    if (submission.state !== 'ta_passed') {
      continue;
    }
    const item = items.get(submission.id) ?? null;
    if (item !== null && !OPEN_ITEM_STATES.has(item.state)) {
      continue;
    }
    const reviewDay = reviewDayOf(submission, item);
    entries.push({
      submission,
      item,
      reviewDay,
      opensAt: reviewDay === null ? null : fromShanghai(reviewDay, 0),
    });
  }
  return entries.sort(
    (a, b) =>
      (a.submission.taDecidedAt ?? '').localeCompare(b.submission.taDecidedAt ?? '') ||
      a.submission.id.localeCompare(b.submission.id),
  );
}

/** Work the mentors reviewed (and the server archived), newest first. */
export function reviewedWork(
  submissions: readonly HomeworkSubmissionRecord[],
): HomeworkSubmissionRecord[] {
  return submissions
    .filter((one) => one.state === 'mentor_reviewed' || one.state === 'archived')
    .sort((a, b) => (b.mentorReviewedAt ?? '').localeCompare(a.mentorReviewedAt ?? ''));
}

/** Entries grouped by chapter, chapters in course order. */
export function byChapter<T>(
  rows: readonly T[],
  chapterOf: (row: T) => string,
): { readonly chapter: string; readonly rows: readonly T[] }[] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const chapter = chapterOf(row);
    const list = groups.get(chapter) ?? [];
    list.push(row);
    groups.set(chapter, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compareChapters(a, b))
    .map(([chapter, list]) => ({ chapter, rows: list }));
}

/** The first `max` characters of a text, with an ellipsis when cut. */
export function excerpt(text: string | null, max = 80): string {
  if (text === null) {
    return '';
  }
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max).join('')}…`;
}
