import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ItemRowsState } from './useItemRows';

/**
 * What the item page says while the item's listing document and history are not on this device
 * (a deferred bootstrap fetches them when the item is opened): downloading, or not downloaded
 * and offline, or refused. Nothing once they are here.
 */
export function ItemRowsNotice({
  state,
  onRetry,
}: {
  readonly state: ItemRowsState;
  readonly onRetry: () => void;
}) {
  const { t } = useTranslation();
  if (state === 'ready') {
    return null;
  }
  if (state === 'loading') {
    return (
      <Group gap="xs" role="status" aria-live="polite" data-testid="item-rows-loading">
        <Loader size="xs" aria-hidden />
        <Text size="sm">{t('itemPage.rows.loading')}</Text>
      </Group>
    );
  }
  return (
    <Alert
      color={state === 'offline' ? 'orange' : 'red'}
      role="alert"
      data-testid={state === 'offline' ? 'item-rows-offline' : 'item-rows-failed'}
      title={t(state === 'offline' ? 'itemPage.rows.offlineTitle' : 'itemPage.rows.failedTitle')}
    >
      <Text size="sm">
        {t(state === 'offline' ? 'itemPage.rows.offline' : 'itemPage.rows.failed')}
      </Text>
      <Button size="xs" variant="light" mt="xs" onClick={onRetry}>
        {t('itemPage.rows.retry')}
      </Button>
    </Alert>
  );
}
