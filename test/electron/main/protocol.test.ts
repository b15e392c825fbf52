import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  serveAppRequest,
  withoutMetaPolicy,
  type ServeRendererOptions,
} from '../../../electron/main/protocol';
import { APP_ORIGIN } from '../../../electron/main/security';

describe('app:// protocol', () => {
  const rendererDir = resolve('/opt/review-desk/renderer');
  let serverUrl = 'http://127.0.0.1:8787';
  const html = [
    '<!doctype html><html><head>',
    '<meta\n  http-equiv="Content-Security-Policy"\n  content="default-src \'self\'; connect-src \'self\'"\n/>',
    '<title>ReviewDesk</title></head><body></body></html>',
  ].join('');
  const fetchFile = vi.fn((url: string) =>
    Promise.resolve(
      new Response(url.endsWith('.html') ? html : 'console.log(1)', {
        headers: {
          'Content-Type': url.endsWith('.html') ? 'text/html' : 'text/javascript',
          'Content-Length': '999',
        },
      }),
    ),
  );
  const options: ServeRendererOptions = {
    rendererDir,
    serverOrigins: () => [serverUrl],
    fetchFile,
  };

  it('serves files with the CSP taken from the current server URL on every request', async () => {
    const first = await serveAppRequest(new Request(`${APP_ORIGIN}/assets/a.js`), options);
    expect(first.headers.get('Content-Security-Policy')).toContain(
      "connect-src 'self' http://127.0.0.1:8787",
    );
    expect(first.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(fetchFile).toHaveBeenLastCalledWith(`file://${join(rendererDir, 'assets', 'a.js')}`);

    serverUrl = 'https://review.example.com';
    const second = await serveAppRequest(new Request(`${APP_ORIGIN}/`), options);
    expect(second.headers.get('Content-Security-Policy')).toContain(
      "connect-src 'self' https://review.example.com",
    );
  });

  it('strips the web-mode meta CSP from HTML so the header is the policy', async () => {
    const response = await serveAppRequest(new Request(`${APP_ORIGIN}/`), options);
    const body = await response.text();
    expect(body).not.toMatch(/Content-Security-Policy/i);
    expect(body).toContain('<title>ReviewDesk</title>');
    expect(response.headers.get('Content-Length')).toBeNull();
    expect(
      withoutMetaPolicy(
        '<meta charset="utf-8"><meta http-equiv=content-security-policy content="x">',
      ),
    ).toBe('<meta charset="utf-8">');
  });

  it('refuses writes and paths outside the build', async () => {
    const post = await serveAppRequest(new Request(`${APP_ORIGIN}/`, { method: 'POST' }), options);
    expect(post.status).toBe(405);
    const other = await serveAppRequest(new Request('app://elsewhere/index.html'), options);
    expect(other.status).toBe(404);
  });
});
