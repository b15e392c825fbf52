import {
  DEFERRABLE_TABLES,
  MAX_ITEMS_PER_ROWS_REQUEST,
  PROTOCOL_VERSION,
  type ItemRowsResponse,
  type RowChange,
  type SyncedTable,
} from '#shared/sync/protocol';
import {
  META,
  readMeta,
  type DeferredTombstoneRow,
  type MirrorRow,
  type ReviewDeskDb,
} from '../db/database';
import { createTransport, type Credentials, type FetchLike, type Transport } from './transport';

/**
 * The deferred bootstrap (RSP/1 `deferHeavy`): the first pull leaves the heavy tables out
 * (listing documents, audit history) and the workstation fetches their rows per item when it is
 * opened or taken for offline work (`POST /sync/v1/items`).
 *
 * Rows of those tables thus arrive by two paths — deltas and per-item fetches — answered from
 * different snapshots and possibly written in either order (the fetch can run in another window
 * than the sync). Whatever the order, a row ends as its newest version: a row is only replaced
 * by a version at least as new, and a deletion is remembered (a tombstone) so a fetch from an
 * older snapshot cannot bring the row back.
 */

const DEFERRABLE: ReadonlySet<SyncedTable> = new Set(DEFERRABLE_TABLES);

export const isDeferrable = (table: SyncedTable): boolean => DEFERRABLE.has(table);

const tombstoneKey = (table: SyncedTable, id: string) => `${table}:${id}`;

/** The local tables a write of deferrable rows touches (for a transaction's scope). */
export function deferredBookkeeping(db: ReviewDeskDb) {
  return [db.fetchedItems, db.deferredTombstones] as const;
}

/**
 * Applies changes of one deferrable table by version (see the module comment); must run inside
 * a transaction over that mirror table and {@link deferredBookkeeping}.
 */
export async function applyDeferrableChanges(
  db: ReviewDeskDb,
  table: SyncedTable,
  changes: readonly RowChange[],
  toRow: (change: RowChange & { data: Readonly<Record<string, unknown>> }) => MirrorRow,
): Promise<void> {
  const mirror = db.mirror(table);
  const ids = [...new Set(changes.map((change) => change.id))];
  const [stored, tombstones] = await Promise.all([
    mirror.bulkGet(ids),
    db.deferredTombstones.bulkGet(ids.map((id) => tombstoneKey(table, id))),
  ]);
  const rowVersion = new Map<string, number>();
  const deletedAt = new Map<string, number>();
  ids.forEach((id, index) => {
    const row = stored[index];
    if (row !== undefined) {
      rowVersion.set(id, row._version);
    }
    const tombstone = tombstones[index];
    if (tombstone !== undefined) {
      deletedAt.set(id, tombstone.version);
    }
  });
  const puts = new Map<string, MirrorRow>();
  const deletes = new Set<string>();
  const newTombstones = new Map<string, DeferredTombstoneRow>();
  for (const change of changes) {
    const current = rowVersion.get(change.id);
    const deleted = deletedAt.get(change.id);
    if (change.op === 'put' && change.data !== undefined) {
      if (
        (current !== undefined && change.version < current) ||
        (deleted ?? -1) >= change.version
      ) {
        continue;
      }
      puts.set(change.id, toRow({ ...change, data: change.data }));
      deletes.delete(change.id);
      rowVersion.set(change.id, change.version);
    } else {
      if (current !== undefined && change.version < current) {
        continue;
      }
      puts.delete(change.id);
      deletes.add(change.id);
      rowVersion.delete(change.id);
      const version = Math.max(deleted ?? change.version, change.version);
      deletedAt.set(change.id, version);
      newTombstones.set(change.id, { key: tombstoneKey(table, change.id), version });
    }
  }
  if (deletes.size > 0) {
    await mirror.bulkDelete([...deletes]);
  }
  if (puts.size > 0) {
    await mirror.bulkPut([...puts.values()]);
  }
  if (newTombstones.size > 0) {
    await db.deferredTombstones.bulkPut([...newTombstones.values()]);
  }
}

/** Whether the mirror was bootstrapped without some tables (so items may lack their rows). */
export async function bootstrapWasDeferred(db: ReviewDeskDb): Promise<boolean> {
  const tables = await readMeta<readonly string[] | null>(db, META.deferredTables, null);
  return tables !== null && tables.length > 0;
}

/** Which of these items still need their deferred rows fetched (none after a full bootstrap). */
export async function itemsMissingRows(
  db: ReviewDeskDb,
  itemIds: readonly string[],
): Promise<string[]> {
  if (itemIds.length === 0 || !(await bootstrapWasDeferred(db))) {
    return [];
  }
  const unique = [...new Set(itemIds)];
  const fetched = await db.fetchedItems.bulkGet(unique);
  return unique.filter((_, index) => fetched[index] === undefined);
}

/** The server refused the request for item rows (not a network failure). */
export class ItemRowsError extends Error {
  override readonly name = 'ItemRowsError';
}

const toMirrorRow = (
  change: RowChange & { data: Readonly<Record<string, unknown>> },
): MirrorRow => ({
  ...change.data,
  id: change.id,
  _version: change.version,
});

/**
 * Fetches and stores the deferred rows of these items (in requests of at most 50 items), and
 * marks the ones the server showed as fetched (an id it does not show this user is not in the
 * user's mirror either). Throws `NetworkError` offline, {@link ItemRowsError} on a refusal.
 */
export async function fetchItemRows(
  db: ReviewDeskDb,
  transport: Transport,
  itemIds: readonly string[],
  now: () => number = Date.now,
): Promise<void> {
  const unique = [...new Set(itemIds)];
  for (let start = 0; start < unique.length; start += MAX_ITEMS_PER_ROWS_REQUEST) {
    const chunk = unique.slice(start, start + MAX_ITEMS_PER_ROWS_REQUEST);
    const answer = await transport.post<ItemRowsResponse>('/sync/v1/items', {
      protocol: PROTOCOL_VERSION,
      itemIds: chunk,
    });
    if (answer.status !== 200) {
      throw new ItemRowsError(`item rows answered ${answer.status}`);
    }
    const body = answer.body;
    const byTable = new Map<SyncedTable, RowChange[]>();
    for (const change of body.changes) {
      if (isDeferrable(change.table)) {
        byTable.set(change.table, [...(byTable.get(change.table) ?? []), change]);
      }
    }
    await db.transaction(
      'rw',
      [...DEFERRABLE_TABLES.map((table) => db.mirror(table)), ...deferredBookkeeping(db)],
      async () => {
        for (const [table, changes] of byTable) {
          await applyDeferrableChanges(db, table, changes, toMirrorRow);
        }
        const fetchedAt = now();
        await db.fetchedItems.bulkPut(
          body.itemIds.map((itemId) => ({ itemId, version: body.version, fetchedAt })),
        );
      },
    );
  }
}

/** Fetches the deferred rows of those of these items that lack them. */
export async function ensureItemRows(
  db: ReviewDeskDb,
  transport: Transport,
  itemIds: readonly string[],
): Promise<void> {
  const missing = await itemsMissingRows(db, itemIds);
  if (missing.length > 0) {
    await fetchItemRows(db, transport, missing);
  }
}

/**
 * A transport for fetches outside the sync engine (the item page, offline work), with the
 * session's token and refresh; the window's fetch by default, which negotiates compression.
 */
export function sessionTransport(
  session: Credentials & { readonly serverUrl: string },
  fetch: FetchLike = (input, init) => globalThis.fetch(input, init),
): Transport {
  return createTransport({ baseUrl: session.serverUrl, fetch, credentials: session });
}
