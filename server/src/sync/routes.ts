import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  itemRowsRequestSchema,
  PROTOCOL_VERSION,
  pullRequestSchema,
  pushRequestSchema,
} from '#shared/sync/protocol';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';
import { HttpError } from '../http/errors';
import { buildMutationRegistry } from '../review/kinds';
import { SYNC_COMPRESSION } from './compression';
import { processItemRows, processPull, PullError } from './pull';
import { processPush } from './push';
import { currentSpaceVersion } from './version';

/** Keeps idle event streams open through proxies that cut silent connections. */
const HEARTBEAT_MS = 25_000;

function checkProtocol(protocol: number): void {
  if (protocol !== PROTOCOL_VERSION) {
    throw new HttpError(
      426,
      'UPGRADE_REQUIRED',
      `This server speaks RSP/${PROTOCOL_VERSION}; update the workstation (your work stays on this device)`,
      { supported: [PROTOCOL_VERSION] },
    );
  }
}

/** RSP/1 endpoints: push, pull, deferred item rows and the change-hint event stream. */
export function registerSyncRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const registry = buildMutationRegistry();
  const typed = app.withTypeProvider<ZodTypeProvider>();
  // Open event streams never end on their own; closing the server ends them first, so a
  // graceful shutdown does not wait forever for idle workstations.
  const streams = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of streams) {
      end();
    }
    done();
  });

  typed.post(
    '/sync/v1/push',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Apply outbox mutations exactly once (RSP/1 push)',
        security: [{ bearer: [] }],
        body: pushRequestSchema.extend({ protocol: z.number().int() }),
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      checkProtocol(request.body.protocol);
      const outcome = await processPush(
        ctx,
        principal,
        { ...request.body, protocol: PROTOCOL_VERSION },
        registry,
      );
      if (outcome.statusCode === 503) {
        void reply.header('retry-after', Math.ceil(outcome.body.retryAfterMs / 1000));
      }
      return reply.status(outcome.statusCode).send(outcome.body);
    },
  );

  typed.post(
    '/sync/v1/pull',
    {
      preValidation: signedIn,
      // A bootstrap page of 1,000 rows is ~0.8 MB of JSON and compresses about eightfold.
      compress: SYNC_COMPRESSION,
      schema: {
        summary: 'Bootstrap pages, then deltas by cursor (RSP/1 pull)',
        security: [{ bearer: [] }],
        body: pullRequestSchema.extend({ protocol: z.number().int() }),
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      checkProtocol(request.body.protocol);
      try {
        return await processPull(ctx, principal, { ...request.body, protocol: PROTOCOL_VERSION });
      } catch (error) {
        if (error instanceof PullError) {
          throw new HttpError(error.statusCode, error.code, error.message);
        }
        throw error;
      }
    },
  );

  typed.post(
    '/sync/v1/items',
    {
      preValidation: signedIn,
      compress: SYNC_COMPRESSION,
      schema: {
        summary: 'Rows a deferred bootstrap left out, for some items (listing documents, history)',
        security: [{ bearer: [] }],
        body: itemRowsRequestSchema.extend({ protocol: z.number().int() }),
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      checkProtocol(request.body.protocol);
      return processItemRows(ctx, principal, { ...request.body, protocol: PROTOCOL_VERSION });
    },
  );

  typed.get(
    '/sync/v1/events',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Server-sent change hints: pull when one arrives',
        description:
          'EventSource cannot send headers, so the access token may be passed as `access_token`.',
        querystring: z.object({ access_token: z.string().optional() }),
      },
    },
    async (request, reply) => {
      requirePrincipal(request);
      const version = await currentSpaceVersion(ctx.db);
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (value: number) =>
        stream.write(`event: change\ndata: ${JSON.stringify({ version: value })}\n\n`);
      stream.write('retry: 5000\n\n');
      send(version);
      const unsubscribe = ctx.hints.subscribe(send);
      const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        streams.delete(end);
      };
      const end = () => {
        stop();
        stream.end();
      };
      streams.add(end);
      request.raw.on('close', stop);
      stream.on('error', stop);
    },
  );
  return Promise.resolve();
}
