import { pathToFileURL } from 'node:url';
import { APP_SCHEME, contentSecurityPolicy, resolveAppAsset } from './security';

/** The part of Electron's `protocol` module used here. */
export interface ProtocolLike {
  registerSchemesAsPrivileged(
    schemes: {
      scheme: string;
      privileges: {
        standard: boolean;
        secure: boolean;
        supportFetchAPI: boolean;
        codeCache: boolean;
      };
    }[],
  ): void;
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

/** Must run before `app.ready`: gives `app://` a standard, secure origin. */
export function registerAppScheme(protocol: ProtocolLike): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

export interface ServeRendererOptions {
  /** The renderer build folder (`dist/renderer`). */
  readonly rendererDir: string;
  /**
   * Origins the page may connect to besides itself, asked on every request so that a server URL
   * changed in the settings applies from the next page load, without a restart.
   */
  readonly serverOrigins: () => readonly string[];
  /** Reads a `file://` URL (Electron's `net.fetch`, which also sets the content type). */
  readonly fetchFile: (fileUrl: string) => Promise<Response>;
}

/** Serves the renderer build over `app://reviewdesk/`, read-only, with the CSP header. */
export function serveRenderer(protocol: ProtocolLike, options: ServeRendererOptions): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, options));
}

/** One `app://` request (exported for tests). */
export async function serveAppRequest(
  request: Request,
  options: ServeRendererOptions,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed', { status: 405 });
  }
  const filePath = resolveAppAsset(request.url, options.rendererDir);
  if (filePath === null) {
    return new Response('Not found', { status: 404 });
  }
  const file = await options.fetchFile(pathToFileURL(filePath).toString());
  const headers = new Headers(file.headers);
  headers.set(
    'Content-Security-Policy',
    contentSecurityPolicy({ serverOrigins: options.serverOrigins() }),
  );
  headers.set('X-Content-Type-Options', 'nosniff');
  if (!filePath.endsWith('.html') || !file.ok) {
    return new Response(file.body, { status: file.status, headers });
  }
  headers.delete('Content-Length');
  const html = withoutMetaPolicy(await file.text());
  return new Response(request.method === 'HEAD' ? null : html, { status: file.status, headers });
}

const META_CSP = /<meta\s[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi;

/**
 * Removes the `<meta>` CSP of `index.html`. It is the fallback for web mode, where `'self'` is
 * the review server; under `app://` it would still say `connect-src 'self'`, and since a page
 * enforces every policy it has, it would block the review server the header allows. The header
 * sent here is at least as strict everywhere else (`default-src 'none'`).
 */
export function withoutMetaPolicy(html: string): string {
  return html.replace(META_CSP, '');
}
