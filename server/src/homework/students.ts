import { randomUUID } from 'node:crypto';
import { parseProgressPercent } from '#shared/domain/followUp';
import type { StudentRecord } from '#shared/sync/rows';
import type { Queryable } from '../db/database';

/**
 * The course roster (`students`): who joined when, in which cohort and language, how far they
 * are, and the last private-chat contact (the SOP's intervention). Mirrored to TAs and ops
 * managers; every write carries the space version of its transaction.
 */

export interface StudentRow {
  readonly id: string;
  readonly student_id: string;
  readonly name: string;
  readonly cohort: string;
  readonly language: 'zh-CN' | 'en';
  readonly joined_at: string;
  /** `numeric(5, 2)` as PostgreSQL prints it: `"7.50"`. */
  readonly progress_percent: string;
  readonly purchased_at: string | null;
  readonly contacted_at: string | null;
  readonly contacted_by: string | null;
  readonly contact_note: string | null;
  readonly updated_at: string;
}

export const STUDENT_COLUMNS = `id, student_id, name, cohort, language, joined_at, progress_percent,
  purchased_at, contacted_at, contacted_by, contact_note, updated_at`;

/** A progress percentage without trailing zeros: `"7.50"` → `"7.5"`, `"10.00"` → `"10"`. */
export function normalizeProgress(value: string): string {
  return parseProgressPercent(value).toString();
}

export function studentRecord(row: StudentRow): StudentRecord {
  return {
    id: row.id,
    studentId: row.student_id,
    name: row.name,
    cohort: row.cohort,
    language: row.language,
    joinedAt: row.joined_at,
    progressPercent: normalizeProgress(row.progress_percent),
    purchasedAt: row.purchased_at,
    contactedAt: row.contacted_at,
    contactedBy: row.contacted_by,
    contactNote: row.contact_note,
    updatedAt: row.updated_at,
  };
}

export async function lockStudent(tx: Queryable, studentId: string): Promise<StudentRow | null> {
  const [row] = await tx.query<StudentRow>(
    `SELECT ${STUDENT_COLUMNS} FROM students WHERE student_id = $1 FOR UPDATE`,
    [studentId],
  );
  return row ?? null;
}

/**
 * Adds a minimal roster row for a student the roster does not know yet (homework intake): joined
 * when the homework was submitted, progress 0. A known student is left as it is.
 */
export async function ensureStudent(
  tx: Queryable,
  input: {
    readonly studentId: string;
    readonly name: string;
    readonly language: 'zh-CN' | 'en';
    readonly joinedAt: string;
    readonly nowIso: string;
    readonly rowVersion: number;
  },
): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO students (id, student_id, name, language, joined_at, progress_percent, updated_at,
                           row_version)
     VALUES ($1, $2, $3, $4, $5, 0, $6, $7)
     ON CONFLICT (student_id) DO NOTHING
     RETURNING id`,
    [
      randomUUID(),
      input.studentId,
      input.name,
      input.language,
      input.joinedAt,
      input.nowIso,
      input.rowVersion,
    ],
  );
  return rows.length > 0;
}

/** Fields of a roster update; absent ones keep their value (or the default for a new student). */
export interface StudentFields {
  readonly name?: string | undefined;
  readonly cohort?: string | undefined;
  readonly language?: 'zh-CN' | 'en' | undefined;
  readonly joinedAt?: string | undefined;
  readonly progressPercent?: string | undefined;
  readonly purchasedAt?: string | null | undefined;
}

export type UpsertResult =
  | { readonly ok: true; readonly created: boolean; readonly row: StudentRow }
  | { readonly ok: false; readonly missing: readonly ('name' | 'joinedAt')[] };

/**
 * Creates or updates a student. A new student needs `name` and `joinedAt`; the rest default to
 * cohort `''`, language zh-CN, progress 0 and no purchase date.
 */
export async function upsertStudent(
  tx: Queryable,
  studentId: string,
  fields: StudentFields,
  nowIso: string,
  rowVersion: number,
): Promise<UpsertResult> {
  const current = await lockStudent(tx, studentId);
  if (current === null) {
    const missing = (['name', 'joinedAt'] as const).filter((key) => fields[key] === undefined);
    if (missing.length > 0) {
      return { ok: false, missing };
    }
    const [row] = await tx.query<StudentRow>(
      `INSERT INTO students (id, student_id, name, cohort, language, joined_at, progress_percent,
                             purchased_at, updated_at, row_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       RETURNING ${STUDENT_COLUMNS}`,
      [
        randomUUID(),
        studentId,
        fields.name,
        fields.cohort ?? '',
        fields.language ?? 'zh-CN',
        fields.joinedAt,
        fields.progressPercent ?? '0',
        fields.purchasedAt ?? null,
        nowIso,
        rowVersion,
      ],
    );
    if (row === undefined) {
      throw new Error(`student ${studentId} was not inserted`);
    }
    return { ok: true, created: true, row };
  }
  const [row] = await tx.query<StudentRow>(
    `UPDATE students
        SET name = $2, cohort = $3, language = $4, joined_at = $5, progress_percent = $6,
            purchased_at = $7, updated_at = $8, row_version = $9
      WHERE id = $1
      RETURNING ${STUDENT_COLUMNS}`,
    [
      current.id,
      fields.name ?? current.name,
      fields.cohort ?? current.cohort,
      fields.language ?? current.language,
      fields.joinedAt ?? current.joined_at,
      fields.progressPercent ?? current.progress_percent,
      fields.purchasedAt === undefined ? current.purchased_at : fields.purchasedAt,
      nowIso,
      rowVersion,
    ],
  );
  if (row === undefined) {
    throw new Error(`student ${studentId} vanished`);
  }
  return { ok: true, created: false, row };
}
