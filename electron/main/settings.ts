import type { Options as ElectronStoreOptions } from 'electron-store';
import { z } from 'zod';
import {
  applySettingsPatch,
  DEFAULT_FILE_RETENTION_DAYS,
  settingsFromStored,
  settingsPatchSchema,
  settingsSchema,
  THEMES,
  type Settings,
  type SettingsPatch,
} from '../../shared/ipc/contract';
import { DEFAULT_LOCALE, LOCALES } from '../../shared/i18n/localized';

/**
 * The workstation's settings, persisted with electron-store (`userData/settings.json`, written
 * atomically, JSON-schema validated), plus the main window's state, which the renderer never
 * sees. electron-store is hidden behind {@link SettingsBackend}: it imports `electron` at load
 * time, so `index.ts` constructs it and everything here is testable with a fake or with `conf`
 * (the library electron-store extends) in plain Node.
 */

/** A window rectangle in screen coordinates (the normal, un-maximized bounds). */
export interface WindowBounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The main window as it was closed. */
export interface WindowState {
  readonly maximized: boolean;
  readonly bounds?: WindowBounds;
}

/** Everything in `settings.json`. */
export interface StoredSettings extends Settings {
  readonly window: WindowState;
}

/** The review server a fresh installation points at (the server's default port, locally). */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8787';

/** Defaults of a fresh installation. */
export const DEFAULT_SETTINGS: Settings = {
  serverUrl: DEFAULT_SERVER_URL,
  language: DEFAULT_LOCALE,
  theme: 'auto',
  fileRetentionDays: DEFAULT_FILE_RETENTION_DAYS,
};

const DEFAULT_WINDOW_STATE: WindowState = { maximized: false };

const windowBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
});

const windowStateSchema = z.object({
  maximized: z.boolean(),
  bounds: windowBoundsSchema.optional(),
});

/**
 * The defaults, with the server URL replaced by `serverUrlOverride` when that is a valid server
 * URL (`npm start` passes the demo server's address in `REVIEW_DESK_SERVER_URL`). It changes
 * only the default: a server URL the user saved wins.
 */
export function settingsDefaults(serverUrlOverride?: string): Settings {
  const override = settingsSchema.shape.serverUrl.safeParse(serverUrlOverride);
  return override.success ? { ...DEFAULT_SETTINGS, serverUrl: override.data } : DEFAULT_SETTINGS;
}

/**
 * Options for `new ElectronStore<StoredSettings>(…)`: file name, defaults and the JSON schema
 * electron-store validates every read and write with. An invalid file (hand-edited, or from a
 * future version) is replaced by the defaults instead of failing the start.
 */
export function settingsStoreOptions(defaults: Settings = DEFAULT_SETTINGS) {
  const integer = { type: 'integer' } as const;
  return {
    name: 'settings',
    clearInvalidConfig: true,
    // Keys are plain names; dots in them must never be read as paths.
    accessPropertiesByDotNotation: false,
    defaults: { ...defaults, window: DEFAULT_WINDOW_STATE },
    schema: {
      serverUrl: { type: 'string', maxLength: 500, pattern: '^https?://' },
      language: { type: 'string', enum: [...LOCALES] },
      theme: { type: 'string', enum: [...THEMES] },
      fileRetentionDays: { type: 'integer', minimum: 1, maximum: 365 },
      window: {
        type: 'object',
        properties: {
          maximized: { type: 'boolean' },
          bounds: {
            type: 'object',
            properties: {
              x: integer,
              y: integer,
              width: { type: 'integer', minimum: 1 },
              height: { type: 'integer', minimum: 1 },
            },
            required: ['x', 'y', 'width', 'height'],
            additionalProperties: false,
          },
        },
        required: ['maximized'],
        additionalProperties: false,
      },
    },
  } satisfies ElectronStoreOptions<StoredSettings>;
}

/** The part of an electron-store (or `conf`) instance the settings use. */
export interface SettingsBackend {
  /** The whole stored object (defaults included once the store was created). */
  readonly store: unknown;
  /** Writes these keys (electron-store validates against its schema and throws when invalid). */
  set(values: Partial<StoredSettings>): void;
}

/** Settings as the `settings:*` channels and the main process see them. */
export interface SettingsService {
  get(): Settings;
  /** Applies a patch (validated) and returns the complete settings after it. */
  set(patch: SettingsPatch): Settings;
  windowState(): WindowState;
  saveWindowState(state: WindowState): void;
}

/**
 * Creates the settings service. Every value read back is validated again and replaced by its
 * default when invalid, so a damaged file can never hand the renderer a bad server URL.
 */
export function createSettingsService(
  backend: SettingsBackend,
  defaults: Settings = DEFAULT_SETTINGS,
): SettingsService {
  function stored(): Record<string, unknown> {
    const value = backend.store;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  }

  function get(): Settings {
    return settingsFromStored(stored(), defaults);
  }

  return {
    get,

    set(patch) {
      const next = applySettingsPatch(get(), settingsPatchSchema.parse(patch));
      backend.set(next);
      return next;
    },

    windowState() {
      const parsed = windowStateSchema.safeParse(stored()['window']);
      if (!parsed.success) {
        return DEFAULT_WINDOW_STATE;
      }
      const { maximized, bounds } = parsed.data;
      return bounds === undefined ? { maximized } : { maximized, bounds };
    },

    saveWindowState(state) {
      const valid = windowStateSchema.parse(state);
      const window: WindowState =
        valid.bounds === undefined
          ? { maximized: valid.maximized }
          : { maximized: valid.maximized, bounds: valid.bounds };
      backend.set({ window });
    },
  };
}
