import type { LocalizedText } from '#shared/i18n/localized';
import type { MutationResult, MutationStatus, ResultCode } from '#shared/sync/protocol';
import { insertRows, type InsertColumn, type Queryable } from '../db/database';

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

/** A terminal result waiting to be stored with the rest of its push. */
export interface ResultToStore {
  readonly v: number;
  readonly result: MutationResult;
  readonly spaceVersion: number;
}

const RESULT_INSERT_COLUMNS: readonly InsertColumn[] = [
  { name: 'client_id', type: 'uuid' },
  { name: 'seq', type: 'bigint' },
  { name: 'mutation_id', type: 'uuid' },
  { name: 'name', type: 'text' },
  { name: 'v', type: 'integer' },
  { name: 'status', type: 'text' },
  { name: 'code', type: 'text' },
  { name: 'message', type: 'jsonb' },
  { name: 'details', type: 'jsonb' },
  { name: 'server_time', type: 'timestamptz' },
  { name: 'space_version', type: 'bigint' },
];

/**
 * Stores the terminal results of a push's mutations and advances the client's last processed
 * seq to the newest of them, in two statements inside the push's transaction.
 */
export async function storeResults(
  tx: Queryable,
  clientId: string,
  results: readonly ResultToStore[],
): Promise<void> {
  await insertRows(
    tx,
    'sync_mutation_results',
    RESULT_INSERT_COLUMNS,
    results.map(({ v, result, spaceVersion }) => [
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
    ]),
  );
  const newest = results.reduce((seq, { result }) => Math.max(seq, result.seq), 0);
  if (newest > 0) {
    await tx.query('UPDATE sync_clients SET last_seq = $2 WHERE client_id = $1', [
      clientId,
      newest,
    ]);
  }
}
