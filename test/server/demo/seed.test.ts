import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taDeadline } from '#shared/domain/homework';
import type { ListingDocument } from '#shared/domain/listing/document';
import { validateListing } from '#shared/domain/listing/validate';
import { validateRubric } from '#shared/domain/rubric';
import { shanghaiDate } from '#shared/domain/time';
import { runSeedCommand } from '../../../cli/commands/seed';
import { CliInputError, type CliIo } from '../../../cli/io';
import { verifyPassword } from '../../../server/src/auth/passwords';
import { createUser, findUserByUsername } from '../../../server/src/auth/users';
import { ManualClock } from '../../../server/src/clock';
import { resolveServerConfig } from '../../../server/src/config';
import type { ServerContext } from '../../../server/src/context';
import { PGLITE_PARSERS, wrapPglite, type Database } from '../../../server/src/db/database';
import { migrate } from '../../../server/src/db/migrate';
import {
  DEFAULT_DEMO_HOMEWORK,
  DemoSeedRefusedError,
  generateDemoPassword,
  isDatabaseEmpty,
  seedDemoData,
} from '../../../server/src/demo/seed';
import { createLocalStorage } from '../../../server/src/files/localStorage';
import { approveCommissionRun, proposeCommissionRun } from '../../../server/src/ops/settlement';
import { evidenceDigest } from '../../../server/src/homework/evidence';
import type { FileStorage } from '../../../server/src/files/storage';
import { createChangeHints } from '../../../server/src/hints';
import { TEST_EPOCH } from '../harness';

const PASSWORD = 'demo-password-for-tests';
const HOUR = 3_600_000;

interface Fresh {
  readonly db: Database;
  readonly ctx: ServerContext;
  readonly dir: string;
  close(): Promise<void>;
}

/** An empty, migrated database (the harness template already has users, so not that one). */
async function freshContext(): Promise<Fresh> {
  const dir = await mkdtemp(join(tmpdir(), 'review-desk-demo-'));
  const pglite = await PGlite.create({ parsers: PGLITE_PARSERS });
  const db = wrapPglite(pglite);
  await migrate(db);
  const ctx: ServerContext = {
    config: { ...resolveServerConfig({ dataDir: dir }, {}, dir), logLevel: 'silent' },
    db,
    clock: new ManualClock(TEST_EPOCH),
    storage: createLocalStorage(join(dir, 'files')),
    hints: createChangeHints(),
    tokenKey: new TextEncoder().encode('demo-seed-test-key-demo-seed-test'),
  };
  return {
    db,
    ctx,
    dir,
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function readAll(storage: FileStorage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of storage.read(key)) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

const count = async (db: Database, sql: string, params: unknown[] = []): Promise<number> => {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (${sql}) AS q`,
    params,
  );
  return row?.n ?? 0;
};

describe('seedDemoData', () => {
  let fresh: Fresh;
  let db: Database;
  let result: Awaited<ReturnType<typeof seedDemoData>>;
  let notified = 0;

  beforeAll(async () => {
    fresh = await freshContext();
    db = fresh.db;
    fresh.ctx.hints.subscribe((version) => {
      notified = version;
    });
    expect(await isDatabaseEmpty(db)).toBe(true);
    result = await seedDemoData(fresh.ctx, { password: PASSWORD });
  }, 120_000);

  afterAll(async () => {
    await fresh.close();
  });

  it('reports what it loaded and marks the database as seeded', async () => {
    expect(result.listings).toBe(40);
    expect(result.homework).toBe(DEFAULT_DEMO_HOMEWORK);
    expect(result.refunds).toBe(8);
    expect(result.users).toEqual(
      expect.arrayContaining([
        'submitter1',
        'submitter2',
        'assistant1',
        'reviewer1',
        'reviewer2',
        'ops1',
        'ta1',
        'mentor1',
        'reviewer9',
      ]),
    );
    expect(await isDatabaseEmpty(db)).toBe(false);
    const [meta] = await db.query<{ value: string }>(
      "SELECT value FROM server_meta WHERE key = 'demo_seeded'",
    );
    const marker = JSON.parse(meta?.value ?? '{}') as {
      listings?: number;
      homework?: number;
      nearDuplicates?: { chapter: string; copyId: string; sourceId: string }[];
    };
    expect(marker).toMatchObject({ listings: 40, homework: DEFAULT_DEMO_HOMEWORK });
    expect(marker.nearDuplicates?.map((pair) => pair.chapter)).toEqual(['1', '3', '6', '8']);
    expect(notified).toBeGreaterThan(0);
  });

  it('creates the demo users with the demo password', async () => {
    for (const username of [
      'submitter1',
      'assistant1',
      'reviewer1',
      'reviewer2',
      'ops1',
      'ta1',
      'mentor1',
    ]) {
      const user = await findUserByUsername(db, username);
      expect(user, username).not.toBeNull();
      expect(user?.active).toBe(true);
      expect(await verifyPassword(user?.password_hash ?? '', PASSWORD)).toBe(true);
    }
    const ops = await findUserByUsername(db, 'ops1');
    expect(ops?.role).toBe('ops_manager');
    expect(ops?.display_name).toMatch(/[\u4e00-\u9fff]/);
    const inactive = await findUserByUsername(db, 'reviewer9');
    expect(inactive?.active).toBe(false);
    const submitter = await findUserByUsername(db, 'submitter1');
    const [institution] = await db.query<{ name: string }>(
      'SELECT name FROM institutions WHERE id = $1',
      [submitter?.institution_id],
    );
    expect(institution?.name).toBe('北京启明星途教育咨询有限公司');
  });

  it('has institutions, tutors and mentor profiles, some verified', async () => {
    const kinds = await db.query<{ kind: string; n: number }>(
      'SELECT kind, count(*)::int AS n FROM institutions GROUP BY kind ORDER BY kind',
    );
    expect(kinds).toEqual([
      { kind: 'institution', n: 12 },
      { kind: 'tutor', n: 3 },
    ]);
    const verified = await db.query<{ verified: boolean }>(
      'SELECT DISTINCT verified FROM mentor_profiles ORDER BY verified',
    );
    expect(verified.map((row) => row.verified)).toEqual([false, true]);
  });

  it('has listings in every state, consistent with their revisions', async () => {
    const states = await db.query<{ state: string }>(
      'SELECT DISTINCT state FROM listings ORDER BY 1',
    );
    expect(states.map((row) => row.state)).toEqual([
      'draft',
      'in_review',
      'live',
      'offline',
      'pending',
      'rejected',
    ]);
    const listings = await db.query<{
      id: string;
      state: string;
      name: string;
      country: string | null;
      current_revision_id: string;
      live_revision_id: string | null;
      offline_reason: string | null;
    }>('SELECT * FROM listings');
    const revisions = await db.query<{
      id: string;
      listing_id: string;
      number: number;
      state: string;
      name: string;
      country: string | null;
      stages: string[];
      provider_name: string;
      document: ListingDocument;
    }>('SELECT * FROM listing_revisions');
    for (const listing of listings) {
      const mine = revisions
        .filter((revision) => revision.listing_id === listing.id)
        .sort((a, b) => a.number - b.number);
      expect(mine.map((revision) => revision.number)).toEqual(mine.map((_, index) => index + 1));
      const current = mine[mine.length - 1];
      expect(listing.current_revision_id).toBe(current?.id);
      expect(listing.name).toBe(current?.name);
      expect(listing.country).toBe(current?.country);
      const live = mine.find((revision) => revision.id === listing.live_revision_id);
      if (listing.state === 'live') {
        expect(live?.state).toBe('live');
      } else {
        expect(listing.live_revision_id).toBeNull();
      }
      expect(listing.offline_reason !== null).toBe(listing.state === 'offline');
      for (const revision of mine) {
        expect(revision.name).toBe(revision.document.basic.name);
        expect(revision.provider_name).toBe(revision.document.provider.name);
        expect(revision.stages).toEqual(revision.document.basic.stages);
      }
    }
  });

  it('keeps the old revision live while an update is reviewed', async () => {
    const updating = await db.query<{ name: string; live: number; current: number; cs: string }>(
      `SELECT l.name, lv.number AS live, cr.number AS current, cr.state AS cs
         FROM listings l
         JOIN listing_revisions lv ON lv.id = l.live_revision_id
         JOIN listing_revisions cr ON cr.id = l.current_revision_id
        WHERE l.state = 'live' AND l.live_revision_id <> l.current_revision_id`,
    );
    expect(updating.length).toBeGreaterThanOrEqual(3);
    expect(updating).toContainEqual({
      name: '英国硕士申请旗舰包',
      live: 2,
      current: 3,
      cs: 'pending',
    });
    expect(new Set(updating.map((row) => row.cs))).toEqual(
      new Set(['pending', 'in_review', 'rejected']),
    );
  });

  it('gives every in-review item exactly one active claim, and no other item any', async () => {
    const items = await db.query<{ state: string; active: number; expires: string | null }>(
      `SELECT i.state,
              (SELECT count(*)::int FROM claims c WHERE c.item_id = i.id AND c.released_at IS NULL) AS active,
              (SELECT max(c.expires_at) FROM claims c WHERE c.item_id = i.id AND c.released_at IS NULL) AS expires
         FROM review_items i`,
    );
    expect(items.some((item) => item.state === 'in_review')).toBe(true);
    for (const item of items) {
      expect(item.active).toBe(item.state === 'in_review' ? 1 : 0);
      if (item.expires !== null) {
        expect(Date.parse(item.expires)).toBeGreaterThan(TEST_EPOCH);
      }
    }
    const leases = await db.query<{ ms: number }>(
      `SELECT (extract(epoch FROM expires_at - claimed_at) * 1000)::int8 AS ms FROM claims`,
    );
    expect(new Set(leases.map((lease) => lease.ms))).toEqual(new Set([4 * HOUR]));
    expect(await count(db, 'SELECT 1 FROM claims WHERE assigned_by IS NOT NULL')).toBeGreaterThan(
      0,
    );
    expect(await count(db, 'SELECT 1 FROM claims WHERE released_at IS NOT NULL')).toBeGreaterThan(
      0,
    );
  });

  it('gives every decided listing item one final decision, and rejections field comments', async () => {
    const items = await db.query<{
      id: string;
      revision_id: string;
      created_at: string;
      due_at: string;
      n: number;
    }>(
      `SELECT i.id, i.revision_id, i.created_at, i.due_at,
              (SELECT count(*)::int FROM decisions d WHERE d.item_id = i.id AND d.is_final) AS n
         FROM review_items i WHERE i.kind = 'listing_revision'`,
    );
    for (const item of items) {
      expect(Date.parse(item.due_at) - Date.parse(item.created_at)).toBe(48 * HOUR);
    }
    const decided = await db.query<{
      id: string;
      outcome: string;
      comments: number;
      reasons: string[];
      rev_state: string;
      matches: boolean;
    }>(
      `SELECT d.id, d.outcome, d.reasons, r.state AS rev_state, d.revision_id = i.revision_id AS matches,
              (SELECT count(*)::int FROM field_comments f WHERE f.decision_id = d.id) AS comments
         FROM review_items i
         JOIN decisions d ON d.item_id = i.id
         JOIN listing_revisions r ON r.id = i.revision_id
        WHERE i.kind = 'listing_revision'`,
    );
    const decidedItems = await count(
      db,
      "SELECT 1 FROM review_items WHERE kind = 'listing_revision' AND state = 'decided'",
    );
    expect(decided).toHaveLength(decidedItems);
    for (const decision of decided) {
      expect(decision.matches).toBe(true);
      if (decision.outcome === 'reject') {
        expect(decision.comments).toBeGreaterThan(0);
        expect(decision.reasons.length).toBeGreaterThan(0);
        expect(decision.rev_state).toBe('rejected');
      } else {
        expect(decision.outcome).toBe('approve');
        expect(['live', 'superseded', 'offline']).toContain(decision.rev_state);
      }
    }
    const paths = await db.query<{ path: string }>('SELECT DISTINCT path FROM field_comments');
    expect(paths.every((row) => row.path.startsWith('/'))).toBe(true);
    expect(
      await count(db, 'SELECT 1 FROM review_items WHERE supersedes_item_id IS NOT NULL'),
    ).toBeGreaterThan(0);
    expect(await count(db, "SELECT 1 FROM review_items WHERE state = 'withdrawn'")).toBeGreaterThan(
      0,
    );
  });

  it('audits every transition with actor and time', async () => {
    const actions = await db.query<{ action: string }>(
      "SELECT DISTINCT action FROM audit_events WHERE subject_type = 'listing' ORDER BY 1",
    );
    expect(actions.map((row) => row.action)).toEqual(
      expect.arrayContaining([
        'submit',
        'claim',
        'approve',
        'reject',
        'withdraw',
        'takedown',
        'assign',
      ]),
    );
    const items = await db.query<{ id: string; state: string; events: number }>(
      `SELECT i.id, i.state, (SELECT count(*)::int FROM audit_events a WHERE a.item_id = i.id) AS events
         FROM review_items i WHERE i.kind = 'listing_revision'`,
    );
    for (const item of items) {
      expect(item.events).toBeGreaterThanOrEqual(item.state === 'pending' ? 1 : 2);
    }
    expect(
      await count(
        db,
        "SELECT 1 FROM audit_events WHERE action IN ('approve', 'reject', 'claim') AND actor_id IS NULL",
      ),
    ).toBe(0);
    expect(
      await count(db, 'SELECT 1 FROM audit_events WHERE at > $1', [
        new Date(TEST_EPOCH).toISOString(),
      ]),
    ).toBe(0);
  });

  it('stores the credential papers, matching the documents', async () => {
    const files = await db.query<{
      id: string;
      listing_id: string;
      sha256: string;
      size_bytes: number;
      mime_type: string;
      original_name: string;
      storage_key: string;
    }>('SELECT * FROM credential_files');
    expect(files.length).toBeGreaterThan(20);
    expect(new Set(files.map((file) => file.mime_type))).toEqual(
      new Set(['image/jpeg', 'application/pdf']),
    );
    for (const file of files) {
      const bytes = await readAll(fresh.ctx.storage, file.storage_key);
      expect(bytes.length).toBe(file.size_bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      expect(file.storage_key).toMatch(
        /^institutions\/[0-9a-f-]{36}\/listings\/[0-9a-f-]{36}\/[0-9a-f]{64}$/,
      );
    }
    const revisions = await db.query<{ listing_id: string; document: ListingDocument }>(
      'SELECT listing_id, document FROM listing_revisions WHERE submitted_at IS NOT NULL',
    );
    for (const revision of revisions) {
      for (const entry of revision.document.credentials.files) {
        const row = files.find((file) => file.id === entry.id);
        expect(row, entry.fileName).toBeDefined();
        expect(row).toMatchObject({
          listing_id: revision.listing_id,
          sha256: entry.sha256,
          mime_type: entry.mimeType,
          size_bytes: entry.sizeBytes,
          original_name: entry.fileName,
        });
      }
    }
  });

  it('every submitted revision passes validation on its submission day', async () => {
    const verified = await db.query<{ id: string }>(
      'SELECT id FROM mentor_profiles WHERE verified',
    );
    const verifiedMentorIds = new Set(verified.map((row) => row.id));
    const revisions = await db.query<{ document: unknown; submitted_at: string }>(
      'SELECT document, submitted_at FROM listing_revisions WHERE submitted_at IS NOT NULL',
    );
    expect(revisions.length).toBeGreaterThan(30);
    for (const revision of revisions) {
      const issues = validateListing(revision.document, {
        today: shanghaiDate(Date.parse(revision.submitted_at)),
        verifiedMentorIds,
      });
      expect(issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    }
  });

  it('has homework in every state with items, decisions and screenshots', async () => {
    const submissions = await db.query<{
      id: string;
      state: string;
      submitted_at: string;
      ta_due_at: string;
      score: number | null;
      screenshots: string[];
    }>('SELECT * FROM homework_submissions');
    expect(new Set(submissions.map((row) => row.state))).toEqual(
      // Reviewing archives in the same step (kinds/homework.ts): nothing rests in mentor_reviewed.
      new Set(['submitted', 'ta_passed', 'ta_rejected', 'archived']),
    );
    for (const submission of submissions) {
      expect(Date.parse(submission.ta_due_at)).toBe(
        taDeadline(Date.parse(submission.submitted_at)),
      );
      const files = await db.query<{ id: string; sha256: string; storage_key: string }>(
        'SELECT id, sha256, storage_key FROM homework_files WHERE submission_id = $1',
        [submission.id],
      );
      expect(files.length).toBeGreaterThanOrEqual(1);
      expect(files.length).toBeLessThanOrEqual(2);
      expect([...submission.screenshots].sort()).toEqual(files.map((file) => file.id).sort());
      for (const file of files) {
        const bytes = await readAll(fresh.ctx.storage, file.storage_key);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      }
      const items = await db.query<{ kind: string; state: string; revision_id: string | null }>(
        'SELECT kind, state, revision_id FROM review_items WHERE subject_id = $1 ORDER BY created_at',
        [submission.id],
      );
      expect(items[0]).toEqual({
        kind: 'homework',
        revision_id: null,
        state: submission.state === 'submitted' ? 'pending' : 'decided',
      });
      if (['ta_passed', 'mentor_reviewed', 'archived'].includes(submission.state)) {
        expect(items[1]).toMatchObject({
          kind: 'homework_mentor',
          state: submission.state === 'ta_passed' ? 'pending' : 'decided',
        });
      } else {
        expect(items).toHaveLength(1);
      }
    }
    const outcomes = await db.query<{ kind: string; outcome: string }>(
      "SELECT DISTINCT kind, outcome FROM decisions WHERE kind IN ('homework', 'homework_mentor') ORDER BY 1, 2",
    );
    expect(outcomes).toEqual([
      { kind: 'homework', outcome: 'pass' },
      { kind: 'homework', outcome: 'reject' },
      { kind: 'homework_mentor', outcome: 'excellent' },
      { kind: 'homework_mentor', outcome: 'reviewed' },
    ]);
  });

  it('freezes each submission as evidence whose SHA-256 the server recomputes', async () => {
    const rows = await db.query<{
      id: string;
      evidence_sha256: string;
      evidence_version: number;
      graded_evidence_sha256: string | null;
      state: string;
      article_text: string;
    }>('SELECT * FROM homework_submissions');
    let edited = 0;
    for (const row of rows) {
      const versions = await db.query<{
        version: number;
        article_url: string;
        article_text: string;
        reflection: string;
        screenshots: string[];
        sha256: string;
      }>('SELECT * FROM homework_evidence WHERE submission_id = $1 ORDER BY version', [row.id]);
      expect(versions.map((version) => version.version)).toEqual(
        Array.from({ length: row.evidence_version }, (_, index) => index + 1),
      );
      const files = await db.query<{ sha256: string }>(
        'SELECT sha256 FROM homework_files WHERE submission_id = $1',
        [row.id],
      );
      for (const version of versions) {
        expect([...version.screenshots].sort()).toEqual(files.map((file) => file.sha256).sort());
        expect(
          evidenceDigest({
            articleUrl: version.article_url,
            articleText: version.article_text,
            reflection: version.reflection,
            screenshots: version.screenshots,
          }),
        ).toBe(version.sha256);
      }
      const current = versions[versions.length - 1];
      expect(row.evidence_sha256).toBe(current?.sha256);
      expect(row.article_text).toBe(current?.article_text);
      expect(row.graded_evidence_sha256).toBe(
        row.state === 'submitted' ? null : versions[0]?.sha256,
      );
      if (row.evidence_version > 1) {
        edited += 1;
      }
    }
    expect(edited).toBe(1);
  });

  it('has rubrics, comment banks, the roster and the student record', async () => {
    const rubrics = await db.query<{
      chapter: string;
      max_score: number;
      criteria: { id: string; title: string; description: string; points: number }[];
    }>('SELECT chapter, max_score, criteria FROM rubrics ORDER BY chapter');
    expect(rubrics.map((rubric) => rubric.chapter)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
    ]);
    for (const rubric of rubrics) {
      expect(
        validateRubric({
          chapter: rubric.chapter,
          maxScore: rubric.max_score,
          criteria: rubric.criteria,
        }),
      ).toEqual([]);
    }
    const graded = await db.query<{
      chapter: string;
      state: string;
      score: number | null;
      criterion_scores: Record<string, number> | null;
    }>(
      "SELECT chapter, state, score, criterion_scores FROM homework_submissions WHERE state <> 'submitted'",
    );
    for (const row of graded) {
      const rubric = rubrics.find((candidate) => candidate.chapter === row.chapter);
      const scores = row.criterion_scores ?? {};
      expect(Object.keys(scores).sort()).toEqual(
        (rubric?.criteria ?? []).map((criterion) => criterion.id).sort(),
      );
      const total = Object.values(scores).reduce((sum, points) => sum + points, 0);
      expect(row.score).toBe(row.state === 'ta_rejected' ? null : total);
    }
    const banks = await db.query<{ chapter: string; language: string; n: number }>(
      'SELECT chapter, language, count(*)::int AS n FROM comment_bank GROUP BY 1, 2 ORDER BY 1, 2',
    );
    expect(banks).toHaveLength(16);
    for (const bank of banks) {
      expect(bank.n).toBe(bank.language === 'zh-CN' ? 5 : 2);
    }
    const students = await db.query<{ cohort: string; n: number }>(
      'SELECT cohort, count(*)::int AS n FROM students GROUP BY 1 ORDER BY 1',
    );
    expect(students.map((row) => row.n)).toEqual([40, 30]);
    // Everyone who submitted homework is on the roster.
    expect(
      await count(
        db,
        'SELECT 1 FROM homework_submissions h LEFT JOIN students s USING (student_id) WHERE s.id IS NULL',
      ),
    ).toBe(0);
    const followUp = await db.query<{ contact_note: string | null }>(
      `SELECT contact_note FROM students
        WHERE joined_at < $1::timestamptz - interval '7 days' AND progress_percent < 10`,
      [new Date(TEST_EPOCH).toISOString()],
    );
    expect(followUp.length).toBeGreaterThanOrEqual(4);
    expect(followUp.filter((row) => row.contact_note !== null)).toHaveLength(1);
    const records = await db.query<{ mismatched: number; archived: number; records: number }>(
      `SELECT count(*) FILTER (WHERE r.score IS DISTINCT FROM h.score
                                  OR r.excellent IS DISTINCT FROM h.excellent
                                  OR r.chapter <> h.chapter)::int AS mismatched,
              (SELECT count(*)::int FROM homework_submissions WHERE state = 'archived') AS archived,
              count(*)::int AS records
         FROM student_records r JOIN homework_submissions h ON h.id = r.submission_id`,
    );
    expect(records[0]?.mismatched).toBe(0);
    expect(records[0]?.records).toBe(records[0]?.archived);
    expect(records[0]?.records).toBeGreaterThan(20);
  });

  it('has refund requests with review items, and commission records', async () => {
    const refunds = await db.query<{
      id: string;
      eligible: boolean;
      state: string;
      refund_due_by: string | null;
    }>('SELECT id, eligible, state, refund_due_by FROM refund_requests');
    expect(refunds).toHaveLength(8);
    expect(new Set(refunds.map((refund) => refund.eligible))).toEqual(new Set([true, false]));
    for (const refund of refunds) {
      const [item] = await db.query<{ state: string }>(
        "SELECT state FROM review_items WHERE kind = 'refund' AND subject_id = $1",
        [refund.id],
      );
      expect(item?.state).toBe(refund.state === 'pending' ? 'pending' : 'decided');
      expect(refund.refund_due_by !== null).toBe(refund.state === 'approved');
    }
    expect(await count(db, 'SELECT 1 FROM commission_records')).toBeGreaterThanOrEqual(6);
  });

  it('has a referral network with paid orders that the commission runs settle', async () => {
    // TEST_EPOCH is 2026-11-21 (Shanghai): the previous month is 2026-10, the one before 2026-09,
    // both due (from their 15th of the month after).
    const orders = await db.query<{
      id: string;
      buyer_id: string;
      amount: string;
      refunded: string;
      month: string;
    }>(
      `SELECT id, buyer_id, amount::text AS amount, refunded::text AS refunded,
              to_char(paid_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month
         FROM course_orders ORDER BY id`,
    );
    expect(orders.map((order) => [order.id, order.month])).toEqual([
      ['AIW2026090001', '2026-09'],
      ['AIW2026090002', '2026-09'],
      ['AIW2026090003', '2026-09'],
      ['AIW2026100001', '2026-10'],
      ['AIW2026100002', '2026-10'],
      ['AIW2026100003', '2026-10'],
      ['AIW2026100004', '2026-10'],
      ['AIW2026100005', '2026-10'],
      ['AIW2026100006', '2026-10'],
      ['AIW2026100007', '2026-10'],
    ]);
    // One full refund and two partial ones.
    expect(
      orders
        .filter((order) => order.refunded !== '0.00')
        .map((order) => [order.id, order.refunded]),
    ).toEqual([
      ['AIW2026090002', '999.50'],
      ['AIW2026100003', '3980.00'],
      ['AIW2026100004', '500.00'],
    ]);
    const [ops] = await db.query<{ id: string }>("SELECT id FROM users WHERE username = 'ops1'");
    const opsId = ops?.id ?? '';

    const september = await proposeCommissionRun(db, '2026-09', TEST_EPOCH, opsId);
    // S20104 (referred by 周建国 M10007) 2999.00: 20 % = 599.80. S20103 (李晓雯 M10023, referred by
    // M10007) 1999.00 − 999.50 = 999.50: 20 % = 199.90, 15 % = 149.925 → 149.93. 马超 (S20106) is
    // referred by 林峰 M10051, who and 何丽 M10052 name each other: held back.
    expect(september.settlement.total).toBe('949.63');
    expect(september.settlement.orders).toBe(2);
    expect(september.settlement.members).toEqual([
      { memberId: 'M10007', amount: '749.73' },
      { memberId: 'M10023', amount: '199.90' },
    ]);
    expect(september.settlement.heldBack).toEqual([
      { orderId: 'AIW2026090003', code: 'REFERRAL_CYCLE', chain: ['M10051', 'M10052', 'M10051'] },
    ]);
    await approveCommissionRun(db, '2026-09', TEST_EPOCH, opsId);

    const october = await proposeCommissionRun(db, '2026-10', TEST_EPOCH, opsId);
    // 刘洋 2999.00 via 赵敏 M10042 (20 % = 599.80), 陈静 M10038 (not paying: 0), 王磊 M10031 (10 % =
    // 299.90); 孙悦 1999.00 via M10031 (399.80), M10023 (299.85), M10007 (199.90); 黄婷 refunded
    // in full (counted, nothing paid); 吴昊 1999.00 − 500.00 = 1499.00 via M10007 (299.80); 郑爽
    // has no referrer (counted, nothing paid); 孙悦 699.00 via M10031 (139.80), M10023 (104.85),
    // M10007 (69.90). 马超's order is held back, and September's held-back one is carried.
    expect(october.settlement.total).toBe('2413.60');
    expect(october.settlement.orders).toBe(6);
    expect(october.settlement.members).toEqual([
      { memberId: 'M10031', amount: '839.50' },
      { memberId: 'M10042', amount: '599.80' },
      { memberId: 'M10007', amount: '569.60' },
      { memberId: 'M10023', amount: '404.70' },
    ]);
    expect(october.settlement.carriedOver).toEqual(['AIW2026090003']);
    expect(october.settlement.heldBack.map((held) => [held.orderId, held.code])).toEqual([
      ['AIW2026090003', 'REFERRAL_CYCLE'],
      ['AIW2026100005', 'REFERRAL_CYCLE'],
    ]);
  });

  it('records the time worked on every decided item, ending at its decision', async () => {
    const rows = await db.query<{
      kind: string;
      seconds: number;
      ends_at_decision: boolean;
      same_person: boolean;
    }>(
      `SELECT i.kind, t.seconds,
              t.started_at + t.seconds * interval '1 second' = d.decided_at AS ends_at_decision,
              t.user_id = d.reviewer_id AS same_person
         FROM decisions d
         JOIN review_items i ON i.id = d.item_id
         LEFT JOIN time_entries t ON t.item_id = d.item_id
        WHERE d.is_final`,
    );
    expect(rows.length).toBeGreaterThan(0);
    // Minutes of focused work per kind, as the seed's DEMO_WORK_MINUTES promises them.
    const bounds: Record<string, [number, number]> = {
      listing_revision: [4, 40],
      homework: [3, 18],
      homework_mentor: [2, 12],
      refund: [2, 10],
    };
    for (const row of rows) {
      const [shortest, longest] = bounds[row.kind]!;
      expect(row.seconds, row.kind).toBeGreaterThanOrEqual(shortest * 60);
      expect(row.seconds, row.kind).toBeLessThanOrEqual(longest * 60);
      expect(row.ends_at_decision).toBe(true);
      expect(row.same_person).toBe(true);
    }
    expect(new Set(rows.map((row) => row.kind))).toEqual(new Set(Object.keys(bounds)));
    expect(await count(db, 'SELECT 1 FROM time_entries')).toBe(rows.length);
  });

  it('gives every mirrored row a row version', async () => {
    for (const table of [
      'institutions',
      'users',
      'mentor_profiles',
      'listings',
      'listing_revisions',
      'credential_files',
      'review_items',
      'decisions',
      'field_comments',
      'audit_events',
      'homework_submissions',
      'homework_evidence',
      'students',
      'rubrics',
      'comment_bank',
      'student_records',
      'refund_requests',
      'time_entries',
      'support_conversations',
      'support_messages',
    ]) {
      expect(await count(db, `SELECT 1 FROM ${table} WHERE row_version <= 0`), table).toBe(0);
      expect(await count(db, `SELECT 1 FROM ${table}`), table).toBeGreaterThan(0);
    }
  });

  it('escalates the demo conversations by the SOP 9.2 rule, and keeps the settled one with the bot', async () => {
    const rows = await db.query<{ external_id: string; state: string; reason: string | null }>(
      `SELECT c.external_id, c.state, c.escalation_reason AS reason
         FROM support_conversations c ORDER BY c.external_id`,
    );
    expect(rows).toEqual([
      { external_id: 'CS-DEMO-0001', state: 'escalated', reason: 'follow_ups' },
      { external_id: 'CS-DEMO-0002', state: 'escalated', reason: 'unanswerable' },
      { external_id: 'CS-DEMO-0003', state: 'escalated', reason: 'follow_ups' },
      { external_id: 'CS-DEMO-0004', state: 'bot', reason: null },
    ]);
    expect(await count(db, `SELECT 1 FROM review_items WHERE kind = 'escalation'`)).toBe(3);
    // One is already past its response deadline, for the queue's overdue figures.
    expect(
      await count(db, `SELECT 1 FROM review_items WHERE kind = 'escalation' AND due_at < $1`, [
        new Date(TEST_EPOCH).toISOString(),
      ]),
    ).toBeGreaterThanOrEqual(1);
  });

  it('refuses to seed the same database twice', async () => {
    await expect(seedDemoData(fresh.ctx, { password: PASSWORD })).rejects.toThrow(
      DemoSeedRefusedError,
    );
  });
});

describe('seedDemoData on other databases', () => {
  it('refuses a database that already has users, unless forced', async () => {
    const fresh = await freshContext();
    try {
      await fresh.db.transaction((tx) =>
        createUser(
          tx,
          {
            username: 'reviewer1',
            displayName: 'existing',
            role: 'reviewer',
            password: 'x'.repeat(12),
          },
          TEST_EPOCH,
        ),
      );
      await expect(seedDemoData(fresh.ctx, { password: PASSWORD, listings: 3 })).rejects.toThrow(
        /already has users/,
      );
      const result = await seedDemoData(fresh.ctx, {
        password: PASSWORD,
        listings: 3,
        homework: 2,
        force: true,
      });
      expect(result.users).not.toContain('reviewer1');
      expect(result.users).toContain('submitter1');
      const existing = await findUserByUsername(fresh.db, 'reviewer1');
      expect(existing?.display_name).toBe('existing');
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it('seeds 2,000 listings in batches, reusing stored papers', async () => {
    const fresh = await freshContext();
    try {
      const started = performance.now();
      const result = await seedDemoData(fresh.ctx, { password: PASSWORD, listings: 2000 });
      expect(performance.now() - started).toBeLessThan(30_000);
      expect(result.listings).toBe(2000);
      expect(await count(fresh.db, 'SELECT 1 FROM listings')).toBe(2000);
      const revisions = await count(fresh.db, 'SELECT 1 FROM listing_revisions');
      expect(revisions).toBeGreaterThanOrEqual(2000);
      const items = await count(
        fresh.db,
        "SELECT 1 FROM review_items WHERE kind = 'listing_revision'",
      );
      expect(items).toBe(
        await count(fresh.db, 'SELECT 1 FROM listing_revisions WHERE submitted_at IS NOT NULL'),
      );
      const [keys] = await fresh.db.query<{ rows: number; keys: number }>(
        'SELECT count(*)::int AS rows, count(DISTINCT storage_key)::int AS keys FROM credential_files',
      );
      expect(keys?.rows).toBeGreaterThan(1500);
      expect(keys?.keys).toBeLessThan(100);
      const [versions] = await fresh.db.query<{ n: number }>(
        'SELECT count(DISTINCT row_version)::int AS n FROM listing_revisions',
      );
      expect(versions?.n).toBeGreaterThan(1);
    } finally {
      await fresh.close();
    }
  }, 90_000);
});

describe('generateDemoPassword', () => {
  it('is readable and different every time', () => {
    const passwords = new Set(Array.from({ length: 20 }, () => generateDemoPassword()));
    expect(passwords.size).toBe(20);
    for (const password of passwords) {
      expect(password).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
    }
  });
});

describe('review-desk seed', () => {
  it('seeds an empty data directory once and prints the generated password', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'review-desk-seed-cli-'));
    let stdout = '';
    const io: CliIo = {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
      env: {},
      cwd: dataDir,
      now: () => new Date(TEST_EPOCH),
    };
    try {
      const code = await runSeedCommand({ dataDir, listings: '6', homework: 3, json: true }, io);
      expect(code).toBe(0);
      const output = JSON.parse(stdout) as {
        database: string;
        password: string;
        passwordSource: string;
        users: { username: string; displayName: string }[];
        listings: number;
      };
      expect(output).toMatchObject({
        database: 'pglite',
        passwordSource: 'generated',
        listings: 6,
      });
      expect(output.password).toMatch(/^[a-z2-9]{4}-/);
      expect(output.users.find((user) => user.username === 'reviewer1')?.displayName).toBe(
        '审核员 王敏',
      );
      await expect(
        runSeedCommand({ dataDir, json: false, demoPassword: 'another-password' }, io),
      ).rejects.toThrow(CliInputError);
      await expect(runSeedCommand({ dataDir, listings: '-1', json: true }, io)).rejects.toThrow(
        /--listings/,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
