import { isRecord } from '#shared/domain/listing/document';
import { REVIEW_REASON_CODES, type ReviewReasonCode } from '#shared/domain/review/reasons';
import type { FieldCommentRecord } from '#shared/sync/rows';
import { mutationItemId } from '#shared/sync/view';
import type { OutboxRow, ResultRow } from '../../db/database';

/**
 * The field comments of an item as the reviewer sees them: the server's rows (their own and
 * other reviewers', the decision's, and those carried over from the previous rejection) plus
 * their own comments still on this device (pending `comment` mutations, and the comments of a
 * pending decision), and comments the server accepted whose rows have not been pulled yet.
 *
 * A comment recorded while working and then sent again with the decision exists twice on the
 * server (as a note and as part of the decision); it is shown once, as part of the decision.
 */
export type CommentStatus = 'saved' | 'syncing' | 'synced';

export interface CommentView {
  readonly key: string;
  readonly path: string;
  readonly reasonCode: ReviewReasonCode;
  readonly text: string;
  readonly authorId: string | null;
  readonly mine: boolean;
  readonly status: CommentStatus;
  /** For comments carried over from the previous rejection: did the field change since? */
  readonly carried: 'changed' | 'unchanged' | 'unknown' | null;
  /** Sent as part of a decision (on the server or pending). */
  readonly withDecision: boolean;
  /** Server time of the comment, when the server has it. */
  readonly serverTime: string | null;
  /** Device time it was written, when known. */
  readonly deviceTime: string | null;
}

const isReason = (value: unknown): value is ReviewReasonCode =>
  typeof value === 'string' && (REVIEW_REASON_CODES as readonly string[]).includes(value);

/** What makes two comments "the same comment": author, field and text. */
export const commentIdentity = (authorId: string | null, path: string, text: string) =>
  `${authorId ?? ''}|${path}|${text.trim()}`;

interface CommentArgs {
  readonly path: string;
  readonly text: string;
  readonly reasonCode: ReviewReasonCode;
}

function readComment(value: unknown, fallback: ReviewReasonCode): CommentArgs | null {
  if (!isRecord(value) || typeof value['path'] !== 'string' || typeof value['text'] !== 'string') {
    return null;
  }
  return {
    path: value['path'],
    text: value['text'],
    reasonCode: isReason(value['reasonCode']) ? value['reasonCode'] : fallback,
  };
}

/** The comments a mutation carries: one for `comment`, the list of a decision. */
function commentsOfMutation(name: string, args: unknown): CommentArgs[] {
  if (name === 'comment') {
    const comment = readComment(args, 'other');
    return comment === null ? [] : [comment];
  }
  if ((name === 'reject' || name === 'approve') && isRecord(args)) {
    const list = args['comments'];
    return Array.isArray(list)
      ? list.map((entry) => readComment(entry, 'other')).filter((entry) => entry !== null)
      : [];
  }
  return [];
}

export function buildComments(input: {
  readonly itemId: string;
  readonly userId: string;
  readonly rows: readonly FieldCommentRecord[];
  readonly outbox: readonly OutboxRow[];
  readonly results: readonly ResultRow[];
}): CommentView[] {
  const { itemId, userId } = input;
  const views: CommentView[] = [];
  const onServer = new Set<string>();
  const withDecision = new Set<string>();
  const rows = input.rows.filter((row) => row.itemId === itemId);
  for (const row of rows) {
    if (row.decisionId !== null && row.carriedFromId === null) {
      withDecision.add(commentIdentity(row.authorId, row.path, row.text));
    }
  }
  for (const row of rows) {
    const identity = commentIdentity(row.authorId, row.path, row.text);
    const carried =
      row.carriedFromId === null
        ? null
        : row.fieldChanged === true
          ? 'changed'
          : row.fieldChanged === false
            ? 'unchanged'
            : 'unknown';
    // The note twin of a comment that was also sent with the decision: shown once, with it.
    if (carried === null && row.decisionId === null && withDecision.has(identity)) {
      continue;
    }
    if (carried === null) {
      onServer.add(identity);
    }
    views.push({
      key: `row:${row.id}`,
      path: row.path,
      reasonCode: isReason(row.reasonCode) ? row.reasonCode : 'other',
      text: row.text,
      authorId: row.authorId,
      mine: row.authorId === userId,
      status: 'synced',
      carried,
      withDecision: row.decisionId !== null && carried === null,
      serverTime: row.createdAt,
      deviceTime: row.clientCreatedAt,
    });
  }

  const seen = new Set(onServer);
  for (const result of input.results) {
    if (
      (result.status !== 'applied' && result.status !== 'duplicate') ||
      mutationItemId(result.args) !== itemId
    ) {
      continue;
    }
    commentsOfMutation(result.name, result.args).forEach((comment, index) => {
      const identity = commentIdentity(userId, comment.path, comment.text);
      if (seen.has(identity)) {
        return;
      }
      seen.add(identity);
      views.push({
        key: `result:${String(result.seq)}:${String(index)}`,
        ...comment,
        authorId: userId,
        mine: true,
        status: 'synced',
        carried: null,
        withDecision: result.name !== 'comment',
        serverTime: result.serverTime,
        deviceTime: result.createdAt,
      });
    });
  }

  for (const row of input.outbox) {
    if (mutationItemId(row.args) !== itemId) {
      continue;
    }
    commentsOfMutation(row.name, row.args).forEach((comment, index) => {
      const identity = commentIdentity(userId, comment.path, comment.text);
      if (seen.has(identity)) {
        return;
      }
      seen.add(identity);
      views.push({
        key: `outbox:${String(row.seq)}:${String(index)}`,
        ...comment,
        authorId: userId,
        mine: true,
        status: row.status === 'sending' ? 'syncing' : 'saved',
        carried: null,
        withDecision: row.name !== 'comment',
        serverTime: null,
        deviceTime: row.createdAt,
      });
    });
  }
  return views;
}

/** Comments made while reviewing this revision that no decision carries yet. */
export function draftComments(comments: readonly CommentView[]): CommentView[] {
  return comments.filter((comment) => comment.carried === null && !comment.withDecision);
}

/**
 * What "open comments" means before approving: my comments not yet part of a decision, and
 * objections from the previous rejection on fields the submitter did not change.
 */
export function openComments(comments: readonly CommentView[]): {
  readonly mine: number;
  readonly carriedUnchanged: number;
} {
  return {
    mine: comments.filter(
      (comment) => comment.mine && comment.carried === null && !comment.withDecision,
    ).length,
    carriedUnchanged: comments.filter((comment) => comment.carried === 'unchanged').length,
  };
}
