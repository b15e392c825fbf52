import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs } from './session';
import { startStack, type Stack } from './stack';

/**
 * Escalations (issue 12, 运营 SOP 9.2) in real Chromium against the real server with the demo
 * data (server/src/demo/supportContent.ts): assistant1 opens 陈思远's conversation from the queue
 * (escalated after three follow-ups), reads the thread with the follow-ups marked, replies while
 * offline, reconnects — the reply reaches the server exactly once — and closes it with a
 * resolution. In English, the conversation past its response deadline. Screenshots
 * `escalation.{zh-CN,en}.png`.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 240_000);

afterAll(async () => {
  await stack.close();
});

async function itemOf(externalId: string): Promise<{ itemId: string; conversationId: string }> {
  const [row] = await stack.server.ctx.db.query<{ item_id: string; conversation_id: string }>(
    `SELECT i.id AS item_id, c.id AS conversation_id
       FROM support_conversations c JOIN review_items i ON i.subject_id = c.id
      WHERE c.external_id = $1 AND i.kind = 'escalation'`,
    [externalId],
  );
  if (row === undefined) {
    throw new Error(`no escalation for ${externalId}`);
  }
  return { itemId: row.item_id, conversationId: row.conversation_id };
}

async function agentMessages(conversationId: string): Promise<{ text: string }[]> {
  return stack.server.ctx.db.query<{ text: string }>(
    `SELECT text FROM support_messages WHERE conversation_id = $1 AND author = 'agent'`,
    [conversationId],
  );
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => {
    errors.push(error.message);
  });
  return errors;
}

describe('escalations, end to end', () => {
  it('an assistant opens one, replies offline, reconnects (synced once) and closes it (zh-CN)', async () => {
    const { itemId, conversationId } = await itemOf('CS-DEMO-0001');
    const page = await stack.newPage();
    const errors = watchErrors(page);
    await signInAs(stack, page, 'assistant1', 'zh-CN');
    const row = page.locator(`[data-testid="queue-item"][data-item-id="${itemId}"]`);
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole('button', { name: '处理' }).click();
    const view = page.getByTestId('escalation-view');
    await view.waitFor();
    const messages = page.getByTestId('thread-message');
    await expect.poll(() => messages.count(), { timeout: 30_000 }).toBe(7);
    expect(
      await messages.evaluateAll((rows) => rows.map((one) => one.getAttribute('data-follow-up'))),
    ).toEqual([null, null, '1', null, '2', null, '3']);
    expect(await page.locator('[data-trigger="true"]').textContent()).toContain('在此转人工');
    expect(await page.getByTestId('escalation-reason').textContent()).toBe('用户连续追问 3 次');
    const sla = page.getByTestId('escalation-sla');
    expect(await sla.getAttribute('data-status')).toBe('due');
    expect(await sla.textContent()).toMatch(/须在 .+ 前首次回复：还剩 3 小时 \d\d 分钟/);
    // Assistants reply in the thread: the customer's phone number is not on their device.
    expect(await page.getByTestId('escalation-contact').textContent()).toContain('按你的角色隐藏');
    await stack.screenshot(page, 'escalation.zh-CN');

    await stack.context.setOffline(true);
    try {
      const reply = '您好，我是人工客服小林。已为您手动申请电子发票，稍后发送到您的邮箱。';
      await page.getByTestId('escalation-reply').fill(reply);
      await page.getByTestId('escalation-send').click();
      await page.locator('[data-pending="true"]').waitFor();
      expect(await page.locator('[data-pending="true"]').textContent()).toContain('待同步');
      expect(await agentMessages(conversationId)).toEqual([]);
      await stack.screenshot(page, 'escalation.offline.zh-CN');
    } finally {
      await stack.context.setOffline(false);
    }
    // Back online: the outbox sends it, the thread gets the server's row.
    await expect
      .poll(() => page.locator('[data-author="agent"]:not([data-pending])').count(), {
        timeout: 60_000,
      })
      .toBe(1);
    expect(await page.locator('[data-pending="true"]').count()).toBe(0);
    expect(await agentMessages(conversationId)).toHaveLength(1);
    await expect.poll(() => sla.getAttribute('data-status'), { timeout: 30_000 }).toBe('met');

    await page.getByTestId('escalation-resolution').selectOption('answered');
    await page.getByTestId('escalation-note').fill('已手动开具电子发票。');
    await page.getByTestId('escalation-close').click();
    await page.getByTestId('escalation-closed').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('escalation-closed').textContent()).toContain(
      '会话已结束：已解答',
    );
    const [conversation] = await stack.server.ctx.db.query<{ state: string; resolution: string }>(
      'SELECT state, resolution FROM support_conversations WHERE id = $1',
      [conversationId],
    );
    expect(conversation).toEqual({ state: 'closed', resolution: 'answered' });
    const decisions = await stack.server.ctx.db.query(
      `SELECT outcome FROM decisions WHERE item_id = $1 AND is_final`,
      [itemId],
    );
    expect(decisions).toEqual([{ outcome: 'closed' }]);
    // Still exactly one reply after everything synced.
    expect(await agentMessages(conversationId)).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the conversation past its response deadline, in English', async () => {
    const { itemId } = await itemOf('CS-DEMO-0002');
    const page = await stack.newPage();
    const errors = watchErrors(page);
    await page.goto(`${stack.url}/?lang=en#/items/${itemId}`);
    await page.getByTestId('escalation-view').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('thread-message').count()).toBe(3);
    expect(await page.getByTestId('escalation-reason').textContent()).toBe(
      'The bot could not answer',
    );
    expect(await page.locator('[data-trigger="true"]').textContent()).toContain(
      'Bot could not answer',
    );
    const sla = page.getByTestId('escalation-sla');
    expect(await sla.getAttribute('data-status')).toBe('overdue');
    expect(await sla.textContent()).toMatch(/First reply overdue by 1 h \d\d min \(due .+\)/);
    await stack.screenshot(page, 'escalation.en');
    expect(errors).toEqual([]);
    await page.close();
  });
});
