import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR } from './harness';
import { startStack, type Stack } from './stack';
import { callApi, loginToken, signInAs } from './session';

/**
 * The listing review workstation (issue 5), end to end in real Chromium against the real
 * server in web mode: the queue, claiming, the listing view, field-anchored comments,
 * decisions that reach the server exactly once, history, the keyboard-only journey, sanitized
 * rich text (the OWASP corpus), axe-core and bad input. Screenshots land in
 * `test-results/screenshots/review.*.png`.
 */
let stack: Stack;

type Lang = 'zh-CN' | 'en';

const NAMES = {
  'zh-CN': {
    signIn: '登录',
    claimNext: '领取下一条',
    claim: '领取',
    approve: '通过',
    reject: '驳回',
    approveAnyway: '仍然通过',
    rejectSubmit: '确认驳回',
    saveComment: '保存意见',
    comment: '写意见',
    history: '历史记录',
    listing: '项目内容',
  },
  en: {
    signIn: 'Sign in',
    claimNext: 'Claim next',
    claim: 'Claim',
    approve: 'Approve',
    reject: 'Reject',
    approveAnyway: 'Approve anyway',
    rejectSubmit: 'Reject listing',
    saveComment: 'Save comment',
    comment: 'Comment',
    history: 'History',
    listing: 'Listing',
  },
} as const;

const api = (path: string, token: string | null, body?: unknown, method = 'POST') =>
  callApi(stack, path, token, body, method);

const token = (username: string) => loginToken(stack, username);

type Doc = Record<string, unknown>;

async function liveDocument(): Promise<Doc> {
  const [live] = await stack.server.ctx.db.query<{ document: Doc }>(
    `SELECT r.document FROM listing_revisions r JOIN listings l ON l.id = r.listing_id
      JOIN users u ON u.id = l.owner_id
      WHERE r.state = 'live' AND u.username = 'submitter1'
        AND jsonb_array_length(r.document->'packages'->'items') > 0
      ORDER BY r.created_at LIMIT 1`,
  );
  if (live === undefined) {
    throw new Error('the demo data has no live listing of submitter1');
  }
  return live.document;
}

interface Submitted {
  readonly listingId: string;
  readonly revisionId: string;
  readonly itemId: string;
}

/** Creates and submits a listing as submitter1; returns its review item. */
async function submitListing(document: Doc): Promise<Submitted> {
  const submitter = await token('submitter1');
  const created = (await api('/api/v1/listings', submitter, { document })) as { id: string };
  const submitted = (await api(`/api/v1/listings/${created.id}/submit`, submitter)) as {
    itemId: string;
    revisionId: string;
  };
  return { listingId: created.id, revisionId: submitted.revisionId, itemId: submitted.itemId };
}

/**
 * Submits a valid copy, then puts `document` into the submitted revision directly in the
 * server's database: bad input the submit validation would refuse still reaches reviewers
 * (older clients, imports, a validation that changed). Call it while no page is open, so the
 * workstation's next pull brings the replaced document.
 */
async function submitRaw(document: unknown): Promise<Submitted> {
  const submitted = await submitListing(
    named(base, `原始数据测试包${String(Date.now() % 100000)}`),
  );
  // A new space version, so a workstation that already pulled the revision pulls it again.
  const [row] = await stack.server.ctx.db.query<{ version: number | string }>(
    `WITH v AS (UPDATE sync_space SET version = version + 1 WHERE space_id = 'main' RETURNING version)
     UPDATE listing_revisions SET document = $1::jsonb, row_version = (SELECT version FROM v)
      WHERE id = $2::uuid RETURNING row_version AS version`,
    [JSON.stringify(document), submitted.revisionId],
  );
  if (row === undefined) {
    throw new Error('the submitted revision is missing');
  }
  stack.server.ctx.hints.notify(Number(row.version));
  return submitted;
}

function named(base: Doc, name: string): Doc {
  const document = structuredClone(base);
  (document['basic'] as Doc)['name'] = name;
  return document;
}

const signIn = (page: Page, username: string, lang: Lang = 'en') =>
  signInAs(stack, page, username, lang);

/** A screenshot of the window as it is (dialogs are fixed: a full-page shot tears them). */
async function windowShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

const status = (page: Page) => page.locator('[data-testid="sync-status"]');

async function synced(page: Page): Promise<void> {
  await expect.poll(() => status(page).getAttribute('data-pending'), { timeout: 90_000 }).toBe('0');
}

async function openItem(page: Page, itemId: string, lang: Lang, tab = 'listing'): Promise<void> {
  await page.goto(`${stack.url}/?lang=${lang}#/items/${itemId}?tab=${tab}`);
  await page.locator(`[data-testid="item-page"][data-item-id="${itemId}"]`).waitFor({
    timeout: 60_000,
  });
}

/** Waits until the local cache knows the item (the pull after the server created it). */
async function waitForItem(page: Page, itemId: string, lang: Lang): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.goto(`${stack.url}/?lang=${lang}#/items/${itemId}`);
        await page
          .locator('[data-testid="item-page"], [role="alert"]')
          .first()
          .waitFor({ timeout: 30_000 })
          .catch(() => undefined);
        return page.locator(`[data-testid="item-page"][data-item-id="${itemId}"]`).count();
      },
      { timeout: 120_000, interval: 2_000 },
    )
    .toBe(1);
}

async function decisionsOf(itemId: string): Promise<{ outcome: string; username: string }[]> {
  return stack.server.ctx.db.query<{ outcome: string; username: string }>(
    `SELECT d.outcome, u.username FROM decisions d JOIN users u ON u.id = d.reviewer_id
      WHERE d.item_id = $1::uuid ORDER BY d.decided_at`,
    [itemId],
  );
}

const require = createRequire(import.meta.url);

interface AxeResult {
  readonly violations: readonly {
    id: string;
    impact: string | null;
    help: string;
    nodes: readonly { target: unknown; html: string; failureSummary?: string }[];
  }[];
}

async function axe(page: Page): Promise<AxeResult['violations']> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    // Evaluated over the DevTools protocol: the app's CSP rightly refuses inline script tags.
    const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(`${source}\n;undefined`);
  }
  const result = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe.run;
    return run(document, { resultTypes: ['violations'] });
  });
  return (result as AxeResult).violations.filter(
    (violation) => violation.impact === 'serious' || violation.impact === 'critical',
  );
}

function describeViolations(violations: AxeResult['violations']): string {
  return violations
    .map(
      (violation) =>
        `${violation.id} (${String(violation.impact)}): ${violation.help}\n` +
        violation.nodes
          .slice(0, 40)
          .map(
            (node) =>
              `   ${JSON.stringify(node.target)} ${node.html.slice(0, 100)} ${(node.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 160)}`,
          )
          .join('\n'),
    )
    .join('\n');
}

/** Comments on the field at `path` through its Comment button (the first reason, `text`). */
async function addComment(page: Page, path: string, text: string, lang: Lang): Promise<void> {
  const field = page.locator(`[data-testid="field-anchor"][data-field-path="${path}"]`);
  const before = await field.locator('[data-testid="comment"]').count();
  await field
    .getByRole('button', { name: new RegExp(NAMES[lang].comment) })
    .first()
    .click();
  const composer = field.locator('[data-testid="comment-composer"]');
  await composer.waitFor();
  await composer
    .getByLabel(lang === 'en' ? /^Reason/ : /^原因/)
    .first()
    .click();
  await page.getByRole('option').first().click();
  await composer.locator('textarea').fill(text);
  await composer.getByRole('button', { name: NAMES[lang].saveComment }).click();
  await expect
    .poll(() => field.locator('[data-testid="comment"]').count(), { timeout: 30_000 })
    .toBe(before + 1);
}

let base: Doc;
const journey: Record<Lang, { reject: Submitted; approve: Submitted; name: string }> = {
  'zh-CN': undefined as never,
  en: undefined as never,
};

beforeAll(async () => {
  stack = await startStack();
  base = await liveDocument();
  for (const [lang, tag] of [
    ['zh-CN', '甲'],
    ['en', '乙'],
  ] as const) {
    const name = `端到端审核测试包${tag}`;
    journey[lang] = {
      name,
      reject: await submitListing(named(base, `${name}一号`)),
      approve: await submitListing(named(base, `${name}二号`)),
    };
  }
}, 300_000);

afterEach(async () => {
  // A failed test leaves its page open; it must not keep syncing into the next test.
  for (const open of stack.context.pages()) {
    await open.close();
  }
});

afterAll(async () => {
  await stack.close();
});

describe.each(['zh-CN', 'en'] as const)('the reviewer journey in %s', (lang) => {
  it('searches, claims next, reads, comments, rejects, approves and sees the history', async () => {
    const names = NAMES[lang];
    const page = await stack.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await signIn(page, 'reviewer1', lang);
    // The refresh token lives in the server's HttpOnly cookie: no script of the page can read
    // it, and the browser's storage does not hold it.
    const refreshCookie = (await page.context().cookies()).find(
      ({ name }) => name === 'rd_refresh',
    );
    expect(refreshCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/auth' });
    const pageStorage = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify(Object.entries(localStorage)),
      session: JSON.stringify(Object.entries(sessionStorage)),
    }));
    expect(pageStorage.cookie).not.toContain('rd_refresh');
    expect(pageStorage.local).not.toContain(refreshCookie?.value);
    expect(pageStorage.session).not.toContain(refreshCookie?.value);
    await page.goto(`${stack.url}/?lang=${lang}#/queue`);
    const rows = page.locator('[data-testid="queue-item"]');
    await expect.poll(() => rows.count(), { timeout: 90_000 }).toBeGreaterThan(5);
    expect(await page.locator('[data-testid="queue-count"]').innerText()).toMatch(/\d/);
    await synced(page);
    await stack.screenshot(page, `review.queue.${lang}`);

    // Search in Chinese: an institution, then this journey's listings.
    const search = page.locator('[data-testid="queue-search"]');
    await search.fill('启明星途');
    await expect
      .poll(async () => (await rows.allInnerTexts()).join('\n'), { timeout: 30_000 })
      .toContain('启明星途');
    const { name, reject, approve } = journey[lang];
    await search.fill(name);
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(2);
    await stack.screenshot(page, `review.queue-search.${lang}`);

    // Claim next opens the oldest matching item: the one to reject.
    await page.getByRole('button', { name: new RegExp(`^${names.claimNext}`) }).click();
    const itemPage = page.locator(`[data-testid="item-page"][data-item-id="${reject.itemId}"]`);
    await itemPage.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.url()).toContain(`#/items/${reject.itemId}`);

    // The listing view: all seven steps, prices with their CNY equivalents.
    const steps = page.locator('[data-testid="listing-step"]');
    await expect.poll(() => steps.count()).toBeGreaterThanOrEqual(7);
    const stepNames = await steps.evaluateAll((nodes) =>
      nodes.map((node) => node.getAttribute('data-step')),
    );
    for (const step of [
      'basic',
      'highlights',
      'packages',
      'process',
      'requirements',
      'risk',
      'credentials',
    ]) {
      expect(stepNames).toContain(step);
    }
    await expect.poll(() => page.locator('[data-testid="price"]').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="price-cny"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="price-cny"]').first().innerText()).toMatch(/\d/);
    await stack.screenshot(page, `review.listing.${lang}`);

    // A comment anchored to the listing's name.
    const nameField = page.locator('[data-testid="field-anchor"][data-field-path="/basic/name"]');
    await nameField.getByRole('button', { name: new RegExp(names.comment) }).click();
    const composer = nameField.locator('[data-testid="comment-composer"]');
    await composer.waitFor();
    await composer
      .getByLabel(lang === 'en' ? /^Reason/ : /^原因/)
      .first()
      .click();
    await page.getByRole('option').first().click();
    await composer.locator('textarea').fill('名称与营业执照上的服务范围不一致');
    await composer.getByRole('button', { name: names.saveComment }).click();
    await expect
      .poll(() => nameField.locator('[data-testid="comment"]').count(), { timeout: 30_000 })
      .toBe(1);

    // Reject with a reason code.
    await page.getByRole('button', { name: names.reject, exact: true }).click();
    const form = page.locator('[data-testid="reject-form"]');
    await form.waitFor();
    await form.getByRole('checkbox').first().check();
    await windowShot(page, `review.reject-dialog.${lang}`);
    await form.getByRole('button', { name: names.rejectSubmit }).click();
    await form.waitFor({ state: 'detached', timeout: 30_000 });
    await synced(page);
    await expect
      .poll(async () => decisionsOf(reject.itemId), { timeout: 60_000 })
      .toEqual([{ outcome: 'reject', username: 'reviewer1' }]);
    const [comment] = await stack.server.ctx.db.query<{ path: string; body: string }>(
      `SELECT * FROM field_comments WHERE item_id = $1::uuid`,
      [reject.itemId],
    );
    expect(JSON.stringify(comment)).toContain('/basic/name');

    // History: the decision with who and when.
    await page.getByRole('tab', { name: names.history }).click();
    const history = page.locator('[data-testid="history-tab"]');
    await history.waitFor();
    await expect
      .poll(async () => history.innerText(), { timeout: 30_000 })
      .toMatch(lang === 'en' ? /[Rr]eject/ : /驳回/);
    const historyText = await history.innerText();
    // Who: the decision is mine ("Me"); when: its server time.
    expect(historyText).toMatch(
      lang === 'en' ? /Rejected\s+Me\s+Server time/ : /审核驳回\s+我\s+服务器时间/,
    );
    expect(historyText).not.toMatch(/^(create|submit|claim|reject)$/m);
    await stack.screenshot(page, `review.history.${lang}`);

    // Open the other one from its link in the queue, claim it and approve it.
    await page.goto(`${stack.url}/?lang=${lang}#/queue`);
    await search.fill(name);
    const row = page.locator(`[data-testid="queue-item"][data-item-id="${approve.itemId}"]`);
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole('link').first().click();
    await page
      .locator(`[data-testid="item-page"][data-item-id="${approve.itemId}"]`)
      .waitFor({ timeout: 60_000 });
    await page
      .locator('[data-testid="decision-panel"]')
      .getByRole('button', { name: names.claim, exact: true })
      .click();
    await page.getByRole('button', { name: names.approve, exact: true }).click();
    await synced(page);
    await expect
      .poll(async () => decisionsOf(approve.itemId), { timeout: 60_000 })
      .toEqual([{ outcome: 'approve', username: 'reviewer1' }]);
    // Once pulled back, the panel shows the final decision with who and when.
    await expect
      .poll(
        async () =>
          (await page
            .locator('[data-testid="decision-panel"] [data-testid="final-decision"]')
            .count()) > 0
            ? page
                .locator('[data-testid="decision-panel"] [data-testid="final-decision"]')
                .innerText()
            : '',
        { timeout: 60_000 },
      )
      .toMatch(lang === 'en' ? /Approved?/ : /通过/);
    // Exactly once, still, after another sync round.
    await page.reload();
    await synced(page);
    expect(await decisionsOf(reject.itemId)).toHaveLength(1);
    expect(await decisionsOf(approve.itemId)).toHaveLength(1);
    expect(dialogs).toEqual([]);
    await page.close();
  }, 420_000);
});

describe('axe-core', () => {
  it('finds no serious or critical violation on the queue and the listing views', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1', 'en');
    for (const lang of ['en', 'zh-CN'] as const) {
      await page.goto(`${stack.url}/?lang=${lang}#/queue`);
      await expect
        .poll(() => page.locator('[data-testid="queue-item"]').count(), { timeout: 90_000 })
        .toBeGreaterThan(5);
      const queue = await axe(page);
      expect(queue, describeViolations(queue)).toEqual([]);
      await openItem(page, journey.en.approve.itemId, lang);
      await page.locator('[data-testid="listing-step"]').first().waitFor();
      const listing = await axe(page);
      expect(listing, describeViolations(listing)).toEqual([]);
    }
    await page.close();
  }, 300_000);
});

describe('rich text from institutions', () => {
  it('renders the OWASP corpus without running, opening or loading anything', async () => {
    const corpus = JSON.parse(
      await readFile(new URL('../fixtures/xss/owasp-corpus.json', import.meta.url), 'utf8'),
    ) as { payloads: string[] };
    const doc = named(base, 'XSS<script>window.__xss=1</script>');
    const basic = doc['basic'] as Doc;
    basic['introduction'] = corpus.payloads.join('\n');
    const packages = doc['packages'] as Doc;
    packages['refundPolicy'] = {
      ...(packages['refundPolicy'] as Doc),
      customText: corpus.payloads.slice(0, 30).join(''),
    };
    (doc['highlights'] as Doc)['advantages'] = corpus.payloads.slice(0, 20);
    const risk = doc['risk'] as Doc;
    risk['disclosure'] = corpus.payloads.slice(10, 20).join(' ');
    const { itemId } = await submitRaw(doc);

    const page = await stack.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    const origin = new URL(stack.url).origin;
    const foreign: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) {
        foreign.push(url);
      }
    });
    await page.route(
      (url) => url.origin !== origin,
      (route) => route.abort(),
    );
    await signIn(page, 'reviewer1', 'en');
    await waitForItem(page, itemId, 'en');
    await page.locator('[data-testid="listing-step"]').first().waitFor();
    // Hover and click through the rendered rich text, as a reviewer would.
    const rich = page.locator('.rd-rich');
    await expect.poll(() => rich.count()).toBeGreaterThan(0);
    // The corpus is there (as text), not the demo introduction.
    await expect
      .poll(async () => (await rich.allInnerTexts()).join('\n'), { timeout: 60_000 })
      .toContain('xxs link');
    for (const element of await page.locator('.rd-rich *').all()) {
      await element.hover({ timeout: 2_000, force: true }).catch(() => undefined);
    }
    for (const link of await page.locator('.rd-rich a').all()) {
      await link.click({ timeout: 2_000, modifiers: [] }).catch(() => undefined);
    }
    await page.waitForTimeout(1_000);
    if (!page.url().includes(itemId)) {
      await openItem(page, itemId, 'en');
    }
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    await stack.screenshot(page, 'review.xss.en');
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBe(
      undefined,
    );
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    const dangerous = await page.evaluate(() => {
      const found: string[] = [];
      for (const element of document.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          if (/^on/i.test(attribute.name)) {
            found.push(`${element.tagName} ${attribute.name}`);
          }
          if (
            /^(href|src|action|formaction|xlink:href|data|background)$/i.test(attribute.name) &&
            /^\s*(javascript|vbscript|data:text)/i.test(attribute.value.replace(/[\s\0]/g, ''))
          ) {
            found.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
          }
        }
      }
      for (const tag of ['iframe', 'object', 'embed', 'frame', 'base', 'meta', 'link']) {
        for (const element of document.body.querySelectorAll(tag)) {
          found.push(element.outerHTML.slice(0, 120));
        }
      }
      for (const script of document.body.querySelectorAll('script')) {
        found.push(script.outerHTML.slice(0, 120));
      }
      return found;
    });
    expect(dangerous).toEqual([]);
    await page.close();
  }, 300_000);
});

interface Focused {
  readonly tag: string;
  /** The text of its label (form controls). */
  readonly label: string;
  readonly testid: string | null;
  readonly text: string;
  readonly visible: boolean;
}

/** The focused element, and whether it shows a focus indicator (outline or ring). */
async function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement) || element === document.body) {
      return null;
    }
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== 'none' && style.boxShadow !== '';
    const labels = element instanceof HTMLInputElement ? element.labels : null;
    return {
      tag: element.tagName.toLowerCase(),
      label: labels?.[0]?.innerText ?? '',
      testid: element.dataset['testid'] ?? null,
      text: (element.innerText !== ''
        ? element.innerText
        : (element.getAttribute('aria-label') ?? '')
      ).slice(0, 80),
      visible: outline || ring,
    };
  });
}

/** Presses Tab (or Shift+Tab) until `wanted` holds for the focused element. */
async function tabTo(
  page: Page,
  wanted: (element: Focused | null) => boolean,
  backwards = false,
): Promise<Focused> {
  for (let step = 0; step < 80; step += 1) {
    const now = await focused(page);
    if (wanted(now) && now !== null) {
      return now;
    }
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error('Tab never reached the wanted element');
}

describe('the keyboard-only journey', () => {
  it('works the queue and an item without the mouse, focus always visible', async () => {
    const name = '键盘审核测试包';
    const first = await submitListing(named(base, `${name}一号`));
    const second = await submitListing(named(base, `${name}二号`));
    const page = await stack.newPage();
    await signIn(page, 'reviewer1', 'en');
    await page.goto(`${stack.url}/?lang=en#/queue`);
    const rows = page.locator('[data-testid="queue-item"]');
    await expect.poll(() => rows.count(), { timeout: 90_000 }).toBeGreaterThan(5);
    await synced(page);

    // `?` lists the shortcuts.
    await page.keyboard.press('Shift+?');
    const help = page.getByRole('dialog');
    await help.waitFor();
    const helpText = await help.innerText();
    for (const key of ['J', 'K', 'N', 'C']) {
      expect(helpText).toContain(key);
    }
    expect(helpText).toMatch(/Claim the next item/);
    await windowShot(page, 'review.keyboard-help.en');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    // `/` searches; Enter takes the keyboard to the results.
    await page.keyboard.press('/');
    expect((await focused(page))?.testid).toBe('queue-search');
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(2);
    await expect
      .poll(async () => (await focused(page))?.testid, { timeout: 30_000 })
      .toBe('queue-item');
    await expect.poll(async () => (await focused(page))?.visible).toBe(true);
    const selected = () =>
      page.locator('[data-testid="queue-item"][data-selected="true"]').getAttribute('data-item-id');
    await expect.poll(selected).toBe(first.itemId);
    await page.keyboard.press('j');
    await expect.poll(selected).toBe(second.itemId);
    await page.keyboard.press('k');
    await expect.poll(selected).toBe(first.itemId);

    // `n` claims the next item and opens it.
    await page.keyboard.press('n');
    await page
      .locator(`[data-testid="item-page"][data-item-id="${first.itemId}"]`)
      .waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="field-anchor"]').first().waitFor();
    await expect
      .poll(() => page.locator('[data-testid="holder"]').innerText(), { timeout: 30_000 })
      .toMatch(/\bMe\b/);

    // `n` walks the fields, focus visible.
    await page.keyboard.press('n');
    await expect.poll(async () => (await focused(page))?.testid).toBe('field-anchor');
    const firstField = await page.evaluate(() =>
      (document.activeElement as HTMLElement).getAttribute('data-field-path'),
    );
    await expect.poll(async () => (await focused(page))?.visible).toBe(true);
    await page.keyboard.press('n');
    await expect
      .poll(() =>
        page.evaluate(() =>
          (document.activeElement as HTMLElement).getAttribute('data-field-path'),
        ),
      )
      .not.toBe(firstField);
    const field = await page.evaluate(() =>
      (document.activeElement as HTMLElement).getAttribute('data-field-path'),
    );
    await expect.poll(async () => (await focused(page))?.visible).toBe(true);

    // `m` comments on it: reason by keyboard, Ctrl+Enter saves.
    await page.keyboard.press('m');
    const composer = page.locator('[data-testid="comment-composer"]');
    await composer.waitFor();
    await expect.poll(async () => (await focused(page))?.tag).toBe('textarea');
    await page.keyboard.type('请补充说明该项内容的依据');
    await page.keyboard.press('Shift+Tab');
    await expect.poll(async () => (await focused(page))?.tag).toBe('input');
    await expect.poll(async () => (await focused(page))?.visible).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.getByRole('option').first().waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Enter');
    await composer.waitFor({ state: 'detached', timeout: 30_000 });
    const anchor = page.locator(`[data-testid="field-anchor"][data-field-path="${field ?? ''}"]`);
    await expect.poll(() => anchor.locator('[data-testid="comment"]').count()).toBe(1);

    // `r` rejects: check a reason with Space, Tab to the submit button, Enter.
    await page.keyboard.press('r');
    const form = page.locator('[data-testid="reject-form"]');
    await form.waitFor();
    // The form opens on the reasons, the comment's reason already chosen; Space adds another.
    await expect.poll(async () => (await focused(page))?.label).toBe('Missing material');
    const reason = (name: string) => form.getByRole('checkbox', { name, exact: true });
    expect(await reason('Missing material').isChecked()).toBe(true);
    const box = await tabTo(page, (element) => element?.label === 'Other');
    expect(box.visible).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(() => reason('Other').isChecked()).toBe(true);
    await tabTo(page, (element) => element?.tag === 'button' && element.text === 'Reject listing');
    await expect.poll(async () => (await focused(page))?.visible).toBe(true);
    await windowShot(page, 'review.keyboard-reject.en');
    await page.keyboard.press('Enter');
    await form.waitFor({ state: 'detached', timeout: 30_000 });
    await synced(page);
    await expect
      .poll(() => decisionsOf(first.itemId), { timeout: 60_000 })
      .toEqual([{ outcome: 'reject', username: 'reviewer1' }]);

    // Back to the queue (a link, not a click); `n` claims and opens the other one; `a` approves.
    await page.goto(`${stack.url}/?lang=en#/queue`);
    await rows.first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('/');
    await expect.poll(async () => (await focused(page))?.testid).toBe('queue-search');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await focused(page))?.testid, { timeout: 30_000 })
      .toBe('queue-item');
    await page.keyboard.press('n');
    await page
      .locator(`[data-testid="item-page"][data-item-id="${second.itemId}"]`)
      .waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.locator('[data-testid="holder"]').innerText(), { timeout: 30_000 })
      .toMatch(/\bMe\b/);
    await page.keyboard.press('a');
    await synced(page);
    await expect
      .poll(() => decisionsOf(second.itemId), { timeout: 60_000 })
      .toEqual([{ outcome: 'approve', username: 'reviewer1' }]);

    // The submitter renames the rejected listing and resubmits it (through the API). The new
    // revision opens from its link with the comment carried, changed or not; `c` claims, `a`
    // approves — an unchanged carried comment asks first, and Enter confirms — and it goes live.
    const submitter = await token('submitter1');
    await api(
      `/api/v1/listings/${first.listingId}/draft`,
      submitter,
      named(base, `${name}一号新`),
      'PUT',
    );
    const again = (await api(`/api/v1/listings/${first.listingId}/submit`, submitter)) as {
      itemId: string;
    };
    await waitForItem(page, again.itemId, 'en');
    const fieldChanged = field === '/basic/name';
    await expect
      .poll(
        () =>
          page
            .locator(
              `[data-testid="field-anchor"][data-field-path="${field ?? ''}"] [data-testid="comment"]`,
            )
            .first()
            .getAttribute('data-carried'),
        { timeout: 60_000 },
      )
      .toBe(fieldChanged ? 'changed' : 'unchanged');
    await page.keyboard.press('c');
    await expect
      .poll(() => page.locator('[data-testid="holder"]').innerText(), { timeout: 30_000 })
      .toMatch(/\bMe\b/);
    await page.keyboard.press('a');
    if (!fieldChanged) {
      await page.locator('[data-testid="approve-confirm"]').waitFor();
      await expect.poll(async () => (await focused(page))?.text).toBe('Approve anyway');
      await expect.poll(async () => (await focused(page))?.visible).toBe(true);
      await page.keyboard.press('Enter');
    }
    await synced(page);
    await expect
      .poll(() => decisionsOf(again.itemId), { timeout: 60_000 })
      .toEqual([{ outcome: 'approve', username: 'reviewer1' }]);
    await expect
      .poll(
        async () =>
          (
            await stack.server.ctx.db.query<{ state: string }>(
              `SELECT state FROM listings WHERE id = $1::uuid`,
              [first.listingId],
            )
          )[0]?.state,
        { timeout: 60_000 },
      )
      .toBe('live');
    await page.close();
  }, 600_000);
});

describe('bad input', () => {
  it('shows empty, huge, long and malformed listings and stays usable', async () => {
    const longText = '这是一段没有任何空格的很长的中文文本用于测试换行'.repeat(21).slice(0, 500);
    const packages = Array.from({ length: 50 }, (_, index) => ({
      id: `pkg_${String(index)}`,
      name: `套餐${String(index + 1)}`,
      price: { kind: 'fixed', currency: index % 2 === 0 ? 'USD' : 'CNY', amount: '1980' },
      serviceItems: ['选校定位报告'],
      sessions: 3,
      seats: 10,
    }));
    const emptySteps = await submitRaw({
      schemaVersion: 1,
      provider: base['provider'],
      basic: { name: '只有名称的项目' },
    });
    const long = structuredClone(base);
    (long['basic'] as Doc)['name'] = longText;
    (long['basic'] as Doc)['introduction'] = `<p>${longText}</p>`;
    (long['highlights'] as Doc)['advantages'] = [longText, longText.slice(0, 120)];
    (long['risk'] as Doc)['disclosure'] = longText;
    const longItem = await submitRaw(long);
    const many = structuredClone(base);
    (many['packages'] as Doc)['items'] = packages;
    const manyItem = await submitRaw(many);
    const broken = structuredClone(base);
    (broken['packages'] as Doc)['items'] = [
      { id: 'p1', name: 42, price: { kind: 'fixed', currency: 'XXX', amount: 'abc' } },
      'not a package',
      null,
    ];
    broken['process'] = 'not an object';
    (broken['risk'] as Doc)['confirmed'] = 'yes';
    const brokenItem = await submitRaw(broken);

    const page = await stack.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signIn(page, 'reviewer1', 'en');

    // Missing optional steps: all seven steps shown, the missing ones say so.
    await waitForItem(page, emptySteps.itemId, 'en');
    await expect
      .poll(() => page.locator('[data-field-path="/basic/name"]').innerText(), { timeout: 60_000 })
      .toContain('只有名称的项目');
    await expect
      .poll(() => page.locator('[data-testid="listing-step"]').count())
      .toBeGreaterThanOrEqual(7);
    expect(await page.locator('[data-testid="step-missing"]').count()).toBeGreaterThanOrEqual(5);
    await stack.screenshot(page, 'review.bad-empty.en');

    // 500 characters of Chinese without a space: wrapped, no sideways scrolling.
    await openItem(page, longItem.itemId, 'en');
    await expect
      .poll(() => page.locator('[data-field-path="/risk/disclosure"]').innerText(), {
        timeout: 60_000,
      })
      .toContain(longText.slice(0, 40));
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);
    await stack.screenshot(page, 'review.bad-long.en');

    // 50 packages: all shown, each with its CNY equivalent where foreign.
    await openItem(page, manyItem.itemId, 'en');
    await expect
      .poll(() => page.locator('[data-testid="listing-view"]').innerText(), { timeout: 60_000 })
      .toContain('套餐50');
    await expect
      .poll(() => page.locator('[data-testid="price"]').count(), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(50);
    await expect
      .poll(() => page.locator('[data-testid="price-cny"]').count())
      .toBeGreaterThanOrEqual(25);
    // Still answers the keyboard.
    await page.keyboard.press('n');
    await expect.poll(async () => (await focused(page))?.testid).toBe('field-anchor');
    await stack.screenshot(page, 'review.bad-many.en');

    // Malformed values: said, not crashed.
    await openItem(page, brokenItem.itemId, 'en');
    await expect
      .poll(
        () => page.locator('[data-testid="price-invalid"], [data-testid="step-invalid"]').count(),
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThan(0);
    expect(
      await page
        .locator('[data-testid="step-invalid"], [data-testid="price-invalid"], .rd-invalid')
        .count(),
    ).toBeGreaterThan(0);
    await stack.screenshot(page, 'review.bad-broken.en');
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);
});

/** How a carried rejection comment says whether its field changed. */
const CARRIED = {
  'zh-CN': { changed: '字段已修改', unchanged: '字段未修改' },
  en: { changed: 'field changed', unchanged: 'field unchanged' },
} as const;

describe.each(['zh-CN', 'en'] as const)('resubmission in %s', (lang) => {
  it('carries the rejection comments onto the new revision, changed or unchanged, then goes live', async () => {
    const names = NAMES[lang];
    const carriedText = CARRIED[lang];
    const listingName = `英国硕士重提审核测试包${lang}`;
    const first = await submitListing(named(base, listingName));
    const page = await stack.newPage();
    await signIn(page, 'reviewer1', lang);
    await waitForItem(page, first.itemId, lang);
    const panel = page.locator('[data-testid="decision-panel"]');
    await panel.getByRole('button', { name: names.claim, exact: true }).click();
    await expect
      .poll(() => panel.getByRole('button', { name: names.reject, exact: true }).count())
      .toBe(1);
    await addComment(page, '/basic/name', '名称请与合同一致', lang);
    await addComment(page, '/risk/disclosure', '请补充退费风险说明', lang);
    await panel.getByRole('button', { name: names.reject, exact: true }).click();
    const form = page.locator('[data-testid="reject-form"]');
    await form.getByRole('checkbox').first().check();
    await form.getByRole('button', { name: names.rejectSubmit }).click();
    await form.waitFor({ state: 'detached', timeout: 30_000 });
    await synced(page);
    await expect
      .poll(() => decisionsOf(first.itemId), { timeout: 60_000 })
      .toEqual([{ outcome: 'reject', username: 'reviewer1' }]);

    // The submitter changes the name (not the disclosure) and submits again.
    const submitter = await token('submitter1');
    await api(
      `/api/v1/listings/${first.listingId}/draft`,
      submitter,
      named(base, `${listingName}新`),
      'PUT',
    );
    const again = (await api(`/api/v1/listings/${first.listingId}/submit`, submitter)) as {
      itemId: string;
    };
    await waitForItem(page, again.itemId, lang);
    const carried = (path: string) =>
      page
        .locator(`[data-testid="field-anchor"][data-field-path="${path}"] [data-testid="comment"]`)
        .first();
    await expect
      .poll(() => carried('/basic/name').getAttribute('data-carried'), { timeout: 60_000 })
      .toBe('changed');
    expect(await carried('/risk/disclosure').getAttribute('data-carried')).toBe('unchanged');
    expect(await carried('/basic/name').innerText()).toContain(carriedText.changed);
    expect(await carried('/risk/disclosure').innerText()).toContain(carriedText.unchanged);
    await stack.screenshot(page, `review.carried.${lang}`);

    // Approve: the unaddressed comment asks for a confirmation first.
    await panel.getByRole('button', { name: names.claim, exact: true }).click();
    await panel.getByRole('button', { name: names.approve, exact: true }).click();
    const confirm = page.locator('[data-testid="approve-confirm"]');
    await confirm.waitFor();
    await windowShot(page, `review.approve-confirm.${lang}`);
    await confirm.getByRole('button', { name: names.approveAnyway }).click();
    await synced(page);
    await expect
      .poll(() => decisionsOf(again.itemId), { timeout: 60_000 })
      .toEqual([{ outcome: 'approve', username: 'reviewer1' }]);
    await expect
      .poll(
        async () =>
          (
            await stack.server.ctx.db.query<{ state: string }>(
              `SELECT state FROM listings WHERE id = $1::uuid`,
              [first.listingId],
            )
          )[0]?.state,
        { timeout: 60_000 },
      )
      .toBe('live');
    await page.close();
  }, 420_000);
});
