import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROGRESS_PERCENT_PATTERN } from '#shared/domain/followUp';
import { redactForViewer } from '#shared/domain/redaction';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';
import { badRequest, forbidden } from '../http/errors';
import { HOMEWORK_INTAKE_ROLES } from '../review/kinds/homework';
import { EARLIEST_SUBMITTED_AT } from '../review/kinds/homeworkRoutes';
import { createWorkScope } from '../review/scope';
import { studentRecord, upsertStudent } from './students';

/** PostgreSQL `text` cannot hold U+0000: refuse it here (400) rather than fail in SQL (500). */
const withoutNul = (value: string) => !value.includes('\u0000');
const NUL_MESSAGE = { message: 'Must not contain the character U+0000' };

const time = z.iso
  .datetime({ offset: true, abort: true })
  .refine((value) => Date.parse(value) >= Date.parse(EARLIEST_SUBMITTED_AT), {
    message: `Must not be before ${EARLIEST_SUBMITTED_AT}`,
  });

/** The student id as the course platform names it (`S2026001`). */
const studentParams = z.object({
  studentId: z.string().trim().min(1).max(64).refine(withoutNul, NUL_MESSAGE),
});

export const studentBodySchema = z.object({
  name: z.string().trim().min(1).max(64).refine(withoutNul, NUL_MESSAGE).optional(),
  cohort: z.string().trim().max(64).refine(withoutNul, NUL_MESSAGE).optional(),
  language: z.enum(['zh-CN', 'en']).optional(),
  joinedAt: time.optional(),
  /** A decimal string 0–100 with at most two decimals (`"7.5"`), as `parseProgressPercent` reads. */
  progressPercent: z
    .string()
    .regex(PROGRESS_PERCENT_PATTERN, {
      message: 'Must be a decimal percentage from 0 to 100, e.g. "7.5"',
    })
    .refine((value) => !/\.\d{3,}$/.test(value), { message: 'At most two decimals' })
    .optional(),
  purchasedAt: time.nullable().optional(),
});

const studentResponse = z.object({
  id: z.string(),
  studentId: z.string(),
  name: z.string(),
  cohort: z.string(),
  language: z.enum(['zh-CN', 'en']),
  joinedAt: z.string(),
  progressPercent: z.string(),
  purchasedAt: z.string().nullable(),
  contactedAt: z.string().nullable(),
  contactedBy: z.string().nullable(),
  contactNote: z.string().nullable(),
  updatedAt: z.string(),
  /** JSON Pointers of values hidden from the caller's role (`shared/domain/redaction.ts`). */
  redacted: z.array(z.string()).readonly().optional(),
});

/**
 * `PUT /api/v1/students/{studentId}`: the course platform (ops managers and the homework intake
 * roles) creates or updates a roster entry. Fields left out keep their value; a new student needs
 * `name` and `joinedAt`. 201 when created, 200 when updated, with the row as workstations get it.
 */
export function registerStudentRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().put(
    '/api/v1/students/:studentId',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Create or update a student of the course roster',
        security: [{ bearer: [] }],
        params: studentParams,
        body: studentBodySchema,
        response: { 200: studentResponse, 201: studentResponse },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      if (!HOMEWORK_INTAKE_ROLES.has(principal.role)) {
        throw forbidden('Only the course operations team updates the roster');
      }
      const now = ctx.clock.now();
      const body = request.body;
      const outcome = await ctx.db.transaction(async (tx) => {
        const scope = createWorkScope({ tx, principal, now, config: ctx.config });
        const result = await upsertStudent(
          tx,
          request.params.studentId,
          {
            name: body.name,
            cohort: body.cohort,
            language: body.language,
            joinedAt:
              body.joinedAt === undefined ? undefined : new Date(body.joinedAt).toISOString(),
            progressPercent: body.progressPercent,
            purchasedAt:
              body.purchasedAt === undefined || body.purchasedAt === null
                ? body.purchasedAt
                : new Date(body.purchasedAt).toISOString(),
          },
          scope.nowIso,
          await scope.version(),
        );
        if (!result.ok) {
          // Nothing was written: roll the version back with the transaction.
          throw badRequest('VALIDATION', 'A new student needs a name and the day they joined', {
            issues: result.missing.map((field) => ({
              path: `/${field}`,
              message: 'Required for a student the roster does not know yet',
            })),
          });
        }
        return { ...result, version: scope.versionTaken() };
      });
      if (outcome.version !== null) {
        ctx.hints.notify(outcome.version);
      }
      return reply
        .status(outcome.created ? 201 : 200)
        .send(redactForViewer('students', studentRecord(outcome.row), principal, null));
    },
  );
  return Promise.resolve();
}
