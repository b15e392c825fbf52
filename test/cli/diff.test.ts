import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/main';
import type { CliIo } from '../../cli/io';
import { applyCompactPatch, type CompactPatch } from '#shared/diff/compact';
import { applyPatch, deepEqual, type JsonValue, type Operation } from '#shared/diff/patch';
import validFull from '../fixtures/listings/valid-full.json';

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

function expectOneLineError(run: Run, fragment: string | RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^review-desk: error: /);
  expect(lines[0]).toMatch(fragment);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

let scratch: string;
let revised: string;

async function write(name: string, value: unknown): Promise<string> {
  const file = join(scratch, name);
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'review-desk-diff-'));
  const after = structuredClone(validFull);
  after.basic.name = '英国博士申请旗舰包';
  after.packages.items[0]!.price.amount = '30800';
  after.risk.confirmed = false;
  after.requirements.items.pop();
  const sprint = after.packages.items.pop()!;
  after.packages.items.unshift(sprint);
  revised = await write('revised.json', after);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('review-desk diff (listings)', () => {
  it('prints one line per change, in Chinese', async () => {
    const run = await cli(['diff', fixture('valid-full.json'), revised, '--lang', 'zh-CN']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^~ \/basic\/name +项目名称: 英国\[-硕-\]\{\+博\+\}士申请旗舰包$/),
      expect.stringMatching(
        /^→ \/packages\/items\/0 +第 1 个套餐: 冲刺单校申请 \(pkg_sprint\): 从第 3 位移到第 1 位$/,
      ),
      expect.stringMatching(
        /^~ \/packages\/items\/1\/price +第 2 个套餐 › 价格: ¥29,800\.00 → ¥30,800\.00 \(\+1,000\.00, \+3\.36 %\)$/,
      ),
      expect.stringMatching(/^- \/requirements\/items\/3 +第 4 项条件: .* \(req_intern\)$/),
      expect.stringMatching(/^~ \/risk\/confirmed +风险提示确认: true → false$/),
    ]);
  });

  it('prints English labels with --lang en, and foreign prices with their CNY change', async () => {
    const after = structuredClone(validFull);
    after.packages.items[1]!.price.min = '4800';
    const file = await write('gbp.json', after);
    const run = await cli(['diff', fixture('valid-full.json'), file, '--lang', 'en']);
    expect(run.stdout.trimEnd()).toMatch(
      /^~ \/packages\/items\/1\/price {2}Package 2 › Price: GBP 4,500\.00 – GBP 6,800\.50 → GBP 4,800\.00 – GBP 6,800\.50 \(in CNY min \+2,694\.00, \+6\.67 %\)$/,
    );
  });

  it('uses the rates of --today, and says when there are none', async () => {
    const after = structuredClone(validFull);
    after.packages.items[1]!.price.min = '4800';
    const file = await write('gbp-early.json', after);
    const run = await cli([
      'diff',
      fixture('valid-full.json'),
      file,
      '--lang',
      'en',
      '--today',
      '2020-01-01',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/no CNY conversion: /);
  });

  it('prints the JSON Patch with --patch', async () => {
    const run = await cli(['diff', fixture('valid-full.json'), revised, '--patch']);
    expect(run.code).toBe(1);
    const patch = JSON.parse(run.stdout) as Operation[];
    expect(patch).toContainEqual({
      op: 'move',
      from: '/packages/items/2',
      path: '/packages/items/0',
    });
    const after = JSON.parse(await readFile(revised, 'utf8')) as JsonValue;
    expect(deepEqual(applyPatch(validFull as JsonValue, patch), after)).toBe(true);
  });

  it('prints the compact patch with --compact, smaller than the JSON Patch', async () => {
    const compact = await cli(['diff', fixture('valid-full.json'), revised, '--compact']);
    const patch = await cli(['diff', fixture('valid-full.json'), revised, '--patch']);
    expect(compact.code).toBe(1);
    const after = JSON.parse(await readFile(revised, 'utf8')) as JsonValue;
    const tree = JSON.parse(compact.stdout) as CompactPatch;
    expect(deepEqual(applyCompactPatch(validFull as JsonValue, tree), after)).toBe(true);
    expect(JSON.stringify(tree).length).toBeLessThan(
      JSON.stringify(JSON.parse(patch.stdout)).length,
    );
    const both = await cli(['diff', fixture('valid-full.json'), revised, '--compact', '--json']);
    expect(both.code).toBe(2);
  });

  it('prints changes, patch and summary with --json', async () => {
    const run = await cli(['diff', fixture('valid-full.json'), revised, '--json']);
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as {
      changes: { kind: string; pointer: string; label: Record<string, string> }[];
      patch: Operation[];
      summary: { total: number; byKind: Record<string, number> };
    };
    expect(output.changes.map((change) => `${change.kind} ${change.pointer}`)).toEqual([
      'text /basic/name',
      'list-item-moved /packages/items/0',
      'price /packages/items/1/price',
      'list-item-removed /requirements/items/3',
      'value /risk/confirmed',
    ]);
    expect(output.changes[2]?.label).toEqual({
      'zh-CN': '第 2 个套餐 › 价格',
      en: 'Package 2 › Price',
    });
    expect(output.patch.length).toBeGreaterThan(0);
    expect(output.summary.total).toBe(5);
  });

  it('exits 0 for identical files', async () => {
    const copy = await write('copy.json', validFull);
    const human = await cli(['diff', fixture('valid-full.json'), copy, '--lang', 'en']);
    expect(human).toEqual({ code: 0, stdout: '✓ the documents are the same\n', stderr: '' });
    const patch = await cli(['diff', fixture('valid-full.json'), copy, '--patch']);
    expect(patch.code).toBe(0);
    expect(JSON.parse(patch.stdout)).toEqual([]);
    const json = await cli(['diff', copy, copy, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      changes: [],
      patch: [],
      summary: { total: 0, byKind: {}, bySteps: {} },
    });
  });

  it('compares listings as plain JSON with --generic', async () => {
    const run = await cli(['diff', fixture('valid-full.json'), revised, '--generic']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^~ \/basic\/name +"英国硕士申请旗舰包" → "英国博士申请旗舰包"$/m);
    expect(run.stdout).toMatch(/^→ \/packages\/items\/0 +moved from \/packages\/items\/2$/m);
    expect(run.stdout).not.toMatch(/项目名称|Project name/);
  });
});

describe('review-desk diff (any JSON)', () => {
  it('diffs documents that are not listings, leaf by leaf', async () => {
    const a = await write('a.json', { a: 1, b: [1, 2, 3], c: { d: 'x' } });
    const b = await write('b.json', { a: 2, b: [1, 3, 4], c: { d: 'x', e: null } });
    const run = await cli(['diff', a, b]);
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      '~ /a    1 → 2',
      '- /b/1  2',
      '+ /b/2  4',
      '+ /c/e  null',
    ]);
    const json = JSON.parse((await cli(['diff', a, b, '--json'])).stdout) as {
      changes: { kind: string; pointer: string; before?: unknown; after?: unknown }[];
      patch: Operation[];
      summary: { total: number; byKind: Record<string, number> };
    };
    expect(json.changes[0]).toEqual({
      kind: 'replaced',
      path: ['a'],
      pointer: '/a',
      before: 1,
      after: 2,
    });
    expect(json.summary).toEqual({ total: 4, byKind: { replaced: 1, removed: 1, added: 2 } });
    expect(
      deepEqual(applyPatch({ a: 1, b: [1, 2, 3], c: { d: 'x' } }, json.patch), {
        a: 2,
        b: [1, 3, 4],
        c: { d: 'x', e: null },
      }),
    ).toBe(true);
  });

  it('accepts arrays and scalars as documents', async () => {
    const a = await write('array.json', [1, 2]);
    const b = await write('string.json', '"text"');
    const run = await cli(['diff', a, b, '--patch']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([{ op: 'replace', path: '', value: 'text' }]);
    const same = await cli(['diff', a, a]);
    expect(same.code).toBe(0);
  });

  it('can force the listing diff on other documents', async () => {
    const a = await write('pkg-a.json', { packages: { items: [{ id: 'x', name: 'A' }] } });
    const b = await write('pkg-b.json', { packages: { items: [{ id: 'y', name: 'B' }] } });
    const run = await cli(['diff', a, b, '--listing', '--lang', 'en']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^- \/packages\/items\/0 +Package 1: A \(x\)$/m);
    expect(run.stdout).toMatch(/^\+ \/packages\/items\/0 +Package 1: B \(y\)$/m);
  });
});

describe('review-desk diff (bad input)', () => {
  it('refuses malformed JSON in one line', async () => {
    const broken = await write('broken.json', '{"basic": {"name": "英国硕士",}');
    expectOneLineError(
      await cli(['diff', fixture('valid-full.json'), broken]),
      /broken\.json is not valid JSON/,
    );
  });

  it('refuses a missing file, a directory and a huge file', async () => {
    expectOneLineError(await cli(['diff', join(scratch, 'nope.json'), revised]), /no such file/);
    expectOneLineError(await cli(['diff', revised, scratch]), /is not a file/);
    const huge = join(scratch, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, 50 * 1024 * 1024);
    expectOneLineError(await cli(['diff', revised, huge]), /is 50\.0 MB; .* is at most/);
  });

  it('refuses an impossible --today', async () => {
    expectOneLineError(
      await cli(['diff', revised, revised, '--today', '2026-02-30']),
      /--today must look like/,
    );
  });

  it('treats conflicting or missing arguments as bad usage', async () => {
    expect((await cli(['diff', revised, revised, '--patch', '--json'])).code).toBe(2);
    expect((await cli(['diff', revised, revised, '--listing', '--generic'])).code).toBe(2);
    const one = await cli(['diff', revised]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/missing required argument/);
  });

  it('is listed in the help', async () => {
    const run = await cli(['--help']);
    expect(run.stdout).toMatch(/diff/);
  });
});
