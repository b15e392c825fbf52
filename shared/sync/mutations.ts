import { z } from 'zod';
import { ESCALATION_RESOLUTIONS } from '../domain/escalation';
import { REVIEW_REASON_CODES } from '../domain/review/reasons';
import {
  MAX_CRITERION_DESCRIPTION,
  MAX_CRITERION_TITLE,
  MAX_FEEDBACK_LENGTH,
  MAX_RUBRIC_CRITERIA,
} from '../domain/rubric';

/**
 * The mutations of RSP/1: named, versioned intents with preconditions (not row patches). The
 * workstation records them in its outbox; the server validates the arguments with these same
 * schemas and decides. Changing a mutation's arguments means a new version, never an edit.
 */

const id = z.uuid();
/** A field of the reviewed document, as an RFC 6901 JSON Pointer (`/basic/name`, `` for all). */
const fieldPath = z
  .string()
  .max(300)
  .regex(/^(\/[^/]*)*$/);
const text = (max: number) => z.string().trim().min(1).max(max);

export const fieldCommentSchema = z.object({
  path: fieldPath,
  reasonCode: z.enum(REVIEW_REASON_CODES),
  text: text(2000),
});
export type FieldCommentInput = z.infer<typeof fieldCommentSchema>;

/** Longest lease a reviewer may ask for: a working day taken offline ("take N for H hours"). */
export const MAX_LEASE_HOURS = 12;

export const MUTATION_ARGS = {
  claim: z.object({ itemId: id }),
  renewLease: z.object({ itemId: id }),
  release: z.object({ itemId: id }),
  approve: z.object({ itemId: id, comments: z.array(fieldCommentSchema).max(200).optional() }),
  reject: z.object({
    itemId: id,
    reasons: z.array(z.enum(REVIEW_REASON_CODES)).min(1).max(REVIEW_REASON_CODES.length),
    comments: z.array(fieldCommentSchema).min(1).max(200),
  }),
  comment: z.object({
    itemId: id,
    path: fieldPath,
    text: text(2000),
    reasonCode: z.enum(REVIEW_REASON_CODES).optional(),
  }),
  takedown: z.object({ listingId: id, reason: text(500) }),
  forceTakedown: z.object({ listingId: id, reason: text(500) }),
  assign: z.object({ itemId: id, assigneeId: id }),
  gradeHomework: z.object({
    itemId: id,
    outcome: z.enum(['pass', 'reject']),
    score: z.number().int().min(0).max(100).optional(),
    feedback: z.string().trim().max(2000),
  }),
  mentorReview: z.object({
    itemId: id,
    excellent: z.boolean(),
    comment: z.string().trim().max(2000),
  }),
  /**
   * An ops manager saves a chapter's rubric (create or replace). The points must add up to
   * `maxScore` (`validateRubric`, checked again by the server); `baseRevision` is the revision the
   * manager edited (absent for a new rubric): a rubric saved meanwhile by someone else conflicts.
   */
  saveRubric: z.object({
    rubricId: id,
    chapter: text(100),
    title: z.string().trim().max(100),
    maxScore: z.number().int().min(1).max(100),
    criteria: z
      .array(
        z.object({
          id,
          title: z.string().trim().max(MAX_CRITERION_TITLE),
          description: z.string().trim().max(MAX_CRITERION_DESCRIPTION),
          points: z.number().int().min(1).max(100),
        }),
      )
      .min(1)
      .max(MAX_RUBRIC_CRITERIA),
    baseRevision: z.number().int().min(1).optional(),
  }),
  /** A TA or ops manager adds (new id) or edits an entry of a chapter's comment bank. */
  saveBankComment: z.object({
    commentId: id,
    chapter: text(100),
    language: z.enum(['zh-CN', 'en']),
    text: text(MAX_FEEDBACK_LENGTH),
  }),
  /** The SOP's private-chat intervention: someone contacted a student who is falling behind. */
  noteStudentContact: z.object({
    studentId: z.string().trim().min(1).max(64),
    note: z.string().trim().max(500),
  }),
  /**
   * A person of the desk answers an escalated customer-service conversation (运营 SOP 9.2): the
   * reply joins the thread as an agent message, which the bot platform relays to the customer.
   */
  replyEscalation: z.object({ itemId: id, text: text(2000) }),
  /** Closes an escalation with how it was resolved (a final decision on the item). */
  closeEscalation: z.object({
    itemId: id,
    resolution: z.enum(ESCALATION_RESOLUTIONS),
    note: z.string().trim().max(500),
  }),
  /**
   * Saves a listing draft edited on this device (offline included). `baseRevisionId` and
   * `baseRowVersion` name the server's revision the edit started from (null for none yet): when
   * the server's draft moved on meanwhile, the answer is a STALE_BASE conflict carrying the
   * server's document, which the device merges three-way with its own and the base.
   */
  saveDraft: z.object({
    listingId: id,
    document: z.record(z.string(), z.unknown()),
    baseRevisionId: id.nullable(),
    baseRowVersion: z.number().int().min(0).nullable(),
  }),
  /** Time the reviewer had the item open with the window focused, in one slice. */
  logTime: z.object({
    itemId: id,
    seconds: z
      .number()
      .int()
      .min(1)
      .max(12 * 3600),
    startedAt: z.iso.datetime({ offset: true }),
  }),
} as const;

/**
 * `gradeHomework@2`: a grade against the chapter's rubric. The score is the sum of the criterion
 * scores (the server recomputes it); `rubricRevision` and `evidenceSha256` say what the TA scored
 * against and looked at; `bankCommentIds` are the comment-bank entries inserted into the feedback
 * (their use counts grow); `duplicateFlags` are the device's advisory near-duplicate findings,
 * recorded with the grade.
 */
export const gradeHomeworkV2 = z.object({
  itemId: id,
  outcome: z.enum(['pass', 'reject']),
  rubricId: id,
  rubricRevision: z.number().int().min(1),
  criterionScores: z.record(id, z.number().int().min(0).max(100)),
  feedback: z.string().trim().max(MAX_FEEDBACK_LENGTH),
  bankCommentIds: z.array(id).max(50).default([]),
  evidenceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  duplicateFlags: z
    .array(
      z.object({
        submissionId: id,
        similarity: z.number().min(0).max(1),
      }),
    )
    .max(20)
    .default([]),
});
export type GradeHomeworkV2Args = z.infer<typeof gradeHomeworkV2>;

/**
 * Later versions of mutations, by name and version. `claim@2` lets the reviewer ask for a longer
 * lease ("take N items for the next H hours" to work offline); `claim@1` keeps the default.
 */
export const MUTATION_ARGS_LATER = {
  claim: { 2: z.object({ itemId: id, leaseHours: z.number().int().min(1).max(MAX_LEASE_HOURS) }) },
  gradeHomework: { 2: gradeHomeworkV2 },
} as const;

export type MutationName = keyof typeof MUTATION_ARGS;
export type MutationArgs<Name extends MutationName> = z.infer<(typeof MUTATION_ARGS)[Name]>;

export const MUTATION_NAMES = Object.keys(MUTATION_ARGS) as readonly MutationName[];

/** The version every mutation of this release is recorded with. */
export const CURRENT_MUTATION_VERSION = 1;

export function isMutationName(value: unknown): value is MutationName {
  return typeof value === 'string' && Object.hasOwn(MUTATION_ARGS, value);
}
