import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi, loginToken, signInAs } from './session';
import { startStack, type Stack } from './stack';

/**
 * The listing editor (issue 11) in real Chromium against the real server with the demo data:
 * submitter1 fills the seven steps of a new listing, reloads half-way (the draft comes back from
 * the device), finishes, uploads the business licence, sees every step complete and submits; the
 * server holds the listing as submitted. Then in zh-CN: instant messages at the fields and a
 * foreign price with its CNY equivalent, screenshotted in both languages.
 */
let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 240_000);

afterAll(async () => {
  await stack.close();
});

/** The editor's id of the input at a JSON pointer (see `fieldDomId`). */
const field = (page: Page, pointer: string) =>
  page.locator(`#editor-field${pointer.replace(/[^A-Za-z0-9_-]/g, '_')}`);

async function pick(page: Page, pointer: string, option: string): Promise<void> {
  await field(page, pointer).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await page.keyboard.press('Escape');
}

async function goToStep(page: Page, step: string): Promise<void> {
  await page.locator(`[data-testid="step-tab"][data-step="${step}"]`).click();
  await page.locator(`[data-testid="editor-step"][data-step="${step}"]`).waitFor();
}

async function savedToServer(page: Page): Promise<void> {
  await page
    .locator('[data-testid="draft-status"][data-state="server"]')
    .waitFor({ timeout: 20_000 });
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => {
    errors.push(error.message);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('status of 401')) {
      errors.push(message.text());
    }
  });
  return errors;
}

describe('listing editor', () => {
  it('fills the seven steps, survives a reload, uploads the licence and submits (en)', async () => {
    const page = await stack.newPage();
    const errors = watchErrors(page);
    await signInAs(stack, page, 'submitter1', 'en');
    await page.getByRole('link', { name: 'New listing' }).click();
    await page.getByTestId('draft-list').waitFor();
    await page.getByTestId('new-listing').click();
    await page.getByTestId('listing-editor').waitFor();
    await expect
      .poll(() => page.getByTestId('provider-name').textContent())
      .toMatch(/^Offered by /);

    // 1. Basic info
    await field(page, '/basic/name').fill('UK Master flagship E2E');
    await pick(page, '/basic/country', 'United Kingdom');
    await pick(page, '/basic/stages', 'Master');
    await pick(page, '/basic/intakes', 'Fall');
    await field(page, '/basic/introduction').fill(
      '<p>One-to-one guidance for UK taught master applications.</p>',
    );
    await page.getByTestId('introduction-preview').waitFor();
    await page.getByTestId('step-next').click();

    // 2. Highlights
    await page.getByTestId('advantages').getByRole('button', { name: 'Add an advantage' }).click();
    await field(page, '/highlights/advantages/0').fill('Former admissions officers');
    await page.getByTestId('step-next').click();

    // 3. Packages & prices, in GBP
    await page.getByRole('button', { name: 'Add a package' }).click();
    await field(page, '/packages/items/0/name').fill('Flagship');
    await pick(page, '/packages/items/0/price/currency', 'GBP · Pound sterling');
    await field(page, '/packages/items/0/price/amount').fill('2999');
    await field(page, '/packages/items/0/sessions').fill('12');
    await field(page, '/packages/items/0/seats').fill('20');
    await field(page, '/packages/items/0/serviceItems/0').fill('Personal statement');
    await expect.poll(() => page.getByTestId('price-cny').textContent()).toMatch(/^≈|CNY|¥/);

    // Reload half-way: the draft comes back from the device (and was saved to the server).
    await savedToServer(page);
    const listingId = await page.getByTestId('listing-editor').getAttribute('data-listing-id');
    expect(listingId).toMatch(/^[0-9a-f-]{36}$/);
    await page.reload();
    await page.getByTestId('listing-editor').waitFor();
    expect(page.url()).toContain(`#/listings/${String(listingId)}/edit`);
    expect(await field(page, '/basic/name').inputValue()).toBe('UK Master flagship E2E');
    await goToStep(page, 'packages');
    expect(await field(page, '/packages/items/0/name').inputValue()).toBe('Flagship');
    expect(await field(page, '/packages/items/0/price/amount').inputValue()).toBe('2999');
    await page.getByTestId('step-next').click();

    // 4. Service process
    await page.getByRole('button', { name: 'Add a stage' }).click();
    await field(page, '/process/timeline/0/stageName').fill('School selection');
    await field(page, '/process/timeline/0/duration/value').fill('2');
    await field(page, '/process/timeline/0/deliverable').fill('A list of 8 programmes');
    await field(page, '/process/timeline/0/acceptanceCriteria').fill('Confirmed by the student');
    await page.getByTestId('step-next').click();

    // 5. Requirements
    await page.getByRole('button', { name: 'Add a requirement' }).click();
    await field(page, '/requirements/items/0/text').fill('Bachelor degree, GPA 3.0 or above');
    await page.getByTestId('step-next').click();

    // 6. Risk & guarantees
    await field(page, '/risk/disclosure').fill('Admission is decided by the universities.');
    await page.getByLabel('I have read the risk disclosure and confirm it').check();
    await page.getByTestId('step-next').click();

    // 7. Credentials: the business licence (a real PNG), valid until a date to come.
    await page.getByTestId('upload-unavailable').waitFor({ state: 'detached' });
    const png = await page.screenshot({ clip: { x: 0, y: 0, width: 200, height: 120 } });
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'licence.png', mimeType: 'image/png', buffer: png });
    await expect
      .poll(() => page.getByTestId('credential-file-name').textContent())
      .toBe('licence.png');
    await field(page, '/credentials/files/0/validUntil').fill('2031-06-30');
    await savedToServer(page);

    await expect
      .poll(() =>
        page
          .locator('[data-testid="step-tab"][data-complete="false"]')
          .evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('data-step'))),
      )
      .toEqual([]);
    expect(await page.getByText('7 of 7 steps complete').count()).toBe(1);
    await page.mouse.move(0, 0);
    await stack.screenshot(page, 'listingEditor.credentials.en');

    await page.getByTestId('submit-listing').click();
    await page.locator('[data-testid="submit-result"][data-result="submitted"]').waitFor();
    const token = await loginToken(stack, 'submitter1');
    const listing = (await callApi(
      stack,
      `/api/v1/listings/${String(listingId)}`,
      token,
      undefined,
      'GET',
    )) as { state: string; document: { basic: { name: string }; packages: { items: unknown[] } } };
    expect(listing.state).not.toBe('draft');
    expect(listing.document.basic.name).toBe('UK Master flagship E2E');
    expect(listing.document.packages.items).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('shows messages at the fields and the CNY equivalent in zh-CN', async () => {
    const page = await stack.newPage();
    const errors = watchErrors(page);
    await signInAs(stack, page, 'submitter1', 'zh-CN');
    await page.goto(`${stack.url}/?lang=zh-CN#/listings/new`);
    await page.getByTestId('listing-editor').waitFor();
    await field(page, '/basic/name').fill(`英国硕士申请${'旗'.repeat(25)}`);
    await expect
      .poll(() => page.locator('[data-testid="field-issue"][data-code="too_long"]').textContent())
      .toBe('「项目名称」最多 30 个字，当前 31 个字');
    await field(page, '/basic/introduction').fill('<p>一对一英国授课型硕士申请指导。</p>');
    await savedToServer(page);
    await page.mouse.move(0, 0);
    await stack.screenshot(page, 'listingEditor.basic.zh-CN');

    await goToStep(page, 'packages');
    await page.getByRole('button', { name: '添加套餐' }).click();
    await field(page, '/packages/items/0/name').fill('旗舰套餐');
    await page
      .locator('[data-testid="price-editor"]')
      .getByText('价格区间', { exact: true })
      .click();
    await pick(page, '/packages/items/0/price/currency', 'USD · 美元');
    await field(page, '/packages/items/0/price/min').fill('5000');
    await field(page, '/packages/items/0/price/max').fill('3000');
    await expect
      .poll(() => page.locator('[data-testid="field-issue"][data-code="range_inverted"]').count())
      .toBe(1);
    await field(page, '/packages/items/0/price/max').fill('8000');
    await expect.poll(() => page.getByTestId('price-cny').textContent()).toMatch(/^约合 /);
    await savedToServer(page);
    await page.mouse.move(0, 0);
    await stack.screenshot(page, 'listingEditor.packages.zh-CN');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
