import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAll, OCR_LANGUAGE_DIR } from '../../scripts/build';

let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'review-desk-build-'));
  await buildAll(outDir);
}, 120_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Module names a CommonJS bundle loads at run time. */
function requiredModules(source: string): string[] {
  return [...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]!);
}

// ajv (electron-store → conf) carries these only as strings for its standalone code generation;
// they are never required at run time.
const AJV_CODEGEN = /^(ajv\/dist\/runtime\/|ajv-formats\/dist\/formats$)/;

const isNodeBuiltin = (name: string) => name.startsWith('node:') || builtinModules.includes(name);

describe('npm run build', () => {
  it('bundles the preload into one CommonJS file that loads only electron', async () => {
    const files = (await readdir(join(outDir, 'electron', 'preload'))).filter(
      (file) => !file.endsWith('.map'),
    );
    expect(files).toEqual(['index.cjs']);
    const source = await readFile(join(outDir, 'electron', 'preload', 'index.cjs'), 'utf8');
    expect(requiredModules(source)).toEqual(['electron']);
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).toContain('exposeInMainWorld');
  });

  it('bundles the main process so it loads only Node built-ins and electron', async () => {
    const source = await readFile(join(outDir, 'electron', 'main', 'index.cjs'), 'utf8');
    const foreign = requiredModules(source).filter(
      (name) => name !== 'electron' && !isNodeBuiltin(name) && !AJV_CODEGEN.test(name),
    );
    expect(foreign).toEqual([]);
    expect(source).toContain('enableSandbox');
  });

  it('builds the renderer with its entry and hashed assets', async () => {
    const html = await readFile(join(outDir, 'renderer', 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(existsSync(join(outDir, 'renderer', script))).toBe(true);
    }
    expect(html).toContain('Content-Security-Policy');
  });

  it('stages the OCR language data for packaging', async () => {
    const files = (await readdir(OCR_LANGUAGE_DIR)).sort();
    expect(files).toEqual(['chi_sim.traineddata.gz', 'eng.traineddata.gz']);
  });
});
