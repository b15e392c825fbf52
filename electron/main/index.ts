import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { installNavigationGuards } from './guards';
import { registerAppScheme, serveRenderer } from './protocol';
import { APP_ORIGIN, secureWebPreferences } from './security';

// Bundled to dist/electron/main/index.cjs; the renderer and preload sit beside it in dist/.
const distDir = join(__dirname, '..', '..');
const rendererDir = join(distDir, 'renderer');
const preloadPath = join(distDir, 'electron', 'preload', 'index.cjs');

/** Review server the workstation may talk to; configurable in settings once sign-in lands. */
const serverOrigins = [process.env['REVIEW_DESK_SERVER_URL'] ?? 'http://127.0.0.1:8787'];

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    title: 'ReviewDesk',
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  void window.loadURL(`${APP_ORIGIN}/`);
  return window;
}

function bootstrap(): void {
  if (!app.requestSingleInstanceLock()) {
    // A second launch hands over to the running instance (its outbox and cache are single-owner).
    app.quit();
    return;
  }
  app.enableSandbox();
  registerAppScheme();
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) {
        window.restore();
      }
      window.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') {
      app.quit();
    }
  });
  void app.whenReady().then(() => {
    installNavigationGuards();
    serveRenderer(rendererDir, serverOrigins);
    createMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) {
        createMainWindow();
      }
    });
  });
}

bootstrap();
