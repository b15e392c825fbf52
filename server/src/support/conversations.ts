import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  escalationDueAt,
  readThread,
  SUPPORT_AUTHORS,
  type EscalationReason,
  type SupportAuthor,
} from '#shared/domain/escalation';
import type { Queryable } from '../db/database';
import { ESCALATION_KIND } from '../review/kinds/escalation';
import type { WorkScope } from '../review/scope';

/**
 * The AI customer service's conversations (运营 SOP 9.2), as its platform puts them: the whole
 * thread each time (`PUT /api/v1/support/conversations/:id`). Messages are kept once by their
 * platform id and never changed or deleted by a later put (a chat message does not change);
 * replies written in ReviewDesk stay whatever the platform sends. After every put the shared rule
 * (`readThread`) reads the thread; the first time it escalates, the conversation gets its one
 * review item of kind `escalation`, due at the response deadline.
 */

const withoutNul = (value: string) => !value.includes('\u0000');
const platformId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._:-]+$/, { message: 'Letters, digits and . _ : - only' });
const line = (max: number) => z.string().trim().max(max).refine(withoutNul);

export const conversationParams = z.object({ id: platformId });

export const MAX_THREAD_MESSAGES = 500;

export const conversationBody = z.object({
  channel: line(32).default(''),
  customer: z.object({
    id: line(64).optional(),
    name: line(64).pipe(z.string().min(1)),
    contact: line(100).nullable().optional(),
  }),
  topic: line(200).default(''),
  messages: z
    .array(
      z.object({
        id: platformId,
        author: z.enum(SUPPORT_AUTHORS),
        text: z.string().trim().min(1).max(4000).refine(withoutNul),
        sentAt: z.iso.datetime({ offset: true }),
        unanswerable: z.boolean().default(false),
        helpful: z.boolean().default(false),
      }),
    )
    .min(1)
    .max(MAX_THREAD_MESSAGES),
});
export type ConversationBody = z.infer<typeof conversationBody>;

export interface PutResult {
  readonly id: string;
  readonly conversationId: string;
  readonly state: 'bot' | 'escalated' | 'closed';
  readonly newMessages: number;
  readonly escalation: {
    readonly reason: EscalationReason;
    readonly escalatedAt: string;
    readonly respondBy: string;
    readonly itemId: string;
    /** Whether this put escalated it (false: it was escalated before). */
    readonly now: boolean;
  } | null;
}

/** A problem with the put that is the caller's (a 400). */
export class ConversationInputError extends Error {
  override readonly name = 'ConversationInputError';
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

interface ConversationRow {
  readonly id: string;
  readonly channel: string;
  readonly customer_id: string | null;
  readonly customer_name: string;
  readonly customer_contact: string | null;
  readonly topic: string;
  readonly state: 'bot' | 'escalated' | 'closed';
  readonly escalation_reason: EscalationReason | null;
  readonly escalated_at: string | null;
  readonly respond_by: string | null;
}

interface MessageRow {
  readonly id: string;
  readonly external_id: string | null;
  readonly author: SupportAuthor;
  readonly unanswerable: boolean;
  readonly helpful: boolean;
  readonly sent_at: string;
}

/** The review item's title: who, and what about (the topic, else the first question). */
function itemTitle(name: string, topic: string, firstQuestion: string | undefined): string {
  const about = topic !== '' ? topic : (firstQuestion ?? '');
  const short = about.length > 40 ? `${about.slice(0, 40)}…` : about;
  return short === '' ? name : `${name} · ${short}`;
}

/**
 * Stores a put of conversation `externalId` and escalates it when the rule says so, inside the
 * scope's transaction. Takes a space version only when something changed: the same put twice
 * writes nothing the second time.
 */
export async function putConversation(
  scope: WorkScope,
  externalId: string,
  body: ConversationBody,
): Promise<PutResult> {
  const { tx } = scope;
  const ids = new Set<string>();
  for (const message of body.messages) {
    if (ids.has(message.id)) {
      throw new ConversationInputError('DUPLICATE_MESSAGE_ID', 'A message id appears twice', {
        messageId: message.id,
      });
    }
    ids.add(message.id);
  }
  // Never dated in the future: the platform's clock may run ahead of ours.
  const sentAt = (value: string) => Math.min(Date.parse(value), scope.now);
  const startedAt = Math.min(...body.messages.map((message) => sentAt(message.sentAt)));
  const contact = body.customer.contact ?? null;
  const customerId = body.customer.id ?? null;
  await tx.query(
    `INSERT INTO support_conversations (id, external_id, channel, customer_id, customer_name,
                                        customer_contact, topic, state, started_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'bot', $8, $9)
     ON CONFLICT (external_id) DO NOTHING`,
    [
      randomUUID(),
      externalId,
      body.channel,
      customerId,
      body.customer.name,
      contact,
      body.topic,
      new Date(startedAt).toISOString(),
      scope.nowIso,
    ],
  );
  const [conversation] = await tx.query<ConversationRow>(
    `SELECT id, channel, customer_id, customer_name, customer_contact, topic, state,
            escalation_reason, escalated_at, respond_by
       FROM support_conversations WHERE external_id = $1 FOR UPDATE`,
    [externalId],
  );
  if (conversation === undefined) {
    throw new Error(`conversation ${externalId} vanished`);
  }
  const known = await threadOf(tx, conversation.id);
  const knownIds = new Set(known.map((message) => message.external_id));
  const fresh = body.messages.filter((message) => !knownIds.has(message.id));
  const detailsChanged =
    conversation.channel !== body.channel ||
    conversation.customer_id !== customerId ||
    conversation.customer_name !== body.customer.name ||
    conversation.customer_contact !== contact ||
    conversation.topic !== body.topic;
  if (fresh.length > 0 || detailsChanged) {
    const version = await scope.version();
    for (const message of fresh) {
      await tx.query(
        `INSERT INTO support_messages (id, conversation_id, external_id, author, text, unanswerable,
                                       helpful, sent_at, row_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          randomUUID(),
          conversation.id,
          message.id,
          message.author,
          message.text,
          message.author === 'bot' && message.unanswerable,
          message.author === 'bot' && message.helpful,
          new Date(sentAt(message.sentAt)).toISOString(),
          version,
        ],
      );
    }
    await tx.query(
      `UPDATE support_conversations
          SET channel = $2, customer_id = $3, customer_name = $4, customer_contact = $5, topic = $6,
              updated_at = $7, row_version = $8
        WHERE id = $1`,
      [
        conversation.id,
        body.channel,
        customerId,
        body.customer.name,
        contact,
        body.topic,
        scope.nowIso,
        version,
      ],
    );
  }
  const base = { id: externalId, conversationId: conversation.id, newMessages: fresh.length };
  if (conversation.state !== 'bot') {
    const [item] = await tx.query<{ id: string }>(
      `SELECT id FROM review_items WHERE kind = $1 AND subject_id = $2`,
      [ESCALATION_KIND, conversation.id],
    );
    return {
      ...base,
      state: conversation.state,
      escalation:
        item === undefined ||
        conversation.escalation_reason === null ||
        conversation.escalated_at === null ||
        conversation.respond_by === null
          ? null
          : {
              reason: conversation.escalation_reason,
              escalatedAt: conversation.escalated_at,
              respondBy: conversation.respond_by,
              itemId: item.id,
              now: false,
            },
    };
  }
  const thread = fresh.length === 0 ? known : await threadOf(tx, conversation.id);
  const { trigger } = readThread(
    thread.map((message) => ({
      id: message.id,
      author: message.author,
      sentAt: Date.parse(message.sent_at),
      unanswerable: message.unanswerable,
      helpful: message.helpful,
    })),
  );
  if (trigger === null) {
    return { ...base, state: 'bot', escalation: null };
  }
  return {
    ...base,
    state: 'escalated',
    escalation: await escalate(scope, conversation, body, trigger.reason, trigger.at),
  };
}

async function threadOf(tx: Queryable, conversationId: string): Promise<MessageRow[]> {
  return tx.query<MessageRow>(
    `SELECT id, external_id, author, unanswerable, helpful, sent_at FROM support_messages
      WHERE conversation_id = $1 ORDER BY sent_at, id`,
    [conversationId],
  );
}

/** Hands the conversation to the desk: its state, its review item, and its rows re-versioned. */
async function escalate(
  scope: WorkScope,
  conversation: ConversationRow,
  body: ConversationBody,
  reason: EscalationReason,
  triggeredAt: number,
): Promise<NonNullable<PutResult['escalation']>> {
  const escalatedAt = new Date(Math.min(triggeredAt, scope.now)).toISOString();
  const respondBy = new Date(
    escalationDueAt(Date.parse(escalatedAt), scope.config.escalationResponseHours),
  ).toISOString();
  const version = await scope.version();
  await scope.tx.query(
    `UPDATE support_conversations
        SET state = 'escalated', escalation_reason = $2, escalated_at = $3, respond_by = $4,
            updated_at = $5, row_version = $6
      WHERE id = $1`,
    [conversation.id, reason, escalatedAt, respondBy, scope.nowIso, version],
  );
  // Until now no workstation held the thread: a delta brings rows by version, so the messages
  // written before the escalation take this version too.
  await scope.tx.query('UPDATE support_messages SET row_version = $2 WHERE conversation_id = $1', [
    conversation.id,
    version,
  ]);
  const itemId = randomUUID();
  const firstQuestion = body.messages.find((message) => message.author === 'customer')?.text;
  await scope.tx.query(
    `INSERT INTO review_items (id, kind, subject_id, state, priority, due_at, title, created_at,
                               updated_at, row_version)
     VALUES ($1, $2, $3, 'pending', 0, $4, $5, $6, $6, $7)`,
    [
      itemId,
      ESCALATION_KIND,
      conversation.id,
      respondBy,
      itemTitle(body.customer.name, body.topic, firstQuestion),
      scope.nowIso,
      version,
    ],
  );
  await scope.audit({
    subjectType: 'support_conversation',
    subjectId: conversation.id,
    itemId,
    action: 'escalate',
    fromState: 'bot',
    toState: 'escalated',
    reason,
    details: { respondBy },
  });
  return { reason, escalatedAt, respondBy, itemId, now: true };
}

/** The thread as the bot platform reads it back (to relay the desk's replies to the customer). */
export async function conversationThread(
  db: Queryable,
  externalId: string,
): Promise<Record<string, unknown> | null> {
  const [conversation] = await db.query<Record<string, unknown> & { id: string }>(
    `SELECT id, external_id AS "externalId", state, escalation_reason AS "escalationReason",
            escalated_at AS "escalatedAt", respond_by AS "respondBy",
            first_replied_at AS "firstRepliedAt", closed_at AS "closedAt", resolution
       FROM support_conversations WHERE external_id = $1`,
    [externalId],
  );
  if (conversation === undefined) {
    return null;
  }
  const messages = await db.query(
    `SELECT COALESCE(external_id, id::text) AS id, author, text, sent_at AS "sentAt",
            external_id IS NULL AS "fromDesk"
       FROM support_messages WHERE conversation_id = $1 ORDER BY sent_at, id`,
    [conversation.id],
  );
  const { id, externalId: _external, ...rest } = conversation;
  return { id: externalId, conversationId: id, ...rest, messages };
}
