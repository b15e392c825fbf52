import type { BrowserWindowConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, secureWebPreferences } from '../../../electron/main/security';
import type { WindowState } from '../../../electron/main/settings';
import {
  createMainWindow,
  initialBounds,
  type MainWindowLike,
} from '../../../electron/main/window';

describe('main window', () => {
  class FakeWindow implements MainWindowLike {
    static created: FakeWindow[] = [];
    readonly listeners = new Map<string, () => void>();
    maximized = false;
    shown = false;
    loaded: string | null = null;
    constructor(readonly options: BrowserWindowConstructorOptions) {
      FakeWindow.created.push(this);
    }
    once(event: string, listener: () => void) {
      this.listeners.set(event, listener);
    }
    on(event: string, listener: () => void) {
      this.listeners.set(event, listener);
    }
    show() {
      this.shown = true;
    }
    maximize() {
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    getNormalBounds() {
      return { x: 100.4, y: 50, width: 1300, height: 820.6 };
    }
    loadURL(url: string) {
      this.loaded = url;
      return Promise.resolve();
    }
  }

  const display = { workArea: { x: 0, y: 0, width: 1920, height: 1080 } };

  function open(state: WindowState) {
    const saved: WindowState[] = [];
    const window = createMainWindow({
      BrowserWindow: FakeWindow,
      settings: { windowState: () => state, saveWindowState: (next) => saved.push(next) },
      displays: () => [display],
      preloadPath: '/app/preload.cjs',
      url: `${APP_ORIGIN}/`,
    });
    return { window, saved };
  }

  it('opens with secure preferences, shows when ready and loads the app', () => {
    const { window } = open({ maximized: false });
    // The window uses the pinned preferences as they are (see security.test.ts), not a variant.
    expect(window.options.webPreferences).toEqual(secureWebPreferences('/app/preload.cjs'));
    expect(window.options.show).toBe(false);
    expect(window.loaded).toBe(`${APP_ORIGIN}/`);
    window.listeners.get('ready-to-show')!();
    expect(window.shown).toBe(true);
    expect(window.maximized).toBe(false);
  });

  it('restores a maximized window and saves its state on close', () => {
    const { window, saved } = open({
      maximized: true,
      bounds: { x: 10, y: 10, width: 1200, height: 700 },
    });
    expect(window.options).toMatchObject({ x: 10, y: 10, width: 1200, height: 700 });
    window.listeners.get('ready-to-show')!();
    expect(window.maximized).toBe(true);
    window.listeners.get('close')!();
    expect(saved).toEqual([
      { maximized: true, bounds: { x: 100, y: 50, width: 1300, height: 821 } },
    ]);
  });

  it('forgets a position that is on no screen any more, keeping the size', () => {
    expect(
      initialBounds({ maximized: false, bounds: { x: 5000, y: 10, width: 1200, height: 700 } }, [
        display,
      ]),
    ).toEqual({
      width: 1200,
      height: 700,
    });
    expect(
      initialBounds({ maximized: false, bounds: { x: 10, y: -500, width: 1200, height: 700 } }, [
        display,
      ]),
    ).toEqual({
      width: 1200,
      height: 700,
    });
    expect(
      initialBounds({ maximized: false, bounds: { x: 0, y: 0, width: 300, height: 200 } }, [
        display,
      ]),
    ).toEqual({
      x: 0,
      y: 0,
      width: 1024,
      height: 640,
    });
    expect(initialBounds({ maximized: false }, [display])).toEqual({ width: 1440, height: 900 });
  });
});
