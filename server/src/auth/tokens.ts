import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { isRole, type Role } from '#shared/domain/roles';
import type { ServerContext } from '../context';
import type { Queryable } from '../db/database';
import { HttpError, unauthorized } from '../http/errors';

/**
 * Access and refresh tokens.
 *
 * - Access tokens are short-lived HS256 JWTs (`sub` = user id, `role`), checked on every request
 *   without a database round trip for the token itself (the user row is still loaded, so a
 *   deactivated user loses access at once).
 * - Refresh tokens are opaque random strings; only their SHA-256 hash is stored. Each sign-in
 *   starts a family; every refresh marks the presented token used and issues its successor in the
 *   same family. Presenting a used token again means it was copied: the whole family is revoked.
 *
 * Time always comes from `ctx.clock`, never from `Date.now()` or SQL `now()`.
 */

export const TOKEN_ISSUER = 'review-desk';
export const TOKEN_AUDIENCE = 'review-desk-workstation';

const ALGORITHM = 'HS256';
/** 32 random bytes in base64url without padding. */
const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type TokenContext = Pick<ServerContext, 'clock' | 'config' | 'tokenKey'>;
type TimeContext = Pick<ServerContext, 'clock' | 'config'>;

// ── Access tokens ────────────────────────────────────────────────────────────────────────────

export async function issueAccessToken(
  ctx: TokenContext,
  user: { readonly id: string; readonly role: Role },
): Promise<string> {
  const now = ctx.clock.now();
  return new SignJWT({ role: user.role })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt(new Date(now))
    .setExpirationTime(new Date(now + ctx.config.accessTokenTtlMs))
    .setJti(randomUUID())
    .sign(ctx.tokenKey);
}

/**
 * Checks signature, issuer, audience and expiry against the server clock. Throws 401
 * `TOKEN_EXPIRED` for a genuine token past its lifetime (the client should refresh) and 401
 * `TOKEN_INVALID` for anything else: a bad signature, another key, garbage, wrong claims.
 */
export async function verifyAccessToken(
  ctx: TokenContext,
  token: string,
): Promise<{ readonly userId: string; readonly role: Role }> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, ctx.tokenKey, {
      algorithms: [ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: new Date(ctx.clock.now()),
    }));
  } catch (error) {
    // jose checks the signature before the claims, so only a token we signed can be "expired".
    if (error instanceof joseErrors.JWTExpired) {
      throw unauthorized('TOKEN_EXPIRED', 'The access token has expired; refresh it');
    }
    throw unauthorized('TOKEN_INVALID', 'The access token is not valid');
  }
  const { sub, role } = payload;
  if (typeof sub !== 'string' || !UUID_PATTERN.test(sub) || !isRole(role)) {
    throw unauthorized('TOKEN_INVALID', 'The access token is not valid');
  }
  return { userId: sub, role };
}

// ── Refresh tokens ───────────────────────────────────────────────────────────────────────────

/** The stored form of a refresh token: hex SHA-256 (the token itself has 256 bits of entropy). */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface IssuedRefreshToken {
  /** Row id in `refresh_tokens`. */
  readonly id: string;
  /** The opaque token to hand to the client; it is not stored anywhere. */
  readonly refreshToken: string;
  readonly expiresAt: string;
}

/**
 * Stores a new refresh token of `familyId` for `userId` and returns it. Each token lives
 * `refreshTokenTtlMs` from its own issue, so the family slides forward while it is used.
 */
export async function issueRefreshToken(
  tx: Queryable,
  userId: string,
  familyId: string,
  ctx: TimeContext,
): Promise<IssuedRefreshToken> {
  const id = randomUUID();
  const refreshToken = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now + ctx.config.refreshTokenTtlMs).toISOString();
  await tx.query(
    `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, issued_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, familyId, userId, hashRefreshToken(refreshToken), new Date(now).toISOString(), expiresAt],
  );
  return { id, refreshToken, expiresAt };
}

/** Starts a new family (one per sign-in) with its first token. */
export async function startRefreshFamily(
  ctx: Pick<ServerContext, 'clock' | 'config' | 'db'>,
  userId: string,
): Promise<IssuedRefreshToken & { readonly familyId: string }> {
  const familyId = randomUUID();
  const issued = await ctx.db.transaction((tx) => issueRefreshToken(tx, userId, familyId, ctx));
  return { ...issued, familyId };
}

/** Revokes every live token of a family. */
export async function revokeRefreshFamily(
  tx: Queryable,
  familyId: string,
  nowMs: number,
): Promise<void> {
  await tx.query(
    `UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL`,
    [familyId, new Date(nowMs).toISOString()],
  );
}

/**
 * Revokes every refresh token of a user (for the module that deactivates users or resets
 * passwords). Refresh also checks `users.active`, so this is belt and braces there.
 */
export async function revokeAllRefreshTokensOfUser(
  tx: Queryable,
  userId: string,
  nowMs: number,
): Promise<void> {
  await tx.query(
    `UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
    [userId, new Date(nowMs).toISOString()],
  );
}

/** Sign-out: revokes the family of the presented token. Unknown tokens are ignored (idempotent). */
export async function revokeRefreshTokenFamily(
  ctx: Pick<ServerContext, 'clock' | 'db'>,
  presented: string,
): Promise<void> {
  if (!REFRESH_TOKEN_PATTERN.test(presented)) {
    return;
  }
  await ctx.db.query(
    `UPDATE refresh_tokens SET revoked_at = $2
      WHERE revoked_at IS NULL
        AND family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1)`,
    [hashRefreshToken(presented), new Date(ctx.clock.now()).toISOString()],
  );
}

interface RefreshRow {
  readonly id: string;
  readonly family_id: string;
  readonly user_id: string;
  readonly expires_at: string;
  readonly used_at: string | null;
  readonly revoked_at: string | null;
}

type RotationOutcome =
  | {
      readonly ok: true;
      readonly userId: string;
      readonly role: Role;
      readonly refreshToken: string;
    }
  | { readonly ok: false; readonly error: HttpError };

/**
 * Exchanges a refresh token for its successor, in one transaction that locks the presented
 * token's row (`FOR UPDATE`), so two concurrent refreshes of one token cannot both succeed: the
 * second sees it used and is treated as reuse.
 *
 * Errors (all thrown as HttpError, after any revocation they cause has been committed):
 * 401 `REFRESH_INVALID` (unknown), 401 `REFRESH_REVOKED` (family revoked: sign-out, reuse,
 * deactivation), 401 `REFRESH_REUSED` (already used: the family is revoked now), 401
 * `REFRESH_EXPIRED`, 403 `USER_INACTIVE` (the family is revoked now).
 */
export async function rotateRefreshToken(
  ctx: Pick<ServerContext, 'clock' | 'config' | 'db'>,
  presented: string,
): Promise<{ readonly userId: string; readonly role: Role; readonly refreshToken: string }> {
  const invalid = () => unauthorized('REFRESH_INVALID', 'The refresh token is not valid; sign in');
  if (!REFRESH_TOKEN_PATTERN.test(presented)) {
    throw invalid();
  }
  const tokenHash = hashRefreshToken(presented);
  const outcome = await ctx.db.transaction(async (tx): Promise<RotationOutcome> => {
    const now = ctx.clock.now();
    const [row] = await tx.query<RefreshRow>(
      `SELECT id, family_id, user_id, expires_at, used_at, revoked_at
         FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
      [tokenHash],
    );
    if (row === undefined) {
      return { ok: false, error: invalid() };
    }
    if (row.revoked_at !== null) {
      return {
        ok: false,
        error: unauthorized('REFRESH_REVOKED', 'This session has been ended; sign in again'),
      };
    }
    if (row.used_at !== null) {
      // A used token presented again was copied (or a client raced itself): end the session.
      await revokeRefreshFamily(tx, row.family_id, now);
      return {
        ok: false,
        error: unauthorized(
          'REFRESH_REUSED',
          'This refresh token was already used; the session has been ended for safety',
        ),
      };
    }
    if (Date.parse(row.expires_at) <= now) {
      return {
        ok: false,
        error: unauthorized('REFRESH_EXPIRED', 'The session has expired; sign in again'),
      };
    }
    const [user] = await tx.query<{ active: boolean; role: string }>(
      'SELECT active, role FROM users WHERE id = $1',
      [row.user_id],
    );
    if (user?.active !== true || !isRole(user.role)) {
      await revokeRefreshFamily(tx, row.family_id, now);
      return { ok: false, error: userInactive() };
    }
    const successor = await issueRefreshToken(tx, row.user_id, row.family_id, ctx);
    await tx.query(`UPDATE refresh_tokens SET used_at = $2, replaced_by = $3 WHERE id = $1`, [
      row.id,
      new Date(now).toISOString(),
      successor.id,
    ]);
    return { ok: true, userId: row.user_id, role: user.role, refreshToken: successor.refreshToken };
  });
  if (!outcome.ok) {
    throw outcome.error;
  }
  return { userId: outcome.userId, role: outcome.role, refreshToken: outcome.refreshToken };
}

/** 403 for a deactivated team member (domain.md: inactive members cannot sign in). */
export function userInactive(status: 401 | 403 = 403): HttpError {
  return new HttpError(status, 'USER_INACTIVE', 'This account has been deactivated');
}
