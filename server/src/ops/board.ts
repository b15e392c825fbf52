import { validateListing } from '#shared/domain/listing/validate';
import { shanghaiDate } from '#shared/domain/time';
import {
  boardRangeFields,
  completedSteps,
  submissionFunnel,
  type CourseBoard,
  type OpsBoardReport,
  type SubmissionFunnel,
} from '#shared/ops/board';
import type { ReportRange } from '#shared/ops/kpis';
import type { Queryable } from '../db/database';

/** The submission funnel and the course board (definitions in shared/ops/board.ts). */

const iso = (ms: number) => new Date(ms).toISOString();
const CHAPTER_ORDER = new Intl.Collator('zh-CN', { numeric: true });

/** Homework states that mean the TA passed it (mentor review and archiving come after a pass). */
const PASSED_STATES = ['ta_passed', 'mentor_reviewed', 'archived'];

/**
 * Listings created in the range, each judged on its latest revision created by the as-of
 * instant — the form the submitter was filling in — with the validator of the editor and the
 * submit route, on the as-of day (credentials expire by calendar day).
 */
async function funnel(db: Queryable, range: ReportRange): Promise<SubmissionFunnel> {
  const rows = await db.query<{ document: unknown; submitted: boolean }>(
    `SELECT (SELECT r.document FROM listing_revisions r
              WHERE r.listing_id = l.id AND r.created_at <= $3
              ORDER BY r.number DESC LIMIT 1) AS document,
            EXISTS (SELECT 1 FROM listing_revisions r
                     WHERE r.listing_id = l.id AND r.submitted_at <= $3) AS submitted
       FROM listings l
      WHERE l.created_at >= $1 AND l.created_at < $2 AND l.deleted_at IS NULL`,
    [iso(range.startMs), iso(range.endMs), iso(range.asOfMs)],
  );
  const today = shanghaiDate(range.asOfMs);
  return submissionFunnel(
    rows.map((row) => ({
      completed: completedSteps(validateListing(row.document ?? {}, { today })),
      submitted: row.submitted,
    })),
  );
}

async function course(db: Queryable, range: ReportRange): Promise<CourseBoard> {
  const [enrolled] = await db.query<{ students: number; average: number | null }>(
    `SELECT count(*)::int AS students, avg(progress_percent)::float8 AS average
       FROM students WHERE joined_at <= $1`,
    [iso(range.asOfMs)],
  );
  // Homework is matched to enrolled students by their student id; a submission from someone
  // not (yet) on the roster counts for nobody.
  const [active] = await db.query<{ n: number }>(
    `SELECT count(DISTINCT h.student_id)::int AS n
       FROM homework_submissions h JOIN students s ON s.student_id = h.student_id
      WHERE s.joined_at <= $3 AND h.submitted_at >= $1 AND h.submitted_at < $2
        AND h.submitted_at <= $3`,
    [iso(range.startMs), iso(range.endMs), iso(range.asOfMs)],
  );
  const chapters = await db.query<{ chapter: string; submitted: number; passed: number }>(
    `SELECT h.chapter,
            count(DISTINCT h.student_id)::int AS submitted,
            count(DISTINCT h.student_id) FILTER (
              WHERE h.state = ANY($2::text[]) AND h.ta_decided_at <= $1)::int AS passed
       FROM homework_submissions h JOIN students s ON s.student_id = h.student_id
      WHERE s.joined_at <= $1 AND h.submitted_at <= $1
      GROUP BY h.chapter`,
    [iso(range.asOfMs), PASSED_STATES],
  );
  const students = enrolled?.students ?? 0;
  return {
    students,
    activeStudents: active?.n ?? 0,
    averageProgressPercent: students === 0 ? null : (enrolled?.average ?? null),
    // Natural order: chapter "10" after "9", "第2章" before "第10章".
    chapters: chapters.sort((a, b) => CHAPTER_ORDER.compare(a.chapter, b.chapter)),
  };
}

/** The boards' figures of `range` (checked by `reportRange`). */
export async function computeBoardReport(
  db: Queryable,
  range: ReportRange,
): Promise<OpsBoardReport> {
  return {
    ...boardRangeFields(range),
    funnel: await funnel(db, range),
    course: await course(db, range),
  };
}
