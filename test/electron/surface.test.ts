import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Source checks that keep the shell's attack surface where the unit tests look: IPC handlers
 * registered anywhere but `ipc/register.ts` would bypass its sender check and schemas, and
 * `ipcRenderer` or Electron's remote-ish APIs used outside the preload would reach the page.
 */

const root = join(import.meta.dirname, '..', '..');
const electronDir = join(root, 'electron');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(path);
    }
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Source without comments, so that a doc comment naming an API is no hit. */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
}

function filesMatching(pattern: RegExp): string[] {
  return sourceFiles(electronDir)
    .filter((path) => pattern.test(code(path)))
    .map((path) => relative(root, path).split(sep).join('/'))
    .sort();
}

describe('electron sources', () => {
  it('find their files (the checks below are not vacuous)', () => {
    expect(sourceFiles(electronDir).length).toBeGreaterThanOrEqual(12);
  });

  it('register IPC handlers in ipc/register.ts only', () => {
    // ipcMain's listeners, and the per-contents `webContents.ipc` / `session`-less variants.
    const registration =
      /\b(?:ipcMain|\.ipc)\s*\.\s*(?:handle|handleOnce|on|once|addListener|prependListener|prependOnceListener)\s*\(/;
    expect(filesMatching(registration)).toEqual(['electron/main/ipc/register.ts']);
  });

  it('use ipcRenderer and contextBridge in the preload only', () => {
    expect(filesMatching(/\bipcRenderer\b/)).toEqual(['electron/preload/index.ts']);
    expect(filesMatching(/\bcontextBridge\b/)).toEqual(['electron/preload/index.ts']);
  });

  it('call shell.openExternal only where index.ts wires it to the window-open guard', () => {
    expect(filesMatching(/\bshell\s*\.\s*openExternal\b/)).toEqual(['electron/main/index.ts']);
  });

  it('never load file:// pages or turn a security preference off', () => {
    expect(filesMatching(/\bloadFile\s*\(/)).toEqual([]);
    expect(
      filesMatching(
        /\b(?:nodeIntegration\w*|webSecurity|contextIsolation|sandbox)\s*:\s*(?:true|false)\b/,
      ),
    ).toEqual(['electron/main/security.ts']);
    expect(filesMatching(/\b(?:enableBlinkFeatures|allowpopups|disablewebsecurity)\b/i)).toEqual(
      [],
    );
  });
});
