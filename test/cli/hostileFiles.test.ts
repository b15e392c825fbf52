import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrJsonResult } from '../../cli/commands/ocr';
import type { CliIo } from '../../cli/io';
import { runCli } from '../../cli/main';
import { OCR_ERROR_CODES } from '../../shared/ocr/index';
import { hostileFiles, type HostileFile } from '../fixtures/hostileFiles';

/**
 * Issue 14: the hostile corpus through `review-desk ocr` (real pdf.js and tesseract.js). One
 * folder run reads them all: each unreadable file is one clear line with its error code, each
 * readable one is read, and nothing crashes the command (no stack trace, exit code 2 because some
 * files are unreadable).
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
let scratch: string;
let run: { code: number; stdout: string; stderr: string };
/** Each corpus file with the name it has on disk. */
let onDisk: { file: HostileFile; diskName: string }[];

/** A name the file system takes: no separators or NUL; line breaks kept to test the output. */
function diskName(index: number, name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  const safe = name.replace(/[/\\\u0000]/g, '_');
  // File systems take 255 bytes per name: a long name keeps its start and its extension.
  const fitting =
    Buffer.byteLength(safe) <= 200
      ? safe
      : `${Array.from(safe).slice(0, 40).join('')}${/\.[a-z]+$/.exec(safe)?.[0] ?? ''}`;
  return `${String(index).padStart(2, '0')}-${fitting}`;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'review-desk-hostile-'));
  const folder = join(scratch, 'in');
  await mkdir(folder);
  onDisk = hostileFiles().map((file, index) => ({ file, diskName: diskName(index, file.name) }));
  for (const { file, diskName: name } of onDisk) {
    await writeFile(join(folder, name), file.bytes);
  }
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { REVIEW_DESK_CACHE_DIR: join(scratch, 'cache') },
    cwd: projectRoot,
    now: () => new Date('2026-12-07T04:00:00Z'),
  };
  // Each file by name: a folder run would pass over names without a document extension.
  const code = await runCli(
    ['--lang', 'en', 'ocr', ...onDisk.map(({ diskName: name }) => join(folder, name)), '--json'],
    io,
  );
  run = { code, stdout, stderr };
}, 600_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('hostile files through review-desk ocr', () => {
  it('never crashes: exit code 2, no stack trace, every error line names a known code', () => {
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const lines = run.stderr.trimEnd().split('\n');
    for (const line of lines) {
      expect(line).toMatch(/^review-desk: error: .+ \[([A-Z_]+)\]$/);
      // Names with line breaks, escapes or bidi overrides are shown escaped.
      // eslint-disable-next-line no-control-regex -- control characters are what this looks for
      expect(line).not.toMatch(/[\u0000-\u001f\u202a-\u202e]/u);
      const code = /\[([A-Z_]+)\]$/.exec(line)?.[1];
      expect(OCR_ERROR_CODES as readonly string[]).toContain(code);
    }
  });

  it('reports each unreadable file with its own error, on one line', () => {
    const unreadable = onDisk.filter(({ file }) => 'error' in file.ocr);
    expect(unreadable.length).toBeGreaterThanOrEqual(30);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(unreadable.length);
    for (const { file, diskName: name } of unreadable) {
      const expected = 'error' in file.ocr ? file.ocr.error : '';
      const line = lines.find((candidate) => candidate.includes(`/${name.slice(0, 3)}`));
      expect(line, `${file.what}: ${run.stderr}`).toBeDefined();
      expect(line, file.what).toMatch(new RegExp(`\\[${expected}\\]$`));
    }
  });

  it('reads the real documents, whatever actions, attachments or names they carry', () => {
    const parsed = JSON.parse(run.stdout) as OcrJsonResult[];
    const readable = onDisk.filter(({ file }) => 'read' in file.ocr);
    expect(parsed).toHaveLength(readable.length);
    for (const { file, diskName: name } of readable) {
      const result = parsed.find((candidate) => candidate.file.includes(`/${name.slice(0, 3)}`));
      expect(result, file.what).toBeDefined();
    }
  });
});
