/**
 * `npm start`: the main job — the review server with demo data, and the workstation. By default
 * the desktop app; `npm start -- --web` runs the same workstation in a browser instead. Where
 * the Electron binary is missing, says so in one paragraph and points to web mode.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveServerConfig } from '../server/src/config';
import { generateDemoPassword } from '../server/src/demo/seed';
import { startServer, type RunningServer } from '../server/src/main';
import { buildAll } from './build';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
/** Data of `npm start`: inside the project (git-ignored), so a clean clone starts clean. */
const DATA_DIR = join(projectRoot, '.review-desk');
const PASSWORD_FILE = join(DATA_DIR, 'DEMO-PASSWORD.txt');

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

/**
 * The demo password of this checkout: REVIEW_DESK_DEMO_PASSWORD, else the one generated on the
 * first start and kept in .review-desk/ (local demo data only), so it survives restarts.
 */
async function demoPassword(): Promise<string> {
  const fromEnv = process.env['REVIEW_DESK_DEMO_PASSWORD'];
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv;
  }
  try {
    return (await readFile(PASSWORD_FILE, 'utf8')).trim();
  } catch {
    const password = generateDemoPassword();
    await mkdir(DATA_DIR, { recursive: true });
    await writeFile(PASSWORD_FILE, `${password}\n`, { mode: 0o600 });
    await chmod(PASSWORD_FILE, 0o600);
    return password;
  }
}

async function runServer(serveApp: boolean): Promise<RunningServer> {
  const password = await demoPassword();
  const config = resolveServerConfig(
    { dataDir: DATA_DIR, serveApp, demoPassword: password },
    { LOG_LEVEL: 'warn', ...process.env },
    projectRoot,
  );
  const server = await startServer(config, {
    say: (line) => {
      console.log(line);
    },
  });
  console.log(`Review server: ${server.url}  (data in ${DATA_DIR})`);
  console.log(`Sign in as reviewer1, ops1, ta1, mentor1 … with the demo password: ${password}`);
  return server;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => {
      resolve();
    });
    process.once('SIGTERM', () => {
      resolve();
    });
  });
}

async function startDesktop(): Promise<number> {
  const electron = electronBinaryPath(projectRoot);
  if (electron === null) {
    console.error(MISSING_ELECTRON_MESSAGE);
    return 1;
  }
  await buildAll();
  const server = await runServer(false);
  const child = spawn(electron, [projectRoot], {
    stdio: 'inherit',
    env: { ...process.env, REVIEW_DESK_SERVER_URL: server.url },
  });
  const code = await new Promise<number>((resolve) => {
    child.on('exit', (exitCode) => {
      resolve(exitCode ?? 0);
    });
  });
  await server.close();
  return code;
}

async function startWeb(): Promise<number> {
  await buildAll();
  const server = await runServer(true);
  console.log(`\nReviewDesk web mode: open ${server.url}/ (Ctrl+C stops it)`);
  await untilSignal();
  await server.close();
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const web = process.argv.slice(2).includes('--web');
  try {
    process.exitCode = await (web ? startWeb() : startDesktop());
  } catch (error) {
    console.error(
      `ReviewDesk could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  }
}
