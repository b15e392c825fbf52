import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), 'utf8');

interface BuilderConfig {
  appId: string;
  productName: string;
  extraResources: { from: string; to: string }[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own configuration schema', async () => {
    const schema = JSON.parse(
      await readFile(
        new URL('../../node_modules/app-builder-lib/scheme.json', import.meta.url),
        'utf8',
      ),
    ) as object;
    const config: unknown = parse(await read('electron-builder.yml'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('targets Linux, Windows and macOS and ships the OCR language data', async () => {
    const config = parse(await read('electron-builder.yml')) as BuilderConfig;
    expect(config.appId).toBe('com.reviewdesk.workstation');
    expect(config.productName).toBe('ReviewDesk');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.extraResources).toContainEqual(
      expect.objectContaining({ from: 'resources/ocr/lang', to: 'ocr/lang' }),
    );
  });

  it('flips the security fuses', async () => {
    const { electronFuses } = parse(await read('electron-builder.yml')) as BuilderConfig;
    expect(electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

describe('package.json', () => {
  it('names the product, exposes the CLI and never downloads Electron at install', async () => {
    const manifest = JSON.parse(await read('package.json')) as {
      name: string;
      productName: string;
      bin: Record<string, string>;
      allowScripts: Record<string, boolean>;
      engines: Record<string, string>;
    };
    expect(manifest.name).toBe('review-desk');
    expect(manifest.productName).toBe('ReviewDesk');
    expect(manifest.bin['review-desk']).toBe('bin/review-desk.js');
    expect(manifest.allowScripts['electron']).toBe(false);
    expect(manifest.engines['node']).toMatch(/20/);
  });
});
