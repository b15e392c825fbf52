import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REFUND_REASON_LABELS, type RefundIneligibilityReason } from '#shared/domain/refund';
import { formatShanghaiDateTime, shanghaiDate } from '#shared/domain/time';
import { calendarCovers, workingDaysLeft } from '#shared/domain/workCalendar';
import { useLocale } from '../../i18n/useLocale';
import type { KindItemViewProps } from '../registry';

/** A refund request as the ops manager's device mirrors it (`refund_requests`). */
interface RefundRequestRow {
  readonly id: string;
  readonly studentId: string;
  readonly studentName: string;
  readonly orderId: string;
  readonly amount: string;
  readonly currency: string;
  readonly purchasedAt: string;
  readonly requestedAt: string;
  readonly progressPercent: string;
  readonly eligible: boolean;
  readonly ineligibilityReasons: readonly RefundIneligibilityReason[];
  readonly state: 'pending' | 'approved' | 'rejected';
  readonly decidedAt: string | null;
  readonly refundDueBy: string | null;
}

export type PayoutCountdown =
  | { readonly status: 'due'; readonly workingDays: number; readonly holidaysKnown: boolean }
  | { readonly status: 'overdue'; readonly since: string };

/** Where an approved refund stands against its payout deadline (3 working days, holidays as data). */
export function payoutCountdown(lastDay: string, serverNowMs: number): PayoutCountdown {
  const today = shanghaiDate(serverNowMs);
  if (today > lastDay) {
    return { status: 'overdue', since: lastDay };
  }
  return {
    status: 'due',
    workingDays: workingDaysLeft(today, lastDay),
    holidaysKnown: calendarCovers(today) && calendarCovers(lastDay),
  };
}

/**
 * A refund request's page: the facts the 7-day rule is checked on, the system's verdict, approve
 * or reject (offline too: they go through the outbox like every decision), and for an approved
 * refund the payout deadline counted down in working days.
 */
export function RefundItemView({ workspace, item }: KindItemViewProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const refund = useLiveQuery(
    async () =>
      (await workspace.db.mirror('refund_requests').get(item.subjectId)) as
        RefundRequestRow | undefined,
    [workspace, item.subjectId],
  );
  const [note, setNote] = useState('');
  const [recorded, setRecorded] = useState<'approve' | 'reject' | null>(null);
  const [noteMissing, setNoteMissing] = useState(false);
  if (refund === undefined) {
    return <Text c="dimmed">{t('refundView.notOnDevice')}</Text>;
  }
  const decide = async (outcome: 'approve' | 'reject') => {
    if (outcome === 'reject' && note.trim() === '') {
      setNoteMissing(true);
      return;
    }
    await workspace.record(
      outcome,
      outcome === 'approve'
        ? { itemId: item.id }
        : {
            itemId: item.id,
            reasons: ['other'],
            comments: [{ path: '/refund', reasonCode: 'other', text: note.trim() }],
          },
    );
    setRecorded(outcome);
  };
  const countdown =
    refund.state === 'approved' && refund.refundDueBy !== null
      ? payoutCountdown(refund.refundDueBy, workspace.serverNow())
      : null;
  const facts: [string, string][] = [
    [t('refundView.student'), `${refund.studentName} (${refund.studentId})`],
    [t('refundView.order'), refund.orderId],
    [t('refundView.amount'), `${refund.amount} ${refund.currency}`],
    [t('refundView.purchasedAt'), formatShanghaiDateTime(Date.parse(refund.purchasedAt))],
    [t('refundView.requestedAt'), formatShanghaiDateTime(Date.parse(refund.requestedAt))],
    [t('refundView.progress'), `${refund.progressPercent} %`],
  ];
  return (
    <Stack p="md" maw={760} data-testid="refund-view" data-state={refund.state}>
      <Title order={2}>{t('refundView.title', { name: refund.studentName })}</Title>
      <Card withBorder>
        <Table>
          <Table.Tbody>
            {facts.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w={180}>{label}</Table.Th>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {refund.eligible ? (
        <Alert color="teal" data-testid="refund-eligible">
          {t('refundView.eligible')}
        </Alert>
      ) : (
        <Alert color="red" data-testid="refund-ineligible">
          {t('refundView.ineligible', {
            reasons: refund.ineligibilityReasons
              .map((reason) => REFUND_REASON_LABELS[reason][locale])
              .join(locale === 'zh-CN' ? '；' : '; '),
          })}
        </Alert>
      )}
      {countdown !== null && (
        <Badge
          size="lg"
          color={countdown.status === 'overdue' ? 'red' : 'blue'}
          data-testid="refund-countdown"
          data-status={countdown.status}
        >
          {countdown.status === 'overdue'
            ? t('refundView.overdue', { day: countdown.since })
            : t('refundView.due', {
                count: countdown.workingDays,
                day: refund.refundDueBy,
              })}
        </Badge>
      )}
      {countdown?.status === 'due' && !countdown.holidaysKnown && (
        <Text size="sm" c="dimmed">
          {t('refundView.holidaysUnknown')}
        </Text>
      )}
      {refund.state === 'pending' && recorded === null && (
        <Stack>
          <Textarea
            label={t('refundView.note')}
            value={note}
            error={noteMissing ? t('refundView.noteRequired') : undefined}
            onChange={(event) => {
              setNote(event.currentTarget.value);
              setNoteMissing(false);
            }}
            data-testid="refund-note"
          />
          <Group>
            <Button
              color="teal"
              disabled={!refund.eligible}
              onClick={() => void decide('approve')}
              data-testid="refund-approve"
            >
              {t('refundView.approve')}
            </Button>
            <Button
              color="red"
              variant="light"
              onClick={() => void decide('reject')}
              data-testid="refund-reject"
            >
              {t('refundView.reject')}
            </Button>
          </Group>
        </Stack>
      )}
      {recorded !== null && (
        <Alert color="blue" data-testid="refund-recorded">
          {t(recorded === 'approve' ? 'refundView.approvedPending' : 'refundView.rejectedPending')}
        </Alert>
      )}
    </Stack>
  );
}
