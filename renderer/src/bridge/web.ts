import type { z } from 'zod';
import {
  BridgeError,
  CHANNELS,
  channelParts,
  IPC_CONTRACT,
  applySettingsPatch,
  DEFAULT_FILE_RETENTION_DAYS,
  REFRESH_TOKEN_IN_COOKIE,
  settingsFromStored,
  settingsPatchSchema,
  storedSessionSchema,
  type Bridge,
  type Channel,
  type MenuCommand,
  type Request,
  type Response,
  type Settings,
} from '../../../shared/ipc/contract';
import { DEFAULT_LOCALE } from '../../../shared/i18n/localized';

/**
 * The bridge in web mode: the same workstation, served by the review server into a plain
 * browser, with no desktop shell behind it. What the shell does natively is done here with the
 * browser's own means, and what the browser cannot do is documented per channel:
 *
 * - settings live in `localStorage`, validated with the contract's schemas;
 * - the session (who is signed in) lives in `localStorage`, protection `browser`; the refresh
 *   token does not: the review server keeps it in an HttpOnly cookie no script can read, and
 *   the stored session carries {@link REFRESH_TOKEN_IN_COOKIE} in its place;
 * - **there is no outbox journal.** `journal:append` validates and drops the entry, `journal:list`
 *   returns `[]`. The unsent decisions live only in IndexedDB, so clearing the site's data (or the
 *   browser evicting it) loses them; the settings screen warns about this in web mode;
 * - notifications use the Notification API only when permission was already granted (asking is
 *   the settings screen's job, on a user gesture), otherwise nothing happens;
 * - there is no native menu, so `onMenuCommand` never fires.
 */

/** `localStorage` keys of web mode. */
export const WEB_SETTINGS_KEY = 'reviewDesk.settings';
export const WEB_SESSION_KEY = 'reviewDesk.session';

/** The part of the Notification API web mode uses. */
export interface WebNotificationApi {
  readonly permission: NotificationPermission;
  new (title: string, options?: NotificationOptions): unknown;
}

export interface WebBridgeDeps {
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** `window.Notification`, absent in browsers without it. */
  readonly Notification?: WebNotificationApi | undefined;
  /** `window.location.origin`: in web mode the review server serves the workstation itself. */
  readonly origin: string;
  /** Defaults to the build's `VITE_APP_VERSION` (or `dev`) and platform `web`. */
  readonly appInfo?: { readonly version: string; readonly platform: string };
}

/** One implementation per channel; a missing one is a compile error. */
type Handlers = {
  readonly [C in Channel]: (request: Request<C>) => Promise<Response<C>>;
};

/** Calls one channel and returns its response (or throws a {@link BridgeError}). */
export type ChannelCall = (channel: Channel, request: unknown) => Promise<unknown>;

/**
 * Shapes per-channel calls into the {@link Bridge} the workstation uses: one method per channel,
 * grouped by namespace (shared by the web and the desktop bridge).
 */
export function assembleBridge(
  kind: Bridge['kind'],
  call: ChannelCall,
  onMenuCommand: Bridge['onMenuCommand'],
): Bridge {
  const namespaces: Record<string, Record<string, (request?: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const { namespace, verb } = channelParts(channel);
    const methods = (namespaces[namespace] ??= {});
    methods[verb] = (request?: unknown) => call(channel, request);
  }
  return { ...namespaces, kind, onMenuCommand } as unknown as Bridge;
}

/** Creates the web-mode bridge over injected browser objects (tests pass fakes). */
export function createWebBridge(deps: WebBridgeDeps): Bridge {
  const { storage } = deps;
  const defaults: Settings = {
    serverUrl: deps.origin,
    language: DEFAULT_LOCALE,
    theme: 'auto',
    fileRetentionDays: DEFAULT_FILE_RETENTION_DAYS,
  };
  const appInfo = deps.appInfo ?? defaultAppInfo();

  function readJson(key: string): unknown {
    const text = storage.getItem(key);
    if (text === null) {
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  function readSettings(): Settings {
    return settingsFromStored(readJson(WEB_SETTINGS_KEY), defaults);
  }

  const handlers: Handlers = {
    'app:info': () => Promise.resolve({ ...appInfo, kind: 'web' as const }),
    'settings:get': () => Promise.resolve(readSettings()),
    'settings:set': (patch) => {
      const next = applySettingsPatch(readSettings(), settingsPatchSchema.parse(patch));
      storage.setItem(WEB_SETTINGS_KEY, JSON.stringify(next));
      return Promise.resolve(next);
    },
    'session:load': () => {
      const stored = readJson(WEB_SESSION_KEY);
      if (stored === undefined) {
        storage.removeItem(WEB_SESSION_KEY);
        return Promise.resolve(null);
      }
      const session = storedSessionSchema.omit({ refreshToken: true }).strict().safeParse(stored);
      if (!session.success) {
        // Damaged, or written by a version that kept the refresh token here: forget it (the
        // user signs in again; their local database and pending work stay).
        storage.removeItem(WEB_SESSION_KEY);
        return Promise.resolve(null);
      }
      return Promise.resolve({ ...session.data, refreshToken: REFRESH_TOKEN_IN_COOKIE });
    },
    'session:save': ({ refreshToken: _inCookie, ...session }) => {
      storage.setItem(WEB_SESSION_KEY, JSON.stringify(session));
      return Promise.resolve({ protection: 'browser' as const });
    },
    'session:clear': () => {
      storage.removeItem(WEB_SESSION_KEY);
      return Promise.resolve(null);
    },
    'session:protection': () => Promise.resolve('browser' as const),
    // No journal outside IndexedDB in a browser: see the module comment.
    'journal:append': () => Promise.resolve(null),
    'journal:list': () => Promise.resolve([]),
    'journal:forget': () => Promise.resolve(null),
    'notify:show': ({ title, body }) => {
      const Api = deps.Notification;
      if (Api?.permission === 'granted') {
        try {
          new Api(title, { body });
        } catch {
          // Some browsers (Chrome on Android) allow notifications only from a service worker.
        }
      }
      return Promise.resolve(null);
    },
  };

  const call: ChannelCall = async (channel, request) => {
    // The same argument checks as the desktop shell, so web mode cannot hide a caller's bug.
    const schema: z.ZodType = IPC_CONTRACT[channel].request;
    const parsed = schema.safeParse(request);
    if (!parsed.success) {
      throw new BridgeError('INVALID_ARGUMENT', `Invalid argument for ${channel}`);
    }
    const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
    try {
      return await handler(parsed.data);
    } catch (error) {
      // Storage can throw (quota, a browser's private mode): report it like the shell would.
      throw new BridgeError('FAILED', error instanceof Error ? error.message : String(error));
    }
  };

  const noMenu = (_listener: (command: MenuCommand) => void) => () => undefined;
  return assembleBridge('web', call, noMenu);
}

function defaultAppInfo(): { version: string; platform: string } {
  const version: unknown = import.meta.env['VITE_APP_VERSION'];
  return {
    version: typeof version === 'string' && version !== '' ? version : 'dev',
    platform: 'web',
  };
}
