import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { buildAll } from '../../scripts/build';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Screenshots of every e2e run land here, to be looked at (CI keeps them as artefacts). */
export const SCREENSHOT_DIR = join(projectRoot, 'test-results', 'screenshots');

export interface Workstation {
  readonly url: string;
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the workstation into a temporary folder, serves it on a free port and opens a real
 * Chromium with an empty profile. Fails loudly when Chromium is missing: `npm test` decides
 * beforehand whether this suite may be skipped.
 */
export async function startWorkstation(): Promise<Workstation> {
  const executablePath = findChromium();
  if (executablePath === null) {
    throw new Error('Chromium not found: install Debian `chromium` or set REVIEW_DESK_CHROMIUM');
  }
  const buildDir = await mkdtemp(join(tmpdir(), 'review-desk-e2e-build-'));
  const profileDir = await mkdtemp(join(tmpdir(), 'review-desk-e2e-profile-'));
  await buildAll(buildDir);
  const server: PreviewServer = await preview({
    configFile: join(projectRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: join(buildDir, 'renderer') },
    preview: { port: 0, strictPort: false, host: '127.0.0.1' },
  });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) {
    throw new Error('vite preview did not report its address');
  }
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1280, height: 800 },
  });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return {
    url,
    context,
    newPage: () => context.newPage(),
    async screenshot(page, name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      await server.close();
      await rm(buildDir, { recursive: true, force: true });
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}
