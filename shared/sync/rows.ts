import type { ReviewReasonCode } from '../domain/review/reasons';
import type { Role } from '../domain/roles';

/**
 * The shapes of mirrored rows as the server sends them in `RowChange.data` (camelCase; times are
 * ISO strings in UTC, server time). The workstation keeps them unchanged in its `srv_*` tables.
 */

export type ItemState = 'pending' | 'in_review' | 'decided' | 'withdrawn' | 'cancelled';

export interface ClaimRecord {
  readonly reviewerId: string;
  readonly claimedAt: string;
  readonly expiresAt: string;
  readonly assignedBy: string | null;
}

export interface ReviewItemRecord {
  readonly id: string;
  /** The review kind: `listing_revision`, `homework`, `homework_mentor`, `refund`, … */
  readonly kind: string;
  readonly subjectId: string;
  readonly revisionId: string | null;
  readonly state: ItemState;
  readonly priority: number;
  readonly dueAt: string | null;
  readonly assigneeId: string | null;
  readonly supersedesItemId: string | null;
  readonly title: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly claim: ClaimRecord | null;
  /** Listing revisions only (null or empty otherwise): the queue's filter fields. */
  readonly country: string | null;
  readonly stages: readonly string[];
  readonly institutionName: string | null;
}

export interface TimeEntryRecord {
  readonly id: string;
  readonly itemId: string;
  readonly userId: string;
  /** Device time the slice started. */
  readonly startedAt: string;
  readonly seconds: number;
  /** Server time the slice arrived. */
  readonly recordedAt: string;
}

export interface DecisionRecord {
  readonly id: string;
  readonly itemId: string;
  readonly revisionId: string | null;
  readonly kind: string;
  readonly outcome: string;
  readonly isFinal: boolean;
  readonly reviewerId: string;
  readonly reasons: readonly ReviewReasonCode[];
  readonly note: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly flags: readonly string[];
  readonly decidedAt: string;
  readonly clientCreatedAt: string | null;
}

export interface FieldCommentRecord {
  readonly id: string;
  readonly itemId: string;
  readonly revisionId: string | null;
  readonly decisionId: string | null;
  readonly authorId: string;
  readonly path: string;
  readonly reasonCode: ReviewReasonCode;
  readonly text: string;
  readonly carriedFromId: string | null;
  readonly fieldChanged: boolean | null;
  readonly createdAt: string;
  readonly clientCreatedAt: string | null;
}

export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly active: boolean;
  readonly institutionId: string | null;
}

export interface ListingRecord {
  readonly id: string;
  readonly institutionId: string;
  readonly ownerId: string;
  readonly state: string;
  readonly currentRevisionId: string | null;
  readonly liveRevisionId: string | null;
  readonly name: string;
  readonly country: string | null;
  readonly offlineReason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AuditEventRecord {
  readonly id: string;
  readonly at: string;
  readonly actorId: string | null;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly itemId: string | null;
  readonly action: string;
  readonly fromState: string | null;
  readonly toState: string | null;
  readonly reason: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly clientCreatedAt: string | null;
}
