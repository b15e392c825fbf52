import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { taDeadline } from '#shared/domain/homework';
import { requirePrincipal, signedIn } from '../../auth/principal';
import type { ServerContext } from '../../context';
import { forbidden } from '../../http/errors';
import { createWorkScope } from '../../review/scope';
import { HOMEWORK_INTAKE_ROLES, HOMEWORK_KIND } from './homework';

/** PostgreSQL `text` cannot hold U+0000: refuse it here (400) rather than fail in the INSERT (500). */
const withoutNul = (value: string) => !value.includes('\u0000');
const NUL_MESSAGE = { message: 'Must not contain the character U+0000' };

/**
 * Earliest `submittedAt` accepted. The course began long after; an earlier date is a client bug,
 * and dates before year 1 cannot even be stored as `timestamptz`.
 */
export const EARLIEST_SUBMITTED_AT = '2000-01-01T00:00:00Z';

const homeworkSchema = z.object({
  studentId: z.string().trim().min(1).max(64).refine(withoutNul, NUL_MESSAGE),
  studentName: z.string().trim().min(1).max(64).refine(withoutNul, NUL_MESSAGE),
  chapter: z.string().trim().min(1).max(100).refine(withoutNul, NUL_MESSAGE),
  articleUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .refine(withoutNul, NUL_MESSAGE),
  reflection: z.string().max(5000).refine(withoutNul, NUL_MESSAGE).default(''),
  submittedAt: z.iso
    .datetime({ offset: true, abort: true })
    .refine((value) => Date.parse(value) >= Date.parse(EARLIEST_SUBMITTED_AT), {
      message: `Must not be before ${EARLIEST_SUBMITTED_AT}`,
    })
    .optional(),
});

/** `POST /api/v1/homework`: a student's chapter homework enters the TA's queue. */
export function registerHomeworkRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/homework',
    {
      preValidation: signedIn,
      schema: {
        summary: 'File a homework submission for TA review',
        security: [{ bearer: [] }],
        body: homeworkSchema,
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      if (!HOMEWORK_INTAKE_ROLES.has(principal.role)) {
        throw forbidden('Only the course operations team files homework');
      }
      const body = request.body;
      const now = ctx.clock.now();
      // A submission cannot be dated in the future; the course platform may send when it happened.
      const submittedAt = Math.min(
        body.submittedAt === undefined ? now : Date.parse(body.submittedAt),
        now,
      );
      const dueAt = new Date(taDeadline(submittedAt)).toISOString();
      const id = randomUUID();
      const itemId = randomUUID();
      const version = await ctx.db.transaction(async (tx) => {
        const scope = createWorkScope({ tx, principal, now, config: ctx.config });
        await scope.version();
        await tx.query(
          `INSERT INTO homework_submissions (id, student_id, student_name, chapter, article_url,
                                             reflection, state, submitted_at, ta_due_at, updated_at,
                                             row_version)
           VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8, $9, $10)`,
          [
            id,
            body.studentId,
            body.studentName,
            body.chapter,
            body.articleUrl,
            body.reflection,
            new Date(submittedAt).toISOString(),
            dueAt,
            scope.nowIso,
            await scope.version(),
          ],
        );
        await tx.query(
          `INSERT INTO review_items (id, kind, subject_id, state, priority, due_at, title, created_at,
                                     updated_at, row_version)
           VALUES ($1, $2, $3, 'pending', 0, $4, $5, $6, $6, $7)`,
          [
            itemId,
            HOMEWORK_KIND,
            id,
            dueAt,
            `${body.studentName} · ${body.chapter}`,
            scope.nowIso,
            await scope.version(),
          ],
        );
        await scope.audit({
          subjectType: 'homework',
          subjectId: id,
          itemId,
          action: 'submit',
          toState: 'submitted',
        });
        return scope.versionTaken();
      });
      if (version !== null) {
        ctx.hints.notify(version);
      }
      return reply.status(201).send({ id, itemId, taDueAt: dueAt });
    },
  );
  return Promise.resolve();
}
