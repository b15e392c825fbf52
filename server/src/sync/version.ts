import type { Queryable } from '../db/database';

/** The one sync space of this deployment; the column exists so tenants can be split later. */
export const SPACE_ID = 'main';

/**
 * Takes the next space version inside the caller's transaction. The UPDATE locks the space row
 * until commit, so transactions that write mirrored rows commit in version order and a pull
 * that has seen version n has seen everything up to n (RSP/1 §2.3, step 6).
 */
export async function nextSpaceVersion(tx: Queryable): Promise<number> {
  const [row] = await tx.query<{ version: number }>(
    'UPDATE sync_space SET version = version + 1 WHERE space_id = $1 RETURNING version',
    [SPACE_ID],
  );
  if (row === undefined) {
    throw new Error(`sync space ${SPACE_ID} is missing: was the database migrated?`);
  }
  return row.version;
}

export async function currentSpaceVersion(db: Queryable): Promise<number> {
  const [row] = await db.query<{ version: number }>(
    'SELECT version FROM sync_space WHERE space_id = $1',
    [SPACE_ID],
  );
  return row?.version ?? 0;
}
