import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ListingReminder } from '#shared/domain/listing/reminders';
import { evaluateReminders, startReminderSchedule } from '../../../server/src/listings/reminders';
import { createTestServer, type TestServer } from '../harness';
import { listingDocument, submitNewListing, TestSyncClient } from '../sync/client';

/**
 * The reminders of §7 on the server's own clock, moved by the test: a draft untouched 7 days, a
 * rejection unanswered 48 hours — each reminded once per occurrence, to the owner; ops see them.
 */
let server: TestServer;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeEach(async () => {
  server = await createTestServer();
});
afterEach(async () => {
  await server.close();
});

async function draft(name: string): Promise<string> {
  const created = await server.as('submitter1', 'POST', '/api/v1/listings', {
    document: listingDocument(name),
  });
  expect(created.statusCode).toBe(201);
  return created.json<{ id: string }>().id;
}

const mine = async () =>
  (await server.as('submitter1', 'GET', '/api/v1/reminders')).json<{
    reminders: ListingReminder[];
  }>().reminders;

describe('listing reminders', () => {
  it('reminds of a draft untouched for 7 days once, and again after it is touched and left', async () => {
    const id = await draft('搁置的草稿');
    server.clock.advance(7 * DAY - 60_000);
    expect(await evaluateReminders(server.db, server.clock.now())).toEqual([]);

    server.clock.advance(60_000);
    const raised = await evaluateReminders(server.db, server.clock.now());
    expect(raised).toMatchObject([
      { rule: 'stale_draft', listingId: id, listingName: '搁置的草稿', readAt: null },
    ]);
    expect(raised[0]?.owner.id).toBe(await server.userId('submitter1'));
    // The next rounds raise nothing new for the same occurrence.
    server.clock.advance(HOUR);
    expect(await evaluateReminders(server.db, server.clock.now())).toEqual([]);

    // Touched, then left another 7 days: a second reminder.
    const saved = await server.as(
      'submitter1',
      'PUT',
      `/api/v1/listings/${id}/draft`,
      listingDocument('搁置的草稿 v2'),
    );
    expect(saved.statusCode).toBe(200);
    server.clock.advance(7 * DAY);
    expect(await evaluateReminders(server.db, server.clock.now())).toHaveLength(1);
    expect((await mine()).filter((reminder) => reminder.rule === 'stale_draft')).toHaveLength(2);
  });

  it('reminds of a rejection unanswered for 48 hours, and not of one answered in time', async () => {
    const answered = await submitNewListing(server, '及时修改');
    const ignored = await submitNewListing(server, '无人理会');
    const reviewer = new TestSyncClient(server, 'reviewer1');
    for (const { itemId } of [answered, ignored]) {
      const result = await reviewer.do('reject', {
        itemId,
        reasons: ['other'],
        comments: [{ path: '/basic/name', reasonCode: 'other', text: '请补充' }],
      });
      expect(result.status).toBe('applied');
    }
    server.clock.advance(47 * HOUR);
    // The first one is resubmitted in time.
    const resubmitted = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${answered.listingId}/submit`,
    );
    expect(resubmitted.statusCode, resubmitted.body).toBe(200);
    expect(await evaluateReminders(server.db, server.clock.now())).toEqual([]);

    server.clock.advance(HOUR);
    const raised = await evaluateReminders(server.db, server.clock.now());
    expect(raised.map((reminder) => [reminder.rule, reminder.listingName])).toEqual([
      ['unanswered_rejection', '无人理会'],
    ]);
  });

  it('lets the owner read and mark their own, ops see the open ones, nobody else', async () => {
    await draft('给运营看的');
    server.clock.advance(8 * DAY);
    const [reminder] = await evaluateReminders(server.db, server.clock.now());
    if (reminder === undefined) {
      throw new Error('no reminder raised');
    }
    expect((await server.as('ops1', 'GET', '/api/v1/ops/reminders')).json()).toMatchObject({
      reminders: [{ id: reminder.id, owner: { name: expect.any(String) as unknown } }],
    });
    expect((await server.as('reviewer1', 'GET', '/api/v1/ops/reminders')).statusCode).toBe(403);
    expect((await server.as('collaborator1', 'GET', '/api/v1/reminders')).json()).toEqual({
      reminders: [],
    });
    // Another user's reminder is "not found" to them; the owner marks it read.
    const foreign = await server.as(
      'collaborator1',
      'POST',
      `/api/v1/reminders/${reminder.id}/read`,
    );
    expect(foreign.statusCode).toBe(404);
    const read = await server.as('submitter1', 'POST', `/api/v1/reminders/${reminder.id}/read`);
    expect(read.statusCode).toBe(200);
    expect((await mine())[0]?.readAt).not.toBeNull();
    expect((await server.as('ops1', 'GET', '/api/v1/ops/reminders')).json()).toEqual({
      reminders: [],
    });
    const invalid = await server.as('submitter1', 'POST', '/api/v1/reminders/nope/read');
    expect(invalid.statusCode).toBe(400);
  });

  it('runs on a schedule on the server clock', async () => {
    await draft('定时任务');
    server.clock.advance(7 * DAY);
    const raised: string[] = [];
    const stop = startReminderSchedule({
      db: server.db,
      clock: server.clock,
      intervalMs: 20,
      onRaised: (reminders) => raised.push(...reminders.map((reminder) => reminder.listingName)),
      onError: (error) => {
        throw error;
      },
    });
    try {
      await vi.waitFor(() => {
        expect(raised).toEqual(['定时任务']);
      });
    } finally {
      stop();
    }
  });
});
