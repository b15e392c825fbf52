import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromShanghai, shanghaiDate } from '#shared/domain/time';
import { evaluateAlerts } from '../../server/src/ops/alerts';
import { SCREENSHOT_DIR } from './harness';
import { callApi, loginToken, signInAs } from './session';
import { startStack, type Stack } from './stack';

/**
 * Commission settlement (issue 12) in real Chromium against the real server with the demo data:
 * ops1 proposes a month's run on `#/settlement`, sees the order held back by the referral cycle
 * of the demo network (林峰 M10051 ⇄ 何丽 M10052), approves it after confirming, exports it as CSV
 * and XLSX (read back here with the same library); offline, the last run with its age. And the
 * ops console lists the alert that a planted submission spike raised.
 *
 * The demo seeds orders in the previous month and the one before (server/src/demo/
 * settlementContent.ts). The previous month is due from the 15th: before that day the server's
 * clock (only the server's) is moved to the 15th, so the run does not depend on today's date.
 */
let stack: Stack;
let previous = '';
let earlier = '';

function monthBefore(day: string, back: number): string {
  const [year = 0, month = 1] = day.split('-').map(Number);
  const index = year * 12 + (month - 1) - back;
  return `${String(Math.floor(index / 12))}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const compact = (month: string) => month.replace('-', '');

/**
 * Errors the page logs, less the answers the workstation expects and handles: the 404 of a
 * month nobody proposed yet, and the 401 after which the transport refreshes its token (the
 * server's clock is moved forward, so access tokens age faster).
 */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    const expected =
      message.text().includes('status of 404') &&
      /\/api\/v1\/ops\/settlements\/\d{4}-\d{2}$/.test(message.location().url);
    const refreshed = message.text().includes('status of 401');
    if (message.type() === 'error' && !expected && !refreshed) {
      errors.push(`${message.text()} ${message.location().url}`);
    }
  });
  page.on('pageerror', (error) => {
    errors.push(error.message);
  });
  return errors;
}

/** Clicks an export button and returns the downloaded file's name and bytes. */
async function exported(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(testId).click(),
  ]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: await readFile(path) };
}

async function sheetRows(bytes: Buffer, sheet: string): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  // exceljs types its input as the older Buffer: an ArrayBuffer of the same bytes will do.
  await workbook.xlsx.load(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  );
  const worksheet = workbook.getWorksheet(sheet);
  if (worksheet === undefined) {
    throw new Error(`no sheet ${sheet}`);
  }
  return (worksheet.getSheetValues() as unknown[])
    .filter((row) => row !== undefined)
    .map((row) => (row as unknown[]).slice(1));
}

const lineCells = (page: Page) =>
  page
    .getByTestId('settlement-line')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
    );

beforeAll(async () => {
  stack = await startStack();
  const today = shanghaiDate(Date.now());
  previous = monthBefore(today, 1);
  earlier = monthBefore(today, 2);
  const fifteenth = fromShanghai(`${today.slice(0, 7)}-15`, 10);
  stack.setServerClockOffset(Math.max(0, fifteenth - Date.now()));
}, 240_000);

afterAll(async () => {
  await stack.close();
});

describe('commission settlement, end to end', () => {
  it('proposes the previous month, shows the held-back cycle, approves, exports (zh-CN)', async () => {
    const page = await stack.newPage();
    const errors = watchErrors(page);
    await signInAs(stack, page, 'ops1', 'zh-CN');
    await page.getByRole('link', { name: '佣金结算' }).click();
    await page.getByTestId('settlement-screen').waitFor();
    expect(await page.getByTestId('settlement-month').inputValue()).toBe(previous);
    await expect
      .poll(() => page.getByTestId('settlement-none').textContent())
      .toBe(`${previous} 尚未生成结算。`);
    await page.getByTestId('settlement-propose').click();
    await page.locator('[data-testid="settlement-run"][data-state="proposed"]').waitFor();
    // Worked out by hand in test/server/demo/seed.test.ts from the demo network.
    expect(await page.getByTestId('settlement-totals').textContent()).toBe(
      '佣金合计 2413.60 元，结算订单 6 笔，涉及 4 名会员。',
    );
    expect(await lineCells(page)).toEqual([
      ['王磊M10031', '一级（直接）', '2', '2698.00', '20 %', '539.60', '839.50'],
      ['', '三级', '1', '2999.00', '10 %', '299.90', ''],
      ['赵敏M10042', '一级（直接）', '1', '2999.00', '20 %', '599.80', '599.80'],
      ['周建国M10007', '一级（直接）', '1', '1499.00', '20 %', '299.80', '569.60'],
      ['', '三级', '2', '2698.00', '10 %', '269.80', ''],
      ['李晓雯M10023', '二级', '2', '2698.00', '15 %', '404.70', '404.70'],
    ]);
    expect(await page.getByTestId('settlement-held-order').allTextContents()).toEqual([
      `AIW${compact(previous)}0005推荐关系成环：M10051 → M10052 → M10051`,
    ]);
    await page.mouse.move(0, 0);
    await stack.screenshot(page, 'settlement.proposed.zh-CN');

    await page.getByTestId('settlement-approve').click();
    await page.getByTestId('settlement-confirm-body').waitFor();
    expect(await page.getByTestId('settlement-confirm-body').textContent()).toBe(
      '向 4 名会员支付 2413.60 元。批准后结算即为最终结果，不能重新计算或修改。',
    );
    await stack.screenshot(page, 'settlement.confirm.zh-CN');
    await page.getByTestId('settlement-confirm-approve').click();
    await page.locator('[data-testid="settlement-run"][data-state="approved"]').waitFor();
    expect(await page.getByTestId('settlement-state-note').textContent()).toMatch(
      /^已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（上海时间）批准。已批准的结算为最终结果，不再重新计算。$/,
    );
    expect(await page.getByTestId('settlement-propose').isDisabled()).toBe(true);
    expect(await page.getByTestId('settlement-approve').isDisabled()).toBe(true);

    const csv = await exported(page, 'settlement-export-csv');
    expect(csv.name).toBe(`commission-${previous}-approved.csv`);
    expect(csv.bytes.toString('utf8')).toBe(
      [
        '\uFEFF月份,会员,姓名,层级,订单数,计佣基数（元）,比例,佣金（元）',
        `${previous},M10031,王磊,一级（直接）,2,2698.00,0.20,539.60`,
        `${previous},M10031,王磊,三级,1,2999.00,0.10,299.90`,
        `${previous},M10042,赵敏,一级（直接）,1,2999.00,0.20,599.80`,
        `${previous},M10007,周建国,一级（直接）,1,1499.00,0.20,299.80`,
        `${previous},M10007,周建国,三级,2,2698.00,0.10,269.80`,
        `${previous},M10023,李晓雯,二级,2,2698.00,0.15,404.70`,
        '',
      ].join('\r\n'),
    );
    const xlsx = await exported(page, 'settlement-export-xlsx');
    expect(xlsx.name).toBe(`commission-${previous}-approved.xlsx`);
    const lines = await sheetRows(xlsx.bytes, '佣金明细');
    expect(lines[0]).toEqual([
      '月份',
      '会员',
      '姓名',
      '层级',
      '订单数',
      '计佣基数（元）',
      '比例',
      '佣金（元）',
    ]);
    expect(lines.slice(1).map((row) => row[7])).toEqual([
      '539.60',
      '299.90',
      '599.80',
      '299.80',
      '269.80',
      '404.70',
    ]);
    expect(await sheetRows(xlsx.bytes, '暂缓结算')).toEqual([
      ['月份', '订单', '原因'],
      [previous, `AIW${compact(previous)}0005`, '推荐关系成环：M10051 → M10052 → M10051'],
    ]);
    await page.mouse.move(0, 0);
    await stack.screenshot(page, 'settlement.approved.zh-CN');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('settles the month before too, exports in English, and shows the last run offline (en)', async () => {
    const page = await stack.newPage();
    const errors = watchErrors(page);
    await signInAs(stack, page, 'ops1', 'en');
    await page.goto(`${stack.url}/?lang=en#/settlement`);
    // The previous month, approved in the zh-CN test: final, and it says so.
    await page.locator('[data-testid="settlement-run"][data-state="approved"]').waitFor();
    expect(await page.getByTestId('settlement-state-note').textContent()).toMatch(
      /An approved settlement is final: it is never recomputed\.$/,
    );

    await page.getByTestId('settlement-month').fill(earlier);
    await page.getByTestId('settlement-show').click();
    await expect
      .poll(() => page.getByTestId('settlement-none').textContent())
      .toBe(`No settlement of ${earlier} has been proposed yet.`);
    await page.getByTestId('settlement-propose').click();
    await page.locator('[data-testid="settlement-run"][data-state="proposed"]').waitFor();
    expect(await page.getByTestId('settlement-totals').textContent()).toBe(
      'Total commission 949.63 CNY over 2 orders settled, 2 members paid.',
    );
    expect(await lineCells(page)).toEqual([
      ['周建国M10007', 'Level 1 (direct)', '1', '2999.00', '20 %', '599.80', '749.73'],
      ['', 'Level 2', '1', '999.50', '15 %', '149.93', ''],
      ['李晓雯M10023', 'Level 1 (direct)', '1', '999.50', '20 %', '199.90', '199.90'],
    ]);
    expect(await page.getByTestId('settlement-held-order').allTextContents()).toEqual([
      `AIW${compact(earlier)}0003The referral chain loops: M10051 → M10052 → M10051`,
    ]);
    await page.getByTestId('settlement-approve').click();
    await page.getByTestId('settlement-confirm-approve').click();
    await page.locator('[data-testid="settlement-run"][data-state="approved"]').waitFor();

    const csv = await exported(page, 'settlement-export-csv');
    expect(csv.bytes.toString('utf8').split('\r\n')).toEqual([
      '\uFEFFMonth,Member,Name,Level,Orders,Base (CNY),Rate,Commission (CNY)',
      `${earlier},M10007,周建国,Level 1 (direct),1,2999.00,0.20,599.80`,
      `${earlier},M10007,周建国,Level 2,1,999.50,0.15,149.93`,
      `${earlier},M10023,李晓雯,Level 1 (direct),1,999.50,0.20,199.90`,
      '',
    ]);
    const xlsx = await exported(page, 'settlement-export-xlsx');
    expect(await sheetRows(xlsx.bytes, 'Commissions')).toEqual([
      ['Month', 'Member', 'Name', 'Level', 'Orders', 'Base (CNY)', 'Rate', 'Commission (CNY)'],
      [earlier, 'M10007', '周建国', 'Level 1 (direct)', '1', '2999.00', '0.20', '599.80'],
      [earlier, 'M10007', '周建国', 'Level 2', '1', '999.50', '0.15', '149.93'],
      [earlier, 'M10023', '李晓雯', 'Level 1 (direct)', '1', '999.50', '0.20', '199.90'],
    ]);
    await page.mouse.move(0, 0);
    await stack.screenshot(page, 'settlement.approved.en');

    await stack.context.setOffline(true);
    try {
      await page.reload();
      await expect
        .poll(() => page.getByTestId('settlement-freshness').textContent(), { timeout: 30_000 })
        .toMatch(
          /^Offline: the last run fetched, \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(\d+ minutes? ago\)\.$/,
        );
      expect(await page.getByTestId('settlement-offline').textContent()).toBe(
        'Proposing and approving need the network: they are computed and recorded on the server. Connect to propose or approve.',
      );
      expect(await page.getByTestId('settlement-approve').isDisabled()).toBe(true);
      expect(await page.getByTestId('settlement-propose').isDisabled()).toBe(true);
      await page.mouse.move(0, 0);
      await stack.screenshot(page, 'settlement.offline.en');
    } finally {
      await stack.context.setOffline(false);
    }
    expect(
      errors.filter((error) => !/Failed to fetch|ERR_INTERNET_DISCONNECTED/.test(error)),
    ).toEqual([]);
    await page.close();
  });

  it('lists the alert a planted submission spike raised in the ops console', async () => {
    const [live] = await stack.server.ctx.db.query<{ document: Record<string, unknown> }>(
      `SELECT r.document FROM listing_revisions r JOIN listings l ON l.id = r.listing_id
        JOIN users u ON u.id = l.owner_id
        WHERE r.state = 'live' AND u.username = 'submitter1'
        ORDER BY r.created_at LIMIT 1`,
    );
    expect(live).toBeDefined();
    const submitter = await loginToken(stack, 'submitter1');
    // 25 submissions in one (server) day: over the rule's floor of 20 and far over 3× the demo's
    // daily mean of the 14 days before.
    for (let index = 0; index < 25; index += 1) {
      const created = (await callApi(stack, '/api/v1/listings', submitter, {
        document: live?.document,
      })) as { id: string };
      await callApi(stack, `/api/v1/listings/${created.id}/submit`, submitter);
    }
    const raised = await evaluateAlerts(stack.server.ctx.db, stack.server.ctx.clock.now());
    const spike = raised.find((alert) => alert.rule === 'submission_spike');
    expect(spike?.value).toBeGreaterThanOrEqual(25);

    for (const [lang, text] of [
      ['zh-CN', /单日/],
      ['en', /submissions in one day/],
    ] as const) {
      const page = await stack.newPage();
      await signInAs(stack, page, 'ops1', lang);
      await page.goto(`${stack.url}/?lang=${lang}#/ops`);
      const row = page.locator('[data-testid="ops-alert"][data-rule="submission_spike"]');
      await row.waitFor({ timeout: 30_000 });
      expect(await row.textContent()).toMatch(text);
      await page.mouse.move(0, 0);
      // The alerts table alone: the console above it is ops.e2e's picture.
      await page
        .getByTestId('ops-alerts')
        .screenshot({ path: join(SCREENSHOT_DIR, `settlement.spike-alert.${lang}.png`) });
      if (lang === 'zh-CN') {
        // The ops manager takes the alert: the row says who, and the badge stops counting it.
        const badge = page.getByTestId('alert-badge');
        await expect
          .poll(async () => Number(await badge.getAttribute('data-count')))
          .toBeGreaterThan(0);
        const before = Number(await badge.getAttribute('data-count'));
        await row.getByTestId('ops-alert-acknowledge').click();
        await expect.poll(() => row.getAttribute('data-acknowledged')).toBe('true');
        expect(await row.getByTestId('ops-alert-acknowledged').textContent()).toMatch(/已确认/);
        await expect
          .poll(async () => Number(await badge.getAttribute('data-count')))
          .toBe(before - 1);
        await page.mouse.move(0, 0);
        await page.getByTestId('ops-alerts').screenshot({
          path: join(SCREENSHOT_DIR, 'settlement.spike-alert.acknowledged.zh-CN.png'),
        });
      }
      await page.close();
    }
  });
});
