import { formatShanghaiDateTime } from '#shared/domain/time';
import type { Locale } from '#shared/i18n/localized';
import {
  hasStudentRecords,
  studentRecordsOfChapter,
  type StudentRecordExportRow,
} from '../../server/src/homework/studentRecordsExport';
import { CliInputError, EXIT, type CliIo } from '../io';
import { displayWidth, padToWidth } from '../table';
import { withReadDatabase } from './readDatabase';

/**
 * `review-desk homework export --chapter N [--json] [--data-dir DIR | --database-url URL]`:
 * prints the archived homework records (the student record, 学员档案) of one chapter, oldest
 * archive first.
 *
 * The database resolves as for `review-desk server` and `review-desk seed` (flags, then
 * `REVIEW_DESK_DATA_DIR` / `REVIEW_DESK_DATABASE_URL` / `DATABASE_URL`, then `~/.review-desk`).
 * The command only reads: it creates no database and runs no migration. Embedded PGlite has one
 * owner at a time, so it refuses while a server runs on the same data directory.
 */
export interface HomeworkExportOptions {
  /** As typed: a positive whole number, leading zeros allowed (`03` is chapter `3`). */
  readonly chapter?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly databaseUrl?: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}

/** One element of the `--json` array; stable for machines. */
export interface HomeworkExportJsonRecord {
  readonly studentId: string;
  readonly studentName: string;
  readonly chapter: string;
  readonly score: number | null;
  readonly excellent: boolean;
  readonly mentorComment: string | null;
  /** Username of the TA who passed the work. */
  readonly ta: string | null;
  /** Username of the mentor who reviewed and archived it. */
  readonly mentor: string | null;
  /** ISO timestamp in UTC. */
  readonly archivedAt: string;
  readonly submissionId: string;
}

const LABELS = {
  'zh-CN': {
    title: (chapter: string) => `第 ${chapter} 章 · 已归档作业`,
    empty: (chapter: string) => `第 ${chapter} 章没有已归档的记录`,
    count: (count: number) => `共 ${count} 条记录`,
    headers: ['学号', '姓名', '分数', '优秀', '助教', '导师', '归档时间', '导师评语'],
    excellent: '优秀',
  },
  en: {
    title: (chapter: string) => `Chapter ${chapter} · archived homework`,
    empty: (chapter: string) => `no archived records for chapter ${chapter}`,
    count: (count: number) => `${count} ${count === 1 ? 'record' : 'records'}`,
    headers: [
      'Student ID',
      'Name',
      'Score',
      'Excellent',
      'TA',
      'Mentor',
      'Archived (Shanghai)',
      'Mentor comment',
    ],
    excellent: 'yes',
  },
} as const;

/**
 * The chapter as stored (`'3'`): a positive whole number in plain decimal, so `03` and ` 3 `
 * name chapter 3. Throws CliInputError for anything else.
 */
export function parseChapter(value: string | undefined): string {
  if (value === undefined) {
    throw new CliInputError('--chapter is required, e.g. --chapter 3');
  }
  const text = value.trim();
  if (!/^\d+$/.test(text)) {
    throw new CliInputError(
      `--chapter must be a whole number from 1 up, got ${JSON.stringify(value)}`,
    );
  }
  const plain = text.replace(/^0+/, '');
  if (plain === '') {
    throw new CliInputError(`--chapter must be 1 or more, got ${JSON.stringify(value)}`);
  }
  return plain;
}

/** Runs the command; returns the exit code. Throws CliInputError for unusable input. */
export async function runHomeworkExportCommand(
  options: HomeworkExportOptions,
  io: CliIo,
): Promise<number> {
  const chapter = parseChapter(options.chapter);
  return withReadDatabase(options, io, async (db, location) => {
    if (!(await hasStudentRecords(db))) {
      throw new CliInputError(
        `${location} has no student records yet (start \`review-desk server\` once to migrate it)`,
      );
    }
    const records = (await studentRecordsOfChapter(db, chapter)).map(toJsonRecord);
    io.stdout(
      options.json
        ? `${JSON.stringify(records, null, 2)}\n`
        : formatHuman(chapter, records, options.locale),
    );
    return EXIT.ok;
  });
}

function toJsonRecord(row: StudentRecordExportRow): HomeworkExportJsonRecord {
  return {
    studentId: row.student_id,
    studentName: row.student_name,
    chapter: row.chapter,
    score: row.score,
    excellent: row.excellent,
    mentorComment: row.mentor_comment,
    ta: row.ta_username,
    mentor: row.mentor_username,
    archivedAt: row.archived_at,
    submissionId: row.submission_id,
  };
}

function formatHuman(
  chapter: string,
  records: readonly HomeworkExportJsonRecord[],
  locale: Locale,
): string {
  const labels = LABELS[locale];
  if (records.length === 0) {
    return `${labels.empty(chapter)}\n`;
  }
  const rows = records.map((record) => [
    record.studentId,
    record.studentName,
    record.score === null ? '—' : String(record.score),
    record.excellent ? labels.excellent : '',
    record.ta ?? '—',
    record.mentor ?? '—',
    formatShanghaiDateTime(Date.parse(record.archivedAt)),
    // One line per record: a comment's line breaks become spaces.
    (record.mentorComment ?? '').replace(/\s+/g, ' ').trim(),
  ]);
  const table = [[...labels.headers], ...rows];
  const widths = labels.headers.map((_, column) =>
    Math.max(...table.map((cells) => displayWidth(cells[column] ?? ''))),
  );
  const lines = table.map((cells) =>
    cells
      // The last column (the comment) is not padded: no trailing spaces.
      .map((cell, column) =>
        column === cells.length - 1 ? cell : padToWidth(cell, widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
  return `${labels.title(chapter)}\n\n${lines.join('\n')}\n\n${labels.count(records.length)}\n`;
}
