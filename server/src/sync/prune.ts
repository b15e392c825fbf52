import type { Database } from '../db/database';

/** How long deletions stay visible to delta pulls: longer than the 30-day offline window. */
export const TOMBSTONE_RETENTION_MS = 60 * 24 * 3_600_000;

/**
 * Drops tombstones older than the retention and raises `tombstone_floor` to the newest dropped
 * version: a client whose cursor is older could have missed a deletion, so its next pull resets
 * (RSP/1 §2.4). Returns the number of tombstones dropped.
 */
export async function pruneTombstones(
  db: Database,
  nowMs: number,
  retentionMs = TOMBSTONE_RETENTION_MS,
): Promise<number> {
  const cutoff = new Date(nowMs - retentionMs).toISOString();
  return db.transaction(async (tx) => {
    const [oldest] = await tx.query<{ version: number | null; count: number }>(
      'SELECT max(version) AS version, count(*)::int8 AS count FROM sync_tombstones WHERE deleted_at < $1',
      [cutoff],
    );
    if (oldest?.version === null || oldest === undefined) {
      return 0;
    }
    await tx.query('DELETE FROM sync_tombstones WHERE version <= $1', [oldest.version]);
    await tx.query(
      `INSERT INTO server_meta (key, value) VALUES ('tombstone_floor', $1)
       ON CONFLICT (key) DO UPDATE SET value = GREATEST(server_meta.value::bigint, excluded.value::bigint)::text`,
      [String(oldest.version)],
    );
    return oldest.count;
  });
}
