import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Locale } from '#shared/i18n/localized';
import type { DecisionRecord, UserRecord } from '#shared/sync/rows';
import type { ItemView } from '#shared/sync/view';
import { formatServerTime } from '../../app/format';
import { kindLabel, outcomeLabel, stateLabel } from '../labels';
import { DecisionChip } from './DecisionChip';
import type { QueueAction } from './kinds';

export interface QueueRowProps {
  readonly view: ItemView;
  readonly userId: string;
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly decision: DecisionRecord | undefined;
  readonly actions: readonly QueueAction[];
  readonly onAction: (action: QueueAction, view: ItemView) => void;
  readonly locale: Locale;
  readonly serverNow: number;
}

/** One item of the queue: what it is, where it stands, who holds it, my decision, and actions. */
export function QueueRow({
  view,
  userId,
  users,
  decision,
  actions,
  onAction,
  locale,
  serverNow,
}: QueueRowProps) {
  const { t } = useTranslation();
  const { item } = view;
  const time = (iso: string) => formatServerTime(iso, locale, serverNow);
  const nameOf = (id: string) => users.get(id)?.displayName ?? t('queue.someone');
  const closed = item.state !== 'pending' && item.state !== 'in_review';
  const overdue = !closed && item.dueAt !== null && Date.parse(item.dueAt) < serverNow;

  let holder: string;
  const claim = item.claim;
  const claimLive = claim !== null && Date.parse(claim.expiresAt) > serverNow;
  if (closed) {
    holder = t('queue.noDue');
  } else if (view.heldByMe) {
    holder =
      claim?.reviewerId === userId && claimLive
        ? t('queue.heldByMe', { time: time(claim.expiresAt) })
        : t('queue.heldByMePending');
  } else if (claim?.reviewerId === userId) {
    holder = t('queue.releasePending');
  } else if (claim !== null && claimLive) {
    holder = t('queue.heldBy', { name: nameOf(claim.reviewerId), time: time(claim.expiresAt) });
  } else if (claim !== null) {
    holder = t('queue.leaseExpired', { name: nameOf(claim.reviewerId) });
  } else {
    holder = t('queue.unheld');
  }

  const actionLabels: Record<QueueAction, string> = {
    claim: t('queue.actions.claim'),
    release: t('queue.actions.release'),
    approve: t('queue.actions.approve'),
    reject: t('queue.actions.reject'),
    grade: t('queue.actions.grade'),
    mentorReview: t('queue.actions.mentorReview'),
  };
  const actionColor = (action: QueueAction) =>
    action === 'approve' ? { color: 'teal' } : action === 'reject' ? { color: 'red' } : {};

  return (
    <Table.Tr
      data-testid="queue-item"
      data-item-id={item.id}
      data-state={item.state}
      data-held-by-me={String(view.heldByMe)}
      data-decision={view.decision.kind}
    >
      <Table.Td miw={160}>
        <Text size="sm" fw={500}>
          {item.title}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text size="sm">{kindLabel(item.kind, t)}</Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <Text size="sm">{stateLabel(item.state, t)}</Text>
          {item.state === 'decided' && decision !== undefined && (
            <Text size="xs" c="dimmed" data-testid="final-decision">
              {t('queue.decidedBy', {
                outcome: outcomeLabel(decision.outcome, t, item.kind),
                name: nameOf(decision.reviewerId),
                time: time(decision.decidedAt),
              })}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Text
          size="sm"
          {...(overdue ? { c: 'red.7', fw: 600 } : {})}
          data-overdue={overdue ? 'true' : undefined}
        >
          {item.dueAt === null ? t('queue.noDue') : time(item.dueAt)}
        </Text>
      </Table.Td>
      <Table.Td miw={110}>
        <Text size="sm">{holder}</Text>
      </Table.Td>
      <Table.Td miw={190}>
        <DecisionChip state={view.decision} locale={locale} serverNow={serverNow} />
      </Table.Td>
      <Table.Td>
        {actions.length > 0 && (
          <Group
            gap={6}
            wrap="nowrap"
            role="group"
            aria-label={t('queue.actionsFor', { title: item.title })}
          >
            {actions.map((action) => (
              <Button
                key={action}
                size="compact-sm"
                variant={action === 'release' ? 'default' : 'light'}
                {...actionColor(action)}
                onClick={() => {
                  onAction(action, view);
                }}
              >
                {actionLabels[action]}
              </Button>
            ))}
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
