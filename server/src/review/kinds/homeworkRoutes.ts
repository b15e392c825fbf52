import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { taDeadline } from '#shared/domain/homework';
import { requirePrincipal, signedIn } from '../../auth/principal';
import type { ServerContext } from '../../context';
import { changeEvidence, recordIntakeEvidence } from '../../homework/evidence';
import { ensureStudent } from '../../homework/students';
import { homeworkItemIdOf } from '../../homework/submissions';
import { badRequest, forbidden, notFound } from '../../http/errors';
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

/** Longest article text a submission may carry. */
export const MAX_ARTICLE_TEXT = 20_000;

const articleUrlSchema = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine(withoutNul, NUL_MESSAGE);

const homeworkSchema = z.object({
  studentId: z.string().trim().min(1).max(64).refine(withoutNul, NUL_MESSAGE),
  studentName: z.string().trim().min(1).max(64).refine(withoutNul, NUL_MESSAGE),
  chapter: z.string().trim().min(1).max(100).refine(withoutNul, NUL_MESSAGE),
  articleUrl: articleUrlSchema,
  reflection: z.string().max(5000).refine(withoutNul, NUL_MESSAGE).default(''),
  /** The article's full text as the course platform captured it (the server fetches nothing). */
  articleText: z.string().max(MAX_ARTICLE_TEXT).refine(withoutNul, NUL_MESSAGE).default(''),
  /** The student's course language, for a roster entry created by this intake. */
  language: z.enum(['zh-CN', 'en']).optional(),
  submittedAt: z.iso
    .datetime({ offset: true, abort: true })
    .refine((value) => Date.parse(value) >= Date.parse(EARLIEST_SUBMITTED_AT), {
      message: `Must not be before ${EARLIEST_SUBMITTED_AT}`,
    })
    .optional(),
});

/** `PUT /api/v1/homework/{id}`: what changed in the student's submission (at least one field). */
const updateSchema = z
  .object({
    articleUrl: articleUrlSchema.optional(),
    articleText: z.string().max(MAX_ARTICLE_TEXT).refine(withoutNul, NUL_MESSAGE).optional(),
    reflection: z.string().max(5000).refine(withoutNul, NUL_MESSAGE).optional(),
  })
  .refine(
    (body) =>
      body.articleUrl !== undefined ||
      body.articleText !== undefined ||
      body.reflection !== undefined,
    { message: 'Send at least one of articleUrl, articleText, reflection' },
  );

const submissionParams = z.object({ id: z.guid() });

const evidenceResponse = z.object({
  id: z.string(),
  evidenceVersion: z.number().int(),
  evidenceSha256: z.string(),
  changed: z.array(z.enum(['articleUrl', 'articleText', 'reflection', 'screenshots'])),
});

/**
 * `POST /api/v1/homework`: a student's chapter homework enters the TA's queue, with evidence
 * version 1 and (for a student the roster does not know) a minimal roster entry.
 * `PUT /api/v1/homework/{id}`: the student changed the submission: a new evidence version.
 */
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
                                             article_text, reflection, state, submitted_at,
                                             ta_due_at, updated_at, row_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9, $10, $11)`,
          [
            id,
            body.studentId,
            body.studentName,
            body.chapter,
            body.articleUrl,
            body.articleText,
            body.reflection,
            new Date(submittedAt).toISOString(),
            dueAt,
            scope.nowIso,
            await scope.version(),
          ],
        );
        // No screenshots yet: they are attached afterwards and amend this version until graded.
        await recordIntakeEvidence(tx, {
          submissionId: id,
          content: {
            articleUrl: body.articleUrl,
            articleText: body.articleText,
            reflection: body.reflection,
            screenshots: [],
          },
          nowIso: scope.nowIso,
          rowVersion: await scope.version(),
        });
        await ensureStudent(tx, {
          studentId: body.studentId,
          name: body.studentName,
          language: body.language ?? 'zh-CN',
          joinedAt: new Date(submittedAt).toISOString(),
          nowIso: scope.nowIso,
          rowVersion: await scope.version(),
        });
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

  app.withTypeProvider<ZodTypeProvider>().put(
    '/api/v1/homework/:id',
    {
      preValidation: signedIn,
      // Checked in the handler so that a bad id is a 400 INVALID_ID, after authentication.
      attachValidation: true,
      schema: {
        summary: 'Update a homework submission (adds an evidence version)',
        description:
          'The student changed the article link, its text or the reflection. The server stores ' +
          'a new evidence version with its SHA-256; a decided grade is never changed, and the ' +
          'grading page shows that the evidence differs from what was graded.',
        security: [{ bearer: [] }],
        params: submissionParams,
        body: updateSchema,
        response: { 200: evidenceResponse },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      if (!HOMEWORK_INTAKE_ROLES.has(principal.role)) {
        throw forbidden('Only the course operations team updates homework');
      }
      if (request.validationError !== undefined) {
        const params = submissionParams.safeParse(request.params);
        if (!params.success) {
          throw badRequest('INVALID_ID', 'The submission id is not a UUID');
        }
        throw badRequest('VALIDATION', 'The request does not have the expected shape', {
          issues: validationIssues(request.validationError),
        });
      }
      const { id } = request.params;
      const body = request.body;
      const now = ctx.clock.now();
      const result = await ctx.db
        .transaction(async (tx) => {
          const scope = createWorkScope({ tx, principal, now, config: ctx.config });
          const rowVersion = await scope.version();
          const [submission] = await tx.query<{ id: string }>(
            'SELECT id FROM homework_submissions WHERE id = $1 FOR UPDATE',
            [id],
          );
          if (submission === undefined) {
            throw notFound('Homework submission');
          }
          const change = await changeEvidence(tx, {
            submissionId: id,
            update: (current) => ({
              ...current,
              ...(body.articleUrl === undefined ? {} : { articleUrl: body.articleUrl }),
              ...(body.articleText === undefined ? {} : { articleText: body.articleText }),
              ...(body.reflection === undefined ? {} : { reflection: body.reflection }),
            }),
            amendInPlace: false,
            nowIso: scope.nowIso,
            rowVersion,
          });
          if (change.how === 'unchanged') {
            // The same content again: nothing to record (the version taken is rolled back).
            throw new Unchanged(change.version, change.sha256);
          }
          await tx.query(
            `UPDATE homework_submissions
              SET article_url = COALESCE($2, article_url), article_text = COALESCE($3, article_text),
                  reflection = COALESCE($4, reflection), updated_at = $5, row_version = $6
            WHERE id = $1`,
            [
              id,
              body.articleUrl ?? null,
              body.articleText ?? null,
              body.reflection ?? null,
              scope.nowIso,
              rowVersion,
            ],
          );
          await scope.audit({
            subjectType: 'homework',
            subjectId: id,
            itemId: await homeworkItemIdOf(tx, id),
            action: 'update_evidence',
            details: {
              evidenceVersion: change.version,
              evidenceSha256: change.sha256,
              changed: change.changed,
            },
          });
          return { change, version: scope.versionTaken() };
        })
        .catch((error: unknown) => {
          if (error instanceof Unchanged) {
            return {
              change: { version: error.version, sha256: error.sha256, changed: [] },
              version: null,
            };
          }
          throw error;
        });
      if (result.version !== null) {
        ctx.hints.notify(result.version);
      }
      return reply.status(200).send({
        id,
        evidenceVersion: result.change.version,
        evidenceSha256: result.change.sha256,
        changed: [...result.change.changed],
      });
    },
  );
  return Promise.resolve();
}

/** Thrown to roll back an update that changes nothing. */
class Unchanged extends Error {
  constructor(
    readonly version: number,
    readonly sha256: string,
  ) {
    super('unchanged');
  }
}

function validationIssues(error: Error): { path: string; message: string }[] {
  const validation = (error as { validation?: { instancePath?: string; message?: string }[] })
    .validation;
  return (validation ?? []).map((issue) => ({
    path: issue.instancePath ?? '',
    message: issue.message ?? 'invalid',
  }));
}
