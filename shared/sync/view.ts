import type { LocalizedText } from '../i18n/localized';
import type { MutationName } from './mutations';
import type { MutationResult, ResultCode } from './protocol';
import { resultMessage } from './resultMessages';
import type { DecisionRecord, ReviewItemRecord } from './rows';

/**
 * Pure reducers of the workstation: what the user sees is the server's rows combined with their
 * own pending mutations, computed on read. Synced rows are never changed optimistically, so
 * dropping or re-downloading the mirror can never lose a pending decision (RSP/1 §2.5 rule 2).
 */

/** A mutation recorded on this device and not yet answered by the server. */
export interface PendingMutation {
  readonly seq: number;
  readonly mutationId: string;
  readonly name: string;
  readonly args: unknown;
  /** `pending`: saved on this device; `sending`: a push with it is under way. */
  readonly status: 'pending' | 'sending';
  /** Device time it was recorded. */
  readonly createdAt: string;
  /** Set after a pull when the server's rows say it will probably not apply. */
  readonly atRisk: AtRisk | null;
}

export interface AtRisk {
  readonly code: ResultCode;
  readonly message: LocalizedText;
}

/**
 * Where the user's latest decision on an item stands: saved on this device → syncing → synced
 * (server time) or conflict / rejected. `none` when the user has not decided on it.
 */
export type DecisionState =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'saved';
      readonly name: string;
      readonly at: string;
      readonly atRisk: AtRisk | null;
    }
  | { readonly kind: 'syncing'; readonly name: string; readonly at: string }
  | {
      readonly kind: 'synced';
      readonly name: string;
      readonly serverTime: string;
      readonly code: ResultCode | null;
    }
  | { readonly kind: 'conflict'; readonly name: string; readonly result: MutationResult };

/** Mutations that decide an item (as opposed to claiming or commenting on it). */
export const DECIDING_MUTATIONS: ReadonlySet<string> = new Set<MutationName>([
  'approve',
  'reject',
  'gradeHomework',
  'mentorReview',
  'closeEscalation',
]);

/** The item a mutation is about, or null for mutations on other things (takedown of a listing). */
export function mutationItemId(args: unknown): string | null {
  if (
    typeof args === 'object' &&
    args !== null &&
    'itemId' in args &&
    typeof args.itemId === 'string'
  ) {
    return args.itemId;
  }
  return null;
}

/** An item as the user sees it: the server's row, plus what they have pending on it. */
export interface ItemView {
  readonly item: ReviewItemRecord;
  readonly pending: readonly PendingMutation[];
  /** Held by this user: on the server, or by a pending claim of theirs. */
  readonly heldByMe: boolean;
  /** Held by someone else, according to the latest pull. */
  readonly heldByOther: boolean;
  readonly decision: DecisionState;
}

export function itemView(
  item: ReviewItemRecord,
  options: {
    readonly userId: string;
    readonly pending: readonly PendingMutation[];
    /** The user's own results for mutations on this item, newest last. */
    readonly results: readonly MutationResult[];
    /** Server time now, for lease expiry. */
    readonly serverNow: number;
  },
): ItemView {
  const pending = options.pending.filter((mutation) => mutationItemId(mutation.args) === item.id);
  const released = [...pending]
    .reverse()
    .find((mutation) => mutation.name === 'release' || mutation.name === 'claim');
  const claimLive = item.claim !== null && Date.parse(item.claim.expiresAt) > options.serverNow;
  const heldOnServer = item.claim?.reviewerId === options.userId;
  const heldByMe =
    released === undefined ? heldOnServer && item.state === 'in_review' : released.name === 'claim';
  const heldByOther = item.claim !== null && !heldOnServer && claimLive;
  return {
    item,
    pending,
    heldByMe,
    heldByOther,
    decision: decisionState(pending, options.results),
  };
}

function decisionState(
  pending: readonly PendingMutation[],
  results: readonly MutationResult[],
): DecisionState {
  const deciding = [...pending].reverse().find((mutation) => DECIDING_MUTATIONS.has(mutation.name));
  if (deciding !== undefined) {
    return deciding.status === 'sending'
      ? { kind: 'syncing', name: deciding.name, at: deciding.createdAt }
      : { kind: 'saved', name: deciding.name, at: deciding.createdAt, atRisk: deciding.atRisk };
  }
  const answered = [...results].reverse().find((result) => DECIDING_MUTATIONS.has(result.name));
  if (answered === undefined) {
    return { kind: 'none' };
  }
  if (answered.status === 'applied' || answered.status === 'duplicate') {
    return {
      kind: 'synced',
      name: answered.name,
      serverTime: answered.serverTime,
      code: answered.code,
    };
  }
  return { kind: 'conflict', name: answered.name, result: answered };
}

/**
 * Re-checks a pending mutation against the latest server rows (RSP/1 §2.5 rule 5): the reason it
 * will probably not apply, or null. Advisory only — the server decides.
 */
export function precheck(
  mutation: Pick<PendingMutation, 'name' | 'args'>,
  context: {
    readonly userId: string;
    readonly item: ReviewItemRecord | undefined;
    readonly decision: DecisionRecord | undefined;
    readonly serverNow: number;
    readonly holderName?: string;
  },
): AtRisk | null {
  const { item } = context;
  if (item === undefined || mutationItemId(mutation.args) === null) {
    return null;
  }
  const risk = (code: ResultCode, details: Record<string, unknown> = {}): AtRisk => ({
    code,
    message: resultMessage(code, details),
  });
  if (item.state === 'decided') {
    return risk('ALREADY_DECIDED', { decision: context.decision ?? null });
  }
  if (item.state === 'withdrawn' || item.state === 'cancelled') {
    return risk('WITHDRAWN');
  }
  const claim = item.claim;
  const otherHolds =
    claim !== null &&
    claim.reviewerId !== context.userId &&
    Date.parse(claim.expiresAt) > context.serverNow;
  if (otherHolds && mutation.name !== 'assign') {
    return risk('CLAIMED_BY_OTHER', {
      holderName: context.holderName ?? claim.reviewerId,
      expiresAt: claim.expiresAt,
    });
  }
  return null;
}
