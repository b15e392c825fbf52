import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OcrJsonResult } from '../../cli/commands/ocr';
import type { CliIo } from '../../cli/io';
import { runCli } from '../../cli/main';
import { characterErrorRate, editDistance, normalizeOcrText } from '../../shared/ocr/index';
import type { OcrGroundTruth } from '../../scripts/generateOcrFixtures';

/*
 * The OCR command with real tesseract.js on the committed fixtures (scripts/generateOcrFixtures.ts).
 * Every fixture is read once, by one folder run, and the assertions share that run's output; the
 * other runs read single files from the same result cache or fail before any OCR.
 */

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtureDir = 'test/fixtures/ocr';
const truth = JSON.parse(
  readFileSync(join(projectRoot, fixtureDir, 'ground-truth.json'), 'utf8'),
) as OcrGroundTruth;
const TODAY = '2026-11-22';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let scratch: string;
let cacheDir: string;

async function cli(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { REVIEW_DESK_CACHE_DIR: cacheDir, ...env },
    cwd: projectRoot,
    now: () => new Date(`${TODAY}T04:00:00Z`),
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const compact = (value: string | null) =>
  value === null ? '长期' : normalizeOcrText(value).replace(/\s+/g, '');

let folderRun: Run;
let results: Map<string, OcrJsonResult>;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'review-desk-ocr-test-'));
  cacheDir = join(scratch, 'cache');
  folderRun = await cli(['ocr', fixtureDir, '--json', '--today', TODAY]);
  const parsed = JSON.parse(folderRun.stdout) as OcrJsonResult[];
  results = new Map(parsed.map((result) => [result.file.replace(`${fixtureDir}/`, ''), result]));
}, 600_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('review-desk ocr on the fixtures (real tesseract.js)', () => {
  it('reads every fixture of the folder, with accuracy ≥ 98 % clean and ≥ 90 % scan-like', () => {
    expect([...results.keys()].sort()).toEqual(truth.files.map((file) => file.file).sort());
    const score = { clean: { right: 0, total: 0 }, scan: { right: 0, total: 0 } };
    const cer = { clean: [] as number[], scan: [] as number[] };
    const fieldErrors = { clean: { edits: 0, characters: 0 }, scan: { edits: 0, characters: 0 } };
    const misses: string[] = [];
    for (const fixture of truth.files) {
      const result = results.get(fixture.file);
      expect(result?.kind, fixture.file).toBe(fixture.kind);
      for (const [name, expected] of Object.entries(fixture.fields)) {
        const read = result?.fields[name]?.value;
        const right = read !== undefined && compact(read) === compact(expected);
        score[fixture.variant].total += 1;
        score[fixture.variant].right += right ? 1 : 0;
        fieldErrors[fixture.variant].edits += editDistance(
          compact(expected),
          read === undefined ? '' : compact(read),
        );
        fieldErrors[fixture.variant].characters += Array.from(compact(expected)).length;
        if (!right) {
          misses.push(
            `${fixture.file} ${name}: ${JSON.stringify(read)} ≠ ${JSON.stringify(expected)}`,
          );
        }
      }
      cer[fixture.variant].push(characterErrorRate(fixture.text, result?.text ?? ''));
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const report = (variant: 'clean' | 'scan') =>
      `${variant.padEnd(5)}  fields ${score[variant].right}/${score[variant].total} = ` +
      `${((100 * score[variant].right) / score[variant].total).toFixed(1)} %  ` +
      `field CER ${(fieldErrors[variant].edits / fieldErrors[variant].characters).toFixed(4)}  ` +
      `page CER ${mean(cer[variant]).toFixed(3)} (${cer[variant].length} files)`;
    console.warn(
      [
        'OCR accuracy on test/fixtures/ocr (page CER includes seals, QR codes and reading order):',
        report('clean'),
        report('scan'),
        ...misses.map((miss) => `  miss: ${miss}`),
      ].join('\n'),
    );
    expect(score.clean.right / score.clean.total).toBeGreaterThanOrEqual(0.98);
    expect(score.scan.right / score.scan.total).toBeGreaterThanOrEqual(0.9);
  });

  it('prints exactly {file, kind, fields: {NAME: {value, confidence, page, box}}, checks, text}', () => {
    for (const result of results.values()) {
      expect(Object.keys(result).sort()).toEqual(['checks', 'fields', 'file', 'kind', 'text']);
      for (const field of Object.values(result.fields)) {
        expect(Object.keys(field).sort()).toEqual(['box', 'confidence', 'page', 'value']);
        expect(Object.keys(field.box).sort()).toEqual(['height', 'width', 'x', 'y']);
        expect(field.confidence).toBeGreaterThanOrEqual(0);
        expect(field.confidence).toBeLessThanOrEqual(1);
        expect(field.page).toBe(1);
      }
      expect(result.text.length).toBeGreaterThan(50);
    }
    const boya = results.get('licence-boya.png');
    expect(boya?.checks.map((check) => check.code)).toContain('LICENCE_EXPIRED');
    expect(boya?.checks.find((check) => check.code === 'LICENCE_EXPIRED')).toMatchObject({
      severity: 'error',
      field: 'validUntil',
      suggestedComment: { reasonCode: 'credential_problem' },
    });
    expect(results.get('licence-jiangcheng.png')?.checks.map((check) => check.code)).toContain(
      'CREDIT_CODE_INVALID',
    );
  });

  it('turns sideways and upside-down scans (orientation search)', () => {
    expect(results.get('certificate-zhang-scan.jpg')?.fields['validUntil']?.value).toBe(
      '2028-06-30',
    );
    expect(results.get('licence-boya-scan.jpg')?.fields['creditCode']?.value).toBe(
      truth.files.find((file) => file.file === 'licence-boya.png')?.fields['creditCode'],
    );
  });

  it('exits 1 for failed checks and shows plain progress lines for a folder off a terminal', () => {
    expect(folderRun.code).toBe(1);
    const lines = folderRun.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(truth.files.length);
    for (const line of lines) {
      expect(line).toMatch(new RegExp(`^\\[\\d+/${truth.files.length}\\] \\S+: `));
    }
  });

  it('prints fields, confidences and checks for people, from the cache', async () => {
    const started = performance.now();
    const run = await cli([
      '--lang',
      'en',
      'ocr',
      `${fixtureDir}/licence-boya.png`,
      '--today',
      TODAY,
    ]);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      /^✗ test\/fixtures\/ocr\/licence-boya\.png: business licence \(cached\)/,
    );
    expect(run.stdout).toMatch(/ {4}name +北京博雅睿思教育咨询有限公司 +\d+% +p\.1/);
    expect(run.stdout).toMatch(/valid until +2025-06-30/);
    expect(run.stdout).toMatch(
      /✗ the business licence expired on 2025-06-30.*\[error: LICENCE_EXPIRED\]/,
    );
    const zh = await cli(['--lang', 'zh-CN', 'ocr', `${fixtureDir}/certificate-lin.png`]);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toMatch(/持证人 +林晓雯/);
    expect(zh.stdout).toMatch(/有效期至 +长期/);
  });

  it('checks the credentials against a listing (--listing)', async () => {
    const haina = truth.files.find((file) => file.file === 'licence-haina.png');
    const listing = join(scratch, 'listing.json');
    await writeFile(
      listing,
      JSON.stringify({
        schemaVersion: 1,
        provider: { kind: 'institution', id: 'p1', name: '上海海纳百川留学咨询有限公司' },
        process: { timeline: [{ id: 't1', duration: { value: 24, unit: 'month' } }] },
        credentials: {
          files: [{ id: 'c1', kind: 'business_licence', sha256: haina?.sha256, validUntil: null }],
        },
      }),
    );
    const run = await cli([
      'ocr',
      `${fixtureDir}/licence-haina.png`,
      '--listing',
      listing,
      '--json',
      '--today',
      TODAY,
    ]);
    const [result] = JSON.parse(run.stdout) as OcrJsonResult[];
    // 有限责任公司 on the licence matches 有限公司 in the listing; the declared 长期 does not.
    const checks = result?.checks.filter((check) => check.code !== 'LOW_CONFIDENCE');
    expect(checks?.map((check) => [check.code, check.listingPath])).toEqual([
      ['EXPIRY_MISMATCH', '/credentials/files/0/validUntil'],
    ]);
    expect(run.code).toBe(1);
  });

  it('reports each unreadable file in one line, reads the others, and exits 2', async () => {
    const manyPages = await PDFDocument.create();
    for (let page = 0; page < 300; page += 1) {
      manyPages.addPage([595, 842]);
    }
    const long = join(scratch, 'three-hundred-pages.pdf');
    await writeFile(long, await manyPages.save());
    const jpegNamedPng = join(scratch, 'scan-named.png');
    await copyFile(join(projectRoot, fixtureDir, 'certificate-ouyang-scan.jpg'), jpegNamedPng);
    const bad = truth.badInputs.map((input) => `${fixtureDir}/${input.file}`);
    const run = await cli([
      'ocr',
      ...bad,
      long,
      join(scratch, 'missing.pdf'),
      `${fixtureDir}/certificate-lin.png`,
      '--json',
    ]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(bad.length + 2);
    for (const line of lines) {
      expect(line).toMatch(/^review-desk: error: \S+: /);
      expect(line).not.toMatch(/\n\s+at /);
    }
    expect(lines[0]).toMatch(/missing\.pdf: no such file/);
    for (const input of truth.badInputs) {
      expect(run.stderr).toMatch(new RegExp(`${input.file}: .*\\[${input.expectedError}\\]`));
    }
    expect(run.stderr).toMatch(
      /three-hundred-pages\.pdf: the PDF has 300 pages.*\[TOO_MANY_PAGES\]/,
    );
    expect(run.stderr).toMatch(/huge-100mp\.png: the image is 10000 × 10000 \(100 megapixels\)/);
    expect(run.stderr).toMatch(
      /zip-archive\.pdf: not a PDF, JPEG, PNG or WebP file \(the bytes look like a ZIP archive/,
    );
    // The good file is still read.
    const parsed = JSON.parse(run.stdout) as OcrJsonResult[];
    expect(parsed.map((result) => result.kind)).toEqual(['tutor_certificate']);

    // Bytes that are not what the extension says, but a supported type: read, with a warning.
    const mismatch = await cli(['--lang', 'en', 'ocr', jpegNamedPng]);
    expect(mismatch.code).toBe(0);
    expect(mismatch.stdout).toMatch(
      /the name ends in \.png but the file is a JPEG.*\[TYPE_MISMATCH\]/,
    );
    expect(mismatch.stdout).toMatch(/holder +欧阳静怡/);
  }, 120_000);

  it('reads with the network blocked in every thread: nothing is fetched', async () => {
    const marks = join(scratch, 'network-marks.txt');
    const preload = join(scratch, 'block-network.cjs');
    await writeFile(
      preload,
      `
const fs = require('node:fs');
const { isMainThread } = require('node:worker_threads');
const mark = (text) => fs.appendFileSync(${JSON.stringify(marks)}, text + '\\n');
mark(isMainThread ? 'loaded in main thread' : 'loaded in worker thread');
const blocked = (what) => function () {
  mark('ATTEMPT ' + what);
  throw new Error('network blocked: ' + what);
};
globalThis.fetch = async (url) => { mark('ATTEMPT fetch ' + url); throw new TypeError('network blocked: fetch'); };
for (const name of ['http', 'https']) {
  const mod = require('node:' + name);
  mod.request = blocked(name + '.request');
  mod.get = blocked(name + '.get');
}
const net = require('node:net');
const connect = net.connect;
// Unix domain sockets are inter-process pipes, not network (tsx's loader uses one): allowed.
net.connect = net.createConnection = function (...args) {
  const [first] = args;
  const path = typeof first === 'string' ? first : first && first.path;
  if (typeof path === 'string' && !/^\\d+$/.test(path)) {
    return connect.apply(this, args);
  }
  return blocked('net.connect ' + JSON.stringify(first))();
};
require('node:tls').connect = blocked('tls.connect');
require('node:dns').lookup = blocked('dns.lookup');
`,
    );
    const freshCache = join(scratch, 'offline-cache');
    const run = await new Promise<Run>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--require',
          preload,
          join(projectRoot, 'bin', 'review-desk.js'),
          'ocr',
          `${fixtureDir}/certificate-lin.png`,
          '--json',
          '--no-cache',
        ],
        {
          cwd: projectRoot,
          env: { ...process.env, REVIEW_DESK_CACHE_DIR: freshCache, NODE_OPTIONS: '' },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        resolve({ code: code ?? -1, stdout, stderr });
      });
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [result] = JSON.parse(run.stdout) as OcrJsonResult[];
    expect(result?.fields['holderName']?.value).toBe('林晓雯');
    const log = await readFile(marks, 'utf8');
    // The block was active where Tesseract runs, and nothing tried the network.
    expect(log).toContain('loaded in main thread');
    expect(log).toContain('loaded in worker thread');
    expect(log).not.toContain('ATTEMPT');
  }, 120_000);
});
