import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mentorReviewDay } from '#shared/domain/homework';
import { fromShanghai } from '#shared/domain/time';
import { startStack, type Stack } from './stack';
import { signInAs } from './session';

/**
 * The homework workstation end to end (issue 10), in real Chromium against the real server with
 * the demo course: a TA (zh-CN) takes three submissions for offline work, grades them keyboard
 * only with the rubric keys while offline, reloads offline, the server restarts, the TA
 * reconnects and the server holds each grade once; the planted near-duplicate shows its shared
 * passages; then a mentor (en) picks one as excellent on its Friday (the server clock is moved)
 * and the student record lists it.
 */
let stack: Stack;

interface Planted {
  readonly chapter: string;
  readonly copyId: string;
  readonly sourceId: string;
}

async function plantedNearDuplicates(): Promise<Planted[]> {
  const [row] = await stack.server.ctx.db.query<{ value: string }>(
    "SELECT value FROM server_meta WHERE key = 'demo_seeded'",
  );
  return (JSON.parse(row?.value ?? '{}') as { nearDuplicates?: Planted[] }).nearDuplicates ?? [];
}

async function homeworkItemOf(submissionId: string): Promise<string> {
  const [row] = await stack.server.ctx.db.query<{ id: string }>(
    "SELECT id FROM review_items WHERE kind = 'homework' AND subject_id = $1",
    [submissionId],
  );
  if (row === undefined) {
    throw new Error(`no homework item for ${submissionId}`);
  }
  return row.id;
}

const status = (page: Page) => page.locator('[data-testid="sync-status"]');

beforeAll(async () => {
  stack = await startStack();
}, 240_000);

afterAll(async () => {
  await stack.close();
});

describe('homework workstation, end to end', () => {
  const graded: string[] = [];

  it('grades three submissions offline by keyboard and syncs each grade once (zh-CN)', async () => {
    const page = await stack.newPage();
    await signInAs(stack, page, 'ta1', 'zh-CN');
    await page.goto(`${stack.url}/?lang=zh-CN#/homework`);
    await expect
      .poll(() => page.locator('[data-testid="homework-item"]').count(), { timeout: 60_000 })
      .toBeGreaterThan(3);
    await expect.poll(() => status(page).getAttribute('data-pending')).toBe('0');
    await stack.screenshot(page, 'homework.list.zh-CN');

    // Take three for offline work (claims, and the screenshots cached in IndexedDB).
    await page.getByTestId('homework-take').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').first().fill('3');
    await dialog.getByRole('button', { name: '领取', exact: true }).click();
    await dialog.getByTestId('take-outcome').waitFor({ timeout: 60_000 });
    await dialog.getByRole('button', { name: '完成', exact: true }).click();
    await expect
      .poll(() => status(page).getAttribute('data-pending'), { timeout: 30_000 })
      .toBe('0');

    await stack.context.setOffline(true);
    await expect.poll(() => status(page).getAttribute('data-online')).toBe('false');
    await page.locator('[data-testid="homework-open"]').first().click();
    // Pass, return with feedback, pass: each keyboard only, Ctrl+Enter saves and opens the next.
    const plans: { keys: string[]; feedback?: string; missing?: string }[] = [
      { keys: ['1', '2', '3', 'a'], missing: '4' },
      { keys: ['1', 'r', 'f'], feedback: '请补充后台数据截图后重新提交。' },
      { keys: ['1', '2', '3', '4', 'a'] },
    ];
    for (const [index, plan] of plans.entries()) {
      const grading = page.getByTestId('grading-page');
      await grading.waitFor();
      const submissionId = await grading.getAttribute('data-submission-id');
      expect(submissionId).not.toBeNull();
      graded.push(submissionId ?? '');
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      for (const key of plan.keys) {
        await page.keyboard.press(key);
      }
      if (plan.feedback !== undefined) {
        await page.keyboard.type(plan.feedback);
      }
      if (plan.missing !== undefined) {
        // Passing asks for every criterion: the save is refused at the field, nothing is queued.
        await page.keyboard.press('Control+Enter');
        await page.getByText('通过前请为', { exact: false }).first().waitFor();
        expect(await status(page).getAttribute('data-pending')).toBe(String(index));
        await stack.screenshot(page, 'homework.grading-missing.zh-CN');
        await page.keyboard.press(plan.missing);
      }
      if (index === 0) {
        await stack.screenshot(page, 'homework.grading.zh-CN');
      }
      await page.keyboard.press('Control+Enter');
      await expect.poll(() => status(page).getAttribute('data-pending')).toBe(String(index + 1));
      if (index < plans.length - 1) {
        await expect
          .poll(() => page.getByTestId('grading-page').getAttribute('data-submission-id'))
          .not.toBe(submissionId);
      }
    }
    expect(new Set(graded).size).toBe(3);

    // Reload while offline: the service worker opens the app, IndexedDB keeps the grades.
    await page.reload();
    await status(page).waitFor();
    await expect.poll(() => status(page).getAttribute('data-pending')).toBe('3');
    // The next submission's screenshots settle: shown from the cache, or the offline notice.
    await expect.poll(() => page.getByText('正在加载文件…').count()).toBe(0);
    await stack.screenshot(page, 'homework.offline-reload.zh-CN');

    await stack.restartServer();
    await stack.context.setOffline(false);
    await expect
      .poll(() => status(page).getAttribute('data-pending'), { timeout: 60_000 })
      .toBe('0');
    const rows = await stack.server.ctx.db.query<{ subject_id: string; n: number }>(
      `SELECT i.subject_id, count(d.id)::int AS n FROM review_items i
         JOIN decisions d ON d.item_id = i.id
        WHERE i.kind = 'homework' AND i.subject_id = ANY($1::uuid[]) GROUP BY 1`,
      [graded],
    );
    expect(rows.map((row) => row.n)).toEqual([1, 1, 1]);
    const states = await stack.server.ctx.db.query<{ id: string; state: string }>(
      'SELECT id, state FROM homework_submissions WHERE id = ANY($1::uuid[])',
      [graded],
    );
    const stateOf = new Map(states.map((row) => [row.id, row.state]));
    expect(graded.map((id) => stateOf.get(id))).toEqual(['ta_passed', 'ta_rejected', 'ta_passed']);
    await page.close();
  }, 240_000);

  it('flags the planted near-duplicate and shows the shared passages', async () => {
    const [planted] = await plantedNearDuplicates();
    expect(planted?.chapter).toBe('1');
    const page = await stack.newPage();
    await signInAs(stack, page, 'ta1', 'zh-CN');
    await page.goto(
      `${stack.url}/?lang=zh-CN#/items/${await homeworkItemOf(planted?.copyId ?? '')}`,
    );
    const flag = page.locator(
      `[data-testid="duplicate-flag"][data-other-id="${planted?.sourceId ?? ''}"]`,
    );
    await flag.waitFor({ timeout: 60_000 });
    await page.getByTestId('duplicate-show').first().click();
    await expect
      .poll(() => page.getByTestId('shared-passage').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await stack.screenshot(page, 'homework.near-duplicate.zh-CN');
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.locator('input[name="username"]').waitFor();
    await page.close();
  }, 120_000);

  it('lets a mentor pick passed work as excellent on its Friday, into the student record (en)', async () => {
    const passedId = graded[0] ?? '';
    const [row] = await stack.server.ctx.db.query<{
      ta_decided_at: string | Date;
      student_id: string;
    }>('SELECT ta_decided_at, student_id FROM homework_submissions WHERE id = $1', [passedId]);
    const friday = mentorReviewDay(new Date(row?.ta_decided_at ?? NaN).getTime());
    stack.setServerClockOffset(fromShanghai(friday, 10) - Date.now());
    const page = await stack.newPage();
    await signInAs(stack, page, 'mentor1', 'en');
    await page.goto(`${stack.url}/?lang=en#/homework/pool`);
    const item = page.locator(`[data-testid="pool-item"][data-submission-id="${passedId}"]`);
    await item.first().waitFor({ timeout: 60_000 });
    await stack.screenshot(page, 'homework.pool.en');
    await item.first().getByTestId('pool-review').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Pick as excellent work').check();
    await dialog
      .getByLabel('Comment')
      .fill('A clear method and honest data: a model for the class.');
    await dialog.getByRole('button', { name: 'Save review' }).click();
    await expect
      .poll(
        async () =>
          (
            await stack.server.ctx.db.query<{ excellent: boolean }>(
              'SELECT excellent FROM student_records WHERE submission_id = $1',
              [passedId],
            )
          )[0]?.excellent,
        { timeout: 60_000 },
      )
      .toBe(true);
    await page.goto(`${stack.url}/?lang=en#/homework/records`);
    await page.getByTestId('records-filter-student').fill(row?.student_id ?? '');
    await expect
      .poll(() => page.getByTestId('student-records').textContent(), { timeout: 60_000 })
      .toContain('A clear method and honest data');
    await stack.screenshot(page, 'homework.records.en');
    stack.setServerClockOffset(0);
    await page.close();
  }, 180_000);
});
