import type { Queryable } from '../db/database';

export type ItemState = 'pending' | 'in_review' | 'decided' | 'withdrawn' | 'cancelled';

export interface ReviewItemRow {
  readonly id: string;
  readonly kind: string;
  readonly subject_id: string;
  readonly revision_id: string | null;
  readonly state: ItemState;
  readonly priority: number;
  readonly due_at: string | null;
  readonly assignee_id: string | null;
  readonly supersedes_item_id: string | null;
  readonly title: string;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface ClaimRow {
  readonly id: string;
  readonly item_id: string;
  readonly reviewer_id: string;
  readonly claimed_at: string;
  readonly expires_at: string;
  readonly released_at: string | null;
  readonly release_reason: string | null;
  readonly assigned_by: string | null;
}

export interface DecisionRow {
  readonly id: string;
  readonly item_id: string;
  readonly outcome: string;
  readonly reviewer_id: string;
  readonly decided_at: string;
}

const ITEM_COLUMNS = `id, kind, subject_id, revision_id, state, priority, due_at, assignee_id,
  supersedes_item_id, title, created_at, updated_at`;

/** Loads an item and locks it for the rest of the transaction: decisions on one item serialise. */
export async function lockItem(tx: Queryable, itemId: string): Promise<ReviewItemRow | null> {
  const [row] = await tx.query<ReviewItemRow>(
    `SELECT ${ITEM_COLUMNS} FROM review_items WHERE id = $1 FOR UPDATE`,
    [itemId],
  );
  return row ?? null;
}

export async function findItem(db: Queryable, itemId: string): Promise<ReviewItemRow | null> {
  const [row] = await db.query<ReviewItemRow>(
    `SELECT ${ITEM_COLUMNS} FROM review_items WHERE id = $1`,
    [itemId],
  );
  return row ?? null;
}

export async function activeClaim(tx: Queryable, itemId: string): Promise<ClaimRow | null> {
  const [row] = await tx.query<ClaimRow>(
    `SELECT id, item_id, reviewer_id, claimed_at, expires_at, released_at, release_reason, assigned_by
       FROM claims WHERE item_id = $1 AND released_at IS NULL`,
    [itemId],
  );
  return row ?? null;
}

export async function finalDecision(tx: Queryable, itemId: string): Promise<DecisionRow | null> {
  const [row] = await tx.query<DecisionRow>(
    `SELECT id, item_id, outcome, reviewer_id, decided_at FROM decisions
      WHERE item_id = $1 AND is_final`,
    [itemId],
  );
  return row ?? null;
}

export async function displayName(tx: Queryable, userId: string): Promise<string> {
  const [row] = await tx.query<{ display_name: string }>(
    'SELECT display_name FROM users WHERE id = $1',
    [userId],
  );
  return row?.display_name ?? userId;
}
