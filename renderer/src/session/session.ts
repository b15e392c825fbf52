import {
  REFRESH_TOKEN_IN_COOKIE,
  type Bridge,
  type SecretProtection,
  type StoredSession,
} from '#shared/ipc/contract';
import type { Role } from '#shared/domain/roles';
import { NetworkError, type Credentials, type FetchLike } from '../sync/transport';

/** Who is signed in, as the server said at sign-in. */
export interface SessionUser {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
}

interface TokenAnswer {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly user?: SessionUser;
}

export type SignInFailure =
  | { readonly code: 'unreachable'; readonly detail: string }
  | { readonly code: 'invalid_credentials' }
  | { readonly code: 'inactive' }
  | { readonly code: 'rate_limited'; readonly retryAfterSeconds: number | null }
  | { readonly code: 'server_error'; readonly status: number };

const trimUrl = (url: string) => url.trim().replace(/\/+$/, '');

/**
 * In web mode the refresh token travels in the review server's HttpOnly cookie, never through
 * the page's scripts or storage: this header asks for that (same-origin only, CORS refuses it).
 */
const COOKIE_MODE_HEADERS: Readonly<Record<string, string>> = { 'x-review-desk-refresh': 'cookie' };
const cookieMode = (bridge: Bridge) => bridge.kind === 'web';

async function postJson(
  fetch: FetchLike,
  url: string,
  body: unknown,
  extraHeaders: Readonly<Record<string, string>> = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...extraHeaders,
      },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : String(error));
  }
  const text = await response.text().catch(() => '');
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, headers: response.headers };
}

/**
 * A signed-in session: the short-lived access token in memory only, the refresh token in the
 * bridge's secret storage (the OS keychain in the desktop app). Refreshes are single-flight:
 * the server treats a refresh token presented twice as stolen and ends the session.
 */
export class Session implements Credentials {
  private token: string | null;
  private refreshing: Promise<boolean> | null = null;

  constructor(
    readonly serverUrl: string,
    readonly user: SessionUser,
    accessToken: string | null,
    private refreshToken: string,
    private readonly deps: { readonly bridge: Bridge; readonly fetch: FetchLike },
    /** How the refresh token is protected on this device (the settings page warns when weak). */
    public protection: SecretProtection,
  ) {
    this.token = accessToken;
  }

  accessToken(): string | null {
    return this.token;
  }

  /**
   * A new access token (and rotated refresh token). Resolves false when the server no longer
   * accepts the refresh token (expired after days offline, revoked): the user signs in again,
   * and their outbox stays. Throws NetworkError when the server is unreachable.
   */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** The body and headers that present the refresh token to the server. */
  private refreshCredentials(): [body: object, headers: Readonly<Record<string, string>>] {
    return cookieMode(this.deps.bridge)
      ? [{}, COOKIE_MODE_HEADERS]
      : [{ refreshToken: this.refreshToken }, {}];
  }

  private async doRefresh(): Promise<boolean> {
    const answer = await postJson(
      this.deps.fetch,
      `${this.serverUrl}/auth/refresh`,
      ...this.refreshCredentials(),
    );
    if (answer.status !== 200) {
      if (answer.status >= 500) {
        throw new NetworkError(`the server answered ${answer.status}`);
      }
      this.token = null;
      return false;
    }
    const tokens = answer.json as TokenAnswer;
    this.token = tokens.accessToken;
    this.refreshToken = cookieMode(this.deps.bridge)
      ? REFRESH_TOKEN_IN_COOKIE
      : tokens.refreshToken;
    const saved = await this.deps.bridge.session.save(this.stored());
    this.protection = saved.protection;
    return true;
  }

  stored(): StoredSession {
    return {
      serverUrl: this.serverUrl,
      userId: this.user.id,
      username: this.user.username,
      displayName: this.user.displayName,
      role: this.user.role,
      refreshToken: this.refreshToken,
    };
  }

  /** Ends the session on the server (best effort) and forgets it on this device. */
  async signOut(): Promise<void> {
    await postJson(
      this.deps.fetch,
      `${this.serverUrl}/auth/logout`,
      ...this.refreshCredentials(),
    ).catch(() => undefined);
    this.token = null;
    await this.deps.bridge.session.clear();
  }
}

/** Signs in with a username and password; keeps the session on this device. */
export async function signIn(input: {
  readonly serverUrl: string;
  readonly username: string;
  readonly password: string;
  readonly bridge: Bridge;
  readonly fetch: FetchLike;
}): Promise<
  | { readonly ok: true; readonly session: Session }
  | { readonly ok: false; readonly failure: SignInFailure }
> {
  const serverUrl = trimUrl(input.serverUrl);
  let answer;
  try {
    answer = await postJson(
      input.fetch,
      `${serverUrl}/auth/login`,
      { username: input.username, password: input.password },
      cookieMode(input.bridge) ? COOKIE_MODE_HEADERS : {},
    );
  } catch (error) {
    return {
      ok: false,
      failure: {
        code: 'unreachable',
        detail: error instanceof Error ? error.message : String(error),
      },
    };
  }
  if (answer.status === 401 || answer.status === 400) {
    return { ok: false, failure: { code: 'invalid_credentials' } };
  }
  if (answer.status === 403) {
    return { ok: false, failure: { code: 'inactive' } };
  }
  if (answer.status === 429) {
    const retryAfter = Number(answer.headers.get('retry-after'));
    return {
      ok: false,
      failure: {
        code: 'rate_limited',
        retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      },
    };
  }
  if (answer.status !== 200) {
    return { ok: false, failure: { code: 'server_error', status: answer.status } };
  }
  const tokens = answer.json as Required<TokenAnswer>;
  const session = new Session(
    serverUrl,
    tokens.user,
    tokens.accessToken,
    cookieMode(input.bridge) ? REFRESH_TOKEN_IN_COOKIE : tokens.refreshToken,
    input,
    'unavailable',
  );
  const saved = await input.bridge.session.save(session.stored());
  session.protection = saved.protection;
  return { ok: true, session };
}

export type ResumedSession =
  | { readonly kind: 'none' }
  /** Signed in and the server confirmed it. */
  | { readonly kind: 'online'; readonly session: Session }
  /** The server cannot be reached: work offline with the cached queue; refresh later. */
  | { readonly kind: 'offline'; readonly session: Session }
  /** The server no longer accepts the session: sign in again (pending work is kept). */
  | { readonly kind: 'expired'; readonly stored: StoredSession };

/** Picks up the session kept on this device at start-up. */
export async function resumeSession(deps: {
  readonly bridge: Bridge;
  readonly fetch: FetchLike;
}): Promise<ResumedSession> {
  const stored = await deps.bridge.session.load();
  if (stored === null) {
    return { kind: 'none' };
  }
  const protection = await deps.bridge.session.protection();
  const user: SessionUser = {
    id: stored.userId,
    username: stored.username,
    displayName: stored.displayName,
    role: stored.role as Role,
  };
  const session = new Session(stored.serverUrl, user, null, stored.refreshToken, deps, protection);
  try {
    return (await session.refresh()) ? { kind: 'online', session } : { kind: 'expired', stored };
  } catch (error) {
    if (error instanceof NetworkError) {
      return { kind: 'offline', session };
    }
    throw error;
  }
}
