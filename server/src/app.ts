import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerAuth } from './auth/routes';
import type { ServerContext } from './context';
import { registerFileRoutes } from './files/routes';
import { registerStudentRoutes } from './homework/studentRoutes';
import { HttpError, type ErrorBody } from './http/errors';
import { registerListingRoutes } from './listings/routes';
import { registerOpsRoutes } from './ops/routes';
import { registerHomeworkRoutes } from './review/kinds/homeworkRoutes';
import { registerSupportRoutes } from './support/routes';
import { registerAppShell } from './http/appShell';
import { registerSyncRoutes } from './sync/routes';

export type App = FastifyInstance;

/** Version of the server API and of the data it serves, reported by /health. */
export const SERVER_VERSION = '0.1.0';

/**
 * Builds the review server's HTTP application over an already opened, migrated database. Nothing
 * here listens or opens files: `startServer` does that, tests call `app.inject` directly.
 */
export async function buildApp(ctx: ServerContext): Promise<App> {
  const app = Fastify({
    logger:
      ctx.config.logLevel === 'silent'
        ? false
        : { level: ctx.config.logLevel, redact: ['req.headers.authorization'] },
    bodyLimit: ctx.config.maxBodyBytes,
    // Request ids let a client's X-Request-Id show up in the server log of its push.
    requestIdHeader: 'x-request-id',
    // Long garbage ids must reach our handlers (400 INVALID_ID), not the router's own 414.
    routerOptions: { maxParamLength: 2000 },
  });
  // The API speaks JSON (and multipart for uploads): a text/plain body is a 415, not a string.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'ReviewDesk review server',
        description: 'Accounts, RSP/1 sync, the submitter API and credential files.',
        version: SERVER_VERSION,
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(cors, {
    // The desktop app calls from app://reviewdesk; web mode is same-origin and needs nothing.
    origin: [...ctx.config.corsOrigins],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
    exposedHeaders: ['content-range', 'accept-ranges', 'retry-after'],
  });

  // Compression is opted into per route (the sync routes: `SYNC_COMPRESSION`); never global, so
  // file downloads keep their byte ranges and the event stream is never buffered.
  await app.register(compress, { global: false });
  // Only for the web workstation's refresh token (see `REFRESH_TRANSPORT_HEADER`).
  await app.register(cookie);

  app.setErrorHandler<FastifyError | HttpError>((error, request, reply) => {
    const send = (status: number, body: ErrorBody) => reply.status(status).send(body);
    if (error instanceof HttpError) {
      return send(error.statusCode, {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
        },
      });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return send(400, {
        error: {
          code: 'VALIDATION',
          message: 'The request does not have the expected shape',
          details: {
            issues: error.validation.map((issue) => ({
              path: issue.instancePath,
              message: issue.message,
            })),
          },
        },
      });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(413, {
          error: { code: 'BODY_TOO_LARGE', message: 'The request body is too large' },
        });
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(400, {
          error: { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON' },
        });
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(415, {
          error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the body as application/json' },
        });
      default:
        break;
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return send(500, { error: { code: 'INTERNAL', message: 'The server failed; try again' } });
    }
    return send(status, { error: { code: error.code, message: error.message } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `No route ${request.method} ${request.url.split('?')[0] ?? ''}`,
      },
    } satisfies ErrorBody);
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/health',
    {
      schema: {
        summary: 'Liveness and database check',
        response: {
          200: z.object({
            status: z.literal('ok'),
            version: z.string(),
            database: z.enum(['pglite', 'postgres']),
          }),
        },
      },
    },
    async () => {
      await ctx.db.query('SELECT 1');
      return { status: 'ok' as const, version: SERVER_VERSION, database: ctx.db.kind };
    },
  );

  typed.get('/docs/json', { schema: { hide: true } }, () => app.swagger());

  await registerAuth(app, ctx);
  await registerSyncRoutes(app, ctx);
  await registerListingRoutes(app, ctx);
  await registerFileRoutes(app, ctx);
  await registerHomeworkRoutes(app, ctx);
  await registerStudentRoutes(app, ctx);
  await registerOpsRoutes(app, ctx);
  await registerSupportRoutes(app, ctx);
  if (ctx.config.serveApp) {
    await registerAppShell(app, ctx);
  }
  return app;
}
