import { randomUUID } from 'node:crypto';
import type { ReviewReasonCode } from '#shared/domain/review/reasons';
import { MUTATION_ARGS, MUTATION_ARGS_LATER, type FieldCommentInput } from '#shared/sync/mutations';
import { findUserById } from '../auth/users';
import {
  activeClaim,
  displayName,
  finalDecision,
  workItemLoader,
  type ClaimRow,
  type ReviewItemRow,
  type WorkItem,
} from './items';
import { defineMutation, type MutationDefinition, type ReviewKind } from './kind';
import { applied, conflict, rejected, type Outcome, type WorkScope } from './scope';

/**
 * The generic review core: claims as leases, assignment, field comments and final decisions,
 * for every review kind. Kinds plug in through {@link ReviewKind}; nothing here knows listings,
 * homework or refunds.
 */

export type KindLookup = (kind: string) => ReviewKind | undefined;

/** The kinds the core mutations work over: by name, and the loader of their items. */
interface Kinds {
  readonly find: KindLookup;
  readonly load: ReturnType<typeof workItemLoader>;
}

const expiresAtFrom = (scope: WorkScope, leaseMs = scope.config.leaseMs) =>
  new Date(scope.now + leaseMs).toISOString();
const isExpired = (claim: ClaimRow, scope: WorkScope) => Date.parse(claim.expires_at) <= scope.now;

async function touchItem(
  scope: WorkScope,
  item: ReviewItemRow,
  changes: { state?: ReviewItemRow['state']; assigneeId?: string | null },
): Promise<void> {
  await scope.tx.query(
    `UPDATE review_items
        SET state = $2, assignee_id = $3, updated_at = $4, row_version = $5
      WHERE id = $1`,
    [
      item.id,
      changes.state ?? item.state,
      changes.assigneeId === undefined ? item.assignee_id : changes.assigneeId,
      scope.nowIso,
      await scope.version(),
    ],
  );
}

/** Ends the item's unreleased claim, if any: one blind write, no read first. */
async function releaseActiveClaim(scope: WorkScope, itemId: string, reason: string): Promise<void> {
  await scope.tx.query(
    'UPDATE claims SET released_at = $2, release_reason = $3 WHERE item_id = $1 AND released_at IS NULL',
    [itemId, scope.nowIso, reason],
  );
}

async function releaseClaim(scope: WorkScope, claim: ClaimRow, reason: string): Promise<void> {
  await scope.tx.query(
    'UPDATE claims SET released_at = $2, release_reason = $3 WHERE id = $1 AND released_at IS NULL',
    [claim.id, scope.nowIso, reason],
  );
}

async function insertClaim(
  scope: WorkScope,
  item: ReviewItemRow,
  reviewerId: string,
  assignedBy: string | null,
  leaseMs = scope.config.leaseMs,
): Promise<string> {
  const expiresAt = expiresAtFrom(scope, leaseMs);
  await scope.tx.query(
    `INSERT INTO claims (id, item_id, reviewer_id, claimed_at, expires_at, assigned_by)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [randomUUID(), item.id, reviewerId, scope.nowIso, expiresAt, assignedBy],
  );
  return expiresAt;
}

async function holderDetails(scope: WorkScope, claim: ClaimRow): Promise<Record<string, unknown>> {
  return {
    holderId: claim.reviewer_id,
    holderName: await displayName(scope.tx, claim.reviewer_id),
    expiresAt: claim.expires_at,
  };
}

/** Outcome for an item that can no longer be worked on, or null when it is open. */
async function closedItemOutcome(
  scope: WorkScope,
  item: ReviewItemRow,
  kind: ReviewKind,
  intent: 'approve' | 'reject' | 'other',
): Promise<Outcome | null> {
  if (item.state === 'decided') {
    const decision = await finalDecision(scope.tx, item.id);
    return conflict('ALREADY_DECIDED', {
      decision:
        decision === null
          ? null
          : {
              outcome: decision.outcome,
              reviewerId: decision.reviewer_id,
              reviewerName: await displayName(scope.tx, decision.reviewer_id),
              decidedAt: decision.decided_at,
            },
    });
  }
  if (item.state === 'withdrawn' || item.state === 'cancelled') {
    const fromKind = await kind.checkSubject?.(scope, item, intent);
    return fromKind ?? conflict('WITHDRAWN', { itemState: item.state, at: item.updated_at });
  }
  return null;
}

/**
 * The acting reviewer's newest claim on the item, and whether anyone else claimed it since
 * (in one read).
 */
async function lastOwnClaim(
  scope: WorkScope,
  itemId: string,
): Promise<{ readonly claim: ClaimRow; readonly claimedByOtherSince: boolean } | null> {
  const [row] = await scope.tx.query<ClaimRow & { claimed_by_other_since: boolean }>(
    `SELECT own.id, own.item_id, own.reviewer_id, own.claimed_at, own.expires_at, own.released_at,
            own.release_reason, own.assigned_by,
            EXISTS (SELECT 1 FROM claims other
                     WHERE other.item_id = own.item_id AND other.reviewer_id <> own.reviewer_id
                       AND other.claimed_at >= own.claimed_at) AS claimed_by_other_since
       FROM claims own WHERE own.item_id = $1 AND own.reviewer_id = $2
      ORDER BY own.claimed_at DESC LIMIT 1`,
    [itemId, scope.principal.id],
  );
  if (row === undefined) {
    return null;
  }
  const { claimed_by_other_since: claimedByOtherSince, ...claim } = row;
  return { claim, claimedByOtherSince };
}

export type Hold =
  | {
      readonly ok: true;
      readonly flags: readonly string[];
      /** Whether the hold claimed the item just now (the subject moved into review with it). */
      readonly claimed: boolean;
    }
  | { readonly ok: false; readonly outcome: Outcome };

/**
 * Makes sure the acting reviewer holds the item before working on it (RSP/1 §2.6):
 * - their own claim, live → go on; expired but untouched → go on, flagged `lease_expired`
 *   (the result says LEASE_EXPIRED_ACCEPTED);
 * - someone else took the item after the reviewer had it → CLAIM_LOST;
 * - someone else holds a live claim → CLAIMED_BY_OTHER;
 * - nobody holds it (or only an expired claim of someone else) → the reviewer claims it
 *   implicitly, flagged `implicit_claim`, so a decision made on a cached item still counts.
 * `loaded` is what the caller loaded with the item (see `WorkItem`), sparing a read.
 */
export async function takeHold(
  scope: WorkScope,
  item: ReviewItemRow,
  kind: ReviewKind,
  intent: 'approve' | 'reject' | 'other',
  loaded?: Pick<WorkItem, 'claim' | 'subject'>,
): Promise<Hold> {
  if (!kind.reviewerRoles.includes(scope.principal.role)) {
    return { ok: false, outcome: rejected('FORBIDDEN', { role: scope.principal.role }) };
  }
  const closed = await closedItemOutcome(scope, item, kind, intent);
  if (closed !== null) {
    return { ok: false, outcome: closed };
  }
  const me = scope.principal.id;
  const claim = loaded === undefined ? await activeClaim(scope.tx, item.id) : loaded.claim;
  if (claim?.reviewer_id === me) {
    return { ok: true, flags: isExpired(claim, scope) ? ['lease_expired'] : [], claimed: false };
  }
  const own = await lastOwnClaim(scope, item.id);
  const previous = own?.claim ?? null;
  if (own?.claimedByOtherSince === true) {
    const holder = claim ?? null;
    return {
      ok: false,
      outcome: conflict('CLAIM_LOST', holder === null ? {} : await holderDetails(scope, holder)),
    };
  }
  if (claim !== null) {
    if (!isExpired(claim, scope)) {
      return {
        ok: false,
        outcome: conflict('CLAIMED_BY_OTHER', await holderDetails(scope, claim)),
      };
    }
    await releaseClaim(scope, claim, 'expired');
  }
  await insertClaim(scope, item, me, null);
  if (item.state === 'pending') {
    await touchItem(scope, item, { state: 'in_review' });
    await kind.onClaimed?.(scope, item, loaded?.subject);
  }
  await scope.audit({
    subjectType: 'review_item',
    subjectId: item.subject_id,
    itemId: item.id,
    action: 'claim',
    fromState: item.state,
    toState: 'in_review',
    details: { implicit: true },
  });
  const flags = ['implicit_claim'];
  if (previous !== null && Date.parse(previous.expires_at) <= scope.now) {
    flags.push('lease_expired');
  }
  return { ok: true, flags, claimed: true };
}

/** The result of a decision taken with the given hold flags. */
export function decisionOutcome(
  flags: readonly string[],
  details: Record<string, unknown> = {},
): Outcome {
  return flags.includes('lease_expired')
    ? applied('LEASE_EXPIRED_ACCEPTED', { ...details, flags })
    : applied(undefined, { ...details, flags });
}

export async function insertFieldComments(
  scope: WorkScope,
  item: ReviewItemRow,
  comments: readonly FieldCommentInput[],
  decisionId: string | null,
): Promise<void> {
  for (const comment of comments) {
    await scope.tx.query(
      `INSERT INTO field_comments (id, item_id, revision_id, decision_id, author_id, path,
                                   reason_code, text, created_at, client_created_at, mutation_id,
                                   row_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        randomUUID(),
        item.id,
        item.revision_id,
        decisionId,
        scope.principal.id,
        comment.path,
        comment.reasonCode,
        comment.text,
        scope.nowIso,
        scope.clientCreatedAt,
        scope.mutationId,
        await scope.version(),
      ],
    );
  }
}

/**
 * Records the final decision on an item: the decision row (a unique index allows one final
 * decision per item and per revision), its field comments, the end of the claim, the item's new
 * state and the audit event. The kind updates its subject afterwards.
 */
export async function recordFinalDecision(
  scope: WorkScope,
  item: ReviewItemRow,
  decision: {
    readonly outcome: string;
    readonly reasons?: readonly ReviewReasonCode[];
    readonly note?: string;
    readonly details?: Readonly<Record<string, unknown>>;
    readonly flags: readonly string[];
    readonly comments?: readonly FieldCommentInput[];
  },
): Promise<string> {
  const decisionId = randomUUID();
  await scope.tx.query(
    `INSERT INTO decisions (id, item_id, revision_id, kind, outcome, is_final, reviewer_id, reasons,
                            note, details, flags, decided_at, client_created_at, mutation_id,
                            row_version)
     VALUES ($1, $2, $3, $4, $5, true, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      decisionId,
      item.id,
      item.revision_id,
      item.kind,
      decision.outcome,
      scope.principal.id,
      JSON.stringify(decision.reasons ?? []),
      decision.note ?? '',
      JSON.stringify(decision.details ?? {}),
      JSON.stringify(decision.flags),
      scope.nowIso,
      scope.clientCreatedAt,
      scope.mutationId,
      await scope.version(),
    ],
  );
  await insertFieldComments(scope, item, decision.comments ?? [], decisionId);
  await releaseActiveClaim(scope, item.id, 'decided');
  await touchItem(scope, item, { state: 'decided' });
  await scope.audit({
    subjectType: 'review_item',
    subjectId: item.subject_id,
    itemId: item.id,
    action: decision.outcome,
    fromState: 'in_review',
    toState: 'decided',
    reason: decision.note ?? null,
    details: { reasons: decision.reasons ?? [], flags: decision.flags },
  });
  return decisionId;
}

/**
 * Loads and locks an item (with its claim and, when `withSubject`, its kind's subject) and its
 * kind, or the outcome that ends the mutation.
 */
async function itemAndKind(
  scope: WorkScope,
  itemId: string,
  kinds: Kinds,
  withSubject = false,
): Promise<(WorkItem & { kind: ReviewKind }) | Outcome> {
  const loaded = await kinds.load(scope.tx, itemId, withSubject);
  if (loaded === null) {
    return rejected('NOT_FOUND', { itemId });
  }
  const kind = kinds.find(loaded.item.kind);
  if (kind === undefined) {
    return rejected('VALIDATION', { reason: `no module for review kind ${loaded.item.kind}` });
  }
  return { ...loaded, kind };
}

const isOutcome = (value: object): value is Outcome => 'status' in value;

/** Claims an item (or renews the caller's own claim) with a lease of `leaseMs`. */
async function claimItem(
  scope: WorkScope,
  itemId: string,
  kinds: Kinds,
  leaseMs: number,
): Promise<Outcome> {
  const found = await itemAndKind(scope, itemId, kinds, true);
  if (isOutcome(found)) {
    return found;
  }
  const { item, kind, claim, subject } = found;
  if (!kind.reviewerRoles.includes(scope.principal.role)) {
    return rejected('FORBIDDEN', { role: scope.principal.role });
  }
  const closed = await closedItemOutcome(scope, item, kind, 'other');
  if (closed !== null) {
    return closed;
  }
  if (claim?.reviewer_id === scope.principal.id) {
    const expiresAt = expiresAtFrom(scope, leaseMs);
    await scope.tx.query('UPDATE claims SET expires_at = $2 WHERE id = $1', [claim.id, expiresAt]);
    await touchItem(scope, item, {});
    return applied(undefined, { expiresAt, renewed: true });
  }
  if (claim !== null) {
    if (!isExpired(claim, scope)) {
      return conflict('CLAIMED_BY_OTHER', await holderDetails(scope, claim));
    }
    await releaseClaim(scope, claim, 'expired');
  }
  const expiresAt = await insertClaim(scope, item, scope.principal.id, null, leaseMs);
  await touchItem(scope, item, { state: 'in_review' });
  if (item.state === 'pending') {
    await kind.onClaimed?.(scope, item, subject);
  }
  await scope.audit({
    subjectType: 'review_item',
    subjectId: item.subject_id,
    itemId: item.id,
    action: 'claim',
    fromState: item.state,
    toState: 'in_review',
    details: { expiresAt, tookOverExpiredClaimOf: claim?.reviewer_id ?? null },
  });
  return applied(undefined, { expiresAt });
}

/** The core mutations of RSP/1 v1, over whichever kinds `kinds` knows. */
export function coreMutations(
  reviewKinds: readonly ReviewKind[],
): Record<string, MutationDefinition> {
  const kinds: Kinds = {
    find: (name) => reviewKinds.find((kind) => kind.kind === name),
    load: workItemLoader(
      new Map(
        reviewKinds.flatMap((kind) =>
          kind.subjectSql === undefined ? [] : [[kind.kind, kind.subjectSql] as const],
        ),
      ),
    ),
  };
  return {
    claim: defineMutation({
      v: 1,
      args: MUTATION_ARGS.claim,
      run: (scope, { itemId }) => claimItem(scope, itemId, kinds, scope.config.leaseMs),
    }),

    'claim@2': defineMutation({
      v: 2,
      args: MUTATION_ARGS_LATER.claim[2],
      run: (scope, { itemId, leaseHours }) =>
        claimItem(scope, itemId, kinds, leaseHours * 3_600_000),
    }),

    renewLease: defineMutation({
      v: 1,
      args: MUTATION_ARGS.renewLease,
      async run(scope, { itemId }) {
        const found = await itemAndKind(scope, itemId, kinds);
        if (isOutcome(found)) {
          return found;
        }
        const { item, kind, claim } = found;
        if (!kind.reviewerRoles.includes(scope.principal.role)) {
          return rejected('FORBIDDEN', { role: scope.principal.role });
        }
        const closed = await closedItemOutcome(scope, item, kind, 'other');
        if (closed !== null) {
          return closed;
        }
        if (claim?.reviewer_id !== scope.principal.id) {
          return conflict('CLAIM_LOST', claim === null ? {} : await holderDetails(scope, claim));
        }
        const expiresAt = expiresAtFrom(scope);
        await scope.tx.query('UPDATE claims SET expires_at = $2 WHERE id = $1', [
          claim.id,
          expiresAt,
        ]);
        await touchItem(scope, item, {});
        await scope.audit({
          subjectType: 'review_item',
          subjectId: item.subject_id,
          itemId: item.id,
          action: 'renew_lease',
          details: { expiresAt },
        });
        return applied(undefined, { expiresAt });
      },
    }),

    release: defineMutation({
      v: 1,
      args: MUTATION_ARGS.release,
      async run(scope, { itemId }) {
        const found = await itemAndKind(scope, itemId, kinds, true);
        if (isOutcome(found)) {
          return found;
        }
        const { item, kind, claim, subject } = found;
        if (!kind.reviewerRoles.includes(scope.principal.role)) {
          return rejected('FORBIDDEN', { role: scope.principal.role });
        }
        const closed = await closedItemOutcome(scope, item, kind, 'other');
        if (closed !== null) {
          return closed;
        }
        if (claim?.reviewer_id !== scope.principal.id) {
          return conflict('CLAIM_LOST', claim === null ? {} : await holderDetails(scope, claim));
        }
        await releaseClaim(scope, claim, 'released');
        await touchItem(scope, item, { state: 'pending', assigneeId: null });
        await kind.onReleased?.(scope, item, subject);
        await scope.audit({
          subjectType: 'review_item',
          subjectId: item.subject_id,
          itemId: item.id,
          action: 'release',
          fromState: 'in_review',
          toState: 'pending',
        });
        return applied();
      },
    }),

    assign: defineMutation({
      v: 1,
      args: MUTATION_ARGS.assign,
      async run(scope, { itemId, assigneeId }) {
        const found = await itemAndKind(scope, itemId, kinds, true);
        if (isOutcome(found)) {
          return found;
        }
        const { item, kind, claim, subject } = found;
        if (!kind.assignerRoles.includes(scope.principal.role)) {
          return rejected('FORBIDDEN', { role: scope.principal.role });
        }
        const assignee = await findUserById(scope.tx, assigneeId);
        if (assignee === null || !assignee.active || !kind.reviewerRoles.includes(assignee.role)) {
          return rejected('VALIDATION', {
            reason:
              assignee === null
                ? 'unknown_assignee'
                : !assignee.active
                  ? 'assignee_inactive'
                  : 'assignee_role',
          });
        }
        const closed = await closedItemOutcome(scope, item, kind, 'other');
        if (closed !== null) {
          return closed;
        }
        let expiresAt: string;
        if (claim?.reviewer_id === assigneeId) {
          expiresAt = expiresAtFrom(scope);
          await scope.tx.query(
            'UPDATE claims SET expires_at = $2, assigned_by = $3 WHERE id = $1',
            [claim.id, expiresAt, scope.principal.id],
          );
        } else {
          if (claim !== null) {
            await releaseClaim(scope, claim, 'reassigned');
          }
          expiresAt = await insertClaim(scope, item, assigneeId, scope.principal.id);
        }
        await touchItem(scope, item, { state: 'in_review', assigneeId });
        if (item.state === 'pending') {
          await kind.onClaimed?.(scope, item, subject);
        }
        await scope.audit({
          subjectType: 'review_item',
          subjectId: item.subject_id,
          itemId: item.id,
          action: 'assign',
          fromState: item.state,
          toState: 'in_review',
          details: { assigneeId, previousHolderId: claim?.reviewer_id ?? null, expiresAt },
        });
        return applied(undefined, { assigneeId, expiresAt });
      },
    }),

    comment: defineMutation({
      v: 1,
      args: MUTATION_ARGS.comment,
      async run(scope, { itemId, path, text, reasonCode }) {
        const found = await itemAndKind(scope, itemId, kinds);
        if (isOutcome(found)) {
          return found;
        }
        const { item, kind } = found;
        // A comment is a note on the item, not a decision: any reviewer of the kind may add
        // one, whoever holds the item and even after it was decided (e.g. "my decision was…"
        // after a conflict). It never claims the item.
        if (!kind.reviewerRoles.includes(scope.principal.role)) {
          return rejected('FORBIDDEN', { role: scope.principal.role });
        }
        await insertFieldComments(
          scope,
          item,
          [{ path, text, reasonCode: reasonCode ?? 'other' }],
          null,
        );
        await scope.audit({
          subjectType: 'review_item',
          subjectId: item.subject_id,
          itemId: item.id,
          action: 'comment',
          details: { path, reasonCode: reasonCode ?? 'other', itemState: item.state },
        });
        return applied();
      },
    }),

    logTime: defineMutation({
      v: 1,
      args: MUTATION_ARGS.logTime,
      async run(scope, { itemId, seconds, startedAt }) {
        const found = await itemAndKind(scope, itemId, kinds);
        if (isOutcome(found)) {
          return found;
        }
        const { item, kind } = found;
        if (
          !kind.reviewerRoles.includes(scope.principal.role) &&
          !kind.assignerRoles.includes(scope.principal.role)
        ) {
          return rejected('FORBIDDEN', { role: scope.principal.role });
        }
        // Time spent counts whatever happened to the item since: it is the reviewer's actual work.
        await scope.tx.query(
          `INSERT INTO time_entries (id, item_id, user_id, started_at, seconds, recorded_at, mutation_id, row_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            randomUUID(),
            item.id,
            scope.principal.id,
            startedAt,
            seconds,
            scope.nowIso,
            scope.mutationId,
            await scope.version(),
          ],
        );
        return applied();
      },
    }),

    approve: defineMutation({
      v: 1,
      args: MUTATION_ARGS.approve,
      async run(scope, { itemId, comments }) {
        return decideGeneric(scope, itemId, kinds, {
          outcome: 'approve',
          reasons: [],
          comments: comments ?? [],
        });
      },
    }),

    reject: defineMutation({
      v: 1,
      args: MUTATION_ARGS.reject,
      async run(scope, { itemId, reasons, comments }) {
        return decideGeneric(scope, itemId, kinds, { outcome: 'reject', reasons, comments });
      },
    }),
  };
}

async function decideGeneric(
  scope: WorkScope,
  itemId: string,
  kinds: Kinds,
  decision: {
    outcome: 'approve' | 'reject';
    reasons: readonly ReviewReasonCode[];
    comments: readonly FieldCommentInput[];
  },
): Promise<Outcome> {
  const found = await itemAndKind(scope, itemId, kinds, true);
  if (isOutcome(found)) {
    return found;
  }
  const { item, kind } = found;
  if (kind.decide === undefined) {
    return rejected('VALIDATION', { reason: 'kind_has_own_decisions', kind: item.kind });
  }
  const hold = await takeHold(scope, item, kind, decision.outcome, found);
  if (!hold.ok) {
    const retarget = hold.outcome.details?.['retargetItemId'];
    if (
      retargetAllowed(hold.outcome, decision.outcome) &&
      typeof retarget === 'string' &&
      retarget !== itemId
    ) {
      const onSuccessor = await decideGeneric(scope, retarget, kinds, decision);
      if (onSuccessor.status === 'applied') {
        return applied('STALE_BASE', {
          ...(onSuccessor.details ?? {}),
          appliedToItemId: retarget,
          originalItemId: itemId,
        });
      }
      const { retargetItemId: _dropped, ...details } = hold.outcome.details ?? {};
      return conflict('STALE_BASE', details);
    }
    return hold.outcome;
  }
  // A hold that claimed just now moved the subject on: the kind reads it again.
  return kind.decide(scope, item, decision, hold.flags, hold.claimed ? undefined : found.subject);
}

/** Only a rejection is carried over to a newer revision; an approval must see the new content. */
function retargetAllowed(outcome: Outcome, intent: 'approve' | 'reject'): boolean {
  return outcome.status === 'conflict' && outcome.code === 'STALE_BASE' && intent === 'reject';
}
