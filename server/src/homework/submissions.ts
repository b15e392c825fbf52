import type { Queryable } from '../db/database';
import { HOMEWORK_KIND } from '../review/kinds/homework';

/** The TA review item of a submission (audit events name it so workstations mirror them). */
export async function homeworkItemIdOf(
  tx: Queryable,
  submissionId: string,
): Promise<string | null> {
  const [row] = await tx.query<{ id: string }>(
    `SELECT id FROM review_items WHERE subject_id = $1 AND kind = $2
      ORDER BY created_at LIMIT 1`,
    [submissionId, HOMEWORK_KIND],
  );
  return row?.id ?? null;
}
