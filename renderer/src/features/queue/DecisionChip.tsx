import { Badge, Group, Loader, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '#shared/i18n/localized';
import { resultMessage } from '#shared/sync/resultMessages';
import type { DecisionState } from '#shared/sync/view';
import { formatServerTime, humanizeTimes } from '../../app/format';
import { mutationLabel } from '../labels';

/**
 * Where the user's decision on an item stands (RSP/1 §2.6): saved on this device → syncing →
 * synced (server time) / conflict. "Saved" and "syncing" never read as final.
 */
export function DecisionChip({
  state,
  locale,
  serverNow,
}: {
  readonly state: DecisionState;
  readonly locale: Locale;
  readonly serverNow: number;
}) {
  const { t } = useTranslation();
  if (state.kind === 'none') {
    return null;
  }
  const name = mutationLabel(state.name, t);
  // `dot`: body-coloured chip, dark text, the colour in the dot (tinted chips fail WCAG AA).
  const chip = (color: string, text: string, extra?: ReactNode, variant = 'dot') => (
    <Badge
      color={color}
      variant={variant}
      radius="sm"
      tt="none"
      size="md"
      h="auto"
      py={2}
      styles={{ label: { whiteSpace: 'normal' } }}
      leftSection={extra}
      data-testid="decision-status"
      data-state={state.kind}
    >
      {name} · {text}
    </Badge>
  );
  switch (state.kind) {
    case 'saved':
      return (
        <Group gap={4}>
          {chip('gray.7', t('chip.saved'), undefined, 'outline')}
          {state.atRisk !== null && (
            <Text size="xs" c="orange.8" data-testid="decision-at-risk">
              {t('chip.atRisk', {
                reason: humanizeTimes(state.atRisk.message[locale], locale, serverNow),
              })}
            </Text>
          )}
        </Group>
      );
    case 'syncing':
      return chip('blue', t('chip.syncing'), <Loader size={10} color="blue" aria-hidden />);
    case 'synced':
      return (
        <Group gap={4}>
          {chip(
            'teal',
            t('chip.synced', { time: formatServerTime(state.serverTime, locale, serverNow) }),
          )}
          {state.code === 'LEASE_EXPIRED_ACCEPTED' && (
            <Badge color="yellow" variant="dot" tt="none">
              {t('chip.afterExpiry')}
            </Badge>
          )}
        </Group>
      );
    case 'conflict': {
      const { result } = state;
      const message =
        result.code === null
          ? (result.message?.[locale] ?? '')
          : resultMessage(result.code, result.details)[locale];
      return (
        <Tooltip label={humanizeTimes(message, locale, serverNow)} multiline maw={320} withArrow>
          {chip('red', result.status === 'rejected' ? t('chip.notApplied') : t('chip.conflict'))}
        </Tooltip>
      );
    }
  }
}
