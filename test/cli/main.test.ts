import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main';
import type { CliIo } from '../../cli/io';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => join(projectRoot, 'test', 'fixtures', 'listings', name);

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

describe('review-desk uscc', () => {
  it('reports the first code valid and the second invalid by checksum (--json)', async () => {
    const run = await cli(['uscc', '91110000600037341L', '91110000600037341N', '--json']);
    expect(JSON.parse(run.stdout)).toEqual([
      { input: '91110000600037341L', valid: true, normalized: '91110000600037341L', reason: null },
      {
        input: '91110000600037341N',
        valid: false,
        normalized: '91110000600037341N',
        reason: 'checksum',
      },
    ]);
    expect(run.code).toBe(1);
  });

  it('exits 0 when every code is valid and normalises spaces and lower case', async () => {
    const run = await cli(['uscc', '9111 0000 6000 3734 1l', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        input: '9111 0000 6000 3734 1l',
        valid: true,
        normalized: '91110000600037341L',
        reason: null,
      },
    ]);
  });

  it('names length and charset problems', async () => {
    const run = await cli(['uscc', '9111000060003734', '91110000600O37341L', '--json']);
    const results = JSON.parse(run.stdout) as { reason: string }[];
    expect(results.map((result) => result.reason)).toEqual(['length', 'charset']);
  });

  it('prints one human line per code, in English', async () => {
    const run = await cli(['uscc', '91110000600037341L', '91110000600037341N', '--lang', 'en']);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^✓ 91110000600037341L\s+valid$/);
    expect(lines[1]).toMatch(/^✗ 91110000600037341N\s+invalid: checksum/);
    expect(lines[1]).toContain('L');
  });

  it('speaks Chinese to a Chinese terminal', async () => {
    const run = await cli(['uscc', '91110000600037341N'], { LANG: 'zh_CN.UTF-8' });
    expect(run.stdout).toContain('无效');
  });

  it('prints its usage when given no codes', async () => {
    const run = await cli(['uscc']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: review-desk uscc');
    expect(run.stdout).toBe('');
  });
});

describe('review-desk validate', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'review-desk-cli-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('passes a complete listing', async () => {
    const run = await cli(['validate', fixture('valid-full.json'), '--lang', 'en']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/no issues found/);
    expect(run.code).toBe(0);
  });

  it('lists the issues of an incomplete draft, anchored to fields, and exits 1', async () => {
    const run = await cli(['validate', fixture('minimal-draft.json'), '--json']);
    expect(run.code).toBe(1);
    const [result] = JSON.parse(run.stdout) as {
      valid: boolean;
      errors: number;
      issues: {
        pointer: string;
        code: string;
        severity: string;
        message: Record<string, string>;
      }[];
    }[];
    expect(result?.valid).toBe(false);
    expect(result?.errors).toBeGreaterThan(0);
    for (const issue of result?.issues ?? []) {
      expect(issue.pointer).toMatch(/^(\/[^/]+)*$/);
      expect(issue.message['zh-CN']).not.toBe('');
      expect(issue.message['en']).not.toBe('');
    }
    expect(result?.issues.some((issue) => issue.code === 'required')).toBe(true);
  });

  it('prints human output with the field pointer and the message', async () => {
    const run = await cli(['validate', fixture('minimal-draft.json'), '--lang', 'en']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ .*minimal-draft\.json: \d+ errors?/);
    expect(run.stdout).toMatch(/\[error: required\]/);
  });

  it('refuses malformed JSON in one line', async () => {
    const file = join(scratch, 'broken.json');
    await writeFile(file, '{"basic": {"name": "英国硕士",}');
    expectOneLineError(await cli(['validate', file]), /is not valid JSON/);
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a number', '42'],
    ['null', 'null'],
    ['a string', '"listing"'],
  ])('refuses a document that is %s', async (kind, text) => {
    const file = join(scratch, `not-object-${kind.replace(/\W/g, '')}.json`);
    await writeFile(file, text);
    expectOneLineError(await cli(['validate', file]), new RegExp(`holds ${kind}`));
  });

  it('refuses a 50 MB file without reading it', async () => {
    const file = join(scratch, 'huge.json');
    await writeFile(file, '');
    await truncate(file, 50 * 1024 * 1024);
    expectOneLineError(await cli(['validate', file]), /is 50\.0 MB; a listing document is at most/);
  });

  it('refuses an empty file', async () => {
    const file = join(scratch, 'empty.json');
    await writeFile(file, '');
    expectOneLineError(await cli(['validate', file]), /is not valid JSON/);
  });

  it('refuses a missing file and a directory', async () => {
    expectOneLineError(await cli(['validate', join(scratch, 'nope.json')]), /no such file/);
    expectOneLineError(await cli(['validate', scratch]), /is not a file/);
  });

  it('accepts a UTF-8 byte-order mark', async () => {
    const file = join(scratch, 'bom.json');
    await writeFile(file, `\uFEFF${JSON.stringify({ schemaVersion: 1 })}`);
    const run = await cli(['validate', file, '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
  });

  it('refuses an impossible --today', async () => {
    expectOneLineError(
      await cli(['validate', fixture('valid-full.json'), '--today', '2026-02-30']),
      /--today must look like/,
    );
  });

  it('checks credential validity against --today', async () => {
    const run = await cli([
      'validate',
      fixture('valid-full.json'),
      '--today',
      '2040-01-01',
      '--json',
    ]);
    const [result] = JSON.parse(run.stdout) as { issues: { code: string }[] }[];
    expect(result?.issues.map((issue) => issue.code)).toContain('credential_expired');
    expect(run.code).toBe(1);
  });
});

describe('review-desk', () => {
  it('rejects an unknown command as bad usage', async () => {
    const run = await cli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command/);
  });

  it('prints help with exit code 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/uscc/);
    expect(run.stdout).toMatch(/validate/);
  });
});
