import { EventEmitter } from 'node:events';
import type { Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  guardContents,
  installNavigationGuards,
  type GuardedContents,
  type GuardedSession,
} from '../../../electron/main/guards';
import { APP_ORIGIN } from '../../../electron/main/security';

type OpenHandler = (details: { readonly url: string }) => { action: 'deny' };

/** A WebContents stand-in: a real EventEmitter plus the window-open handler slot. */
class FakeContents extends EventEmitter implements GuardedContents {
  openHandler: OpenHandler | null = null;
  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }
  /** Emits like Electron and reports whether a listener cancelled the event. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

function guarded(isAllowedUrl?: (url: string) => boolean) {
  const contents = new FakeContents();
  const openExternal = vi.fn(() => Promise.resolve());
  guardContents(
    contents,
    isAllowedUrl === undefined ? { openExternal } : { openExternal, isAllowedUrl },
  );
  return { contents, openExternal };
}

describe('navigation guards', () => {
  it.each(['will-navigate', 'will-redirect'])('%s to another origin is prevented', (event) => {
    const { contents } = guarded();
    for (const url of [
      'https://evil.example.com/',
      'http://127.0.0.1:8787/',
      'file:///etc/passwd',
      'app://evil/',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
    ]) {
      expect(contents.fire(event, url), url).toBe(true);
    }
  });

  it.each(['will-navigate', 'will-redirect'])('%s within the app is allowed', (event) => {
    const { contents } = guarded();
    expect(contents.fire(event, `${APP_ORIGIN}/`)).toBe(false);
    expect(contents.fire(event, `${APP_ORIGIN}/index.html#/settings`)).toBe(false);
  });

  it('allows the dev server only when told to', () => {
    const dev = (url: string) => url.startsWith('http://127.0.0.1:5173/');
    expect(guarded(dev).contents.fire('will-navigate', 'http://127.0.0.1:5173/')).toBe(false);
    expect(guarded().contents.fire('will-navigate', 'http://127.0.0.1:5173/')).toBe(true);
  });

  it('prevents attaching a webview', () => {
    const { contents } = guarded();
    expect(contents.fire('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every new window and opens only http(s) links externally', () => {
    const { contents, openExternal } = guarded();
    const open = contents.openHandler!;
    expect(open({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(open({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect(open({ url: `${APP_ORIGIN}/` })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'smb://host/share' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([
      ['https://example.com/help'],
      ['http://example.com/'],
    ]);
  });

  it('survives a failing openExternal', async () => {
    const contents = new FakeContents();
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    guardContents(contents, { openExternal: () => Promise.reject(new Error('no browser')) });
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => {
      expect(error).toHaveBeenCalled();
    });
    error.mockRestore();
  });
});

type RequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
) => void;

/** A Session stand-in that keeps the permission handlers it is given. */
class FakeSession implements GuardedSession {
  requestHandler: RequestHandler | null = null;
  checkHandler: ((contents: unknown, permission: string) => boolean) | null = null;
  setPermissionRequestHandler(handler: RequestHandler): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void {
    this.checkHandler = handler;
  }
}

/** What Electron's typings say a permission request can ask for. */
type RequestedPermission = Parameters<
  NonNullable<Parameters<Session['setPermissionRequestHandler']>[0]>
>[1];

/**
 * Every permission a page can ask for but `persistent-storage`. The renderer uses none of them (no
 * clipboard API, no fullscreen, no media; notifications are shown by the main process), so all
 * are denied. The compile-time check below fails when an Electron upgrade adds a permission to the typings.
 */
const ELECTRON_PERMISSIONS = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'geolocation',
  'idle-detection',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'pointerLock',
  'ar',
  'automatic-fullscreen',
  'background-fetch',
  'background-sync',
  'captured-surface-control',
  'deprecated-sync-clipboard-read',
  'geolocation-approximate',
  'hand-tracking',
  'hid',
  'local-fonts',
  'local-network',
  'local-network-access',
  'loopback-network',
  'nfc',
  'payment-handler',
  'periodic-background-sync',
  'screen-wake-lock',
  'sensors',
  'serial',
  'smart-card',
  'system-wake-lock',
  'usb',
  'vr',
  'web-app-installation',
  'web-printing',
  'keyboardLock',
  'openExternal',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'unknown',
  'fileSystem',
] as const satisfies readonly RequestedPermission[];
const everyPermissionListed: [
  Exclude<RequestedPermission, (typeof ELECTRON_PERMISSIONS)[number] | 'persistent-storage'>,
] extends [never]
  ? true
  : false = true;

function expectAllDenied(session: FakeSession): void {
  expect(everyPermissionListed).toBe(true);
  for (const permission of ELECTRON_PERMISSIONS) {
    const callback = vi.fn();
    session.requestHandler!({}, permission, callback);
    expect(callback.mock.calls, permission).toEqual([[false]]);
    expect(session.checkHandler!({}, permission), permission).toBe(false);
  }
  // The offline cache asks not to be evicted; that one is granted.
  const callback = vi.fn();
  session.requestHandler!({}, 'persistent-storage', callback);
  expect(callback.mock.calls).toEqual([[true]]);
  expect(session.checkHandler!({}, 'persistent-storage')).toBe(true);
}

describe('installNavigationGuards', () => {
  function install() {
    const app = new EventEmitter();
    const session = new FakeSession();
    installNavigationGuards(app, session, {
      openExternal: () => Promise.resolve(),
    });
    return { app, session };
  }

  it('guards every web contents created later', () => {
    const { app } = install();
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.fire('will-navigate', 'https://evil.example.com/')).toBe(true);
    expect(contents.openHandler).not.toBeNull();
  });

  it('denies every permission request and check', () => {
    expectAllDenied(install().session);
  });

  it('denies every permission in sessions created later too', () => {
    const { app } = install();
    const partition = new FakeSession();
    app.emit('session-created', partition);
    expectAllDenied(partition);
  });
});
