import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// electron-store is `conf` plus Electron's userData path and app version; it imports `electron`
// at load time, which cannot load without the binary. The store options are therefore checked
// against `conf` itself, the same code electron-store runs (research: stack-spike §7).
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSettingsService,
  DEFAULT_SETTINGS,
  settingsDefaults,
  settingsStoreOptions,
  type SettingsBackend,
  type StoredSettings,
} from '../../../electron/main/settings';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'review-desk-settings-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** The store `index.ts` builds with electron-store, built with conf in a temp folder. */
function realStore(defaults = DEFAULT_SETTINGS) {
  const { name, ...options } = settingsStoreOptions(defaults);
  return new Conf<StoredSettings>({ ...options, configName: name, cwd: directory });
}

/** A plain in-memory backend for the service logic. */
function memoryBackend(initial: Record<string, unknown> = {}) {
  let data: Record<string, unknown> = { ...initial };
  const backend: SettingsBackend & { data: () => Record<string, unknown> } = {
    get store() {
      return data;
    },
    set(values) {
      data = { ...data, ...values };
    },
    data: () => data,
  };
  return backend;
}

describe('settings defaults', () => {
  it('are the local review server, zh-CN and the system theme', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      serverUrl: 'http://127.0.0.1:8787',
      language: 'zh-CN',
      theme: 'auto',
      fileRetentionDays: 30,
    });
  });

  it('take a valid server URL override (npm start) as the default only', () => {
    expect(settingsDefaults('http://127.0.0.1:9999').serverUrl).toBe('http://127.0.0.1:9999');
    expect(settingsDefaults('javascript:alert(1)').serverUrl).toBe('http://127.0.0.1:8787');
    expect(settingsDefaults(undefined)).toEqual(DEFAULT_SETTINGS);
  });
});

describe('settings service', () => {
  it('reads defaults from an empty store', () => {
    const settings = createSettingsService(memoryBackend());
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(settings.windowState()).toEqual({ maximized: false });
  });

  it('applies a patch and returns the complete settings', () => {
    const backend = memoryBackend();
    const settings = createSettingsService(backend);
    expect(settings.set({ theme: 'dark' })).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(settings.set({ language: 'en' })).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      language: 'en',
    });
    expect(settings.get()).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark', language: 'en' });
  });

  it('rejects an invalid patch and writes nothing', () => {
    const backend = memoryBackend();
    const settings = createSettingsService(backend);
    expect(() => settings.set({ serverUrl: 'file:///etc/passwd' })).toThrow();
    expect(() => settings.set({ theme: 'neon' as 'dark' })).toThrow();
    expect(() => settings.set({ fileRetentionDays: 0 })).toThrow();
    expect(() => settings.set({ fileRetentionDays: 366 })).toThrow();
    expect(backend.data()).toEqual({});
  });

  it('replaces each damaged stored value by its default, keeping the others', () => {
    const settings = createSettingsService(
      memoryBackend({
        serverUrl: 'ftp://x',
        language: 'en',
        theme: 42,
        fileRetentionDays: 2.5,
        window: 'big',
      }),
    );
    expect(settings.get()).toEqual({ ...DEFAULT_SETTINGS, language: 'en' });
    const kept = createSettingsService(memoryBackend({ fileRetentionDays: 7, theme: 'dark' }));
    expect(kept.get()).toEqual({ ...DEFAULT_SETTINGS, fileRetentionDays: 7, theme: 'dark' });
    expect(settings.windowState()).toEqual({ maximized: false });
  });

  it('saves and restores the window state', () => {
    const settings = createSettingsService(memoryBackend());
    const state = { maximized: true, bounds: { x: 10, y: 20, width: 1300, height: 800 } };
    settings.saveWindowState(state);
    expect(settings.windowState()).toEqual(state);
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
  });
});

describe('settings on the real store (conf, as electron-store runs it)', () => {
  it('persists to settings.json with defaults and reads it back in a new instance', async () => {
    const settings = createSettingsService(realStore());
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    settings.set({ language: 'en', serverUrl: 'https://review.example.com' });
    settings.saveWindowState({
      maximized: false,
      bounds: { x: 0, y: 0, width: 1200, height: 700 },
    });

    const file = JSON.parse(await readFile(join(directory, 'settings.json'), 'utf8')) as unknown;
    expect(file).toMatchObject({
      language: 'en',
      serverUrl: 'https://review.example.com',
      window: { maximized: false, bounds: { width: 1200 } },
    });

    const reopened = createSettingsService(realStore());
    expect(reopened.get()).toEqual({
      serverUrl: 'https://review.example.com',
      language: 'en',
      theme: 'auto',
      fileRetentionDays: 30,
    });
    expect(reopened.windowState()).toEqual({
      maximized: false,
      bounds: { x: 0, y: 0, width: 1200, height: 700 },
    });
  });

  it('lets the JSON schema refuse what the service would never write', () => {
    const store = realStore();
    expect(() => {
      store.set('theme', 'neon' as 'dark');
    }).toThrow(/schema violation/);
    expect(() => {
      store.set('serverUrl', 'file:///etc/passwd');
    }).toThrow(/schema violation/);
    expect(() => {
      store.set('window', { maximized: 'yes' as unknown as boolean });
    }).toThrow(/schema violation/);
  });

  it('starts from the defaults when the file is invalid instead of failing to start', async () => {
    await writeFile(
      join(directory, 'settings.json'),
      JSON.stringify({ serverUrl: 'http://127.0.0.1:8787', language: 'klingon', theme: 'auto' }),
    );
    expect(createSettingsService(realStore()).get()).toEqual(DEFAULT_SETTINGS);

    await writeFile(join(directory, 'settings.json'), '{ not json');
    expect(createSettingsService(realStore()).get()).toEqual(DEFAULT_SETTINGS);
  });

  it('uses the server URL override as the default of a fresh store', () => {
    const defaults = settingsDefaults('http://127.0.0.1:9999');
    expect(createSettingsService(realStore(defaults), defaults).get().serverUrl).toBe(
      'http://127.0.0.1:9999',
    );
  });
});
