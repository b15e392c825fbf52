import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Workspace } from '../../workspace/workspace';

/**
 * The credential files of an item's listing revision, each opened in the viewer (PDF pages,
 * images with zoom and rotate), available offline once cached. Placeholder until the viewer lands.
 */
export function FilesTab(props: { readonly workspace: Workspace; readonly itemId: string }) {
  const { t } = useTranslation();
  void props;
  return <Text c="dimmed">{t('viewer.title')}</Text>;
}
