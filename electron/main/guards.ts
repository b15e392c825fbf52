import { app, session, shell, type WebContents } from 'electron';
import { isAppUrl, isSafeExternalUrl } from './security';

/**
 * Process-wide guards: no renderer can navigate away from the app, open windows, attach
 * `<webview>`s or be granted a permission (camera, notifications, …) it did not get by design.
 */
export function installNavigationGuards(): void {
  app.on('web-contents-created', (_event, contents) => {
    guardContents(contents);
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the user's browser; the app itself never opens a second window.
    if (isSafeExternalUrl(url)) {
      void shell.openExternal(url);
    }
    return { action: 'deny' };
  });
}
