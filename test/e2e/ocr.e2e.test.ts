import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { WEB_APP_CSP } from '../../server/src/http/appShell';
import { startStack, type Stack } from './stack';
import { signInAs } from './session';

/**
 * Credential OCR in the workstation, end to end (issue 7): real Chromium, the built workstation
 * and the real review server with demo data. A listing whose provider name differs from its
 * business licence is submitted; the reviewer reads the licence in the OCR Web Worker with every
 * request off the app's origin blocked, sees the fields and findings beside the viewer and at the
 * listing fields, turns a finding into a field comment, and reads again with the browser offline.
 */
let stack: Stack;

/**
 * Tesseract is WebAssembly: the workstation's Content-Security-Policy must allow compiling it
 * (`'wasm-unsafe-eval'` in `script-src`; it allows no JavaScript eval). Should the policy ever
 * lose it (server/src/http/appShell.ts, renderer/index.html, electron/main/security.ts), OCR
 * cannot run in the workstation, and this suite says so loudly instead of failing on a timeout.
 */
const wasmAllowed = /script-src[^;]*'wasm-unsafe-eval'/.test(WEB_APP_CSP);
if (!wasmAllowed) {
  console.warn(
    "⚠⚠⚠ SKIPPED test/e2e/ocr.e2e.test.ts: the web app's Content-Security-Policy has no 'wasm-unsafe-eval' in script-src, so Tesseract (WebAssembly) cannot start in the workstation.",
  );
}
const offOrigin: string[] = [];
const MISMATCHED_NAME = '上海示例虚构教育咨询有限公司';

/**
 * A pending listing whose business licence (a JPEG) is on the server, with its provider's name
 * changed in the revision so that it no longer matches the licence. The browser profile is fresh,
 * so its first sync reads the changed document.
 */
async function prepareMismatchedItem(): Promise<{ itemId: string; fileId: string }> {
  const [row] = await stack.server.ctx.db.query<{
    item_id: string;
    revision_id: string;
    file_id: string;
  }>(
    `SELECT i.id AS item_id, r.id AS revision_id, f.id AS file_id
       FROM review_items i
       JOIN listing_revisions r ON r.id = i.revision_id
       JOIN credential_files f ON f.listing_id = r.listing_id AND f.mime_type = 'image/jpeg'
      WHERE i.kind = 'listing_revision' AND i.state = 'pending'
        AND r.document -> 'provider' ->> 'kind' = 'institution'
        AND EXISTS (
          SELECT 1 FROM jsonb_array_elements(r.document -> 'credentials' -> 'files') AS e
           WHERE e ->> 'kind' = 'business_licence' AND e ->> 'sha256' = f.sha256)
      ORDER BY i.created_at LIMIT 1`,
  );
  if (row === undefined) {
    throw new Error('the demo data has no pending listing with a JPEG business licence');
  }
  await stack.server.ctx.db.query(
    `UPDATE listing_revisions
        SET document = jsonb_set(document, '{provider,name}', to_jsonb($2::text)),
            provider_name = $2
      WHERE id = $1`,
    [row.revision_id, MISMATCHED_NAME],
  );
  return { itemId: row.item_id, fileId: row.file_id };
}

const signIn = (page: Page, username: string) => signInAs(stack, page, username);

async function openFiles(
  page: Page,
  item: { itemId: string; fileId: string },
  lang: 'en' | 'zh-CN',
): Promise<void> {
  await page.goto(`${stack.url}/?lang=${lang}#/items/${encodeURIComponent(item.itemId)}?tab=files`);
  await page.locator('[data-testid="files-tab"]').waitFor({ timeout: 180_000 });
  await page.locator(`[data-testid="file-entry"][data-file-id="${item.fileId}"]`).click();
  await page.locator('[data-testid="ocr-panel"]').waitFor();
}

beforeAll(async () => {
  if (!wasmAllowed) {
    return;
  }
  stack = await startStack();
  const origin = new URL(stack.url).origin;
  const isOffOrigin = (url: string) =>
    /^https?:|^wss?:/.test(url) && new URL(url).origin !== origin;
  // Everything not on the app's origin is refused and remembered (pages, workers, everything).
  await stack.context.route(
    (url) => isOffOrigin(url.href),
    async (route) => {
      offOrigin.push(route.request().url());
      await route.abort('blockedbyclient');
    },
  );
  stack.context.on('request', (request: Request) => {
    if (isOffOrigin(request.url())) {
      offOrigin.push(request.url());
    }
  });
}, 600_000);

afterAll(async () => {
  if (wasmAllowed) {
    await stack.close();
  }
});

describe.skipIf(!wasmAllowed)(
  'credential OCR in the workstation (real Chromium, network to other hosts blocked)',
  () => {
    it('reads a licence beside the viewer, shows the findings at the fields, and comments in one click', async () => {
      const item = await prepareMismatchedItem();
      const page = await stack.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          consoleErrors.push(message.text());
        }
      });
      onTestFailed(async () => {
        console.warn(['console:', ...consoleErrors, 'off-origin:', ...offOrigin].join('\n'));
        await stack.screenshot(page, 'ocr-failure');
      });
      await signIn(page, 'reviewer1');
      // The new item reaches this device with the sign-in's first sync.
      await openFiles(page, item, 'en');
      await page.locator('[data-testid="ocr-run"]').waitFor({ timeout: 120_000 });
      await page.locator('[data-testid="ocr-run"]').click();
      await page.locator('[data-testid="ocr-progress"]').waitFor({ timeout: 60_000 });
      const result = page.locator('[data-testid="ocr-result"]');
      await result.waitFor({ timeout: 300_000 });
      expect(await result.getAttribute('data-kind')).toBe('business_licence');
      const nameField = page.locator('[data-testid="ocr-field"][data-field="name"]');
      await expect.poll(() => nameField.count()).toBe(1);
      expect(await nameField.textContent()).toMatch(/有限.*公司/);
      const nameFinding = page.locator(
        '[data-testid="ocr-panel"] [data-testid="ocr-finding"][data-code="NAME_MISMATCH"]',
      );
      await nameFinding.waitFor();
      await stack.screenshot(page, 'ocr-files-en');

      // At the listing fields: the same finding at the provider's name, one click to a comment.
      await page.getByRole('tab', { name: /Listing/ }).click();
      const anchor = page.locator('[data-testid="field-anchor"][data-field-path="/provider/name"]');
      const atField = anchor.locator('[data-testid="ocr-finding"][data-code="NAME_MISMATCH"]');
      await atField.waitFor({ timeout: 60_000 });
      await atField.locator('[data-testid="ocr-finding-comment"]').click();
      await expect
        .poll(() => anchor.locator('[data-testid="comment"]').count(), { timeout: 60_000 })
        .toBeGreaterThan(0);
      expect(await anchor.locator('[data-testid="comment"]').first().textContent()).toContain(
        MISMATCHED_NAME,
      );
      await anchor.scrollIntoViewIfNeeded();
      await stack.screenshot(page, 'ocr-listing-en');

      // zh-CN, from the result kept on this device (nothing is read again).
      await openFiles(page, item, 'zh-CN');
      await page.locator('[data-testid="ocr-result"]').waitFor({ timeout: 60_000 });
      await expect.poll(() => page.getByText('识别出的字段').count()).toBeGreaterThan(0);
      await nameFinding.waitFor();
      await stack.screenshot(page, 'ocr-files-zh-CN');
      await page.getByRole('tab', { name: '项目内容' }).click();
      await atField.waitFor({ timeout: 60_000 });
      await anchor.scrollIntoViewIfNeeded();
      await stack.screenshot(page, 'ocr-listing-zh-CN');

      // Offline: the stored reading still shows; once this page has loaded the OCR engine
      // (read again while online), it reads again with the browser offline.
      await page.getByRole('tab', { name: '文件' }).click();
      const rerun = page.getByRole('button', { name: '重新识别' });
      await rerun.click();
      await page.locator('[data-testid="ocr-progress"]').waitFor({ timeout: 60_000 });
      await page.locator('[data-testid="ocr-result"]').waitFor({ timeout: 300_000 });
      await stack.context.setOffline(true);
      try {
        await rerun.click();
        await page.locator('[data-testid="ocr-progress"]').waitFor({ timeout: 60_000 });
        await page.locator('[data-testid="ocr-result"]').waitFor({ timeout: 300_000 });
        expect(await page.locator('[data-testid="ocr-error"]').count()).toBe(0);
        await expect.poll(() => nameFinding.count()).toBe(1);
      } finally {
        await stack.context.setOffline(false);
      }

      expect(offOrigin).toEqual([]);
    }, 900_000);
  },
);
