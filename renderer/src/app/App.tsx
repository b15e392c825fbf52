import { Center, Loader, Stack, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { SignInPage } from '../features/signIn/SignInPage';
import { Shell } from './Shell';
import { useAppStore } from './store';

/** Start-up, the sign-in page, or the signed-in shell; the desktop menu works in all three. */
export function App() {
  const { t } = useTranslation();
  const auth = useAppStore((state) => state.auth);
  const bridge = useAppStore((state) => state.host.bridge);
  const handleMenuCommand = useAppStore((state) => state.handleMenuCommand);

  useEffect(() => bridge.onMenuCommand(handleMenuCommand), [bridge, handleMenuCommand]);

  switch (auth.kind) {
    case 'starting':
      return (
        <Center mih="100vh">
          <Stack align="center" gap="sm">
            <Loader aria-hidden />
            <Text role="status">{t('app.starting')}</Text>
          </Stack>
        </Center>
      );
    case 'signed_out':
      return <SignInPage username={auth.username} notice={auth.notice} />;
    case 'signed_in':
      // Keyed by user: nothing of one user's screens survives into another's session.
      return <Shell key={auth.workspace.session.user.id} workspace={auth.workspace} />;
  }
}
