import { Workbox } from 'workbox-window';

/**
 * Registers web mode's service worker, which keeps the app shell available offline. Not in the
 * desktop app (it serves the shell from disk itself) and not in development (Vite serves
 * modules live).
 */
export function registerServiceWorker(kind: 'electron' | 'web'): void {
  if (kind !== 'web' || import.meta.env.DEV || !('serviceWorker' in navigator)) {
    return;
  }
  void new Workbox('/sw.js', { scope: '/' }).register().catch((error: unknown) => {
    console.warn('the offline app shell could not be installed', error);
  });
}
