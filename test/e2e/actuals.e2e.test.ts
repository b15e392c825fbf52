import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays, shanghaiDate } from '#shared/domain/time';
import { mondayOf } from '#shared/ops/actuals';
import { signInAs } from './session';
import { startStack, type Stack } from './stack';

/**
 * Team actuals (issue 12) in real Chromium against the real server with the demo data: reviewer1
 * fills today on `#/actuals` (zh-CN) and saves; offline, the week shows as last fetched and says
 * saving needs the network; then ops1 reads today's team actuals on the ops console and corrects
 * reviewer1's day with a reason, which the report lists (en). The demo
 * declares hours up to yesterday only (server/src/demo/actualsContent.ts), so today's report
 * holds exactly what reviewer1 typed here.
 */
let stack: Stack;
let today = '';

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    const refreshed = message.text().includes('status of 401');
    const offline = message.text().includes('ERR_INTERNET_DISCONNECTED');
    if (message.type() === 'error' && !refreshed && !offline) {
      errors.push(`${message.text()} ${message.location().url}`);
    }
  });
  page.on('pageerror', (error) => {
    errors.push(error.message);
  });
  return errors;
}

const cell = (page: Page, project: string, day: string) =>
  page.locator(`[data-testid="actuals-cell"][data-project="${project}"][data-day="${day}"]`);

beforeAll(async () => {
  stack = await startStack();
  today = shanghaiDate(Date.now());
}, 240_000);

afterAll(async () => {
  await stack.close();
});

describe('team actuals, end to end', () => {
  it('a member fills their week and saves it; offline it shows as last fetched (zh-CN)', async () => {
    const page = await stack.newPage();
    const errors = watchErrors(page);
    await signInAs(stack, page, 'reviewer1', 'zh-CN');
    await page.getByRole('link', { name: '我的工时' }).click();
    await page.getByTestId('actuals-grid').waitFor();
    expect(await page.getByTestId('actuals-week').getAttribute('data-monday')).toBe(
      mondayOf(today),
    );
    expect(await page.getByTestId('actuals-row').count()).toBe(5);
    await cell(page, '机构入驻审核', today).fill('6');
    await cell(page, '内部培训与例会', today).fill('1.5');
    expect(await page.getByTestId('actuals-pending').textContent()).toBe('2 处未保存的修改');
    expect(
      await page.locator(`[data-testid="actuals-day-total"][data-day="${today}"]`).textContent(),
    ).toBe('7.5');
    await page.getByTestId('actuals-save').click();
    await expect
      .poll(() => page.getByTestId('actuals-message').textContent())
      .toMatch(/^已于 .+ 保存。$/);
    expect(await page.getByTestId('actuals-pending').textContent()).toBe('没有需要保存的修改。');
    await page.mouse.move(0, 0);
    await stack.screenshot(page, 'actuals-timesheet.zh-CN');

    // Last week, as the demo declared it: read only what is there, every day Monday–Friday.
    await page.getByTestId('actuals-previous').click();
    await expect
      .poll(() => page.getByTestId('actuals-week-total').textContent())
      .toMatch(/^\d+(\.\d+)?$/);
    expect(Number(await page.getByTestId('actuals-week-total').textContent())).toBeGreaterThan(30);
    await page.getByTestId('actuals-next').click();
    await expect.poll(() => cell(page, '机构入驻审核', today).inputValue()).toBe('6');

    await stack.context.setOffline(true);
    try {
      await page.reload();
      await expect
        .poll(() => page.getByTestId('actuals-freshness').textContent(), { timeout: 30_000 })
        .toMatch(/^离线：显示最近一次获取的本周工时，.+（\d+ 分钟前）。$/);
      expect(await page.getByTestId('actuals-offline').textContent()).toMatch(/^保存须联网/);
      expect(await cell(page, '内部培训与例会', today).inputValue()).toBe('1.5');
      await page.mouse.move(0, 0);
      await stack.screenshot(page, 'actuals-offline.zh-CN');
    } finally {
      await stack.context.setOffline(false);
    }
    await page.reload();
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('input[name="username"]').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an ops manager sees the member’s hours in the team actuals of the console (en)', async () => {
    const page = await stack.newPage();
    const errors = watchErrors(page);
    await signInAs(stack, page, 'ops1', 'en');
    await page.goto(`${stack.url}/?lang=en#/ops`);
    await page.getByTestId('ops-from').fill(today);
    await page.getByTestId('ops-to').fill(today);
    await page.getByTestId('ops-apply').click();
    const totals = page.getByTestId('actuals-report-totals');
    await expect.poll(() => totals.getAttribute('data-hours'), { timeout: 30_000 }).toBe('7.5');
    expect(await totals.textContent()).toBe(
      '7.5 h declared: billable 6 h (80.0 %), support 1.5 h.',
    );
    const member = page.getByTestId('actuals-report-member');
    expect(await member.count()).toBe(1);
    expect(await member.getAttribute('data-billable')).toBe('6');
    expect(
      await page
        .getByTestId('actuals-report-project')
        .evaluateAll((rows) =>
          rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)),
        ),
    ).toEqual([
      ['机构入驻审核', 'Billable', '6', '1'],
      ['内部培训与例会', 'Support', '1.5', '1'],
    ]);
    await page.mouse.move(0, 0);
    await stack.screenshot(page, 'actuals-report.en');

    // Ops correct the member's day from the report: a reason is required and kept.
    await member.getByRole('link').click();
    await page.getByTestId('actuals-member').waitFor();
    expect(await page.getByTestId('actuals-member').textContent()).toMatch(/^Hours of .*王敏$/);
    await cell(page, '机构入驻审核', today).fill('5.5');
    expect(await page.getByTestId('actuals-save').isDisabled()).toBe(true);
    await page.getByTestId('actuals-reason').fill('Checked against the ticket');
    await page.getByTestId('actuals-save').click();
    await expect.poll(() => page.getByTestId('actuals-message').textContent()).toMatch(/^Saved /);
    await page.evaluate(() => {
      window.scrollTo(0, 0);
    });
    await page.mouse.move(0, 0);
    await stack.screenshot(page, 'actuals-correction.en');
    await page.goto(`${stack.url}/?lang=en#/ops`);
    await page.getByTestId('ops-from').fill(today);
    await page.getByTestId('ops-to').fill(today);
    await page.getByTestId('ops-apply').click();
    await expect.poll(() => totals.getAttribute('data-hours'), { timeout: 30_000 }).toBe('7');
    expect(await page.getByTestId('actuals-report-corrections').textContent()).toContain(
      `changed 审核员 王敏's ${today} 机构入驻审核: 6 → 5.5 h (Checked against the ticket)`,
    );

    // From last week's Monday: the demo's hours of several members, billable and support.
    await page.getByTestId('ops-from').fill(addCalendarDays(mondayOf(today), -7));
    await page.getByTestId('ops-apply').click();
    await expect
      .poll(async () => page.getByTestId('actuals-report-member').count(), { timeout: 30_000 })
      .toBeGreaterThan(3);
    await page.mouse.move(0, 0);
    await stack.screenshot(page, 'actuals-report-week.en');
    expect(errors).toEqual([]);
    await page.close();
  });
});
