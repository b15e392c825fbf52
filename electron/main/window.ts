import type { BrowserWindowConstructorOptions } from 'electron';
import { secureWebPreferences } from './security';
import type { SettingsService, WindowBounds, WindowState } from './settings';

/**
 * The main window: always with {@link secureWebPreferences}, shown once painted, and reopened
 * where and how the user left it (when that place is still on a screen).
 */

/** The part of Electron's `BrowserWindow` used here. */
export interface MainWindowLike {
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  show(): void;
  maximize(): void;
  isMaximized(): boolean;
  getNormalBounds(): WindowBounds;
  loadURL(url: string): Promise<void>;
}

/** A display's usable area (Electron's `Display.workArea`). */
export interface DisplayLike {
  readonly workArea: WindowBounds;
}

export interface MainWindowOptions<W extends MainWindowLike> {
  readonly BrowserWindow: new (options: BrowserWindowConstructorOptions) => W;
  readonly settings: Pick<SettingsService, 'windowState' | 'saveWindowState'>;
  /** `screen.getAllDisplays()`: a saved position on an unplugged monitor is not restored. */
  readonly displays: () => readonly DisplayLike[];
  readonly preloadPath: string;
  /** What the window loads: `app://reviewdesk/`, or the Vite dev server when developing. */
  readonly url: string;
  readonly log?: (message: string, error: unknown) => void;
}

export const DEFAULT_WINDOW_SIZE = { width: 1440, height: 900 } as const;
export const MIN_WINDOW_SIZE = { width: 1024, height: 640 } as const;
/** How much of the title bar must be on a screen for a saved position to count as visible. */
const VISIBLE_MARGIN = 48;

/** Creates, loads and returns the main window. */
export function createMainWindow<W extends MainWindowLike>(options: MainWindowOptions<W>): W {
  const log =
    options.log ??
    ((message, error) => {
      console.error(`[window] ${message}`, error);
    });
  const state = options.settings.windowState();
  const window = new options.BrowserWindow({
    ...initialBounds(state, options.displays()),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    title: 'ReviewDesk',
    show: false,
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  window.once('ready-to-show', () => {
    if (state.maximized) {
      window.maximize();
    }
    window.show();
  });
  window.on('close', () => {
    try {
      options.settings.saveWindowState({
        maximized: window.isMaximized(),
        bounds: roundBounds(window.getNormalBounds()),
      });
    } catch (error) {
      // Losing the window position is no reason to keep the user from closing the app.
      log('could not save the window state', error);
    }
  });
  window.loadURL(options.url).catch((error: unknown) => {
    log(`could not load ${options.url}`, error);
  });
  return window;
}

/**
 * Size and position to open with: the saved bounds when their title bar is on some display,
 * else the saved size (centred by Electron), else the default size.
 */
export function initialBounds(
  state: WindowState,
  displays: readonly DisplayLike[],
): { width: number; height: number; x?: number; y?: number } {
  const saved = state.bounds;
  if (saved === undefined) {
    return { ...DEFAULT_WINDOW_SIZE };
  }
  const size = {
    width: Math.max(saved.width, MIN_WINDOW_SIZE.width),
    height: Math.max(saved.height, MIN_WINDOW_SIZE.height),
  };
  const visible = displays.some(({ workArea }) => titleBarVisible(saved, workArea));
  return visible ? { ...size, x: saved.x, y: saved.y } : size;
}

function titleBarVisible(bounds: WindowBounds, area: WindowBounds): boolean {
  const left = Math.max(bounds.x, area.x);
  const right = Math.min(bounds.x + bounds.width, area.x + area.width);
  return (
    right - left >= VISIBLE_MARGIN &&
    bounds.y >= area.y &&
    bounds.y + VISIBLE_MARGIN <= area.y + area.height
  );
}

function roundBounds(bounds: WindowBounds): WindowBounds {
  return {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.max(1, Math.round(bounds.width)),
    height: Math.max(1, Math.round(bounds.height)),
  };
}
