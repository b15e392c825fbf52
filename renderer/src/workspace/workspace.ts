import type { Bridge } from '#shared/ipc/contract';
import { ReviewDeskDb } from '../db/database';
import {
  browserOutboxDeps,
  ensureClientId,
  exportPending,
  journalEntryOf,
  recordMutations,
  replayJournal,
  type NewMutation,
  type OutboxDeps,
} from '../db/outbox';
import { purgeExpiredFiles } from '../db/retention';
import { isQuotaError, requestPersistentStorage } from '../db/storage';
import type { Session } from '../session/session';
import { INITIAL_STATUS, SyncEngine, type SyncStatus } from '../sync/engine';
import { createTransport, type FetchLike, type Transport } from '../sync/transport';
import {
  browserLeaderDeps,
  openChannel,
  whenLeader,
  type LeaderDeps,
  type WindowMessage,
} from './leader';

/** The window's `fetch`, called as a function of its own (a detached `fetch` throws in browsers). */
export const browserFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/**
 * HTTP to the review server as the workspace's user (the access token attached, refreshed on a
 * 401): what the screens that read the server's REST routes (ops figures, settlement, actuals,
 * reminders) talk through.
 */
export function serverTransport(
  workspace: Pick<Workspace, 'session'>,
  fetch: FetchLike = browserFetch,
): Transport {
  return createTransport({
    baseUrl: workspace.session.serverUrl,
    fetch,
    credentials: workspace.session,
  });
}

/** A mutation as the UI records it: the outbox gives it its id, seq and time. */
export type RecordedMutation = Pick<NewMutation, 'name' | 'args' | 'base' | 'v'>;

/**
 * A signed-in user's workspace in this window: their local database, the sync engine (when
 * this window is the leader), and the one way the UI records decisions. Status changes reach
 * the UI through `subscribe`; rows reach it through Dexie live queries on `db`.
 */
export interface Workspace {
  readonly session: Session;
  readonly db: ReviewDeskDb;
  /**
   * Records a mutation in the outbox (and the desktop journal), then asks for a sync. `v` picks a
   * later version of the mutation (`claim@2`); the current version otherwise.
   */
  record(
    name: string,
    args: unknown,
    base?: Readonly<Record<string, number>>,
    options?: { readonly v?: number },
  ): Promise<number>;
  /**
   * Records several mutations in one outbox transaction (all or none, consecutive seqs), then
   * asks for one sync: a bulk action over hundreds of items. Returns their seqs in order.
   */
  recordMany(mutations: readonly RecordedMutation[]): Promise<number[]>;
  syncNow(): void;
  status(): SyncStatus;
  subscribe(listener: (status: SyncStatus) => void): () => void;
  exportPending(): Promise<string>;
  /** Server time now, by the last measured clock offset. */
  serverNow(): number;
  close(): Promise<void>;
  /**
   * After `close()`: deletes this user's local database (cached rows, files, OCR readings,
   * results) and their entries in the device journal. For a sign-out with nothing left to send:
   * personal data must not stay on a shared or lost laptop longer than the session.
   */
  discardLocalData(): Promise<void>;
}

/** The leader window tells the others its status this often, even when nothing changed. */
export const LEADER_HEARTBEAT_MS = 10_000;
/**
 * A follower that hears nothing from the leader for this long reports the sync stalled (sync
 * research §3 scenario 26): the Web Lock stays with a frozen window, so no other can take over.
 */
export const LEADER_SILENT_AFTER_MS = 30_000;

/** How often the leader window drops cached files past retention (also once at start). */
export const RETENTION_PURGE_INTERVAL_MS = 6 * 60 * 60 * 1000;

export interface WorkspaceDeps {
  readonly bridge: Bridge;
  readonly fetch: FetchLike;
  readonly indexedDB?: IDBFactory;
  readonly IDBKeyRange?: typeof IDBKeyRange;
  readonly leader?: LeaderDeps;
  readonly outbox?: OutboxDeps;
  /** Browser hooks: online/offline/focus events, EventSource, storage; absent in tests. */
  readonly window?: Pick<Window, 'addEventListener' | 'removeEventListener'> & {
    readonly navigator: Navigator;
  };
  readonly createEventSource?: (url: string) => EventSource;
  /**
   * Another window (a newer version of the app) upgraded this user's local database: this window
   * runs code for the old schema and must start again (the page reloads).
   */
  readonly reload?: () => void;
  /** Timers of the leader heartbeat and the follower's watch; the browser's by default. */
  readonly timers?: {
    readonly now: () => number;
    readonly setInterval: (callback: () => void, ms: number) => unknown;
    readonly clearInterval: (handle: unknown) => void;
  };
}

const browserTimers = {
  now: () => Date.now(),
  setInterval: (callback: () => void, ms: number): unknown => setInterval(callback, ms),
  clearInterval: (handle: unknown) => {
    clearInterval(handle as ReturnType<typeof setInterval>);
  },
};

/**
 * Opens the user's local database. When it cannot be opened at all (a rollback to an older app
 * left a database this code cannot use, a damaged profile), it is deleted and created again: the
 * device journal then puts the unanswered decisions back into the outbox (scenario 24).
 */
async function openLocalDatabase(
  session: Session,
  deps: WorkspaceDeps,
): Promise<{ db: ReviewDeskDb; reset: boolean }> {
  const options = {
    ...(deps.indexedDB === undefined ? {} : { indexedDB: deps.indexedDB }),
    ...(deps.IDBKeyRange === undefined ? {} : { IDBKeyRange: deps.IDBKeyRange }),
  };
  const db = new ReviewDeskDb(session.user.id, options);
  try {
    await db.open();
    return { db, reset: false };
  } catch (error) {
    if (isQuotaError(error)) {
      // A full disk is not a broken database: deleting it would not help and loses the cache.
      throw error;
    }
    console.error(
      'the local database cannot be opened; starting a new one from the journal',
      error,
    );
    await db.delete();
    const fresh = new ReviewDeskDb(session.user.id, options);
    await fresh.open();
    return { db: fresh, reset: true };
  }
}

export async function openWorkspace(session: Session, deps: WorkspaceDeps): Promise<Workspace> {
  const { db } = await openLocalDatabase(session, deps);
  const timers = deps.timers ?? browserTimers;
  db.on('versionchange', () => {
    // A newer app in another window upgrades the database: let it (close now, or it stays
    // blocked), stop syncing with the old code and start again on the new one.
    engine?.stop();
    db.close();
    deps.reload?.();
    return false;
  });
  const outboxDeps = deps.outbox ?? browserOutboxDeps;
  const created = (await db.meta.count()) === 0;
  await ensureClientId(db, outboxDeps.newId);
  if (created) {
    // A new local database: if the device journal has decisions this user never got answers
    // for (IndexedDB was lost), they go back into the outbox before anything else.
    const journal = await deps.bridge.journal.list({ userId: session.user.id }).catch(() => []);
    await replayJournal(db, journal, outboxDeps);
  }
  void requestPersistentStorage(deps.window?.navigator.storage);

  const leaderDeps = deps.leader ?? browserLeaderDeps();
  const channel = openChannel(session.user.id, leaderDeps);
  let status: SyncStatus = INITIAL_STATUS;
  const listeners = new Set<(status: SyncStatus) => void>();
  const publish = (next: SyncStatus) => {
    status = next;
    for (const listener of listeners) {
      listener(next);
    }
  };
  let engine: SyncEngine | null = null;
  let events: EventSource | null = null;
  const cleanups: (() => void)[] = [];

  const openEvents = () => {
    const token = session.accessToken();
    if (events !== null || deps.createEventSource === undefined || token === null) {
      return;
    }
    events = deps.createEventSource(
      `${session.serverUrl}/sync/v1/events?access_token=${encodeURIComponent(token)}`,
    );
    events.addEventListener('change', () => engine?.syncNow());
    events.addEventListener('error', () => {
      // Reconnecting needs a fresh token; the next successful sync opens a new stream.
      events?.close();
      events = null;
    });
  };

  const releaseLeadership = whenLeader(session.user.id, leaderDeps, () => {
    engine = new SyncEngine({
      db,
      userId: session.user.id,
      bridge: deps.bridge,
      transport: createTransport({
        baseUrl: session.serverUrl,
        fetch: deps.fetch,
        credentials: session,
      }),
      isOnline: () => deps.window?.navigator.onLine ?? true,
    });
    const unsubscribe = engine.subscribe((next) => {
      publish(next);
      channel?.postMessage({ type: 'status', status: next } satisfies WindowMessage);
      if (next.phase === 'idle' && next.online) {
        openEvents();
      }
    });
    cleanups.push(unsubscribe);
    // Followers take silence for a hung leader, so the leader speaks even when nothing changes.
    const heartbeat = timers.setInterval(() => {
      if (engine !== null) {
        channel?.postMessage({
          type: 'status',
          status: engine.getStatus(),
        } satisfies WindowMessage);
      }
    }, LEADER_HEARTBEAT_MS);
    cleanups.push(() => {
      timers.clearInterval(heartbeat);
    });
    engine.start().catch((error: unknown) => {
      console.error('the sync engine could not start', error);
    });
    // One window purges for all of them: the leader.
    const purge = () => {
      void deps.bridge.settings
        .get()
        .then(({ fileRetentionDays }) =>
          purgeExpiredFiles(db, { now: Date.now(), retentionDays: fileRetentionDays }),
        )
        .catch((error: unknown) => {
          console.error('purging cached files past retention failed', error);
        });
    };
    purge();
    const purgeTimer = setInterval(purge, RETENTION_PURGE_INTERVAL_MS);
    cleanups.push(() => {
      clearInterval(purgeTimer);
    });
  });

  if (channel !== null) {
    let heardFromLeaderAt = timers.now();
    const watch = timers.setInterval(() => {
      const silent = engine === null && timers.now() - heardFromLeaderAt > LEADER_SILENT_AFTER_MS;
      if (silent !== status.leaderSilent) {
        publish({ ...status, leaderSilent: silent, stalled: silent || status.stalled });
      }
    }, LEADER_HEARTBEAT_MS);
    cleanups.push(() => {
      timers.clearInterval(watch);
    });
    channel.onmessage = (event: MessageEvent<WindowMessage>) => {
      const message = event.data;
      if (message.type === 'status' && engine === null) {
        heardFromLeaderAt = timers.now();
        publish({ ...(message.status as SyncStatus), leaderSilent: false });
      } else if (message.type === 'outbox-changed' || message.type === 'sync-now') {
        engine?.syncNow();
      }
    };
  }

  if (deps.window !== undefined) {
    const target = deps.window;
    const online = () => engine?.setOnline(true);
    const offline = () => engine?.setOnline(false);
    const focus = () => engine?.syncNow();
    target.addEventListener('online', online);
    target.addEventListener('offline', offline);
    target.addEventListener('focus', focus);
    cleanups.push(() => {
      target.removeEventListener('online', online);
      target.removeEventListener('offline', offline);
      target.removeEventListener('focus', focus);
    });
  }

  const recordMany = async (mutations: readonly RecordedMutation[]): Promise<number[]> => {
    const rows = await recordMutations(db, mutations, outboxDeps);
    const clientId = (await db.meta.get('clientId'))?.value;
    if (typeof clientId === 'string') {
      for (const row of rows) {
        await deps.bridge.journal
          .append(journalEntryOf(row, session.user.id, clientId))
          .catch(() => {
            // The journal is a safety net; the outbox row already holds the decision.
          });
      }
    }
    if (rows.length > 0) {
      askForSync({ type: 'outbox-changed' });
    }
    return rows.map((row) => row.seq);
  };

  const askForSync = (message: WindowMessage) => {
    if (engine !== null) {
      engine.syncNow();
    } else {
      channel?.postMessage(message);
    }
  };

  return {
    session,
    db,
    async record(name, args, base, options) {
      const [seq] = await recordMany([
        {
          name,
          args,
          ...(base === undefined ? {} : { base }),
          ...(options?.v === undefined ? {} : { v: options.v }),
        },
      ]);
      if (seq === undefined) {
        throw new Error(`recording ${name} returned no seq`);
      }
      return seq;
    },
    recordMany,
    syncNow: () => {
      askForSync({ type: 'sync-now' });
    },
    status: () => status,
    subscribe(listener) {
      listeners.add(listener);
      listener(status);
      return () => {
        listeners.delete(listener);
      };
    },
    exportPending: () => exportPending(db, new Date()),
    serverNow: () => Date.now() + status.serverOffsetMs,
    async close() {
      for (const cleanup of cleanups.splice(0)) {
        cleanup();
      }
      events?.close();
      const running = engine;
      running?.stop();
      await running?.idle();
      releaseLeadership();
      channel?.close();
      db.close();
    },
    async discardLocalData() {
      await db.delete();
      const journal = await deps.bridge.journal.list({ userId: session.user.id });
      if (journal.length > 0) {
        await deps.bridge.journal.forget({
          userId: session.user.id,
          mutationIds: journal.map((entry) => entry.mutationId),
        });
      }
    },
  };
}
