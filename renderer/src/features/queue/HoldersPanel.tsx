import { Anchor, Paper, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale } from '#shared/i18n/localized';
import type { UserRecord } from '#shared/sync/rows';
import { formatServerTime } from '../../app/format';
import type { Holding } from './useQueue';

/** The operations manager's view of who holds what, since when; a name filters the queue to it. */
export function HoldersPanel({
  holdings,
  users,
  locale,
  serverNow,
  onShow,
}: {
  readonly holdings: readonly Holding[];
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly locale: Locale;
  readonly serverNow: number;
  readonly onShow: (userId: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="queue-holders-title">
      <Title order={3} size="h5" id="queue-holders-title" mb={4}>
        {t('queueView.holders.title')}
      </Title>
      {holdings.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('queueView.holders.none')}
        </Text>
      ) : (
        <Table verticalSpacing={4} data-testid="holders">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('queueView.holders.who')}</Table.Th>
              <Table.Th>{t('queueView.holders.items')}</Table.Th>
              <Table.Th>{t('queueView.holders.since')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {holdings.map((holding) => (
              <Table.Tr key={holding.userId} data-testid="holder" data-user-id={holding.userId}>
                <Table.Td>
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    onClick={() => {
                      onShow(holding.userId);
                    }}
                  >
                    {users.get(holding.userId)?.displayName ?? t('queue.someone')}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {holding.assigned > 0
                    ? t('queueView.holders.countAssigned', {
                        count: holding.items,
                        assigned: holding.assigned,
                      })
                    : holding.items}
                </Table.Td>
                <Table.Td>{formatServerTime(holding.since, locale, serverNow)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
