import { MantineProvider, type CSSVariablesResolver } from '@mantine/core';
import { useColorScheme } from '@mantine/hooks';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { App } from './App';
import { AppStoreContext, useAppStore, type AppStore } from './store';
import { theme } from './theme';

export interface RootProps {
  readonly store: AppStore;
  readonly i18n: I18n;
}

/** Providers around the app; kept apart from `main.tsx` so tests render exactly this tree. */
export function Root({ store, i18n }: RootProps) {
  return (
    <I18nextProvider i18n={i18n}>
      <AppStoreContext.Provider value={store}>
        <Themed />
      </AppStoreContext.Provider>
    </I18nextProvider>
  );
}

/** Secondary ("dimmed") text dark enough for WCAG AA on white and on tinted rows. */
const cssVariables: CSSVariablesResolver = (current) => ({
  variables: {},
  light: { '--mantine-color-dimmed': current.colors.gray[7] },
  dark: {},
});

/** Mantine with the user's theme: light, dark, or the system's choice (followed live). */
function Themed() {
  const chosen = useAppStore((state) => state.theme);
  const system = useColorScheme('light');
  return (
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariables}
      forceColorScheme={chosen === 'auto' ? system : chosen}
    >
      <App />
    </MantineProvider>
  );
}
