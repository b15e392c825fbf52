import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkstation, type Workstation } from './harness';

/**
 * The workstation's frame in real Chromium, served by `vite preview` (no review server): the
 * sign-in page in both languages, what signing in says when no review server answers, the CSP —
 * and the signed-in frame against a stand-in server (Playwright answers the API calls), to see
 * the shell, the status bar, the queue and the conflicts inbox in a real browser. The full
 * end-to-end suite against the real server lives in its own files.
 */
let workstation: Workstation;

beforeAll(async () => {
  workstation = await startWorkstation();
});

afterAll(async () => {
  await workstation.close();
});

/**
 * Collects console errors and uncaught page errors, which must stay empty. A failed HTTP
 * answer the test provoked on purpose (`allowHttpErrors`) is logged by Chromium as a console
 * error "Failed to load resource"; those alone may be let through.
 */
function watchErrors(page: Page, options: { allowHttpErrors?: boolean } = {}): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (
      message.type() === 'error' &&
      !(options.allowHttpErrors === true && text.startsWith('Failed to load resource'))
    ) {
      errors.push(text);
    }
  });
  page.on('pageerror', (error) => {
    errors.push(error.message);
  });
  return errors;
}

const heading = (page: Page, level: number) => page.getByRole('heading', { level }).first();

describe('sign-in page in Chromium', () => {
  it('opens in zh-CN by default', async () => {
    const page = await workstation.newPage();
    const errors = watchErrors(page);
    await page.goto(workstation.url);

    await expect.poll(() => heading(page, 1).textContent()).toBe('ReviewDesk 审核工作台');
    await expect.poll(() => heading(page, 2).textContent()).toBe('登录');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await page.getByLabel('用户名').getAttribute('name')).toBe('username');
    expect(await page.getByLabel('密码', { exact: true }).getAttribute('name')).toBe('password');
    // Web mode: the server is the page's own origin.
    expect(await page.getByLabel('审核服务器地址').inputValue()).toBe(
      workstation.url.replace(/\/$/, ''),
    );
    const shot = await workstation.screenshot(page, 'sign-in.zh-CN');
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens in English from ?lang=en', async () => {
    const page = await workstation.newPage();
    const errors = watchErrors(page);
    await page.goto(`${workstation.url}?lang=en`);

    await expect.poll(() => heading(page, 1).textContent()).toBe('ReviewDesk');
    await expect.poll(() => heading(page, 2).textContent()).toBe('Sign in');
    expect(await page.getByLabel('Username').getAttribute('name')).toBe('username');
    await workstation.screenshot(page, 'sign-in.en');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps the language the user picked across a reload', async () => {
    const page = await workstation.newPage();
    await page.goto(workstation.url);
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => heading(page, 2).textContent()).toBe('Sign in');

    await page.reload();

    await expect.poll(() => heading(page, 1).textContent()).toBe('ReviewDesk');
    await page.getByText('简体中文', { exact: true }).click();
    await expect.poll(() => heading(page, 2).textContent()).toBe('登录');
    await page.close();
  });

  it('says the review server cannot be reached when nothing answers as one', async () => {
    for (const [lang, labels, expected] of [
      ['zh-CN', { username: '用户名', password: '密码', submit: '登录' }, '无法连接审核服务器'],
      [
        'en',
        { username: 'Username', password: 'Password', submit: 'Sign in' },
        'Cannot reach the review server',
      ],
    ] as const) {
      const page = await workstation.newPage();
      const errors = watchErrors(page, { allowHttpErrors: true });
      await page.goto(`${workstation.url}?lang=${lang}`);
      await page.getByLabel(labels.username).fill('reviewer1');
      await page.getByLabel(labels.password, { exact: true }).fill('secret');
      await page.getByRole('button', { name: labels.submit }).click();

      const alert = page.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain(expected);
      expect(await alert.textContent()).toContain(workstation.url.replace(/\/$/, ''));
      await workstation.screenshot(page, `sign-in-unreachable.${lang}`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('asks to sign in again, with the username filled in, when the stored session ended', async () => {
    const page = await workstation.newPage();
    const errors = watchErrors(page, { allowHttpErrors: true });
    await page.route('**/auth/refresh', (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: '{"code":"EXPIRED"}' }),
    );
    await page.goto(workstation.url);
    await page.evaluate(
      (url) => {
        localStorage.setItem(
          'reviewDesk.session',
          JSON.stringify({
            serverUrl: url,
            userId: crypto.randomUUID(),
            username: 'reviewer1',
            displayName: '审核员 王敏',
            role: 'reviewer',
          }),
        );
      },
      workstation.url.replace(/\/$/, ''),
    );
    await page.reload();

    await expect
      .poll(() => page.getByTestId('session-ended').textContent())
      .toBe('登录已过期，请重新登录。');
    expect(await page.getByLabel('用户名').inputValue()).toBe('reviewer1');
    await workstation.screenshot(page, 'sign-in-session-ended.zh-CN');
    await page.evaluate(() => {
      localStorage.removeItem('reviewDesk.session');
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('ships a Content-Security-Policy that forbids inline scripts', async () => {
    const page = await workstation.newPage();
    await page.goto(workstation.url);
    const policy = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content');
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("object-src 'none'");
    // An inline script injected the way XSS would is refused by the policy.
    const ran = await page.evaluate(async () => {
      const marker = window as unknown as { injected?: boolean };
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return marker.injected === true;
    });
    expect(ran).toBe(false);
    await page.close();
  });
});

/** A stand-in for the review server: just enough of /auth and RSP/1 for the frame. */
function standInServer(page: Page) {
  const me = {
    id: randomUUID(),
    username: 'reviewer1',
    displayName: '审核员 王敏',
    role: 'reviewer',
  };
  const other = {
    id: randomUUID(),
    username: 'reviewer2',
    displayName: '审核员 李强',
    role: 'reviewer',
  };
  const hour = 3_600_000;
  const iso = (offset: number) => new Date(Date.now() + offset).toISOString();
  const item = (index: number, title: string, extra: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    kind: 'listing_revision',
    subjectId: randomUUID(),
    revisionId: randomUUID(),
    state: 'pending',
    priority: 0,
    dueAt: iso(24 * hour + index * hour),
    assigneeId: null,
    supersedesItemId: null,
    title,
    country: 'GB',
    stages: ['master'],
    institutionName: '北京博雅教育科技有限公司',
    createdAt: iso(-48 * hour + index * hour),
    updatedAt: iso(-48 * hour + index * hour),
    claim: null,
    ...extra,
  });
  const contested = item(0, '英国硕士申请加急包');
  const items = [
    contested,
    item(1, '北京少儿英语培训'),
    item(2, '上海数学竞赛冬令营', {
      state: 'in_review',
      claim: {
        reviewerId: other.id,
        claimedAt: iso(-hour),
        expiresAt: iso(hour),
        assignedBy: null,
      },
    }),
    item(3, '东京游学两周团', { state: 'decided' }),
  ];
  const decision = {
    id: randomUUID(),
    itemId: items[3]!.id,
    revisionId: null,
    kind: 'listing_revision',
    outcome: 'approve',
    isFinal: true,
    reviewerId: other.id,
    reasons: [],
    note: '',
    details: {},
    flags: [],
    decidedAt: iso(-2 * hour),
    clientCreatedAt: null,
  };
  const changes = [
    ...[me, other].map((user) => ({
      table: 'users',
      id: user.id,
      op: 'put',
      version: 1,
      data: { ...user, active: true, institutionId: null },
    })),
    ...items.map((row) => ({
      table: 'review_items',
      id: row.id,
      op: 'put',
      version: 2,
      data: row,
    })),
    { table: 'decisions', id: decision.id, op: 'put', version: 3, data: decision },
  ];
  let lastSeq = 0;
  const state = { offline: false };
  const answer = (route: Route, body: unknown) =>
    state.offline
      ? route.abort('internetdisconnected')
      : route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });

  return {
    me,
    contested,
    other: items[1]!,
    /** While set, every API call fails as if the network were down. */
    state,
    async install() {
      await page.route('**/auth/login', (route) =>
        answer(route, { accessToken: 'access', refreshToken: 'refresh', user: me }),
      );
      await page.route('**/auth/refresh', (route) =>
        answer(route, { accessToken: 'access', refreshToken: 'refresh' }),
      );
      await page.route('**/auth/logout', (route) => answer(route, {}));
      await page.route('**/sync/v1/events*', (route) =>
        state.offline
          ? route.abort('internetdisconnected')
          : route.fulfill({ status: 200, contentType: 'text/event-stream', body: ': hello\n\n' }),
      );
      await page.route('**/sync/v1/pull', (route) =>
        answer(route, {
          cursor: 'c1',
          changes,
          lastSeq,
          results: [],
          hasMore: false,
          serverTime: new Date().toISOString(),
        }),
      );
      await page.route('**/sync/v1/push', (route) => {
        const body = route.request().postDataJSON() as {
          mutations: { seq: number; mutationId: string; name: string; args: { itemId?: string } }[];
        };
        const results = body.mutations.map((mutation) => {
          const lost = mutation.name === 'approve' && mutation.args.itemId === contested.id;
          return {
            seq: mutation.seq,
            mutationId: mutation.mutationId,
            name: mutation.name,
            status: lost ? 'conflict' : 'applied',
            code: lost ? 'ALREADY_DECIDED' : null,
            message: null,
            details: lost
              ? {
                  decision: {
                    outcome: 'reject',
                    reviewerId: other.id,
                    reviewerName: other.displayName,
                    decidedAt: iso(-5 * 60_000),
                  },
                }
              : {},
            serverTime: new Date().toISOString(),
          };
        });
        lastSeq = Math.max(lastSeq, ...body.mutations.map((mutation) => mutation.seq));
        return answer(route, { results, lastSeq, serverTime: new Date().toISOString() });
      });
    },
  };
}

describe('signed-in frame against a stand-in server', () => {
  it('signs in, shows the queue and status bar, records a decision, and shows the conflict', async () => {
    const page = await workstation.newPage();
    // Only the failed calls of the simulated outage below.
    const errors = watchErrors(page, { allowHttpErrors: true });
    const server = standInServer(page);
    await server.install();
    await page.goto(`${workstation.url}?lang=en`);
    await page.locator('input[name="username"]').fill('reviewer1');
    await page.locator('input[name="password"]').fill('secret');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const status = page.locator('[data-testid="sync-status"]');
    await status.waitFor();
    // The decided item is not open: the default filter (waiting or in review) hides it.
    await expect.poll(() => page.locator('[data-testid="queue-item"]').count()).toBe(3);
    expect(await status.getAttribute('data-online')).toBe('true');
    expect(await status.getAttribute('data-pending')).toBe('0');
    await expect.poll(() => status.textContent()).toContain('Last sync (server time)');
    expect(await page.getByTestId('current-user').textContent()).toBe('审核员 王敏 · Reviewer');
    await workstation.screenshot(page, 'shell-queue.en');

    // Offline: the decision is saved on this device and shown as such, never as final.
    server.state.offline = true;
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => status.getAttribute('data-online')).toBe('false');
    const pendingRow = page.locator(
      `[data-testid="queue-item"][data-item-id="${server.other.id}"]`,
    );
    await pendingRow.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect.poll(() => status.getAttribute('data-pending')).toBe('1');
    // A push attempt may be under way ("Syncing"); once it fails, the decision stays on the device.
    await expect
      .poll(() => pendingRow.getByTestId('decision-status').textContent())
      .toBe('Approve · Saved on this device');
    expect(await pendingRow.getAttribute('data-state')).toBe('pending');
    await workstation.screenshot(page, 'shell-queue-offline.en');

    server.state.offline = false;
    await page.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => status.getAttribute('data-pending')).toBe('0');
    expect(await status.getAttribute('data-online')).toBe('true');
    await expect
      .poll(() => pendingRow.getByTestId('decision-status').textContent())
      .toMatch(/^Approve · Synced \d\d:\d\d \(server\)$/);

    const row = page.locator(`[data-testid="queue-item"][data-item-id="${server.contested.id}"]`);
    await row.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect.poll(() => status.getAttribute('data-conflicts')).toBe('1');
    expect(await status.getAttribute('data-pending')).toBe('0');
    await expect
      .poll(() => row.getByTestId('decision-status').textContent())
      .toBe('Approve · Conflict');

    await page.getByRole('navigation').getByText('Conflicts').click();
    const card = page.locator('[data-testid="conflict-card"]').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('Rejected by 审核员 李强 (reviewer2)');
    await workstation.screenshot(page, 'shell-conflicts.en');

    await page.getByText('简体中文', { exact: true }).click();
    await expect.poll(() => heading(page, 2).textContent()).toBe('冲突');
    await workstation.screenshot(page, 'shell-conflicts.zh-CN');
    await page.getByRole('navigation').getByText('审核队列').click();
    await expect.poll(() => heading(page, 2).textContent()).toBe('审核队列');
    await workstation.screenshot(page, 'shell-queue.zh-CN');
    await row.getByRole('button', { name: '驳回', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('缺少材料').check();
    await dialog.getByRole('button', { name: '确认驳回' }).click();
    await expect.poll(() => dialog.getByText('请填写意见（不超过 2000 字）。').count()).toBe(1);
    await workstation.screenshot(page, 'reject-dialog.zh-CN');
    await dialog.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

    await page.getByRole('navigation').getByText('设置').click();
    await expect.poll(() => heading(page, 2).textContent()).toBe('设置');
    await workstation.screenshot(page, 'shell-settings.zh-CN');

    await page
      .getByRole('region', { name: '语言与外观' })
      .getByText('深色', { exact: true })
      .click();
    await expect
      .poll(() => page.evaluate(() => document.documentElement.dataset['mantineColorScheme']))
      .toBe('dark');
    await workstation.screenshot(page, 'shell-settings-dark.zh-CN');
    await page.getByRole('banner').getByText('浅色', { exact: true }).click();

    await page.getByRole('button', { name: '退出登录' }).click();
    await expect.poll(() => heading(page, 2).textContent()).toBe('登录');
    expect(errors.filter((error) => !error.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    await page.close();
  });
});
