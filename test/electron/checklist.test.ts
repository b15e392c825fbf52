import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Keeps the "Electron security checklist" table of docs/workstation.md honest: it lists the 20
 * items of Electron's checklist in order, each row names a test or gives a written reason, and
 * every test it names exists under test/electron with that describe and it title.
 */

const root = join(import.meta.dirname, '..', '..');
const testDir = join(root, 'test', 'electron');

/** Electron's "Checklist: Security recommendations", in its order. */
const CHECKLIST = [
  'Only load secure content',
  'Do not enable Node.js integration for remote content',
  'Enable context isolation',
  'Enable process sandboxing',
  'Use ses.setPermissionRequestHandler() in all sessions that load remote content',
  'Do not disable webSecurity',
  'Define a Content-Security-Policy',
  'Do not enable allowRunningInsecureContent',
  'Do not enable experimental features',
  'Do not use enableBlinkFeatures',
  '<webview>: do not use allowpopups',
  '<webview>: verify options and params',
  'Disable or limit navigation',
  'Disable or limit creation of new windows',
  'Do not use shell.openExternal with untrusted content',
  'Use a current version of Electron',
  'Validate the sender of all IPC messages',
  'Avoid the file:// protocol, prefer custom protocols',
  'Check which fuses you can change',
  'Do not expose Electron APIs to untrusted web content',
] as const;

function checklistSection(): string {
  const doc = readFileSync(join(root, 'docs', 'workstation.md'), 'utf8');
  const start = doc.indexOf('## Electron security checklist');
  if (start < 0) {
    throw new Error('docs/workstation.md has no "Electron security checklist" section');
  }
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

interface Row {
  readonly number: number;
  readonly item: string;
  readonly evidence: string;
}

function tableRows(section: string): Row[] {
  return section
    .split('\n')
    .filter((line) => /^\|\s*\d+\s*\|/.test(line))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      // cells[0] is the empty text before the first pipe.
      return {
        number: Number(cells[1]),
        item: (cells[2] ?? '').replaceAll('`', ''),
        evidence: cells[4] ?? '',
      };
    });
}

interface TestReference {
  readonly file: string;
  readonly titles: readonly string[];
}

/** Every `file.test.ts › describe › it` code span of the section (line breaks read as spaces). */
function testReferences(text: string): TestReference[] {
  return [...text.matchAll(/`([^`]+?\.test\.ts(?:\s+›\s+[^`]+)+)`/g)].map((match) => {
    const [file = '', ...titles] = (match[1] ?? '').replace(/\s+/g, ' ').split(' › ');
    return { file, titles };
  });
}

/** String literals of a test file: the titles its describe/it calls can have. */
function stringLiterals(source: string): string[] {
  return [...source.matchAll(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"/g)].map((match) =>
    (match[1] ?? match[2] ?? '').replace(/\\(.)/g, '$1'),
  );
}

/** True when `title` is one of the literals, or what an `it.each` template (`%s`) makes of one. */
function hasTitle(literals: readonly string[], title: string): boolean {
  return literals.some((literal) => {
    if (literal === title) {
      return true;
    }
    if (!/%[sjid]/.test(literal)) {
      return false;
    }
    const pattern = literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%[sjid]/g, '.+');
    return new RegExp(`^${pattern}$`).test(title);
  });
}

describe('docs: Electron security checklist', () => {
  const section = checklistSection();
  const rows = tableRows(section);

  it('lists the 20 items of the checklist in order', () => {
    expect(rows.map((row) => row.number)).toEqual(CHECKLIST.map((_item, index) => index + 1));
    expect(rows.map((row) => row.item)).toEqual([...CHECKLIST]);
  });

  it('gives every item a test or a written reason', () => {
    for (const row of rows) {
      const proven = testReferences(row.evidence).length > 0;
      const reasoned = /\bReason:|\*\*Not met\*\*/.test(row.evidence);
      expect(proven || reasoned, `item ${row.number}`).toBe(true);
    }
  });

  it('names only tests that exist', () => {
    const references = testReferences(section);
    expect(references.length).toBeGreaterThanOrEqual(20);
    for (const { file, titles } of references) {
      const path = join(testDir, file);
      expect(existsSync(path), file).toBe(true);
      const literals = stringLiterals(readFileSync(path, 'utf8'));
      expect(titles.length, `${file}: describe › it`).toBeGreaterThanOrEqual(2);
      for (const title of titles) {
        expect(hasTitle(literals, title), `${file} › ${title}`).toBe(true);
      }
    }
  });
});
