import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkedMonth, MAX_NOTE_LENGTH, PROJECT_TYPES, weekDays } from '#shared/ops/actuals';
import { reportRange, ReportRangeError } from '#shared/ops/kpis';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';
import { badRequest } from '../http/errors';
import {
  actualsBadRequest,
  computeActualsReport,
  listProjects,
  readWeek,
  requireActualsManager,
  requireActualsMember,
  saveProject,
  saveWeek,
  setMonthClosed,
  timesheetMember,
} from './actuals';

/**
 * Team actuals over HTTP (`/api/v1/actuals/…`). Who may do what is the policy of
 * shared/ops/actuals.ts (docs/ops.md has it as a table); every route checks it here, on the
 * server, whatever the workstation shows.
 */

const withoutNul = (value: string) => !value.includes('\u0000');
const projectBody = z.object({
  name: z.string().trim().min(1).max(64).refine(withoutNul),
  type: z.enum(PROJECT_TYPES),
  active: z.boolean().default(true),
});
const weekParams = z.object({ monday: z.string().max(10) });
const memberQuery = z.object({ memberId: z.string().max(64).optional() });
const weekBody = z.object({
  memberId: z.string().max(64).optional(),
  cells: z
    .array(
      z.object({
        projectId: z.uuid(),
        day: z.string().max(10),
        hours: z.number(),
        note: z.string().max(MAX_NOTE_LENGTH).refine(withoutNul).default(''),
      }),
    )
    .max(7 * 50),
  reason: z.string().max(MAX_NOTE_LENGTH).refine(withoutNul).default(''),
});

function checkedMonday(monday: string): string {
  try {
    weekDays(monday);
  } catch (error) {
    actualsBadRequest(error);
  }
  return monday;
}

export function registerActualsRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/v1/actuals/projects',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Projects hours are declared on, billable or support (team members)',
        security: [{ bearer: [] }],
      },
    },
    async (request) => {
      requireActualsMember(requirePrincipal(request));
      return { projects: await listProjects(ctx.db) };
    },
  );
  typed.post(
    '/api/v1/actuals/projects',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Create a project (ops managers)',
        security: [{ bearer: [] }],
        body: projectBody,
      },
    },
    async (request) => {
      requireActualsManager(requirePrincipal(request));
      return saveProject(ctx.db, null, request.body, ctx.clock.now());
    },
  );
  typed.post(
    '/api/v1/actuals/projects/:id',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Rename a project, change its type or retire it (ops managers)',
        security: [{ bearer: [] }],
        params: z.object({ id: z.uuid() }),
        body: projectBody,
      },
    },
    async (request) => {
      requireActualsManager(requirePrincipal(request));
      return saveProject(ctx.db, request.params.id, request.body, ctx.clock.now());
    },
  );
  typed.get(
    '/api/v1/actuals/weeks/:monday',
    {
      preValidation: signedIn,
      schema: {
        summary: "A member's timesheet week with the focus time recorded (own; ops: anyone's)",
        security: [{ bearer: [] }],
        params: weekParams,
        querystring: memberQuery,
      },
    },
    async (request) => {
      const member = await timesheetMember(
        ctx.db,
        requirePrincipal(request),
        request.query.memberId,
      );
      const monday = checkedMonday(request.params.monday);
      return readWeek(ctx.db, member, monday, ctx.clock.now(), member.manager);
    },
  );
  typed.post(
    '/api/v1/actuals/weeks/:monday',
    {
      preValidation: signedIn,
      schema: {
        summary:
          "Save cells of a member's week; 0 hours removes (own; ops: anyone's, with a reason)",
        security: [{ bearer: [] }],
        params: weekParams,
        body: weekBody,
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const member = await timesheetMember(ctx.db, principal, request.body.memberId);
      const monday = checkedMonday(request.params.monday);
      return saveWeek(
        ctx.db,
        principal,
        member,
        monday,
        request.body.cells,
        request.body.reason,
        ctx.clock.now(),
      );
    },
  );
  typed.post(
    '/api/v1/actuals/months/:month',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Close (or reopen) a month of timesheets (ops managers)',
        security: [{ bearer: [] }],
        params: z.object({ month: z.string().max(7) }),
        body: z.object({ closed: z.boolean() }),
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      requireActualsManager(principal);
      let month: string;
      try {
        month = checkedMonth(request.params.month);
      } catch (error) {
        actualsBadRequest(error);
      }
      return setMonthClosed(ctx.db, month, request.body.closed, ctx.clock.now(), principal.id);
    },
  );
  typed.get(
    '/api/v1/actuals/report',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Hours per member, project and type over a range of Shanghai days (ops managers)',
        security: [{ bearer: [] }],
        querystring: z.object({ from: z.string().max(10), to: z.string().max(10) }),
      },
    },
    async (request) => {
      requireActualsManager(requirePrincipal(request));
      try {
        const range = reportRange(request.query.from, request.query.to, ctx.clock.now());
        return await computeActualsReport(ctx.db, range);
      } catch (error) {
        if (error instanceof ReportRangeError) {
          const { code, ...details } = error.problem;
          throw badRequest(code, error.message, details);
        }
        throw error;
      }
    },
  );
}
