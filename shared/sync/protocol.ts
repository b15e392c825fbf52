import { z } from 'zod';
import type { LocalizedText } from '../i18n/localized';

/**
 * Review Sync Protocol, version 1 (RSP/1): the wire contract between the workstation and the
 * review server. Push applies outbox mutations exactly once (gapless per-client `seq`, unique
 * `mutationId`, one stored result per mutation); pull returns bootstrap pages and then deltas by
 * an opaque cursor over the server's version counter, never by timestamps.
 */
export const PROTOCOL_VERSION = 1;

/** Per-request limits (RSP/1 §2.3): a push carries at most this many mutations. */
export const MAX_MUTATIONS_PER_PUSH = 100;
export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;

export const MUTATION_STATUSES = ['applied', 'conflict', 'rejected', 'duplicate'] as const;
export type MutationStatus = (typeof MUTATION_STATUSES)[number];

/**
 * Why a mutation ended as it did. `LEASE_EXPIRED_ACCEPTED` comes with status `applied` (the
 * decision counted though the lease had run out), as may `WITHDRAWN` (a takedown of a listing
 * that was already offline is recorded) and `STALE_BASE` (a rejection re-targeted to the newer
 * revision); the others explain a conflict or a rejection. `INTERNAL` marks a mutation the server
 * failed on in a way retrying cannot fix: it is kept for an administrator, and the queue moves on.
 * `POOL_NOT_OPEN` (rejected) is a mentor review before the Friday pool opened (`details.opensAt`,
 * `details.reviewDay`); `RUBRIC_CHANGED` (conflict) a grade scored against, or a rubric edit based
 * on, a revision of the chapter's rubric that is no longer current (`details.currentRevision`).
 */
export const RESULT_CODES = [
  'CLAIMED_BY_OTHER',
  'CLAIM_LOST',
  'LEASE_EXPIRED_ACCEPTED',
  'ALREADY_DECIDED',
  'WITHDRAWN',
  'STALE_BASE',
  'FORBIDDEN',
  'VALIDATION',
  'UNSUPPORTED',
  'NOT_FOUND',
  'DUPLICATE',
  'INTERNAL',
  'POOL_NOT_OPEN',
  'RUBRIC_CHANGED',
] as const;
export type ResultCode = (typeof RESULT_CODES)[number];

export const mutationEnvelopeSchema = z.object({
  seq: z.number().int().min(1),
  mutationId: z.uuid(),
  name: z.string().min(1).max(64),
  v: z.number().int().min(1),
  args: z.unknown(),
  /** Row versions the user saw when deciding, e.g. `{ "review_items:<id>": 17 }`. */
  base: z.record(z.string().max(100), z.number().int().min(0)).optional(),
  /** Device time of the decision: shown in history beside server time, never used to order. */
  clientCreatedAt: z.iso.datetime({ offset: true }).optional(),
  clockOffsetMs: z.number().optional(),
});
export type MutationEnvelope = z.infer<typeof mutationEnvelopeSchema>;

export const pushRequestSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  appVersion: z.string().max(40).optional(),
  installId: z.string().max(64).optional(),
  clientId: z.uuid(),
  mutations: z.array(mutationEnvelopeSchema).min(1).max(MAX_MUTATIONS_PER_PUSH),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export interface MutationResult {
  readonly seq: number;
  readonly mutationId: string;
  readonly name: string;
  readonly status: MutationStatus;
  readonly code: ResultCode | null;
  readonly message: LocalizedText | null;
  readonly details: Readonly<Record<string, unknown>>;
  /** Server time the result was decided (ISO 8601, UTC). */
  readonly serverTime: string;
}

export interface PushResponse {
  readonly results: readonly MutationResult[];
  readonly lastSeq: number;
  readonly serverTime: string;
}

/** `409` body when a push skips a sequence number: resend from `expectedSeq`. */
export interface OutOfOrderResponse {
  readonly code: 'OUT_OF_ORDER';
  readonly expectedSeq: number;
  readonly lastSeq: number;
}

/** `503` body when the database failed mid-push: everything up to `processedThrough` is stored. */
export interface TransientFailureResponse {
  readonly code: 'TRANSIENT';
  readonly processedThrough: number;
  readonly retryAfterMs: number;
  readonly results: readonly MutationResult[];
}

export const pullRequestSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  clientId: z.uuid(),
  cursor: z.string().max(2000).nullable(),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
  /** Highest `seq` whose result the client has stored; results after it come back. */
  resultsAfterSeq: z.number().int().min(0).optional(),
  /**
   * Leave the {@link DEFERRABLE_TABLES} out of the bootstrap; the client fetches their rows per
   * item (`POST /sync/v1/items`). Absent: the full bootstrap of RSP/1 as first released.
   */
  deferHeavy: z.boolean().optional(),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;

/** Tables the server mirrors to workstations. */
export const SYNCED_TABLES = [
  'users',
  'institutions',
  'mentor_profiles',
  'listings',
  'listing_revisions',
  'credential_files',
  'review_items',
  'decisions',
  'field_comments',
  'audit_events',
  'homework_submissions',
  'refund_requests',
  'time_entries',
  'rubrics',
  'comment_bank',
  'students',
  'homework_evidence',
  'student_records',
  'support_conversations',
  'support_messages',
] as const;
export type SyncedTable = (typeof SYNCED_TABLES)[number];

/**
 * Tables a bootstrap with `deferHeavy` leaves out: the full listing documents and the audit
 * history, most of a reviewer's bootstrap bytes and nothing the queue's first screen shows. The
 * workstation fetches their rows when an item is opened or taken for offline work
 * (`POST /sync/v1/items`); deltas still carry every change to them, so rows once fetched stay
 * current.
 */
export const DEFERRABLE_TABLES = [
  'listing_revisions',
  'audit_events',
] as const satisfies readonly SyncedTable[];

/** Items per `POST /sync/v1/items` request at most (as many as one "take" claims). */
export const MAX_ITEMS_PER_ROWS_REQUEST = 50;

export const itemRowsRequestSchema = z.object({
  protocol: z.literal(PROTOCOL_VERSION),
  itemIds: z.array(z.uuid()).min(1).max(MAX_ITEMS_PER_ROWS_REQUEST),
});
export type ItemRowsRequest = z.infer<typeof itemRowsRequestSchema>;

/**
 * The deferred rows of some items as of one snapshot: every revision of each listing item's
 * listing, and the audit events of the item and of its listing.
 */
export interface ItemRowsResponse {
  /** The server version the rows are consistent at. */
  readonly version: number;
  /** The requested items the user may see; the rows are theirs (unknown ids are left out). */
  readonly itemIds: readonly string[];
  /** `put`s only, of the deferrable tables. */
  readonly changes: readonly RowChange[];
  readonly serverTime: string;
}

export interface RowChange {
  readonly table: SyncedTable;
  readonly id: string;
  readonly op: 'put' | 'del';
  readonly version: number;
  /** The row as the user may see it (camelCase); absent for `del`. */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface PullResponse {
  /** Opaque: send it back on the next pull; never inspect it. */
  readonly cursor: string;
  readonly changes: readonly RowChange[];
  /** This client's last processed `seq`: outbox rows up to it are done. */
  readonly lastSeq: number;
  /** Terminal results of this client's mutations with seq ≤ lastSeq not yet acknowledged. */
  readonly results: readonly MutationResult[];
  readonly hasMore: boolean;
  /** The cursor was too old or from another database: drop the mirror (keep the outbox) and bootstrap. */
  readonly reset?: true;
  /**
   * The tables this bootstrap leaves out (the request asked `deferHeavy`): fetch their rows per
   * item. Sent with every bootstrap page of such a pull; absent on deltas and full bootstraps.
   */
  readonly deferred?: readonly SyncedTable[];
  /**
   * Per-table counts of what the user may see, sent with the last bootstrap page for checking
   * (without the deferred tables, whose rows the client holds only for some items).
   */
  readonly checksums?: Readonly<Partial<Record<SyncedTable, { count: number; hash: string }>>>;
  readonly serverTime: string;
}

/** Server-sent hint on `/sync/v1/events`: something changed, pull when convenient. */
export interface ChangeHint {
  readonly version: number;
}
