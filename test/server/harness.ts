import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../../server/src/app';
import { createUser } from '../../server/src/auth/users';
import { ManualClock } from '../../server/src/clock';
import { resolveServerConfig, type ServerConfig } from '../../server/src/config';
import type { ServerContext } from '../../server/src/context';
import {
  openPgliteFromDump,
  openPostgres,
  PGLITE_PARSERS,
  wrapPglite,
  type Database,
} from '../../server/src/db/database';
import { migrate } from '../../server/src/db/migrate';
import { createLocalStorage } from '../../server/src/files/localStorage';
import { createChangeHints } from '../../server/src/hints';
import type { Role } from '#shared/domain/roles';

/**
 * Test servers for the server suites. By default each gets a fresh embedded PGlite restored
 * from a template (migrated, with one user per role) built once per worker; with
 * `REVIEW_DESK_TEST_DATABASE_URL` set, each gets its own database on that real PostgreSQL.
 */
export const TEST_PASSWORD = 'correct horse battery staple';

/** Fixed start of test time: 2026-11-21 09:00 in Shanghai. */
export const TEST_EPOCH = Date.parse('2026-11-21T01:00:00.000Z');

export const TEST_USERS = {
  submitter1: 'submitter',
  collaborator1: 'collaborator',
  assistant1: 'assistant',
  reviewer1: 'reviewer',
  reviewer2: 'reviewer',
  ops1: 'ops_manager',
  ta1: 'ta',
  mentor1: 'mentor',
  inactive1: 'reviewer',
} as const satisfies Record<string, Role>;
export type TestUsername = keyof typeof TEST_USERS;

export const TEST_INSTITUTION_ID = '00000000-0000-4000-8000-000000000001';
export const OTHER_INSTITUTION_ID = '00000000-0000-4000-8000-000000000002';

export const postgresUrl = process.env['REVIEW_DESK_TEST_DATABASE_URL'];
export const databaseKind = postgresUrl === undefined ? 'pglite' : 'postgres';

async function seedBase(db: Database, nowMs: number): Promise<void> {
  await db.transaction(async (tx) => {
    const created = new Date(nowMs).toISOString();
    await tx.query(
      `INSERT INTO institutions (id, name, kind, credit_code, created_at) VALUES
         ($1, '杭州明远教育科技有限公司', 'institution', '91330106MA2H3K7X5Q', $3),
         ($2, '上海远航留学服务有限公司', 'institution', '91110000600037341L', $3)`,
      [TEST_INSTITUTION_ID, OTHER_INSTITUTION_ID, created],
    );
    for (const [username, role] of Object.entries(TEST_USERS)) {
      await createUser(
        tx,
        {
          username,
          displayName: username,
          role,
          password: TEST_PASSWORD,
          institutionId:
            role === 'submitter' || role === 'collaborator' ? TEST_INSTITUTION_ID : null,
          active: username !== 'inactive1',
        },
        nowMs,
      );
    }
  });
}

let template: Promise<Blob> | null = null;

function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
    const db = wrapPglite(pglite);
    await migrate(db);
    await seedBase(db, TEST_EPOCH);
    const dump = await pglite.dumpDataDir('gzip');
    await pglite.close();
    return dump;
  })();
  return template;
}

async function freshDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (postgresUrl === undefined) {
    const db = await openPgliteFromDump(await pgliteTemplate());
    return { db, drop: () => db.close() };
  }
  const name = `rd_test_${randomUUID().replace(/-/g, '')}`;
  const admin = openPostgres(postgresUrl, { maxConnections: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  const db = openPostgres(url.toString(), { maxConnections: 20 });
  await migrate(db);
  await seedBase(db, TEST_EPOCH);
  return {
    db,
    drop: async () => {
      await db.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

export interface TestServer {
  /** The current application; `restartApp` replaces it (same database, fresh process state). */
  readonly app: App;
  /** Simulates a server restart: closes the app and builds a new one over the same database. */
  restartApp(): Promise<void>;
  readonly ctx: ServerContext;
  readonly db: Database;
  readonly clock: ManualClock;
  readonly dataDir: string;
  /** Id of a seeded user. */
  userId(username: TestUsername): Promise<string>;
  /** Signs in through POST /auth/login and returns the access token. */
  token(username: TestUsername): Promise<string>;
  /** Sends a request as the given user (JSON body). */
  as(
    username: TestUsername,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Wraps the database the app uses (fault injection); setup and teardown use the real one. */
  readonly wrapDb?: (db: Database) => Database;
}

export async function createTestServer(
  overrides: Partial<ServerConfig> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'review-desk-server-'));
  const { db: realDb, drop } = await freshDatabase();
  const db = options.wrapDb === undefined ? realDb : options.wrapDb(realDb);
  const clock = new ManualClock(TEST_EPOCH);
  const config: ServerConfig = {
    ...resolveServerConfig({ dataDir, seed: false }, {}, dataDir),
    logLevel: 'silent',
    ...overrides,
  };
  const ctx: ServerContext = {
    config,
    db,
    clock,
    storage: createLocalStorage(join(dataDir, 'files')),
    hints: createChangeHints(),
    tokenKey: new TextEncoder().encode('test-signing-key-test-signing-key!!'),
  };
  let app = await buildApp(ctx);
  await app.ready();
  // Access tokens live 15 minutes of server time; tests move the clock by hours, so a cached
  // token is reused only while it is fresh on the test clock.
  const tokens = new Map<string, { token: string; at: number }>();
  const server: TestServer = {
    get app() {
      return app;
    },
    async restartApp() {
      await app.close();
      app = await buildApp(ctx);
      await app.ready();
    },
    ctx,
    db,
    clock,
    dataDir,
    async userId(username) {
      const [row] = await db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [
        username,
      ]);
      if (row === undefined) {
        throw new Error(`no test user ${username}`);
      }
      return row.id;
    },
    async token(username) {
      const cached = tokens.get(username);
      if (cached !== undefined && clock.now() - cached.at < 5 * 60_000) {
        return cached.token;
      }
      const response = await server.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username, password: TEST_PASSWORD },
      });
      if (response.statusCode !== 200) {
        throw new Error(`login of ${username} failed: ${response.statusCode} ${response.body}`);
      }
      const { accessToken } = response.json<{ accessToken: string }>();
      tokens.set(username, { token: accessToken, at: clock.now() });
      return accessToken;
    },
    async as(username, method, url, body) {
      const token = await server.token(username);
      return server.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
    },
    async close() {
      await server.app.close();
      await drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
