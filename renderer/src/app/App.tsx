import { AppShell, Code, Group, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LOCALES, isLocale, type Locale } from '#shared/i18n/localized';

export interface AppProps {
  readonly onLocaleChange: (locale: Locale) => void;
}

/** The workstation frame. Sign-in, queues and sync plug in here as they land. */
export function App({ onLocaleChange }: AppProps) {
  const { t, i18n } = useTranslation();
  const current = isLocale(i18n.language) ? i18n.language : 'zh-CN';

  return (
    <AppShell header={{ height: 56 }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="lg" justify="space-between">
          <Title order={1} size="h3">
            {t('app.name')}
          </Title>
          <SegmentedControl
            aria-label={t('app.language')}
            value={current}
            onChange={(value) => {
              if (isLocale(value)) {
                onLocaleChange(value);
              }
            }}
            data={LOCALES.map((locale) => ({ value: locale, label: t(`language.${locale}`) }))}
          />
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Stack maw={720} gap="md">
          <Text c="dimmed">{t('app.tagline')}</Text>
          <Paper withBorder p="lg">
            <Stack gap="xs">
              <Title order={2} size="h4">
                {t('app.setupTitle')}
              </Title>
              <Text>{t('app.setupBody')}</Text>
              <Text size="sm">
                {t('app.cliHint')} <Code>npx review-desk uscc 91110000600037341L</Code>
              </Text>
            </Stack>
          </Paper>
        </Stack>
      </AppShell.Main>
    </AppShell>
  );
}
