import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack';
import { callApi, loginToken, signInAs } from './session';

/**
 * The workstation's promise, end to end in real Chromium against the real server (issue 4):
 * sign in, bootstrap the queue, go offline, claim and decide 20 items, reload while still
 * offline (the service worker opens the app; IndexedDB still holds the queue and the 20
 * pending decisions), restart the server, go online — the server has exactly 20 decisions.
 * Then a conflict: another reviewer decides an item first, and the conflict card shows both.
 */
let stack: Stack;

const api = (path: string, token: string | null, body?: unknown, method = 'POST') =>
  callApi(stack, path, token, body, method);

const token = (username: string) => loginToken(stack, username);

async function pendingListingItems(): Promise<number> {
  const [row] = await stack.server.ctx.db.query<{ n: number }>(
    `SELECT count(*)::int8 AS n FROM review_items WHERE kind = 'listing_revision' AND state = 'pending'`,
  );
  return row?.n ?? 0;
}

/** Makes sure at least `n` listings wait for review, submitting copies of a live one. */
async function ensurePendingListings(n: number): Promise<void> {
  const submitter = await token('submitter1');
  const [live] = await stack.server.ctx.db.query<{ document: Record<string, unknown> }>(
    `SELECT r.document FROM listing_revisions r JOIN listings l ON l.id = r.listing_id
      JOIN users u ON u.id = l.owner_id
      WHERE r.state = 'live' AND u.username = 'submitter1' LIMIT 1`,
  );
  if (live === undefined) {
    throw new Error('the demo data has no live listing of submitter1');
  }
  for (let index = 0; (await pendingListingItems()) < n; index += 1) {
    const document = structuredClone(live.document);
    (document['basic'] as Record<string, unknown>)['name'] = `英国硕士申请加急包${index + 1}`;
    const created = (await api('/api/v1/listings', submitter, { document })) as { id: string };
    await api(`/api/v1/listings/${created.id}/submit`, submitter);
  }
}

const signIn = (page: Page, username: string) => signInAs(stack, page, username);

const status = (page: Page) => page.locator('[data-testid="sync-status"]');

beforeAll(async () => {
  stack = await startStack();
  await ensurePendingListings(22);
}, 240_000);

afterAll(async () => {
  await stack.close();
});

describe('offline work, end to end', () => {
  it('decides 20 items offline, survives a reload and a server restart, and syncs exactly once', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1');
    // The bootstrap brings the demo queue.
    await expect
      .poll(() => page.locator('[data-testid="queue-item"]').count(), { timeout: 60_000 })
      .toBeGreaterThan(20);
    await expect.poll(() => status(page).getAttribute('data-pending')).toBe('0');
    await stack.screenshot(page, 'workflow.queue.en');

    await stack.context.setOffline(true);
    await expect.poll(() => status(page).getAttribute('data-online')).toBe('false');
    const decided: string[] = [];
    // The list is virtualized: only the rows in view exist, so scroll on when none is claimable.
    const claimable = page
      .locator('[data-testid="queue-item"]')
      .filter({ has: page.getByRole('button', { name: 'Claim', exact: true }) });
    for (let scrolls = 0; decided.length < 20 && scrolls < 200;) {
      if ((await claimable.count()) === 0) {
        await page.getByTestId('queue-scroll').evaluate((element) => {
          element.scrollBy(0, element.clientHeight / 2);
        });
        scrolls += 1;
        continue;
      }
      const row = claimable.first();
      const itemId = (await row.getAttribute('data-item-id'))!;
      await row.getByRole('button', { name: 'Claim', exact: true }).click();
      const decidedRow = page.locator(`[data-testid="queue-item"][data-item-id="${itemId}"]`);
      await decidedRow.getByRole('button', { name: 'Approve', exact: true }).click();
      await expect.poll(() => decidedRow.getByTestId('decision-status').count()).toBe(1);
      decided.push(itemId);
    }
    expect(decided).toHaveLength(20);
    await expect.poll(() => status(page).getAttribute('data-pending')).toBe('40');
    await stack.screenshot(page, 'workflow.offline-pending.en');

    // Reload with no network: the service worker serves the app, IndexedDB the queue.
    await page.reload();
    await status(page).waitFor({ timeout: 30_000 });
    await expect.poll(() => status(page).getAttribute('data-pending')).toBe('40');
    await expect.poll(() => status(page).getAttribute('data-online')).toBe('false');
    // Every decided item still opens from its link, with the decision saved on this device.
    for (const itemId of decided.slice(0, 3)) {
      await page.goto(`${stack.url}/?lang=en#/items/${itemId}?tab=history`);
      await expect
        .poll(() => page.getByText('saved on this device', { exact: false }).count(), {
          timeout: 30_000,
        })
        .toBeGreaterThan(0);
    }
    await page.goto(`${stack.url}/?lang=en#/queue`);
    await stack.screenshot(page, 'workflow.offline-reloaded.en');

    await stack.restartServer();
    await stack.context.setOffline(false);
    await expect
      .poll(() => status(page).getAttribute('data-pending'), { timeout: 60_000 })
      .toBe('0');
    const [count] = await stack.server.ctx.db.query<{ n: number }>(
      `SELECT count(*)::int8 AS n FROM decisions d JOIN users u ON u.id = d.reviewer_id
        WHERE u.username = 'reviewer1' AND d.item_id = ANY($1::uuid[])`,
      [decided],
    );
    expect(count?.n).toBe(20);
    await page.close();
  }, 240_000);

  it('shows a conflict card with both decisions when another reviewer decided first', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1');
    await expect
      .poll(() => status(page).getAttribute('data-pending'), { timeout: 60_000 })
      .toBe('0');
    const row = page
      .locator('[data-testid="queue-item"]')
      .filter({ has: page.getByRole('button', { name: 'Claim', exact: true }) })
      .first();
    const itemId = (await row.getAttribute('data-item-id'))!;

    await stack.context.setOffline(true);
    await row
      .getByRole('button', { name: 'Approve', exact: true })
      .click()
      .catch(async () => {
        await row.getByRole('button', { name: 'Claim', exact: true }).click();
        await row.getByRole('button', { name: 'Approve', exact: true }).click();
      });
    // Meanwhile reviewer2 rejects it on the server.
    const other = await token('reviewer2');
    await api('/sync/v1/push', other, {
      protocol: 1,
      clientId: crypto.randomUUID(),
      mutations: [
        {
          seq: 1,
          mutationId: crypto.randomUUID(),
          name: 'reject',
          v: 1,
          args: {
            itemId,
            reasons: ['credential_problem'],
            comments: [
              {
                path: '/credentials/files/0',
                reasonCode: 'credential_problem',
                text: '营业执照已过期',
              },
            ],
          },
        },
      ],
    });
    await stack.context.setOffline(false);
    await expect
      .poll(() => status(page).getAttribute('data-conflicts'), { timeout: 60_000 })
      .toBe('1');
    await page.goto(`${stack.url}/?lang=en#/conflicts`);
    const card = page.locator('[data-testid="conflict-card"]').first();
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toMatch(/Approve/i);
    expect(text).toMatch(/Reject/i);
    expect(text).toContain('reviewer2');
    await stack.screenshot(page, 'workflow.conflict.en');
    await page.goto(`${stack.url}/?lang=zh-CN#/conflicts`);
    await page.locator('[data-testid="conflict-card"]').first().waitFor();
    await stack.screenshot(page, 'workflow.conflict.zh-CN');
    await page.close();
  }, 180_000);
});
