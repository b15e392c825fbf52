import type { JournalEntry } from '#shared/ipc/contract';
import { CURRENT_MUTATION_VERSION } from '#shared/sync/mutations';
import type { PendingMutation } from '#shared/sync/view';
import { META, readMeta, type OutboxRow, type ReviewDeskDb } from './database';

export interface NewMutation {
  readonly name: string;
  readonly args: unknown;
  readonly v?: number;
  /** Row versions the user saw, e.g. `{ "review_items:<id>": 17 }`. */
  readonly base?: Readonly<Record<string, number>>;
  /** An existing id when re-enqueuing a journaled mutation; a new one otherwise. */
  readonly mutationId?: string;
  readonly createdAt?: string;
}

export interface OutboxDeps {
  readonly now: () => Date;
  readonly newId: () => string;
}

export const browserOutboxDeps: OutboxDeps = {
  now: () => new Date(),
  newId: () => crypto.randomUUID(),
};

/** This database's client id, created with the database (a new database is a new client). */
export async function ensureClientId(db: ReviewDeskDb, newId: () => string): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const existing = await db.meta.get(META.clientId);
    if (typeof existing?.value === 'string') {
      return existing.value;
    }
    const clientId = newId();
    await db.meta.put({ key: META.clientId, value: clientId });
    return clientId;
  });
}

/**
 * Records a decision in the outbox: the seq is taken and the row written in ONE transaction, so
 * a crash leaves both or neither and seqs never have gaps (RSP/1 §2.5 rule 1). Nothing slow
 * (network, IPC, timers) happens inside the transaction.
 */
export async function recordMutation(
  db: ReviewDeskDb,
  mutation: NewMutation,
  deps: OutboxDeps,
): Promise<OutboxRow> {
  const [row] = await recordMutations(db, [mutation], deps);
  if (row === undefined) {
    throw new Error('recordMutations returned no row for one mutation');
  }
  return row;
}

/**
 * Records several decisions in the outbox in ONE transaction, with consecutive seqs in the given
 * order: all of them or none (a bulk assignment of 500 items is one short write, not 500). Each
 * row is still its own mutation with its own id, so the server applies and answers each apart.
 */
export async function recordMutations(
  db: ReviewDeskDb,
  mutations: readonly NewMutation[],
  deps: OutboxDeps,
): Promise<OutboxRow[]> {
  if (mutations.length === 0) {
    return [];
  }
  return db.transaction('rw', db.meta, db.outbox, async () => {
    const firstSeq = await readMeta<number>(db, META.nextSeq, 1);
    const createdAt = deps.now().toISOString();
    const rows = mutations.map((mutation, index): OutboxRow => ({
      env: 1,
      seq: firstSeq + index,
      mutationId: mutation.mutationId ?? deps.newId(),
      name: mutation.name,
      v: mutation.v ?? CURRENT_MUTATION_VERSION,
      args: mutation.args,
      ...(mutation.base === undefined ? {} : { base: mutation.base }),
      createdAt: mutation.createdAt ?? createdAt,
      status: 'pending',
      attempts: 0,
      lastError: null,
      atRisk: null,
    }));
    await db.outbox.bulkAdd(rows);
    await db.meta.put({ key: META.nextSeq, value: firstSeq + rows.length });
    return rows;
  });
}

/** The outbox in seq order, as the view reducers want it. */
export async function pendingMutations(db: ReviewDeskDb): Promise<PendingMutation[]> {
  const rows = await db.outbox.orderBy('seq').toArray();
  return rows.map(toPending);
}

export function toPending(row: OutboxRow): PendingMutation {
  return {
    seq: row.seq,
    mutationId: row.mutationId,
    name: row.name,
    args: row.args,
    status: row.status,
    createdAt: row.createdAt,
    atRisk: row.atRisk,
  };
}

/** The journal line of an outbox row (the desktop app keeps it outside IndexedDB). */
export function journalEntryOf(row: OutboxRow, userId: string, clientId: string): JournalEntry {
  return {
    env: 1,
    userId,
    clientId,
    seq: row.seq,
    mutationId: row.mutationId,
    name: row.name,
    v: row.v,
    args: row.args,
    ...(row.base === undefined ? {} : { base: { ...row.base } }),
    clientCreatedAt: row.createdAt,
  };
}

/**
 * After the local database was lost (an Electron downgrade wipes IndexedDB), re-enqueues the
 * journaled mutations this database does not know, in their original order, under this
 * database's new client id and new seqs but with their original mutation ids: the server
 * answers those it already applied with `duplicate`, so each counts once (sync research §3, 22).
 */
export async function replayJournal(
  db: ReviewDeskDb,
  entries: readonly JournalEntry[],
  deps: OutboxDeps,
): Promise<number> {
  const known = new Set([
    ...(await db.outbox.toArray()).map((row) => row.mutationId),
    ...(await db.results.toArray()).map((row) => row.mutationId),
  ]);
  const ordered = [...entries].sort((a, b) =>
    a.clientCreatedAt === b.clientCreatedAt
      ? a.seq - b.seq
      : a.clientCreatedAt < b.clientCreatedAt
        ? -1
        : 1,
  );
  let replayed = 0;
  for (const entry of ordered) {
    if (known.has(entry.mutationId)) {
      continue;
    }
    known.add(entry.mutationId);
    await recordMutation(
      db,
      {
        name: entry.name,
        args: entry.args,
        v: entry.v,
        mutationId: entry.mutationId,
        createdAt: entry.clientCreatedAt,
        ...(entry.base === undefined ? {} : { base: entry.base }),
      },
      deps,
    );
    replayed += 1;
  }
  return replayed;
}

/**
 * Everything not yet confirmed by the server, as JSON for the user to keep ("export pending
 * decisions", offered by the stall banner and before signing out with pending work).
 */
export async function exportPending(db: ReviewDeskDb, exportedAt: Date): Promise<string> {
  const [outbox, unresolved] = await Promise.all([
    db.outbox.orderBy('seq').toArray(),
    db.results
      .where('dismissed')
      .equals(0)
      .filter((row) => row.status === 'conflict' || row.status === 'rejected')
      .toArray(),
  ]);
  return JSON.stringify(
    {
      format: 'review-desk-pending/1',
      exportedAt: exportedAt.toISOString(),
      userId: db.userId,
      clientId: await readMeta<string | null>(db, META.clientId, null),
      pending: outbox,
      unresolved,
    },
    null,
    2,
  );
}
