import { IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReviewDeskDb } from '../../../renderer/src/db/database';
import { signIn, type Session } from '../../../renderer/src/session/session';
import type { LeaderDeps } from '../../../renderer/src/workspace/leader';
import {
  LEADER_HEARTBEAT_MS,
  LEADER_SILENT_AFTER_MS,
  openWorkspace,
  type Workspace,
  type WorkspaceDeps,
} from '../../../renderer/src/workspace/workspace';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../../server/harness';
import { submitNewListing } from '../../server/sync/client';
import { injectFetch } from '../support/injectFetch';
import { Machine } from '../support/workstation';

/**
 * Several windows of the workstation on one computer (sync research §3 scenarios 24 and 26): the
 * real workspace over fake-indexeddb, Node's BroadcastChannel between the windows, and a Web Lock
 * manager that behaves like the browser's (the first window leads, the next waits).
 */
let server: TestServer;
let fetch: ReturnType<typeof injectFetch>['fetch'];
let machine: Machine;
const opened: Workspace[] = [];

beforeEach(async () => {
  server = await createTestServer();
  ({ fetch } = injectFetch(server));
  machine = new Machine();
});
afterEach(async () => {
  for (const workspace of opened.splice(0)) {
    await workspace.close().catch(() => undefined);
  }
  await server.close();
});

/** One lock manager per computer: `request` queues callers of a held name, like navigator.locks. */
function fakeLocks(): LockManager {
  const queues = new Map<string, Promise<void>>();
  const request = (
    name: string,
    options: { signal?: AbortSignal },
    callback: () => Promise<void>,
  ): Promise<void> => {
    const before = queues.get(name) ?? Promise.resolve();
    const mine = before.then(() => {
      if (options.signal?.aborted === true) {
        throw new DOMException('aborted', 'AbortError');
      }
      return callback();
    });
    queues.set(
      name,
      mine.catch(() => undefined),
    );
    return mine;
  };
  return { request } as unknown as LockManager;
}

/** A window's own timers: a frozen window is one whose timers do not run. */
class WindowTimers {
  private nowMs = 0;
  private readonly intervals = new Map<number, { callback: () => void; ms: number; due: number }>();
  private nextHandle = 1;
  readonly now = () => this.nowMs;
  readonly setInterval = (callback: () => void, ms: number): unknown => {
    const handle = this.nextHandle++;
    this.intervals.set(handle, { callback, ms, due: this.nowMs + ms });
    return handle;
  };
  readonly clearInterval = (handle: unknown) => {
    this.intervals.delete(handle as number);
  };
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      const next = [...this.intervals.values()].sort((a, b) => a.due - b.due)[0];
      if (next === undefined || next.due > end) {
        break;
      }
      this.nowMs = next.due;
      next.due += next.ms;
      next.callback();
    }
    this.nowMs = end;
  }
}

async function session(username: 'reviewer1' = 'reviewer1'): Promise<Session> {
  const signed = await signIn({
    serverUrl: 'http://review.test',
    username,
    password: TEST_PASSWORD,
    bridge: machine.bridge,
    fetch,
  });
  if (!signed.ok) {
    throw new Error(`sign-in failed: ${JSON.stringify(signed.failure)}`);
  }
  return signed.session;
}

const locks = fakeLocks();

async function openWindow(
  signedIn: Session,
  extra: Partial<WorkspaceDeps> = {},
): Promise<Workspace> {
  const workspace = await openWorkspace(signedIn, {
    bridge: machine.bridge,
    fetch,
    indexedDB: machine.indexedDB,
    IDBKeyRange,
    leader: {
      locks,
      createChannel: (name) => new BroadcastChannel(name),
    } satisfies LeaderDeps,
    ...extra,
  });
  opened.push(workspace);
  return workspace;
}

/** Lets BroadcastChannel messages and IndexedDB callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('scenario 26: the window that syncs freezes', () => {
  it('the other window says so after 30 s of silence, and stops saying so when it answers', async () => {
    const signedIn = await session();
    const leaderTimers = new WindowTimers();
    const followerTimers = new WindowTimers();
    const leader = await openWindow(signedIn, { timers: leaderTimers });
    const follower = await openWindow(signedIn, { timers: followerTimers });
    await settle();
    expect(leader.status().leader).toBe(true);
    await follower.record('claim', { itemId: (await submitNewListing(server)).itemId });

    // Both windows run: the leader's heartbeat reaches the follower every 10 s.
    for (let second = 0; second < 60; second += 10) {
      leaderTimers.advance(LEADER_HEARTBEAT_MS);
      await settle();
      followerTimers.advance(LEADER_HEARTBEAT_MS);
    }
    expect(follower.status().leaderSilent).toBe(false);

    // The leader is paused in a debugger: its timers stop, the follower's go on.
    followerTimers.advance(LEADER_SILENT_AFTER_MS + LEADER_HEARTBEAT_MS);
    expect(follower.status().leaderSilent).toBe(true);
    expect(follower.status().stalled).toBe(true);

    leaderTimers.advance(LEADER_HEARTBEAT_MS);
    await settle();
    expect(follower.status().leaderSilent).toBe(false);
  });
});

/** The same user's database as a newer app declares it: one more table (schemas only add). */
class NewerReviewDeskDb extends ReviewDeskDb {
  constructor(userId: string, options: ConstructorParameters<typeof ReviewDeskDb>[1]) {
    super(userId, options);
    this.version(this.verno + 1).stores({ listingDrafts: 'id, updatedAt' });
  }
}

describe('scenario 24: a schema upgrade with another window open, then a rollback', () => {
  it('the old window closes its database and reloads; the rolled-back app keeps the outbox', async () => {
    const { itemId } = await submitNewListing(server);
    const signedIn = await session();
    let reloads = 0;
    const oldWindow = await openWindow(signedIn, {
      timers: new WindowTimers(),
      reload: () => {
        reloads += 1;
      },
    });
    await settle();
    await oldWindow.close();
    opened.splice(opened.indexOf(oldWindow), 1);
    const stillOpen = await openWindow(signedIn, {
      timers: new WindowTimers(),
      reload: () => {
        reloads += 1;
      },
    });
    await stillOpen.record('claim', { itemId });

    // A newer version of the app starts in another window and upgrades the database. It is not
    // blocked: the old window lets go at once.
    const newer = new NewerReviewDeskDb(signedIn.user.id, {
      indexedDB: machine.indexedDB,
      IDBKeyRange,
    });
    await newer.open();
    expect(newer.verno).toBe(stillOpen.db.verno + 1);
    expect(reloads).toBe(1);
    expect(stillOpen.db.isOpen()).toBe(false);
    expect(await newer.table('outbox').count()).toBe(1);
    newer.close();
    await stillOpen.close().catch(() => undefined);
    opened.splice(opened.indexOf(stillOpen), 1);

    // The user goes back to the old app: it opens the newer database as it is, nothing lost.
    const rolledBack = await openWindow(signedIn, { timers: new WindowTimers() });
    expect(await rolledBack.db.outbox.count()).toBe(1);
    await settle();
    await expect
      .poll(
        async () =>
          (await server.db.query(`SELECT 1 FROM claims WHERE item_id = $1`, [itemId])).length,
      )
      .toBe(1);
  });

  it('a database that cannot be opened at all is started again from the journal', async () => {
    const { itemId } = await submitNewListing(server);
    const signedIn = await session();
    const first = await openWindow(signedIn, { timers: new WindowTimers() });
    // Offline: the claim stays in the outbox and in the device journal.
    const offlineFetch = () => Promise.reject(new TypeError('Failed to fetch'));
    await first.close();
    opened.splice(opened.indexOf(first), 1);
    const offline = await openWorkspace(signedIn, {
      bridge: machine.bridge,
      fetch: offlineFetch,
      indexedDB: machine.indexedDB,
      IDBKeyRange,
      leader: { locks: undefined, createChannel: undefined },
      timers: new WindowTimers(),
    });
    await offline.record('claim', { itemId });
    await offline.close();
    expect(machine.bridge.journal_).toHaveLength(1);

    // The profile is damaged: the first attempts to open the database fail.
    let failures = 1;
    const real = machine.indexedDB;
    const damaged = new Proxy(real, {
      get(target, property) {
        if (property === 'open' && failures > 0) {
          return () => {
            failures -= 1;
            throw new DOMException('the database file is damaged', 'DataError');
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function'
          ? (value as (...a: unknown[]) => unknown).bind(target)
          : value;
      },
    });
    const restarted = await openWindow(signedIn, {
      indexedDB: damaged,
      timers: new WindowTimers(),
    });
    expect(failures).toBe(0);
    await expect
      .poll(
        async () =>
          (await server.db.query(`SELECT 1 FROM claims WHERE item_id = $1`, [itemId])).length,
      )
      .toBe(1);
    await expect.poll(() => restarted.db.outbox.count()).toBe(0);
  });
});
