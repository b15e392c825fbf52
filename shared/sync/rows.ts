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

/** A homework submission as TAs, mentors and ops managers see it. */
export interface HomeworkSubmissionRecord {
  readonly id: string;
  readonly studentId: string;
  readonly studentName: string;
  readonly chapter: string;
  readonly articleUrl: string;
  /** The article's text as the course platform captured it at submission. */
  readonly articleText: string;
  readonly reflection: string;
  /** Ids of the submission's screenshot files (download through `/api/v1/files/{id}`). */
  readonly screenshots: readonly string[];
  readonly state: 'submitted' | 'ta_passed' | 'ta_rejected' | 'mentor_reviewed' | 'archived';
  readonly score: number | null;
  readonly taFeedback: string | null;
  readonly taId: string | null;
  readonly mentorId: string | null;
  readonly excellent: boolean | null;
  readonly mentorComment: string | null;
  readonly submittedAt: string;
  readonly taDueAt: string;
  readonly taDecidedAt: string | null;
  readonly mentorReviewedAt: string | null;
  readonly archivedAt: string | null;
  readonly updatedAt: string;
  /** SHA-256 of the current evidence snapshot, and its version (1 = as first submitted). */
  readonly evidenceSha256: string | null;
  readonly evidenceVersion: number;
  /** The TA's criterion scores (criterion id → points), once graded against a rubric. */
  readonly criterionScores: Readonly<Record<string, number>> | null;
  /** The evidence digest the TA graded. */
  readonly gradedEvidenceSha256: string | null;
  /** The device's advisory near-duplicate findings recorded with the grade. */
  readonly duplicateFlags: readonly {
    readonly submissionId: string;
    readonly similarity: number;
  }[];
}

export interface RubricCriterionRecord {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly points: number;
}

/** A chapter's rubric. */
export interface RubricRecord {
  readonly id: string;
  readonly chapter: string;
  readonly title: string;
  readonly maxScore: number;
  readonly criteria: readonly RubricCriterionRecord[];
  readonly revision: number;
  readonly updatedBy: string | null;
  readonly updatedAt: string;
}

/** An entry of a chapter's comment bank. */
export interface CommentBankRecord {
  readonly id: string;
  readonly chapter: string;
  readonly language: 'zh-CN' | 'en';
  readonly text: string;
  readonly useCount: number;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A student of the course (the roster, with progress and the last contact). */
export interface StudentRecord {
  readonly id: string;
  /** The course platform's student id, e.g. `S2026001`; what submissions name. */
  readonly studentId: string;
  readonly name: string;
  readonly cohort: string;
  /** The student's course language: feedback is written in it. */
  readonly language: 'zh-CN' | 'en';
  readonly joinedAt: string;
  /** Decimal string 0–100, e.g. `"7.5"`. */
  readonly progressPercent: string;
  readonly purchasedAt: string | null;
  readonly contactedAt: string | null;
  readonly contactedBy: string | null;
  readonly contactNote: string | null;
  readonly updatedAt: string;
}

/** One frozen version of what a student submitted. */
export interface HomeworkEvidenceRecord {
  readonly id: string;
  readonly submissionId: string;
  readonly version: number;
  readonly articleUrl: string;
  readonly articleText: string;
  readonly reflection: string;
  /** SHA-256 (hex) of each screenshot, in order. */
  readonly screenshots: readonly string[];
  /** SHA-256 over `evidenceCanonicalText` of the above. */
  readonly sha256: string;
  readonly capturedAt: string;
}

/** A row of the student record (学员档案): archived work. */
export interface StudentArchiveRecord {
  readonly id: string;
  readonly submissionId: string;
  readonly studentId: string;
  readonly studentName: string;
  readonly chapter: string;
  readonly score: number | null;
  readonly excellent: boolean;
  readonly mentorComment: string | null;
  readonly taId: string | null;
  readonly mentorId: string | null;
  readonly archivedAt: string;
}
