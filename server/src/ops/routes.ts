import Decimal from 'decimal.js';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { reportRange, ReportRangeError, type ReportRange } from '#shared/ops/kpis';
import { ORDER_AMOUNT_PATTERN } from '#shared/domain/commission';
import { SettlementMonthError } from '#shared/ops/settlement';
import { requirePrincipal, signedIn } from '../auth/principal';
import type { ServerContext } from '../context';
import { badRequest, forbidden, notFound } from '../http/errors';
import { parseId } from '../http/ids';
import { registerActualsRoutes } from './actualsRoutes';
import { acknowledgeAlert, recentAlerts } from './alerts';
import { computeBoardReport } from './board';
import { computeHealthReport } from './health';
import { computeKpiReport } from './kpis';
import { approveCommissionRun, commissionRun, proposeCommissionRun } from './settlement';

/** The ops console's figures are for ops managers only (project-submission-workspace.zh.md §6). */
const OPS_ROLES: ReadonlySet<string> = new Set(['ops_manager']);

const rangeQuery = z.object({
  from: z.string().max(10),
  to: z.string().max(10),
});

/**
 * `GET /api/v1/ops/kpis?from=YYYY-MM-DD&to=YYYY-MM-DD`: the listing KPIs of the ops console
 * (the same `KpiReport` that `review-desk report kpis --json` prints). A bad range is a 400
 * naming what is wrong (`RANGE_UPSIDE_DOWN`, `RANGE_IN_FUTURE`, `INVALID_DATE`, …); and
 * `GET /api/v1/ops/health` with the same range, the figures of the console's charts.
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
      requireOps(request);
      return computeKpiReport(ctx.db, checkedRange(request.query, ctx.clock.now()));
    },
  );
  // The console's charts over the same range: queue health per kind, rejection reasons over
  // time, throughput against actual hours, time per item (shared/ops/health.ts).
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/ops/health',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Queue health, rejection reasons, throughput and time per item (ops managers)',
        security: [{ bearer: [] }],
        querystring: rangeQuery,
      },
    },
    async (request) => {
      requireOps(request);
      return computeHealthReport(ctx.db, checkedRange(request.query, ctx.clock.now()));
    },
  );
  // The submission funnel per form step and the course board over the same range
  // (shared/ops/board.ts).
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/ops/board',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Submission funnel per form step and the course board (ops managers)',
        security: [{ bearer: [] }],
        querystring: rangeQuery,
      },
    },
    async (request) => {
      requireOps(request);
      return computeBoardReport(ctx.db, checkedRange(request.query, ctx.clock.now()));
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
      requireOps(request);
      return { alerts: await recentAlerts(ctx.db, ctx.clock.now()) };
    },
  );
  // An ops manager takes an alert ("seen, on it"); the first acknowledgement stands.
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/ops/alerts/:id/acknowledge',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Acknowledge an alert (ops managers); idempotent, the first one stands',
        security: [{ bearer: [] }],
        params: z.object({ id: z.string().max(64) }),
      },
    },
    async (request) => {
      const principal = requireOps(request);
      const id = parseId(request.params.id, 'Alert');
      const alert = await acknowledgeAlert(ctx.db, id, principal.id, ctx.clock.now());
      if (alert === null) {
        throw notFound(`Alert ${id}`);
      }
      return { alert };
    },
  );
  registerSettlementRoutes(app, ctx);
  registerActualsRoutes(app, ctx);
  return Promise.resolve();
}

const withoutNul = (value: string) => !value.includes('\u0000');
const memberId = z.string().trim().min(1).max(64).refine(withoutNul);
const monthParams = z.object({ month: z.string().max(7) });
const amount = z.string().regex(ORDER_AMOUNT_PATTERN, {
  message: 'A CNY amount with at most two decimals, e.g. "1999.00"',
});

/** The range of a `from`/`to` query, or a 400 naming what is wrong with it. */
function checkedRange(query: { from: string; to: string }, nowMs: number): ReportRange {
  try {
    return reportRange(query.from, query.to, nowMs);
  } catch (error) {
    if (error instanceof ReportRangeError) {
      const { code, ...details } = error.problem;
      throw badRequest(code, error.message, details);
    }
    throw error;
  }
}

function requireOps(request: Parameters<typeof requirePrincipal>[0]) {
  const principal = requirePrincipal(request);
  if (!OPS_ROLES.has(principal.role)) {
    throw forbidden('Only ops managers see the operation figures');
  }
  return principal;
}

function settlementMonthError(error: unknown): never {
  if (error instanceof SettlementMonthError) {
    const { code, ...details } = error.problem;
    throw badRequest(code, error.message, details);
  }
  throw error;
}

/**
 * The commission data the course platform sends (members with their referrer, orders with
 * refunds) and the monthly settlement runs ops propose and approve.
 */
function registerSettlementRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.put(
    '/api/v1/course/members/:id',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Create or update a course member and their referrer (ops managers)',
        security: [{ bearer: [] }],
        params: z.object({ id: memberId }),
        body: z.object({
          name: z.string().trim().min(1).max(64).refine(withoutNul),
          paying: z.boolean(),
          referrerId: memberId.nullable(),
        }),
      },
    },
    async (request) => {
      requireOps(request);
      const { id } = request.params;
      const { name, paying, referrerId } = request.body;
      await ctx.db.query(
        `INSERT INTO course_members (id, name, paying, referrer_id, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, paying = EXCLUDED.paying,
           referrer_id = EXCLUDED.referrer_id, updated_at = EXCLUDED.updated_at`,
        [id, name, paying, referrerId, new Date(ctx.clock.now()).toISOString()],
      );
      return { id, name, paying, referrerId };
    },
  );
  typed.put(
    '/api/v1/course/orders/:id',
    {
      preValidation: signedIn,
      schema: {
        summary: 'Create or update a course order and what was refunded (ops managers)',
        security: [{ bearer: [] }],
        params: z.object({ id: memberId }),
        body: z.object({
          buyerId: memberId,
          amount,
          refunded: amount.default('0'),
          paidAt: z.iso.datetime({ offset: true }),
        }),
      },
    },
    async (request) => {
      requireOps(request);
      const { id } = request.params;
      const body = request.body;
      if (new Decimal(body.refunded).greaterThan(body.amount)) {
        throw badRequest('REFUND_EXCEEDS_ORDER', 'The refund is larger than the order', {
          amount: body.amount,
          refunded: body.refunded,
        });
      }
      await ctx.db.query(
        `INSERT INTO course_orders (id, buyer_id, amount, refunded, paid_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET buyer_id = EXCLUDED.buyer_id, amount = EXCLUDED.amount,
           refunded = EXCLUDED.refunded, paid_at = EXCLUDED.paid_at, updated_at = EXCLUDED.updated_at`,
        [
          id,
          body.buyerId,
          body.amount,
          body.refunded,
          new Date(body.paidAt).toISOString(),
          new Date(ctx.clock.now()).toISOString(),
        ],
      );
      return { id, ...body };
    },
  );
  typed.post(
    '/api/v1/ops/settlements',
    {
      preValidation: signedIn,
      schema: {
        summary: "Propose (or recompute) a month's commission settlement (ops managers)",
        security: [{ bearer: [] }],
        body: monthParams,
      },
    },
    async (request) => {
      const principal = requireOps(request);
      return proposeCommissionRun(ctx.db, request.body.month, ctx.clock.now(), principal.id).catch(
        settlementMonthError,
      );
    },
  );
  typed.get(
    '/api/v1/ops/settlements/:month',
    {
      preValidation: signedIn,
      schema: {
        summary: "A month's commission settlement run (ops managers)",
        security: [{ bearer: [] }],
        params: monthParams,
      },
    },
    async (request) => {
      requireOps(request);
      const run = await commissionRun(ctx.db, request.params.month);
      if (run === null) {
        throw notFound(`A settlement of ${request.params.month}`);
      }
      return run;
    },
  );
  typed.post(
    '/api/v1/ops/settlements/:month/approve',
    {
      preValidation: signedIn,
      schema: {
        summary: "Approve a month's proposed settlement; final (ops managers)",
        security: [{ bearer: [] }],
        params: monthParams,
      },
    },
    async (request) => {
      const principal = requireOps(request);
      return approveCommissionRun(ctx.db, request.params.month, ctx.clock.now(), principal.id);
    },
  );
}
