import type { LocalizedText } from '../../i18n/localized';
import { ROLE_LABELS, type Role } from '../roles';

/**
 * Listing (项目上架) lifecycle: states, actions and who may do what, after domain.md "Listing —
 * states" and the seed's 第 6 节「状态机与权限」.
 *
 * The rules live in ONE declarative table, {@link LISTING_RULES}, read by the server and by the
 * workstation alike so that both enforce exactly the same thing; every function below only looks
 * the table up.
 *
 * Scope is not decided here. `can('submitter', 'withdraw', 'pending')` says that the submitter
 * *role* may withdraw a pending listing; whether this user is the submitter of *this* listing, or
 * whether a collaborator was invited to *this* draft, or whether an assistant is doing assisted
 * entry for *this* institution, is the caller's business (it knows the listing's owner and its
 * invitation list, this module does not).
 */

/** Listing states, in the order of the happy path. */
export const LISTING_STATES = [
  'draft',
  'pending',
  'in_review',
  'rejected',
  'live',
  'offline',
] as const;
/** A listing state. */
export type ListingState = (typeof LISTING_STATES)[number];

/** Display names of the states (zh-CN wording as in the seed). */
export const LISTING_STATE_LABELS: Readonly<Record<ListingState, LocalizedText>> = {
  draft: { 'zh-CN': '草稿', en: 'Draft' },
  pending: { 'zh-CN': '待审核', en: 'Pending review' },
  in_review: { 'zh-CN': '审核中', en: 'In review' },
  rejected: { 'zh-CN': '审核打回', en: 'Rejected' },
  live: { 'zh-CN': '已上线', en: 'Live' },
  offline: { 'zh-CN': '下线', en: 'Offline' },
};

/** Everything one can do to a listing, including the actions that leave its state as it is. */
export const LISTING_ACTIONS = [
  'view',
  'edit',
  'delete',
  'submit',
  'withdraw',
  'claim',
  'release',
  'approve',
  'reject',
  'comment',
  'assign',
  'start_update',
  'take_offline',
  'force_takedown',
  'request_relisting',
] as const;
/** An action on a listing. */
export type ListingAction = (typeof LISTING_ACTIONS)[number];

/** Display names of the actions, as they appear on buttons and in the audit log. */
export const LISTING_ACTION_LABELS: Readonly<Record<ListingAction, LocalizedText>> = {
  view: { 'zh-CN': '查看', en: 'View' },
  edit: { 'zh-CN': '编辑', en: 'Edit' },
  delete: { 'zh-CN': '删除', en: 'Delete' },
  submit: { 'zh-CN': '提交审核', en: 'Submit for review' },
  withdraw: { 'zh-CN': '撤回', en: 'Withdraw' },
  claim: { 'zh-CN': '领取审核', en: 'Claim' },
  release: { 'zh-CN': '放回待审', en: 'Release' },
  approve: { 'zh-CN': '审核通过', en: 'Approve' },
  reject: { 'zh-CN': '审核打回', en: 'Reject' },
  comment: { 'zh-CN': '填写审核意见', en: 'Comment' },
  assign: { 'zh-CN': '指派审核员', en: 'Assign reviewer' },
  start_update: { 'zh-CN': '发起更新', en: 'Start update' },
  take_offline: { 'zh-CN': '下线', en: 'Take offline' },
  force_takedown: { 'zh-CN': '强制下架', en: 'Force takedown' },
  request_relisting: { 'zh-CN': '申请重新上架', en: 'Request relisting' },
};

/** What an action does in one state: where the listing goes and which roles may do it there. */
export interface ListingRule {
  /** The state after the action; the same state for actions that do not move the listing. */
  readonly to: ListingState;
  /** Roles allowed to take the action in this state (before scope checks, see the module docs). */
  readonly roles: readonly Role[];
}

/** Per action, the states it applies in; a state missing from an action's map means "not applicable". */
export type ListingRuleTable = Readonly<
  Record<ListingAction, Readonly<Partial<Record<ListingState, ListingRule>>>>
>;

// Role groups used by several rows. Ops managers can do everything a reviewer can (domain.md).
const REVIEW_DESK: readonly Role[] = ['reviewer', 'ops_manager'];
const OWNER_AND_REVIEW_DESK: readonly Role[] = ['submitter', ...REVIEW_DESK];
/** People who prepare a draft: its submitter, invited collaborators, and assistants doing assisted entry. */
const DRAFT_AUTHORS: readonly Role[] = ['submitter', 'collaborator', 'assistant'];

/**
 * THE rule table: action → state it applies in → { target state, roles }.
 *
 * Choices made where the documents are silent or disagree (also pinned by the tests):
 * - `view`: follows the states table, except that the submitter sees their own listing in every
 *   state, `in_review` included. The table lists 审核中 as reviewers/ops only, but the seed's
 *   「提交审核 & 状态追踪」 promises status tracking, and hiding a listing from its owner while it is
 *   being reviewed would make it vanish from their list. Assistants see drafts because assisted
 *   entry means typing them in; ops managers see whatever reviewers see. TA and mentor see only
 *   live listings, which everyone sees.
 * - `edit`: drafts by their authors (submitter, invited collaborator, assistant doing assisted
 *   entry); a rejected listing only by its submitter, who 「修正后重新提交」. Nobody edits a pending or
 *   in-review listing (the submitter withdraws first) or a live one (they start an update, which is
 *   a new revision with its own lifecycle).
 * - `delete`: drafts only, by the submitter. Anything that has been submitted has an audit trail.
 * - `submit` / `withdraw` / `start_update` / `request_relisting`: submitter only. Collaborators and
 *   assistants cannot submit; in assisted entry the institution confirms by submitting itself.
 * - `assign`: on a pending listing, assigning is claiming on the reviewer's behalf, so the listing
 *   moves to `in_review` exactly as a `claim` would (otherwise another reviewer could claim what
 *   was just assigned). On an in-review listing it re-assigns and the state stays.
 * - `comment`: field comments are written while reviewing, so `in_review` only.
 * - `take_offline`: the submitter (their own listing), reviewers and ops managers. `force_takedown`
 *   ends in the same state but only ops managers may use it; it also overrides claims and cancels
 *   pending updates, which is the caller's side effect to carry out.
 */
export const LISTING_RULES = {
  view: {
    draft: { to: 'draft', roles: [...DRAFT_AUTHORS, ...REVIEW_DESK] },
    pending: { to: 'pending', roles: OWNER_AND_REVIEW_DESK },
    in_review: { to: 'in_review', roles: OWNER_AND_REVIEW_DESK },
    rejected: { to: 'rejected', roles: OWNER_AND_REVIEW_DESK },
    live: {
      to: 'live',
      roles: ['submitter', 'collaborator', 'assistant', 'reviewer', 'ops_manager', 'ta', 'mentor'],
    },
    offline: { to: 'offline', roles: OWNER_AND_REVIEW_DESK },
  },
  edit: {
    draft: { to: 'draft', roles: DRAFT_AUTHORS },
    rejected: { to: 'rejected', roles: ['submitter'] },
  },
  delete: {
    draft: { to: 'draft', roles: ['submitter'] },
  },
  submit: {
    draft: { to: 'pending', roles: ['submitter'] },
    rejected: { to: 'pending', roles: ['submitter'] },
  },
  withdraw: {
    pending: { to: 'draft', roles: ['submitter'] },
  },
  claim: {
    pending: { to: 'in_review', roles: REVIEW_DESK },
  },
  release: {
    in_review: { to: 'pending', roles: REVIEW_DESK },
  },
  approve: {
    in_review: { to: 'live', roles: REVIEW_DESK },
  },
  reject: {
    in_review: { to: 'rejected', roles: REVIEW_DESK },
  },
  comment: {
    in_review: { to: 'in_review', roles: REVIEW_DESK },
  },
  assign: {
    pending: { to: 'in_review', roles: ['ops_manager'] },
    in_review: { to: 'in_review', roles: ['ops_manager'] },
  },
  start_update: {
    live: { to: 'live', roles: ['submitter'] },
  },
  take_offline: {
    live: { to: 'offline', roles: OWNER_AND_REVIEW_DESK },
  },
  force_takedown: {
    live: { to: 'offline', roles: ['ops_manager'] },
  },
  request_relisting: {
    offline: { to: 'pending', roles: ['submitter'] },
  },
} as const satisfies ListingRuleTable;

// Read through the widened type so that lookups by a runtime state are `ListingRule | undefined`.
const RULES: ListingRuleTable = LISTING_RULES;

/** Whether `value` is a listing state (for parsing requests and stored records). */
export function isListingState(value: unknown): value is ListingState {
  return typeof value === 'string' && (LISTING_STATES as readonly string[]).includes(value);
}

/** Whether `value` is a listing action. */
export function isListingAction(value: unknown): value is ListingAction {
  return typeof value === 'string' && (LISTING_ACTIONS as readonly string[]).includes(value);
}

/**
 * Where `action` takes a listing that is in `state`, regardless of who does it: the same state for
 * actions that do not move it (`view`, `edit`, `comment`, `start_update`, …), `null` when the action
 * does not apply in that state at all.
 */
export function nextState(state: ListingState, action: ListingAction): ListingState | null {
  return RULES[action][state]?.to ?? null;
}

/**
 * Whether the role may take `action` on a listing in `state`. Answers by role only: the caller
 * still checks scope (own listing, invited collaborator, assisted institution), see the module docs.
 */
export function can(role: Role, action: ListingAction, state: ListingState): boolean {
  return RULES[action][state]?.roles.includes(role) ?? false;
}

/** The actions the role may take on a listing in `state`, in {@link LISTING_ACTIONS} order. */
export function allowedActions(role: Role, state: ListingState): ListingAction[] {
  return LISTING_ACTIONS.filter((action) => can(role, action, state));
}

/** Why a transition was refused. */
export type ListingTransitionFailure = 'forbidden' | 'not_applicable';

/** Outcome of {@link transition}. */
export type ListingTransitionResult =
  | { readonly ok: true; readonly to: ListingState }
  | {
      readonly ok: false;
      readonly reason: ListingTransitionFailure;
      readonly message: LocalizedText;
    };

/**
 * Checks an action and says where it leads. `not_applicable` wins over `forbidden`: when nobody
 * could take the action in this state, telling the user it is a permissions problem would send them
 * asking for a role that would not help.
 */
export function transition(
  role: Role,
  action: ListingAction,
  state: ListingState,
): ListingTransitionResult {
  const to = nextState(state, action);
  const actionLabel = LISTING_ACTION_LABELS[action];
  const stateLabel = LISTING_STATE_LABELS[state];
  if (to === null) {
    return {
      ok: false,
      reason: 'not_applicable',
      message: {
        'zh-CN': `「${stateLabel['zh-CN']}」状态的项目不能执行「${actionLabel['zh-CN']}」。`,
        en: `“${actionLabel.en}” does not apply to a listing in state “${stateLabel.en}”.`,
      },
    };
  }
  if (!can(role, action, state)) {
    const roleLabel = ROLE_LABELS[role];
    return {
      ok: false,
      reason: 'forbidden',
      message: {
        'zh-CN': `${roleLabel['zh-CN']}无权对「${stateLabel['zh-CN']}」状态的项目执行「${actionLabel['zh-CN']}」。`,
        en: `The role “${roleLabel.en}” may not “${actionLabel.en}” a listing in state “${stateLabel.en}”.`,
      },
    };
  }
  return { ok: true, to };
}
