import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  hashRefreshToken,
  issueAccessToken,
  issueRefreshToken,
  revokeAllRefreshTokensOfUser,
  rotateRefreshToken,
  startRefreshFamily,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  verifyAccessToken,
} from '../../../server/src/auth/tokens';
import { HttpError } from '../../../server/src/http/errors';
import { createTestServer, TEST_EPOCH, type TestServer } from '../harness';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let server: TestServer;
let reviewerId: string;

beforeAll(async () => {
  server = await createTestServer();
  reviewerId = await server.userId('reviewer1');
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.clock.set(TEST_EPOCH);
});

/** The HttpError a promise rejects with (fails the test if it resolves or throws anything else). */
async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HttpError);
  return caught as HttpError;
}

async function expectHttpError(promise: Promise<unknown>, status: number, code: string) {
  const error = await rejection(promise);
  expect({ status: error.statusCode, code: error.code }).toEqual({ status, code });
}

interface TokenRow {
  id: string;
  family_id: string;
  used_at: string | null;
  revoked_at: string | null;
  replaced_by: string | null;
  expires_at: string;
}

async function tokenRow(token: string): Promise<TokenRow> {
  const [row] = await server.db.query<TokenRow>(
    `SELECT id, family_id, used_at, revoked_at, replaced_by, expires_at
       FROM refresh_tokens WHERE token_hash = $1`,
    [hashRefreshToken(token)],
  );
  if (row === undefined) {
    throw new Error('refresh token not stored');
  }
  return row;
}

describe('access tokens', () => {
  it('round-trips the user id and role', async () => {
    const token = await issueAccessToken(server.ctx, { id: reviewerId, role: 'reviewer' });
    expect(await verifyAccessToken(server.ctx, token)).toEqual({
      userId: reviewerId,
      role: 'reviewer',
    });
  });

  it('carries issuer, audience and a 15-minute lifetime from the server clock', async () => {
    const token = await issueAccessToken(server.ctx, { id: reviewerId, role: 'reviewer' });
    const [, payloadPart] = token.split('.');
    const payload = JSON.parse(Buffer.from(payloadPart ?? '', 'base64url').toString('utf8')) as {
      sub: string;
      iss: string;
      aud: string;
      iat: number;
      exp: number;
      role: string;
    };
    expect(payload).toMatchObject({
      sub: reviewerId,
      iss: 'review-desk',
      aud: 'review-desk-workstation',
      role: 'reviewer',
      iat: TEST_EPOCH / 1000,
      exp: (TEST_EPOCH + 15 * MINUTE) / 1000,
    });
  });

  it('is valid just before 15 minutes and expired at 15 minutes', async () => {
    const token = await issueAccessToken(server.ctx, { id: reviewerId, role: 'reviewer' });
    server.clock.advance(15 * MINUTE - 1000);
    await expect(verifyAccessToken(server.ctx, token)).resolves.toMatchObject({
      userId: reviewerId,
    });
    server.clock.advance(1000);
    await expectHttpError(verifyAccessToken(server.ctx, token), 401, 'TOKEN_EXPIRED');
  });

  it('rejects a token signed with another key as invalid, even when it has expired', async () => {
    const forge = (exp: number) =>
      new SignJWT({ role: 'ops_manager' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(reviewerId)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(Math.floor(TEST_EPOCH / 1000))
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode('another-key-another-key-another-key'));
    await expectHttpError(
      verifyAccessToken(server.ctx, await forge(Math.floor(TEST_EPOCH / 1000) + 900)),
      401,
      'TOKEN_INVALID',
    );
    await expectHttpError(
      verifyAccessToken(server.ctx, await forge(Math.floor(TEST_EPOCH / 1000) - 10)),
      401,
      'TOKEN_INVALID',
    );
  });

  it('rejects garbage, unsigned tokens and tokens for another audience or issuer', async () => {
    await expectHttpError(verifyAccessToken(server.ctx, 'garbage'), 401, 'TOKEN_INVALID');
    await expectHttpError(verifyAccessToken(server.ctx, 'a.b.c'), 401, 'TOKEN_INVALID');
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'none' })}.${encode({
      sub: reviewerId,
      role: 'ops_manager',
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      iat: TEST_EPOCH / 1000,
      exp: TEST_EPOCH / 1000 + 900,
    })}.`;
    await expectHttpError(verifyAccessToken(server.ctx, unsigned), 401, 'TOKEN_INVALID');
    const signWith = (issuer: string, audience: string) =>
      new SignJWT({ role: 'reviewer' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(reviewerId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(TEST_EPOCH / 1000)
        .setExpirationTime(TEST_EPOCH / 1000 + 900)
        .sign(server.ctx.tokenKey);
    await expectHttpError(
      verifyAccessToken(server.ctx, await signWith(TOKEN_ISSUER, 'someone-else')),
      401,
      'TOKEN_INVALID',
    );
    await expectHttpError(
      verifyAccessToken(server.ctx, await signWith('someone-else', TOKEN_AUDIENCE)),
      401,
      'TOKEN_INVALID',
    );
    // Our key and claims, but a subject that is not a user id.
    const badSubject = await new SignJWT({ role: 'reviewer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject("' OR 1=1 --")
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(TEST_EPOCH / 1000)
      .setExpirationTime(TEST_EPOCH / 1000 + 900)
      .sign(server.ctx.tokenKey);
    await expectHttpError(verifyAccessToken(server.ctx, badSubject), 401, 'TOKEN_INVALID');
  });
});

describe('refresh tokens', () => {
  it('are 32 random bytes in base64url, stored only as a SHA-256 hash', async () => {
    const { refreshToken, familyId } = await startRefreshFamily(server.ctx, reviewerId);
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(refreshToken, 'base64url')).toHaveLength(32);
    const rows = await server.db.query<{ token_hash: string; user_id: string; expires_at: string }>(
      'SELECT token_hash, user_id, expires_at FROM refresh_tokens WHERE family_id = $1',
      [familyId],
    );
    expect(rows).toEqual([
      {
        token_hash: createHash('sha256').update(refreshToken).digest('hex'),
        user_id: reviewerId,
        expires_at: new Date(TEST_EPOCH + 30 * DAY).toISOString(),
      },
    ]);
    const stored = await server.db.query('SELECT 1 FROM refresh_tokens WHERE token_hash = $1', [
      refreshToken,
    ]);
    expect(stored).toHaveLength(0);
  });

  it('rotate: the presented token is used up and replaced by a successor in the same family', async () => {
    const first = await startRefreshFamily(server.ctx, reviewerId);
    server.clock.advance(MINUTE);
    const rotated = await rotateRefreshToken(server.ctx, first.refreshToken);
    expect(rotated.userId).toBe(reviewerId);
    expect(rotated.role).toBe('reviewer');
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    const old = await tokenRow(first.refreshToken);
    const successor = await tokenRow(rotated.refreshToken);
    expect(old.used_at).toBe(new Date(TEST_EPOCH + MINUTE).toISOString());
    expect(old.replaced_by).toBe(successor.id);
    expect(successor.family_id).toBe(first.familyId);
    expect(successor.used_at).toBeNull();
    expect(successor.expires_at).toBe(new Date(TEST_EPOCH + MINUTE + 30 * DAY).toISOString());
  });

  it('reuse of a used token revokes the whole family', async () => {
    const first = await startRefreshFamily(server.ctx, reviewerId);
    const other = await startRefreshFamily(server.ctx, reviewerId);
    const second = await rotateRefreshToken(server.ctx, first.refreshToken);
    await expectHttpError(
      rotateRefreshToken(server.ctx, first.refreshToken),
      401,
      'REFRESH_REUSED',
    );
    expect((await tokenRow(second.refreshToken)).revoked_at).not.toBeNull();
    await expectHttpError(
      rotateRefreshToken(server.ctx, second.refreshToken),
      401,
      'REFRESH_REVOKED',
    );
    await expectHttpError(
      rotateRefreshToken(server.ctx, first.refreshToken),
      401,
      'REFRESH_REVOKED',
    );
    // Another sign-in of the same user is a different family and keeps working.
    await expect(rotateRefreshToken(server.ctx, other.refreshToken)).resolves.toMatchObject({
      userId: reviewerId,
    });
  });

  it('unknown and malformed tokens are invalid', async () => {
    await expectHttpError(
      rotateRefreshToken(server.ctx, Buffer.alloc(32, 7).toString('base64url')),
      401,
      'REFRESH_INVALID',
    );
    await expectHttpError(rotateRefreshToken(server.ctx, ''), 401, 'REFRESH_INVALID');
    await expectHttpError(rotateRefreshToken(server.ctx, "' OR 1=1 --"), 401, 'REFRESH_INVALID');
  });

  it('expire 30 days after issue', async () => {
    const { refreshToken } = await startRefreshFamily(server.ctx, reviewerId);
    server.clock.advance(30 * DAY);
    await expectHttpError(rotateRefreshToken(server.ctx, refreshToken), 401, 'REFRESH_EXPIRED');
  });

  it('the family slides forward: each successor lives 30 days from its own issue', async () => {
    let { refreshToken } = await startRefreshFamily(server.ctx, reviewerId);
    for (let i = 0; i < 3; i += 1) {
      server.clock.advance(29 * DAY);
      ({ refreshToken } = await rotateRefreshToken(server.ctx, refreshToken));
    }
  });

  it('two concurrent rotations of one token: exactly one succeeds', async () => {
    const { refreshToken } = await startRefreshFamily(server.ctx, reviewerId);
    const results = await Promise.allSettled([
      rotateRefreshToken(server.ctx, refreshToken),
      rotateRefreshToken(server.ctx, refreshToken),
    ]);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    const reason: unknown = rejected[0]?.reason;
    expect(reason).toBeInstanceOf(HttpError);
    expect((reason as HttpError).code).toBe('REFRESH_REUSED');
  });

  it('an inactive user cannot refresh (403) and the family stays revoked', async () => {
    const server2 = await createTestServer();
    try {
      const userId = await server2.userId('reviewer2');
      const { refreshToken } = await startRefreshFamily(server2.ctx, userId);
      await server2.db.query('UPDATE users SET active = false WHERE id = $1', [userId]);
      await expectHttpError(rotateRefreshToken(server2.ctx, refreshToken), 403, 'USER_INACTIVE');
      const rows = await server2.db.query<{ revoked_at: string | null }>(
        'SELECT revoked_at FROM refresh_tokens WHERE user_id = $1',
        [userId],
      );
      expect(rows.map((row) => row.revoked_at)).toEqual([new Date(TEST_EPOCH).toISOString()]);
      await server2.db.query('UPDATE users SET active = true WHERE id = $1', [userId]);
      await expectHttpError(rotateRefreshToken(server2.ctx, refreshToken), 401, 'REFRESH_REVOKED');
    } finally {
      await server2.close();
    }
  });

  it('revokeAllRefreshTokensOfUser ends every session of that user only', async () => {
    const mentorId = await server.userId('mentor1');
    const taId = await server.userId('ta1');
    const a = await startRefreshFamily(server.ctx, mentorId);
    const b = await server.db.transaction((tx) =>
      issueRefreshToken(tx, mentorId, crypto.randomUUID(), server.ctx),
    );
    const ta = await startRefreshFamily(server.ctx, taId);
    await revokeAllRefreshTokensOfUser(server.db, mentorId, server.clock.now());
    await expectHttpError(rotateRefreshToken(server.ctx, a.refreshToken), 401, 'REFRESH_REVOKED');
    await expectHttpError(rotateRefreshToken(server.ctx, b.refreshToken), 401, 'REFRESH_REVOKED');
    await expect(rotateRefreshToken(server.ctx, ta.refreshToken)).resolves.toMatchObject({
      userId: taId,
    });
  });
});
