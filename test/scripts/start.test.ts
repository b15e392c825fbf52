import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronBinaryPath, MISSING_ELECTRON_MESSAGE } from '../../scripts/start';

const created: string[] = [];

async function fakeProject(withBinary: 'none' | 'path-only' | 'complete'): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'review-desk-start-'));
  created.push(root);
  const electronDir = join(root, 'node_modules', 'electron');
  await mkdir(join(electronDir, 'dist'), { recursive: true });
  if (withBinary !== 'none') {
    await writeFile(join(electronDir, 'path.txt'), 'electron');
  }
  if (withBinary === 'complete') {
    await writeFile(join(electronDir, 'dist', 'electron'), '#!/bin/sh\n');
    await chmod(join(electronDir, 'dist', 'electron'), 0o755);
  }
  return root;
}

afterEach(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('electronBinaryPath', () => {
  it('is null when npm skipped the download', async () => {
    expect(electronBinaryPath(await fakeProject('none'))).toBeNull();
  });

  it('is null when path.txt points at a missing binary', async () => {
    expect(electronBinaryPath(await fakeProject('path-only'))).toBeNull();
  });

  it('finds the downloaded binary', async () => {
    const root = await fakeProject('complete');
    expect(electronBinaryPath(root)).toBe(
      join(root, 'node_modules', 'electron', 'dist', 'electron'),
    );
  });
});

describe('the missing-Electron message', () => {
  it('is one paragraph that explains the cause and points to web mode', () => {
    expect(MISSING_ELECTRON_MESSAGE).not.toContain('\n');
    expect(MISSING_ELECTRON_MESSAGE).toContain('Electron binary is not installed');
    expect(MISSING_ELECTRON_MESSAGE).toContain('npm start -- --web');
    expect(MISSING_ELECTRON_MESSAGE).toContain('node node_modules/electron/install.js');
  });
});
