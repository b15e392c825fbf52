import { Anchor, Badge, Button, Group, Popover, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { ListingReminder } from '#shared/domain/listing/reminders';
import { formatShanghaiDateTime } from '#shared/domain/time';
import { routeHref } from '../../app/routing';
import { useAppStore } from '../../app/store';
import type { Workspace } from '../../workspace/workspace';
import { useAlertBadgeT } from './alertText';
import { useAnnounceOnce } from './announce';
import { markReminderRead, SEEN_REMINDERS_KEY, useReminders } from './reminders';

/**
 * The listing owner's reminders in the status bar: a badge with the unread count that opens the
 * list (each with a link to the draft and "mark read"), and a desktop notification for each
 * reminder this device has not announced yet. Hidden while there is nothing unread.
 */
export function ReminderBadge({ workspace }: { readonly workspace: Workspace }) {
  const a = useAlertBadgeT();
  const bridge = useAppStore((state) => state.host.bridge);
  const reminders = useReminders(workspace);
  const unread = useMemo(
    () => (reminders ?? []).filter((reminder) => reminder.readAt === null),
    [reminders],
  );
  const [failure, setFailure] = useState<string | null>(null);
  useAnnounceOnce(workspace.db, bridge, SEEN_REMINDERS_KEY, unread, (fresh) => ({
    title: a('reminders.notifyTitle', { count: fresh.length }),
    body: fresh
      .slice(0, 5)
      .map((reminder) => text(reminder))
      .join('\n'),
  }));
  if (unread.length === 0) {
    return null;
  }
  function text(reminder: ListingReminder): string {
    return a(`reminders.${reminder.rule}`, {
      name: reminder.listingName,
      since: formatShanghaiDateTime(Date.parse(reminder.basisAt)),
    });
  }
  return (
    <Popover width={380} position="top-end" withArrow shadow="md">
      <Popover.Target>
        <Badge
          component="button"
          color="orange"
          variant="filled"
          style={{ cursor: 'pointer', flexShrink: 0 }}
          aria-label={a('reminders.aria', { count: unread.length })}
          data-testid="reminder-badge"
          data-count={String(unread.length)}
        >
          {a('reminders.label', { count: unread.length })}
        </Badge>
      </Popover.Target>
      <Popover.Dropdown data-testid="reminder-list">
        <Stack gap="sm">
          <Text fw={600}>{a('reminders.title')}</Text>
          {unread.map((reminder) => (
            <Stack key={reminder.id} gap={4} data-testid="reminder" data-rule={reminder.rule}>
              <Text size="sm">{text(reminder)}</Text>
              <Group gap="sm">
                <Anchor
                  size="sm"
                  href={routeHref({
                    name: 'screen',
                    screenId: 'listings',
                    subpath: `/${reminder.listingId}/edit`,
                    query: '',
                  })}
                >
                  {a('reminders.open')}
                </Anchor>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  data-testid="reminder-read"
                  onClick={() => {
                    setFailure(null);
                    markReminderRead(workspace, reminder.id).catch(() => {
                      setFailure(a('reminders.offline'));
                    });
                  }}
                >
                  {a('reminders.markRead')}
                </Button>
              </Group>
            </Stack>
          ))}
          {failure !== null && (
            <Text size="sm" c="red" role="alert">
              {failure}
            </Text>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
