import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { APP_SCHEME, contentSecurityPolicy, resolveAppAsset } from './security';

/** Must run before `app.ready`: gives `app://` a standard, secure origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves the renderer build over `app://reviewdesk/`, read-only, with the CSP header. */
export function serveRenderer(rendererDir: string, serverOrigins: readonly string[]): void {
  const policy = contentSecurityPolicy({ serverOrigins });
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405 });
    }
    const filePath = resolveAppAsset(request.url, rendererDir);
    if (filePath === null) {
      return new Response('Not found', { status: 404 });
    }
    const file = await net.fetch(pathToFileURL(filePath).toString());
    const headers = new Headers(file.headers);
    headers.set('Content-Security-Policy', policy);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(file.body, { status: file.status, headers });
  });
}
