import type { Role } from '#shared/domain/roles';
import type { ItemView } from '#shared/sync/view';

/**
 * What the workstation offers per review kind. It mirrors the server's kind modules (who may
 * claim and decide), only to avoid offering buttons the server would refuse; the server decides.
 */
export type DecisionForm = 'approveReject' | 'grade' | 'mentorReview';

export interface KindRule {
  readonly reviewerRoles: readonly Role[];
  readonly decision: DecisionForm;
}

export const KIND_RULES: Readonly<Record<string, KindRule>> = {
  listing_revision: { reviewerRoles: ['reviewer', 'ops_manager'], decision: 'approveReject' },
  refund: { reviewerRoles: ['ops_manager'], decision: 'approveReject' },
  homework: { reviewerRoles: ['ta'], decision: 'grade' },
  homework_mentor: { reviewerRoles: ['mentor'], decision: 'mentorReview' },
};

/** Kinds in the order tabs show them; kinds this release does not know come last. */
export const KIND_ORDER = ['listing_revision', 'refund', 'homework', 'homework_mentor'] as const;

export function sortKinds(kinds: readonly string[]): string[] {
  const rank = (kind: string) => {
    const index = (KIND_ORDER as readonly string[]).indexOf(kind);
    return index === -1 ? KIND_ORDER.length : index;
  };
  return [...kinds].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export type QueueAction = 'claim' | 'release' | 'approve' | 'reject' | 'grade' | 'mentorReview';

/**
 * The actions a row offers, from the item as the user sees it (server row ⊕ their pending
 * work): claim when nobody holds it (or the lease expired), release when I hold it, and the
 * kind's decision unless someone else holds it. Nothing is offered while a decision of mine
 * waits to be sent (a pending decision is never decided twice), nor once it applied.
 */
export function availableActions(view: ItemView, role: Role): QueueAction[] {
  const rule = KIND_RULES[view.item.kind];
  const open = view.item.state === 'pending' || view.item.state === 'in_review';
  // A decision of mine pending, or applied while the item's new state is still on its way.
  const decided =
    view.decision.kind === 'saved' ||
    view.decision.kind === 'syncing' ||
    view.decision.kind === 'synced';
  if (rule === undefined || !rule.reviewerRoles.includes(role) || !open || decided) {
    return [];
  }
  if (view.heldByOther) {
    return [];
  }
  const decide: QueueAction[] =
    rule.decision === 'approveReject'
      ? ['approve', 'reject']
      : rule.decision === 'grade'
        ? ['grade']
        : ['mentorReview'];
  // Deciding an item nobody holds is fine: the server claims it for the decider (an offline
  // decision on a cached item still counts). Claiming first keeps others off it meanwhile.
  return view.heldByMe ? [...decide, 'release'] : ['claim', ...decide];
}

/**
 * Whether the user may assign the item to someone (the operations manager, on open items with no
 * decision of theirs pending). The server checks the kind's assigner roles.
 */
export function canAssign(view: ItemView, role: Role): boolean {
  const open = view.item.state === 'pending' || view.item.state === 'in_review';
  const decided =
    view.decision.kind === 'saved' ||
    view.decision.kind === 'syncing' ||
    view.decision.kind === 'synced';
  return role === 'ops_manager' && KIND_RULES[view.item.kind] !== undefined && open && !decided;
}
