import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, TEST_EPOCH, type TestServer, type TestUsername } from '../harness';
import { TestSyncClient } from '../sync/client';

/**
 * Escalations (运营 SOP 9.2): the AI customer service puts its conversations; one the bot could
 * not answer, or with three follow-ups in a row, becomes an `escalation` review item for the
 * desk, who reply and close it through sync. Test time starts 2026-11-21 09:00 in Shanghai.
 */

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});

const HOUR = 3_600_000;
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Message {
  id: string;
  author: 'customer' | 'bot' | 'agent';
  text: string;
  sentAt: string;
  unanswerable?: boolean;
  helpful?: boolean;
}

/** A conversation of `turns` customer/bot pairs, the i-th customer turn `minutes` apart. */
function conversation(turns: readonly [customer: string, bot: string | null][], start: number) {
  const messages: Message[] = [];
  turns.forEach(([customer, bot], index) => {
    messages.push({
      id: `c${index + 1}`,
      author: 'customer',
      text: customer,
      sentAt: iso(start + index * 2 * MINUTE),
    });
    if (bot !== null) {
      messages.push({
        id: `b${index + 1}`,
        author: 'bot',
        text: bot,
        sentAt: iso(start + (index * 2 + 1) * MINUTE),
      });
    }
  });
  return {
    channel: 'wechat',
    customer: { id: 'M20481', name: '陈思远', contact: '微信号：chen_siyuan88，手机 13812345678' },
    topic: '发票开具',
    messages,
  };
}

const TURNS: [string, string | null][] = [
  ['我上周买的课程怎么开发票？', '您好，可以在「我的订单」里申请电子发票。'],
  ['订单里没有申请发票的按钮', '请确认订单已完成支付，支付完成后会出现按钮。'],
  ['已经支付了，还是没有', '您可以尝试退出重新登录。'],
  ['试过了，还是不行，公司报销急用，请打我电话 13812345678', null],
];

interface PutBody {
  readonly conversationId: string;
  readonly state: string;
  readonly newMessages: number;
  readonly escalation: {
    readonly reason: string;
    readonly escalatedAt: string;
    readonly respondBy: string;
    readonly itemId: string;
    readonly now: boolean;
  } | null;
}

async function put(
  id: string,
  body: unknown,
  username: TestUsername = 'ops1',
): Promise<LightMyRequestResponse> {
  return server.as(username, 'PUT', `/api/v1/support/conversations/${id}`, body);
}

async function putOk(id: string, body: unknown): Promise<PutBody> {
  const response = await put(id, body);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<PutBody>();
}

async function version(): Promise<number> {
  const [row] = await server.db.query<{ version: number }>(
    `SELECT version FROM sync_space WHERE space_id = 'main'`,
  );
  return row?.version ?? -1;
}

async function itemsOf(conversationId: string) {
  return server.db.query<{ id: string; state: string; due_at: string | null; title: string }>(
    `SELECT id, state, due_at, title FROM review_items WHERE kind = 'escalation' AND subject_id = $1`,
    [conversationId],
  );
}

describe('PUT /api/v1/support/conversations/:id', () => {
  const start = TEST_EPOCH - 30 * MINUTE;

  it('keeps a conversation the bot copes with out of every queue and off every device', async () => {
    const body = conversation(TURNS.slice(0, 3), start);
    const first = await putOk('CS-1001', body);
    expect(first).toMatchObject({ state: 'bot', newMessages: 6, escalation: null });
    expect(await itemsOf(first.conversationId)).toEqual([]);
    const assistant = new TestSyncClient(server, 'assistant1');
    await assistant.pullAll();
    expect(assistant.rows('support_conversations')).toEqual([]);
    expect(assistant.rows('support_messages')).toEqual([]);
  });

  it('escalates at the third follow-up, once, with the response deadline as due_at', async () => {
    const assistant = new TestSyncClient(server, 'assistant1');
    await assistant.pullAll();
    const body = conversation(TURNS, start);
    const escalated = await putOk('CS-1001', body);
    expect(escalated.state).toBe('escalated');
    expect(escalated.newMessages).toBe(1);
    const thirdFollowUpAt = start + 6 * MINUTE;
    expect(escalated.escalation).toMatchObject({
      reason: 'follow_ups',
      escalatedAt: iso(thirdFollowUpAt),
      respondBy: iso(thirdFollowUpAt + 4 * HOUR),
      now: true,
    });
    const items = await itemsOf(escalated.conversationId);
    expect(items).toEqual([
      {
        id: escalated.escalation?.itemId,
        state: 'pending',
        due_at: iso(thirdFollowUpAt + 4 * HOUR),
        title: '陈思远 · 发票开具',
      },
    ]);

    // The same put again changes nothing: no new item, no new version, nothing to pull.
    const before = await version();
    const again = await putOk('CS-1001', body);
    expect(again).toMatchObject({
      state: 'escalated',
      newMessages: 0,
      escalation: { itemId: escalated.escalation?.itemId, now: false },
    });
    expect(await version()).toBe(before);
    expect(await itemsOf(escalated.conversationId)).toHaveLength(1);

    // The desk's devices get the item and the whole thread, written before the escalation too.
    await assistant.pullAll();
    expect(assistant.rows('review_items').map((row) => row['kind'])).toContain('escalation');
    expect(assistant.rows('support_messages')).toHaveLength(7);
    const [mirrored] = assistant.rows('support_conversations');
    expect(mirrored).toMatchObject({ state: 'escalated', escalationReason: 'follow_ups' });
    // Assistants answer in the thread: the customer's contact is hidden, numbers in text masked.
    expect(mirrored?.['customerContact']).toBeNull();
    expect(mirrored?.['redacted']).toEqual(['/customerContact']);
    const texts = (client: TestSyncClient) =>
      client
        .rows('support_messages')
        .map((row) => String(row['text']))
        .filter((text) => text.includes('电话'));
    expect(texts(assistant)).toEqual(['试过了，还是不行，公司报销急用，请打我电话 ⟦hidden:phone⟧']);
    const ops = new TestSyncClient(server, 'ops1');
    await ops.pullAll();
    expect(ops.rows('support_conversations')[0]?.['customerContact']).toBe(body.customer.contact);
    expect(texts(ops)).toEqual(['试过了，还是不行，公司报销急用，请打我电话 13812345678']);
  });

  it('escalates at once when the bot marks a message unanswerable', async () => {
    const result = await putOk('CS-1002', {
      customer: { name: '王小雨' },
      messages: [
        { id: 'q', author: 'customer', text: '能把课程转给我同事吗？', sentAt: iso(start) },
        {
          id: 'a',
          author: 'bot',
          text: '抱歉，这个问题我暂时无法回答，正在为您转接人工客服。',
          sentAt: iso(start + MINUTE),
          unanswerable: true,
        },
      ],
    });
    expect(result.escalation).toMatchObject({ reason: 'unanswerable', now: true });
    expect(await itemsOf(result.conversationId)).toMatchObject([
      { title: '王小雨 · 能把课程转给我同事吗？' },
    ]);
  });

  it('refuses bad input with a clear 400 and keeps nothing', async () => {
    const before = await version();
    const duplicate = await put('CS-1003', {
      customer: { name: '赵六' },
      messages: [
        { id: 'x', author: 'customer', text: '你好', sentAt: iso(start) },
        { id: 'x', author: 'bot', text: '您好', sentAt: iso(start + MINUTE) },
      ],
    });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json<{ error: { code: string } }>().error.code).toBe('DUPLICATE_MESSAGE_ID');
    const unknownAuthor = await put('CS-1003', {
      customer: { name: '赵六' },
      messages: [{ id: 'x', author: 'robot', text: '你好', sentAt: iso(start) }],
    });
    expect(unknownAuthor.statusCode).toBe(400);
    expect((await put('bad id!', conversation(TURNS, start))).statusCode).toBe(400);
    expect(await version()).toBe(before);
    expect(
      await server.db.query(`SELECT 1 FROM support_conversations WHERE external_id = 'CS-1003'`),
    ).toEqual([]);
  });

  it('lets only the integration (ops) put or read conversations', async () => {
    for (const username of ['assistant1', 'reviewer1', 'ta1', 'submitter1'] as const) {
      const response = await put('CS-1009', conversation(TURNS, start), username);
      expect(response.statusCode, username).toBe(403);
      const read = await server.as(username, 'GET', '/api/v1/support/conversations/CS-1001');
      expect(read.statusCode, username).toBe(403);
    }
    const anonymous = await server.app.inject({
      method: 'PUT',
      url: '/api/v1/support/conversations/CS-1009',
      payload: conversation(TURNS, start),
    });
    expect(anonymous.statusCode).toBe(401);
    expect(
      await server.db.query(`SELECT 1 FROM support_conversations WHERE external_id = 'CS-1009'`),
    ).toEqual([]);
  });
});

describe('replying to and closing an escalation through sync', () => {
  let itemId = '';
  let conversationId = '';
  beforeAll(async () => {
    const result = await putOk('CS-2001', conversation(TURNS, TEST_EPOCH - 10 * MINUTE));
    itemId = result.escalation?.itemId ?? '';
    conversationId = result.conversationId;
  });

  it('counts an unanswered escalation as overdue in queue health', async () => {
    server.clock.advance(5 * HOUR);
    const day = iso(server.clock.now()).slice(0, 10);
    const health = await server.as('ops1', 'GET', `/api/v1/ops/health?from=${day}&to=${day}`);
    expect(health.statusCode, health.body).toBe(200);
    const queue = health.json<{ queue: { kind: string; overdue: number }[] }>().queue;
    expect(queue.find((row) => row.kind === 'escalation')?.overdue).toBeGreaterThanOrEqual(1);
  });

  it('refuses the reply of a role outside the desk', async () => {
    for (const username of ['reviewer1', 'ta1', 'mentor1'] as const) {
      const result = await new TestSyncClient(server, username).do('replyEscalation', {
        itemId,
        text: '您好',
      });
      expect(result, username).toMatchObject({ status: 'rejected', code: 'FORBIDDEN' });
    }
  });

  it('refuses a reply or a closing note holding U+0000, and stores nothing', async () => {
    const assistant = new TestSyncClient(server, 'assistant1');
    const reply = await assistant.do('replyEscalation', { itemId, text: '您好\u0000' });
    expect(reply).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { reason: 'nul_character' },
    });
    const close = await assistant.do('closeEscalation', {
      itemId,
      resolution: 'answered',
      note: 'done\u0000',
    });
    expect(close).toMatchObject({ status: 'rejected', details: { reason: 'nul_character' } });
    const replies = await server.db.query(
      `SELECT 1 FROM support_messages WHERE conversation_id = $1 AND author = 'agent'`,
      [conversationId],
    );
    expect(replies).toHaveLength(0);
  });

  it('adds the reply to the thread exactly once, and the first reply meets the deadline', async () => {
    const assistant = new TestSyncClient(server, 'assistant1');
    const envelopes = assistant.record({
      name: 'replyEscalation',
      args: { itemId, text: '您好，我是人工客服小林。请把订单号发给我，我帮您手动开票。' },
      clientCreatedAt: iso(server.clock.now() - 20 * MINUTE),
    });
    const [first] = await assistant.push(envelopes);
    expect(first).toMatchObject({ status: 'applied' });
    // The device did not hear the answer (network dropped) and sends the same envelope again.
    const [second] = await assistant.push(envelopes);
    expect(second).toEqual(first);
    // The desktop journal replayed under a new client id after the local database was lost.
    const replayed = new TestSyncClient(server, 'assistant1');
    const [third] = await replayed.push(envelopes);
    expect(third).toMatchObject({ status: 'duplicate', code: 'DUPLICATE' });
    const replies = await server.db.query<{ text: string; agent_id: string }>(
      `SELECT text, agent_id FROM support_messages WHERE conversation_id = $1 AND author = 'agent'`,
      [conversationId],
    );
    expect(replies).toEqual([
      {
        text: '您好，我是人工客服小林。请把订单号发给我，我帮您手动开票。',
        agent_id: await server.userId('assistant1'),
      },
    ]);
    expect(await itemsOf(conversationId)).toMatchObject([{ state: 'in_review', due_at: null }]);
    // The platform reads the reply back to relay it.
    const read = await server.as('ops1', 'GET', '/api/v1/support/conversations/CS-2001');
    const thread = read.json<{ firstRepliedAt: string; messages: { author: string }[] }>();
    expect(thread.firstRepliedAt).toBe(iso(server.clock.now()));
    expect(thread.messages.at(-1)).toMatchObject({ author: 'agent', fromDesk: true });
    // A re-put of the platform's thread (without our reply) keeps it.
    await putOk('CS-2001', conversation(TURNS, TEST_EPOCH - 10 * MINUTE));
    expect(
      await server.db.query(
        `SELECT 1 FROM support_messages WHERE conversation_id = $1 AND author = 'agent'`,
        [conversationId],
      ),
    ).toHaveLength(1);
  });

  it('keeps others off while the assistant holds it, then closes it with a resolution', async () => {
    const ops = new TestSyncClient(server, 'ops1');
    const blocked = await ops.do('closeEscalation', {
      itemId,
      resolution: 'answered',
      note: '',
    });
    expect(blocked).toMatchObject({ status: 'conflict', code: 'CLAIMED_BY_OTHER' });
    const assistant = new TestSyncClient(server, 'assistant1');
    const bad = await assistant.do('closeEscalation', { itemId, resolution: 'whatever', note: '' });
    expect(bad.status).toBe('rejected');
    const closed = await assistant.do('closeEscalation', {
      itemId,
      resolution: 'answered',
      note: '已手动开具电子发票并发到邮箱。',
    });
    expect(closed).toMatchObject({ status: 'applied' });
    const [conversationRow] = await server.db.query<{
      state: string;
      resolution: string;
      closed_by: string;
    }>(`SELECT state, resolution, closed_by FROM support_conversations WHERE id = $1`, [
      conversationId,
    ]);
    expect(conversationRow).toEqual({
      state: 'closed',
      resolution: 'answered',
      closed_by: await server.userId('assistant1'),
    });
    const decisions = await server.db.query<{ outcome: string; details: unknown }>(
      `SELECT outcome, details FROM decisions WHERE item_id = $1 AND is_final`,
      [itemId],
    );
    expect(decisions).toEqual([{ outcome: 'closed', details: { resolution: 'answered' } }]);
    // Closed is final: a later reply or close conflicts.
    const late = await ops.do('replyEscalation', { itemId, text: '补充一句' });
    expect(late).toMatchObject({ status: 'conflict', code: 'ALREADY_DECIDED' });
    // The generic approve does not apply to escalations.
    const approve = await ops.do('approve', { itemId });
    expect(approve.status).toBe('rejected');
    // A re-put after closing neither reopens it nor adds an item.
    const again = await putOk('CS-2001', conversation(TURNS, TEST_EPOCH - 10 * MINUTE));
    expect(again.state).toBe('closed');
    expect(await itemsOf(conversationId)).toMatchObject([{ state: 'decided' }]);
  });
});
