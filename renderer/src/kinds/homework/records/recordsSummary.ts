import type { StudentArchiveRecord } from '#shared/sync/rows';

/** The student record's filter and per-student totals, as pure functions of the archive rows. */

/** Whether a row is of the student typed: the student ID or the name, ignoring case. */
export function matchesStudent(row: StudentArchiveRecord, query: string): boolean {
  const needle = query.trim().toLowerCase();
  return (
    needle === '' ||
    row.studentId.toLowerCase().includes(needle) ||
    row.studentName.toLowerCase().includes(needle)
  );
}

export interface StudentSummary {
  readonly studentId: string;
  readonly studentName: string;
  readonly records: number;
  /** Sum of the scores given (work archived without a score counts as a record, not a score). */
  readonly total: number;
  /** Average of the scores given, or null when none has a score. */
  readonly average: number | null;
  readonly excellent: number;
}

/** Each student's total, average and excellent count over `rows`, by student ID. */
export function summarize(rows: readonly StudentArchiveRecord[]): StudentSummary[] {
  const byStudent = new Map<string, StudentArchiveRecord[]>();
  for (const row of rows) {
    const list = byStudent.get(row.studentId) ?? [];
    list.push(row);
    byStudent.set(row.studentId, list);
  }
  return [...byStudent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([studentId, list]) => {
      const scores = list.flatMap((row) => (row.score === null ? [] : [row.score]));
      const total = scores.reduce((sum, score) => sum + score, 0);
      return {
        studentId,
        studentName: list[0]?.studentName ?? studentId,
        records: list.length,
        total,
        average: scores.length === 0 ? null : total / scores.length,
        excellent: list.filter((row) => row.excellent).length,
      };
    });
}
