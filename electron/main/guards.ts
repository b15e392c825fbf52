import { isAppUrl, isSafeExternalUrl } from './security';

/**
 * Process-wide guards: no renderer can navigate away from the app, open windows, attach
 * `<webview>`s or be granted a permission (camera, notifications, …) it did not get by design.
 * Electron's objects are passed in, so the guards are unit-tested with fakes.
 */

/** An Electron event that can be cancelled. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** The part of Electron's `WebContents` the guards attach to. */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: PreventableEvent, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void;
}

/** The part of Electron's `app` the guards listen on. */
export interface GuardedApp {
  on(
    event: 'web-contents-created',
    listener: (event: unknown, contents: GuardedContents) => void,
  ): unknown;
  on(event: 'session-created', listener: (session: GuardedSession) => void): unknown;
}

/** The part of Electron's `Session` whose permission handlers the guards set. */
export interface GuardedSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
}

/**
 * The one permission the page uses: `navigator.storage.persist()`, so the browser engine does
 * not evict the offline cache and outbox under storage pressure (sync research §4.1).
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['persistent-storage']);

export interface GuardOptions {
  /** `shell.openExternal`: where links to the web go (the user's browser). */
  readonly openExternal: (url: string) => Promise<void>;
  /**
   * Pages a window may show: the app origin, plus the Vite dev server when developing.
   * Defaults to {@link isAppUrl}.
   */
  readonly isAllowedUrl?: (url: string) => boolean;
}

/**
 * Installs the guards on every future `WebContents`, on the default session and on every session
 * created later: the app uses only the default one today, but a partition added tomorrow (a
 * file preview, say) must not start with Electron's grant-everything permission default.
 */
export function installNavigationGuards(
  app: GuardedApp,
  session: GuardedSession,
  options: GuardOptions,
): void {
  app.on('web-contents-created', (_event, contents) => {
    guardContents(contents, options);
  });
  app.on('session-created', denyPermissions);
  denyPermissions(session);
}

/** Denies every permission request and check but {@link GRANTED_PERMISSIONS}. */
export function denyPermissions(session: GuardedSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    callback(GRANTED_PERMISSIONS.has(permission));
  });
  session.setPermissionCheckHandler((_contents, permission) => GRANTED_PERMISSIONS.has(permission));
}

/** Keeps one `WebContents` on the app: no navigation or redirect away, no popups, no webviews. */
export function guardContents(contents: GuardedContents, options: GuardOptions): void {
  const isAllowedUrl = options.isAllowedUrl ?? isAppUrl;
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedUrl(url)) {
      event.preventDefault();
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedUrl(url)) {
      event.preventDefault();
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the user's browser; the app itself never opens a second window.
    if (isSafeExternalUrl(url)) {
      options.openExternal(url).catch((error: unknown) => {
        console.error('[guards] could not open an external link', error);
      });
    }
    return { action: 'deny' };
  });
}
