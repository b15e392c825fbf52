import { REDACTION_POLICY, redactForViewer, type RedactableRecord } from '#shared/domain/redaction';
import type { Role } from '#shared/domain/roles';
import type { SyncedTable } from '#shared/sync/protocol';
import type { Principal } from '../auth/principal';
import { normalizeProgress } from '../homework/students';
import { kindsVisibleTo } from '../review/kinds';

/**
 * How each mirrored table is read for a user: its columns (never secrets such as password
 * hashes), and the rows the user may see. Visibility is decided here, on the server, from the
 * principal the token names: a workstation never receives a row its user may not read.
 */
export interface TableReader {
  readonly table: SyncedTable;
  /** `SELECT` list over alias `t` (plus joins), excluding `row_version`. */
  readonly columns: string;
  readonly joins?: string;
  /** SQL condition over `t` for the principal; `$n` placeholders are added through `param`. */
  visible(principal: Principal, param: (value: unknown) => string): string;
  /** Turns a selected row into the change's `data` (camelCase). */
  toData?(row: Record<string, unknown>): Record<string, unknown>;
  /**
   * SQL expression of the institution the row belongs to, for the redaction policy (institution
   * members see their own licence data in full); selected beside the columns, never sent.
   */
  readonly owner?: string;
}

const LISTING_STAFF: readonly Role[] = ['reviewer', 'ops_manager', 'assistant'];
const STAFF: readonly Role[] = ['reviewer', 'ops_manager', 'assistant', 'ta', 'mentor'];
const INSTITUTION_MEMBERS: readonly Role[] = ['submitter', 'collaborator'];

/** The course's staff: rubrics, the comment bank and the student record. */
const COURSE_STAFF: readonly Role[] = ['ta', 'mentor', 'ops_manager'];
/** The human desk of the customer service: escalated conversations (运营 SOP 9.2). */
const SUPPORT_DESK: readonly Role[] = ['assistant', 'ops_manager'];
/** The roster (progress, contact notes): TAs and ops managers, not mentors. */
const ROSTER_READERS: readonly Role[] = ['ta', 'ops_manager'];

const has = (roles: readonly Role[], principal: Principal) => roles.includes(principal.role);

/** Homework submissions a user sees, over alias `alias`: TAs and ops all, mentors the pool's. */
function visibleSubmissions(principal: Principal, alias: string): string {
  switch (principal.role) {
    case 'ta':
    case 'ops_manager':
      return 'true';
    case 'mentor':
      return `${alias}.state IN ('ta_passed', 'mentor_reviewed', 'archived')`;
    case 'submitter':
    case 'collaborator':
    case 'assistant':
    case 'reviewer':
      return 'false';
  }
}

/** An institution member's own institution (a member without one sees nothing of institutions). */
function ownInstitution(
  principal: Principal,
  param: (value: unknown) => string,
  column: string,
): string {
  return principal.institutionId === null
    ? 'false'
    : `${column} = ${param(principal.institutionId)}`;
}

/**
 * Whether the row `from` (alias `alias`) with primary key `key` exists and satisfies `condition`,
 * as a scalar subquery. Never `IN (SELECT …)` or `EXISTS`: the planner turns those into a hash of
 * the whole subquery, built again for every bootstrap page, which made the bootstrap quadratic in
 * the queue size. A scalar subquery is one primary-key lookup per row.
 */
function lookup(from: string, primaryKey: string, key: string, condition: string): string {
  return `COALESCE((SELECT ${condition} FROM ${from} WHERE ${primaryKey} = ${key}), false)`;
}

/** Items of visible kinds, or (for institution members) the review items of their own listings. */
function visibleItems(
  principal: Principal,
  param: (value: unknown) => string,
  column: string,
): string {
  if (has(INSTITUTION_MEMBERS, principal)) {
    return lookup(
      'review_items vi JOIN listings vl ON vl.id = vi.subject_id',
      'vi.id',
      column,
      `vi.kind = 'listing_revision' AND ${ownInstitution(principal, param, 'vl.institution_id')}`,
    );
  }
  return lookup('review_items vi', 'vi.id', column, ownKinds(principal, param, 'vi'));
}

/** Review items (over alias `alias`) of the kinds the user's role reviews. */
function ownKinds(principal: Principal, param: (value: unknown) => string, alias: string): string {
  const kinds = kindsVisibleTo(principal.role);
  return kinds.length === 0 ? 'false' : `${alias}.kind = ANY(${param(kinds)}::text[])`;
}

function visibleListings(
  principal: Principal,
  param: (value: unknown) => string,
  alias: string,
): string {
  if (has(LISTING_STAFF, principal)) {
    return `${alias}.deleted_at IS NULL`;
  }
  if (has(INSTITUTION_MEMBERS, principal)) {
    return `${alias}.deleted_at IS NULL AND ${ownInstitution(principal, param, `${alias}.institution_id`)}`;
  }
  // Everyone else sees what the market shows.
  return `${alias}.deleted_at IS NULL AND ${alias}.state = 'live'`;
}

const camel = (key: string) =>
  key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

export function toCamelCase(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [camel(key), value]));
}

export const TABLE_READERS: readonly TableReader[] = [
  {
    table: 'users',
    columns: 't.id, t.username, t.display_name, t.role, t.active, t.institution_id',
    visible: (principal, param) =>
      has(STAFF, principal) ? 'true' : ownInstitution(principal, param, 't.institution_id'),
  },
  {
    table: 'institutions',
    columns: 't.id, t.name, t.kind, t.credit_code, t.created_at',
    owner: 't.id',
    visible: (principal, param) =>
      has(STAFF, principal) ? 'true' : ownInstitution(principal, param, 't.id'),
  },
  {
    table: 'mentor_profiles',
    columns: 't.id, t.institution_id, t.name, t.title, t.verified, t.created_at',
    owner: 't.institution_id',
    visible: (principal, param) =>
      has(STAFF, principal)
        ? 'true'
        : `(t.verified OR ${ownInstitution(principal, param, 't.institution_id')})`,
  },
  {
    table: 'listings',
    columns: `t.id, t.institution_id, t.owner_id, t.state, t.current_revision_id, t.live_revision_id,
              t.name, t.country, t.offline_reason, t.created_at, t.updated_at`,
    owner: 't.institution_id',
    visible: (principal, param) => visibleListings(principal, param, 't'),
  },
  {
    table: 'listing_revisions',
    columns: `t.id, t.listing_id, t.number, t.state, t.document, t.name, t.country, t.stages,
              t.provider_name, t.created_by, t.created_at, t.updated_at, t.submitted_at, t.decided_at`,
    joins: 'JOIN listings l ON l.id = t.listing_id',
    owner: 'l.institution_id',
    visible: (principal, param) =>
      has(LISTING_STAFF, principal) || has(INSTITUTION_MEMBERS, principal)
        ? visibleListings(principal, param, 'l')
        : `l.deleted_at IS NULL AND t.state = 'live'`,
  },
  {
    table: 'credential_files',
    columns:
      't.id, t.listing_id, t.sha256, t.mime_type, t.size_bytes, t.original_name, t.created_at',
    joins: 'JOIN listings l ON l.id = t.listing_id',
    owner: 'l.institution_id',
    visible: (principal, param) =>
      has(LISTING_STAFF, principal) || has(INSTITUTION_MEMBERS, principal)
        ? visibleListings(principal, param, 'l')
        : 'false',
  },
  {
    table: 'review_items',
    columns: `t.id, t.kind, t.subject_id, t.revision_id, t.state, t.priority, t.due_at, t.assignee_id,
              t.supersedes_item_id, t.title, t.created_at, t.updated_at,
              qr.country, COALESCE(qr.stages, '{}') AS stages, qi.name AS institution_name,
              c.reviewer_id AS claim_reviewer_id, c.claimed_at AS claim_claimed_at,
              c.expires_at AS claim_expires_at, c.assigned_by AS claim_assigned_by`,
    // Queue filters (country, stage, institution) travel with the item, so the workstation can
    // index and filter them without joining three tables on every keystroke.
    joins: `LEFT JOIN claims c ON c.item_id = t.id AND c.released_at IS NULL
            LEFT JOIN listing_revisions qr ON qr.id = t.revision_id
            LEFT JOIN listings ql ON ql.id = qr.listing_id
            LEFT JOIN institutions qi ON qi.id = ql.institution_id`,
    // The item's own kind decides for staff; no lookup of the item by itself.
    visible: (principal, param) =>
      has(INSTITUTION_MEMBERS, principal)
        ? visibleItems(principal, param, 't.id')
        : ownKinds(principal, param, 't'),
    toData(row) {
      const { claim_reviewer_id, claim_claimed_at, claim_expires_at, claim_assigned_by, ...rest } =
        row;
      return {
        ...toCamelCase(rest),
        claim:
          claim_reviewer_id === null
            ? null
            : {
                reviewerId: claim_reviewer_id,
                claimedAt: claim_claimed_at,
                expiresAt: claim_expires_at,
                assignedBy: claim_assigned_by,
              },
      };
    },
  },
  {
    table: 'decisions',
    columns: `t.id, t.item_id, t.revision_id, t.kind, t.outcome, t.is_final, t.reviewer_id, t.reasons,
              t.note, t.details, t.flags, t.decided_at, t.client_created_at`,
    visible: (principal, param) => visibleItems(principal, param, 't.item_id'),
  },
  {
    table: 'field_comments',
    columns: `t.id, t.item_id, t.revision_id, t.decision_id, t.author_id, t.path, t.reason_code, t.text,
              t.carried_from_id, t.field_changed, t.created_at, t.client_created_at`,
    visible: (principal, param) => visibleItems(principal, param, 't.item_id'),
  },
  {
    table: 'audit_events',
    columns: `t.id, t.at, t.actor_id, t.subject_type, t.subject_id, t.item_id, t.action, t.from_state,
              t.to_state, t.reason, t.details, t.client_created_at`,
    visible: (principal, param) =>
      `((t.item_id IS NOT NULL AND ${visibleItems(principal, param, 't.item_id')})
        OR (t.item_id IS NULL AND t.subject_type = 'listing'
            AND ${has(LISTING_STAFF, principal) || has(INSTITUTION_MEMBERS, principal) ? lookup('listings l', 'l.id', 't.subject_id', visibleListings(principal, param, 'l')) : 'false'}))`,
  },
  {
    table: 'homework_submissions',
    columns: `t.id, t.student_id, t.student_name, t.chapter, t.article_url, t.article_text,
              t.reflection, t.screenshots, t.state, t.score, t.ta_feedback, t.ta_id, t.mentor_id,
              t.excellent, t.mentor_comment, t.submitted_at, t.ta_due_at, t.ta_decided_at,
              t.mentor_reviewed_at, t.archived_at, t.updated_at, t.evidence_sha256,
              t.evidence_version, t.criterion_scores, t.graded_evidence_sha256, t.duplicate_flags`,
    visible: (principal) => visibleSubmissions(principal, 't'),
  },
  {
    table: 'time_entries',
    columns: 't.id, t.item_id, t.user_id, t.started_at, t.seconds, t.recorded_at',
    visible: (principal, param) => visibleItems(principal, param, 't.item_id'),
  },
  {
    table: 'refund_requests',
    columns: `t.id, t.student_id, t.student_name, t.order_id, t.amount, t.currency, t.purchased_at,
              t.requested_at, t.progress_percent, t.eligible, t.ineligibility_reasons, t.state,
              t.decided_by, t.decided_at, t.refund_due_by, t.updated_at`,
    visible: (principal) => (principal.role === 'ops_manager' ? 'true' : 'false'),
  },
  {
    table: 'rubrics',
    columns: `t.id, t.chapter, t.title, t.max_score, t.criteria, t.revision, t.updated_by,
              t.updated_at`,
    visible: (principal) => (has(COURSE_STAFF, principal) ? 'true' : 'false'),
  },
  {
    table: 'comment_bank',
    columns: `t.id, t.chapter, t.language, t.text, t.use_count, t.created_by, t.created_at,
              t.updated_at`,
    // A deleted entry is invisible: the delta that carries its deletion sends it as `del`.
    visible: (principal) => (has(COURSE_STAFF, principal) ? 't.deleted_at IS NULL' : 'false'),
  },
  {
    table: 'students',
    columns: `t.id, t.student_id, t.name, t.cohort, t.language, t.joined_at, t.progress_percent,
              t.purchased_at, t.contacted_at, t.contacted_by, t.contact_note, t.updated_at`,
    visible: (principal) => (has(ROSTER_READERS, principal) ? 'true' : 'false'),
    toData(row) {
      const data = toCamelCase(row);
      // numeric(5, 2) arrives as "7.50": sent without trailing zeros, "7.5".
      return { ...data, progressPercent: normalizeProgress(String(row['progress_percent'])) };
    },
  },
  {
    table: 'homework_evidence',
    columns: `t.id, t.submission_id, t.version, t.article_url, t.article_text, t.reflection,
              t.screenshots, t.sha256, t.captured_at`,
    // Whoever sees the submission sees its evidence (mentors from the TA's pass on: the pass
    // re-versions the evidence rows so that a delta brings them).
    joins: 'JOIN homework_submissions s ON s.id = t.submission_id',
    visible: (principal) => visibleSubmissions(principal, 's'),
  },
  {
    table: 'student_records',
    columns: `t.id, t.submission_id, t.student_id, t.student_name, t.chapter, t.score, t.excellent,
              t.mentor_comment, t.ta_id, t.mentor_id, t.archived_at`,
    visible: (principal) => (has(COURSE_STAFF, principal) ? 'true' : 'false'),
  },
  {
    table: 'support_conversations',
    columns: `t.id, t.external_id, t.channel, t.customer_id, t.customer_name, t.customer_contact,
              t.topic, t.state, t.escalation_reason, t.escalated_at, t.respond_by,
              t.first_replied_at, t.closed_at, t.closed_by, t.resolution, t.resolution_note,
              t.started_at, t.updated_at`,
    // Only escalated ones: a conversation the bot still handles is nobody's work.
    visible: (principal) => (has(SUPPORT_DESK, principal) ? `t.state <> 'bot'` : 'false'),
  },
  {
    table: 'support_messages',
    columns: `t.id, t.conversation_id, t.author, t.agent_id, t.text, t.unanswerable, t.helpful,
              t.sent_at, t.client_created_at`,
    joins: 'JOIN support_conversations sc ON sc.id = t.conversation_id',
    visible: (principal) => (has(SUPPORT_DESK, principal) ? `sc.state <> 'bot'` : 'false'),
  },
];

/** Alias of the owner expression in a reader's `SELECT`; taken off before the row is sent. */
const OWNER_ALIAS = 'redaction_owner';

/** The `SELECT` list of a reader: its columns, and its owner for the redaction policy. */
export function selectList(reader: TableReader): string {
  return reader.owner === undefined
    ? reader.columns
    : `${reader.columns}, ${reader.owner} AS ${OWNER_ALIAS}`;
}

function isRedactable(table: SyncedTable): table is SyncedTable & RedactableRecord {
  return Object.hasOwn(REDACTION_POLICY, table);
}

/**
 * A selected row (without `row_version`) as `principal` receives it: the reader's `data`,
 * redacted by the shared policy (`shared/domain/redaction.ts`). Every row a pull, a delta or an
 * item fetch sends passes here, so the policy, not each query, decides what a role never gets.
 */
export function rowData(
  reader: TableReader,
  row: Record<string, unknown>,
  principal: Principal,
): Record<string, unknown> {
  const { [OWNER_ALIAS]: owner, ...columns } = row;
  const data = reader.toData ? reader.toData(columns) : toCamelCase(columns);
  return isRedactable(reader.table)
    ? redactForViewer(reader.table, data, principal, typeof owner === 'string' ? owner : null)
    : data;
}
