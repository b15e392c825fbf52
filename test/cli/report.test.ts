import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRange, type KpiReport } from '#shared/ops/kpis';
import type { CliIo } from '../../cli/io';
import { runCli } from '../../cli/main';
import { createUser } from '../../server/src/auth/users';
import { openPglite } from '../../server/src/db/database';
import { migrate } from '../../server/src/db/migrate';
import { computeKpiReport } from '../../server/src/ops/kpis';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
/** 2026-11-21 12:00 in Shanghai. */
const NOW = new Date('2026-11-21T04:00:00Z');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function cli(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    cwd: projectRoot,
    now: () => NOW,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

function expectOneLineError(run: Run, fragment: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^review-desk: error: /);
  expect(lines[0]).toMatch(fragment);
}

let scratch: string;
let dataDir: string;
let expected: KpiReport;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'review-desk-report-'));
  dataDir = join(scratch, 'data');
  const db = await openPglite(join(dataDir, 'pgdata'));
  try {
    await migrate(db);
    const created = '2026-11-01T00:00:00Z';
    const institution = randomUUID();
    await db.query(
      `INSERT INTO institutions (id, name, kind, created_at) VALUES ($1, '测试机构', 'institution', $2)`,
      [institution, created],
    );
    const password = 'correct horse battery staple';
    const owner = await createUser(
      db,
      {
        username: 'sub.one',
        displayName: '提交者',
        role: 'submitter',
        password,
        institutionId: institution,
      },
      Date.parse(created),
    );
    const reviewer = await createUser(
      db,
      { username: 'rev.one', displayName: '审核员', role: 'reviewer', password },
      Date.parse(created),
    );
    // Three listings created 11-02 (Shanghai): two submitted two days later, one approved and
    // one rejected; the third a draft. By hand: 2/3 submitted, 1/2 first-pass approvals,
    // 2 days' preparation, the rejection unanswered.
    for (const [index, outcome] of (['approve', 'reject', null] as const).entries()) {
      const listing = randomUUID();
      await db.query(
        `INSERT INTO listings (id, institution_id, owner_id, state, name, created_at, updated_at)
         VALUES ($1, $2, $3, 'draft', $4, '2026-11-02T10:00:00+08:00', '2026-11-02T10:00:00+08:00')`,
        [listing, institution, owner, `L${index}`],
      );
      if (outcome === null) {
        continue;
      }
      const item = randomUUID();
      await db.query(
        `INSERT INTO review_items (id, kind, subject_id, state, created_at, updated_at)
         VALUES ($1, 'listing_revision', $2, 'decided', '2026-11-04T10:00:00+08:00', '2026-11-04T10:00:00+08:00')`,
        [item, listing],
      );
      await db.query(
        `INSERT INTO decisions (id, item_id, kind, outcome, is_final, reviewer_id, decided_at)
         VALUES ($1, $2, 'listing_revision', $3, true, $4, '2026-11-05T10:00:00+08:00')`,
        [randomUUID(), item, outcome, reviewer],
      );
    }
    expected = await computeKpiReport(db, reportRange('2026-11-01', '2026-11-20', NOW.getTime()));
  } finally {
    await db.close();
  }
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('review-desk report kpis', () => {
  it('prints the same figures as the server computes, as JSON', async () => {
    const run = await cli([
      'report',
      'kpis',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-20',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as KpiReport;
    expect(printed).toEqual(expected);
    const values = Object.fromEntries(printed.kpis.map((kpi) => [kpi.id, kpi.value]));
    expect(values).toEqual({
      draft_to_submit: 2 / 3,
      first_pass_approval: 1 / 2,
      preparation_days: 2,
      rejection_response_hours: null,
    });
    expect(printed.kpis.find((kpi) => kpi.id === 'rejection_response_hours')?.unanswered).toBe(1);
  });

  it('prints a table for people in zh-CN and en', async () => {
    const args = [
      'report',
      'kpis',
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-20',
      '--data-dir',
      dataDir,
    ];
    const zh = await cli(args, { LANG: 'zh_CN.UTF-8' });
    expect(zh.code).toBe(0);
    expect(zh.stdout).toMatch(/上架 KPI · 2026-11-01 至 2026-11-20/);
    expect(zh.stdout).toMatch(/草稿→提交转化率\s+66\.7 %\s+≥ 70\.0 %\s+否\s+3/);
    const en = await cli(args, { LANG: 'en_US.UTF-8' });
    expect(en.stdout).toMatch(/Preparation time\s+2\.00 days\s+≤ 3\.00 days\s+yes\s+2/);
    expect(en.stdout).toMatch(/Rejection response time\s+— \(1 rejections not answered\)/);
  });

  it('refuses a range upside down, in the future, malformed or missing, and a missing database', async () => {
    const base = ['report', 'kpis', '--data-dir', dataDir];
    expectOneLineError(
      await cli([...base, '--from', '2026-11-20', '--to', '2026-11-01']),
      /upside down/,
    );
    expectOneLineError(
      await cli([...base, '--from', '2026-11-01', '--to', '2026-11-22']),
      /in the future.*2026-11-21/,
    );
    expectOneLineError(
      await cli([...base, '--from', '2026-11-31', '--to', '2026-12-01']),
      /--from/,
    );
    expectOneLineError(await cli([...base, '--to', '2026-11-01']), /--from is required/);
    expectOneLineError(
      await cli([
        'report',
        'kpis',
        '--from',
        '2026-11-01',
        '--to',
        '2026-11-02',
        '--data-dir',
        join(scratch, 'none'),
      ]),
      /no ReviewDesk database/,
    );
  });
});
