import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '#shared/i18n/localized';
import { useLocale } from '../i18n/useLocale';
import { useAppStore } from './store';

/** zh-CN / English, available before and after sign-in; remembered in the settings. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const locale = useLocale();
  const setLocale = useAppStore((state) => state.setLocale);
  return (
    <SegmentedControl<Locale>
      size="xs"
      aria-label={t('app.language')}
      value={locale}
      onChange={(value) => void setLocale(value)}
      data={LOCALES.map((value) => ({ value, label: t(`language.${value}`) }))}
    />
  );
}
