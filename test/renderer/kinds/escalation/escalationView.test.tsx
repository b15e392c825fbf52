import 'fake-indexeddb/auto';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { responseSla } from '../../../../renderer/src/kinds/escalation/sla';
import { makeItem, makeUser, renderSignedIn } from '../../app/harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function conversation(overrides: Record<string, unknown> = {}) {
  const escalatedAt = Date.now() - 30 * MINUTE;
  return {
    id: randomUUID(),
    externalId: 'CS-20261207-0012',
    channel: 'wechat',
    customerId: 'M20481',
    customerName: '陈思远',
    customerContact: null,
    topic: '发票开具',
    state: 'escalated',
    escalationReason: 'follow_ups',
    escalatedAt: new Date(escalatedAt).toISOString(),
    respondBy: new Date(escalatedAt + 4 * HOUR).toISOString(),
    firstRepliedAt: null,
    closedAt: null,
    closedBy: null,
    resolution: null,
    resolutionNote: null,
    startedAt: new Date(escalatedAt - 10 * MINUTE).toISOString(),
    updatedAt: new Date(escalatedAt).toISOString(),
    redacted: ['/customerContact'],
    _version: 1,
    ...overrides,
  };
}

function messages(conversationId: string, start: number) {
  const script: [string, string, Record<string, unknown>?][] = [
    ['customer', '我上周买的课程怎么开发票？'],
    ['bot', '您好，可以在「我的订单」里申请电子发票。'],
    ['customer', '订单里没有申请发票的按钮'],
    ['bot', '请确认订单已完成支付。'],
    ['customer', '已经支付了，还是没有'],
    ['bot', '您可以尝试退出重新登录。'],
    ['customer', '还是不行，请打我电话 ⟦hidden:phone⟧'],
  ];
  return script.map(([author, text], index) => ({
    id: randomUUID(),
    conversationId,
    author,
    agentId: null,
    text,
    unanswerable: false,
    helpful: false,
    sentAt: new Date(start + index * MINUTE).toISOString(),
    clientCreatedAt: null,
    _version: 1,
  }));
}

async function open(row: ReturnType<typeof conversation>, locale: 'en' | 'zh-CN' = 'en') {
  const item = makeItem({
    kind: 'escalation',
    subjectId: row.id,
    revisionId: null,
    title: `${row.customerName} · ${row.topic}`,
    dueAt: row.respondBy,
  });
  window.location.hash = `#/items/${item.id}`;
  const rendered = await renderSignedIn(makeUser('assistant'), {
    locale,
    prepare: async (workspace) => {
      await workspace.db.mirror('support_conversations').put(row);
      await workspace.db
        .mirror('support_messages')
        .bulkPut(messages(row.id, Date.parse(row.startedAt)));
      await workspace.db.mirror('review_items').put({ ...item, _version: 1 });
    },
  });
  return { ...rendered, item };
}

describe('escalation page', () => {
  it('shows the thread with the follow-ups and the escalating message, and the deadline', async () => {
    await open(conversation());
    const thread = await screen.findByTestId('escalation-thread');
    const rows = [...thread.querySelectorAll('[data-testid="thread-message"]')];
    expect(rows.map((row) => row.getAttribute('data-author'))).toEqual([
      'customer',
      'bot',
      'customer',
      'bot',
      'customer',
      'bot',
      'customer',
    ]);
    expect(rows.map((row) => row.getAttribute('data-follow-up'))).toEqual([
      null,
      null,
      '1',
      null,
      '2',
      null,
      '3',
    ]);
    expect(rows.at(-1)?.getAttribute('data-trigger')).toBe('true');
    expect(rows.at(-1)?.textContent).toContain('Escalated here');
    // The masked phone number is a "hidden" chip, and so is the contact.
    expect(screen.getAllByTestId('redacted-mark').map((mark) => mark.dataset['kind'])).toEqual([
      'phone',
    ]);
    expect(screen.getByTestId('escalation-contact').textContent).toContain('Hidden for your role');
    const sla = screen.getByTestId('escalation-sla');
    expect(sla.dataset['status']).toBe('due');
    expect(sla.textContent).toMatch(/3 h 2\d min left|3 h 30 min left/);
    expect(screen.getByTestId('escalation-reason').textContent).toBe(
      '3 follow-up questions in a row',
    );
  });

  it('records a reply and a close through the outbox, in zh-CN', async () => {
    const { workspace, item } = await open(conversation(), 'zh-CN');
    await screen.findByTestId('escalation-thread');
    await userEvent.click(screen.getByTestId('escalation-send'));
    expect(screen.getByText('请先写回复内容。')).toBeTruthy();
    expect(await workspace.db.outbox.count()).toBe(0);
    await userEvent.type(screen.getByTestId('escalation-reply'), '您好，我来帮您手动开票。');
    await userEvent.click(screen.getByTestId('escalation-send'));
    await waitFor(async () => {
      expect(await workspace.db.outbox.count()).toBe(1);
    });
    const pending = await screen.findByText('待同步');
    expect(pending).toBeTruthy();
    await userEvent.click(screen.getByTestId('escalation-close'));
    expect(screen.getByText('请选择处理结果。')).toBeTruthy();
    await userEvent.selectOptions(screen.getByTestId('escalation-resolution'), 'answered');
    await userEvent.click(screen.getByTestId('escalation-close'));
    await screen.findByTestId('escalation-close-pending');
    const outbox = await workspace.db.outbox.toArray();
    expect(outbox.map((row) => [row.name, row.args])).toEqual([
      ['replyEscalation', { itemId: item.id, text: '您好，我来帮您手动开票。' }],
      ['closeEscalation', { itemId: item.id, resolution: 'answered', note: '' }],
    ]);
    expect(screen.queryByTestId('escalation-reply')).toBeNull();
  });
});

describe('responseSla', () => {
  const facts = {
    escalatedAt: '2026-12-07T01:00:00.000Z',
    respondBy: '2026-12-07T05:00:00.000Z',
    firstRepliedAt: null,
  };
  const at = (iso: string) => Date.parse(iso);
  it('counts down, turns overdue, and judges the first reply', () => {
    expect(responseSla(facts, at('2026-12-07T04:45:00.000Z'))).toEqual({
      status: 'due',
      leftMs: 15 * MINUTE,
      soon: true,
    });
    expect(responseSla(facts, at('2026-12-07T05:00:00.000Z'))).toEqual({
      status: 'overdue',
      lateMs: 0,
    });
    expect(
      responseSla({ ...facts, firstRepliedAt: '2026-12-07T05:00:00.000Z' }, at('2026-12-08')),
    ).toEqual({ status: 'met', tookMs: 4 * HOUR });
    expect(responseSla({ ...facts, firstRepliedAt: '2026-12-07T05:00:01.000Z' }, 0).status).toBe(
      'late',
    );
    expect(responseSla({ ...facts, respondBy: null }, 0)).toEqual({ status: 'none' });
  });
});
