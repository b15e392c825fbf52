import { z } from 'zod';
import { LOCALES } from '../i18n/localized';

/**
 * The typed bridge between the workstation and the desktop shell: every message the renderer
 * may send to the Electron main process, with its request and response schemas. Channels are
 * `namespace:verb`; the main process registers exactly one handler per channel, checks the
 * sender frame and validates the argument with these schemas; the preload exposes one method per
 * channel and nothing else. In web mode the same `Bridge` type is implemented in the browser
 * (`renderer/src/bridge/web.ts`).
 */

export const THEMES = ['light', 'dark', 'auto'] as const;
export type Theme = (typeof THEMES)[number];

export const settingsSchema = z.object({
  /** The review server, e.g. `http://127.0.0.1:8787`. */
  serverUrl: z.url({ protocol: /^https?$/ }).max(500),
  language: z.enum(LOCALES),
  theme: z.enum(THEMES),
  /**
   * Days cached credential files and their OCR readings are kept on the device after the
   * listing's decision (personal data: licence holders' IDs, tutors' certificates).
   */
  fileRetentionDays: z.number().int().min(1).max(365),
});
export type Settings = z.infer<typeof settingsSchema>;

/** Days cached files are kept after the decision unless the user picks another limit. */
export const DEFAULT_FILE_RETENTION_DAYS = 30;

/**
 * Settings read back from storage, validated field by field: one damaged or missing value (a
 * hand-edited file, or one written before the field existed) falls back to its default without
 * resetting the others.
 */
export function settingsFromStored(stored: unknown, defaults: Settings): Settings {
  const raw =
    typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const field = <K extends keyof Settings>(key: K): Settings[K] => {
    const parsed = settingsSchema.shape[key].safeParse(raw[key]);
    return parsed.success ? (parsed.data as Settings[K]) : defaults[key];
  };
  return {
    serverUrl: field('serverUrl'),
    language: field('language'),
    theme: field('theme'),
    fileRetentionDays: field('fileRetentionDays'),
  };
}

/** `current` with the fields `patch` sets (a validated patch). */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return settingsSchema.parse({
    ...current,
    ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)),
  });
}

/** What may be changed from the renderer (window state is the main process's own business). */
export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** A signed-in session as kept on the device; the refresh token never leaves the main process unencrypted at rest. */
export const storedSessionSchema = z.object({
  serverUrl: z.url({ protocol: /^https?$/ }).max(500),
  userId: z.uuid(),
  username: z.string().min(1).max(64),
  displayName: z.string().max(200),
  role: z.string().max(32),
  refreshToken: z.string().min(1).max(512),
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

/**
 * The `refreshToken` of a web-mode session: the real token lives in an HttpOnly cookie of the
 * review server (see the server's `REFRESH_TRANSPORT_HEADER`), out of reach of the page's
 * scripts, and the browser's storage never holds it.
 */
export const REFRESH_TOKEN_IN_COOKIE = 'http-only-cookie';

/**
 * How well secrets are protected at rest: `os` (Keychain, DPAPI, libsecret/kwallet),
 * `basic_text` (Linux without a keyring: obfuscated only — the app warns), `unavailable` (nothing
 * is stored; the user signs in at each start), `browser` (web mode: the browser's storage).
 */
export const SECRET_PROTECTIONS = ['os', 'basic_text', 'unavailable', 'browser'] as const;
export type SecretProtection = (typeof SECRET_PROTECTIONS)[number];

/** An outbox envelope as journaled outside IndexedDB (frozen format, versioned by `env`). */
export const journalEntrySchema = z.object({
  env: z.literal(1),
  userId: z.uuid(),
  clientId: z.uuid(),
  seq: z.number().int().min(1),
  mutationId: z.uuid(),
  name: z.string().min(1).max(64),
  v: z.number().int().min(1),
  args: z.unknown(),
  base: z.record(z.string(), z.number()).optional(),
  clientCreatedAt: z.string().max(40),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

export const menuCommands = [
  'sync-now',
  'open-settings',
  'open-conflicts',
  'open-queue',
  'sign-out',
  'toggle-theme',
] as const;
export type MenuCommand = (typeof menuCommands)[number];

const userScope = z.object({ userId: z.uuid() });

/** Every request/response pair, by channel. */
export const IPC_CONTRACT = {
  'app:info': {
    request: z.undefined(),
    response: z.object({
      version: z.string(),
      platform: z.string(),
      kind: z.enum(['electron', 'web']),
    }),
  },
  'settings:get': { request: z.undefined(), response: settingsSchema },
  'settings:set': { request: settingsPatchSchema, response: settingsSchema },
  'session:load': { request: z.undefined(), response: storedSessionSchema.nullable() },
  'session:save': {
    request: storedSessionSchema,
    response: z.object({ protection: z.enum(SECRET_PROTECTIONS) }),
  },
  'session:clear': { request: z.undefined(), response: z.null() },
  'session:protection': { request: z.undefined(), response: z.enum(SECRET_PROTECTIONS) },
  'journal:append': { request: journalEntrySchema, response: z.null() },
  'journal:list': { request: userScope, response: z.array(journalEntrySchema) },
  'journal:forget': {
    request: userScope.extend({ mutationIds: z.array(z.uuid()).max(10_000) }),
    response: z.null(),
  },
  'notify:show': {
    request: z.object({ title: z.string().min(1).max(120), body: z.string().max(500) }),
    response: z.null(),
  },
} as const;

export type Channel = keyof typeof IPC_CONTRACT;
export const CHANNELS = Object.keys(IPC_CONTRACT) as readonly Channel[];
export type Request<C extends Channel> = z.infer<(typeof IPC_CONTRACT)[C]['request']>;
export type Response<C extends Channel> = z.infer<(typeof IPC_CONTRACT)[C]['response']>;

/** What crosses `ipcRenderer.invoke`: handlers never throw across the boundary (only `message` would survive). */
export type IpcResult<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/** Event channel main → renderer: a native menu item or its shortcut was used. */
export const MENU_COMMAND_CHANNEL = 'menu:command';

type Namespace = Channel extends `${infer N}:${string}` ? N : never;

/** The method for one channel: no argument when the request is empty. */
type Method<C extends Channel, Result> =
  Request<C> extends undefined ? () => Promise<Result> : (request: Request<C>) => Promise<Result>;

/** One method per channel, grouped by namespace: `bridge.settings.get()`, `bridge.journal.append(e)`. */
export type BridgeMethods<Wrap extends 'raw' | 'plain'> = {
  readonly [N in Namespace]: {
    readonly [C in Channel as C extends `${N}:${infer Verb}` ? Verb : never]: Method<
      C,
      Wrap extends 'raw' ? IpcResult<Response<C>> : Response<C>
    >;
  };
};

/**
 * What the preload exposes as `window.reviewDesk`: results as `IpcResult` values, because only
 * an error's message would survive the context bridge; the menu subscription passes the command
 * only, never Electron's event object.
 */
export type RawBridge = BridgeMethods<'raw'> & {
  readonly kind: 'electron';
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
};

/** The bridge as the workstation uses it: responses, or a thrown `BridgeError`. */
export type Bridge = BridgeMethods<'plain'> & {
  readonly kind: 'electron' | 'web';
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
};

/** Splits a channel into the namespace and verb the bridge methods are named by. */
export function channelParts(channel: Channel): {
  readonly namespace: Namespace;
  readonly verb: string;
} {
  const [namespace, verb] = channel.split(':') as [Namespace, string];
  return { namespace, verb };
}

export class BridgeError extends Error {
  override readonly name = 'BridgeError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
