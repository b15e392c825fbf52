import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import type { HomeworkExportJsonRecord } from '../../cli/commands/homework';
import { createUser } from '../../server/src/auth/users';
import { openPglite, type Queryable } from '../../server/src/db/database';
import { migrate } from '../../server/src/db/migrate';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

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
    now: () => new Date('2026-11-21T04:00:00Z'),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** A bad-input failure is exactly one line on stderr, with no stack trace. */
function expectOneLineError(run: Run, fragment: string | RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^review-desk: error: /);
  expect(lines[0]).toMatch(fragment);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

/** Terminal columns, CJK counting two: what the table must line up by. */
function columns(text: string): number {
  let width = 0;
  for (const char of text) {
    width += /\p{Script=Han}/u.test(char) ? 2 : 1;
  }
  return width;
}

interface Archived {
  readonly studentId: string;
  readonly studentName: string;
  readonly chapter: string;
  readonly score: number | null;
  readonly excellent: boolean;
  readonly mentorComment: string | null;
  readonly taId: string | null;
  readonly mentorId: string;
  readonly archivedAt: string;
}

/** A submission archived by a mentor and its student record row, as the archive step writes them. */
async function archive(db: Queryable, record: Archived): Promise<string> {
  const submissionId = randomUUID();
  await db.query(
    `INSERT INTO homework_submissions (id, student_id, student_name, chapter, article_url, state,
                                       score, ta_id, mentor_id, excellent, mentor_comment,
                                       submitted_at, ta_due_at, archived_at, updated_at)
     VALUES ($1, $2, $3, $4, 'https://mp.weixin.qq.com/s/Ab3dEf', 'archived', $5, $6, $7, $8, $9,
             '2026-11-10T02:00:00Z', '2026-11-10T10:00:00Z', $10, $10)`,
    [
      submissionId,
      record.studentId,
      record.studentName,
      record.chapter,
      record.score,
      record.taId,
      record.mentorId,
      record.excellent,
      record.mentorComment,
      record.archivedAt,
    ],
  );
  await db.query(
    `INSERT INTO student_records (id, submission_id, student_id, student_name, chapter, score,
                                  excellent, mentor_comment, ta_id, mentor_id, archived_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      randomUUID(),
      submissionId,
      record.studentId,
      record.studentName,
      record.chapter,
      record.score,
      record.excellent,
      record.mentorComment,
      record.taId,
      record.mentorId,
      record.archivedAt,
    ],
  );
  return submissionId;
}

let scratch: string;
let dataDir: string;
/** Submission ids by student ID, of the chapter 3 records. */
const submissions = new Map<string, string>();

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'review-desk-homework-'));
  dataDir = join(scratch, 'data');
  // A data directory as `review-desk server` leaves it: migrated PGlite in <data dir>/pgdata.
  const db = await openPglite(join(dataDir, 'pgdata'));
  try {
    await migrate(db);
    const now = Date.parse('2026-11-01T00:00:00Z');
    const password = 'correct horse battery staple';
    const ta = await createUser(
      db,
      { username: 'ta.wang', displayName: '王助教', role: 'ta', password },
      now,
    );
    const mentor = await createUser(
      db,
      { username: 'mentor.li', displayName: '李导师', role: 'mentor', password },
      now,
    );
    const mentor2 = await createUser(
      db,
      { username: 'mentor.zhao', displayName: '赵导师', role: 'mentor', password },
      now,
    );
    // Inserted out of order: the export sorts by archive time, then student ID.
    submissions.set(
      'S2026003',
      await archive(db, {
        studentId: 'S2026003',
        studentName: '韩梅梅',
        chapter: '3',
        score: 92,
        excellent: true,
        mentorComment: '结构清晰，\n提示词迭代写得很好。',
        taId: ta,
        mentorId: mentor,
        archivedAt: '2026-11-20T08:00:00.000Z',
      }),
    );
    submissions.set(
      'S2026002',
      await archive(db, {
        studentId: 'S2026002',
        studentName: 'Alice Chen',
        chapter: '3',
        score: null,
        excellent: false,
        mentorComment: null,
        taId: null,
        mentorId: mentor2,
        archivedAt: '2026-11-18T01:30:00.000Z',
      }),
    );
    submissions.set(
      'S2026001',
      await archive(db, {
        studentId: 'S2026001',
        studentName: '李雷',
        chapter: '3',
        score: 78,
        excellent: false,
        mentorComment: '反思可以再具体一些。',
        taId: ta,
        mentorId: mentor,
        archivedAt: '2026-11-20T08:00:00.000Z',
      }),
    );
    // Other chapters, which an export of chapter 3 leaves out.
    await archive(db, {
      studentId: 'S2026004',
      studentName: '张伟',
      chapter: '4',
      score: 88,
      excellent: false,
      mentorComment: '第四章',
      taId: ta,
      mentorId: mentor,
      archivedAt: '2026-11-19T00:00:00.000Z',
    });
    await archive(db, {
      studentId: 'S2026005',
      studentName: '刘洋',
      chapter: '30',
      score: 60,
      excellent: false,
      mentorComment: null,
      taId: ta,
      mentorId: mentor,
      archivedAt: '2026-11-19T00:00:00.000Z',
    });
  } finally {
    await db.close();
  }
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('review-desk homework export --json', () => {
  it("prints the chapter's records oldest archive first, then by student ID, with usernames", async () => {
    const run = await cli([
      'homework',
      'export',
      '--chapter',
      '3',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const records = JSON.parse(run.stdout) as HomeworkExportJsonRecord[];
    expect(records).toEqual([
      {
        studentId: 'S2026002',
        studentName: 'Alice Chen',
        chapter: '3',
        score: null,
        excellent: false,
        mentorComment: null,
        ta: null,
        mentor: 'mentor.zhao',
        archivedAt: '2026-11-18T01:30:00.000Z',
        submissionId: submissions.get('S2026002'),
      },
      {
        studentId: 'S2026001',
        studentName: '李雷',
        chapter: '3',
        score: 78,
        excellent: false,
        mentorComment: '反思可以再具体一些。',
        ta: 'ta.wang',
        mentor: 'mentor.li',
        archivedAt: '2026-11-20T08:00:00.000Z',
        submissionId: submissions.get('S2026001'),
      },
      {
        studentId: 'S2026003',
        studentName: '韩梅梅',
        chapter: '3',
        score: 92,
        excellent: true,
        mentorComment: '结构清晰，\n提示词迭代写得很好。',
        ta: 'ta.wang',
        mentor: 'mentor.li',
        archivedAt: '2026-11-20T08:00:00.000Z',
        submissionId: submissions.get('S2026003'),
      },
    ]);
    // Exactly these keys, camelCase, nothing internal (row ids, user ids).
    expect(Object.keys(records[0] ?? {}).sort()).toEqual(
      [
        'archivedAt',
        'chapter',
        'excellent',
        'mentor',
        'mentorComment',
        'score',
        'studentId',
        'studentName',
        'submissionId',
        'ta',
      ].sort(),
    );
  });

  it('reads another chapter on its own and matches the chapter exactly (3 is not 30)', async () => {
    const four = await cli([
      'homework',
      'export',
      '--chapter',
      '4',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(four.code).toBe(0);
    const records = JSON.parse(four.stdout) as HomeworkExportJsonRecord[];
    expect(records.map((record) => [record.studentId, record.chapter, record.score])).toEqual([
      ['S2026004', '4', 88],
    ]);
    const three = await cli([
      'homework',
      'export',
      '--chapter',
      '3',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    const studentIds = (JSON.parse(three.stdout) as HomeworkExportJsonRecord[]).map(
      (record) => record.studentId,
    );
    expect(studentIds).not.toContain('S2026004');
    expect(studentIds).not.toContain('S2026005');
  });

  it('takes leading zeros and spaces as the same chapter', async () => {
    const plain = await cli([
      'homework',
      'export',
      '--chapter',
      '3',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    const padded = await cli([
      'homework',
      'export',
      '--chapter',
      ' 03 ',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(padded.code).toBe(0);
    expect((JSON.parse(padded.stdout) as unknown[]).length).toBe(3);
    expect(padded.stdout).toBe(plain.stdout);
  });

  it('prints an empty array for a chapter with no archived records, and exits 0', async () => {
    const run = await cli([
      'homework',
      'export',
      '--chapter',
      '7',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([]);
  });

  it('finds the data directory through REVIEW_DESK_DATA_DIR too', async () => {
    const run = await cli(['homework', 'export', '--chapter', '4', '--json'], {
      REVIEW_DESK_DATA_DIR: dataDir,
    });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as HomeworkExportJsonRecord[])[0]?.studentName).toBe('张伟');
  });

  it('releases the data directory when done', async () => {
    await cli(['homework', 'export', '--chapter', '3', '--data-dir', dataDir, '--json']);
    expect(existsSync(join(dataDir, 'server.lock'))).toBe(false);
  });
});

describe('review-desk homework export (table)', () => {
  it('prints an aligned table with the names, usernames and a count line', async () => {
    const run = await cli([
      'homework',
      'export',
      '--chapter',
      '3',
      '--data-dir',
      dataDir,
      '--lang',
      'en',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Chapter 3 · archived homework');
    expect(lines.at(-1)).toBe('3 records');
    const header = lines.find((line) => line.startsWith('Student ID'));
    expect(header).toBeDefined();
    const rows = lines.filter((line) => /^S2026\d{3}/.test(line));
    expect(rows.map((row) => row.slice(0, 8))).toEqual(['S2026002', 'S2026001', 'S2026003']);
    expect(rows[0]).toContain('Alice Chen');
    expect(rows[1]).toContain('李雷');
    expect(rows[2]).toContain('韩梅梅');
    expect(rows[1]).toContain('ta.wang');
    expect(rows[1]).toContain('mentor.li');
    expect(rows[0]).toContain('mentor.zhao');
    // Archive time in Shanghai: 08:00Z is 16:00 there.
    expect(rows[2]).toContain('2026-11-20 16:00');
    // A comment stays on its record's line.
    expect(rows[2]).toMatch(/结构清晰， 提示词迭代写得很好。$/);
    expect(rows[2]).toMatch(/\byes\b/);
    // Columns line up on the terminal although the names mix CJK and Latin.
    const mentorColumn = (line: string, mentor: string) =>
      columns(line.slice(0, line.indexOf(mentor)));
    expect(mentorColumn(rows[0] ?? '', 'mentor.zhao')).toBe(mentorColumn(header ?? '', 'Mentor'));
    expect(mentorColumn(rows[1] ?? '', 'mentor.li')).toBe(mentorColumn(header ?? '', 'Mentor'));
    expect(mentorColumn(rows[2] ?? '', 'mentor.li')).toBe(mentorColumn(header ?? '', 'Mentor'));
    expect(run.stdout).not.toContain('张伟');
  });

  it('speaks Chinese to a Chinese terminal', async () => {
    const run = await cli(['homework', 'export', '--chapter', '3', '--data-dir', dataDir], {
      LANG: 'zh_CN.UTF-8',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('学号');
    expect(run.stdout).toContain('共 3 条记录');
  });

  it('says so when the chapter has no archived records, and exits 0', async () => {
    const run = await cli([
      'homework',
      'export',
      '--chapter',
      '7',
      '--data-dir',
      dataDir,
      '--lang',
      'en',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('no archived records for chapter 7\n');
  });
});

describe('review-desk homework export: bad input', () => {
  it('requires --chapter', async () => {
    expectOneLineError(
      await cli(['homework', 'export', '--data-dir', dataDir]),
      /--chapter is required/,
    );
  });

  it.each([
    ['', /--chapter must be a whole number/],
    ['abc', /--chapter must be a whole number.*"abc"/],
    ['3a', /--chapter must be a whole number.*"3a"/],
    ['1.5', /--chapter must be a whole number.*"1\.5"/],
    ['-2', /--chapter must be a whole number.*"-2"/],
    ['0', /--chapter must be 1 or more, got "0"/],
    ['000', /--chapter must be 1 or more/],
  ])('refuses --chapter %j', async (chapter, message) => {
    expectOneLineError(
      await cli(['homework', 'export', '--chapter', chapter, '--data-dir', dataDir, '--json']),
      message,
    );
  });

  it('refuses a --chapter without a value (Commander usage error, exit 2)', async () => {
    const run = await cli(['homework', 'export', '--chapter']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/--chapter <n>' argument missing/);
  });

  it('refuses a data directory without a database, and creates none', async () => {
    const empty = join(scratch, 'empty');
    expectOneLineError(
      await cli(['homework', 'export', '--chapter', '3', '--data-dir', empty]),
      /no ReviewDesk database in .*empty/,
    );
    expect(existsSync(empty)).toBe(false);
  });

  it('refuses a database URL that is not PostgreSQL', async () => {
    expectOneLineError(
      await cli(['homework', 'export', '--chapter', '3', '--database-url', 'mysql://localhost/x']),
      /postgres:\/\//,
    );
  });

  it('refuses while a server holds the data directory', async () => {
    const lock = join(dataDir, 'server.lock');
    await writeFile(lock, String(process.pid));
    try {
      expectOneLineError(
        await cli(['homework', 'export', '--chapter', '3', '--data-dir', dataDir]),
        new RegExp(`another review server \\(pid ${process.pid}\\)`),
      );
    } finally {
      await rm(lock, { force: true });
    }
  });
});

describe('review-desk homework --help', () => {
  it('is listed in the top-level help, and documents its options', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/homework/);
    const help = await cli(['homework', 'export', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: review-desk homework export [options]');
    for (const option of ['--chapter <n>', '--json', '--data-dir <dir>', '--database-url <url>']) {
      expect(help.stdout).toContain(option);
    }
  });
});
