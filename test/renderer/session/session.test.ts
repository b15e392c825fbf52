import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resumeSession, signIn } from '../../../renderer/src/session/session';
import { createTestServer, TEST_PASSWORD, type TestServer } from '../../server/harness';
import { injectFetch } from '../support/injectFetch';
import { MemoryBridge } from '../support/memoryBridge';
import { createWebBridge, WEB_SESSION_KEY } from '../../../renderer/src/bridge/web';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});

const serverUrl = 'http://review.test/';

describe('signIn', () => {
  it('signs in, keeps the session on the device and trims the server URL', async () => {
    const bridge = new MemoryBridge();
    const { fetch } = injectFetch(server);
    const result = await signIn({
      serverUrl,
      username: 'reviewer1',
      password: TEST_PASSWORD,
      bridge,
      fetch,
    });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.session.user).toMatchObject({ username: 'reviewer1', role: 'reviewer' });
      expect(result.session.serverUrl).toBe('http://review.test');
      expect(result.session.protection).toBe('os');
    }
    expect(bridge.session_).toMatchObject({
      username: 'reviewer1',
      serverUrl: 'http://review.test',
    });
  });

  it.each([
    ['a wrong password', 'reviewer1', 'nope', 'invalid_credentials'],
    ['an unknown user', 'nobody', 'nope', 'invalid_credentials'],
    ['an inactive member', 'inactive1', TEST_PASSWORD, 'inactive'],
  ])('reports %s', async (_what, username, password, code) => {
    const bridge = new MemoryBridge();
    const { fetch } = injectFetch(server);
    const result = await signIn({ serverUrl, username, password, bridge, fetch });
    expect(result).toMatchObject({ ok: false, failure: { code } });
    expect(bridge.session_).toBeNull();
  });

  it('reports an unreachable server and a rate limit with its wait', async () => {
    const bridge = new MemoryBridge();
    const { fetch, faults } = injectFetch(server);
    faults.offline = true;
    expect(
      await signIn({ serverUrl, username: 'reviewer1', password: 'x', bridge, fetch }),
    ).toMatchObject({
      ok: false,
      failure: { code: 'unreachable' },
    });
    faults.offline = false;
    let last;
    for (let attempt = 0; attempt < 11; attempt += 1) {
      last = await signIn({ serverUrl, username: 'reviewer2', password: 'wrong', bridge, fetch });
    }
    expect(last).toMatchObject({ ok: false, failure: { code: 'rate_limited' } });
    expect(
      (last as { failure: { retryAfterSeconds: number } }).failure.retryAfterSeconds,
    ).toBeGreaterThan(0);
    server.clock.advance(16 * 60_000);
  });
});

describe('resumeSession', () => {
  it('has nothing to resume on a fresh device', async () => {
    const { fetch } = injectFetch(server);
    expect(await resumeSession({ bridge: new MemoryBridge(), fetch })).toEqual({ kind: 'none' });
  });

  it('resumes online, offline, or asks to sign in again when the session expired', async () => {
    const bridge = new MemoryBridge();
    const { fetch, faults } = injectFetch(server);
    await signIn({ serverUrl, username: 'ops1', password: TEST_PASSWORD, bridge, fetch });

    const online = await resumeSession({ bridge, fetch });
    expect(online.kind).toBe('online');

    faults.offline = true;
    const offline = await resumeSession({ bridge, fetch });
    expect(offline.kind).toBe('offline');
    if (offline.kind === 'offline') {
      expect(offline.session.accessToken()).toBeNull();
      expect(offline.session.user.username).toBe('ops1');
    }

    faults.offline = false;
    server.clock.advance(31 * 24 * 3_600_000);
    const expired = await resumeSession({ bridge, fetch });
    expect(expired).toMatchObject({ kind: 'expired', stored: { username: 'ops1' } });
  });

  it('refreshes once for several callers at the same moment (a reused refresh token ends the session)', async () => {
    const bridge = new MemoryBridge();
    const { fetch, faults } = injectFetch(server);
    const signed = await signIn({
      serverUrl,
      username: 'ta1',
      password: TEST_PASSWORD,
      bridge,
      fetch,
    });
    if (!signed.ok) {
      throw new Error('sign-in failed');
    }
    faults.log.length = 0;
    const answers = await Promise.all([
      signed.session.refresh(),
      signed.session.refresh(),
      signed.session.refresh(),
    ]);
    expect(answers).toEqual([true, true, true]);
    expect(faults.log.filter((path) => path === '/auth/refresh')).toHaveLength(1);
    expect(await signed.session.refresh()).toBe(true);
  });

  it('signs out on the server and on the device', async () => {
    const bridge = new MemoryBridge();
    const { fetch } = injectFetch(server);
    const signed = await signIn({
      serverUrl,
      username: 'mentor1',
      password: TEST_PASSWORD,
      bridge,
      fetch,
    });
    if (!signed.ok) {
      throw new Error('sign-in failed');
    }
    const refreshToken = bridge.session_?.refreshToken;
    await signed.session.signOut();
    expect(bridge.session_).toBeNull();
    const refresh = await server.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });
});

describe('web mode: the refresh token in an HttpOnly cookie', () => {
  it('signs in, resumes, refreshes and signs out without the token ever reaching storage', async () => {
    const values = new Map<string, string>();
    const storage = {
      getItem: (key: string) => values.get(key) ?? null,
      setItem: (key: string, value: string) => void values.set(key, value),
      removeItem: (key: string) => void values.delete(key),
    };
    const bridge = createWebBridge({ storage, origin: 'http://review.test' });
    const { fetch, cookies } = injectFetch(server);
    const signed = await signIn({
      serverUrl,
      username: 'reviewer2',
      password: TEST_PASSWORD,
      bridge,
      fetch,
    });
    if (!signed.ok) {
      throw new Error('sign-in failed');
    }
    const issued = cookies.get('rd_refresh');
    expect(issued).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(values.get(WEB_SESSION_KEY)).toBeDefined();
    expect(values.get(WEB_SESSION_KEY)).not.toContain(issued);
    expect(signed.session.protection).toBe('browser');

    // A reload: the stored session comes back and the cookie refreshes it (and rotates).
    const resumed = await resumeSession({ bridge, fetch });
    expect(resumed.kind).toBe('online');
    const rotated = cookies.get('rd_refresh');
    expect(rotated).toBeDefined();
    expect(rotated).not.toBe(issued);
    expect([...values.values()].join()).not.toContain(rotated);

    if (resumed.kind !== 'online') {
      throw new Error('not resumed');
    }
    await resumed.session.signOut();
    expect(values.has(WEB_SESSION_KEY)).toBe(false);
    expect(cookies.has('rd_refresh')).toBe(false);
    const after = await server.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: rotated },
    });
    expect(after.statusCode).toBe(401);
  });
});
