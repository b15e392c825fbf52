import '@mantine/core/styles.css';
import '@mantine/charts/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DEFAULT_FILE_RETENTION_DAYS, type Settings } from '#shared/ipc/contract';
import { DEFAULT_LOCALE } from '#shared/i18n/localized';
import { Root } from './app/Root';
import { createAppStore } from './app/store';
import { getBridge } from './bridge';
import { ReviewDeskDb } from './db/database';
import { registerServiceWorker } from './pwa/registerServiceWorker';
import { createI18n, initialLocale } from './i18n/i18n';
import { registerKinds } from './kinds';
import { openWorkspace } from './workspace/workspace';

const container = document.getElementById('root');
if (container === null) {
  throw new Error('index.html lost its #root element');
}

registerKinds();
const bridge = getBridge();
const fetch = window.fetch.bind(window);
const settings: Settings = await bridge.settings.get().catch((error: unknown) => {
  console.error('reading the settings failed', error);
  return {
    serverUrl: window.location.origin,
    language: DEFAULT_LOCALE,
    theme: 'auto' as const,
    fileRetentionDays: DEFAULT_FILE_RETENTION_DAYS,
  };
});
// `?lang=` wins (links and tests use it); then the language the user picked; then zh-CN.
const locale = initialLocale(window.location.search, settings.language);
document.documentElement.lang = locale;
const i18n = await createI18n(locale);

const store = createAppStore(
  {
    bridge,
    fetch,
    i18n,
    origin: window.location.origin,
    openWorkspace: (session) =>
      openWorkspace(session, {
        bridge,
        fetch,
        window,
        createEventSource: (url) => new EventSource(url),
        reload: () => {
          window.location.reload();
        },
      }),
    async countPending(userId) {
      const db = new ReviewDeskDb(userId);
      try {
        return await db.outbox.count();
      } finally {
        db.close();
      }
    },
    prefersDark: () => window.matchMedia('(prefers-color-scheme: dark)').matches,
  },
  {
    locale,
    theme: settings.theme,
    // In web mode the review server serves the workstation: it is the page's own origin.
    serverUrl: bridge.kind === 'web' ? window.location.origin : settings.serverUrl,
  },
);

createRoot(container).render(
  <StrictMode>
    <Root store={store} i18n={i18n} />
  </StrictMode>,
);
void store.getState().start();
// Web mode: the offline app shell, so a reload with no network still opens the workstation.
registerServiceWorker(bridge.kind);
