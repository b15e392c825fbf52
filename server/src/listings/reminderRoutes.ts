import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';
import { forbidden, notFound } from '../http/errors';
import { parseId } from '../http/ids';
import { markReminderRead, openReminders, remindersOf } from './reminders';

/**
 * The listing reminders: each user reads their own (`GET /api/v1/reminders`, the workstation's
 * notification list) and marks them read; ops managers see every unread one in the console
 * (`GET /api/v1/ops/reminders`), the drafts and rejections waiting on an institution.
 */
export function registerReminderRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const security = [{ bearer: [] }];

  typed.get(
    '/api/v1/reminders',
    {
      preValidation: signedIn,
      schema: { summary: 'My listing reminders of the last 30 days, unread first', security },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return { reminders: await remindersOf(ctx.db, principal.id, ctx.clock.now()) };
    },
  );

  typed.post(
    '/api/v1/reminders/:id/read',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Mark one of my reminders read',
        security,
        params: z.object({ id: z.string().max(64) }),
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const id = parseId(request.params.id, 'Reminder');
      // Someone else's reminder answers as an unknown one: its id says nothing to others.
      if (!(await markReminderRead(ctx.db, principal.id, id, ctx.clock.now()))) {
        throw notFound('Reminder');
      }
      return { id, read: true };
    },
  );

  typed.get(
    '/api/v1/ops/reminders',
    {
      preValidation: signedIn,
      schema: { summary: 'Every unread listing reminder (ops managers)', security },
    },
    async (request) => {
      if (requirePrincipal(request).role !== 'ops_manager') {
        throw forbidden('Only ops managers see everyone’s reminders');
      }
      return { reminders: await openReminders(ctx.db) };
    },
  );
}
