import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * What the packaged app is built from: the Electron fuses electron-builder flips
 * (`electron-builder.yml`, `electronFuses`) and the Electron version in package.json.
 */

const root = join(import.meta.dirname, '..', '..');

interface BuilderConfig {
  readonly asar?: unknown;
  readonly electronFuses?: Record<string, unknown>;
}

const builderConfig = parse(
  readFileSync(join(root, 'electron-builder.yml'), 'utf8'),
) as BuilderConfig;
const fuses = builderConfig.electronFuses ?? {};

/**
 * The fuses the packager can flip: the `@electron/fuses` that electron-builder itself resolves
 * (it is electron-builder's dependency, not ours), so a new fuse arriving with an electron-builder
 * upgrade fails the coverage test below until someone decides it.
 */
function packagerFuseNames(): string[] {
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib'));
  const { FuseV1Options } = fromBuilder('@electron/fuses') as {
    FuseV1Options: Record<string, string | number>;
  };
  return Object.keys(FuseV1Options)
    .filter((key) => Number.isNaN(Number(key)))
    .map((name) => name.charAt(0).toLowerCase() + name.slice(1));
}

describe('electron fuses', () => {
  it('decide every fuse the packager knows', () => {
    const known = packagerFuseNames();
    expect(known).toHaveLength(8);
    expect(Object.keys(fuses).sort()).toEqual(known.sort());
  });

  it('turn off running as Node.js, NODE_OPTIONS and the --inspect arguments', () => {
    expect(fuses['runAsNode']).toBe(false);
    expect(fuses['enableNodeOptionsEnvironmentVariable']).toBe(false);
    expect(fuses['enableNodeCliInspectArguments']).toBe(false);
  });

  it('load the app only from its integrity-checked asar', () => {
    expect(builderConfig.asar).toBe(true);
    expect(fuses['onlyLoadAppFromAsar']).toBe(true);
    expect(fuses['enableEmbeddedAsarIntegrityValidation']).toBe(true);
  });

  it('give file:// no extra privileges and encrypt cookies', () => {
    expect(fuses['grantFileProtocolExtraPrivileges']).toBe(false);
    expect(fuses['enableCookieEncryption']).toBe(true);
    expect(fuses['loadBrowserProcessSpecificV8Snapshot']).toBe(false);
  });
});

/**
 * Stable dates of Electron's recent majors (npm publish dates of `electron@N.0.0`, checked
 * 2026-12-07). Electron supports the latest three stable majors; extend this table when
 * upgrading, and move {@link AS_OF} with it.
 */
const STABLE_RELEASES: readonly (readonly [major: number, stable: string])[] = [
  [40, '2026-01-16'],
  [41, '2026-03-11'],
  [42, '2026-05-06'],
  [43, '2026-07-01'],
  [44, '2026-08-25'],
  [45, '2026-10-21'],
];
/** The project's date: the version check must not turn red by itself as the calendar moves. */
const AS_OF = '2026-12-07';

/** The majors Electron supports on `date`: the three newest released by then. */
function supportedMajors(date: string): number[] {
  return STABLE_RELEASES.filter(([, stable]) => stable <= date)
    .map(([major]) => major)
    .sort((a, b) => b - a)
    .slice(0, 3)
    .sort((a, b) => a - b);
}

function declaredElectronMajor(): number {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  const range = manifest.devDependencies?.['electron'] ?? '';
  const major = /^[\^~]?(\d+)\./.exec(range)?.[1];
  if (major === undefined) {
    throw new Error(`package.json pins no plain Electron version (found "${range}")`);
  }
  return Number(major);
}

describe('electron version', () => {
  it('knows which majors are supported on a date', () => {
    expect(supportedMajors('2026-06-01')).toEqual([40, 41, 42]);
    expect(supportedMajors('2026-08-25')).toEqual([42, 43, 44]);
    expect(supportedMajors(AS_OF)).toEqual([43, 44, 45]);
  });

  it('reads the declared major from package.json (the one installed)', () => {
    const installed = JSON.parse(
      readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(String(declaredElectronMajor())).toBe(installed.version.split('.')[0]);
  });

  it('declares an Electron major that is still supported', () => {
    expect(supportedMajors(AS_OF)).toContain(declaredElectronMajor());
  });
});
