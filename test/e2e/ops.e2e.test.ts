import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays, shanghaiDate } from '#shared/domain/time';
import { callApi, loginToken, signInAs } from './session';
import { startStack, type Stack } from './stack';

/**
 * The ops console in real Chromium against the real server with the demo data: an ops manager
 * opens `#/ops` in zh-CN and in en and sees the KPI tiles and the four charts drawn by Recharts
 * (bars, not just axes), in the page's language; offline, the same figures from the device.
 *
 * The demo history has decisions but no recorded time (the workstation records it while an item
 * is open and focused), so before that the reviewers and the TA log time on items they decided,
 * through the same `logTime` mutation the workstation pushes.
 */
let stack: Stack;

const DAY_MS = 86_400_000;
/**
 * Minutes each member spends per item, varied so the time-per-item chart has a shape: the TA
 * grades in minutes, reviewers read listings longer.
 */
const SLICE_SECONDS: Readonly<Record<string, readonly number[]>> = {
  reviewer1: [240, 420, 780, 780, 1500, 2100],
  reviewer2: [420, 780, 1500, 1500, 2100, 4020],
  ta1: [180, 240, 240, 420, 420, 780],
};

async function logTimeOnDecidedItems(username: string): Promise<number> {
  const [user] = await stack.server.ctx.db.query<{ id: string }>(
    'SELECT id FROM users WHERE username = $1',
    [username],
  );
  // Decided within the console's default range (the last 30 days), so the time counts there.
  const decided = await stack.server.ctx.db.query<{ item_id: string; decided_at: string }>(
    `SELECT item_id, decided_at FROM decisions
      WHERE is_final AND reviewer_id = $1 AND decided_at > $2 AND decided_at < $3
      ORDER BY decided_at DESC LIMIT 6`,
    [
      user?.id,
      new Date(Date.now() - 25 * DAY_MS).toISOString(),
      new Date(Date.now() - DAY_MS).toISOString(),
    ],
  );
  if (decided.length === 0) {
    return 0;
  }
  const token = await loginToken(stack, username);
  await callApi(stack, '/sync/v1/push', token, {
    protocol: 1,
    clientId: randomUUID(),
    mutations: decided.map((row, index) => {
      const seconds = SLICE_SECONDS[username]?.[index] ?? 600;
      return {
        seq: index + 1,
        mutationId: randomUUID(),
        name: 'logTime',
        v: 1,
        args: {
          itemId: row.item_id,
          seconds,
          startedAt: new Date(Date.parse(row.decided_at) - seconds * 1000).toISOString(),
        },
      };
    }),
  });
  return decided.length;
}

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

/** What each chart drew: how many bars and line paths inside its Recharts svg. */
async function drawn(page: Page): Promise<Record<string, { svg: number; marks: number }>> {
  const result: Record<string, { svg: number; marks: number }> = {};
  for (const chart of await page.getByTestId('ops-chart').all()) {
    const name = (await chart.getAttribute('data-chart')) ?? '?';
    result[name] = {
      svg: await chart.locator('svg.recharts-surface').count(),
      marks: await chart.locator('.recharts-bar-rectangle path, path.recharts-line-curve').count(),
    };
  }
  return result;
}

beforeAll(async () => {
  stack = await startStack();
  let logged = 0;
  for (const username of ['reviewer1', 'reviewer2', 'ta1']) {
    logged += await logTimeOnDecidedItems(username);
  }
  expect(logged).toBeGreaterThan(0);
}, 240_000);

afterAll(async () => {
  await stack.close();
});

describe('ops console, end to end', () => {
  for (const [lang, title, chartTitles] of [
    [
      'zh-CN',
      '运营控制台',
      [
        '各类审核队列状况',
        '每日打回原因',
        '处理量与实际工时',
        '单项耗时分布',
        '各步骤填写漏斗',
        '课程看板（学员学习进度）',
      ],
    ],
    [
      'en',
      'Ops console',
      [
        'Queue health per kind',
        'Rejection reasons per day',
        'Throughput against actual hours',
        'Time per item',
        'Submission funnel per form step',
        'Course board: student progress',
      ],
    ],
  ] as const) {
    it(`shows the KPI tiles, the charts and the boards, drawn (${lang})`, async () => {
      const page = await stack.newPage();
      const errors = watchErrors(page);
      await signInAs(stack, page, 'ops1', lang);
      await page.goto(`${stack.url}/?lang=${lang}#/ops`);
      await page.getByTestId('ops-console').waitFor();
      await expect
        .poll(() => page.getByTestId('ops-freshness').textContent(), { timeout: 30_000 })
        .toMatch(lang === 'en' ? /^Fetched/ : /^获取于/);
      expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe(title);

      const tiles = page.getByTestId('kpi-tile');
      expect(await tiles.count()).toBe(4);
      for (const tile of await tiles.all()) {
        expect(await tile.getAttribute('data-kpi')).toMatch(/^[a-z_]+$/);
      }
      expect(
        await page
          .getByTestId('ops-chart')
          .evaluateAll((charts) =>
            charts.map((chart) => [chart.getAttribute('data-chart'), chart.dataset['empty']]),
          ),
      ).toEqual([
        ['queue', 'false'],
        ['timePerItem', 'false'],
        ['rejections', 'false'],
        ['throughput', 'false'],
        ['funnel', 'false'],
        ['course', 'false'],
      ]);
      for (const chartTitle of chartTitles) {
        expect(await page.getByRole('heading', { level: 4, name: chartTitle }).count()).toBe(1);
      }
      // Recharts lays out after measuring its container: wait for the marks, then check each.
      await expect
        .poll(async () => Object.values(await drawn(page)).every((chart) => chart.marks > 0))
        .toBe(true);
      const charts = await drawn(page);
      for (const name of ['queue', 'rejections', 'throughput', 'timePerItem', 'funnel', 'course']) {
        expect(charts[name]?.svg).toBeGreaterThan(0);
      }
      // The members who logged time are in the throughput table with their hours.
      expect(await page.getByTestId('ops-throughput-row').count()).toBeGreaterThanOrEqual(3);

      // No tooltip in the picture: the pointer rests where the sign-in button was.
      await page.mouse.move(0, 0);
      await stack.screenshot(page, `ops-console.${lang}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('says each chart has nothing to show over a quiet range (zh-CN)', async () => {
    const page = await stack.newPage();
    await signInAs(stack, page, 'ops1', 'zh-CN');
    await page.goto(`${stack.url}/?lang=zh-CN#/ops`);
    await page.getByTestId('ops-freshness').waitFor();
    // The demo history covers recent weeks; a month more than a year back has none of it.
    const to = addCalendarDays(shanghaiDate(Date.now()), -400);
    await page.getByTestId('ops-from').fill(addCalendarDays(to, -29));
    await page.getByTestId('ops-to').fill(to);
    await page.getByTestId('ops-apply').click();
    await expect
      .poll(() =>
        page
          .getByTestId('ops-chart')
          .evaluateAll((charts) => charts.map((chart) => chart.dataset['empty'])),
      )
      .toEqual(['true', 'true', 'true', 'true', 'true', 'true']);
    expect(await page.getByTestId('ops-chart').locator('svg.recharts-surface').count()).toBe(0);
    expect(await page.getByTestId('ops-chart-empty').allTextContents()).toEqual([
      '该时间段结束时没有未完成的审核项。',
      '该时间段内没有任何审核项记录了工时。',
      '该时间段内没有注明原因的打回。',
      '该时间段内没有人完成审核或记录工时。',
      '该时间段内没有新建项目。',
      '还没有在读学员。',
    ]);
    await stack.screenshot(page, 'ops-console.empty.zh-CN');
    await page.close();
  });

  it('opens offline with the last figures, charts included, and says how old they are', async () => {
    const page = await stack.newPage();
    await signInAs(stack, page, 'ops1', 'en');
    await page.goto(`${stack.url}/?lang=en#/ops`);
    await expect.poll(() => page.getByTestId('ops-freshness').textContent()).toMatch(/^Fetched/);
    const online = await drawn(page);

    await stack.context.setOffline(true);
    try {
      await page.reload();
      await expect
        .poll(() => page.getByTestId('ops-freshness').textContent(), { timeout: 30_000 })
        .toMatch(/^Offline: the last figures fetched, \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
      expect(await page.getByTestId('kpi-tile').count()).toBe(4);
      // The same charts with the same marks, from the device's copy.
      await expect
        .poll(async () => Object.values(await drawn(page)).every((chart) => chart.marks > 0))
        .toBe(true);
      expect(await drawn(page)).toEqual(online);
      await page.mouse.move(0, 0);
      await stack.screenshot(page, 'ops-console.offline.en');
    } finally {
      await stack.context.setOffline(false);
    }
    await page.close();
  });
});
