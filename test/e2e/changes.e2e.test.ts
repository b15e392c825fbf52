import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack';
import { callApi, loginToken, signInAs } from './session';

/**
 * The review view of a listing update, end to end (issue 6 §2): the owner of a live listing
 * submits an update — two packages swapped, one price raised by 10 %, one moved to another currency, the
 * introduction edited, the business licence scan replaced, a three-page contract and a damaged
 * PDF added — and a reviewer opens the item's "changes" tab: changes since live by default,
 * any two revisions on demand, modified-only, collapsed unchanged fields, side-by-side and
 * inline, `n` to the next change, the image diff's three modes. Then the files viewer: the PDF
 * with thumbnails and page keys, the image zoomed and rotated, the damaged PDF's clear error.
 */
let stack: Stack;

interface Scenario {
  readonly itemId: string;
  readonly liveRevisionNumber: number;
  readonly updateRevisionNumber: number;
  readonly raisedPackage: string;
  readonly repricedPackage: string;
  /** The currency the repriced package is now in. */
  readonly newCurrency: string;
  readonly licenceName: string;
}
let scenario: Scenario;

const api = (path: string, token: string | null, body?: unknown, method = 'POST') =>
  callApi(stack, path, token, body, method);

const token = (username: string) => loginToken(stack, username);

interface Uploaded {
  readonly id: string;
  readonly sha256: string;
  readonly mimeType: string;
  readonly sizeBytes: number;
}

async function upload(
  listingId: string,
  owner: string,
  bytes: Uint8Array,
  name: string,
): Promise<Uploaded> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  return (await api(`/api/v1/listings/${listingId}/files`, owner, form)) as Uploaded;
}

/** A real three-page PDF (Latin text in a standard font: pdf.js loads its font data). */
async function contractPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= 3; page += 1) {
    const sheet = pdf.addPage([595, 842]);
    sheet.drawText(`Service contract sample - page ${String(page)} of 3`, {
      x: 60,
      y: 760,
      size: 22,
      font,
      color: rgb(0.1, 0.1, 0.4),
    });
    sheet.drawRectangle({
      x: 60,
      y: 300,
      width: 475,
      height: 400,
      borderColor: rgb(0.6, 0.6, 0.6),
      borderWidth: 2,
    });
  }
  return pdf.save();
}

/** Starts like a PDF (so the server accepts it) and then is not one. */
function damagedPdf(): Uint8Array {
  const text = `%PDF-1.7\n${'这不是一个完整的 PDF 文件。'.repeat(40)}\n`;
  return new TextEncoder().encode(text);
}

/** The licence scan "re-issued": the old scan with a red annual-inspection stamp, as a JPEG. */
async function stampedScan(original: Uint8Array): Promise<Uint8Array> {
  const page = await stack.newPage();
  try {
    const base64 = await page.evaluate(async (source: string) => {
      const image = new Image();
      image.src = `data:image/jpeg;base64,${source}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d');
      if (context === null) {
        throw new Error('no 2d context');
      }
      context.drawImage(image, 0, 0);
      context.strokeStyle = '#d0021b';
      context.fillStyle = '#d0021b';
      context.lineWidth = Math.max(4, canvas.width / 150);
      const radius = canvas.width / 9;
      const x = canvas.width * 0.72;
      const y = canvas.height * 0.7;
      context.beginPath();
      context.arc(x, y, radius, 0, Math.PI * 2);
      context.stroke();
      context.font = `bold ${String(Math.round(radius / 3))}px sans-serif`;
      context.textAlign = 'center';
      context.fillText('2026 年检', x, y + radius / 9);
      return canvas.toDataURL('image/jpeg', 0.9).split(',')[1] ?? '';
    }, Buffer.from(original).toString('base64'));
    return new Uint8Array(Buffer.from(base64, 'base64'));
  } finally {
    await page.close();
  }
}

type Json = Record<string, unknown>;

/** Creates the update described in the module comment; returns what the test looks for. */
async function createUpdate(): Promise<Scenario> {
  const [candidate] = await stack.server.ctx.db.query<{
    listing_id: string;
    username: string;
    number: number;
    document: Json;
  }>(
    `SELECT l.id AS listing_id, u.username, r.number, r.document
       FROM listings l
       JOIN listing_revisions r ON r.id = l.live_revision_id
       JOIN users u ON u.id = l.owner_id
      WHERE l.state = 'live' AND l.current_revision_id = l.live_revision_id
        AND jsonb_array_length(r.document->'packages'->'items') >= 2
        AND r.document->'packages'->'items'->0->'price'->>'kind' = 'fixed'
        AND EXISTS (
          SELECT 1 FROM jsonb_array_elements(r.document->'credentials'->'files') f
           WHERE f->>'mimeType' = 'image/jpeg' AND f->>'kind' = 'business_licence')
      ORDER BY r.number DESC, l.created_at
      LIMIT 1`,
  );
  if (candidate === undefined) {
    throw new Error('the demo data has no live listing with two packages and a licence scan');
  }
  const owner = await token(candidate.username);
  const listingId = candidate.listing_id;
  const started = (await api(`/api/v1/listings/${listingId}/update`, owner)) as {
    revisionId: string;
  };
  const document = structuredClone(candidate.document);

  // Packages: swap the first two, raise one price by 10 %, price the other in US dollars.
  const packages = (document['packages'] as { items: Json[] }).items;
  const [first, second] = packages as [Json, Json];
  const raised = first['price'] as Json;
  raised['amount'] = (Number(raised['amount']) * 1.1).toFixed(2);
  const secondPrice = second['price'] as Json;
  const newCurrency = secondPrice['currency'] === 'GBP' ? 'EUR' : 'GBP';
  second['price'] = { kind: 'fixed', currency: newCurrency, amount: '2980.00' };
  packages.splice(0, 2, second, first);

  // Rich text: one word changed, one sentence added.
  const basic = document['basic'] as Json;
  const introduction = String(basic['introduction']);
  const paragraphEnd = Math.max(0, introduction.indexOf('</p>'));
  basic['introduction'] =
    `${introduction.slice(0, paragraphEnd)}（双导师）${introduction.slice(paragraphEnd)}` +
    '<p>2026 年起新增线上答疑服务。</p>';

  // Credentials: the licence scan uploaded again, a contract and a damaged PDF added.
  const credentials = document['credentials'] as { files: Json[] };
  const licence = credentials.files.find(
    (file) => file['kind'] === 'business_licence' && file['mimeType'] === 'image/jpeg',
  )!;
  const licenceName = String(licence['fileName']);
  const [licenceRow] = await stack.server.ctx.db.query<{ id: string }>(
    `SELECT id FROM credential_files WHERE listing_id = $1 AND sha256 = $2 LIMIT 1`,
    [listingId, licence['sha256']],
  );
  const originalScan = await fetch(`${stack.url}/api/v1/files/${licenceRow!.id}`, {
    headers: { authorization: `Bearer ${owner}` },
  });
  const scan = await upload(
    listingId,
    owner,
    await stampedScan(new Uint8Array(await originalScan.arrayBuffer())),
    licenceName,
  );
  Object.assign(licence, {
    id: scan.id,
    sha256: scan.sha256,
    sizeBytes: scan.sizeBytes,
    mimeType: scan.mimeType,
  });
  const contract = await upload(listingId, owner, await contractPdf(), '服务合同样本.pdf');
  const damaged = await upload(listingId, owner, damagedPdf(), '补充材料（损坏）.pdf');
  credentials.files.push(
    {
      id: contract.id,
      kind: 'contract_sample',
      fileName: '服务合同样本.pdf',
      mimeType: 'application/pdf',
      sizeBytes: contract.sizeBytes,
      sha256: contract.sha256,
      validUntil: null,
    },
    {
      id: damaged.id,
      kind: 'other',
      fileName: '补充材料（损坏）.pdf',
      mimeType: 'application/pdf',
      sizeBytes: damaged.sizeBytes,
      sha256: damaged.sha256,
      validUntil: null,
    },
  );

  await api(`/api/v1/listings/${listingId}/draft`, owner, document, 'PUT');
  const submitted = (await api(`/api/v1/listings/${listingId}/submit`, owner)) as {
    itemId: string;
    revisionId: string;
  };
  expect(submitted.revisionId).toBe(started.revisionId);
  const [update] = await stack.server.ctx.db.query<{ number: number }>(
    `SELECT number FROM listing_revisions WHERE id = $1`,
    [submitted.revisionId],
  );
  return {
    itemId: submitted.itemId,
    liveRevisionNumber: candidate.number,
    updateRevisionNumber: update!.number,
    raisedPackage: String(first['name']),
    repricedPackage: String(second['name']),
    newCurrency,
    licenceName,
  };
}

const signIn = (page: Page, username: string) => signInAs(stack, page, username);

/** Opens a tab of the scenario's item and waits until its content is there. */
async function openItem(page: Page, tab: 'changes' | 'files', lang: 'en' | 'zh-CN' = 'en') {
  const errors: string[] = [];
  page.on('pageerror', (error) => {
    errors.push(error.stack ?? error.message);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(message.text());
    }
  });
  await page.goto(`${stack.url}/?lang=${lang}#/items/${scenario.itemId}?tab=${tab}`);
  try {
    await page
      .locator(tab === 'changes' ? '[data-testid="diff-view"]' : '[data-testid="files-tab"]')
      .waitFor({ timeout: 120_000 });
  } catch (error) {
    // What the page shows instead, in the failure message and a screenshot.
    const shown = await page.locator('body').innerText();
    await stack.screenshot(page, `changes.failed-${tab}-${lang}`);
    const detail = `${shown.slice(0, 1500)}\nerrors:\n${errors.join('\n').slice(0, 4000)}`;
    throw new Error(`the ${tab} tab did not open; the page shows:\n${detail}`, {
      cause: error,
    });
  }
}

const changes = (page: Page) => page.locator('[data-testid="diff-change"]');
const changeAt = (page: Page, pointer: string) =>
  page.locator(`[data-testid="diff-change"][data-pointer="${pointer}"]`);

/** Puts the keyboard focus on nothing in particular, so single-key shortcuts reach the page. */
async function focusPage(page: Page) {
  await page.locator('[data-testid="changes-basis"], [data-testid="files-intro"]').first().click();
}

async function imageLoaded(image: Locator): Promise<boolean> {
  return image.evaluate(
    (element) =>
      element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0,
  );
}

beforeAll(async () => {
  stack = await startStack();
  scenario = await createUpdate();
}, 300_000);

afterAll(async () => {
  await stack.close();
});

describe('the changes view, end to end', () => {
  it('shows the changes since live, with every kind of change readable', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1');
    await openItem(page, 'changes');
    const tab = page.locator('[data-testid="changes-tab"]');
    expect(await tab.getAttribute('data-basis')).toBe('live');
    const basis = await page.locator('[data-testid="changes-basis"]').innerText();
    expect(basis).toContain(`revision ${String(scenario.liveRevisionNumber)} (live)`);
    expect(basis).toContain(`revision ${String(scenario.updateRevisionNumber)}`);

    // Packages swapped: one move (the fewest that reorder them), no removals or additions.
    const moves = page.locator('[data-change-kind="list-item-moved"]');
    await expect.poll(() => moves.count()).toBe(1);
    expect(await page.locator('[data-change-kind="list-item-removed"]').count()).toBe(0);
    expect(await page.locator('[data-change-kind="list-item-added"]').count()).toBe(0);
    expect(await moves.getAttribute('data-pointer')).toBe('/packages/items/1');
    const moveText = await moves.innerText();
    expect(moveText).toContain(scenario.raisedPackage);
    expect(moveText).toContain('moved from position 1 to position 2');

    // Prices: one up by 10 % in CNY, one now in another currency, converted at the day's rate.
    const raised = changeAt(page, '/packages/items/1/price');
    await expect.poll(() => raised.count()).toBe(1);
    const raisedText = await raised.innerText();
    expect(raisedText).toMatch(/In CNY: Up \+CNY [\d,]+\.\d\d \(\+(9\.9\d*|10(\.0+)?)%\)/);
    const dollars = await changeAt(page, '/packages/items/0/price').innerText();
    expect(dollars).toContain(`${scenario.newCurrency} 2,980.00`);
    expect(dollars).toMatch(/Converted to CNY at the rates in force on \d{4}-\d\d-\d\d/);
    expect(dollars).toContain('The currency changed.');

    // Rich text: marked character by character, the markup never shown.
    const introduction = changeAt(page, '/basic/introduction');
    expect(await introduction.locator('ins').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('双导师')]),
    );
    expect(await introduction.innerText()).not.toContain('<p>');

    // Files: the scan replaced (an image diff), the two PDFs added.
    const replaced = page.locator('[data-change-kind="file-replaced"]');
    expect(await replaced.count()).toBe(1);
    expect(await replaced.innerText()).toContain(scenario.licenceName);
    expect(await page.locator('[data-change-kind="file-added"]').count()).toBe(2);

    // Unchanged parts are collapsed, one click away.
    const unchanged = page.locator('[data-testid="diff-unchanged"]').first();
    expect(await page.locator('[data-testid="diff-unchanged-list"]').count()).toBe(0);
    await unchanged.getByRole('button').click();
    await page.locator('[data-testid="diff-unchanged-list"]').first().waitFor();
    await unchanged.getByRole('button').click();
    await expect.poll(() => page.locator('[data-testid="diff-unchanged-list"]').count()).toBe(0);

    await page.locator('[data-testid="image-diff"] img').first().waitFor({ timeout: 60_000 });
    await stack.screenshot(page, 'changes.side.en');
    await page.close();
  }, 240_000);

  it('walks the changes with n and p, and switches layout and filter by keys and controls', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1');
    await openItem(page, 'changes');
    const view = page.locator('[data-testid="diff-view"]');
    // Start from the defaults, whatever an earlier test left in this profile's storage.
    if ((await view.getAttribute('data-mode')) !== 'side') {
      await page
        .locator('[data-testid="diff-mode"]')
        .getByText('Side by side', { exact: true })
        .click();
    }
    if ((await view.getAttribute('data-modified-only')) === 'true') {
      await page.locator('[data-testid="diff-modified-only"]').click();
    }
    const total = await changes(page).count();
    expect(total).toBeGreaterThan(6);
    const position = page.locator('[data-testid="diff-position"]');
    expect(await position.innerText()).toBe(`${String(total)} changes`);

    await focusPage(page);
    await page.keyboard.press('n');
    await expect.poll(() => position.innerText()).toBe(`Change 1 of ${String(total)}`);
    expect(await changes(page).first().getAttribute('data-current')).toBe('true');
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await expect.poll(() => position.innerText()).toBe(`Change 3 of ${String(total)}`);
    expect(await changes(page).nth(2).getAttribute('data-current')).toBe('true');
    // Still on the changes tab: `n` is the view's, not the listing's next field.
    expect(page.url()).toContain('tab=changes');
    await page.keyboard.press('p');
    await expect.poll(() => position.innerText()).toBe(`Change 2 of ${String(total)}`);
    // The current change is scrolled into view.
    await expect
      .poll(() =>
        changes(page)
          .nth(1)
          .evaluate((element) => {
            const box = element.getBoundingClientRect();
            return box.top >= 0 && box.top < window.innerHeight;
          }),
      )
      .toBe(true);
    await page.getByRole('button', { name: 'Next change (N)' }).click();
    await expect.poll(() => position.innerText()).toBe(`Change 3 of ${String(total)}`);

    // Inline: one column, deletions and insertions in the same line.
    await focusPage(page);
    await page.keyboard.press('i');
    await expect.poll(() => view.getAttribute('data-mode')).toBe('inline');
    const introduction = changeAt(page, '/basic/introduction');
    expect(await introduction.locator('ins').count()).toBeGreaterThan(0);
    await stack.screenshot(page, 'changes.inline.en');
    await page
      .locator('[data-testid="diff-mode"]')
      .getByText('Side by side', { exact: true })
      .click();
    await expect.poll(() => view.getAttribute('data-mode')).toBe('side');

    // Modified only: the steps without changes and the unchanged fields disappear.
    const stepsBefore = await page.locator('[data-testid="diff-step"]').count();
    await focusPage(page);
    await page.keyboard.press('m');
    await expect.poll(() => view.getAttribute('data-modified-only')).toBe('true');
    expect(await page.locator('[data-testid="diff-unchanged"]').count()).toBe(0);
    expect(await page.locator('[data-testid="diff-step"]').count()).toBeLessThan(stepsBefore);
    expect(await changes(page).count()).toBe(total);
    await stack.screenshot(page, 'changes.modified-only.en');
    await page.locator('[data-testid="diff-modified-only"]').click();
    await expect.poll(() => view.getAttribute('data-modified-only')).toBe('false');
    expect(await page.locator('[data-testid="diff-unchanged"]').count()).toBeGreaterThan(0);
    await page.close();
  }, 240_000);

  it('compares any two revisions on demand and goes back to changes since live', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1');
    await openItem(page, 'changes');
    const tab = page.locator('[data-testid="changes-tab"]');
    // The revision under review against itself: nothing changed.
    await page.locator('[data-testid="pick-before"]').click();
    await page
      .getByRole('option', {
        name: new RegExp(`^Revision ${String(scenario.updateRevisionNumber)} `),
      })
      .click();
    await expect.poll(() => tab.getAttribute('data-basis')).toBe('custom');
    await page.locator('[data-testid="diff-no-changes"]').waitFor();
    expect(await changes(page).count()).toBe(0);
    // Swapped: live as "after" shows the same changes the other way round.
    await page.getByRole('button', { name: 'Back to changes since live' }).click();
    await expect.poll(() => tab.getAttribute('data-basis')).toBe('live');
    const total = await changes(page).count();
    await page.getByRole('button', { name: 'Swap before and after' }).click();
    await expect.poll(() => tab.getAttribute('data-basis')).toBe('custom');
    expect(await changes(page).count()).toBe(total);
    expect(await page.locator('[data-testid="changes-basis"]').innerText()).toContain(
      `Comparing Revision ${String(scenario.updateRevisionNumber)} → Live version`,
    );
    await page.getByRole('button', { name: 'Back to changes since live' }).click();
    await expect.poll(() => tab.getAttribute('data-basis')).toBe('live');
    await page.close();
  }, 240_000);

  it('compares the replaced licence scan side by side, by swiping and as an onion skin', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1');
    await openItem(page, 'changes');
    const diff = page.locator('[data-testid="image-diff"]');
    await diff.waitFor({ timeout: 60_000 });
    const images = diff.locator('img');
    await expect.poll(() => images.count()).toBe(2);
    await expect.poll(() => imageLoaded(images.nth(0)), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => imageLoaded(images.nth(1)), { timeout: 30_000 }).toBe(true);
    await diff.scrollIntoViewIfNeeded();
    await stack.screenshot(page, 'changes.image-side.en');

    await diff.getByText('Swipe', { exact: true }).click();
    await expect.poll(() => diff.getAttribute('data-mode')).toBe('swipe');
    const top = diff.locator('img').nth(1);
    expect(await top.evaluate((image) => (image as HTMLElement).style.clipPath)).toContain('50%');
    const slider = diff.getByRole('slider');
    await slider.focus();
    for (let step = 0; step < 20; step += 1) {
      await page.keyboard.press('ArrowLeft');
    }
    await expect
      .poll(() => top.evaluate((image) => (image as HTMLElement).style.clipPath))
      .toContain('30%');
    await stack.screenshot(page, 'changes.image-swipe.en');

    await diff.getByText('Onion skin', { exact: true }).click();
    await expect.poll(() => diff.getAttribute('data-mode')).toBe('onion');
    expect(await top.evaluate((image) => (image as HTMLElement).style.opacity)).toBe('0.5');
    await diff.getByRole('slider').focus();
    await page.keyboard.press('End');
    await expect
      .poll(() => top.evaluate((image) => (image as HTMLElement).style.opacity))
      .toBe('1');
    await stack.screenshot(page, 'changes.image-onion.en');
    await page.close();
  }, 240_000);

  it('reads in Chinese by default', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1');
    await openItem(page, 'changes', 'zh-CN');
    const basis = await page.locator('[data-testid="changes-basis"]').innerText();
    expect(basis).toContain('与线上版本对比');
    const raised = await changeAt(page, '/packages/items/1/price').innerText();
    expect(raised).toMatch(/折合人民币：上涨 \+¥[\d,]+\.\d\d（\+(9\.9\d*|10(\.0+)?)%）/);
    expect(await page.locator('[data-change-kind="list-item-moved"]').innerText()).toContain(
      '从第 1 位移到第 2 位',
    );
    await page.locator('[data-testid="image-diff"] img').first().waitFor({ timeout: 60_000 });
    await stack.screenshot(page, 'changes.side.zh-CN');
    await page.locator('[data-testid="diff-mode"]').getByText('合并显示', { exact: true }).click();
    await stack.screenshot(page, 'changes.inline.zh-CN');
    await page.locator('[data-testid="diff-mode"]').getByText('左右对照', { exact: true }).click();
    await page.close();
  }, 240_000);
});

describe('the files viewer, end to end', () => {
  const entry = (page: Page, name: string) =>
    page.locator('[data-testid="file-entry"]').filter({ hasText: name });

  it('opens a PDF with thumbnails and page keys', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1');
    await openItem(page, 'files');
    await entry(page, '服务合同样本.pdf').click();
    const viewer = page.locator('[data-testid="pdf-viewer"]');
    await viewer.waitFor({ timeout: 60_000 });
    expect(await viewer.getAttribute('data-pages')).toBe('3');
    // Only the picked file is on screen (the first file's viewer is gone).
    await expect.poll(() => page.locator('[data-testid="file-view"]').count()).toBe(1);
    expect(await page.locator('[data-testid="image-viewer"]').count()).toBe(0);
    expect(await viewer.getAttribute('data-page')).toBe('1');
    await expect.poll(() => page.locator('[data-testid="pdf-thumbnail"]').count()).toBe(3);
    await expect
      .poll(() => page.locator('[data-testid="pdf-thumbnail"] canvas').count(), {
        timeout: 30_000,
      })
      .toBe(3);
    await page.locator('[data-testid="pdf-page-canvas"]').waitFor({ timeout: 30_000 });

    await focusPage(page);
    await page.keyboard.press('PageDown');
    await expect.poll(() => viewer.getAttribute('data-page')).toBe('2');
    await page.keyboard.press('End');
    await expect.poll(() => viewer.getAttribute('data-page')).toBe('3');
    expect(await page.locator('[data-testid="pdf-page-indicator"]').innerText()).toBe(
      'Page 3 of 3',
    );
    await page.keyboard.press('Home');
    await expect.poll(() => viewer.getAttribute('data-page')).toBe('1');
    await page.locator('[data-testid="pdf-thumbnail"]').nth(1).click();
    await expect.poll(() => viewer.getAttribute('data-page')).toBe('2');
    expect(
      await page.locator('[data-testid="pdf-thumbnail"]').nth(1).getAttribute('aria-current'),
    ).toBe('page');
    await stack.screenshot(page, 'files.pdf.en');
    await page.close();
  }, 240_000);

  it('zooms and rotates an image with keys and buttons', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1');
    await openItem(page, 'files');
    await entry(page, scenario.licenceName).click();
    const viewer = page.locator('[data-testid="image-viewer"]');
    await viewer.waitFor({ timeout: 60_000 });
    await expect.poll(() => imageLoaded(page.locator('[data-testid="image-view"]'))).toBe(true);
    const fitScale = Number(await viewer.getAttribute('data-scale'));
    await focusPage(page);
    await page.keyboard.press('+');
    await expect.poll(() => viewer.getAttribute('data-zoom')).toBe('manual');
    expect(Number(await viewer.getAttribute('data-scale'))).toBeGreaterThan(fitScale);
    await page.keyboard.press('r');
    await expect.poll(() => viewer.getAttribute('data-rotation')).toBe('90');
    // `r` rotated: it did not open the reject dialog of the item page.
    expect(await page.locator('[role="dialog"]').count()).toBe(0);
    await page.keyboard.press('0');
    await expect.poll(() => viewer.getAttribute('data-zoom')).toBe('fit');
    await page.getByRole('button', { name: 'Rotate 90° (R)' }).click();
    await expect.poll(() => viewer.getAttribute('data-rotation')).toBe('180');
    await page.getByRole('button', { name: 'Zoom out (−)' }).click();
    await expect.poll(() => viewer.getAttribute('data-zoom')).toBe('manual');
    expect(await page.locator('[data-testid="image-size"]').innerText()).toContain('rotated 180°');
    await stack.screenshot(page, 'files.image.en');
    await page.close();
  }, 240_000);

  it('says clearly that a damaged PDF cannot be read', async () => {
    const page = await stack.newPage();
    await signIn(page, 'reviewer1');
    await openItem(page, 'files', 'zh-CN');
    await entry(page, '补充材料（损坏）.pdf').click();
    const problem = page.locator('[data-testid="pdf-error"]');
    await problem.waitFor({ timeout: 60_000 });
    expect(await problem.getAttribute('data-problem')).toBe('unreadable');
    expect(await problem.innerText()).toContain('无法读取该 PDF');
    expect(await problem.getByRole('link').count()).toBe(1);
    await stack.screenshot(page, 'files.pdf-damaged.zh-CN');
    await page.close();
  }, 240_000);
});
