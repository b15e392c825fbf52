import { existsSync } from 'node:fs';

/** Where Debian's `chromium` package puts the browser; playwright never downloads its own here. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags for headless Chromium on these machines: no sandbox (we run as root in CI), and no
 * background networking, whose connection attempts the closed network refuses by the dozen.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
] as const;

/** The Chromium executable to test with: `REVIEW_DESK_CHROMIUM`, else Debian's, else null. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env['REVIEW_DESK_CHROMIUM'], DEFAULT_CHROMIUM];
  return candidates.find((path) => path !== undefined && path !== '' && existsSync(path)) ?? null;
}
