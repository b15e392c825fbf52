import { Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { reviewerRolesOf } from './kinds';

/**
 * The operations manager assigns an item to a reviewer of its kind (`assign`): the server gives
 * them the claim and the item comes first in their queue.
 */
export function AssignModal({
  item,
  users,
  onClose,
  onSubmit,
}: {
  readonly item: ReviewItemRecord;
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly onClose: () => void;
  readonly onSubmit: (args: { itemId: string; assigneeId: string }) => Promise<void> | void;
}) {
  const { t } = useTranslation();
  const roles = reviewerRolesOf(item.kind);
  const candidates = [...users.values()]
    .filter((user) => user.active && roles.includes(user.role))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  const [assigneeId, setAssigneeId] = useState(
    candidates.find((user) => user.id !== item.claim?.reviewerId)?.id ?? '',
  );
  return (
    <Modal opened onClose={onClose} title={t('queueView.assign.title', { title: item.title })}>
      <Stack gap="md">
        {candidates.length === 0 ? (
          <Text c="dimmed">{t('queueView.assign.nobody')}</Text>
        ) : (
          <NativeSelect
            label={t('queueView.assign.to')}
            value={assigneeId}
            onChange={(event) => {
              setAssigneeId(event.currentTarget.value);
            }}
            data={candidates.map((user) => ({ value: user.id, label: user.displayName }))}
            data-autofocus
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('queueView.take.cancel')}
          </Button>
          <Button
            disabled={assigneeId === ''}
            onClick={() => void onSubmit({ itemId: item.id, assigneeId })}
          >
            {t('queueView.assign.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
