import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';
import { badRequest, forbidden, notFound } from '../http/errors';
import { createWorkScope } from '../review/scope';
import {
  conversationBody,
  ConversationInputError,
  conversationParams,
  conversationThread,
  putConversation,
} from './conversations';

/**
 * Who puts and reads conversations: the customer-service platform's integration account, an ops
 * manager account, as for the course platform's members and orders.
 */
const SUPPORT_INTAKE_ROLES: ReadonlySet<string> = new Set(['ops_manager']);

function requireIntake(request: Parameters<typeof requirePrincipal>[0]) {
  const principal = requirePrincipal(request);
  if (!SUPPORT_INTAKE_ROLES.has(principal.role)) {
    throw forbidden('Only the customer-service integration (an ops account) puts conversations');
  }
  return principal;
}

/**
 * `PUT /api/v1/support/conversations/:id`: the AI customer service's conversation, whole, by its
 * platform id (idempotent; escalated once, see `conversations.ts`). `GET` of the same address:
 * the thread with the desk's replies, for the platform to relay them.
 */
export function registerSupportRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.put(
    '/api/v1/support/conversations/:id',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Put a customer-service conversation; escalates it by the SOP 9.2 rule (ops)',
        security: [{ bearer: [] }],
        params: conversationParams,
        body: conversationBody,
      },
    },
    async (request) => {
      const principal = requireIntake(request);
      const now = ctx.clock.now();
      try {
        const { result, version } = await ctx.db.transaction(async (tx) => {
          const scope = createWorkScope({ tx, principal, now, config: ctx.config });
          const put = await putConversation(scope, request.params.id, request.body);
          return { result: put, version: scope.versionTaken() };
        });
        if (version !== null) {
          ctx.hints.notify(version);
        }
        return result;
      } catch (error) {
        if (error instanceof ConversationInputError) {
          throw badRequest(error.code, error.message, error.details);
        }
        throw error;
      }
    },
  );
  typed.get(
    '/api/v1/support/conversations/:id',
    {
      preValidation: signedIn,
      schema: {
        summary: 'A conversation with the desk’s replies, for the customer-service platform (ops)',
        security: [{ bearer: [] }],
        params: conversationParams,
      },
    },
    async (request) => {
      requireIntake(request);
      const thread = await conversationThread(ctx.db, request.params.id);
      if (thread === null) {
        throw notFound(`Conversation ${request.params.id}`);
      }
      return thread;
    },
  );
  return Promise.resolve();
}
