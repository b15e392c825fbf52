import type { Role } from '#shared/domain/roles';
import type { ItemView } from '#shared/sync/view';
import { findKindModule, kindModules } from '../../kinds/registry';

/**
 * What the queue offers per review kind, read from the kind modules (`renderer/src/kinds/`).
 * They mirror the server's kind modules (who may claim and decide), only to avoid offering
 * buttons the server would refuse; the server decides.
 */

/** Kinds in the order tabs show them; kinds this release does not know come last. */
export function sortKinds(kinds: readonly string[]): string[] {
  const known = kindModules().map((module) => module.kind);
  const rank = (kind: string) => {
    const index = known.indexOf(kind);
    return index === -1 ? known.length : index;
  };
  return [...kinds].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Roles that work on items of a kind (none for a kind this release does not know). */
export function reviewerRolesOf(kind: string): readonly Role[] {
  return findKindModule(kind)?.reviewerRoles ?? [];
}

/**
 * A row's actions. `decide` is the kind's own decision (grade homework, review the pool): its
 * module names it and says whether it opens a dialog or the item page.
 */
export type QueueAction = 'claim' | 'release' | 'approve' | 'reject' | 'decide';

/**
 * The actions a row offers, from the item as the user sees it (server row ⊕ their pending
 * work): claim when nobody holds it (or the lease expired), release when I hold it, and the
 * kind's decision unless someone else holds it. Nothing is offered while a decision of mine
 * waits to be sent (a pending decision is never decided twice), nor once it applied.
 */
export function availableActions(view: ItemView, role: Role): QueueAction[] {
  const module = findKindModule(view.item.kind);
  const open = view.item.state === 'pending' || view.item.state === 'in_review';
  // A decision of mine pending, or applied while the item's new state is still on its way.
  const decided =
    view.decision.kind === 'saved' ||
    view.decision.kind === 'syncing' ||
    view.decision.kind === 'synced';
  if (module === undefined || !module.reviewerRoles.includes(role) || !open || decided) {
    return [];
  }
  if (view.heldByOther) {
    return [];
  }
  const decide: QueueAction[] =
    module.decision === 'approveReject' ? ['approve', 'reject'] : ['decide'];
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
  return role === 'ops_manager' && findKindModule(view.item.kind) !== undefined && open && !decided;
}
