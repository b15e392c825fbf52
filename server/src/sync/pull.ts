import { createHash, randomUUID } from 'node:crypto';
import { REDACTION_POLICY_VERSION } from '#shared/domain/redaction';
import {
  DEFAULT_PULL_LIMIT,
  DEFERRABLE_TABLES,
  type ItemRowsRequest,
  type ItemRowsResponse,
  type MutationResult,
  type PullRequest,
  type PullResponse,
  type RowChange,
  type SyncedTable,
} from '#shared/sync/protocol';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import type { Queryable } from '../db/database';
import { decodeCursor, encodeCursor, type Cursor } from './cursor';
import { readStoredResults } from './results';
import { rowData, selectList, TABLE_READERS, type TableReader } from './tables';
import { currentSpaceVersion } from './version';

/** Results returned per pull at most; the client asks again with a higher `resultsAfterSeq`. */
const MAX_RESULTS_PER_PULL = 500;
/** Index of the tombstone pseudo-table in delta order: after every real table. */
const TOMBSTONES = TABLE_READERS.length;

export class PullError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The database's sync epoch, created on first use. */
export async function syncEpoch(db: Queryable): Promise<string> {
  await db.query(
    `INSERT INTO server_meta (key, value) VALUES ('sync_epoch', $1) ON CONFLICT (key) DO NOTHING`,
    [randomUUID()],
  );
  const [row] = await db.query<{ value: string }>(
    `SELECT value FROM server_meta WHERE key = 'sync_epoch'`,
  );
  if (row === undefined) {
    throw new Error('sync epoch missing');
  }
  return row.value;
}

/**
 * The epoch a cursor is valid in: the database's, and what the user's mirror was filled under —
 * role, institution and redaction policy version. Deltas carry only rows that changed, so a mirror
 * filled under another role (a TA made mentor) or an older policy would keep rows the user may no
 * longer see; its cursor resets instead, and the device drops the mirror and bootstraps again.
 * Hashed to keep the cursor's epoch short.
 */
function viewEpoch(databaseEpoch: string, principal: Principal): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        databaseEpoch,
        principal.role,
        principal.institutionId,
        REDACTION_POLICY_VERSION,
      ]),
    )
    .digest('base64url');
}

/** Versions below this were pruned from the tombstones: older delta cursors must reset. */
async function tombstoneFloor(db: Queryable): Promise<number> {
  const [row] = await db.query<{ value: string }>(
    `SELECT value FROM server_meta WHERE key = 'tombstone_floor'`,
  );
  return row === undefined ? 0 : Number(row.value);
}

function paramList() {
  const values: unknown[] = [];
  return {
    values,
    param: (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

interface SelectedRow {
  readonly id: string;
  readonly row_version: number;
  readonly [column: string]: unknown;
}

function toChange(
  reader: TableReader,
  row: SelectedRow,
  visible: boolean,
  principal: Principal,
): RowChange {
  const { row_version, visible: _visible, ...columns } = row;
  if (!visible) {
    return { table: reader.table, id: row.id, op: 'del', version: row_version };
  }
  const data = rowData(reader, columns, principal);
  return { table: reader.table, id: row.id, op: 'put', version: row_version, data };
}

const NOTHING_DEFERRED: ReadonlySet<SyncedTable> = new Set();
const DEFERRED: ReadonlySet<SyncedTable> = new Set(DEFERRABLE_TABLES);

/**
 * One bootstrap page: visible rows pinned at the cursor's version, in (table, id) order, without
 * the `deferred` tables.
 */
async function snapshotPage(
  tx: Queryable,
  principal: Principal,
  cursor: Cursor,
  limit: number,
  deferred: ReadonlySet<SyncedTable>,
): Promise<{ changes: RowChange[]; next: Cursor; done: boolean }> {
  const changes: RowChange[] = [];
  let table = cursor.t;
  let after = cursor.a;
  while (table < TABLE_READERS.length && changes.length < limit) {
    const reader = TABLE_READERS[table];
    if (reader === undefined) {
      break;
    }
    if (deferred.has(reader.table)) {
      table += 1;
      after = '';
      continue;
    }
    const wanted = limit - changes.length;
    const { values, param } = paramList();
    const rows = await tx.query<SelectedRow>(
      `SELECT ${selectList(reader)}, t.row_version FROM ${reader.table} t ${reader.joins ?? ''}
        WHERE (${reader.visible(principal, param)})
          ${after === '' ? '' : `AND t.id > ${param(after)}`}
        ORDER BY t.id LIMIT ${param(wanted)}`,
      values,
    );
    for (const row of rows) {
      changes.push(toChange(reader, row, true, principal));
    }
    if (rows.length < wanted) {
      // The table is exhausted: continue with the next one.
      table += 1;
      after = '';
    } else {
      after = rows.at(-1)?.id ?? after;
    }
  }
  const done = table >= TABLE_READERS.length;
  return {
    changes,
    done,
    next: done
      ? { e: cursor.e, p: 'd', v: cursor.v, t: TOMBSTONES + 1, a: '' }
      : { e: cursor.e, p: 's', v: cursor.v, t: table, a: after },
  };
}

/** Keyset condition "after (v, t, a)" for rows of table index `index`. */
function afterKey(
  cursor: Cursor,
  index: number,
  param: (value: unknown) => string,
  columns: { readonly version: string; readonly key: string },
): string {
  const v = param(cursor.v);
  if (index > cursor.t) {
    return `${columns.version} >= ${v}`;
  }
  if (index < cursor.t) {
    return `${columns.version} > ${v}`;
  }
  return `(${columns.version} > ${v} OR (${columns.version} = ${v} AND ${columns.key} > ${param(cursor.a)}))`;
}

interface Keyed {
  readonly version: number;
  readonly index: number;
  readonly key: string;
  readonly change: RowChange;
}

/**
 * One delta page: rows written after the cursor up to `maxVersion`, in (version, table, id)
 * order. Rows that changed but the user may not see (any more) come as `del`, so a mirror drops
 * rows that left the user's view.
 */
async function deltaPage(
  tx: Queryable,
  principal: Principal,
  cursor: Cursor,
  maxVersion: number,
  limit: number,
): Promise<{ changes: RowChange[]; next: Cursor; hasMore: boolean }> {
  const candidates: Keyed[] = [];
  for (const [index, reader] of TABLE_READERS.entries()) {
    const { values, param } = paramList();
    const rows = await tx.query<SelectedRow & { visible: boolean }>(
      `SELECT ${selectList(reader)}, t.row_version, (${reader.visible(principal, param)}) AS visible
         FROM ${reader.table} t ${reader.joins ?? ''}
        WHERE t.row_version <= ${param(maxVersion)} AND ${afterKey(cursor, index, param, { version: 't.row_version', key: '(t.id::text COLLATE "C")' })}
        ORDER BY t.row_version, t.id LIMIT ${param(limit + 1)}`,
      values,
    );
    for (const row of rows) {
      candidates.push({
        version: row.row_version,
        index,
        key: row.id,
        change: toChange(reader, row, row.visible, principal),
      });
    }
  }
  {
    const { values, param } = paramList();
    const rows = await tx.query<{
      table_name: SyncedTable;
      row_id: string;
      version: number;
      key: string;
    }>(
      `SELECT table_name, row_id, version, (table_name || ':' || row_id) COLLATE "C" AS key FROM sync_tombstones
        WHERE version <= ${param(maxVersion)} AND ${afterKey(cursor, TOMBSTONES, param, { version: 'version', key: `((table_name || ':' || row_id) COLLATE "C")` })}
        ORDER BY version, key LIMIT ${param(limit + 1)}`,
      values,
    );
    for (const row of rows) {
      candidates.push({
        version: row.version,
        index: TOMBSTONES,
        key: row.key,
        change: { table: row.table_name, id: row.row_id, op: 'del', version: row.version },
      });
    }
  }
  candidates.sort(
    (a, b) =>
      a.version - b.version || a.index - b.index || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const page = candidates.slice(0, limit);
  const last = page.at(-1);
  return {
    changes: page.map((candidate) => candidate.change),
    hasMore: candidates.length > limit,
    next:
      last === undefined || candidates.length <= limit
        ? { e: cursor.e, p: 'd', v: maxVersion, t: TOMBSTONES + 1, a: '' }
        : { e: cursor.e, p: 'd', v: last.version, t: last.index, a: last.key },
  };
}

/** Per-table counts and id hashes of what the user may see, for the client to verify against. */
async function checksums(
  tx: Queryable,
  principal: Principal,
  deferred: ReadonlySet<SyncedTable>,
): Promise<PullResponse['checksums']> {
  const result: Partial<Record<SyncedTable, { count: number; hash: string }>> = {};
  for (const reader of TABLE_READERS.filter((candidate) => !deferred.has(candidate.table))) {
    const { values, param } = paramList();
    const [row] = await tx.query<{ count: number; hash: string | null }>(
      `SELECT count(*)::int8 AS count, md5(string_agg(t.id::text, ',' ORDER BY t.id)) AS hash
         FROM ${reader.table} t ${reader.joins ?? ''} WHERE (${reader.visible(principal, param)})`,
      values,
    );
    result[reader.table] = { count: row?.count ?? 0, hash: row?.hash ?? '' };
  }
  return result;
}

/**
 * RSP/1 pull: one REPEATABLE READ snapshot gives the page, the client's last processed seq and
 * its results together, so "lastSeq ≥ n" always comes with the effects of mutations up to n.
 */
export async function processPull(
  ctx: ServerContext,
  principal: Principal,
  request: PullRequest,
): Promise<PullResponse> {
  const epoch = viewEpoch(await syncEpoch(ctx.db), principal);
  const limit = request.limit ?? DEFAULT_PULL_LIMIT;
  return ctx.db.transaction(
    async (tx) => {
      const [client] = await tx.query<{ user_id: string; last_seq: number }>(
        'SELECT user_id, last_seq FROM sync_clients WHERE client_id = $1',
        [request.clientId],
      );
      if (client !== undefined && client.user_id !== principal.id) {
        throw new PullError(403, 'CLIENT_OWNERSHIP', 'This client id belongs to another user');
      }
      const version = await currentSpaceVersion(tx);
      let cursor: Cursor | null = null;
      let reset = false;
      if (request.cursor !== null) {
        cursor = decodeCursor(request.cursor);
        if (cursor === null) {
          throw new PullError(400, 'INVALID_CURSOR', 'The cursor is not one this server issued');
        }
        const stale =
          cursor.e !== epoch ||
          cursor.v > version ||
          (cursor.p === 'd' && cursor.v < (await tombstoneFloor(tx)));
        if (stale) {
          cursor = null;
          reset = true;
        }
      }
      cursor ??= { e: epoch, p: 's', v: version, t: 0, a: '' };

      let changes: RowChange[];
      let next: Cursor;
      let hasMore: boolean;
      let sums: PullResponse['checksums'];
      const deferred = request.deferHeavy === true ? DEFERRED : NOTHING_DEFERRED;
      const snapshot = cursor.p === 's';
      if (snapshot) {
        const page = await snapshotPage(tx, principal, cursor, limit, deferred);
        changes = page.changes;
        next = page.next;
        // After the last bootstrap page, rows written while paging arrive by delta from v.
        hasMore = !page.done || version > cursor.v;
        sums = page.done ? await checksums(tx, principal, deferred) : undefined;
      } else {
        const page = await deltaPage(tx, principal, cursor, version, limit);
        changes = page.changes;
        next = page.next;
        hasMore = page.hasMore;
      }
      const lastSeq = client?.last_seq ?? 0;
      const results: MutationResult[] =
        client === undefined
          ? []
          : await readStoredResults(
              tx,
              request.clientId,
              request.resultsAfterSeq ?? 0,
              MAX_RESULTS_PER_PULL,
            );
      return {
        cursor: encodeCursor(next),
        changes,
        lastSeq,
        results,
        hasMore,
        ...(reset ? { reset: true as const } : {}),
        ...(snapshot && deferred.size > 0 ? { deferred: [...deferred] } : {}),
        ...(sums === undefined ? {} : { checksums: sums }),
        serverTime: new Date(ctx.clock.now()).toISOString(),
      };
    },
    { isolation: 'repeatable read' },
  );
}

function readerOf(table: SyncedTable): TableReader {
  const reader = TABLE_READERS.find((candidate) => candidate.table === table);
  if (reader === undefined) {
    throw new Error(`no reader for ${table}`);
  }
  return reader;
}

/**
 * The deferred rows of some items (`POST /sync/v1/items`), in one REPEATABLE READ snapshot: for
 * each item the user may see, every revision of its listing (the changes view compares them) and
 * the audit events of the item and of its listing, as the item page reads them. Visibility is
 * the pull's own (`tables.ts`), so this never shows a row a bootstrap would not.
 */
export async function processItemRows(
  ctx: ServerContext,
  principal: Principal,
  request: ItemRowsRequest,
): Promise<ItemRowsResponse> {
  return ctx.db.transaction(
    async (tx) => {
      const version = await currentSpaceVersion(tx);
      const items = readerOf('review_items');
      const visibleItems = paramList();
      const found = await tx.query<{ id: string; kind: string; subject_id: string }>(
        `SELECT t.id, t.kind, t.subject_id FROM review_items t
          WHERE t.id = ANY(${visibleItems.param([...new Set(request.itemIds)])}::uuid[])
            AND (${items.visible(principal, visibleItems.param)})`,
        visibleItems.values,
      );
      const itemIds = found.map((row) => row.id);
      const listingIds = [
        ...new Set(
          found.filter((row) => row.kind === 'listing_revision').map((row) => row.subject_id),
        ),
      ];
      const changes: RowChange[] = [];
      const read = async (
        table: SyncedTable,
        condition: (param: (value: unknown) => string) => string,
      ) => {
        const reader = readerOf(table);
        const { values, param } = paramList();
        const rows = await tx.query<SelectedRow>(
          `SELECT ${selectList(reader)}, t.row_version FROM ${reader.table} t ${reader.joins ?? ''}
            WHERE (${reader.visible(principal, param)}) AND (${condition(param)})
            ORDER BY t.id`,
          values,
        );
        for (const row of rows) {
          changes.push(toChange(reader, row, true, principal));
        }
      };
      if (itemIds.length > 0) {
        await read(
          'listing_revisions',
          (param) => `t.listing_id = ANY(${param(listingIds)}::uuid[])`,
        );
        await read(
          'audit_events',
          (param) =>
            `t.item_id = ANY(${param(itemIds)}::uuid[]) OR t.subject_id = ANY(${param(listingIds)}::uuid[])`,
        );
      }
      return { version, itemIds, changes, serverTime: new Date(ctx.clock.now()).toISOString() };
    },
    { isolation: 'repeatable read' },
  );
}
