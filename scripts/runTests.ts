/**
 * `npm test`: typecheck, lint and format check, dependency rule, then every test suite.
 *
 * Every stage runs even after one fails, so one run shows everything that is wrong; the exit code
 * is non-zero when any stage failed. Suites that need something the machine may lack (Chromium
 * for the end-to-end suite) are skipped with a loud notice saying how to enable them, except
 * under `CI=true`, where a missing dependency is a failure.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findChromium } from './chromium';
import { findPostgresBin, startTestPostgres } from './postgres';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const isCi = process.env['CI'] === 'true' || process.env['CI'] === '1';

const TYPESCRIPT_PROJECTS = [
  'tsconfig.json',
  'shared',
  'renderer',
  'electron',
  'server',
  'cli',
  'test',
];

interface Outcome {
  readonly stage: string;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly seconds: number;
  readonly note?: string;
}

function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: projectRoot,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    child.on('error', (error) => {
      console.error(`could not start ${command}: ${error.message}`);
      resolve(false);
    });
    child.on('exit', (code) => {
      resolve(code === 0);
    });
  });
}

const bin = (name: string): string => `${projectRoot}node_modules/.bin/${name}`;

async function stage(name: string, body: () => Promise<boolean | string>): Promise<Outcome> {
  console.log(`\n━━ ${name} ━━`);
  const started = performance.now();
  const result = await body();
  const seconds = (performance.now() - started) / 1000;
  if (typeof result === 'string') {
    return { stage: name, status: 'skipped', seconds, note: result };
  }
  return { stage: name, status: result ? 'passed' : 'failed', seconds };
}

async function typecheck(): Promise<boolean> {
  let ok = true;
  for (const project of TYPESCRIPT_PROJECTS) {
    console.log(`tsc -p ${project}`);
    ok = (await run(bin('tsc'), ['-p', project])) && ok;
  }
  return ok;
}

async function lint(): Promise<boolean> {
  const eslintOk = await run(bin('eslint'), ['.', '--max-warnings=0']);
  const prettierOk = await run(bin('prettier'), ['--check', '--log-level=warn', '.']);
  if (prettierOk) {
    console.log('prettier: all files formatted');
  }
  return eslintOk && prettierOk;
}

function boundaries(): Promise<boolean> {
  return run(bin('depcruise'), [
    'shared',
    'renderer',
    'electron',
    'server',
    'cli',
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    'err-long',
  ]);
}

function unitTests(): Promise<boolean> {
  return run(bin('vitest'), ['run', '--project', 'node', '--project', 'renderer']);
}

/**
 * The server suites again, on a real PostgreSQL: a throwaway cluster started here, or the server
 * in REVIEW_DESK_TEST_DATABASE_URL. PGlite and PostgreSQL must behave the same.
 */
async function serverOnPostgres(): Promise<boolean | string> {
  const given = process.env['REVIEW_DESK_TEST_DATABASE_URL'];
  const suites = ['run', '--project', 'node', 'test/server'];
  if (given !== undefined && given !== '') {
    return run(bin('vitest'), suites, { REVIEW_DESK_TEST_DATABASE_URL: given });
  }
  const postgresBin = findPostgresBin();
  if (postgresBin === null) {
    const how =
      'PostgreSQL was not found (/usr/lib/postgresql/*/bin). Install it with `sudo apt-get install ' +
      'postgresql`, or set REVIEW_DESK_TEST_DATABASE_URL to a server the tests may create databases on.';
    if (isCi) {
      console.error(`CI=true and ${how}`);
      return false;
    }
    return how;
  }
  const cluster = await startTestPostgres(postgresBin);
  console.log(`throwaway PostgreSQL cluster at ${cluster.url}`);
  try {
    return await run(bin('vitest'), suites, { REVIEW_DESK_TEST_DATABASE_URL: cluster.url });
  } finally {
    cluster.stop();
  }
}

async function endToEnd(): Promise<boolean | string> {
  const chromium = findChromium();
  if (chromium === null) {
    const how =
      'Chromium was not found at /usr/bin/chromium. Install it with `sudo apt-get install chromium` ' +
      '(or set REVIEW_DESK_CHROMIUM to a Chromium executable) to run the end-to-end suite.';
    if (isCi) {
      console.error(`CI=true and ${how}`);
      return false;
    }
    return how;
  }
  return run(bin('vitest'), ['run', '--project', 'e2e'], { REVIEW_DESK_CHROMIUM: chromium });
}

const outcomes: Outcome[] = [];
outcomes.push(await stage('typecheck', typecheck));
outcomes.push(await stage('lint + format', lint));
outcomes.push(await stage('dependency rule', boundaries));
outcomes.push(await stage('unit and integration tests', unitTests));
outcomes.push(await stage('server on PostgreSQL', serverOnPostgres));
outcomes.push(await stage('end-to-end (Chromium)', endToEnd));

console.log('\n━━ summary ━━');
for (const outcome of outcomes) {
  const mark = { passed: '✓', failed: '✗', skipped: '⚠' }[outcome.status];
  console.log(
    `${mark} ${outcome.stage.padEnd(28)} ${outcome.status.toUpperCase().padEnd(8)} ${outcome.seconds.toFixed(1)} s`,
  );
}
const skipped = outcomes.filter((outcome) => outcome.status === 'skipped');
if (skipped.length > 0) {
  console.log('');
  for (const outcome of skipped) {
    console.log(`⚠⚠⚠ SKIPPED: ${outcome.stage}. ${outcome.note ?? ''}`);
  }
}
const failed = outcomes.filter((outcome) => outcome.status === 'failed');
if (failed.length > 0) {
  console.log(`\n${failed.length} of ${outcomes.length} stages failed.`);
  process.exitCode = 1;
} else {
  console.log(`\nAll ${outcomes.length - skipped.length} stages that ran passed.`);
}
