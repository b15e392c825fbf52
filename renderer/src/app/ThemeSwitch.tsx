import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { THEMES, type Theme } from '#shared/ipc/contract';
import { useAppStore } from './store';

/** Light / dark / follow the system; remembered in the settings. */
export function ThemeSwitch() {
  const { t } = useTranslation();
  const theme = useAppStore((state) => state.theme);
  const setTheme = useAppStore((state) => state.setTheme);
  return (
    <SegmentedControl<Theme>
      size="xs"
      aria-label={t('theme.label')}
      value={theme}
      onChange={(value) => void setTheme(value)}
      data={THEMES.map((value) => ({ value, label: t(`theme.${value}`) }))}
    />
  );
}
