import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, loginToken, signInAs } from './session';
import { startStack, type Stack } from './stack';

/**
 * OCR pre-fill in the listing editor (issue 11) in real Chromium against the real server: an
 * assistant opens a new listing, picks a demo dossier (resources/demo/dossiers), the on-device
 * OCR reads it, and one proposal is accepted, one corrected and one dismissed; the draft the
 * server holds has the two values with their provenance and nothing of the third. In zh-CN the
 * same with a 300-page scan, a corrupt PDF and a ZIP named .pdf picked alongside: each is refused
 * with its reason and the dossier is still read. Screenshots `listingPrefill.*.{en,zh-CN}.png`.
 */
let stack: Stack;

const DOSSIER = fileURLToPath(
  new URL('../../resources/demo/dossiers/dossier-qingyun.pdf', import.meta.url),
);

beforeAll(async () => {
  stack = await startStack();
}, 240_000);

afterAll(async () => {
  await stack.close();
});

/** A well-formed PDF of `pages` empty pages (only its page count matters here). */
function manyPagesPdf(pages: number): Buffer {
  const objects: string[] = [];
  const kids = Array.from({ length: pages }, (_, i) => `${String(i + 3)} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${String(pages)} >>`);
  for (let i = 0; i < pages; i += 1) {
    objects.push('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>');
  }
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${String(index + 1)} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${String(objects.length + 1)}\n0000000000 65535 f \n`;
  for (const offset of offsets) {
    body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  }
  body += `trailer\n<< /Size ${String(objects.length + 1)} /Root 1 0 R >>\nstartxref\n${String(xref)}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => {
    errors.push(error.message);
  });
  page.on('console', (message) => {
    const text = message.text();
    // Tesseract prints the legacy-engine parameters its LSTM-only models lack as errors.
    if (
      message.type() === 'error' &&
      !text.includes('status of 401') &&
      !text.startsWith('Warning: Parameter not found:') &&
      !text.startsWith('Failed to load resource')
    ) {
      errors.push(text);
    }
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && response.status() !== 401) {
      errors.push(`${String(response.status())} ${response.request().method()} ${response.url()}`);
    }
  });
  return errors;
}

const proposal = (page: Page, pointer: string) =>
  page.locator(`[data-testid="ocr-proposal"][data-field="${pointer}"]`);

/** Opens a new listing as the assistant, for the first institution offered. */
async function openNewListing(page: Page, lang: 'en' | 'zh-CN'): Promise<void> {
  await signInAs(stack, page, 'assistant1', lang);
  await page.goto(`${stack.url}/?lang=${lang}#/listings/new`);
  await page.getByTestId('listing-editor').waitFor();
  await page.getByTestId('provider-select').click();
  await page.getByRole('option').first().click();
  await page
    .locator('[data-testid="draft-status"][data-state="server"]')
    .waitFor({ timeout: 30_000 });
  await page.getByTestId('prefill-open').click();
}

async function decide(page: Page): Promise<void> {
  // Accept the first package's name as read.
  await proposal(page, '/packages/items/0/name').getByTestId('proposal-accept').click();
  // Correct the first package's price, then accept it.
  const price = proposal(page, '/packages/items/0/price');
  await price.getByTestId('proposal-edit').click();
  await price.getByTestId('proposal-edit-amount').fill('39000');
  await price.getByTestId('proposal-accept-edited').click();
  // Dismiss the credit code.
  await proposal(page, '/provider/creditCode').getByTestId('proposal-dismiss').click();
  await expect
    .poll(() =>
      page
        .locator('[data-testid="ocr-proposal"]:not([data-state="pending"])')
        .evaluateAll((cards) =>
          cards.map(
            (card) =>
              `${String(card.getAttribute('data-field'))}=${String(card.getAttribute('data-state'))}`,
          ),
        ),
    )
    .toEqual([
      '/provider/creditCode=dismissed',
      '/packages/items/0/name=accepted',
      '/packages/items/0/price=accepted',
    ]);
}

interface SavedDocument {
  readonly provider: Record<string, unknown>;
  readonly packages?: { readonly items: readonly Record<string, unknown>[] };
  readonly provenance?: Record<string, Record<string, unknown>>;
}

/** The draft as the server holds it, once the editor says it is saved there. */
async function savedDraft(page: Page): Promise<SavedDocument> {
  await page
    .locator('[data-testid="draft-status"][data-state="server"]')
    .waitFor({ timeout: 30_000 });
  const listingId = await page.getByTestId('listing-editor').getAttribute('data-listing-id');
  const token = await loginToken(stack, 'assistant1');
  const listing = (await callApi(
    stack,
    `/api/v1/listings/${String(listingId)}`,
    token,
    undefined,
    'GET',
  )) as { document: SavedDocument };
  return listing.document;
}

function expectDecisions(document: SavedDocument): void {
  const item = document.packages?.items[0];
  expect(item?.['name']).toBe('英国硕士申请标准套餐');
  expect(item?.['price']).toEqual({ kind: 'fixed', currency: 'CNY', amount: '39000' });
  expect(document.provider['creditCode']).toBeUndefined();
  const provenance = document.provenance ?? {};
  expect(Object.keys(provenance).sort()).toEqual([
    '/packages/items/0/name',
    '/packages/items/0/price',
  ]);
  expect(provenance['/packages/items/0/name']).toMatchObject({
    method: 'ocr',
    fileName: 'dossier-qingyun.pdf',
    page: 3,
  });
  expect(provenance['/packages/items/0/name']?.['edited']).toBeUndefined();
  expect(provenance['/packages/items/0/price']).toMatchObject({
    fileName: 'dossier-qingyun.pdf',
    page: 3,
    edited: true,
  });
}

describe('OCR pre-fill in the listing editor', () => {
  it('reads a dossier; accept, edit and dismiss write the draft with provenance (en)', async () => {
    const page = await stack.newPage();
    const errors = watchErrors(page);
    await openNewListing(page, 'en');
    await page.getByTestId('prefill-input').setInputFiles(DOSSIER);
    await page.getByTestId('prefill-progress').waitFor({ timeout: 60_000 });
    await page.getByTestId('prefill-summary').waitFor({ timeout: 400_000 });
    expect(
      Number(await page.getByTestId('prefill-summary').getAttribute('data-count')),
    ).toBeGreaterThan(10);
    // Each card shows its source and the region cropped from the page.
    const name = proposal(page, '/packages/items/0/name');
    expect(await name.getByTestId('proposal-source').textContent()).toMatch(
      /^dossier-qingyun\.pdf, page 3 · confidence \d+%/,
    );
    await name.locator('img[data-testid="proposal-crop"]').waitFor({ timeout: 30_000 });
    const size = await name
      .locator('img[data-testid="proposal-crop"]')
      .evaluate((image: HTMLImageElement) => [image.naturalWidth, image.naturalHeight]);
    expect(size[0]).toBeGreaterThan(40);
    expect(size[1]).toBeGreaterThan(10);
    await decide(page);
    expectDecisions(await savedDraft(page));
    await page.mouse.move(0, 0);
    await page.getByTestId('prefill-panel').scrollIntoViewIfNeeded();
    await stack.screenshot(page, 'listingPrefill.proposals.en');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('refuses a 300-page scan, a corrupt PDF and a ZIP with their reasons, and still reads the dossier (zh-CN)', async () => {
    const page = await stack.newPage();
    const errors = watchErrors(page);
    await openNewListing(page, 'zh-CN');
    await page.getByTestId('prefill-input').setInputFiles([
      { name: 'scan-300.pdf', mimeType: 'application/pdf', buffer: manyPagesPdf(300) },
      {
        name: 'broken.pdf',
        mimeType: 'application/pdf',
        buffer: manyPagesPdf(3).subarray(0, 120),
      },
      {
        name: 'archive.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from(
          'PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000zip bytes',
          'latin1',
        ),
      },
      {
        name: 'dossier-qingyun.pdf',
        mimeType: 'application/pdf',
        buffer: await readFile(DOSSIER),
      },
    ]);
    await page.getByTestId('prefill-summary').waitFor({ timeout: 400_000 });
    const failures = page.getByTestId('prefill-error');
    expect(
      await failures.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-code'))),
    ).toEqual(['TOO_MANY_PAGES', 'CORRUPT_PDF', 'UNSUPPORTED_TYPE']);
    expect(await failures.nth(0).textContent()).toBe(
      'scan-300.pdf 共 300 页，单个材料文件最多 100 页。请拆分扫描件后分别选择。',
    );
    expect(await failures.nth(1).textContent()).toContain('PDF 文件已损坏或不完整');
    expect(await failures.nth(2).textContent()).toContain('不是 PDF、JPEG、PNG 或 WebP 文件');
    expect(
      await proposal(page, '/packages/items/0/name').getByTestId('proposal-source').textContent(),
    ).toMatch(/^dossier-qingyun\.pdf 第 3 页 · 置信度 \d+%/);
    await decide(page);
    expectDecisions(await savedDraft(page));
    await page.mouse.move(0, 0);
    await page.getByTestId('prefill-panel').scrollIntoViewIfNeeded();
    await stack.screenshot(page, 'listingPrefill.errors.zh-CN');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
