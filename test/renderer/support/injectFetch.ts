import type { FetchLike } from '../../../renderer/src/sync/transport';
import type { TestServer } from '../../server/harness';

/** Network faults a test can switch on. */
export interface NetworkFaults {
  /** Every request fails before reaching the server, like a cable pulled out. */
  offline: boolean;
  /** The next N requests reach the server, which handles them, but the response is lost. */
  dropResponses: number;
  /** Paths requested, in order. */
  readonly log: string[];
}

/**
 * `fetch` over the test server's `inject`: real routes, real database, no sockets — and faults on
 * demand. The base URL's host is ignored. Cookies the server sets are kept and sent back, as a
 * browser does for a same-origin page (the web workstation's refresh cookie).
 */
export function injectFetch(server: TestServer): {
  fetch: FetchLike;
  faults: NetworkFaults;
  /** Cookies this "browser" holds for the server, by name. */
  cookies: ReadonlyMap<string, string>;
} {
  const faults: NetworkFaults = { offline: false, dropResponses: 0, log: [] };
  const cookieJar = new Map<string, string>();
  const fetch: FetchLike = async (input, init) => {
    const url = new URL(input);
    faults.log.push(url.pathname);
    if (faults.offline) {
      throw new TypeError('Failed to fetch');
    }
    const response = await server.app.inject({
      method: (init?.method ?? 'GET') as 'GET' | 'POST',
      url: `${url.pathname}${url.search}`,
      headers: init?.headers as Record<string, string>,
      cookies: Object.fromEntries(cookieJar),
      ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
    });
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date }[]) {
      if (
        cookie.value === '' ||
        (cookie.expires !== undefined && cookie.expires.getTime() < Date.now())
      ) {
        cookieJar.delete(cookie.name);
      } else {
        cookieJar.set(cookie.name, cookie.value);
      }
    }
    if (faults.dropResponses > 0) {
      faults.dropResponses -= 1;
      throw new TypeError('network error: connection reset');
    }
    const headers = new Headers();
    for (const [key, value] of Object.entries(response.headers)) {
      if (value !== undefined) {
        headers.set(key, String(value));
      }
    }
    const empty = response.statusCode === 204 || response.statusCode === 304;
    return new Response(empty ? null : new Uint8Array(response.rawPayload), {
      status: response.statusCode,
      headers,
    });
  };
  return { fetch, faults, cookies: cookieJar };
}
