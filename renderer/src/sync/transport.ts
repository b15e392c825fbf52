/**
 * HTTP to the review server: JSON in and out, the access token attached, one refresh-and-retry
 * on 401, and failures sorted into what the sync engine reacts to differently.
 */

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** The server could not be reached at all (offline, DNS, refused, reset). */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

/** The session cannot be refreshed any more: the user must sign in again. */
export class SignInRequiredError extends Error {
  override readonly name = 'SignInRequiredError';
}

export interface HttpAnswer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
  /** Device clock at the middle of the round trip, to estimate the server clock offset. */
  readonly midpoint: number;
}

export interface Credentials {
  /** The current access token, or null when none is held (offline start). */
  accessToken(): string | null;
  /** Gets a new access token; false when the refresh token is no longer valid. */
  refresh(): Promise<boolean>;
}

export interface Transport {
  readonly baseUrl: string;
  post<T>(
    path: string,
    body: unknown,
    options?: { readonly signal?: AbortSignal },
  ): Promise<HttpAnswer<T>>;
  get<T>(path: string): Promise<HttpAnswer<T>>;
  /** PUT of a JSON body (`PUT /api/v1/listings/:id/draft`). */
  put<T>(path: string, body: unknown): Promise<HttpAnswer<T>>;
  /** DELETE (`DELETE /api/v1/listings/:id/collaborators/:userId`); the HTTP transport has it. */
  delete?<T>(path: string): Promise<HttpAnswer<T>>;
}

export function createTransport(options: {
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  readonly credentials: Credentials;
  readonly now?: () => number;
  readonly requestId?: () => string;
}): Transport {
  const now = options.now ?? (() => Date.now());
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function send<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<HttpAnswer<T>> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const token = options.credentials.accessToken();
      const headers: Record<string, string> = { accept: 'application/json' };
      // A form (a file upload) sets its own multipart content type and boundary.
      const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
      if (body !== undefined && !isForm) {
        headers['content-type'] = 'application/json';
      }
      if (token !== null) {
        headers['authorization'] = `Bearer ${token}`;
      }
      const requestId = options.requestId?.();
      if (requestId !== undefined) {
        headers['x-request-id'] = requestId;
      }
      const started = now();
      let response: Response;
      try {
        response = await options.fetch(`${baseUrl}${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body: isForm ? body : JSON.stringify(body) }),
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (error) {
        throw new NetworkError(error instanceof Error ? error.message : String(error));
      }
      let parsed: unknown = null;
      const text = await response.text().catch(() => '');
      if (text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = { raw: text.slice(0, 200) };
        }
      }
      const midpoint = Math.round((started + now()) / 2);
      if (response.status === 401 && attempt === 0) {
        if (await options.credentials.refresh()) {
          continue;
        }
        throw new SignInRequiredError('the session expired; sign in again');
      }
      if (response.status === 401) {
        throw new SignInRequiredError('the server refused the session');
      }
      return { status: response.status, body: parsed as T, headers: response.headers, midpoint };
    }
    throw new SignInRequiredError('the server refused the session');
  }

  return {
    baseUrl,
    post: (path, body, requestOptions) => send('POST', path, body, requestOptions?.signal),
    get: (path) => send('GET', path, undefined),
    put: (path, body) => send('PUT', path, body),
    delete: (path) => send('DELETE', path, undefined),
  };
}
