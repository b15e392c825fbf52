import { parsePointer } from '../diff/pointer';
import type { Role } from './roles';

/*
 * Redaction by role (PIPL's minimum necessary): personal data a role does not need for its work
 * never leaves the server for that role's device. The policy is data, defined once here; the
 * server applies it with `redactRecord` wherever a record leaves it (sync rows, API responses,
 * file names), so a field path added to the policy is covered on every path at once.
 *
 * Two treatments:
 * - `hide`: the value is replaced (null, or [] for a list) and its JSON Pointer is listed in the
 *   record's `redacted` array, so the workstation can show "hidden for your role" instead of
 *   "empty";
 * - `mask`: every string under the path keeps its text, but ID numbers, phone numbers and the
 *   like inside it become a mark `⟦hidden:<kind>⟧` (`REDACTION_MARK_PATTERN`), which the
 *   workstation can render as the same "hidden for your role" chip.
 */

/**
 * The policy's version. Raise it whenever a change hides more: deltas never resend unchanged rows,
 * so the server makes every cursor issued under an older version start over (RSP/1 `reset`), and
 * devices drop what they may no longer hold.
 */
export const REDACTION_POLICY_VERSION = 1;

/** Kinds of personal data a role may or may not need. */
export const PERSONAL_DATA_CATEGORIES = ['licence_identity', 'student_contact'] as const;
export type PersonalDataCategory = (typeof PERSONAL_DATA_CATEGORIES)[number];

/** Who sees a category in full: these roles always, and institution members for their own data. */
export interface CategoryAccess {
  readonly roles: readonly Role[];
  /** Submitters and collaborators see it on records of their own institution. */
  readonly ownInstitution: boolean;
}

const INSTITUTION_MEMBER_ROLES: readonly Role[] = ['submitter', 'collaborator'];

/**
 * - `licence_identity`: what identifies a licence or certificate and its holder (credit codes,
 *   the credential files and their names, ID and phone numbers in listing text). Reviewers and ops
 *   managers verify it, assistants enter it from paper; TAs and mentors never need it.
 * - `student_contact`: how to reach a student (the roster's contact note; phone numbers, e-mail,
 *   WeChat and QQ ids, ID numbers in homework). TAs make the SOP's private-chat intervention and
 *   ops managers run the course; mentors judge the work, not the person behind it.
 *   A customer of the customer service (a student or a prospective one) is covered the same:
 *   assistants answering an escalation see the thread with contact details masked.
 */
export const CATEGORY_ACCESS: Readonly<Record<PersonalDataCategory, CategoryAccess>> = {
  licence_identity: { roles: ['reviewer', 'ops_manager', 'assistant'], ownInstitution: true },
  student_contact: { roles: ['ta', 'ops_manager'], ownInstitution: false },
};

/** Patterns masked inside free text. */
export const SENSITIVE_TEXT_KINDS = ['id_number', 'phone', 'email', 'wechat', 'qq'] as const;
export type SensitiveTextKind = (typeof SENSITIVE_TEXT_KINDS)[number];

/**
 * What each kind looks like. Digit runs are bounded by non-digits so that a longer number (an
 * order id, a timestamp) is not cut into a false "phone number"; a mark replaces the group named
 * `value` when there is one (the label "微信号：" stays readable), else the whole match.
 */
const TEXT_PATTERNS: Readonly<Record<SensitiveTextKind, RegExp>> = {
  // Resident identity card (GB 11643): area, birth date 18xx–20xx, sequence, check digit.
  id_number:
    /(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])/g,
  // Mainland mobile numbers (optionally +86, spaced or hyphenated 3-4-4) and landlines 0xx(x)-….
  phone:
    /(?<![0-9])(?:(?:\+?86[-\s]?)?1[3-9][0-9](?:[-\s]?[0-9]{4}){2}|0[1-9][0-9]{1,2}-[0-9]{7,8})(?![0-9])/g,
  email: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  // A WeChat id after its label (Latin labels need a colon: "on WeChat yesterday" is no id), or
  // a generated `wxid_…` anywhere.
  wechat:
    /(?:(?:微信号?|微信\s*ID|(?<![A-Za-z])V信)\s*[:：]?\s*|(?<![A-Za-z])(?:WeChat(?:\s*ID)?|wx|vx)\s*[:：]\s*)(?<value>[A-Za-z][-_A-Za-z0-9]{5,19})|(?<![A-Za-z0-9_])wxid_[A-Za-z0-9]{4,}/gi,
  qq: /(?<![A-Za-z])QQ(?:号)?\s*[:：]?\s*(?<value>[1-9][0-9]{4,10})(?![0-9])/gi,
};

/** The mark that replaces a masked value in text. */
export function redactionMark(kind: SensitiveTextKind): string {
  return `⟦hidden:${kind}⟧`;
}

/** Finds the marks in text (global: use with `matchAll` or `replace`); group 1 is the kind. */
export const REDACTION_MARK_PATTERN = /⟦hidden:(id_number|phone|email|wechat|qq)⟧/g;

/** The key under which a record lists the JSON Pointers of its hidden values. */
export const REDACTED_FIELDS_KEY = 'redacted';

/** Kinds of record that leave the server: the mirrored tables, and homework file names. */
export type RedactableRecord =
  | 'institutions'
  | 'mentor_profiles'
  | 'listings'
  | 'listing_revisions'
  | 'credential_files'
  | 'homework_submissions'
  | 'homework_evidence'
  | 'homework_files'
  | 'students'
  | 'student_records'
  | 'support_conversations'
  | 'support_messages';

export type RedactionRule =
  | {
      readonly treatment: 'hide';
      readonly path: string;
      readonly category: PersonalDataCategory;
    }
  | {
      readonly treatment: 'mask';
      readonly path: string;
      readonly category: PersonalDataCategory;
      readonly kinds: readonly SensitiveTextKind[];
    };

const LICENCE_TEXT: readonly SensitiveTextKind[] = ['id_number', 'phone'];
const STUDENT_TEXT: readonly SensitiveTextKind[] = SENSITIVE_TEXT_KINDS;

const hide = (path: string, category: PersonalDataCategory): RedactionRule => ({
  treatment: 'hide',
  path,
  category,
});
const licenceText = (path: string): RedactionRule => ({
  treatment: 'mask',
  path,
  category: 'licence_identity',
  kinds: LICENCE_TEXT,
});
const studentText = (path: string): RedactionRule => ({
  treatment: 'mask',
  path,
  category: 'student_contact',
  kinds: STUDENT_TEXT,
});

/**
 * The policy: per record, the paths (RFC 6901, camelCase as the records travel) and how they are
 * redacted for a viewer without the category. Hidden paths come before the masked text that
 * contains them. Identifiers and digests are never masked: a mark inside an id would break it.
 *
 * Decisions, field comments and audit events have no rules: they reach only those who review
 * their item's kind or own its listing (`server/src/sync/tables.ts`), and each of those may see
 * that kind's personal data (reviewers licences, TAs students); a mentor gets only the Friday
 * pool's own. Masking them by one category would hide a licence phone from its own reviewer.
 */
export const REDACTION_POLICY: Readonly<Record<RedactableRecord, readonly RedactionRule[]>> = {
  institutions: [hide('/creditCode', 'licence_identity'), licenceText('/name')],
  mentor_profiles: [licenceText('/name'), licenceText('/title')],
  listings: [licenceText('/name'), licenceText('/offlineReason')],
  listing_revisions: [
    hide('/document/credentials/files', 'licence_identity'),
    licenceText('/document'),
    licenceText('/name'),
    licenceText('/providerName'),
  ],
  credential_files: [hide('/originalName', 'licence_identity')],
  homework_submissions: [
    studentText('/articleUrl'),
    studentText('/articleText'),
    studentText('/reflection'),
    studentText('/taFeedback'),
    studentText('/mentorComment'),
  ],
  homework_evidence: [
    studentText('/articleUrl'),
    studentText('/articleText'),
    studentText('/reflection'),
  ],
  homework_files: [studentText('/originalName')],
  students: [hide('/contactNote', 'student_contact')],
  student_records: [studentText('/mentorComment')],
  // Escalated customer-service conversations: assistants answer in the thread and need no way to
  // reach the customer outside it; ops managers (who run the course) see it in full.
  support_conversations: [
    hide('/customerContact', 'student_contact'),
    studentText('/topic'),
    studentText('/resolutionNote'),
  ],
  support_messages: [studentText('/text')],
};

/** Who is looking: the role, and the institution of submitters and collaborators. */
export interface RedactionViewer {
  readonly role: Role;
  readonly institutionId: string | null;
}

/** Whether `viewer` sees `category` in full on a record owned by `ownerInstitutionId`. */
export function maySee(
  category: PersonalDataCategory,
  viewer: RedactionViewer,
  ownerInstitutionId: string | null,
): boolean {
  const access = CATEGORY_ACCESS[category];
  if (access.roles.includes(viewer.role)) {
    return true;
  }
  return (
    access.ownInstitution &&
    INSTITUTION_MEMBER_ROLES.includes(viewer.role) &&
    viewer.institutionId !== null &&
    viewer.institutionId === ownerInstitutionId
  );
}

/** `text` with every match of `kinds` replaced by its mark. */
export function maskText(text: string, kinds: readonly SensitiveTextKind[]): string {
  let masked = text;
  for (const kind of kinds) {
    masked = masked.replace(TEXT_PATTERNS[kind], (...args: unknown[]) => {
      const match = String(args[0]);
      const groups = args.at(-1);
      const value =
        typeof groups === 'object' && groups !== null && 'value' in groups
          ? (groups as { value?: unknown }).value
          : undefined;
      return typeof value === 'string'
        ? match.slice(0, match.lastIndexOf(value)) + redactionMark(kind)
        : redactionMark(kind);
    });
  }
  return masked;
}

/** Masks every string inside `value` (objects and lists are copied, never changed). */
function maskDeep(value: unknown, kinds: readonly SensitiveTextKind[]): unknown {
  if (typeof value === 'string') {
    return maskText(value, kinds);
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => maskDeep(item, kinds));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, maskDeep(item, kinds)]),
    );
  }
  return value;
}

/**
 * `root` with the value at `tokens` replaced by `change(value)`, copying only the containers on
 * the way; `found: false` (and `root` itself) when the path is not in the record.
 */
function updateAt(
  root: unknown,
  tokens: readonly string[],
  change: (value: unknown) => unknown,
): { value: unknown; found: boolean } {
  const [token, ...rest] = tokens;
  if (token === undefined) {
    return { value: change(root), found: true };
  }
  if (Array.isArray(root)) {
    const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : -1;
    if (index < 0 || index >= root.length) {
      return { value: root, found: false };
    }
    const inner = updateAt(root[index], rest, change);
    return inner.found
      ? { value: root.map((item: unknown, at) => (at === index ? inner.value : item)), found: true }
      : { value: root, found: false };
  }
  if (typeof root === 'object' && root !== null && Object.hasOwn(root, token)) {
    const record = root as Record<string, unknown>;
    const inner = updateAt(record[token], rest, change);
    return inner.found
      ? { value: { ...record, [token]: inner.value }, found: true }
      : { value: root, found: false };
  }
  return { value: root, found: false };
}

const isEmpty = (value: unknown) =>
  value === null || value === undefined || (Array.isArray(value) && value.length === 0);

export interface Redacted<T> {
  /** The record as the viewer may see it (the input itself when nothing applied). */
  readonly record: T;
  /** JSON Pointers of the values hidden (not those merely masked), in policy order. */
  readonly hidden: readonly string[];
}

/**
 * The record as `viewer` may see it under {@link REDACTION_POLICY}. `ownerInstitutionId` is the
 * institution the record belongs to (null when it belongs to none or is not known: then only the
 * roles of a category see it). Pure: the input is never changed. The result keeps `T` as its
 * type, but a hidden value is null (or []) whatever `T` says: read a field the policy hides as
 * `unknown`.
 */
export function redactRecord<T extends object>(
  kind: RedactableRecord,
  record: T,
  viewer: RedactionViewer,
  ownerInstitutionId: string | null,
): Redacted<T> {
  let current: unknown = record;
  const hidden: string[] = [];
  for (const rule of REDACTION_POLICY[kind]) {
    if (maySee(rule.category, viewer, ownerInstitutionId)) {
      continue;
    }
    const tokens = parsePointer(rule.path);
    if (rule.treatment === 'hide') {
      const replaced = { hadValue: false };
      current = updateAt(current, tokens, (value) => {
        replaced.hadValue = !isEmpty(value);
        return Array.isArray(value) ? [] : null;
      }).value;
      if (replaced.hadValue) {
        hidden.push(rule.path);
      }
    } else {
      current = updateAt(current, tokens, (value) => maskDeep(value, rule.kinds)).value;
    }
  }
  // Only containers were copied and keys kept: the shape is the input's.
  return { record: current as T, hidden };
}

/**
 * The record for the wire: redacted, with the hidden pointers under `redacted` when there are
 * any (absent otherwise, so an unredacted record is byte for byte what it was).
 */
export function redactForViewer<T extends object>(
  kind: RedactableRecord,
  record: T,
  viewer: RedactionViewer,
  ownerInstitutionId: string | null,
): T & { readonly redacted?: readonly string[] } {
  const { record: redacted, hidden } = redactRecord(kind, record, viewer, ownerInstitutionId);
  return hidden.length === 0 ? redacted : { ...redacted, [REDACTED_FIELDS_KEY]: hidden };
}
