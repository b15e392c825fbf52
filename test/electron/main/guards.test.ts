import { EventEmitter } from 'node:events';
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

describe('installNavigationGuards', () => {
  function install() {
    const app = new EventEmitter();
    let requestHandler:
      | ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void)
      | null = null;
    let checkHandler: (() => boolean) | null = null;
    const session: GuardedSession = {
      setPermissionRequestHandler: (handler) => {
        requestHandler = handler;
      },
      setPermissionCheckHandler: (handler) => {
        checkHandler = handler;
      },
    };
    installNavigationGuards(app, session, {
      openExternal: () => Promise.resolve(),
    });
    return { app, requestHandler: () => requestHandler!, checkHandler: () => checkHandler! };
  }

  it('guards every web contents created later', () => {
    const { app } = install();
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.fire('will-navigate', 'https://evil.example.com/')).toBe(true);
    expect(contents.openHandler).not.toBeNull();
  });

  it('denies every permission request and check', () => {
    const { requestHandler, checkHandler } = install();
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'clipboard-read',
      'openExternal',
    ]) {
      const callback = vi.fn();
      requestHandler()({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(checkHandler()()).toBe(false);
  });
});
