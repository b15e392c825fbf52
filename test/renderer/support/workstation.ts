import { randomUUID } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { ReviewDeskDb } from '../../../renderer/src/db/database';
import { ensureClientId, recordMutation, type NewMutation } from '../../../renderer/src/db/outbox';
import { signIn, type Session } from '../../../renderer/src/session/session';
import { SyncEngine } from '../../../renderer/src/sync/engine';
import { createTransport, type FetchLike } from '../../../renderer/src/sync/transport';
import { TEST_PASSWORD, type TestServer, type TestUsername } from '../../server/harness';
import { MemoryBridge } from './memoryBridge';

/** One computer: its IndexedDB and its device bridge (journal, secrets) outlive sign-ins. */
export class Machine {
  indexedDB = new IDBFactory();
  readonly bridge = new MemoryBridge();

  /** Simulates losing the browser's site data (an Electron downgrade wipes IndexedDB). */
  wipeIndexedDb(): void {
    this.indexedDB = new IDBFactory();
  }
}

export interface Workstation {
  readonly db: ReviewDeskDb;
  readonly engine: SyncEngine;
  readonly session: Session;
  /** Retry timers the engine asked for (not run by themselves; tests call syncNow). */
  readonly timers: { callback: () => void; ms: number }[];
  record(name: string, args: unknown, extra?: Omit<NewMutation, 'name' | 'args'>): Promise<number>;
  close(): Promise<void>;
}

/** Signs in on a machine and opens the user's local database and sync engine, as the app does. */
export async function openWorkstation(
  server: TestServer,
  machine: Machine,
  username: TestUsername,
  fetch: FetchLike,
  options: {
    /** This computer's clock; the server's test clock by default (no skew). */
    readonly deviceNow?: () => number;
  } = {},
): Promise<Workstation> {
  const deviceNow = options.deviceNow ?? (() => server.clock.now());
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
  const session = signed.session;
  const db = new ReviewDeskDb(session.user.id, { indexedDB: machine.indexedDB, IDBKeyRange });
  await ensureClientId(db, randomUUID);
  const timers: { callback: () => void; ms: number }[] = [];
  const engine = new SyncEngine({
    db,
    userId: session.user.id,
    bridge: machine.bridge,
    // The transport times round trips on the same (device) clock as the engine, as in the app.
    transport: createTransport({
      baseUrl: session.serverUrl,
      fetch,
      credentials: session,
      now: deviceNow,
    }),
    now: deviceNow,
    random: () => 0.5,
    setTimeout: (callback, ms) => {
      timers.push({ callback, ms });
      return timers.length;
    },
    clearTimeout: () => undefined,
    tickEveryMs: null,
  });
  return {
    db,
    engine,
    session,
    timers,
    async record(name, args, extra = {}) {
      const row = await recordMutation(
        db,
        { name, args, ...extra },
        {
          now: () => new Date(deviceNow()),
          newId: randomUUID,
        },
      );
      await engine.journal(row);
      return row.seq;
    },
    async close() {
      engine.stop();
      await engine.idle();
      db.close();
    },
  };
}
