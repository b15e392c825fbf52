import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { resolveServerConfig, type ServerConfig } from '../../server/src/config';
import { startServer, type RunningServer } from '../../server/src/main';
import { buildAll } from '../../scripts/build';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium';
import { SCREENSHOT_DIR } from './harness';

export const DEMO_PASSWORD = 'e2e-demo-password';

/**
 * The whole product for end-to-end tests: the built workstation served by the real review
 * server (embedded PGlite with demo data) in web mode, and a real Chromium with an empty profile.
 * The server can be restarted on the same port (the origin, and so the browser's IndexedDB and
 * service worker, stay the same).
 */
export interface Stack {
  readonly url: string;
  readonly context: BrowserContext;
  server: RunningServer;
  newPage(): Promise<Page>;
  restartServer(): Promise<void>;
  stopServer(): Promise<void>;
  startServerAgain(): Promise<void>;
  screenshot(page: Page, name: string): Promise<string>;
  /**
   * Moves the server's clock (and only the server's) by `ms` from real time: the pool-opens-on-
   * Friday test sets it to a Friday. Survives restarts.
   */
  setServerClockOffset(ms: number): void;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const executablePath = findChromium();
  if (executablePath === null) {
    throw new Error('Chromium not found: install Debian `chromium` or set REVIEW_DESK_CHROMIUM');
  }
  const buildDir = await mkdtemp(join(tmpdir(), 'review-desk-e2e-build-'));
  const dataDir = await mkdtemp(join(tmpdir(), 'review-desk-e2e-data-'));
  const profileDir = await mkdtemp(join(tmpdir(), 'review-desk-e2e-profile-'));
  await buildAll(buildDir);
  let config: ServerConfig = {
    ...resolveServerConfig(
      { dataDir, port: '0', serveApp: true, demoPassword: DEMO_PASSWORD },
      {},
      dataDir,
    ),
    appDir: join(buildDir, 'renderer'),
    logLevel: 'silent',
  };
  let clockOffsetMs = 0;
  const clock = { now: () => Date.now() + clockOffsetMs };
  let server = await startServer(config, { clock });
  const port = Number(new URL(server.url).port);
  // Restarts keep the port: the page's origin (IndexedDB, service worker) must not change.
  config = { ...config, port };
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1360, height: 860 },
    serviceWorkers: 'allow',
  });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const stack: Stack = {
    url: server.url,
    context,
    get server() {
      return server;
    },
    set server(value) {
      server = value;
    },
    newPage: () => context.newPage(),
    async stopServer() {
      await server.close();
    },
    async startServerAgain() {
      server = await startServer(config, { clock });
    },
    async restartServer() {
      await server.close();
      server = await startServer(config, { clock });
    },
    setServerClockOffset(ms) {
      clockOffsetMs = ms;
    },
    async screenshot(page, name) {
      const path = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      await server.close();
      await rm(buildDir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
      await rm(profileDir, { recursive: true, force: true });
    },
  };
  return stack;
}
