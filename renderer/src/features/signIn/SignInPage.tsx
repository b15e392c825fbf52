import {
  Alert,
  Button,
  Center,
  Group,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsSchema } from '#shared/ipc/contract';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { useAppStore, type SessionEndedNotice, type SignInProblem } from '../../app/store';
import { signInProblemMessage } from './messages';

export interface SignInPageProps {
  /** Prefilled (the user whose session ended). */
  readonly username: string;
  readonly notice: SessionEndedNotice | null;
}

interface FieldErrors {
  readonly serverUrl?: string;
  readonly username?: string;
  readonly password?: string;
}

/** Server address, username and password; a clear message for every way signing in fails. */
export function SignInPage({ username: initialUsername, notice }: SignInPageProps) {
  const { t } = useTranslation();
  const bridge = useAppStore((state) => state.host.bridge);
  const storedServerUrl = useAppStore((state) => state.serverUrl);
  const origin = useAppStore((state) => state.host.origin);
  const signIn = useAppStore((state) => state.signIn);
  const webMode = bridge.kind === 'web';

  const [serverUrl, setServerUrl] = useState(webMode ? origin : storedServerUrl);
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<{ problem: SignInProblem; url: string } | null>(null);

  const submit = async (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    const url = serverUrl.trim();
    const next: { -readonly [K in keyof FieldErrors]: FieldErrors[K] } = {};
    if (!settingsSchema.shape.serverUrl.safeParse(url).success) {
      next.serverUrl = t('signIn.errors.invalidUrl');
    }
    if (username.trim() === '') {
      next.username = t('common.required');
    }
    if (password === '') {
      next.password = t('common.required');
    }
    setErrors(next);
    if (Object.keys(next).length > 0) {
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const failure = await signIn({ serverUrl: url, username: username.trim(), password });
      if (failure !== null) {
        setProblem({ problem: failure, url: url.replace(/\/+$/, '') });
        setBusy(false);
      }
      // On success this page unmounts: the shell replaces it.
    } catch (error) {
      setProblem({
        problem: {
          code: 'unreachable',
          detail: error instanceof Error ? error.message : String(error),
        },
        url,
      });
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={480} component="main">
        <Stack gap="md">
          <Group justify="space-between" align="center" wrap="nowrap">
            <Title order={1} size="h3">
              {t('app.name')}
            </Title>
            <LanguageSwitch />
          </Group>
          <Title order={2} size="h4">
            {t('signIn.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('signIn.intro')}
          </Text>
          {notice !== null && (
            <Alert color="yellow" role="status" data-testid="session-ended">
              <Stack gap={4}>
                <Text size="sm">
                  {notice.pending > 0
                    ? t('signIn.sessionEnded', { count: notice.pending })
                    : t('signIn.sessionEndedNoPending')}
                </Text>
                {notice.pending > 0 && (
                  <Text size="xs" c="dimmed">
                    {t('signIn.otherUserNote', { username: notice.username })}
                  </Text>
                )}
              </Stack>
            </Alert>
          )}
          {problem !== null && (
            <Alert color="red" title={t('signIn.errorTitle')} role="alert">
              {signInProblemMessage(problem.problem, problem.url, t)}
            </Alert>
          )}
          <form noValidate onSubmit={(event) => void submit(event)}>
            <Stack gap="sm">
              <TextInput
                name="serverUrl"
                type="url"
                label={t('signIn.serverUrl')}
                description={webMode ? t('signIn.serverUrlWeb') : undefined}
                value={serverUrl}
                readOnly={webMode}
                onChange={(event) => {
                  setServerUrl(event.currentTarget.value);
                }}
                error={errors.serverUrl}
                autoComplete="url"
                spellCheck={false}
              />
              <TextInput
                name="username"
                label={t('signIn.username')}
                value={username}
                onChange={(event) => {
                  setUsername(event.currentTarget.value);
                }}
                error={errors.username}
                autoComplete="username"
                autoCapitalize="none"
                spellCheck={false}
                required
                withAsterisk={false}
                data-autofocus
              />
              <PasswordInput
                name="password"
                label={t('signIn.password')}
                value={password}
                onChange={(event) => {
                  setPassword(event.currentTarget.value);
                }}
                error={errors.password}
                autoComplete="current-password"
                required
                withAsterisk={false}
              />
              <Button type="submit" loading={busy} mt="xs">
                {t('signIn.submit')}
              </Button>
              {busy && (
                <Text size="sm" c="dimmed" role="status" ta="center">
                  {t('signIn.submitting')}
                </Text>
              )}
            </Stack>
          </form>
        </Stack>
      </Paper>
    </Center>
  );
}
