import { Alert, AppShell, Badge, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_LABELS } from '#shared/domain/roles';
import { ConflictsPage } from '../features/conflicts/ConflictsPage';
import { ItemPage } from '../features/item/ItemPage';
import { QueuePage } from '../features/queue/QueuePage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { useDueNotifications } from '../features/status/dueNotifications';
import { useConflictCount } from '../features/status/hooks';
import { ClockBanner } from '../features/status/ClockBanner';
import { StallBanner } from '../features/status/StallBanner';
import { StatusBar } from '../features/status/StatusBar';
import { useLocale } from '../i18n/useLocale';
import { findScreen, screensFor } from '../kinds/registry';
import type { Workspace } from '../workspace/workspace';
import { LanguageSwitch } from './LanguageSwitch';
import { routeHref, useRoute, type Route } from './routing';
import { ShortcutHelp, useShortcutDispatcher } from './shortcuts';
import { SignOutDialog } from './SignOutDialog';
import { useAppStore } from './store';
import { ThemeSwitch } from './ThemeSwitch';

/** The signed-in workstation: header, navigation, the current screen, and the status bar. */
export function Shell({ workspace }: { readonly workspace: Workspace }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const route = useRoute();
  const requestSignOut = useAppStore((state) => state.requestSignOut);
  const conflicts = useConflictCount(workspace.db);
  const bridge = useAppStore((state) => state.host.bridge);
  useDueNotifications(workspace, bridge, locale);
  useShortcutDispatcher();
  const { user } = workspace.session;

  const isCurrent = (target: Route) =>
    route.name === target.name &&
    (route.name !== 'screen' || target.name !== 'screen' || route.screenId === target.screenId);
  const link = (target: Route, label: string, extra?: ReactNode) => (
    <NavLink
      key={routeHref(target)}
      href={routeHref(target)}
      label={label}
      active={isCurrent(target)}
      aria-current={isCurrent(target) ? 'page' : undefined}
      rightSection={extra}
    />
  );
  const screens = screensFor(user.role);
  const screen = route.name === 'screen' ? findScreen(route.screenId) : undefined;
  const screenQuery = route.name === 'screen' ? route.query : '';
  const screenParams = useMemo(() => new URLSearchParams(screenQuery), [screenQuery]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 210, breakpoint: 0 }}
      footer={{ height: 44 }}
      padding="lg"
    >
      <ShortcutHelp />
      <AppShell.Header>
        <Group h="100%" px="lg" justify="space-between" wrap="nowrap">
          <Title order={1} size="h3" style={{ whiteSpace: 'nowrap' }}>
            {t('app.name')}
          </Title>
          <Group gap="md" wrap="nowrap">
            <Text size="sm" aria-label={t('header.userLabel')} data-testid="current-user">
              {t('header.user', { name: user.displayName, role: ROLE_LABELS[user.role][locale] })}
            </Text>
            <LanguageSwitch />
            <ThemeSwitch />
            <Button size="xs" variant="default" onClick={() => void requestSignOut()}>
              {t('header.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        <Stack gap={2}>
          {link({ name: 'queue', itemId: null }, t('nav.queue'))}
          {screens.map((entry) =>
            link({ name: 'screen', screenId: entry.id, subpath: '', query: '' }, entry.navLabel(t)),
          )}
          {link(
            { name: 'conflicts' },
            t('nav.conflicts'),
            conflicts > 0 ? (
              <Badge
                color="red"
                size="sm"
                circle={conflicts < 10}
                aria-label={t('nav.conflictsBadge', { count: conflicts })}
                data-testid="conflicts-badge"
              >
                {conflicts}
              </Badge>
            ) : undefined,
          )}
          {link({ name: 'settings' }, t('nav.settings'))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <StallBanner workspace={workspace} />
        <ClockBanner workspace={workspace} />
        {route.name === 'queue' && <QueuePage workspace={workspace} itemId={route.itemId} />}
        {route.name === 'item' && (
          <ItemPage workspace={workspace} itemId={route.itemId} tab={route.tab} />
        )}
        {route.name === 'conflicts' && <ConflictsPage workspace={workspace} />}
        {route.name === 'settings' && <SettingsPage workspace={workspace} />}
        {route.name === 'screen' &&
          screen !== undefined &&
          (screen.roles.includes(user.role) ? (
            <screen.Screen
              key={screen.id}
              workspace={workspace}
              subpath={route.subpath}
              params={screenParams}
            />
          ) : (
            <Alert color="orange" role="alert" data-testid="screen-not-allowed">
              {t('nav.notAllowed', { role: ROLE_LABELS[user.role][locale] })}
            </Alert>
          ))}
      </AppShell.Main>
      <AppShell.Footer>
        <StatusBar workspace={workspace} />
      </AppShell.Footer>
      <SignOutDialog username={user.username} />
    </AppShell>
  );
}
