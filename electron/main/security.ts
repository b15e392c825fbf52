import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The workstation is served from this privileged custom origin instead of `file://`, so that it
 * has a real origin (for CSP, IndexedDB and `fetch`) and can reach nothing on disk but its own
 * build folder.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'reviewdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** True when `url` is a page of the workstation itself. */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
}

/**
 * Maps an `app://reviewdesk/…` request to a file inside `rootDir`, or null when the request is
 * for another host or would leave the folder (`..`, encoded separators, absolute paths).
 * `/` and unknown extension-less paths serve `index.html`: the app routes by hash.
 */
export function resolveAppAsset(requestUrl: string, rootDir: string): string | null {
  const parsed = parseUrl(requestUrl);
  if (parsed?.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) {
    return null;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) {
    return null;
  }
  const relativePath = pathname === '/' || pathname === '' ? 'index.html' : pathname.slice(1);
  const root = resolve(rootDir);
  const candidate = resolve(root, relativePath);
  const fromRoot = relative(root, candidate);
  if (
    fromRoot === '' ||
    fromRoot.startsWith(`..${sep}`) ||
    fromRoot === '..' ||
    isAbsolute(fromRoot)
  ) {
    return null;
  }
  return candidate;
}

/**
 * Content-Security-Policy of the workstation. Scripts only from the app itself (no inline, no
 * eval); network only to the app and the configured review server; no plugins, frames or forms.
 * `'wasm-unsafe-eval'` lets the OCR worker compile Tesseract's WebAssembly and allows no
 * JavaScript eval. Mantine injects style tags, hence `'unsafe-inline'` for styles only.
 */
export function contentSecurityPolicy(options: {
  readonly serverOrigins: readonly string[];
}): string {
  const connect = ["'self'", ...options.serverOrigins].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Links the app may hand to the operating system's browser (`shell.openExternal`): web pages
 * only. The hosts cannot be allow-listed — the links come from institutions' own texts, which
 * reviewers must be able to check — so the scheme is: `file:`, `smb:` and custom protocol
 * handlers can start programs, a web page in the user's browser cannot. Plain `http:` stays
 * because many institutions' pages still use it. URLs with credentials
 * (`https://bank.example@evil.example/`) are refused: they exist to disguise the real host.
 */
export function isSafeExternalUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * Renderer settings of every window. Kept as data so a unit test pins each flag: a renderer never
 * gets Node, always runs sandboxed and isolated from the preload.
 */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
  } as const;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
