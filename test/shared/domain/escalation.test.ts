import { describe, expect, it } from 'vitest';
import {
  ESCALATION_FOLLOW_UPS,
  escalationDueAt,
  readThread,
  type SupportAuthor,
  type ThreadMessage,
} from '#shared/domain/escalation';

/** A thread from a compact script: `c` customer, `b` bot, `b?` bot cannot answer, `b+` helpful, `a` agent. */
function thread(script: string): ThreadMessage[] {
  const authors: Record<string, SupportAuthor> = { c: 'customer', b: 'bot', a: 'agent' };
  return script.split(' ').map((token, index) => ({
    id: `m${index + 1}`,
    author: authors[token[0] ?? ''] ?? 'customer',
    sentAt: 1_000_000 + index * 60_000,
    unanswerable: token === 'b?',
    helpful: token === 'b+',
  }));
}

const followUps = (script: string) =>
  readThread(thread(script)).messages.map((entry) => entry.followUp);

describe('readThread (运营 SOP 9.2: 用户连续追问3次后转人工)', () => {
  it('escalates at the third follow-up after bot answers, not before', () => {
    expect(ESCALATION_FOLLOW_UPS).toBe(3);
    expect(readThread(thread('c b c b c b')).trigger).toBeNull();
    const reading = readThread(thread('c b c b c b c'));
    expect(reading.trigger).toEqual({ reason: 'follow_ups', messageId: 'm7', at: 1_360_000 });
    expect(reading.messages.map((entry) => entry.followUp)).toEqual([
      null,
      null,
      1,
      null,
      2,
      null,
      3,
    ]);
    expect(reading.messages.filter((entry) => entry.trigger).map((e) => e.message.id)).toEqual([
      'm7',
    ]);
  });

  it('counts several customer messages in a row as one turn', () => {
    // The question in two messages, then follow-ups of two and one messages: still only two.
    expect(readThread(thread('c c b c c b c')).trigger).toBeNull();
    expect(followUps('c c b c c b c')).toEqual([null, null, null, 1, 1, null, 2]);
    // Without a bot answer in between, nothing is a follow-up.
    expect(readThread(thread('c c c c c c')).trigger).toBeNull();
  });

  it('escalates at once when the bot cannot answer', () => {
    const reading = readThread(thread('c b?'));
    expect(reading.trigger).toEqual({ reason: 'unanswerable', messageId: 'm2', at: 1_060_000 });
    // The customer's next message follows up on no answer.
    expect(followUps('c b? c')).toEqual([null, null, null]);
  });

  it('starts counting again after a helpful answer or a person of the desk', () => {
    expect(readThread(thread('c b c b c b+ c b c b')).trigger).toBeNull();
    expect(followUps('c b c b c b+ c b c b')).toEqual([
      null,
      null,
      1,
      null,
      2,
      null,
      null,
      null,
      1,
      null,
    ]);
    expect(readThread(thread('c b c b a c b c b')).trigger).toBeNull();
    expect(readThread(thread('c b c b a c b c b c b c'))).toMatchObject({
      trigger: { reason: 'follow_ups', messageId: 'm12' },
    });
  });

  it('keeps the first trigger only, and reads the messages in time order', () => {
    const reading = readThread(thread('c b? c b c b c b?'));
    expect(reading.trigger?.messageId).toBe('m2');
    expect(reading.messages.filter((entry) => entry.trigger)).toHaveLength(1);
    const shuffled = [...thread('c b c b c b c')].reverse();
    expect(readThread(shuffled).trigger?.messageId).toBe('m7');
    expect(readThread([]).trigger).toBeNull();
  });

  it('puts the response deadline 4 hours after the escalation by default', () => {
    expect(escalationDueAt(0)).toBe(4 * 3_600_000);
    expect(escalationDueAt(1_000, 2)).toBe(1_000 + 2 * 3_600_000);
  });
});
