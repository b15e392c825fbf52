import type { Bridge } from '#shared/ipc/contract';
import {
  MAX_MUTATIONS_PER_PUSH,
  PROTOCOL_VERSION,
  type MutationResult,
  type OutOfOrderResponse,
  type PullResponse,
  type PushResponse,
  type RowChange,
  type SyncedTable,
  type TransientFailureResponse,
} from '#shared/sync/protocol';
import type { DecisionRecord, ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { mutationItemId, precheck } from '#shared/sync/view';
import {
  enrichMirrorRow,
  META,
  readMeta,
  SEARCH_INDEX_NOT_BUILT,
  searchTokenRow,
  type MirrorRow,
  type OutboxRow,
  type ResultRow,
  type ReviewDeskDb,
} from '../db/database';
import { journalEntryOf } from '../db/outbox';
import { buildSearchIndex } from '../db/searchIndex';
import { evictBlobs, isQuotaError } from '../db/storage';
import { applyDeferrableChanges, deferredBookkeeping, isDeferrable } from './deferred';
import { NetworkError, SignInRequiredError, type Transport } from './transport';

/**
 * Recovers from a gap the server refused (a lost local row, a client bug): the remaining
 * mutations keep their order and their mutation ids, and are renumbered from the seq the server
 * expects, so they still apply exactly once (sync research §3, scenario 6).
 */
export async function renumberOutbox(db: ReviewDeskDb, expectedSeq: number): Promise<void> {
  await db.transaction('rw', db.outbox, db.meta, async () => {
    const rows = await db.outbox.orderBy('seq').toArray();
    if (rows[0] === undefined || rows[0].seq === expectedSeq) {
      return;
    }
    await db.outbox.clear();
    await db.outbox.bulkAdd(
      rows.map((row, index) => ({ ...row, seq: expectedSeq + index, status: 'pending' as const })),
    );
    await db.meta.put({ key: META.nextSeq, value: expectedSeq + rows.length });
  });
}

/** Push batches stay below this many bytes of JSON (RSP/1 §2.3: ≤ 1 MB per request). */
const MAX_PUSH_BYTES = 1_000_000;
const utf8 = new TextEncoder();
/** Rows per pull page. */
const PULL_LIMIT = 1000;
/** Backoff after failures: full jitter between 0 and min(cap, base · 2^n). */
const BACKOFF_BASE_MS = 1000;
const BACKOFF_CAP_MS = 60_000;
/** Online, work pending, and no successful push for this long: the sync is stalled. */
export const STALL_AFTER_MS = 120_000;
/** How often the stall detector and lease timers look at the clock. */
const TICK_MS = 10_000;

export type SyncPhase =
  'idle' | 'pushing' | 'pulling' | 'bootstrapping' | 'waiting' | 'signed_out' | 'stopped';

/** What the status bar shows; shared with the other windows over BroadcastChannel. */
export interface SyncStatus {
  readonly online: boolean;
  readonly phase: SyncPhase;
  /** This window runs the sync (the others follow its status). */
  readonly leader: boolean;
  /** Device time (ms) of the last push the server answered 200, and of the last complete pull. */
  readonly lastPushOkAt: number | null;
  readonly lastPullOkAt: number | null;
  /** Server time of the last complete pull, as the server said it (ISO). */
  readonly lastSyncServerTime: string | null;
  /** Server clock minus device clock, estimated from the last round trip. */
  readonly serverOffsetMs: number;
  readonly failures: number;
  /** When the next attempt is planned after failures (device ms). */
  readonly retryAt: number | null;
  readonly stalled: boolean;
  /**
   * This window follows another that holds the sync lock, and that window has said nothing for
   * a while (frozen in a debugger, hung): nothing syncs until it answers or closes.
   */
  readonly leaderSilent: boolean;
  /** Rows received in the bootstrap under way. */
  readonly bootstrapRows: number;
  readonly lastError: string | null;
}

export const INITIAL_STATUS: SyncStatus = {
  online: true,
  phase: 'idle',
  leader: false,
  lastPushOkAt: null,
  lastPullOkAt: null,
  lastSyncServerTime: null,
  serverOffsetMs: 0,
  failures: 0,
  retryAt: null,
  stalled: false,
  leaderSilent: false,
  bootstrapRows: 0,
  lastError: null,
};

export interface EngineDeps {
  readonly db: ReviewDeskDb;
  readonly transport: Transport;
  readonly userId: string;
  readonly bridge?: Pick<Bridge, 'journal'>;
  /** Device clock. */
  readonly now?: () => number;
  readonly random?: () => number;
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
  readonly clearTimeout?: (handle: unknown) => void;
  readonly isOnline?: () => boolean;
  /** How often the stall detector runs by itself; null: only when `tick()` is called (tests). */
  readonly tickEveryMs?: number | null;
}

type Outcome = 'done' | 'offline' | 'transient' | 'signed_out';

/**
 * The client half of RSP/1 (§2.5): push before pull, in seq order and bounded batches; each
 * pulled page applied with its cursor in one transaction; pending work re-checked after every
 * pull; exponential backoff with full jitter, reset by `online`, focus and server hints; a
 * stall detector. One engine runs per signed-in window that holds the sync lock.
 */
export class SyncEngine {
  private status: SyncStatus = INITIAL_STATUS;
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  private running: Promise<void> | null = null;
  private again = false;
  private timer: unknown = null;
  private ticker: unknown = null;
  private stopped = false;
  private clientId: string | null = null;
  private startedAt = 0;
  private indexing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: EngineDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  getStatus(): SyncStatus {
    return this.status;
  }

  subscribe(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private update(patch: Partial<SyncStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const listener of this.listeners) {
      listener(this.status);
    }
  }

  /** Starts syncing now and whenever asked; restores the last known status from meta. */
  async start(): Promise<void> {
    this.stopped = false;
    this.startedAt = this.now();
    const { db } = this.deps;
    this.update({
      leader: true,
      phase: 'idle',
      online: this.deps.isOnline?.() ?? true,
      lastPushOkAt: await readMeta<number | null>(db, META.lastPushOkAt, null),
      lastPullOkAt: await readMeta<number | null>(db, META.lastPullOkAt, null),
      lastSyncServerTime: await readMeta<string | null>(db, META.lastServerTime, null),
      serverOffsetMs: await readMeta<number>(db, META.serverOffsetMs, 0),
    });
    const every = this.deps.tickEveryMs === undefined ? TICK_MS : this.deps.tickEveryMs;
    this.ticker = every === null ? null : setInterval(() => void this.tick(), every);
    this.syncNow();
    // A cache from before schema version 6, or a bootstrap interrupted by a restart: searchable
    // by checking rows until this completes (offline too).
    void this.indexSearch();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    if (this.ticker !== null) {
      clearInterval(this.ticker as ReturnType<typeof setInterval>);
      this.ticker = null;
    }
    this.update({ phase: 'stopped', leader: false });
  }

  /** Sync as soon as possible, forgetting any backoff: `online`, focus, a server hint, a click. */
  syncNow(): void {
    if (this.stopped) {
      return;
    }
    this.clearTimer();
    this.update({ retryAt: null });
    if (this.running !== null) {
      this.again = true;
      return;
    }
    this.running = this.loop()
      .catch((error: unknown) => {
        // The database went away under the round (closed for an upgrade elsewhere, deleted at
        // sign-out): nothing to retry in this window.
        this.update({ lastError: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        this.running = null;
      });
  }

  /** Resolves when the sync under way (if any) has finished; for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.running !== null) {
      await this.running;
    }
  }

  setOnline(online: boolean): void {
    this.update({ online });
    if (online) {
      this.update({ failures: 0 });
      this.syncNow();
    }
  }

  /** Re-evaluates the stall detector; called periodically and after each attempt. */
  async tick(): Promise<void> {
    const pending = await this.deps.db.outbox.count();
    const lastOk = this.status.lastPushOkAt ?? this.startedAt;
    const stalled = this.status.online && pending > 0 && this.now() - lastOk > STALL_AFTER_MS;
    if (stalled !== this.status.stalled) {
      this.update({ stalled });
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      const clear =
        this.deps.clearTimeout ??
        ((handle: unknown) => {
          clearTimeout(handle as ReturnType<typeof setTimeout>);
        });
      clear(this.timer);
      this.timer = null;
    }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      const outcome = await this.syncOnce();
      await this.tick();
      if (outcome === 'offline' || outcome === 'transient') {
        this.scheduleRetry();
        return;
      }
      if (outcome === 'signed_out') {
        this.update({ phase: 'signed_out' });
        return;
      }
    } while (this.runAgain());
  }

  /** Whether work arrived while a round was running (set by `syncNow` from other callers). */
  private runAgain(): boolean {
    return this.again && !this.stopped;
  }

  private scheduleRetry(): void {
    if (this.stopped) {
      return;
    }
    const failures = this.status.failures + 1;
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (failures - 1));
    const delay = Math.round((this.deps.random ?? Math.random)() * ceiling);
    const schedule = this.deps.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
    this.update({ failures, retryAt: this.now() + delay, phase: 'waiting' });
    this.timer = schedule(() => {
      this.timer = null;
      this.syncNow();
    }, delay);
  }

  /** One round: push everything, then pull everything. */
  async syncOnce(): Promise<Outcome> {
    try {
      this.clientId ??= await readMeta<string | null>(this.deps.db, META.clientId, null);
      if (this.clientId === null) {
        throw new Error('the local database has no client id');
      }
      const pushed = await this.pushAll();
      if (pushed !== 'done') {
        return pushed;
      }
      const pulled = await this.pullAll();
      if (pulled === 'done') {
        this.update({ failures: 0, phase: 'idle', lastError: null, online: true });
        void this.indexSearch();
      }
      return pulled;
    } catch (error) {
      if (error instanceof SignInRequiredError) {
        return 'signed_out';
      }
      if (error instanceof NetworkError) {
        this.update({ online: false, lastError: error.message });
        return 'offline';
      }
      this.update({ lastError: error instanceof Error ? error.message : String(error) });
      return 'transient';
    }
  }

  /** The next push batch: the head of the outbox, ≤ 100 mutations and ≤ 1 MB. */
  private async nextBatch(): Promise<OutboxRow[]> {
    const head = await this.deps.db.outbox.orderBy('seq').limit(MAX_MUTATIONS_PER_PUSH).toArray();
    const batch: OutboxRow[] = [];
    let bytes = 0;
    for (const row of head) {
      // UTF-8 bytes, not string length: a Chinese note is three bytes a character, and a batch
      // over the server's body limit would be refused again and again (a stuck outbox).
      bytes += utf8.encode(JSON.stringify(row.args)).length + 200;
      if (batch.length > 0 && bytes > MAX_PUSH_BYTES) {
        break;
      }
      batch.push(row);
    }
    return batch;
  }

  private async pushAll(): Promise<Outcome> {
    const { db, transport } = this.deps;
    for (let guard = 0; guard < 10_000; guard += 1) {
      const batch = await this.nextBatch();
      if (batch.length === 0) {
        return 'done';
      }
      this.update({ phase: 'pushing' });
      await db.outbox.bulkUpdate(
        batch.map((row) => ({
          key: row.seq,
          changes: { status: 'sending', attempts: row.attempts + 1 },
        })),
      );
      let answer;
      try {
        answer = await transport.post<PushResponse | OutOfOrderResponse | TransientFailureResponse>(
          '/sync/v1/push',
          {
            protocol: PROTOCOL_VERSION,
            clientId: this.clientId,
            mutations: batch.map((row) => ({
              seq: row.seq,
              mutationId: row.mutationId,
              name: row.name,
              v: row.v,
              args: row.args,
              ...(row.base === undefined ? {} : { base: row.base }),
              clientCreatedAt: row.createdAt,
            })),
          },
        );
      } finally {
        await db.outbox.where('status').equals('sending').modify({ status: 'pending' });
      }
      await this.noteClock(answer.midpoint, answer.body);
      if (answer.status === 200) {
        const body = answer.body as PushResponse;
        await this.storeResults(body.results, body.lastSeq);
        const now = this.now();
        await db.meta.put({ key: META.lastPushOkAt, value: now });
        this.update({ lastPushOkAt: now, stalled: false, online: true });
        continue;
      }
      if (answer.status === 409) {
        // Mutations below expectedSeq were processed (their response was lost): the pull
        // brings their results and trims the outbox, then the push resumes from expectedSeq.
        const pulled = await this.pullAll();
        if (pulled !== 'done') {
          return pulled;
        }
        await renumberOutbox(db, (answer.body as OutOfOrderResponse).expectedSeq);
        continue;
      }
      if (answer.status === 503) {
        const body = answer.body as TransientFailureResponse;
        await this.storeResults(body.results, body.processedThrough);
        this.update({ lastError: 'the server is temporarily unavailable' });
        return 'transient';
      }
      throw new Error(`push answered ${answer.status}`);
    }
    return 'done';
  }

  /** Server clock minus device clock, from the server's time at the middle of a round trip. */
  private async noteClock(midpoint: number, body: unknown): Promise<void> {
    const serverTime =
      typeof body === 'object' && body !== null && 'serverTime' in body ? body.serverTime : null;
    if (typeof serverTime === 'string') {
      const offset = Date.parse(serverTime) - midpoint;
      if (Number.isFinite(offset)) {
        this.update({ serverOffsetMs: offset });
        await this.deps.db.meta.put({ key: META.serverOffsetMs, value: offset });
      }
    }
  }

  /** Stores terminal results and drops their outbox rows, in one transaction; then trims the journal. */
  private async storeResults(results: readonly MutationResult[], lastSeq: number): Promise<void> {
    const { db } = this.deps;
    const forgotten = await db.transaction('rw', db.outbox, db.results, db.meta, async () => {
      const seqs = results.map((result) => result.seq);
      const outboxBySeq = new Map(
        (await db.outbox.bulkGet(seqs)).flatMap((row) =>
          row === undefined ? [] : [[row.seq, row] as const],
        ),
      );
      const existing = new Set(
        (await db.results.bulkGet(seqs)).flatMap((row) => (row === undefined ? [] : [row.seq])),
      );
      const rows: ResultRow[] = results
        .filter((result) => !existing.has(result.seq))
        .map((result) => ({
          ...result,
          env: 1,
          args: outboxBySeq.get(result.seq)?.args ?? null,
          createdAt: outboxBySeq.get(result.seq)?.createdAt ?? null,
          // Applied results need no attention; conflicts and rejections wait in the inbox.
          dismissed: result.status === 'conflict' || result.status === 'rejected' ? 0 : 1,
        }));
      await db.results.bulkPut(rows);
      const mutationIds = (await db.outbox.where('seq').belowOrEqual(lastSeq).toArray()).map(
        (row) => row.mutationId,
      );
      await db.outbox.where('seq').belowOrEqual(lastSeq).delete();
      const known = await readMeta<number>(db, META.lastSeq, 0);
      await db.meta.put({ key: META.lastSeq, value: Math.max(known, lastSeq) });
      const after = await readMeta<number>(db, META.resultsAfterSeq, 0);
      const highest = Math.max(after, ...results.map((result) => result.seq));
      await db.meta.put({ key: META.resultsAfterSeq, value: highest });
      return mutationIds;
    });
    if (forgotten.length > 0 && this.deps.bridge !== undefined) {
      await this.deps.bridge.journal
        .forget({ userId: this.deps.userId, mutationIds: forgotten })
        .catch(() => undefined);
    }
  }

  private async pullAll(): Promise<Outcome> {
    const { db, transport } = this.deps;
    let bootstrapRows = 0;
    for (let guard = 0; guard < 100_000; guard += 1) {
      const cursor = await readMeta<string | null>(db, META.cursor, null);
      const bootstrapping =
        cursor === null || !(await readMeta<boolean>(db, META.bootstrapped, false));
      this.update({ phase: bootstrapping ? 'bootstrapping' : 'pulling' });
      const answer = await transport.post<PullResponse>('/sync/v1/pull', {
        protocol: PROTOCOL_VERSION,
        clientId: this.clientId,
        cursor,
        limit: PULL_LIMIT,
        resultsAfterSeq: await readMeta<number>(db, META.resultsAfterSeq, 0),
        // The first screen needs the queue rows, not every listing document and audit event:
        // those come per item when it is opened or taken for offline work (`deferred.ts`).
        deferHeavy: true,
      });
      await this.noteClock(answer.midpoint, answer.body);
      if (answer.status === 503) {
        return 'transient';
      }
      if (answer.status === 400 && cursor !== null) {
        // A cursor the server does not recognise: start over (the outbox is untouched).
        await db.meta.bulkPut([
          { key: META.cursor, value: null },
          { key: META.bootstrapped, value: false },
        ]);
        continue;
      }
      if (answer.status !== 200) {
        throw new Error(`pull answered ${answer.status}`);
      }
      const page = answer.body;
      await this.applyPage(page, bootstrapping);
      bootstrapRows += page.changes.length;
      if (bootstrapping) {
        this.update({ bootstrapRows });
      }
      if (!page.hasMore) {
        const now = this.now();
        await db.meta.bulkPut([
          { key: META.bootstrapped, value: true },
          { key: META.lastPullOkAt, value: now },
          { key: META.lastServerTime, value: page.serverTime },
        ]);
        this.update({ lastPullOkAt: now, lastSyncServerTime: page.serverTime, bootstrapRows: 0 });
        await this.recheckPending();
        return 'done';
      }
    }
    return 'done';
  }

  /**
   * Applies one pull page atomically: mirror rows, results, the outbox trimmed to `lastSeq`, and
   * the cursor — never a cursor without its data (sync research §4.7). On a full disk the blob
   * cache is emptied first and the page retried; the outbox is never what gets evicted.
   */
  private async applyPage(page: PullResponse, bootstrapping: boolean): Promise<void> {
    try {
      await this.writePage(page, bootstrapping);
    } catch (error) {
      if (!isQuotaError(error)) {
        throw error;
      }
      await evictBlobs(this.deps.db, Number.POSITIVE_INFINITY);
      await this.writePage(page, bootstrapping);
    }
  }

  /**
   * Builds the queue's search index in the background (after a bootstrap, or of a cache from
   * before schema version 6), a chunk per transaction; resolves when it is complete or the engine
   * stopped. A failure (a closed database) leaves it to be resumed by the next call.
   */
  indexSearch(): Promise<void> {
    // A bootstrap page starts the index over: building it meanwhile would be wasted work.
    const keepGoing = () => !this.stopped && this.status.phase !== 'bootstrapping';
    // Runs one after another; a run over a complete index is one read of its progress.
    this.indexing = this.indexing
      .then(() => buildSearchIndex(this.deps.db, keepGoing))
      .then(
        () => undefined,
        () => undefined,
      );
    return this.indexing;
  }

  /**
   * One page in one transaction. A bootstrap's review items are stored without their search
   * index rows (46 index entries per item, 70 % of the write): the index is built after the
   * bootstrap (`indexSearch`), so the page starts its progress over. Later pages (deltas) write
   * both, keeping the index current.
   */
  private async writePage(page: PullResponse, bootstrapping: boolean): Promise<void> {
    const { db } = this.deps;
    const byTable = new Map<SyncedTable, RowChange[]>();
    for (const change of page.changes) {
      const list = byTable.get(change.table) ?? [];
      list.push(change);
      byTable.set(change.table, list);
    }
    const toRow = (change: RowChange & { data: Readonly<Record<string, unknown>> }) =>
      enrichMirrorRow(change.table, { ...change.data, id: change.id, _version: change.version });
    await db.transaction(
      'rw',
      [...db.mirrorTables(), db.meta, db.searchTokens, ...deferredBookkeeping(db)],
      async () => {
        if (page.reset === true) {
          await Promise.all(
            [...db.mirrorTables(), db.searchTokens, ...deferredBookkeeping(db)].map((table) =>
              table.clear(),
            ),
          );
          await db.meta.put({ key: META.deferredTables, value: [] });
        }
        const withSearchIndex = !bootstrapping && page.reset !== true;
        if (page.reset === true || (!withSearchIndex && byTable.has('review_items'))) {
          await db.meta.put({ key: META.searchIndex, value: SEARCH_INDEX_NOT_BUILT });
        }
        if (page.deferred !== undefined) {
          await db.meta.put({ key: META.deferredTables, value: page.deferred });
        }
        for (const [table, changes] of byTable) {
          if (isDeferrable(table)) {
            // These rows also arrive by per-item fetches: newest version wins (`deferred.ts`).
            await applyDeferrableChanges(db, table, changes, toRow);
            continue;
          }
          const mirror = db.mirror(table);
          const puts: MirrorRow[] = [];
          const deletes: string[] = [];
          for (const change of changes) {
            if (change.op === 'del' || change.data === undefined) {
              deletes.push(change.id);
            } else {
              puts.push(toRow({ ...change, data: change.data }));
            }
          }
          if (deletes.length > 0) {
            await mirror.bulkDelete(deletes);
          }
          if (puts.length > 0) {
            await mirror.bulkPut(puts);
          }
          if (table === 'review_items') {
            if (deletes.length > 0) {
              await db.searchTokens.bulkDelete(deletes);
            }
            if (withSearchIndex && puts.length > 0) {
              await db.searchTokens.bulkPut(puts.map(searchTokenRow));
            }
          }
        }
        await db.meta.put({ key: META.cursor, value: page.cursor });
        if (page.reset === true) {
          await db.meta.put({ key: META.bootstrapped, value: false });
        }
      },
    );
    await this.storeResults(page.results, page.lastSeq);
  }

  /** After a pull, flags pending mutations the latest server rows say will probably fail. */
  private async recheckPending(): Promise<void> {
    const { db } = this.deps;
    const outbox = await db.outbox.toArray();
    if (outbox.length === 0) {
      return;
    }
    const serverNow = this.now() + this.status.serverOffsetMs;
    const updates: { key: number; changes: Partial<OutboxRow> }[] = [];
    for (const row of outbox) {
      const itemId = mutationItemId(row.args);
      if (itemId === null) {
        continue;
      }
      const item = (await db.mirror('review_items').get(itemId)) as unknown as
        ReviewItemRecord | undefined;
      const decision = (await db
        .mirror('decisions')
        .where('itemId')
        .equals(itemId)
        .first()) as unknown as DecisionRecord | undefined;
      const holder =
        item?.claim === null || item === undefined
          ? undefined
          : ((await db.mirror('users').get(item.claim.reviewerId)) as unknown as
              UserRecord | undefined);
      const atRisk = precheck(row, {
        userId: this.deps.userId,
        item,
        decision,
        serverNow,
        ...(holder === undefined ? {} : { holderName: holder.displayName }),
      });
      if (JSON.stringify(atRisk) !== JSON.stringify(row.atRisk)) {
        updates.push({ key: row.seq, changes: { atRisk } });
      }
    }
    if (updates.length > 0) {
      await db.outbox.bulkUpdate(updates);
    }
  }

  /** Appends a recorded mutation to the device journal (outside IndexedDB). */
  async journal(row: OutboxRow): Promise<void> {
    const clientId =
      this.clientId ?? (await readMeta<string | null>(this.deps.db, META.clientId, null));
    if (clientId === null || this.deps.bridge === undefined) {
      return;
    }
    await this.deps.bridge.journal.append(journalEntryOf(row, this.deps.userId, clientId));
  }
}
