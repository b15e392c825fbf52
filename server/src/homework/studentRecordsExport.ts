import type { Queryable } from '../db/database';

/**
 * The student record (`student_records`, 学员档案) read by chapter, for
 * `review-desk homework export`. One row per archived submission, with the usernames of the TA
 * who passed the work and the mentor who archived it (null when the user is unknown).
 */
export interface StudentRecordExportRow {
  readonly id: string;
  readonly submission_id: string;
  readonly student_id: string;
  readonly student_name: string;
  readonly chapter: string;
  readonly score: number | null;
  readonly excellent: boolean;
  readonly mentor_comment: string | null;
  readonly ta_username: string | null;
  readonly mentor_username: string | null;
  /** ISO timestamp in UTC. */
  readonly archived_at: string;
}

/** Whether the database has the student record table (migration 003 ran). */
export async function hasStudentRecords(db: Queryable): Promise<boolean> {
  const [row] = await db.query<{ present: boolean }>(
    `SELECT to_regclass('student_records') IS NOT NULL AS present`,
  );
  return row?.present ?? false;
}

/**
 * The archived records of one chapter (matched exactly, e.g. `'3'`), oldest archive first, then
 * by student ID; the submission id breaks the remaining ties so the order is stable.
 */
export function studentRecordsOfChapter(
  db: Queryable,
  chapter: string,
): Promise<StudentRecordExportRow[]> {
  return db.query<StudentRecordExportRow>(
    `SELECT r.id, r.submission_id, r.student_id, r.student_name, r.chapter, r.score, r.excellent,
            r.mentor_comment, ta.username AS ta_username, mentor.username AS mentor_username,
            r.archived_at
       FROM student_records r
       LEFT JOIN users ta ON ta.id = r.ta_id
       LEFT JOIN users mentor ON mentor.id = r.mentor_id
      WHERE r.chapter = $1
      ORDER BY r.archived_at, r.student_id, r.submission_id`,
    [chapter],
  );
}
