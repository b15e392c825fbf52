import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reportRange, ReportRangeError } from '#shared/ops/kpis';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';
import { badRequest, forbidden } from '../http/errors';
import { recentAlerts } from './alerts';
import { computeKpiReport } from './kpis';

/** The ops console's figures are for ops managers only (project-submission-workspace.zh.md §6). */
const OPS_ROLES: ReadonlySet<string> = new Set(['ops_manager']);

const rangeQuery = z.object({
  from: z.string().max(10),
  to: z.string().max(10),
});

/**
 * `GET /api/v1/ops/kpis?from=YYYY-MM-DD&to=YYYY-MM-DD`: the listing KPIs of the ops console
 * (the same `KpiReport` that `review-desk report kpis --json` prints). A bad range is a 400
 * naming what is wrong (`RANGE_UPSIDE_DOWN`, `RANGE_IN_FUTURE`, `INVALID_DATE`, …).
 */
export function registerOpsRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/ops/kpis',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Listing KPIs over a range of Shanghai days (ops managers)',
        security: [{ bearer: [] }],
        querystring: rangeQuery,
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      if (!OPS_ROLES.has(principal.role)) {
        throw forbidden('Only ops managers see the operation figures');
      }
      let range;
      try {
        range = reportRange(request.query.from, request.query.to, ctx.clock.now());
      } catch (error) {
        if (error instanceof ReportRangeError) {
          const { code, ...details } = error.problem;
          throw badRequest(code, error.message, details);
        }
        throw error;
      }
      return computeKpiReport(ctx.db, range);
    },
  );
  // The alerts the schedule raised in the last 30 days, newest first.
  app.get(
    '/api/v1/ops/alerts',
    {
      preValidation: signedIn,
      schema: { summary: 'Alerts of the last 30 days (ops managers)', security: [{ bearer: [] }] },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      if (!OPS_ROLES.has(principal.role)) {
        throw forbidden('Only ops managers see the operation figures');
      }
      return { alerts: await recentAlerts(ctx.db, ctx.clock.now()) };
    },
  );
  return Promise.resolve();
}
