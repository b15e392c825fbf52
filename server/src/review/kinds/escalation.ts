import { randomUUID } from 'node:crypto';
import { MUTATION_ARGS } from '#shared/sync/mutations';
import { decisionOutcome, recordFinalDecision, takeHold } from '../core';
import { lockItem, type ReviewItemRow } from '../items';
import { defineMutation, type ReviewKind } from '../kind';
import { rejected, type Outcome, type WorkScope } from '../scope';
import { hasNul, NUL_OUTCOME } from './textRules';

/**
 * Escalated customer-service conversations (运营 SOP 9.2): the AI customer service hands a
 * conversation to a person when it cannot answer or the customer followed up three times in a
 * row (`shared/domain/escalation.ts`; the intake in `server/src/support/`). Assistants and ops
 * managers read the thread, reply (`replyEscalation`, an agent message the bot platform relays)
 * and close it with a resolution (`closeEscalation`, the item's final decision). The item is due
 * at the response deadline; the first reply meets it and clears `due_at`.
 */
export const ESCALATION_KIND = 'escalation';

/** Who works on escalations: the human desk. */
export const SUPPORT_DESK_ROLES = ['assistant', 'ops_manager'] as const;

const isOutcome = (value: object): value is Outcome => 'status' in value;

/** The escalation item, locked and held by the acting person (claimed implicitly if free). */
async function heldEscalation(
  scope: WorkScope,
  itemId: string,
): Promise<{ item: ReviewItemRow; flags: readonly string[] } | Outcome> {
  const item = await lockItem(scope.tx, itemId);
  if (item === null) {
    return rejected('NOT_FOUND', { itemId });
  }
  if (item.kind !== ESCALATION_KIND) {
    return rejected('VALIDATION', {
      reason: 'wrong_kind',
      expected: ESCALATION_KIND,
      actual: item.kind,
    });
  }
  const hold = await takeHold(scope, item, escalationKind, 'other');
  return hold.ok ? { item, flags: hold.flags } : hold.outcome;
}

export const escalationKind: ReviewKind = {
  kind: ESCALATION_KIND,
  reviewerRoles: SUPPORT_DESK_ROLES,
  assignerRoles: ['ops_manager'],
  visibleTo: SUPPORT_DESK_ROLES,
  mutations: {
    replyEscalation: defineMutation({
      v: 1,
      args: MUTATION_ARGS.replyEscalation,
      async run(scope, { itemId, text }) {
        if (hasNul(text)) {
          return NUL_OUTCOME;
        }
        const held = await heldEscalation(scope, itemId);
        if (isOutcome(held)) {
          return held;
        }
        const { item, flags } = held;
        const messageId = randomUUID();
        const version = await scope.version();
        await scope.tx.query(
          `INSERT INTO support_messages (id, conversation_id, author, agent_id, text, sent_at,
                                         client_created_at, mutation_id, row_version)
           VALUES ($1, $2, 'agent', $3, $4, $5, $6, $7, $8)`,
          [
            messageId,
            item.subject_id,
            scope.principal.id,
            text,
            scope.nowIso,
            scope.clientCreatedAt,
            scope.mutationId,
            version,
          ],
        );
        const [conversation] = await scope.tx.query<{ first_replied_at: string | null }>(
          'SELECT first_replied_at FROM support_conversations WHERE id = $1 FOR UPDATE',
          [item.subject_id],
        );
        if (conversation === undefined) {
          return rejected('NOT_FOUND', { conversationId: item.subject_id });
        }
        const firstReply = conversation.first_replied_at === null;
        await scope.tx.query(
          `UPDATE support_conversations
              SET first_replied_at = COALESCE(first_replied_at, $2), updated_at = $2,
                  row_version = $3
            WHERE id = $1`,
          [item.subject_id, scope.nowIso, version],
        );
        if (firstReply) {
          // The response deadline is met: the item is no longer due (nor overdue).
          await scope.tx.query(
            'UPDATE review_items SET due_at = NULL, updated_at = $2, row_version = $3 WHERE id = $1',
            [item.id, scope.nowIso, version],
          );
        }
        await scope.audit({
          subjectType: 'support_conversation',
          subjectId: item.subject_id,
          itemId: item.id,
          action: 'reply',
          details: { messageId, firstReply },
        });
        return decisionOutcome(flags, { messageId });
      },
    }),

    closeEscalation: defineMutation({
      v: 1,
      args: MUTATION_ARGS.closeEscalation,
      async run(scope, { itemId, resolution, note }) {
        if (hasNul(note)) {
          return NUL_OUTCOME;
        }
        const held = await heldEscalation(scope, itemId);
        if (isOutcome(held)) {
          return held;
        }
        const { item, flags } = held;
        await recordFinalDecision(scope, item, {
          outcome: 'closed',
          note,
          details: { resolution },
          flags,
        });
        await scope.tx.query(
          `UPDATE support_conversations
              SET state = 'closed', closed_at = $2, closed_by = $3, resolution = $4,
                  resolution_note = $5, updated_at = $2, row_version = $6
            WHERE id = $1`,
          [
            item.subject_id,
            scope.nowIso,
            scope.principal.id,
            resolution,
            note === '' ? null : note,
            await scope.version(),
          ],
        );
        return decisionOutcome(flags, { resolution });
      },
    }),
  },
};
