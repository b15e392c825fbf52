import { Alert, Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsSchema, type Response } from '#shared/ipc/contract';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { useAppStore } from '../../app/store';
import { ThemeSwitch } from '../../app/ThemeSwitch';
import { RetentionSetting } from './RetentionSetting';
import type { Workspace } from '../../workspace/workspace';

const WEAK_PROTECTION = new Set(['basic_text', 'unavailable', 'browser']);

function Section({ title, children }: { readonly title: string; readonly children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Stack gap="sm">
        <Title order={3} size="h5">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

/** Server address, language and theme, how the session is protected, exports and the version. */
export function SettingsPage({ workspace }: { readonly workspace: Workspace }) {
  const { t } = useTranslation();
  const bridge = useAppStore((state) => state.host.bridge);
  const serverUrl = useAppStore((state) => state.serverUrl);
  const changeServerUrl = useAppStore((state) => state.changeServerUrl);
  const exportPending = useAppStore((state) => state.exportPending);
  const webMode = bridge.kind === 'web';
  const protection = workspace.session.protection;

  const [draft, setDraft] = useState(serverUrl);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [info, setInfo] = useState<Response<'app:info'> | null>(null);

  useEffect(() => {
    let live = true;
    bridge.app
      .info()
      .then((answer) => {
        if (live) {
          setInfo(answer);
        }
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [bridge]);

  const normalized = draft.trim().replace(/\/+$/, '');
  const askToChange = () => {
    if (!settingsSchema.shape.serverUrl.safeParse(normalized).success) {
      setError(t('settings.serverInvalid'));
      return;
    }
    setError(null);
    setConfirming(true);
  };

  return (
    <Stack gap="md" maw={760}>
      <Title order={2} size="h3">
        {t('settings.title')}
      </Title>

      <Section title={t('settings.server')}>
        <Group align="flex-end" gap="sm">
          <TextInput
            name="serverUrl"
            type="url"
            label={t('settings.serverUrl')}
            description={webMode ? t('settings.serverWeb') : undefined}
            value={draft}
            readOnly={webMode}
            onChange={(event) => {
              setDraft(event.currentTarget.value);
              setError(null);
            }}
            error={error ?? undefined}
            spellCheck={false}
            style={{ flex: 1 }}
          />
          {!webMode && (
            <Button
              variant="default"
              onClick={askToChange}
              disabled={normalized === serverUrl.replace(/\/+$/, '')}
            >
              {t('settings.serverSave')}
            </Button>
          )}
        </Group>
      </Section>

      <Section title={t('settings.appearance')}>
        <Group gap="xl">
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('app.language')}
            </Text>
            <LanguageSwitch />
          </Stack>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('theme.label')}
            </Text>
            <ThemeSwitch />
          </Stack>
        </Group>
      </Section>

      <Section title={t('settings.security')}>
        {WEAK_PROTECTION.has(protection) ? (
          <Alert color="orange" data-testid="protection-warning" data-protection={protection}>
            {t(`settings.protection.${protection}`)}
          </Alert>
        ) : (
          <Text size="sm" data-testid="protection-ok" data-protection={protection}>
            {t(`settings.protection.${protection}`)}
          </Text>
        )}
      </Section>

      <Section title={t('settings.data')}>
        <Text size="sm" c="dimmed">
          {t('settings.exportHint')}
        </Text>
        <Group>
          <Button variant="default" onClick={() => void exportPending()}>
            {t('settings.exportPending')}
          </Button>
        </Group>
        <RetentionSetting />
      </Section>

      <Section title={t('settings.about')}>
        <Text size="sm" data-testid="app-version">
          {t('app.name')} · {t('settings.version', { version: info?.version ?? '…' })}
        </Text>
        {info !== null && (
          <Text size="xs" c="dimmed">
            {t('settings.platform', {
              kind: info.kind === 'web' ? t('settings.kindWeb') : t('settings.kindElectron'),
              platform: info.platform,
            })}
          </Text>
        )}
      </Section>

      <Modal
        opened={confirming}
        onClose={() => {
          setConfirming(false);
        }}
        title={t('settings.serverChangeTitle')}
      >
        <Stack gap="md">
          <Text size="sm">{t('settings.serverChangeBody')}</Text>
          <Group justify="flex-end" gap="sm">
            <Button
              variant="default"
              onClick={() => {
                setConfirming(false);
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button
              color="red"
              onClick={() => {
                setConfirming(false);
                void changeServerUrl(normalized);
              }}
            >
              {t('settings.serverChangeConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
