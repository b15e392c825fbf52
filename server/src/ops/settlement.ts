import {
  settleMonth,
  type CommissionRun,
  type MonthSettlement,
  type SettlementMember,
  type SettlementOrder,
} from '#shared/ops/settlement';
import type { Database, Queryable } from '../db/database';
import { conflict, notFound } from '../http/errors';

/**
 * Monthly commission runs (rule in shared/ops/settlement.ts). Ops propose a run for a month
 * (computed from the orders and referral links as they stand; proposing again recomputes it),
 * then approve it; an approved run is final and is never recomputed.
 */

interface RunRow {
  month: string;
  state: 'proposed' | 'approved';
  settlement: MonthSettlement;
  computed_at: string;
  computed_by: string;
  approved_at: string | null;
  approved_by: string | null;
}

const toRun = (row: RunRow): Omit<CommissionRun, 'memberNames'> => ({
  month: row.month,
  state: row.state,
  settlement: row.settlement,
  computedAt: new Date(row.computed_at).toISOString(),
  computedBy: row.computed_by,
  approvedAt: row.approved_at === null ? null : new Date(row.approved_at).toISOString(),
  approvedBy: row.approved_by,
});

const RUN_COLUMNS = 'month, state, settlement, computed_at, computed_by, approved_at, approved_by';

/** The run with the names of the members it pays, read from the roster now. */
async function named(tx: Queryable, row: RunRow): Promise<CommissionRun> {
  const run = toRun(row);
  const ids = [
    ...new Set([
      ...run.settlement.members.map((member) => member.memberId),
      ...run.settlement.lines.map((line) => line.memberId),
    ]),
  ];
  const names =
    ids.length === 0
      ? []
      : await tx.query<{ id: string; name: string }>(
          'SELECT id, name FROM course_members WHERE id = ANY($1::text[])',
          [ids],
        );
  return {
    ...run,
    memberNames: Object.fromEntries(names.map((member) => [member.id, member.name])),
  };
}

async function readRun(tx: Queryable, month: string, lock = false): Promise<CommissionRun | null> {
  const [row] = await tx.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM commission_runs WHERE month = $1${lock ? ' FOR UPDATE' : ''}`,
    [month],
  );
  return row === undefined ? null : named(tx, row);
}

export function commissionRun(db: Queryable, month: string): Promise<CommissionRun | null> {
  return readRun(db, month);
}

/**
 * Orders that approved runs of earlier months held back and that no later approved run has
 * settled: the run of `month` takes them again.
 */
async function stillHeldBack(tx: Queryable, month: string): Promise<Set<string>> {
  const runs = await tx.query<{ settlement: MonthSettlement }>(
    `SELECT settlement FROM commission_runs WHERE state = 'approved' AND month < $1 ORDER BY month`,
    [month],
  );
  const pending = new Set<string>();
  for (const { settlement } of runs) {
    const heldNow = new Set(settlement.heldBack.map((held) => held.orderId));
    for (const orderId of settlement.carriedOver) {
      if (!heldNow.has(orderId)) {
        pending.delete(orderId);
      }
    }
    for (const orderId of heldNow) {
      pending.add(orderId);
    }
  }
  return pending;
}

/** Computes the month's run from the data as it stands and stores it as proposed. */
export async function proposeCommissionRun(
  db: Database,
  month: string,
  nowMs: number,
  userId: string,
): Promise<CommissionRun> {
  return db.transaction(async (tx) => {
    const existing = await readRun(tx, month, true);
    if (existing?.state === 'approved') {
      throw conflict('RUN_APPROVED', `The settlement of ${month} is approved and final`, {
        month,
        approvedAt: existing.approvedAt,
      });
    }
    const members = await tx.query<{ id: string; paying: boolean; referrer_id: string | null }>(
      'SELECT id, paying, referrer_id FROM course_members',
    );
    const orders = await tx.query<{
      id: string;
      buyer_id: string;
      amount: string;
      refunded: string;
      paid_at: string;
    }>(
      `SELECT id, buyer_id, amount::text AS amount, refunded::text AS refunded, paid_at
         FROM course_orders`,
    );
    const settlement = settleMonth(
      month,
      nowMs,
      orders.map((order): SettlementOrder => ({
        orderId: order.id,
        buyerId: order.buyer_id,
        amount: order.amount,
        refunded: order.refunded,
        paidAt: Date.parse(new Date(order.paid_at).toISOString()),
      })),
      members.map((member): SettlementMember => ({
        id: member.id,
        paying: member.paying,
        referrerId: member.referrer_id,
      })),
      await stillHeldBack(tx, month),
    );
    const [row] = await tx.query<RunRow>(
      `INSERT INTO commission_runs (month, state, settlement, total, computed_at, computed_by)
       VALUES ($1, 'proposed', $2, $3, $4, $5)
       ON CONFLICT (month) DO UPDATE
         SET settlement = EXCLUDED.settlement, total = EXCLUDED.total,
             computed_at = EXCLUDED.computed_at, computed_by = EXCLUDED.computed_by
       RETURNING ${RUN_COLUMNS}`,
      [month, JSON.stringify(settlement), settlement.total, new Date(nowMs).toISOString(), userId],
    );
    if (row === undefined) {
      throw new Error(`the run of ${month} was not stored`);
    }
    return named(tx, row);
  });
}

/** Approves the proposed run of `month` (once; approving twice is a conflict, not a no-op). */
export async function approveCommissionRun(
  db: Database,
  month: string,
  nowMs: number,
  userId: string,
): Promise<CommissionRun> {
  return db.transaction(async (tx) => {
    const existing = await readRun(tx, month, true);
    if (existing === null) {
      throw notFound(`A proposed settlement of ${month}`);
    }
    if (existing.state === 'approved') {
      throw conflict('RUN_APPROVED', `The settlement of ${month} is already approved`, {
        month,
        approvedAt: existing.approvedAt,
      });
    }
    const [row] = await tx.query<RunRow>(
      `UPDATE commission_runs SET state = 'approved', approved_at = $2, approved_by = $3
        WHERE month = $1 RETURNING ${RUN_COLUMNS}`,
      [month, new Date(nowMs).toISOString(), userId],
    );
    if (row === undefined) {
      throw notFound(`A proposed settlement of ${month}`);
    }
    return named(tx, row);
  });
}
