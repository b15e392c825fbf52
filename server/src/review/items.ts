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

/** An item loaded for a unit of work: locked, with its unreleased claim and its kind's subject. */
export interface WorkItem {
  readonly item: ReviewItemRow;
  readonly claim: ClaimRow | null;
  /** What the kind's `subjectSql` returned; undefined when not asked for or the kind has none. */
  readonly subject: unknown;
}

const CLAIM_FIELDS = [
  'id',
  'item_id',
  'reviewer_id',
  'claimed_at',
  'expires_at',
  'released_at',
  'release_reason',
  'assigned_by',
] as const;

type WorkItemRow = ReviewItemRow & { readonly subject?: unknown } & {
  readonly [Field in (typeof CLAIM_FIELDS)[number] as `claim_${Field}`]: string | null;
};

const KIND_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Builds the loader of {@link WorkItem}s: ONE statement that locks the item (as `lockItem`),
 * reads its unreleased claim (as `activeClaim`) and, when asked, the kind's subject through the
 * kind's own sub-select (`subjectSql`, which sees the item as `item`): a claim or a decision
 * starts with one read instead of three.
 */
export function workItemLoader(
  subjectSqlByKind: ReadonlyMap<string, string>,
): (tx: Queryable, itemId: string, withSubject: boolean) => Promise<WorkItem | null> {
  const itemColumns = ITEM_COLUMNS.split(',').map((column) => `item.${column.trim()}`);
  const claimColumns = CLAIM_FIELDS.map((field) => `claim.${field} AS claim_${field}`);
  const branches = [...subjectSqlByKind].map(([kind, sql]) => {
    if (!KIND_NAME.test(kind)) {
      throw new Error(`review kind name ${kind} cannot be used in SQL`);
    }
    return `WHEN '${kind}' THEN (${sql})`;
  });
  const from = `FROM review_items item
    LEFT JOIN claims claim ON claim.item_id = item.id AND claim.released_at IS NULL
   WHERE item.id = $1 FOR UPDATE OF item`;
  const plain = `SELECT ${[...itemColumns, ...claimColumns].join(', ')} ${from}`;
  const withSubjects =
    branches.length === 0
      ? plain
      : `SELECT ${[...itemColumns, ...claimColumns].join(', ')},
                CASE item.kind ${branches.join(' ')} END AS subject ${from}`;
  return async (tx, itemId, withSubject) => {
    const [row] = await tx.query<WorkItemRow>(withSubject ? withSubjects : plain, [itemId]);
    if (row === undefined) {
      return null;
    }
    const { subject, ...rest } = row;
    const item: Record<string, unknown> = {};
    const claim: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(rest)) {
      if (column.startsWith('claim_')) {
        claim[column.slice('claim_'.length)] = value;
      } else {
        item[column] = value;
      }
    }
    return {
      item: item as unknown as ReviewItemRow,
      claim: claim['id'] === null ? null : (claim as unknown as ClaimRow),
      subject: subject ?? undefined,
    };
  };
}
