import { useLiveQuery } from 'dexie-react-hooks';
import type {
  CommentBankRecord,
  HomeworkEvidenceRecord,
  HomeworkSubmissionRecord,
  ReviewItemRecord,
  RubricRecord,
  StudentArchiveRecord,
  StudentRecord,
} from '#shared/sync/rows';
import type { PendingMutation } from '#shared/sync/view';
import type { MirrorRow, ReviewDeskDb } from '../../db/database';

/**
 * The homework screens' reads of the local mirror, typed. Every read is a Dexie live query, so
 * the screens follow the sync (and the user's own pending grades) without reloading.
 */

/** A mirrored row as its record type (the mirror adds `_version` and local `_` fields only). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the one typed cast of mirror rows
const as = <T>(row: MirrorRow): T => row as unknown as T;

const EMPTY: readonly never[] = [];

export function useSubmissions(db: ReviewDeskDb): readonly HomeworkSubmissionRecord[] | undefined {
  return useLiveQuery(
    async () =>
      (await db.mirror('homework_submissions').toArray()).map(as<HomeworkSubmissionRecord>),
    [db],
  );
}

export function useSubmission(
  db: ReviewDeskDb,
  submissionId: string | null,
): HomeworkSubmissionRecord | null | undefined {
  return useLiveQuery(async () => {
    if (submissionId === null) {
      return null;
    }
    const row = await db.mirror('homework_submissions').get(submissionId);
    return row === undefined ? null : as<HomeworkSubmissionRecord>(row);
  }, [db, submissionId]);
}

/** The submissions of one chapter (the near-duplicate detector's cohort). */
export function useChapterSubmissions(
  db: ReviewDeskDb,
  chapter: string | null,
): readonly HomeworkSubmissionRecord[] {
  return useLiveQuery(
    async () =>
      chapter === null
        ? []
        : (await db.mirror('homework_submissions').where('chapter').equals(chapter).toArray()).map(
            as<HomeworkSubmissionRecord>,
          ),
    [db, chapter],
    EMPTY,
  );
}

/** Review items of a kind (`homework`, `homework_mentor`) by the submission they are about. */
export function useItemsBySubmission(
  db: ReviewDeskDb,
  kind: string,
): ReadonlyMap<string, ReviewItemRecord> | undefined {
  return useLiveQuery(async () => {
    const items = (await db.mirror('review_items').where('kind').equals(kind).toArray()).map(
      as<ReviewItemRecord>,
    );
    // A submission re-queued after an update has a newer item: keep the newest per submission.
    const bySubmission = new Map<string, ReviewItemRecord>();
    for (const item of items.sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
      bySubmission.set(item.subjectId, item);
    }
    return bySubmission;
  }, [db, kind]);
}

/** Rubrics by chapter. */
export function useRubrics(db: ReviewDeskDb): ReadonlyMap<string, RubricRecord> | undefined {
  return useLiveQuery(async () => {
    const rubrics = (await db.mirror('rubrics').toArray()).map(as<RubricRecord>);
    return new Map(rubrics.map((rubric) => [rubric.chapter, rubric]));
  }, [db]);
}

export function useCommentBank(
  db: ReviewDeskDb,
  chapter: string | null,
): readonly CommentBankRecord[] {
  return useLiveQuery(
    async () =>
      chapter === null
        ? []
        : (await db.mirror('comment_bank').where('chapter').equals(chapter).toArray())
            .map(as<CommentBankRecord>)
            .sort((a, b) => b.useCount - a.useCount || a.createdAt.localeCompare(b.createdAt)),
    [db, chapter],
    EMPTY,
  );
}

/** Students by their course id (`S2026001`). */
export function useStudents(db: ReviewDeskDb): ReadonlyMap<string, StudentRecord> | undefined {
  return useLiveQuery(async () => {
    const students = (await db.mirror('students').toArray()).map(as<StudentRecord>);
    return new Map(students.map((student) => [student.studentId, student]));
  }, [db]);
}

/** A submission's evidence versions, oldest first. */
export function useEvidence(
  db: ReviewDeskDb,
  submissionId: string | null,
): readonly HomeworkEvidenceRecord[] | undefined {
  return useLiveQuery(
    async () =>
      submissionId === null
        ? []
        : (
            await db
              .mirror('homework_evidence')
              .where('submissionId')
              .equals(submissionId)
              .toArray()
          )
            .map(as<HomeworkEvidenceRecord>)
            .sort((a, b) => a.version - b.version),
    [db, submissionId],
  );
}

export function useStudentArchive(db: ReviewDeskDb): readonly StudentArchiveRecord[] | undefined {
  return useLiveQuery(
    async () =>
      (await db.mirror('student_records').toArray())
        .map(as<StudentArchiveRecord>)
        .sort((a, b) => b.archivedAt.localeCompare(a.archivedAt)),
    [db],
  );
}

/** The arguments of an own pending mutation about an item, newest first (a grade not yet sent). */
export function pendingFor(
  pending: readonly PendingMutation[],
  name: string,
  itemId: string,
): Readonly<Record<string, unknown>> | null {
  for (let index = pending.length - 1; index >= 0; index -= 1) {
    const mutation = pending[index];
    const args = mutation?.args;
    if (
      mutation?.name === name &&
      typeof args === 'object' &&
      args !== null &&
      (args as Record<string, unknown>)['itemId'] === itemId
    ) {
      return args as Record<string, unknown>;
    }
  }
  return null;
}

const chapterNumber = (chapter: string) => {
  const value = Number.parseInt(chapter, 10);
  return Number.isNaN(value) ? Number.MAX_SAFE_INTEGER : value;
};

/** Chapters in course order (`2` before `10`), unnumbered ones last. */
export function compareChapters(a: string, b: string): number {
  return chapterNumber(a) - chapterNumber(b) || a.localeCompare(b);
}
