import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAppStore } from './store';

/**
 * Signing out with decisions not synced yet asks first (RSP/1 §2.5 rule 8). Signing out anyway
 * keeps them in this user's local database, to be sent at their next sign-in here.
 */
export function SignOutDialog({ username }: { readonly username: string }) {
  const { t } = useTranslation();
  const prompt = useAppStore((state) => state.signOutPrompt);
  const cancel = useAppStore((state) => state.cancelSignOut);
  const signOut = useAppStore((state) => state.signOut);
  const exportPending = useAppStore((state) => state.exportPending);
  return (
    <Modal
      opened={prompt !== null}
      onClose={cancel}
      title={t('signOut.title', { count: prompt?.pending ?? 0 })}
    >
      <Stack gap="md">
        <Text size="sm">{t('signOut.body', { username })}</Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={cancel}>
            {t('signOut.cancel')}
          </Button>
          <Button variant="light" onClick={() => void exportPending()}>
            {t('signOut.export')}
          </Button>
          <Button color="red" onClick={() => void signOut()}>
            {t('signOut.anyway')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
