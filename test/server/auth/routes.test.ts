import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../server/src/app';
import { SignInAttempts } from '../../../server/src/auth/attempts';
import { registerAuth } from '../../../server/src/auth/routes';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../../server/src/auth/tokens';
import {
  createTestServer,
  TEST_INSTITUTION_ID,
  TEST_PASSWORD,
  type TestServer,
  type TestUsername,
} from '../harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface LoginBody {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; username: string; displayName: string; role: string };
}
interface ErrorJson {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

let server: TestServer;

beforeAll(async () => {
  server = await createTestServer();
});

afterAll(async () => {
  await server.close();
});

// Every test starts in fresh rate-limit windows and with fresh cached tokens.
beforeEach(() => {
  server.clock.advance(HOUR);
});

function login(
  target: TestServer,
  username: string,
  password: string,
  remoteAddress = '127.0.0.1',
) {
  return target.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username, password },
    remoteAddress,
  });
}

async function signIn(target: TestServer, username: TestUsername): Promise<LoginBody> {
  const response = await login(target, username, TEST_PASSWORD);
  expect(response.statusCode).toBe(200);
  return response.json<LoginBody>();
}

function refresh(target: TestServer, refreshToken: string, headers: Record<string, string> = {}) {
  return target.app.inject({
    method: 'POST',
    url: '/auth/refresh',
    payload: { refreshToken },
    headers,
  });
}

function me(target: TestServer, accessToken?: string) {
  return target.app.inject({
    method: 'GET',
    url: '/auth/me',
    headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
  });
}

function errorOf(response: { json: () => unknown }): ErrorJson['error'] {
  return (response.json() as ErrorJson).error;
}

describe('POST /auth/login', () => {
  it('signs in: tokens, lifetime and the user with role', async () => {
    const response = await login(server, 'reviewer1', TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    const body = response.json<LoginBody>();
    expect(body.accessToken.split('.')).toHaveLength(3);
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.expiresIn).toBe(900);
    expect(body.user).toEqual({
      id: await server.userId('reviewer1'),
      username: 'reviewer1',
      displayName: 'reviewer1',
      role: 'reviewer',
    });
    expect(response.body).not.toContain('password');
    expect((await me(server, body.accessToken)).statusCode).toBe(200);
  });

  it('a wrong password and an unknown user get the same 401', async () => {
    const wrong = await login(server, 'reviewer1', 'not the password');
    const unknown = await login(server, 'nobody', TEST_PASSWORD);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(wrong)).toEqual({
      code: 'INVALID_CREDENTIALS',
      message: 'The username or password is wrong',
    });
    expect(errorOf(unknown)).toEqual(errorOf(wrong));
  });

  it('refuses an inactive user with 403, but only with the right password', async () => {
    const right = await login(server, 'inactive1', TEST_PASSWORD);
    expect(right.statusCode).toBe(403);
    expect(errorOf(right).code).toBe('USER_INACTIVE');
    const wrong = await login(server, 'inactive1', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(errorOf(wrong).code).toBe('INVALID_CREDENTIALS');
    const rows = await server.db.query('SELECT 1 FROM refresh_tokens WHERE user_id = $1', [
      await server.userId('inactive1'),
    ]);
    expect(rows).toHaveLength(0);
  });

  it('matches usernames case-insensitively after trimming', async () => {
    const response = await login(server, '  Reviewer1 ', TEST_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json<LoginBody>().user.username).toBe('reviewer1');
    // The password is not trimmed or case-folded.
    expect((await login(server, 'reviewer1', TEST_PASSWORD.toUpperCase())).statusCode).toBe(401);
    expect((await login(server, 'reviewer1', ` ${TEST_PASSWORD}`)).statusCode).toBe(401);
  });

  it('treats SQL in the username as a plain wrong username', async () => {
    for (const username of ["' OR 1=1 --", "reviewer1' --", "x'; DROP TABLE users; --"]) {
      const response = await login(server, username, TEST_PASSWORD);
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('INVALID_CREDENTIALS');
    }
    const [count] = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(count?.n).toBe(9);
  });

  it('validates the body: required fields and length limits', async () => {
    const cases: unknown[] = [
      {},
      { username: 'reviewer1' },
      { username: 'x'.repeat(65), password: TEST_PASSWORD },
      { username: 'reviewer1', password: 'x'.repeat(1025) },
      { username: 42, password: TEST_PASSWORD },
    ];
    for (const payload of cases) {
      const response = await server.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: payload as Record<string, unknown>,
      });
      expect(response.statusCode).toBe(400);
      expect(errorOf(response).code).toBe('VALIDATION');
    }
    // Extra fields are ignored.
    const extra = await server.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'reviewer1', password: TEST_PASSWORD, remember: true },
    });
    expect(extra.statusCode).toBe(200);
  });
});

describe('authentication hook and GET /auth/me', () => {
  it('returns the principal for a valid token and 401 without one', async () => {
    const { accessToken, user } = await signIn(server, 'submitter1');
    const response = await me(server, accessToken);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: user.id,
      username: 'submitter1',
      displayName: 'submitter1',
      role: 'submitter',
      institutionId: TEST_INSTITUTION_ID,
    });
    const anonymous = await me(server);
    expect(anonymous.statusCode).toBe(401);
    expect(errorOf(anonymous).code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 TOKEN_EXPIRED once the access token is 16 minutes old', async () => {
    const { accessToken } = await signIn(server, 'reviewer1');
    server.clock.advance(14 * MINUTE);
    expect((await me(server, accessToken)).statusCode).toBe(200);
    server.clock.advance(2 * MINUTE);
    const response = await me(server, accessToken);
    expect(response.statusCode).toBe(401);
    expect(errorOf(response).code).toBe('TOKEN_EXPIRED');
  });

  it('answers 401 TOKEN_INVALID for forged tokens, garbage and malformed headers', async () => {
    const { user } = await signIn(server, 'reviewer1');
    const now = Math.floor(server.clock.now() / 1000);
    const forged = await new SignJWT({ role: 'ops_manager' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 900)
      .sign(new TextEncoder().encode('not-the-server-key-not-the-server-key'));
    for (const authorization of [
      `Bearer ${forged}`,
      'Bearer garbage',
      'Bearer a.b.c',
      'Basic cmV2aWV3ZXIxOnBhc3N3b3Jk',
      'Bearer',
    ]) {
      const response = await server.app.inject({
        method: 'GET',
        url: '/auth/me',
        headers: { authorization },
      });
      expect(response.statusCode, authorization).toBe(401);
      expect(errorOf(response).code, authorization).toBe('TOKEN_INVALID');
    }
  });

  it('a bad token is refused before the route runs, also on routes that need no sign-in', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/no-such-route',
      headers: { authorization: 'Bearer garbage' },
    });
    expect(response.statusCode).toBe(401);
    expect(errorOf(response).code).toBe('TOKEN_INVALID');
  });

  it('reads access_token from the query only on GET /sync/v1/events', async () => {
    const { accessToken } = await signIn(server, 'reviewer1');
    const elsewhere = await server.app.inject({
      method: 'GET',
      url: `/auth/me?access_token=${accessToken}`,
    });
    expect(elsewhere.statusCode).toBe(401);
    expect(errorOf(elsewhere).code).toBe('UNAUTHENTICATED');
    const bad = await server.app.inject({
      method: 'GET',
      url: '/sync/v1/events?access_token=garbage',
    });
    expect(bad.statusCode).toBe(401);
    expect(errorOf(bad).code).toBe('TOKEN_INVALID');
    server.clock.advance(16 * MINUTE);
    const expired = await server.app.inject({
      method: 'GET',
      url: `/sync/v1/events?access_token=${accessToken}`,
    });
    expect(expired.statusCode).toBe(401);
    expect(errorOf(expired).code).toBe('TOKEN_EXPIRED');
  });

  it('sets the principal on routes of other plugins, and from the query on the events route', async () => {
    // A bare app with only the accounts module and two probe routes, so a real (streaming)
    // events route is not needed to see what the hook decided.
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    app.decorateRequest('principal', null);
    await registerAuth(app, server.ctx);
    app.get('/sync/v1/events', (request) => ({ principal: request.principal }));
    await app.register((child, _options, done) => {
      child.get('/probe', (request) => ({ principal: request.principal }));
      done();
    });
    try {
      const { accessToken, user } = await signIn(server, 'ta1');
      const events = await app.inject({
        method: 'GET',
        url: `/sync/v1/events?access_token=${accessToken}`,
      });
      expect(events.json()).toMatchObject({ principal: { id: user.id, role: 'ta' } });
      const probe = await app.inject({
        method: 'GET',
        url: '/probe',
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(probe.json()).toMatchObject({ principal: { id: user.id, username: 'ta1' } });
      const anonymous = await app.inject({ method: 'GET', url: '/probe' });
      expect(anonymous.json()).toEqual({ principal: null });
      const bad = await app.inject({
        method: 'GET',
        url: '/probe',
        headers: { authorization: 'Bearer garbage' },
      });
      expect(bad.statusCode).toBe(401);
    } finally {
      await app.close();
    }
  });
});

describe('POST /auth/refresh', () => {
  it('rotates: new tokens; the old token then counts as reuse and ends the session', async () => {
    const first = await signIn(server, 'reviewer1');
    const other = await signIn(server, 'reviewer1');
    const rotated = await refresh(server, first.refreshToken);
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json<{ accessToken: string; refreshToken: string; expiresIn: number }>();
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.expiresIn).toBe(900);
    expect((await me(server, next.accessToken)).json()).toMatchObject({ id: first.user.id });

    const reused = await refresh(server, first.refreshToken);
    expect(reused.statusCode).toBe(401);
    expect(errorOf(reused).code).toBe('REFRESH_REUSED');
    const successor = await refresh(server, next.refreshToken);
    expect(successor.statusCode).toBe(401);
    expect(errorOf(successor).code).toBe('REFRESH_REVOKED');
    // The user's other session is untouched.
    expect((await refresh(server, other.refreshToken)).statusCode).toBe(200);
  });

  it('works with a stale Authorization header still attached', async () => {
    const { accessToken, refreshToken } = await signIn(server, 'reviewer1');
    server.clock.advance(20 * MINUTE);
    const response = await refresh(server, refreshToken, {
      authorization: `Bearer ${accessToken}`,
    });
    expect(response.statusCode).toBe(200);
  });

  it('refuses unknown and malformed tokens', async () => {
    const unknown = await refresh(server, Buffer.alloc(32, 1).toString('base64url'));
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(unknown).code).toBe('REFRESH_INVALID');
    const garbage = await refresh(server, "' OR 1=1 --");
    expect(garbage.statusCode).toBe(401);
    expect(errorOf(garbage).code).toBe('REFRESH_INVALID');
    const missing = await server.app.inject({ method: 'POST', url: '/auth/refresh', payload: {} });
    expect(missing.statusCode).toBe(400);
  });

  it('expires 30 days after issue, and each refresh restarts the 30 days', async () => {
    const { refreshToken } = await signIn(server, 'reviewer1');
    server.clock.advance(29 * DAY);
    const rotated = await refresh(server, refreshToken);
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json<{ refreshToken: string }>().refreshToken;
    server.clock.advance(30 * DAY - 1000);
    expect((await refresh(server, next)).statusCode).toBe(200);

    const { refreshToken: stale } = await signIn(server, 'reviewer2');
    server.clock.advance(30 * DAY);
    const expired = await refresh(server, stale);
    expect(expired.statusCode).toBe(401);
    expect(errorOf(expired).code).toBe('REFRESH_EXPIRED');
  });

  it('of one token twice at once: exactly one succeeds', async () => {
    const { refreshToken } = await signIn(server, 'reviewer1');
    const responses = await Promise.all([
      refresh(server, refreshToken),
      refresh(server, refreshToken),
    ]);
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, 401]);
    const loser = responses.find((response) => response.statusCode === 401);
    expect(loser && errorOf(loser).code).toBe('REFRESH_REUSED');
  });
});

describe('POST /auth/logout', () => {
  it('revokes the session and is idempotent', async () => {
    const { refreshToken } = await signIn(server, 'reviewer1');
    const rotated = (await refresh(server, refreshToken)).json<{ refreshToken: string }>();
    const logout = () =>
      server.app.inject({
        method: 'POST',
        url: '/auth/logout',
        payload: { refreshToken: rotated.refreshToken },
      });
    const first = await logout();
    expect(first.statusCode).toBe(204);
    expect(first.body).toBe('');
    const after = await refresh(server, rotated.refreshToken);
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).code).toBe('REFRESH_REVOKED');
    expect((await logout()).statusCode).toBe(204);
    const unknown = await server.app.inject({
      method: 'POST',
      url: '/auth/logout',
      payload: { refreshToken: 'never-issued' },
    });
    expect(unknown.statusCode).toBe(204);
  });
});

describe('refresh token in an HttpOnly cookie (web mode)', () => {
  const COOKIE_MODE = { 'x-review-desk-refresh': 'cookie' };
  const cookieOf = (response: { cookies: { name: string; value: string }[] }) =>
    response.cookies.find((cookie) => cookie.name === 'rd_refresh');

  it('hands the token over only as a Strict, HttpOnly cookie for /auth, never in the body', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'reviewer1', password: TEST_PASSWORD },
      headers: COOKIE_MODE,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<LoginBody>();
    expect(body.refreshToken).toBe('');
    expect(body.accessToken.split('.')).toHaveLength(3);
    const header = String(response.headers['set-cookie']);
    expect(header).toMatch(/^rd_refresh=[A-Za-z0-9_-]{20,};/);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    expect(header).toContain('Path=/auth');
    expect(header).toContain(`Max-Age=${String(30 * 24 * 60 * 60)}`);
    expect(response.body).not.toContain(cookieOf(response)!.value);
  });

  it('refreshes from the cookie, rotating it; the used cookie then counts as reuse', async () => {
    const signedIn = await server.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'reviewer1', password: TEST_PASSWORD },
      headers: COOKIE_MODE,
    });
    const first = cookieOf(signedIn)!.value;
    const withCookie = (value: string) =>
      server.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: {},
        headers: COOKIE_MODE,
        cookies: { rd_refresh: value },
      });
    const rotated = await withCookie(first);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json<{ refreshToken: string }>().refreshToken).toBe('');
    const second = cookieOf(rotated)!.value;
    expect(second).not.toBe(first);
    const reused = await withCookie(first);
    expect(reused.statusCode).toBe(401);
    expect(errorOf(reused).code).toBe('REFRESH_REUSED');
  });

  it('ignores the cookie without the header (what another site could make a browser send)', async () => {
    const { refreshToken } = await signIn(server, 'reviewer1');
    const forged = await server.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: {},
      cookies: { rd_refresh: refreshToken },
    });
    expect(forged.statusCode).toBe(400);
    expect(errorOf(forged).code).toBe('VALIDATION');
    // The token was not used up by the refused request.
    expect((await refresh(server, refreshToken)).statusCode).toBe(200);
  });

  it('refuses cookie mode without a cookie, and CORS never lets another origin send the header', async () => {
    const none = await server.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: {},
      headers: COOKIE_MODE,
    });
    expect(none.statusCode).toBe(401);
    expect(errorOf(none).code).toBe('REFRESH_INVALID');
    const preflight = await server.app.inject({
      method: 'OPTIONS',
      url: '/auth/refresh',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-review-desk-refresh',
      },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers'] ?? '').not.toContain(
      'x-review-desk-refresh',
    );
  });

  it('signs out from the cookie and clears it', async () => {
    const signedIn = await server.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: 'reviewer1', password: TEST_PASSWORD },
      headers: COOKIE_MODE,
    });
    const token = cookieOf(signedIn)!.value;
    const logout = await server.app.inject({
      method: 'POST',
      url: '/auth/logout',
      payload: {},
      headers: COOKIE_MODE,
      cookies: { rd_refresh: token },
    });
    expect(logout.statusCode).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(/^rd_refresh=;.*Expires=Thu, 01 Jan 1970/);
    const after = await refresh(server, token);
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).code).toBe('REFRESH_REVOKED');
  });
});

describe('deactivation after sign-in', () => {
  it('the old access token and the refresh token stop working', async () => {
    const own = await createTestServer();
    try {
      const { accessToken, refreshToken, user } = await signIn(own, 'reviewer2');
      expect((await me(own, accessToken)).statusCode).toBe(200);
      await own.db.query('UPDATE users SET active = false WHERE id = $1', [user.id]);

      const withAccess = await me(own, accessToken);
      expect(withAccess.statusCode).toBe(401);
      expect(errorOf(withAccess).code).toBe('USER_INACTIVE');
      const withRefresh = await refresh(own, refreshToken);
      expect(withRefresh.statusCode).toBe(403);
      expect(errorOf(withRefresh).code).toBe('USER_INACTIVE');

      // Reactivation does not bring the ended session back.
      await own.db.query('UPDATE users SET active = true WHERE id = $1', [user.id]);
      const again = await refresh(own, refreshToken);
      expect(again.statusCode).toBe(401);
      expect(errorOf(again).code).toBe('REFRESH_REVOKED');
      expect((await me(own, accessToken)).statusCode).toBe(200);
    } finally {
      await own.close();
    }
  });
});

describe('sign-in rate limiting', () => {
  it('locks a username after 10 failures for 15 minutes; Retry-After says how long', async () => {
    for (let i = 0; i < 10; i += 1) {
      // Different case and addresses: the limit is per (normalised) username, not per client.
      const response = await login(
        server,
        i % 2 === 0 ? 'mentor1' : ' MENTOR1',
        'wrong',
        `10.0.0.${i}`,
      );
      expect(response.statusCode).toBe(401);
    }
    const locked = await login(server, 'mentor1', TEST_PASSWORD, '10.0.1.1');
    expect(locked.statusCode).toBe(429);
    expect(errorOf(locked).code).toBe('TOO_MANY_ATTEMPTS');
    expect(locked.headers['retry-after']).toBe('900');

    // Other users are not affected.
    expect((await login(server, 'ta1', TEST_PASSWORD)).statusCode).toBe(200);

    server.clock.advance(10 * MINUTE);
    const stillLocked = await login(server, 'mentor1', TEST_PASSWORD);
    expect(stillLocked.statusCode).toBe(429);
    expect(stillLocked.headers['retry-after']).toBe('300');

    server.clock.advance(5 * MINUTE);
    expect((await login(server, 'mentor1', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('limits unknown usernames the same way', async () => {
    for (let i = 0; i < 10; i += 1) {
      expect((await login(server, 'ghost', 'wrong', `10.0.2.${i}`)).statusCode).toBe(401);
    }
    const locked = await login(server, 'ghost', 'wrong', '10.0.3.1');
    expect(locked.statusCode).toBe(429);
  });

  it('keeps a lockout in the database: across a restart and across two server nodes', async () => {
    const own = await createTestServer();
    try {
      for (let i = 0; i < 6; i += 1) {
        expect((await login(own, 'reviewer2', 'wrong', `10.0.4.${i}`)).statusCode).toBe(401);
      }
      await own.restartApp();
      // A second node over the same database sees the same window.
      const otherNode = await buildApp(own.ctx);
      try {
        for (let i = 0; i < 4; i += 1) {
          const response = await otherNode.inject({
            method: 'POST',
            url: '/auth/login',
            payload: { username: 'reviewer2', password: 'wrong' },
            remoteAddress: `10.0.5.${i}`,
          });
          expect(response.statusCode).toBe(401);
        }
        const locked = await login(own, 'reviewer2', TEST_PASSWORD, '10.0.6.1');
        expect(locked.statusCode).toBe(429);
        const lockedThere = await otherNode.inject({
          method: 'POST',
          url: '/auth/login',
          payload: { username: 'reviewer2', password: TEST_PASSWORD },
          remoteAddress: '10.0.6.2',
        });
        expect(lockedThere.statusCode).toBe(429);
      } finally {
        await otherNode.close();
      }
      const stored = await own.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM sign_in_attempts WHERE scope = 'username' AND subject = 'reviewer2'",
      );
      expect(stored[0]?.n).toBe(10);
    } finally {
      await own.close();
    }
  });

  it('counts exactly 10 of 25 parallel wrong guesses; the others wait', async () => {
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, i) => login(server, 'ta1', 'wrong', `10.0.7.${i}`)),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    expect((await login(server, 'ta1', TEST_PASSWORD, '10.0.8.1')).statusCode).toBe(429);
    server.clock.advance(15 * MINUTE);
    expect((await login(server, 'ta1', TEST_PASSWORD, '10.0.8.1')).statusCode).toBe(200);
  });

  it('prunes attempts no window reaches any more', async () => {
    const attempts = new SignInAttempts(server.db, 'ip', 3, MINUTE);
    const start = server.clock.now();
    expect(await attempts.admit('198.51.100.1', start)).toBe(0);
    expect(await attempts.admit('198.51.100.1', start + 1000)).toBe(0);
    expect(await attempts.admit('198.51.100.1', start + 2000)).toBe(0);
    expect(await attempts.admit('198.51.100.1', start + 3000)).toBe(MINUTE - 3000);
    expect(await attempts.admit('198.51.100.1', start + MINUTE + 1)).toBe(0);
    expect(await attempts.prune(start + MINUTE + 2500)).toBeGreaterThanOrEqual(3);
    const left = await server.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sign_in_attempts WHERE subject = '198.51.100.1'",
    );
    expect(left[0]?.n).toBe(1);
  });

  it('a successful sign-in clears the username failures', async () => {
    for (let i = 0; i < 9; i += 1) {
      expect((await login(server, 'assistant1', 'wrong')).statusCode).toBe(401);
    }
    expect((await login(server, 'assistant1', TEST_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 10; i += 1) {
      expect((await login(server, 'assistant1', 'wrong')).statusCode).toBe(401);
    }
    expect((await login(server, 'assistant1', TEST_PASSWORD)).statusCode).toBe(429);
  });

  it('allows 30 sign-in attempts per IP per minute, successful ones included', async () => {
    const ip = '192.0.2.10';
    for (let i = 0; i < 30; i += 1) {
      const response =
        i % 3 === 0
          ? await login(server, 'ops1', TEST_PASSWORD, ip)
          : await login(server, `nobody${i}`, 'wrong', ip);
      expect(response.statusCode).toBe(i % 3 === 0 ? 200 : 401);
      server.clock.advance(1000);
    }
    const limited = await login(server, 'ops1', TEST_PASSWORD, ip);
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('TOO_MANY_ATTEMPTS');
    // The first attempt leaves the window 60 s after it was made, i.e. 30 s from now.
    expect(limited.headers['retry-after']).toBe('30');
    // Another client is not affected.
    expect((await login(server, 'ops1', TEST_PASSWORD, '192.0.2.11')).statusCode).toBe(200);

    server.clock.advance(30 * 1000);
    expect((await login(server, 'ops1', TEST_PASSWORD, ip)).statusCode).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents the account routes with a summary', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/docs/json' });
    const doc = response.json<{ paths: Record<string, Record<string, { summary?: string }>> }>();
    expect(doc.paths['/auth/login']?.['post']?.summary).toBeTruthy();
    expect(doc.paths['/auth/refresh']?.['post']?.summary).toBeTruthy();
    expect(doc.paths['/auth/logout']?.['post']?.summary).toBeTruthy();
    expect(doc.paths['/auth/me']?.['get']?.summary).toBeTruthy();
  });
});
