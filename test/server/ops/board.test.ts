import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateListing } from '#shared/domain/listing/validate';
import { reportRange } from '#shared/ops/kpis';
import { computeBoardReport } from '../../../server/src/ops/board';
import { createTestServer, TEST_EPOCH, type TestServer } from '../harness';
import { listingDocument } from '../sync/client';

/**
 * The submission funnel and the course board against a small history whose figures are worked
 * out by hand below. Range: 2026-11-01 … 2026-11-10 (Shanghai), as of 2026-11-11 00:00 Shanghai.
 */
const at = (shanghai: string) => Date.parse(`${shanghai}+08:00`);
const iso = (shanghai: string) => new Date(at(shanghai)).toISOString();

let server: TestServer;

async function createListing(createdAt: string, edit: (document: Record<string, unknown>) => void) {
  server.clock.set(at(createdAt));
  const document = listingDocument();
  edit(document);
  const created = await server.as('submitter1', 'POST', '/api/v1/listings', { document });
  expect(created.statusCode).toBe(201);
  return created.json<{ id: string }>().id;
}

async function submit(listingId: string, when: string) {
  server.clock.set(at(when));
  const submitted = await server.as('submitter1', 'POST', `/api/v1/listings/${listingId}/submit`);
  expect(submitted.statusCode).toBe(200);
}

async function student(studentId: string, joined: string, progress: number) {
  await server.db.query(
    `INSERT INTO students (id, student_id, name, cohort, joined_at, progress_percent, updated_at)
     VALUES ($1, $2, $2, '2026秋', $3, $4, $3)`,
    [randomUUID(), studentId, iso(joined), progress],
  );
}

async function homework(
  studentId: string,
  chapter: string,
  submitted: string,
  state: 'submitted' | 'ta_passed' | 'ta_rejected' | 'mentor_reviewed',
  taDecided?: string,
) {
  await server.db.query(
    `INSERT INTO homework_submissions
       (id, student_id, student_name, chapter, article_url, state, submitted_at, ta_due_at,
        ta_decided_at, updated_at)
     VALUES ($1, $2, $2, $3, 'https://example.com/a', $4, $5, $5, $6, $5)`,
    [
      randomUUID(),
      studentId,
      chapter,
      state,
      iso(submitted),
      taDecided === undefined ? null : iso(taDecided),
    ],
  );
}

beforeAll(async () => {
  server = await createTestServer();
  // The fixture document is complete: all seven steps pass on the as-of day.
  expect(
    validateListing(listingDocument(), { today: '2026-11-11' }).filter(
      (issue) => issue.severity === 'error',
    ),
  ).toEqual([]);

  // A: complete, submitted in the range.
  const a = await createListing('2026-11-02T10:00:00', () => undefined);
  await submit(a, '2026-11-03T10:00:00');
  // B: its packages step has no package: stops at step 3.
  await createListing('2026-11-04T10:00:00', (document) => {
    (document['packages'] as Record<string, unknown>)['items'] = [];
  });
  // C: no name: stops at step 1.
  await createListing('2026-11-05T10:00:00', (document) => {
    (document['basic'] as Record<string, unknown>)['name'] = '';
  });
  // D: complete, but submitted after the as-of instant.
  const d = await createListing('2026-11-06T10:00:00', () => undefined);
  await submit(d, '2026-11-12T10:00:00');
  // E: created before the range: not counted.
  await createListing('2026-10-30T10:00:00', () => undefined);

  // Students enrolled by the as-of instant: s1 (40 %), s2 (10 %), s3 (70 %); s4 joins later.
  await student('s1', '2026-10-01T09:00:00', 40);
  await student('s2', '2026-10-15T09:00:00', 10);
  await student('s3', '2026-11-08T09:00:00', 70);
  await student('s4', '2026-11-15T09:00:00', 90);
  // Chapter 1 (first submitted): s1 passed, s2 rejected, s3 still waiting.
  await homework('s1', '第1章', '2026-10-20T09:00:00', 'ta_passed', '2026-10-21T09:00:00');
  await homework('s2', '第1章', '2026-11-02T09:00:00', 'ta_rejected', '2026-11-03T09:00:00');
  await homework('s3', '第1章', '2026-11-09T09:00:00', 'submitted');
  // Chapter 2: s1 passed and reviewed by the mentor in the range; s3 passed after the as-of
  // instant (not passed yet, as of then); s4 is not enrolled by then: not counted.
  await homework('s1', '第2章', '2026-11-05T09:00:00', 'mentor_reviewed', '2026-11-06T09:00:00');
  await homework('s3', '第2章', '2026-11-10T09:00:00', 'ta_passed', '2026-11-12T09:00:00');
  await homework('s4', '第2章', '2026-11-16T09:00:00', 'ta_passed', '2026-11-17T09:00:00');
  // Chapter 10 comes after chapter 2 although submitted first: s2, not passed.
  await homework('s2', '第10章', '2026-10-16T09:00:00', 'submitted');
  // Chapter 3: submitted after the as-of instant: no row.
  await homework('s1', '第3章', '2026-11-13T09:00:00', 'submitted');
  server.clock.set(TEST_EPOCH);
});
afterAll(async () => {
  await server.close();
});

describe('the submission funnel', () => {
  it('counts, per form step, the listings that reached it and got through it', async () => {
    const range = reportRange('2026-11-01', '2026-11-10', server.clock.now());
    const { funnel } = await computeBoardReport(server.db, range);
    // Created in the range: A, B, C, D. Step 1: all reach it, C fails it. Step 2: A, B, D reach
    // and pass. Step 3: A, B, D reach it, B fails. Steps 4–7: A and D reach and pass each.
    expect(funnel).toEqual({
      started: 4,
      steps: [
        { step: 'basic', reached: 4, completed: 3 },
        { step: 'highlights', reached: 3, completed: 3 },
        { step: 'packages', reached: 3, completed: 2 },
        { step: 'process', reached: 2, completed: 2 },
        { step: 'requirements', reached: 2, completed: 2 },
        { step: 'risk', reached: 2, completed: 2 },
        { step: 'credentials', reached: 2, completed: 2 },
      ],
      // Only A was submitted by the as-of instant.
      submitted: 1,
    });
  });
});

describe('the course board', () => {
  it('counts enrolled and active students, mean progress and per chapter submitted and passed', async () => {
    const range = reportRange('2026-11-01', '2026-11-10', server.clock.now());
    const { course } = await computeBoardReport(server.db, range);
    expect(course).toEqual({
      // s1, s2, s3 joined by 11-11 00:00.
      students: 3,
      // Submissions in the range (s2's chapter 10 was in October): s2 (ch. 1, 11-02), s3 (ch. 1, 11-09; ch. 2, 11-10), s1 (ch. 2,
      // 11-05). s1's chapter 1 was in October.
      activeStudents: 3,
      // (40 + 10 + 70) / 3.
      averageProgressPercent: 40,
      chapters: [
        // s1, s2, s3 submitted; only s1 passed.
        { chapter: '第1章', submitted: 3, passed: 1 },
        // s1 and s3 submitted; s1 passed (mentor-reviewed), s3's pass came on 11-12.
        { chapter: '第2章', submitted: 2, passed: 1 },
        { chapter: '第10章', submitted: 1, passed: 0 },
      ],
    });
  });

  it('has no mean progress without students, and empty figures for a range before everything', async () => {
    const range = reportRange('2026-09-01', '2026-09-10', server.clock.now());
    const report = await computeBoardReport(server.db, range);
    expect(report.course).toEqual({
      students: 0,
      activeStudents: 0,
      averageProgressPercent: null,
      chapters: [],
    });
    expect(report.funnel.started).toBe(0);
    expect(report.funnel.steps.every((step) => step.reached === 0 && step.completed === 0)).toBe(
      true,
    );
  });
});

describe('GET /api/v1/ops/board', () => {
  it('serves ops managers only, with the range checked like the KPIs', async () => {
    const query = '?from=2026-11-01&to=2026-11-10';
    const ok = await server.as('ops1', 'GET', `/api/v1/ops/board${query}`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ funnel: { started: number } }>().funnel.started).toBe(4);
    expect((await server.as('reviewer1', 'GET', `/api/v1/ops/board${query}`)).statusCode).toBe(403);
    const upsideDown = await server.as(
      'ops1',
      'GET',
      '/api/v1/ops/board?from=2026-11-10&to=2026-11-01',
    );
    expect(upsideDown.statusCode).toBe(400);
    expect(upsideDown.json<{ error: { code: string } }>().error.code).toBe('RANGE_UPSIDE_DOWN');
  });
});
