import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItemRecord } from '#shared/sync/rows';
import { ReviewDeskDb } from '../../../renderer/src/db/database';
import { ensureClientId, recordMutation } from '../../../renderer/src/db/outbox';
import { signIn } from '../../../renderer/src/session/session';
import { SyncEngine } from '../../../renderer/src/sync/engine';
import { createTransport, type FetchLike } from '../../../renderer/src/sync/transport';
import { openPglite, openPostgres } from '../../../server/src/db/database';
import { MemoryBridge } from '../../renderer/support/memoryBridge';
import { postgresUrl } from '../harness';

/**
 * Sync research §3 scenario 29, Jepsen-style: workstations deciding as fast as they can against
 * the review server running as its own process (`review-desk server`), which is killed with
 * SIGKILL at random moments — mid-push included — and restarted on the same data directory
 * (PGlite) or database (PostgreSQL), while each workstation's network is partitioned at random:
 * requests that never arrive, answers that never come back. After the faults heal, every
 * decision must have exactly one outcome, the same on the device and on the server (0 lost,
 * 0 doubled), and every cache must agree with the server.
 *
 * `REVIEW_DESK_SOAK_SECONDS` sets how long the faults go on (30 s on CI, 12 s otherwise).
 */
const SOAK_SECONDS = Number(
  process.env['REVIEW_DESK_SOAK_SECONDS'] ?? (process.env['CI'] === 'true' ? 30 : 12),
);
const PASSWORD = 'soak-password-1';
const ROOT = join(import.meta.dirname, '..', '..', '..');

let dataDir: string;
let port: number;
let databaseUrl: string | null = null;
let dropDatabase: () => Promise<void> = () => Promise.resolve();
/** Pushes that were under way, or sent to a dead server, when it was killed. */
let pushesCutOff = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'review-desk-soak-'));
  port = await freePort();
  if (postgresUrl !== undefined) {
    const name = `rd_soak_${randomUUID().replace(/-/g, '')}`;
    const admin = openPostgres(postgresUrl, { maxConnections: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    };
  }
});
afterAll(async () => {
  await dropDatabase();
  await rm(dataDir, { recursive: true, force: true });
});

/** The review server as its own process, killed without warning and started again. */
class ServerProcess {
  private child: ChildProcess | null = null;
  kills = 0;
  readonly url = () => `http://127.0.0.1:${port}`;

  async start(): Promise<void> {
    const args = ['bin/review-desk.js', 'server', '--data-dir', dataDir, '--port', String(port)];
    args.push('--demo-password', PASSWORD);
    if (databaseUrl !== null) {
      args.push('--database-url', databaseUrl);
    }
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, PORT: '', DATABASE_URL: '', NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    let said = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes('ReviewDesk review server on')) {
          resolve();
        }
      });
      child.once('exit', (code) => {
        reject(new Error(`the server exited (${String(code)}) before it was ready:\n${said}`));
      });
    });
  }

  /** SIGKILL: no shutdown, no flush, whatever was in flight is cut off. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === null) {
      return;
    }
    this.child = null;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.kills += 1;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === null) {
      return;
    }
    this.child = null;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

type Partition = 'connected' | 'requests_lost' | 'answers_lost';

/** One computer with the workstation: its own IndexedDB, journal, network and sync engine. */
interface Client {
  readonly name: string;
  readonly db: ReviewDeskDb;
  readonly engine: SyncEngine;
  readonly userId: string;
  partition: Partition;
  readonly recorded: { seq: number; mutationId: string; name: string }[];
}

async function openClient(server: ServerProcess, username: string, index: number): Promise<Client> {
  const bridge = new MemoryBridge();
  let client: Client | null = null;
  const network: FetchLike = async (input, init) => {
    const partition = client?.partition ?? 'connected';
    if (partition === 'requests_lost') {
      throw new TypeError('Failed to fetch (partitioned)');
    }
    let response: Response;
    try {
      response = await fetch(input, { ...init, signal: AbortSignal.timeout(20_000) });
    } catch (error) {
      if (input.endsWith('/sync/v1/push')) {
        pushesCutOff += 1;
      }
      throw error;
    }
    if (partition === 'answers_lost') {
      await response.arrayBuffer().catch(() => undefined);
      throw new TypeError('network error: connection reset (partitioned)');
    }
    return response;
  };
  const signed = await signIn({
    serverUrl: server.url(),
    username,
    password: PASSWORD,
    bridge,
    fetch,
  });
  if (!signed.ok) {
    throw new Error(`sign-in of ${username} failed: ${JSON.stringify(signed.failure)}`);
  }
  const db = new ReviewDeskDb(signed.session.user.id, { indexedDB: new IDBFactory(), IDBKeyRange });
  await ensureClientId(db, randomUUID);
  const engine = new SyncEngine({
    db,
    userId: signed.session.user.id,
    bridge,
    transport: createTransport({
      baseUrl: signed.session.serverUrl,
      fetch: network,
      credentials: signed.session,
    }),
    setTimeout: () => 0,
    clearTimeout: () => undefined,
    tickEveryMs: null,
  });
  client = {
    name: `${username}#${index}`,
    db,
    engine,
    userId: signed.session.user.id,
    partition: 'connected',
    recorded: [],
  };
  return client;
}

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

async function record(client: Client, name: string, args: unknown): Promise<void> {
  const row = await recordMutation(
    client.db,
    { name, args },
    {
      now: () => new Date(),
      newId: randomUUID,
    },
  );
  client.recorded.push({ seq: row.seq, mutationId: row.mutationId, name });
}

/** One reviewer's step: take an open item from the cache and claim, decide, comment or release it. */
async function work(client: Client): Promise<void> {
  const items = (await client.db.mirror('review_items').toArray()) as unknown as ReviewItemRecord[];
  const open = items.filter(
    (item) =>
      item.kind === 'listing_revision' && (item.state === 'pending' || item.state === 'in_review'),
  );
  const item = open.length > 0 ? pick(open) : items.length > 0 ? pick(items) : null;
  if (item === null) {
    return;
  }
  const itemId = item.id;
  const roll = Math.random();
  if (roll < 0.35) {
    await record(client, 'claim', { itemId });
    await record(client, 'approve', { itemId });
  } else if (roll < 0.55) {
    await record(client, 'claim', { itemId });
    await record(client, 'reject', {
      itemId,
      reasons: ['unclear_description'],
      comments: [{ path: '/basic/title', reasonCode: 'unclear_description', text: '标题不清楚' }],
    });
  } else if (roll < 0.8) {
    await record(client, 'comment', { itemId, path: '/basic/title', text: `意见 ${randomUUID()}` });
  } else {
    await record(client, 'claim', { itemId });
    await record(client, 'release', { itemId });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scenario 29: kill -9 of the server and network partitions under load', () => {
  it(
    'loses nothing and doubles nothing, and every cache converges',
    async () => {
      const server = new ServerProcess();
      await server.start();
      const clients: Client[] = [];
      for (const [index, username] of [
        'reviewer1',
        'reviewer1',
        'reviewer2',
        'reviewer2',
        'ops1',
        'reviewer1',
      ].entries()) {
        clients.push(await openClient(server, username, index));
      }
      for (const client of clients) {
        expect(await client.engine.syncOnce()).toBe('done');
      }

      const until = Date.now() + SOAK_SECONDS * 1000;
      let serverUp = true;
      const chaos = (async () => {
        while (Date.now() < until) {
          await sleep(1500 + Math.random() * 2500);
          await server.kill();
          serverUp = false;
          await sleep(Math.random() * 1000);
          await server.start();
          serverUp = true;
        }
      })();
      const workers = clients.map(async (client) => {
        while (Date.now() < until) {
          const roll = Math.random();
          client.partition =
            roll < 0.15 ? 'requests_lost' : roll < 0.3 ? 'answers_lost' : 'connected';
          await work(client);
          await client.engine.syncOnce();
          await sleep(Math.random() * 150);
        }
      });
      await Promise.all([chaos, ...workers]);
      expect(serverUp).toBe(true);

      // The faults heal: every outbox drains.
      for (const client of clients) {
        client.partition = 'connected';
      }
      for (let round = 0; round < 10; round += 1) {
        const outcomes = await Promise.all(clients.map((client) => client.engine.syncOnce()));
        const pending = await Promise.all(clients.map((client) => client.db.outbox.count()));
        if (outcomes.every((outcome) => outcome === 'done') && pending.every((n) => n === 0)) {
          break;
        }
        await sleep(500);
      }
      // One more round so every cache has seen everyone's last effects.
      for (const client of clients) {
        expect(await client.engine.syncOnce(), client.name).toBe('done');
      }

      // Read the server's tables once it has stopped (PGlite's data directory has one owner).
      await server.stop();
      await checkInvariants(clients, await readServerState());
      console.warn(
        `scenario 29 (${databaseUrl === null ? 'PGlite' : 'PostgreSQL'}): ${SOAK_SECONDS} s, ` +
          `${server.kills} kills, ${pushesCutOff} pushes cut off, ${clients.reduce((n, c) => n + c.recorded.length, 0)} mutations ` +
          `from ${clients.length} workstations`,
      );
      expect(server.kills).toBeGreaterThanOrEqual(Math.floor(SOAK_SECONDS / 8));
    },
    (SOAK_SECONDS + 240) * 1000,
  );
});

interface ServerState {
  readonly results: { client_id: string; seq: number; mutation_id: string; status: string }[];
  readonly decisions: { item_id: string; n: number }[];
  /** Mutations that produced a decision row (demo data's decisions have none). */
  readonly decidedBy: { mutation_id: string }[];
  readonly items: { id: string; state: string }[];
}

async function readServerState(): Promise<ServerState> {
  const db =
    databaseUrl === null ? await openPglite(join(dataDir, 'pgdata')) : openPostgres(databaseUrl);
  try {
    return {
      results: await db.query(
        `SELECT client_id, seq, mutation_id, status FROM sync_mutation_results`,
      ),
      decisions: await db.query(
        `SELECT item_id, count(*)::int8 AS n FROM decisions GROUP BY item_id`,
      ),
      decidedBy: await db.query(`SELECT mutation_id FROM decisions WHERE mutation_id IS NOT NULL`),
      items: await db.query(`SELECT id, state FROM review_items`),
    };
  } finally {
    await db.close();
  }
}

async function checkInvariants(clients: readonly Client[], state: ServerState): Promise<void> {
  const byMutation = new Map<string, { status: string; count: number }>();
  for (const row of state.results) {
    if (row.status === 'duplicate') {
      continue;
    }
    const seen = byMutation.get(row.mutation_id);
    byMutation.set(row.mutation_id, { status: row.status, count: (seen?.count ?? 0) + 1 });
  }
  let lost = 0;
  let doubled = 0;
  let disagreeing = 0;
  const appliedDecisions: string[] = [];
  for (const client of clients) {
    expect(await client.db.outbox.count(), client.name).toBe(0);
    const local = new Map((await client.db.results.toArray()).map((row) => [row.mutationId, row]));
    for (const mutation of client.recorded) {
      const mine = local.get(mutation.mutationId);
      const theirs = byMutation.get(mutation.mutationId);
      if (mine === undefined || theirs === undefined) {
        lost += 1;
        continue;
      }
      if (theirs.count !== 1) {
        doubled += 1;
      }
      if (mine.status !== theirs.status) {
        disagreeing += 1;
      }
      if (
        mine.status === 'applied' &&
        (mutation.name === 'approve' || mutation.name === 'reject')
      ) {
        appliedDecisions.push(mutation.mutationId);
      }
    }
  }
  expect({ lost, doubled, disagreeing }).toEqual({ lost: 0, doubled: 0, disagreeing: 0 });
  expect(state.decisions.filter((row) => row.n > 1)).toEqual([]);
  // Each applied approval or rejection made exactly one decision row, and nothing else made one.
  expect(state.decidedBy.map((row) => row.mutation_id).sort()).toEqual(appliedDecisions.sort());

  const serverStates = new Map(state.items.map((item) => [item.id, item.state]));
  for (const client of clients) {
    const cached = (await client.db
      .mirror('review_items')
      .toArray()) as unknown as ReviewItemRecord[];
    const differing = cached.filter((item) => serverStates.get(item.id) !== item.state);
    expect(
      differing.map((item) => item.id),
      client.name,
    ).toEqual([]);
  }
}
