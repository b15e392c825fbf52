import { MantineProvider } from '@mantine/core';
import type { i18n as I18n } from 'i18next';
import { useCallback } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { Locale } from '#shared/i18n/localized';
import { App } from './App';
import { theme } from './theme';

export const LOCALE_STORAGE_KEY = 'reviewDesk.locale';

export interface RootProps {
  readonly i18n: I18n;
  readonly storage: Pick<Storage, 'setItem'>;
}

/** Providers around the app; kept apart from `main.tsx` so tests render exactly this tree. */
export function Root({ i18n, storage }: RootProps) {
  const changeLocale = useCallback(
    (locale: Locale) => {
      storage.setItem(LOCALE_STORAGE_KEY, locale);
      document.documentElement.lang = locale;
      void i18n.changeLanguage(locale);
    },
    [i18n, storage],
  );
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme} defaultColorScheme="light">
        <App onLocaleChange={changeLocale} />
      </MantineProvider>
    </I18nextProvider>
  );
}
