import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Workspace } from '../../workspace/workspace';

/**
 * What changed in an item's listing revision: against the live version by default, or between
 * any two revisions. Placeholder until the review view lands.
 */
export function ChangesTab(props: { readonly workspace: Workspace; readonly itemId: string }) {
  const { t } = useTranslation();
  void props;
  return <Text c="dimmed">{t('diffView.title')}</Text>;
}
