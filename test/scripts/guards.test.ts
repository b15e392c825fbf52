import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The checks `npm test` relies on must actually bite: these tests feed them code that breaks the
 * rules and expect each rule to fire.
 */
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtureRoot = fileURLToPath(new URL('../fixtures/boundaries', import.meta.url));
const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as IConfiguration;

async function violations(): Promise<Map<string, string[]>> {
  const { tsConfig: _tsConfig, ...options } = config.options ?? {};
  const outcome = await cruise(['shared', 'renderer', 'server', 'electron', 'cli'], {
    ...options,
    baseDir: fixtureRoot,
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
  });
  const result = outcome.output as ICruiseResult;
  const byRule = new Map<string, string[]>();
  for (const violation of result.summary.violations) {
    const list = byRule.get(violation.rule.name) ?? [];
    list.push(`${violation.from} → ${violation.to}`);
    byRule.set(violation.rule.name, list);
  }
  return byRule;
}

describe('dependency rule (dependency-cruiser)', () => {
  it('catches every kind of layer violation in the fixture tree', async () => {
    const found = await violations();
    expect(found.get('shared-imports-nothing-of-ours')).toEqual([
      'shared/importsRenderer.ts → renderer/screen.ts',
    ]);
    expect(found.get('shared-no-node-builtins')).toEqual(['shared/importsNode.ts → fs']);
    expect(found.get('shared-only-allowed-packages')?.join()).toMatch(
      /shared\/importsReact\.ts → .*node_modules\/react\//,
    );
    expect(found.get('renderer-imports-only-shared')).toEqual([
      'renderer/importsServer.ts → server/api.ts',
    ]);
    expect(found.get('server-imports-only-shared')).toEqual([
      'server/importsCli.ts → cli/command.ts',
    ]);
    expect(found.get('electron-imports-only-shared')).toEqual([
      'electron/main/importsRenderer.ts → renderer/screen.ts',
    ]);
    expect(found.get('main-does-not-import-preload')).toEqual([
      'electron/main/importsPreload.ts → electron/preload/bridge.ts',
    ]);
    expect(found.get('no-circular')?.length).toBeGreaterThan(0);
  });

  it('accepts the allowed edges (cli → server, cli → shared, renderer → shared)', async () => {
    const found = [...(await violations()).values()].flat();
    expect(found).not.toContain('cli/command.ts → server/api.ts');
    expect(found).not.toContain('cli/command.ts → shared/pure.ts');
    expect(found).not.toContain('renderer/screen.ts → shared/pure.ts');
  });
});

describe('lint (typed ESLint rules)', () => {
  const eslint = new ESLint({ cwd: projectRoot });

  async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
  }

  it('reports a floating promise (a typed rule)', async () => {
    const rules = await ruleIdsFor(
      'shared/domain/time.ts',
      'export async function later(): Promise<number> { return 1; }\nlater();\n',
    );
    expect(rules).toContain('@typescript-eslint/no-floating-promises');
  }, 60_000);

  it('reports Node built-ins in shared/ and Electron in the renderer', async () => {
    expect(
      await ruleIdsFor(
        'shared/domain/time.ts',
        "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
      ),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIdsFor(
        'renderer/src/main.tsx',
        "import { shell } from 'electron';\nexport const s = shell;\n",
      ),
    ).toContain('no-restricted-imports');
  }, 60_000);

  it('accepts the project as it is (spot check on a real file)', async () => {
    const [result] = await eslint.lintFiles(['shared/domain/uscc.ts']);
    expect(result?.messages).toEqual([]);
  }, 60_000);
});
