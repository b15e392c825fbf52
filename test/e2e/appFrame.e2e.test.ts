import { stat } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkstation, type Workstation } from './harness';

let workstation: Workstation;

beforeAll(async () => {
  workstation = await startWorkstation();
});

afterAll(async () => {
  await workstation.close();
});

/** Collects console errors and uncaught page errors, which must stay empty. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => {
    errors.push(error.message);
  });
  return errors;
}

describe('workstation frame in Chromium', () => {
  it('opens in zh-CN by default', async () => {
    const page = await workstation.newPage();
    const errors = watchErrors(page);
    await page.goto(workstation.url);

    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('ReviewDesk 审核工作台');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    const shot = await workstation.screenshot(page, 'app-frame.zh-CN');
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens in English from ?lang=en', async () => {
    const page = await workstation.newPage();
    const errors = watchErrors(page);
    await page.goto(`${workstation.url}?lang=en`);

    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('ReviewDesk');
    await expect.poll(() => page.getByText('The workstation is ready').count()).toBe(1);
    await workstation.screenshot(page, 'app-frame.en');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps the language the user picked across a reload', async () => {
    const page = await workstation.newPage();
    await page.goto(workstation.url);
    await page.getByText('English', { exact: true }).click();
    await expect.poll(() => page.getByText('The workstation is ready').count()).toBe(1);

    await page.reload();

    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('ReviewDesk');
    await page.getByText('简体中文', { exact: true }).click();
    await expect.poll(() => page.getByText('工作台已就绪').count()).toBe(1);
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
