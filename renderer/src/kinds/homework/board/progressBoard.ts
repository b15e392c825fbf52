import { needsFollowUp } from '#shared/domain/followUp';
import { refundEligibility, type RefundEligibility } from '#shared/domain/refund';
import { DAY_MS } from '#shared/domain/time';
import type { StudentRecord } from '#shared/sync/rows';
import type { PendingMutation } from '#shared/sync/view';

/**
 * The progress board's rows (SOP: 入群 > 7 天且学习进度 < 10% 的学员, 私聊干预) as pure functions of
 * the roster, the outbox and server time.
 */

/** Longest contact note (the `noteStudentContact` limit). */
export const MAX_CONTACT_NOTE = 500;

export interface BoardRow {
  readonly student: StudentRecord;
  /** Whole days since the student joined (server time). */
  readonly days: number;
  readonly refund: RefundEligibility;
}

/** `run`'s result, or null when it throws (a malformed roster row is left off the board). */
function safely<T>(run: () => T): T | null {
  try {
    return run();
  } catch {
    return null;
  }
}

/** Students in the group for more than 7 days with progress below 10 %, earliest joined first. */
export function boardRows(students: Iterable<StudentRecord>, serverNow: number): BoardRow[] {
  const rows: BoardRow[] = [];
  for (const student of students) {
    const joinedAt = Date.parse(student.joinedAt);
    const row = safely(() => {
      if (!needsFollowUp({ joinedAt, now: serverNow, progressPercent: student.progressPercent })) {
        return null;
      }
      const purchasedAt = student.purchasedAt === null ? joinedAt : Date.parse(student.purchasedAt);
      return {
        student,
        days: Math.floor((serverNow - joinedAt) / DAY_MS),
        refund: refundEligibility({
          purchasedAt,
          requestedAt: serverNow,
          progressPercent: student.progressPercent,
        }),
      };
    });
    if (row !== null) {
      rows.push(row);
    }
  }
  return rows.sort(
    (a, b) =>
      a.student.joinedAt.localeCompare(b.student.joinedAt) ||
      a.student.studentId.localeCompare(b.student.studentId),
  );
}

/** The note of my own contact with the student not yet synced, newest, or null. */
export function pendingContact(
  pending: readonly PendingMutation[],
  studentId: string,
): { readonly note: string } | null {
  for (let index = pending.length - 1; index >= 0; index -= 1) {
    const mutation = pending[index];
    const args = mutation?.args as Readonly<Record<string, unknown>> | null | undefined;
    if (
      mutation?.name === 'noteStudentContact' &&
      typeof args === 'object' &&
      args !== null &&
      args['studentId'] === studentId
    ) {
      const note = args['note'];
      return { note: typeof note === 'string' ? note : '' };
    }
  }
  return null;
}
