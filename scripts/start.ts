/**
 * `npm start`: builds and launches the desktop app. `npm start -- --web` runs the same
 * workstation in a browser instead. Where the Electron binary is missing, says so in one
 * paragraph and points to web mode; never a stack trace.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import { buildAll } from './build';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Path of the Electron executable, or null when the package is there without its binary: this
 * project sets `allowScripts.electron = false`, so `npm install` never downloads it.
 */
export function electronBinaryPath(root: string): string | null {
  const packageDir = join(root, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return null;
  }
  const executable = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(executable) ? executable : null;
}

export const MISSING_ELECTRON_MESSAGE = [
  'ReviewDesk cannot open the desktop app here: the Electron binary is not installed.',
  '`npm install` deliberately skips its download (package.json sets allowScripts.electron to',
  "false, because many machines cannot reach Electron's download server). Where downloads work,",
  'fetch it once with `node node_modules/electron/install.js` and run `npm start` again.',
  'Or use web mode, the same workstation in your browser: run `npm start -- --web` and open the',
  'address it prints.',
].join(' ');

async function startDesktop(): Promise<number> {
  const electron = electronBinaryPath(projectRoot);
  if (electron === null) {
    console.error(MISSING_ELECTRON_MESSAGE);
    return 1;
  }
  await buildAll();
  const child = spawn(electron, [projectRoot], { stdio: 'inherit' });
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      resolve(code ?? 0);
    });
  });
}

async function startWeb(): Promise<number> {
  await buildAll();
  const server = await preview({
    configFile: join(projectRoot, 'vite.config.ts'),
    logLevel: 'warn',
  });
  const [url] = server.resolvedUrls?.local ?? [];
  console.log(`ReviewDesk web mode: open ${url ?? 'http://127.0.0.1:4173/'} (Ctrl+C stops it)`);
  return new Promise(() => {
    // Serves until interrupted.
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const web = process.argv.slice(2).includes('--web');
  process.exitCode = await (web ? startWeb() : startDesktop());
}
