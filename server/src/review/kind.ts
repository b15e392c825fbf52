import type { z } from 'zod';
import type { Role } from '#shared/domain/roles';
import type { ReviewReasonCode } from '#shared/domain/review/reasons';
import type { FieldCommentInput } from '#shared/sync/mutations';
import type { ReviewItemRow } from './items';
import type { Outcome, WorkScope } from './scope';

/** A sync mutation: its version, argument schema and what it does inside its transaction. */
export interface MutationDefinition<Args extends z.ZodType = z.ZodType> {
  readonly v: number;
  readonly args: Args;
  run(scope: WorkScope, args: z.infer<Args>): Promise<Outcome>;
}

/** Builds a definition with the argument type inferred from its schema. */
export function defineMutation<Args extends z.ZodType>(
  definition: MutationDefinition<Args>,
): MutationDefinition {
  return definition;
}

export interface GenericDecision {
  readonly outcome: 'approve' | 'reject';
  readonly reasons: readonly ReviewReasonCode[];
  readonly comments: readonly FieldCommentInput[];
}

/**
 * A review kind (listing revision, homework, refund, …) plugged into the generic core. The core
 * owns queues, leases, assignment, comments, decisions, audit and sync; a kind says who works on
 * its items, keeps its subject (listing, submission, refund) in step, and may add mutations.
 * Adding a kind means adding a module to `kinds/index.ts`; the core does not change.
 */
export interface ReviewKind {
  readonly kind: string;
  /** Roles that may claim, comment on and decide items of this kind. */
  readonly reviewerRoles: readonly Role[];
  /** Roles that may assign items of this kind to someone. */
  readonly assignerRoles: readonly Role[];
  /** Roles whose workstations mirror items of this kind (and their decisions, comments, history). */
  readonly visibleTo: readonly Role[];
  /**
   * Optional: the item's subject, read and locked in the statement that loads and locks the
   * item, so claiming or deciding costs one read instead of one per table. A scalar sub-select
   * returning one JSON value, in which the review item row is `item`, e.g.
   * `SELECT to_jsonb(s) FROM refund_requests s WHERE s.id = item.subject_id FOR UPDATE`.
   * The core hands the value to the hooks below as `subject`; it is `undefined` when the item
   * was loaded otherwise or the kind's data may have changed since (then the hook reads itself).
   */
  readonly subjectSql?: string;
  /** The item has just been claimed (or assigned): move the subject into review. */
  onClaimed?(scope: WorkScope, item: ReviewItemRow, subject?: unknown): Promise<void>;
  /** The claim was given back: move the subject back to waiting. */
  onReleased?(scope: WorkScope, item: ReviewItemRow, subject?: unknown): Promise<void>;
  /**
   * Generic approve/reject. Called with the item locked and held by the caller; it records the
   * final decision (see `recordFinalDecision`) and updates the subject. Kinds without it decide
   * through their own mutations (homework: gradeHomework, mentorReview).
   */
  decide?(
    scope: WorkScope,
    item: ReviewItemRow,
    decision: GenericDecision,
    flags: readonly string[],
    subject?: unknown,
  ): Promise<Outcome>;
  /**
   * Optional precondition check run before a decision, after the item's own state: the subject
   * may have moved on (withdrawn, a newer revision submitted). Returns an outcome to stop with.
   */
  checkSubject?(
    scope: WorkScope,
    item: ReviewItemRow,
    intent: 'approve' | 'reject' | 'other',
  ): Promise<Outcome | null>;
  /** Mutations this kind adds to RSP/1, by name. */
  readonly mutations?: Readonly<Record<string, MutationDefinition>>;
}
