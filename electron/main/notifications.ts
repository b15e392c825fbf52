import type { Request, Response } from '../../shared/ipc/contract';

/**
 * Desktop notifications (`notify:show`) through Electron's `Notification`, shown by the main
 * process: the renderer's own Notification API stays denied by the permission guards.
 */

/** One notification, as far as this module uses it. */
export interface NotificationLike {
  show(): void;
}

/** The part of Electron's `Notification` class this module uses. */
export interface NotificationConstructorLike {
  new (options: { title: string; body: string }): NotificationLike;
  isSupported(): boolean;
}

/** The `notify:show` handler. */
export type ShowNotification = (
  request: Request<'notify:show'>,
) => Promise<Response<'notify:show'>>;

/**
 * Creates the `notify:show` handler. Where the system has no notification support (some Linux
 * desktops), showing is a silent no-op: a notification is a courtesy, never the only signal.
 */
export function createNotifier(Notification: NotificationConstructorLike): ShowNotification {
  return ({ title, body }) => {
    if (Notification.isSupported()) {
      new Notification({ title, body }).show();
    }
    return Promise.resolve(null);
  };
}
