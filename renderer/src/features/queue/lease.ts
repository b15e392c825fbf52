import type { TFunction } from 'i18next';
import type { AuditEventRecord, ReviewItemRecord } from '#shared/sync/rows';
import { mutationItemId, type AtRisk, type PendingMutation } from '#shared/sync/view';

/**
 * Leases and "changed since I claimed it", as pure functions of the server's rows, the user's
 * pending mutations and server time (never the device clock: `workspace.serverNow()`).
 */

/** Milliseconds left on a claim's lease (negative once expired), or null without a claim. */
export function leaseRemaining(item: ReviewItemRecord, serverNow: number): number | null {
  return item.claim === null ? null : Date.parse(item.claim.expiresAt) - serverNow;
}

/** A lease countdown: "2 h 05 min", "12 min", "< 1 min" (rounded down: never promises more). */
export function formatDuration(ms: number, t: TFunction): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) {
    return t('queueView.duration.underMinute');
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours === 0
    ? t('queueView.duration.minutes', { minutes: rest })
    : t('queueView.duration.hours', { hours, minutes: String(rest).padStart(2, '0') });
}

/** The countdown a row shows for the lease I hold, or null. */
export function leaseCountdown(
  item: ReviewItemRecord,
  userId: string,
  serverNow: number,
  t: TFunction,
): { readonly text: string; readonly expired: boolean; readonly soon: boolean } | null {
  const left = leaseRemaining(item, serverNow);
  if (left === null || item.claim?.reviewerId !== userId) {
    return null;
  }
  if (left <= 0) {
    return { text: t('queueView.lease.expired'), expired: true, soon: false };
  }
  return {
    text: t('queueView.lease.left', { duration: formatDuration(left, t) }),
    expired: false,
    soon: left < 15 * 60_000,
  };
}

export type ChangeReason = 'assigned' | 'cancelled' | 'changed' | 'atRisk';

export interface ChangeFlag {
  readonly reason: ChangeReason;
  /** Who changed it (a user id), when known. */
  readonly by: string | null;
  /** Server time of the change, when known. */
  readonly at: string | null;
  readonly atRisk: AtRisk | null;
}

const CANCELLING = new Set(['cancel', 'withdraw', 'takedown', 'archive']);

/**
 * Whether an item I claimed changed afterwards by someone else's action: an audit event on it
 * after my claim by another user (assigned elsewhere, cancelled, withdrawn…), the item's row
 * changed on the server after a claim of mine that is still on its way, or the pull's re-check
 * says a pending mutation of mine on it will probably not apply.
 */
export function changedAfterClaim(
  item: ReviewItemRecord,
  context: {
    readonly userId: string;
    readonly pending: readonly PendingMutation[];
    /** Audit events on the item (any order). */
    readonly audit: readonly AuditEventRecord[];
  },
): ChangeFlag | null {
  const mine = context.pending.filter((mutation) => mutationItemId(mutation.args) === item.id);
  const risky = mine.find((mutation) => mutation.atRisk !== null);
  if (risky?.atRisk !== undefined && risky.atRisk !== null) {
    return { reason: 'atRisk', by: null, at: null, atRisk: risky.atRisk };
  }
  const claim = item.claim;
  if (claim !== null && claim.reviewerId === context.userId) {
    const after = context.audit
      .filter(
        (event) =>
          event.at > claim.claimedAt &&
          event.actorId !== null &&
          event.actorId !== context.userId &&
          event.action !== 'comment',
      )
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))[0];
    if (after !== undefined) {
      return {
        reason:
          after.action === 'assign'
            ? 'assigned'
            : CANCELLING.has(after.action)
              ? 'cancelled'
              : 'changed',
        by: after.actorId,
        at: after.at,
        atRisk: null,
      };
    }
    return null;
  }
  const pendingClaim = [...mine].reverse().find((mutation) => mutation.name === 'claim');
  if (pendingClaim !== undefined && item.updatedAt > pendingClaim.createdAt) {
    return { reason: 'changed', by: null, at: item.updatedAt, atRisk: null };
  }
  return null;
}
