import { Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ListingReminder } from '#shared/domain/listing/reminders';
import { formatShanghaiDateTime } from '#shared/domain/time';

/**
 * The listing reminders nobody has read yet (project-submission-workspace.zh.md §7): drafts
 * untouched for 7 days and rejections unanswered for 48 hours, per listing and owner, oldest
 * first — the institutions ops may want to call. Hidden when the server has no reminders.
 */
export function OpsReminders({
  reminders,
}: {
  readonly reminders: readonly ListingReminder[] | null;
}) {
  const { t } = useTranslation();
  if (reminders === null) {
    return null;
  }
  return (
    <>
      <Title order={3}>{t('opsConsole.reminders.title')}</Title>
      {reminders.length === 0 ? (
        <Text c="dimmed">{t('opsConsole.reminders.none')}</Text>
      ) : (
        <Table data-testid="ops-reminders" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('opsConsole.reminders.listing')}</Table.Th>
              <Table.Th>{t('opsConsole.reminders.owner')}</Table.Th>
              <Table.Th>{t('opsConsole.reminders.rule')}</Table.Th>
              <Table.Th>{t('opsConsole.reminders.since')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reminders.map((reminder) => (
              <Table.Tr key={reminder.id} data-testid="ops-reminder" data-rule={reminder.rule}>
                <Table.Td>{reminder.listingName}</Table.Td>
                <Table.Td>{reminder.owner.name}</Table.Td>
                <Table.Td>{t(`opsConsole.reminders.name.${reminder.rule}`)}</Table.Td>
                <Table.Td>{formatShanghaiDateTime(Date.parse(reminder.basisAt))}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
