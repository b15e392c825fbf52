import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromShanghai } from '#shared/domain/time';
import type { ActualsReport, ActualsWeek } from '#shared/ops/actuals';
import { createTestServer, type TestServer, type TestUsername } from '../harness';
import { submitNewListing } from '../sync/client';

/**
 * Team actuals through HTTP: the authorization policy for each role (own timesheet only, closed
 * months, future days, ops corrections with a reason and an audit row), the bounds of an entry,
 * the focus time offered as a suggestion, and the report against figures worked out by hand.
 *
 * Test time is Saturday 2026-11-21 09:00 in Shanghai; the week is Monday 2026-11-16 … Sunday 22.
 */
let server: TestServer;
const MONDAY = '2026-11-16';
let billable = '';
let support = '';
let retired = '';

const week = (user: TestUsername, query = '') =>
  server.as(user, 'GET', `/api/v1/actuals/weeks/${MONDAY}${query}`);
const save = (user: TestUsername, body: Record<string, unknown>, monday = MONDAY) =>
  server.as(user, 'POST', `/api/v1/actuals/weeks/${monday}`, body);
const cell = (projectId: string, day: string, hours: number, note = '') => ({
  projectId,
  day,
  hours,
  note,
});
const codeOf = (response: LightMyRequestResponse) =>
  response.json<{ error: { code: string } }>().error.code;

async function hoursOf(user: TestUsername): Promise<Record<string, number>> {
  const rows = await server.db.query<{ key: string; hours: number }>(
    `SELECT project_id || ' ' || day::text AS key, hours::float8 AS hours FROM actual_entries
      WHERE user_id = $1 ORDER BY 1`,
    [await server.userId(user)],
  );
  return Object.fromEntries(rows.map((row) => [row.key, row.hours]));
}

beforeAll(async () => {
  server = await createTestServer();
  const create = async (name: string, type: string) => {
    const response = await server.as('ops1', 'POST', '/api/v1/actuals/projects', { name, type });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ id: string }>().id;
  };
  billable = await create('留学申请代办', 'billable');
  support = await create('内部支持', 'support');
  retired = await create('旧项目', 'support');
  const off = await server.as('ops1', 'POST', `/api/v1/actuals/projects/${retired}`, {
    name: '旧项目',
    type: 'support',
    active: false,
  });
  expect(off.statusCode, off.body).toBe(200);
});

afterAll(async () => {
  await server.close();
});

describe('the authorization policy', () => {
  it('refuses institution users every actuals route', async () => {
    for (const user of ['submitter1', 'collaborator1'] as const) {
      expect((await server.as(user, 'GET', '/api/v1/actuals/projects')).statusCode).toBe(403);
      expect((await week(user)).statusCode).toBe(403);
      const saved = await save(user, { cells: [cell(billable, '2026-11-16', 1)] });
      expect(saved.statusCode).toBe(403);
    }
  });

  it('lets a member write and read their own week, and nobody else’s', async () => {
    const saved = await save('reviewer2', {
      cells: [cell(billable, '2026-11-16', 4, '材料审核'), cell(support, '2026-11-17', 2)],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const own = await week('reviewer2');
    expect(own.statusCode).toBe(200);
    expect(own.json<ActualsWeek>().entries.map((entry) => [entry.day, entry.hours])).toEqual([
      ['2026-11-16', 4],
      ['2026-11-17', 2],
    ]);
    const reviewer2 = await server.userId('reviewer2');
    // A member naming themselves is fine; naming anyone else is refused, for reading and writing.
    expect((await week('reviewer2', `?memberId=${reviewer2}`)).statusCode).toBe(200);
    const before = await hoursOf('reviewer2');
    for (const other of ['reviewer1', 'ta1', 'mentor1', 'assistant1'] as const) {
      expect((await week(other, `?memberId=${reviewer2}`)).statusCode).toBe(403);
      const overwrite = await save(other, {
        memberId: reviewer2,
        cells: [cell(billable, '2026-11-16', 0)],
        reason: '试试',
      });
      expect([overwrite.statusCode, codeOf(overwrite)]).toEqual([403, 'FORBIDDEN']);
    }
    expect(await hoursOf('reviewer2')).toEqual(before);
    // Their own view of the same week shows only their own hours.
    expect((await week('reviewer1')).json<ActualsWeek>().entries).toEqual([]);
  });

  it('lets ops managers read anyone’s week and correct it with a reason, kept in the audit trail', async () => {
    const reviewer2 = await server.userId('reviewer2');
    const read = await week('ops1', `?memberId=${reviewer2}`);
    expect(read.statusCode).toBe(200);
    expect(read.json<ActualsWeek>().memberName).toBe('reviewer2');
    const withoutReason = await save('ops1', {
      memberId: reviewer2,
      cells: [cell(billable, '2026-11-16', 3)],
    });
    expect([withoutReason.statusCode, codeOf(withoutReason)]).toEqual([400, 'REASON_REQUIRED']);
    const corrected = await save('ops1', {
      memberId: reviewer2,
      cells: [cell(billable, '2026-11-16', 3, '材料审核')],
      reason: '与工单核对后更正',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    const [change] = await server.db.query(
      `SELECT actor_id, hours_before::float8 AS before, hours_after::float8 AS after, reason
         FROM actual_changes WHERE user_id = $1 AND actor_id <> user_id`,
      [reviewer2],
    );
    expect(change).toEqual({
      actor_id: await server.userId('ops1'),
      before: 4,
      after: 3,
      reason: '与工单核对后更正',
    });
    expect((await week('reviewer2')).json<ActualsWeek>().entries[0]).toMatchObject({
      hours: 3,
      updatedBy: await server.userId('ops1'),
    });
    // An unknown member, or one without a timesheet, is not found.
    expect((await week('ops1', `?memberId=${randomUUID()}`)).statusCode).toBe(404);
    const submitter = await server.userId('submitter1');
    expect((await week('ops1', `?memberId=${submitter}`)).statusCode).toBe(404);
  });

  it('refuses days after today to everyone', async () => {
    for (const user of ['reviewer1', 'ops1'] as const) {
      const future = await save(user, { cells: [cell(billable, '2026-11-22', 1)] });
      expect([future.statusCode, codeOf(future)]).toEqual([403, 'DAY_IN_FUTURE']);
    }
    const locks = (await week('reviewer1')).json<ActualsWeek>().editable;
    expect(locks.map((day) => day.lock)).toEqual([null, null, null, null, null, null, 'future']);
  });

  it('locks a closed month for members, not for ops corrections, until ops reopen it', async () => {
    const close = (user: TestUsername, closed: boolean) =>
      server.as(user, 'POST', '/api/v1/actuals/months/2026-11', { closed });
    expect((await close('reviewer1', true)).statusCode).toBe(403);
    expect((await close('ops1', true)).statusCode).toBe(200);
    const locked = await save('reviewer1', { cells: [cell(billable, '2026-11-18', 2)] });
    expect([locked.statusCode, codeOf(locked)]).toEqual([403, 'MONTH_CLOSED']);
    const lockedDays = (await week('reviewer1')).json<ActualsWeek>().editable;
    expect(lockedDays.slice(0, 6).every((day) => day.lock === 'month_closed')).toBe(true);
    expect(await hoursOf('reviewer1')).toEqual({});
    const reviewer1 = await server.userId('reviewer1');
    server.clock.advance(60_000);
    const correction = await save('ops1', {
      memberId: reviewer1,
      cells: [cell(billable, '2026-11-18', 2)],
      reason: '补录',
    });
    expect(correction.statusCode, correction.body).toBe(200);
    expect((await close('ops1', false)).statusCode).toBe(200);
    const reopened = await save('reviewer1', { cells: [cell(billable, '2026-11-18', 0)] });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(await hoursOf('reviewer1')).toEqual({});
  });

  it('keeps projects, month closing and the report to ops managers', async () => {
    for (const user of ['reviewer1', 'ta1', 'mentor1', 'assistant1', 'submitter1'] as const) {
      const project = await server.as(user, 'POST', '/api/v1/actuals/projects', {
        name: `x-${user}`,
        type: 'billable',
      });
      expect(project.statusCode).toBe(403);
      const report = await server.as(
        user,
        'GET',
        '/api/v1/actuals/report?from=2026-11-16&to=2026-11-21',
      );
      expect(report.statusCode).toBe(403);
    }
    const listed = await server.as('ta1', 'GET', '/api/v1/actuals/projects');
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ projects: unknown[] }>().projects).toHaveLength(3);
    const duplicate = await server.as('ops1', 'POST', '/api/v1/actuals/projects', {
      name: '内部支持',
      type: 'billable',
    });
    expect([duplicate.statusCode, codeOf(duplicate)]).toEqual([409, 'PROJECT_NAME_TAKEN']);
  });
});

describe('the bounds of an entry', () => {
  it.each([
    ['more than 24 hours', () => [cell(billable, '2026-11-19', 24.5)], 'HOURS_OUT_OF_BOUNDS'],
    ['negative hours', () => [cell(billable, '2026-11-19', -1)], 'HOURS_OUT_OF_BOUNDS'],
    ['not quarter hours', () => [cell(billable, '2026-11-19', 1.3)], 'HOURS_NOT_QUARTER'],
    [
      'a day over 24 in one save',
      () => [cell(billable, '2026-11-19', 20), cell(support, '2026-11-19', 5)],
      'DAY_OVER_24',
    ],
    ['a day outside the week', () => [cell(billable, '2026-11-23', 1)], 'DAY_OUTSIDE_WEEK'],
    [
      'the same cell twice',
      () => [cell(billable, '2026-11-19', 1), cell(billable, '2026-11-19', 2)],
      'DUPLICATE_CELL',
    ],
    ['an unknown project', () => [cell(randomUUID(), '2026-11-19', 1)], 'UNKNOWN_PROJECT'],
  ])('refuses %s (400), changing nothing', async (_, cells, code) => {
    const before = await hoursOf('mentor1');
    const response = await save('mentor1', { cells: cells() });
    expect([response.statusCode, codeOf(response)]).toEqual([400, code]);
    expect(await hoursOf('mentor1')).toEqual(before);
  });

  it('refuses a day over 24 hours across saves, and a week not starting on Monday', async () => {
    expect((await save('mentor1', { cells: [cell(billable, '2026-11-20', 20)] })).statusCode).toBe(
      200,
    );
    const over = await save('mentor1', { cells: [cell(support, '2026-11-20', 4.25)] });
    expect([over.statusCode, codeOf(over)]).toEqual([400, 'DAY_OVER_24']);
    expect(await hoursOf('mentor1')).toEqual({ [`${billable} 2026-11-20`]: 20 });
    // Exactly 24 is a (long) day.
    expect((await save('mentor1', { cells: [cell(support, '2026-11-20', 4)] })).statusCode).toBe(
      200,
    );
    const tuesday = await save('mentor1', { cells: [] }, '2026-11-17');
    expect([tuesday.statusCode, codeOf(tuesday)]).toEqual([400, 'NOT_A_MONDAY']);
    // Clean up for the report below.
    await save('mentor1', {
      cells: [cell(billable, '2026-11-20', 0), cell(support, '2026-11-20', 0)],
    });
    expect(await hoursOf('mentor1')).toEqual({});
  });

  it('takes no new hours on a retired project, but keeps and edits its old ones', async () => {
    const response = await save('mentor1', { cells: [cell(retired, '2026-11-19', 1)] });
    expect([response.statusCode, codeOf(response)]).toEqual([409, 'PROJECT_INACTIVE']);
  });
});

describe('the suggestion and the report', () => {
  it('offers the focus time recorded per Shanghai day', async () => {
    const { itemId } = await submitNewListing(server);
    const ta = await server.userId('ta1');
    for (const [startedAt, seconds] of [
      ['2026-11-16T02:00:00Z', 5400], // Mon 10:00 Shanghai, 1.5 h
      ['2026-11-17T15:30:00Z', 3600], // Tue 23:30 Shanghai, 1 h (counted on the day it started)
      ['2026-11-17T16:30:00Z', 1800], // Wed 00:30 Shanghai, 0.5 h
      ['2026-11-15T15:59:00Z', 600], // Sun 23:59 before the week: not in it
    ] as const) {
      await server.db.query(
        `INSERT INTO time_entries (id, item_id, user_id, started_at, seconds, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $4)`,
        [randomUUID(), itemId, ta, startedAt, seconds],
      );
    }
    const read = (await week('ta1')).json<ActualsWeek>();
    expect(read.recorded).toEqual([
      { day: '2026-11-16', hours: 1.5 },
      { day: '2026-11-17', hours: 1 },
      { day: '2026-11-18', hours: 0.5 },
    ]);
  });

  it('sums hours per member, project and type over the range, in figures worked by hand', async () => {
    // reviewer2 holds billable 3 (Mon, corrected by ops) and support 2 (Tue) from above.
    expect(
      (
        await save('ta1', {
          cells: [cell(support, '2026-11-18', 4), cell(billable, '2026-11-19', 3.5)],
        })
      ).statusCode,
    ).toBe(200);
    // A week earlier, outside the range.
    expect(
      (await save('ta1', { cells: [cell(billable, '2026-11-13', 8)] }, '2026-11-09')).statusCode,
    ).toBe(200);
    const response = await server.as(
      'ops1',
      'GET',
      '/api/v1/actuals/report?from=2026-11-16&to=2026-11-21',
    );
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json<ActualsReport>();
    // Total 3 + 2 + 4 + 3.5 = 12.5; billable 3 + 3.5 = 6.5; support 2 + 4 = 6.
    expect(report.totals).toEqual({
      hours: 12.5,
      billable: 6.5,
      support: 6,
      billableShare: 6.5 / 12.5,
    });
    // ta1 7.5 h (3.5 billable, 4 support; recorded 1.5 + 1 + 0.5 = 3); reviewer2 5 h (3 / 2).
    expect(report.members).toEqual([
      {
        userId: await server.userId('ta1'),
        displayName: 'ta1',
        role: 'ta',
        hours: 7.5,
        billable: 3.5,
        support: 4,
        billableShare: 3.5 / 7.5,
        recordedHours: 3,
      },
      {
        userId: await server.userId('reviewer2'),
        displayName: 'reviewer2',
        role: 'reviewer',
        hours: 5,
        billable: 3,
        support: 2,
        billableShare: 0.6,
        recordedHours: 0,
      },
    ]);
    expect(report.projects).toEqual([
      { projectId: billable, name: '留学申请代办', type: 'billable', hours: 6.5, members: 2 },
      { projectId: support, name: '内部支持', type: 'support', hours: 6, members: 2 },
    ]);
    expect(report.cells).toHaveLength(4);
    // The two ops corrections of the range, newest first (reviewer1's 补录 was made later).
    expect(report.corrections.map((entry) => [entry.memberName, entry.reason])).toEqual([
      ['reviewer1', '补录'],
      ['reviewer2', '与工单核对后更正'],
    ]);
    expect(report.closedMonths).toEqual([]);
  });

  it('answers a bad range with the range’s own 400', async () => {
    const upsideDown = await server.as(
      'ops1',
      'GET',
      '/api/v1/actuals/report?from=2026-11-21&to=2026-11-16',
    );
    expect([upsideDown.statusCode, codeOf(upsideDown)]).toEqual([400, 'RANGE_UPSIDE_DOWN']);
    const future = await server.as(
      'ops1',
      'GET',
      '/api/v1/actuals/report?from=2026-11-16&to=2026-11-30',
    );
    expect([future.statusCode, codeOf(future)]).toEqual([400, 'RANGE_IN_FUTURE']);
  });

  it('is over Shanghai days at both ends', async () => {
    server.clock.set(fromShanghai('2026-11-21', 10));
    const oneDay = await server.as(
      'ops1',
      'GET',
      '/api/v1/actuals/report?from=2026-11-18&to=2026-11-18',
    );
    expect(oneDay.json<ActualsReport>().totals.hours).toBe(4);
  });
});
