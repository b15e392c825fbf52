import type { LocalizedText } from '#shared/i18n/localized';
import type { MutationResult, MutationStatus, ResultCode } from '#shared/sync/protocol';
import type { Queryable } from '../db/database';

interface ResultRow {
  readonly seq: number;
  readonly mutation_id: string;
  readonly name: string;
  readonly status: MutationStatus;
  readonly code: ResultCode | null;
  readonly message: LocalizedText | null;
  readonly details: Record<string, unknown>;
  readonly server_time: string;
}

const toResult = (row: ResultRow): MutationResult => ({
  seq: row.seq,
  mutationId: row.mutation_id,
  name: row.name,
  status: row.status,
  code: row.code,
  message: row.message,
  details: row.details,
  serverTime: row.server_time,
});

const RESULT_COLUMNS = 'seq, mutation_id, name, status, code, message, details, server_time';

export async function readStoredResult(
  db: Queryable,
  clientId: string,
  seq: number,
): Promise<MutationResult | null> {
  const [row] = await db.query<ResultRow>(
    `SELECT ${RESULT_COLUMNS} FROM sync_mutation_results WHERE client_id = $1 AND seq = $2`,
    [clientId, seq],
  );
  return row === undefined ? null : toResult(row);
}

export async function readStoredResults(
  db: Queryable,
  clientId: string,
  afterSeq: number,
  limit: number,
): Promise<MutationResult[]> {
  const rows = await db.query<ResultRow>(
    `SELECT ${RESULT_COLUMNS} FROM sync_mutation_results
      WHERE client_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [clientId, afterSeq, limit],
  );
  return rows.map(toResult);
}

/** Stores a mutation's terminal result and advances the client's last processed seq. */
export async function storeResult(
  tx: Queryable,
  clientId: string,
  v: number,
  result: MutationResult,
  spaceVersion: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO sync_mutation_results (client_id, seq, mutation_id, name, v, status, code, message,
                                        details, server_time, space_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      clientId,
      result.seq,
      result.mutationId,
      result.name,
      v,
      result.status,
      result.code,
      result.message === null ? null : JSON.stringify(result.message),
      JSON.stringify(result.details),
      result.serverTime,
      spaceVersion,
    ],
  );
  await tx.query('UPDATE sync_clients SET last_seq = $2 WHERE client_id = $1', [
    clientId,
    result.seq,
  ]);
}
