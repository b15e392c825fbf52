import { Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ItemTab } from '../../app/routing';
import type { Workspace } from '../../workspace/workspace';

/** One review item, opened from the queue or a link (`#/items/{itemId}`). */
export function ItemPage({
  itemId,
}: {
  readonly workspace: Workspace;
  readonly itemId: string;
  readonly tab: ItemTab;
}) {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={2}>{t('itemPage.title')}</Title>
      <code>{itemId}</code>
    </Stack>
  );
}
