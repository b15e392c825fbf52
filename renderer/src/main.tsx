import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LOCALE_STORAGE_KEY, Root } from './app/Root';
import { createI18n, initialLocale } from './i18n/i18n';

const container = document.getElementById('root');
if (container === null) {
  throw new Error('index.html lost its #root element');
}
const locale = initialLocale(
  window.location.search,
  window.localStorage.getItem(LOCALE_STORAGE_KEY),
);
document.documentElement.lang = locale;
const i18n = await createI18n(locale);

createRoot(container).render(
  <StrictMode>
    <Root i18n={i18n} storage={window.localStorage} />
  </StrictMode>,
);
