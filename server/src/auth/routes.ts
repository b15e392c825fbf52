import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '#shared/domain/roles';
import type { ServerContext } from '../context';
import { badRequest, HttpError, unauthorized } from '../http/errors';
import { SignInAttempts } from './attempts';
import { decoyPasswordHash, verifyPassword } from './passwords';
import { requirePrincipal, type Principal } from './principal';
import {
  issueAccessToken,
  revokeRefreshTokenFamily,
  rotateRefreshToken,
  startRefreshFamily,
  userInactive,
  verifyAccessToken,
} from './tokens';
import { findUserById, findUserByUsername } from './users';

// ── Sign-in rate limiting ────────────────────────────────────────────────────────────────────

/** At most this many failed sign-ins per username per window… */
export const USERNAME_FAILURE_LIMIT = 10;
export const USERNAME_FAILURE_WINDOW_MS = 15 * 60_000;
/** …and at most this many sign-in attempts (failed or not) per client IP per window. */
export const IP_ATTEMPT_LIMIT = 30;
export const IP_ATTEMPT_WINDOW_MS = 60_000;

function tooManyAttempts(reply: FastifyReply, waitMs: number): HttpError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  void reply.header('retry-after', String(retryAfterSeconds));
  return new HttpError(
    429,
    'TOO_MANY_ATTEMPTS',
    'Too many sign-in attempts; wait a little and try again',
    { retryAfterSeconds },
  );
}

// ── Authentication hook ──────────────────────────────────────────────────────────────────────

/** The one route that may carry its access token in the query (EventSource sends no headers). */
const EVENTS_PATH = '/sync/v1/events';
/** Routes that take credentials in their body and must work with a stale Authorization header. */
const CREDENTIAL_ROUTES = new Set(['/auth/login', '/auth/refresh', '/auth/logout']);
const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

/** The access token a request carries, null when it carries none. */
function presentedToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header !== undefined && header !== '') {
    const match = BEARER.exec(header);
    if (match?.[1] === undefined) {
      throw unauthorized(
        'TOKEN_INVALID',
        'Send the access token as "Authorization: Bearer <token>"',
      );
    }
    return match[1];
  }
  if (request.method === 'GET' && request.url.split('?')[0] === EVENTS_PATH) {
    const query = request.query as Record<string, unknown> | undefined;
    const value = query?.['access_token'];
    if (value === undefined || value === '') {
      return null;
    }
    if (typeof value !== 'string') {
      throw unauthorized('TOKEN_INVALID', 'The access token is not valid');
    }
    return value;
  }
  return null;
}

// ── Schemas ──────────────────────────────────────────────────────────────────────────────────

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const publicUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
});

const principalBody = publicUser.extend({ institutionId: z.string().nullable() });

const tokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z
    .string()
    .describe('Empty when the request asked for the cookie (`x-review-desk-refresh: cookie`)'),
  expiresIn: z.number().int().describe('Seconds until the access token expires'),
});

const refreshBody = z.object({
  refreshToken: z
    .string()
    .max(256)
    .optional()
    .describe(
      'Left out when it travels in the `rd_refresh` cookie (`x-review-desk-refresh: cookie`)',
    ),
});

/**
 * The header with which the web workstation asks to keep its refresh token in an HttpOnly
 * cookie instead of in its own storage, where any script on the page could read it. CORS never
 * allows this header, so only a page of the server's own origin can send it: another site
 * cannot make a browser present the cookie (no CSRF), and the cookie is SameSite=Strict too.
 */
export const REFRESH_TRANSPORT_HEADER = 'x-review-desk-refresh';
export const REFRESH_COOKIE = 'rd_refresh';
/** Where the cookie goes: the credential routes only, never the API or the files. */
const REFRESH_COOKIE_PATH = '/auth';

const wantsRefreshCookie = (request: FastifyRequest) =>
  request.headers[REFRESH_TRANSPORT_HEADER] === 'cookie';

/** The refresh token a request presents: its body's, or in cookie mode its cookie's. */
function presentedRefreshToken(request: FastifyRequest, bodyToken: string | undefined): string {
  if (wantsRefreshCookie(request)) {
    return request.cookies[REFRESH_COOKIE] ?? '';
  }
  if (bodyToken === undefined) {
    throw badRequest('VALIDATION', 'Send the refresh token as refreshToken in the body');
  }
  return bodyToken;
}

/** Usernames are stored lower case; sign-in ignores case and surrounding blanks. */
export const normalizeUsername = (username: string): string => username.trim().toLowerCase();

// ── Routes ───────────────────────────────────────────────────────────────────────────────────

/**
 * Accounts: the authentication hook on the root instance (so it covers every route, including
 * those registered by other modules in their own plugins), sign-in, refresh, sign-out and `me`.
 */
export function registerAuth(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // In PostgreSQL, so the limits hold across server nodes and restarts (see SignInAttempts).
  const usernameFailures = new SignInAttempts(
    ctx.db,
    'username',
    USERNAME_FAILURE_LIMIT,
    USERNAME_FAILURE_WINDOW_MS,
  );
  const ipAttempts = new SignInAttempts(ctx.db, 'ip', IP_ATTEMPT_LIMIT, IP_ATTEMPT_WINDOW_MS);
  const expiresIn = Math.floor(ctx.config.accessTokenTtlMs / 1000);

  /** The refresh token for the client: in the body, or in cookie mode as an HttpOnly cookie. */
  const handOver = (request: FastifyRequest, reply: FastifyReply, refreshToken: string) => {
    if (!wantsRefreshCookie(request)) {
      return refreshToken;
    }
    void reply.setCookie(REFRESH_COOKIE, refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
      path: REFRESH_COOKIE_PATH,
      maxAge: Math.floor(ctx.config.refreshTokenTtlMs / 1000),
    });
    return '';
  };

  app.addHook('onRequest', async (request) => {
    request.principal = null;
    if (CREDENTIAL_ROUTES.has(request.url.split('?')[0] ?? '')) {
      return;
    }
    const token = presentedToken(request);
    if (token === null) {
      return;
    }
    const { userId } = await verifyAccessToken(ctx, token);
    const user = await findUserById(ctx.db, userId);
    if (user === null) {
      throw unauthorized('TOKEN_INVALID', 'The access token is not valid');
    }
    if (!user.active) {
      throw userInactive(401);
    }
    request.principal = {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      institutionId: user.institution_id,
    } satisfies Principal;
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post(
    '/auth/login',
    {
      schema: {
        summary: 'Sign in with username and password',
        description:
          'Returns a 15-minute access token and a rotating refresh token. Failed sign-ins are ' +
          'limited per username (10 per 15 minutes) and all attempts per client IP (30 per minute).',
        tags: ['accounts'],
        body: z.object({
          username: z.string().min(1).max(64),
          password: z.string().min(1).max(1024),
        }),
        response: {
          200: tokenPair.extend({ user: publicUser }),
          401: errorBody,
          403: errorBody,
          429: errorBody,
        },
      },
    },
    async (request, reply) => {
      const username = normalizeUsername(request.body.username);
      const now = ctx.clock.now();
      const ipWait = await ipAttempts.admit(request.ip, now);
      if (ipWait > 0) {
        throw tooManyAttempts(reply, ipWait);
      }
      // Counted as a failure before the (slow) verification, so parallel guesses cannot all slip
      // under the limit; a success clears the username's failures.
      const userWait = await usernameFailures.admit(username, now);
      if (userWait > 0) {
        throw tooManyAttempts(reply, userWait);
      }

      const user = await findUserByUsername(ctx.db, username);
      // Unknown users are verified against a decoy hash so both failures take the same time.
      const passwordHash = user?.password_hash ?? (await decoyPasswordHash());
      const passwordOk = await verifyPassword(passwordHash, request.body.password);
      if (user === null || !passwordOk) {
        throw unauthorized('INVALID_CREDENTIALS', 'The username or password is wrong');
      }
      await usernameFailures.clear(username);
      // Only now, with the right password, may the answer reveal that the account is inactive.
      if (!user.active) {
        throw userInactive();
      }
      const accessToken = await issueAccessToken(ctx, user);
      const { refreshToken } = await startRefreshFamily(ctx, user.id);
      request.log.info({ userId: user.id }, 'signed in');
      return {
        accessToken,
        refreshToken: handOver(request, reply, refreshToken),
        expiresIn,
        user: {
          id: user.id,
          username: user.username,
          displayName: user.display_name,
          role: user.role,
        },
      };
    },
  );

  typed.post(
    '/auth/refresh',
    {
      schema: {
        summary: 'Exchange a refresh token for new tokens (rotation)',
        description:
          'The presented refresh token is used up and its successor returned. Presenting a used ' +
          'token again ends the whole session (REFRESH_REUSED).',
        tags: ['accounts'],
        body: refreshBody,
        response: { 200: tokenPair, 401: errorBody, 403: errorBody },
      },
    },
    async (request, reply) => {
      const rotated = await rotateRefreshToken(
        ctx,
        presentedRefreshToken(request, request.body.refreshToken),
      );
      const accessToken = await issueAccessToken(ctx, { id: rotated.userId, role: rotated.role });
      return {
        accessToken,
        refreshToken: handOver(request, reply, rotated.refreshToken),
        expiresIn,
      };
    },
  );

  typed.post(
    '/auth/logout',
    {
      schema: {
        summary: 'Sign out: end the session of a refresh token',
        description: 'Revokes the refresh token and every token of its session. Idempotent.',
        tags: ['accounts'],
        body: refreshBody,
        response: { 204: z.null().describe('Signed out') },
      },
    },
    async (request, reply) => {
      await revokeRefreshTokenFamily(
        ctx,
        presentedRefreshToken(request, request.body.refreshToken),
      );
      if (wantsRefreshCookie(request)) {
        void reply.clearCookie(REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
      }
      return reply.code(204).send(null);
    },
  );

  typed.get(
    '/auth/me',
    {
      schema: {
        summary: 'The signed-in team member',
        tags: ['accounts'],
        security: [{ bearer: [] }],
        response: { 200: principalBody, 401: errorBody },
      },
    },
    (request) => requirePrincipal(request),
  );
  return Promise.resolve();
}
