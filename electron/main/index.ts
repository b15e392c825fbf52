import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  net,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import ElectronStore from 'electron-store';
import { MENU_COMMAND_CHANNEL, type MenuCommand } from '../../shared/ipc/contract';
import { installNavigationGuards } from './guards';
import {
  createSenderPolicy,
  httpOrigin,
  registerIpcHandlers,
  type IpcHandlers,
} from './ipc/register';
import { createJournal } from './journal';
import { menuTemplate } from './menu';
import { createNotifier } from './notifications';
import { registerAppScheme, serveRenderer } from './protocol';
import { createSessionStore } from './secrets';
import { APP_ORIGIN, isAppUrl } from './security';
import {
  createSettingsService,
  settingsDefaults,
  settingsStoreOptions,
  type SettingsService,
  type StoredSettings,
} from './settings';
import { createMainWindow } from './window';

/**
 * Bootstrap of the main process: wiring only. Every module gets the real Electron objects here
 * and is unit-tested with fakes (test/electron/main).
 */

// Bundled to dist/electron/main/index.cjs; the renderer and preload sit beside it in dist/.
const distDir = join(__dirname, '..', '..');
const rendererDir = join(distDir, 'renderer');
const preloadPath = join(distDir, 'electron', 'preload', 'index.cjs');

/**
 * In development (never when packaged) the window may load the Vite dev server instead of the
 * build, given as `VITE_DEV_SERVER_URL`; its origin is then trusted like the app origin.
 */
const devServerUrl = app.isPackaged ? null : devServer(process.env['VITE_DEV_SERVER_URL']);

function devServer(url: string | undefined): string | null {
  return url === undefined ? null : httpOrigin(url);
}

function isAllowedPage(url: string): boolean {
  return isAppUrl(url) || (devServerUrl !== null && httpOrigin(url) === devServerUrl);
}

let mainWindow: BrowserWindow | null = null;

function openMainWindow(settings: SettingsService): BrowserWindow {
  const window = createMainWindow({
    BrowserWindow,
    settings,
    displays: () => screen.getAllDisplays(),
    preloadPath,
    url: devServerUrl ?? `${APP_ORIGIN}/`,
  });
  mainWindow = window;
  window.on('closed', () => {
    if (mainWindow === window) {
      mainWindow = null;
    }
  });
  return window;
}

/** Menu commands go to the window the user is looking at. */
function dispatchMenuCommand(command: MenuCommand): void {
  const target = BrowserWindow.getFocusedWindow() ?? mainWindow;
  if (target !== null && !target.isDestroyed()) {
    target.webContents.send(MENU_COMMAND_CHANNEL, command);
  }
}

function onReady(): void {
  const userData = app.getPath('userData');
  // `npm start` passes the demo server's address; it changes the default only.
  const defaults = settingsDefaults(process.env['REVIEW_DESK_SERVER_URL']);
  const settings = createSettingsService(
    new ElectronStore<StoredSettings>(settingsStoreOptions(defaults)),
    defaults,
  );

  installNavigationGuards(app, session.defaultSession, {
    openExternal: (url) => shell.openExternal(url),
    isAllowedUrl: isAllowedPage,
  });
  serveRenderer(protocol, {
    rendererDir,
    serverOrigins: () => {
      const origin = httpOrigin(settings.get().serverUrl);
      return origin === null ? [] : [origin];
    },
    fetchFile: (url) => net.fetch(url),
  });

  const applyMenu = (): void => {
    const template = menuTemplate({
      language: settings.get().language,
      isPackaged: app.isPackaged,
      platform: process.platform,
      dispatch: dispatchMenuCommand,
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  const sessions = createSessionStore({
    safeStorage,
    platform: process.platform,
    directory: userData,
    onDiscarded: (reason) => {
      console.warn(`[secrets] discarded the stored session (${reason})`);
    },
  });
  const journal = createJournal({ directory: join(userData, 'journal') });
  const notify = createNotifier(Notification);

  const handlers: IpcHandlers = {
    'app:info': () =>
      Promise.resolve({
        version: app.getVersion(),
        platform: process.platform,
        kind: 'electron' as const,
      }),
    'settings:get': () => Promise.resolve(settings.get()),
    // The CSP follows a new server URL from the next page load: the renderer reloads after
    // changing it.
    'settings:set': (patch) => {
      const before = settings.get().language;
      const next = settings.set(patch);
      if (next.language !== before) {
        applyMenu();
      }
      return Promise.resolve(next);
    },
    'session:load': () => sessions.load(),
    'session:save': (stored) => sessions.save(stored),
    'session:clear': () => sessions.clear(),
    'session:protection': () => Promise.resolve(sessions.protection()),
    'journal:append': async (entry) => {
      await journal.append(entry);
      return null;
    },
    'journal:list': ({ userId }) => journal.list(userId),
    'journal:forget': async ({ userId, mutationIds }) => {
      await journal.forget(userId, mutationIds);
      return null;
    },
    'notify:show': notify,
  };
  registerIpcHandlers(
    ipcMain,
    handlers,
    createSenderPolicy({ isPackaged: app.isPackaged, devServerUrl }),
  );

  applyMenu();
  openMainWindow(settings);
  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open reopens it.
    if (BrowserWindow.getAllWindows().length === 0) {
      openMainWindow(settings);
    }
  });
}

function bootstrap(): void {
  if (!app.requestSingleInstanceLock()) {
    // A second launch hands over to the running instance (its outbox and journal are single-owner).
    app.quit();
    return;
  }
  app.enableSandbox();
  registerAppScheme(protocol);
  app.on('second-instance', () => {
    if (mainWindow !== null) {
      if (mainWindow.isMinimized()) {
        mainWindow.restore();
      }
      mainWindow.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') {
      app.quit();
    }
  });
  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      console.error('ReviewDesk could not start', error);
      app.exit(1);
    });
}

bootstrap();
