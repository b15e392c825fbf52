import type { LocalizedText } from '../i18n/localized';

/**
 * Escalation of the AI customer service to a person (运营 SOP 9.2 「当AI无法回答或用户连续追问3次后，
 * 自动转接人工客服」): the bot answers first; when it says it cannot answer, or the customer comes
 * back three times in a row without a satisfying answer, the conversation goes to the human desk
 * (assistants and ops managers) as a review item with a response deadline.
 */

/** Who wrote a message: the customer, the bot, or a person of the desk. */
export const SUPPORT_AUTHORS = ['customer', 'bot', 'agent'] as const;
export type SupportAuthor = (typeof SUPPORT_AUTHORS)[number];

/** Follow-ups in a row that hand the conversation over (「连续追问3次」). */
export const ESCALATION_FOLLOW_UPS = 3;

/**
 * The response deadline of an escalation: hours from the escalation to the first reply of the
 * desk. A setting of the server (`escalationResponseHours`); this is its default. Four clock
 * hours, not working hours: the customer is waiting in a chat, evenings and weekends included.
 */
export const ESCALATION_RESPONSE_HOURS = 4;

/** Why a conversation was handed over. */
export type EscalationReason = 'follow_ups' | 'unanswerable';

export const ESCALATION_REASON_LABELS: Readonly<Record<EscalationReason, LocalizedText>> = {
  follow_ups: {
    'zh-CN': `用户连续追问 ${ESCALATION_FOLLOW_UPS} 次`,
    en: `${ESCALATION_FOLLOW_UPS} follow-up questions in a row`,
  },
  unanswerable: { 'zh-CN': 'AI 无法回答', en: 'The bot could not answer' },
};

/** How the desk closed an escalation. */
export const ESCALATION_RESOLUTIONS = [
  'answered',
  'refund_referred',
  'technical_issue',
  'no_response',
  'duplicate',
] as const;
export type EscalationResolution = (typeof ESCALATION_RESOLUTIONS)[number];

export const ESCALATION_RESOLUTION_LABELS: Readonly<Record<EscalationResolution, LocalizedText>> = {
  answered: { 'zh-CN': '已解答', en: 'Answered' },
  refund_referred: { 'zh-CN': '已转退款流程', en: 'Referred to the refund process' },
  technical_issue: { 'zh-CN': '已转技术处理', en: 'Passed to the technical team' },
  no_response: { 'zh-CN': '用户未再回复', en: 'The customer did not reply' },
  duplicate: { 'zh-CN': '重复会话', en: 'Duplicate conversation' },
};

/** A message as the rule reads it. */
export interface ThreadMessage {
  readonly id: string;
  readonly author: SupportAuthor;
  /** Epoch ms. */
  readonly sentAt: number;
  /** A bot message saying it found no answer (the bot platform marks it). */
  readonly unanswerable?: boolean;
  /** A bot answer the customer marked as helpful (「已解决」): the question is settled. */
  readonly helpful?: boolean;
}

/** The moment a conversation escalated. */
export interface EscalationTrigger {
  readonly reason: EscalationReason;
  /** The message that triggered it (the third follow-up, or the bot's "cannot answer"). */
  readonly messageId: string;
  readonly at: number;
}

/** A message's part in the rule: the n-th follow-up of an open question, or none. */
export interface AnnotatedMessage<M extends ThreadMessage> {
  readonly message: M;
  /** 1, 2, 3… for a customer turn that follows up on a bot answer; null otherwise. */
  readonly followUp: number | null;
  /** The message that escalated the conversation. */
  readonly trigger: boolean;
}

export interface ThreadReading<M extends ThreadMessage> {
  readonly messages: readonly AnnotatedMessage<M>[];
  /** The first escalation, or null while the bot is coping. */
  readonly trigger: EscalationTrigger | null;
}

/**
 * Reads a thread in time order (ties keep the given order). A customer *turn* is one or more
 * customer messages in a row; the first turn asks, and each turn after a bot answer to the same
 * open question is a follow-up. The count starts again when the customer marks an answer helpful
 * or a person of the desk writes. The conversation escalates at the {@link ESCALATION_FOLLOW_UPS}th
 * follow-up, or at a bot message marked unanswerable, whichever comes first; later messages are
 * still numbered but never escalate it again.
 */
export function readThread<M extends ThreadMessage>(messages: readonly M[]): ThreadReading<M> {
  const ordered = messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => a.message.sentAt - b.message.sentAt || a.index - b.index)
    .map(({ message }) => message);
  const annotated: AnnotatedMessage<M>[] = [];
  let trigger: EscalationTrigger | null = null;
  let asked = false; // an open question
  let answeredSinceTurn = false; // the bot answered since the customer's last turn
  let followUps = 0;
  let previous: SupportAuthor | null = null;
  for (const message of ordered) {
    let followUp: number | null = null;
    let triggers = false;
    if (message.author === 'customer') {
      const newTurn = previous !== 'customer';
      if (!asked) {
        asked = true;
      } else if (newTurn && answeredSinceTurn) {
        followUps += 1;
        followUp = followUps;
        triggers = followUps === ESCALATION_FOLLOW_UPS;
      } else if (!newTurn && followUps > 0) {
        followUp = followUps; // the same follow-up turn, in several messages
      }
      answeredSinceTurn = false;
    } else if (message.author === 'bot') {
      if (message.unanswerable === true) {
        triggers = true;
      }
      if (message.helpful === true) {
        asked = false;
        followUps = 0;
      }
      // "I cannot answer" is no answer: the customer's next message follows up on nothing.
      answeredSinceTurn = asked && message.unanswerable !== true;
    } else {
      asked = false;
      followUps = 0;
      answeredSinceTurn = false;
    }
    const isTrigger = triggers && trigger === null;
    if (isTrigger) {
      trigger = {
        reason: message.author === 'bot' ? 'unanswerable' : 'follow_ups',
        messageId: message.id,
        at: message.sentAt,
      };
    }
    annotated.push({ message, followUp, trigger: isTrigger });
    previous = message.author;
  }
  return { messages: annotated, trigger };
}

/** The response deadline of an escalation at `escalatedAt` (epoch ms). */
export function escalationDueAt(
  escalatedAt: number,
  responseHours: number = ESCALATION_RESPONSE_HOURS,
): number {
  return escalatedAt + responseHours * 3_600_000;
}
