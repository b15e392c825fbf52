import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a command and returns its exit code and output, whether it succeeded or not. */
async function exec(command: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(command, args, {
      cwd: projectRoot,
      env: { ...process.env, LANG: 'C' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the installed command', () => {
  it('works through npx, as the README shows', async () => {
    const result = await exec('npx', [
      '--no-install',
      'review-desk',
      'uscc',
      '91110000600037341L',
      '91110000600037341N',
      '--json',
    ]);
    const parsed = JSON.parse(result.stdout) as { valid: boolean; reason: string | null }[];
    expect(parsed.map((entry) => [entry.valid, entry.reason])).toEqual([
      [true, null],
      [false, 'checksum'],
    ]);
    expect(result.code).toBe(1);
  }, 60_000);

  it('reports bad input without a stack trace when run as a process', async () => {
    const result = await exec('node', ['bin/review-desk.js', 'validate', 'tsconfig.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
