import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  contentSecurityPolicy,
  isAppUrl,
  isSafeExternalUrl,
  resolveAppAsset,
  secureWebPreferences,
} from '../../../electron/main/security';

const root = resolve('/opt/review-desk/renderer');

describe('resolveAppAsset', () => {
  it('serves index.html for the app root', () => {
    expect(resolveAppAsset(`${APP_ORIGIN}/`, root)).toBe(join(root, 'index.html'));
  });

  it('serves files inside the build folder', () => {
    expect(resolveAppAsset(`${APP_ORIGIN}/assets/index-abc.js`, root)).toBe(
      join(root, 'assets', 'index-abc.js'),
    );
  });

  it.each([
    `${APP_ORIGIN}/../../etc/passwd`,
    `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`,
    `${APP_ORIGIN}/assets/../../../etc/passwd`,
  ])('keeps dot segments inside the build folder: %s', (url) => {
    // The URL parser already folds `..` at the root; whatever survives must stay under root.
    const resolved = resolveAppAsset(url, root);
    expect(resolved === null || resolved.startsWith(`${root}/`)).toBe(true);
  });

  it.each([
    ['encoded separator', `${APP_ORIGIN}/assets%2f..%2f..%2fsecret`],
    ['backslash', `${APP_ORIGIN}/..%5c..%5csecret`],
    ['NUL byte', `${APP_ORIGIN}/index.html%00.png`],
    ['malformed escape', `${APP_ORIGIN}/%E0%A4%A`],
    ['another host', 'app://elsewhere/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ['not a URL', 'not a url'],
  ])('refuses %s', (_name, url) => {
    expect(resolveAppAsset(url, root)).toBeNull();
  });
});

describe('navigation and external links', () => {
  it('recognises only the app origin as the app', () => {
    expect(isAppUrl(`${APP_ORIGIN}/#/items/1`)).toBe(true);
    expect(isAppUrl('https://reviewdesk.example.com/')).toBe(false);
    expect(isAppUrl('app://evil/')).toBe(false);
    expect(isAppUrl('javascript:alert(1)')).toBe(false);
  });

  it('hands only http(s) links to the operating system', () => {
    expect(isSafeExternalUrl('https://example.com/a')).toBe(true);
    expect(isSafeExternalUrl('http://example.com/a')).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:/id PCWDiagnostic',
      'mailto:someone@example.com',
      'https://review.example.com@evil.example/',
      'https://user:secret@example.com/',
      'x',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });
});

describe('contentSecurityPolicy', () => {
  const policy = contentSecurityPolicy({ serverOrigins: ['https://review.example.com'] });
  const directives = new Map(
    policy.split('; ').map((directive) => {
      const [name = '', ...values] = directive.split(' ');
      return [name, values] as const;
    }),
  );

  it('denies by default and allows scripts only from the app', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    // WebAssembly compilation only (Tesseract in the OCR worker), no JavaScript eval.
    expect(directives.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });

  it('lets the app reach only itself and the review server', () => {
    expect(directives.get('connect-src')).toEqual(["'self'", 'https://review.example.com']);
  });

  it('names every source: no wildcard, no bare scheme such as http: or https:', () => {
    const sources = [...directives.values()].flat();
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source, source).not.toMatch(/^\*|^https?:$|^wss?:$|\*/);
    }
  });

  it('never allows inline or evaluated scripts', () => {
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval|hashes)'/);
  });
});

describe('secureWebPreferences', () => {
  const preferences: Record<string, unknown> = secureWebPreferences('/p/preload.cjs');

  it('gives no renderer Node.js, in workers and sub-frames neither', () => {
    expect(preferences['nodeIntegration']).toBe(false);
    expect(preferences['nodeIntegrationInWorker']).toBe(false);
    expect(preferences['nodeIntegrationInSubFrames']).toBe(false);
  });

  it('isolates the preload from the page and sandboxes the renderer', () => {
    expect(preferences['contextIsolation']).toBe(true);
    expect(preferences['sandbox']).toBe(true);
  });

  it('keeps web security on and insecure content blocked', () => {
    expect(preferences['webSecurity']).toBe(true);
    expect(preferences['allowRunningInsecureContent']).toBe(false);
  });

  it('enables no experimental or Blink features and no <webview> tag', () => {
    expect(preferences['experimentalFeatures']).toBe(false);
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
    expect(preferences['webviewTag']).toBe(false);
  });

  it('sets exactly these preferences and nothing else', () => {
    // A new flag must be added here on purpose: an unnoticed `enableBlinkFeatures` or
    // `additionalArguments` would otherwise slip through the property checks above.
    expect(preferences).toEqual({
      preload: '/p/preload.cjs',
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
    });
  });
});
