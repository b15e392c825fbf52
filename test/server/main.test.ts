import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveServerConfig, type ServerConfig } from '../../server/src/config';
import { startServer, type RunningServer } from '../../server/src/main';

/** The server as `review-desk server` runs it: PGlite in a data directory, demo data, a real port. */
let dataDir: string;
let config: ServerConfig;
const said: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'review-desk-main-'));
  config = {
    ...resolveServerConfig({ dataDir, port: '0', demoPassword: 'demo-password-1' }, {}, dataDir),
    logLevel: 'silent',
  };
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function signIn(server: RunningServer, password = 'demo-password-1') {
  const response = await fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'reviewer1', password }),
  });
  return { status: response.status, body: (await response.json()) as { accessToken?: string } };
}

describe('startServer', () => {
  it('migrates and seeds an empty data directory, keeps everything across a restart', async () => {
    const first = await startServer(config, { say: (line) => said.push(line) });
    let token: string | undefined;
    try {
      const health = await fetch(`${first.url}/health`);
      expect(await health.json()).toEqual({ status: 'ok', version: '0.1.0', database: 'pglite' });
      const login = await signIn(first);
      expect(login.status).toBe(200);
      token = login.body.accessToken;
      expect(said.join('\n')).toMatch(/reviewer1.*password: demo-password-1/);
      expect((await stat(join(dataDir, 'token-secret'))).mode & 0o777).toBe(0o600);
    } finally {
      await first.close();
    }

    said.length = 0;
    const second = await startServer(config, { say: (line) => said.push(line) });
    try {
      // No second seeding, and tokens signed before the restart still verify.
      expect(said).toEqual([]);
      const me = await fetch(`${second.url}/auth/me`, {
        headers: { authorization: `Bearer ${token ?? ''}` },
      });
      expect(me.status).toBe(200);
      const [count] = await second.ctx.db.query<{ n: number }>(
        `SELECT count(*)::int8 AS n FROM users WHERE username = 'reviewer1'`,
      );
      expect(count?.n).toBe(1);
    } finally {
      await second.close();
    }
  }, 180_000);

  it('refuses a second server on the same PGlite data directory', async () => {
    const running = await startServer(config);
    try {
      await expect(startServer(config)).rejects.toThrow(
        /another review server \(pid \d+\) is using/,
      );
    } finally {
      await running.close();
    }
  }, 120_000);

  it('streams change hints and ends the stream on shutdown', async () => {
    const server = await startServer(config);
    try {
      const { body } = await signIn(server);
      const response = await fetch(
        `${server.url}/sync/v1/events?access_token=${body.accessToken ?? ''}`,
      );
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let received = '';
      while (!received.includes('event: change')) {
        const chunk = await reader.read();
        received += decoder.decode(chunk.value);
      }
      const initial = Number(/"version":(\d+)/.exec(received)?.[1]);
      expect(initial).toBeGreaterThan(0);
      server.ctx.hints.notify(initial + 5);
      while (!received.includes(`"version":${initial + 5}`)) {
        received += decoder.decode((await reader.read()).value);
      }
      const closing = server.close();
      let done = false;
      while (!done) {
        done = (await reader.read()).done;
      }
      await closing;
      expect(done).toBe(true);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('refuses an anonymous event stream', async () => {
    const server = await startServer(config);
    try {
      const response = await fetch(`${server.url}/sync/v1/events`);
      expect(response.status).toBe(401);
      const openapi = (await (await fetch(`${server.url}/docs/json`)).json()) as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(openapi.paths)).toEqual(
        expect.arrayContaining([
          '/auth/login',
          '/sync/v1/push',
          '/sync/v1/pull',
          '/api/v1/listings',
          '/api/v1/listings/{id}/submit',
          '/api/v1/homework',
        ]),
      );
    } finally {
      await server.close();
    }
  }, 120_000);
});
