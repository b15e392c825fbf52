import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Workspace } from '../../workspace/workspace';
import { useSyncStatus } from './hooks';

/**
 * Beyond this the computer's clock is worth telling the user about (sync research §3 scenario 14,
 * Actual's `maxDrift`). Sync, leases and due times never depend on it: they use server time, the
 * device clock plus the offset learned from each round trip.
 */
export const CLOCK_SKEW_WARN_MS = 5 * 60_000;

/** How far off the clock is, in the largest whole unit that says it plainly. */
export function describeSkew(offsetMs: number): {
  unit: 'minutes' | 'hours' | 'days';
  count: number;
} {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  if (minutes < 60) {
    return { unit: 'minutes', count: minutes };
  }
  const hours = Math.round(minutes / 60);
  return hours < 48
    ? { unit: 'hours', count: hours }
    : { unit: 'days', count: Math.round(hours / 24) };
}

/** "This computer's clock is 2 hours behind the server": shown while the offset exceeds 5 minutes. */
export function ClockBanner({ workspace }: { readonly workspace: Workspace }) {
  const { t } = useTranslation();
  const { serverOffsetMs } = useSyncStatus(workspace);
  if (Math.abs(serverOffsetMs) <= CLOCK_SKEW_WARN_MS) {
    return null;
  }
  const { unit, count } = describeSkew(serverOffsetMs);
  // The offset is server minus device: positive means the device is behind.
  const direction = serverOffsetMs > 0 ? 'behind' : 'ahead';
  return (
    <Alert
      color="yellow"
      title={t('clock.title')}
      data-testid="clock-banner"
      data-offset-ms={String(serverOffsetMs)}
      mb="md"
    >
      <Text size="sm">
        {t(`clock.${direction}`, { amount: t(`clock.${unit}`, { count }) })} {t('clock.safe')}
      </Text>
    </Alert>
  );
}
