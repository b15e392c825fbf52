import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';

/**
 * The workstation's Content-Security-Policy in web mode: scripts only from this server, network
 * only to this server; `'wasm-unsafe-eval'` lets the OCR worker compile Tesseract's WebAssembly
 * (it allows no JavaScript eval). Mantine injects style tags, hence inline styles.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves the built workstation at `/` (web mode, `--serve-app`). */
export async function registerAppShell(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const root = ctx.config.appDir;
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'no workstation build to serve: run `npm run build` first');
    app.get('/', (_request, reply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The workstation has not been built. Run `npm run build`, then restart the server.'),
    );
    return;
  }
  app.addHook('onSend', async (request, reply, payload) => {
    if (
      !request.url.startsWith('/api/') &&
      !request.url.startsWith('/sync/') &&
      !request.url.startsWith('/auth/')
    ) {
      void reply.header('content-security-policy', WEB_APP_CSP);
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('referrer-policy', 'no-referrer');
    }
    return payload;
  });
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: ['index.html'],
    // Hashed assets never change; index.html and the service worker must always be revalidated.
    setHeaders(response, path) {
      response.header(
        'cache-control',
        /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
