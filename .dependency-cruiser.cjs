/**
 * The dependency rule of ReviewDesk (docs/architecture.md), machine-checked in `npm test`.
 *
 *   shared    imports nothing of ours, no Node built-ins, and only the npm packages listed below
 *   renderer  imports only shared
 *   server    imports only shared
 *   electron  imports only shared (main and preload never import each other)
 *   cli       imports shared and server
 *
 * `tsPreCompilationDeps: true` makes type-only imports count as edges too.
 */

/** npm packages the pure core may use: they run unchanged in a browser, a worker and Node. */
const SHARED_ALLOWED_PACKAGES = ['zod', 'decimal.js', 'htmlparser2'];

const OUR_LAYERS = '^(shared|renderer|server|electron|cli|scripts|test|bin)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Cycles make layers impossible to reason about and to test in isolation.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that cannot be resolved is a broken build waiting to happen.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'shared-imports-nothing-of-ours',
      severity: 'error',
      comment: 'shared/ is the pure domain both the workstation and the server run.',
      from: { path: '^shared/' },
      to: { path: OUR_LAYERS, pathNot: '^shared/' },
    },
    {
      name: 'shared-no-node-builtins',
      severity: 'error',
      comment: 'shared/ must run in a browser, a worker and Node alike: inject runtime parts.',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-only-allowed-packages',
      severity: 'error',
      comment: `shared/ may use only these packages: ${SHARED_ALLOWED_PACKAGES.join(', ')}.`,
      from: { path: '^shared/' },
      to: {
        dependencyTypes: [
          'npm',
          'npm-dev',
          'npm-optional',
          'npm-peer',
          'npm-no-pkg',
          'npm-unknown',
        ],
        pathNot: SHARED_ALLOWED_PACKAGES.map((name) => `node_modules/${name}/`),
      },
    },
    {
      name: 'renderer-imports-only-shared',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: OUR_LAYERS, pathNot: '^(renderer|shared)/' },
    },
    {
      name: 'renderer-no-node-builtins',
      severity: 'error',
      comment: 'The workstation runs sandboxed, and in a plain browser in web mode.',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'server-imports-only-shared',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: OUR_LAYERS, pathNot: '^(server|shared)/' },
    },
    {
      name: 'electron-imports-only-shared',
      severity: 'error',
      from: { path: '^electron/' },
      to: { path: OUR_LAYERS, pathNot: '^(electron|shared)/' },
    },
    {
      name: 'preload-and-main-stay-apart',
      severity: 'error',
      comment: 'The preload is bundled alone into one sandboxed CommonJS file.',
      from: { path: '^electron/preload/' },
      to: { path: '^electron/main/' },
    },
    {
      name: 'main-does-not-import-preload',
      severity: 'error',
      from: { path: '^electron/main/' },
      to: { path: '^electron/preload/' },
    },
    {
      name: 'cli-imports-shared-and-server',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: OUR_LAYERS, pathNot: '^(cli|shared|server)/' },
    },
    {
      name: 'nothing-imports-tests-or-scripts',
      severity: 'error',
      from: { pathNot: '^(test|scripts)/' },
      to: { path: '^(test|scripts)/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|release|node_modules|coverage)/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
