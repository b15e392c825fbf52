import { Stack, Table, Text, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { LISTING_STATE_LABELS, isListingState } from '#shared/domain/listing/lifecycle';
import { REVIEW_REASON_CODES, REVIEW_REASON_LABELS } from '#shared/domain/review/reasons';
import type { Locale } from '#shared/i18n/localized';
import { formatDeviceTime, formatServerTime } from '../../app/format';
import { useLocale } from '../../i18n/useLocale';
import { stateLabel } from '../labels';
import { pathLabel } from './fields';
import {
  buildHistory,
  buildTimeSummary,
  deviceTimeDiffers,
  formatDuration,
  type HistoryEntry,
  type Transition,
} from './history';
import type { ItemData } from './useItemData';

const KNOWN_ACTIONS = [
  'create',
  'start_update',
  'archive',
  'submit',
  'submit_update',
  'withdraw',
  'claim',
  'renew_lease',
  'release',
  'assign',
  'comment',
  'approve',
  'reject',
  'cancel',
  'take_offline',
  'takedown',
  'force_takedown',
  'expire',
  'request_confirmation',
  'confirm',
  'return_confirmation',
] as const;

function isKnownAction(action: string): action is (typeof KNOWN_ACTIONS)[number] {
  return (KNOWN_ACTIONS as readonly string[]).includes(action);
}

function actionLabel(action: string, t: TFunction): string {
  return isKnownAction(action) ? t(`itemPage.history.actions.${action}`) : action;
}

function transitionText(transition: Transition, t: TFunction, locale: Locale): string {
  const label = (state: string | null) => {
    if (state === null) {
      return '—';
    }
    if (transition.subject === 'listing') {
      return isListingState(state) ? LISTING_STATE_LABELS[state][locale] : state;
    }
    return stateLabel(state, t);
  };
  return t(`itemPage.history.transition.${transition.subject}`, {
    from: label(transition.from),
    to: label(transition.to),
  });
}

function detailText(
  entry: HistoryEntry,
  t: TFunction,
  locale: Locale,
  nameOf: (id: string) => string,
): string[] {
  const details = entry.details;
  const lines: string[] = [];
  const reasons = details['reasons'];
  if (Array.isArray(reasons) && reasons.length > 0) {
    lines.push(
      t('itemPage.history.reasons', {
        list: reasons
          .map((code) =>
            typeof code === 'string' && (REVIEW_REASON_CODES as readonly string[]).includes(code)
              ? REVIEW_REASON_LABELS[code as (typeof REVIEW_REASON_CODES)[number]][locale]
              : String(code),
          )
          .join('、'),
      }),
    );
  }
  if (typeof details['comments'] === 'number' && details['comments'] > 0) {
    lines.push(t('itemPage.history.commentCount', { count: details['comments'] }));
  }
  if (entry.action === 'comment' && typeof details['path'] === 'string') {
    lines.push(
      t('itemPage.history.commentOn', {
        field: pathLabel(details['path'], locale),
        reason:
          typeof details['reasonCode'] === 'string' &&
          (REVIEW_REASON_CODES as readonly string[]).includes(details['reasonCode'])
            ? REVIEW_REASON_LABELS[details['reasonCode'] as (typeof REVIEW_REASON_CODES)[number]][
                locale
              ]
            : '',
      }),
    );
    if (typeof details['text'] === 'string') {
      lines.push(details['text']);
    }
  }
  if (typeof details['assigneeId'] === 'string') {
    lines.push(t('itemPage.history.assignedTo', { name: nameOf(details['assigneeId']) }));
  }
  if (typeof details['enteredBy'] === 'string' && entry.action === 'confirm') {
    // Assisted entry: who typed it in, beside who confirmed it (the entry's actor).
    lines.push(t('itemPage.history.enteredBy', { name: details['enteredBy'] }));
  }
  if (details['implicit'] === true) {
    lines.push(t('itemPage.history.implicitClaim'));
  }
  if (entry.reason !== null) {
    lines.push(t('itemPage.history.reason', { reason: entry.reason }));
  }
  return lines;
}

/**
 * Everything that happened to the item, with who and when: server events, my decisions not yet
 * confirmed, and those the server did not apply. Decisions made offline show the device time
 * beside the server time. Below, the time spent on the item, per reviewer and day.
 */
export function HistoryTab({
  data,
  userId,
  serverNow,
}: {
  readonly data: ItemData;
  readonly userId: string;
  readonly serverNow: number;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const item = data.item;
  const entries = useMemo(
    () =>
      item === null
        ? []
        : buildHistory({
            itemId: item.id,
            listingId: item.subjectId,
            userId,
            audit: data.audit,
            outbox: data.outbox,
            results: data.results,
          }),
    [item, userId, data.audit, data.outbox, data.results],
  );
  const time = useMemo(
    () =>
      item === null
        ? { rows: [], totals: [] }
        : buildTimeSummary({
            itemId: item.id,
            userId,
            entries: data.timeEntries,
            outbox: data.outbox,
            results: data.results,
          }),
    [item, userId, data.timeEntries, data.outbox, data.results],
  );
  const nameOf = (id: string | null) =>
    id === null
      ? t('itemPage.history.system')
      : id === userId
        ? t('itemPage.history.me')
        : (data.users.get(id)?.displayName ?? t('itemPage.someone'));
  const server = (iso: string) => formatServerTime(iso, locale, serverNow);
  const device = (iso: string) => formatDeviceTime(iso, locale, serverNow);

  return (
    <Stack gap="lg" data-testid="history-tab">
      <section aria-labelledby="history-events-title">
        <Title order={3} size="h4" id="history-events-title" mb="xs">
          {t('itemPage.history.title')}
        </Title>
        {entries.length === 0 ? (
          <Text c="dimmed">{t('itemPage.history.empty')}</Text>
        ) : (
          <ol className="rd-history">
            {entries.map((entry) => (
              <li
                key={entry.key}
                className="rd-history-entry"
                data-testid="history-event"
                data-action={entry.action}
                data-status={entry.status ?? 'server'}
              >
                <div className="rd-history-head">
                  <strong>{actionLabel(entry.action, t)}</strong>
                  <span>{nameOf(entry.actorId)}</span>
                  {entry.status !== null && entry.status !== 'applied' && (
                    <span
                      className={`rd-tag rd-tag--${
                        entry.status === 'conflict' || entry.status === 'rejected'
                          ? 'error'
                          : 'warn'
                      }`}
                    >
                      {t(`itemPage.history.status.${entry.status}`)}
                    </span>
                  )}
                </div>
                <div className="rd-history-times">
                  {entry.serverTime !== null && (
                    <span data-testid="server-time">
                      {t('itemPage.history.serverTime', { time: server(entry.serverTime) })}
                    </span>
                  )}
                  {entry.deviceTime !== null && deviceTimeDiffers(entry) && (
                    <span data-testid="device-time">
                      {entry.serverTime === null
                        ? t('itemPage.history.deviceTimePending', {
                            time: device(entry.deviceTime),
                          })
                        : t('itemPage.history.deviceTime', { time: device(entry.deviceTime) })}
                    </span>
                  )}
                </div>
                {entry.transitions.map((transition, index) => (
                  <div key={index} className="rd-dimmed">
                    {transitionText(transition, t, locale)}
                  </div>
                ))}
                {detailText(entry, t, locale, (id) => nameOf(id)).map((line, index) => (
                  <div key={index} className="rd-history-detail">
                    {line}
                  </div>
                ))}
                {entry.problem !== null && (
                  <div className="rd-invalid">{entry.problem[locale]}</div>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="history-time-title">
        <Title order={3} size="h4" id="history-time-title" mb="xs">
          {t('itemPage.time.title')}
        </Title>
        {time.rows.length === 0 ? (
          <Text c="dimmed">{t('itemPage.time.empty')}</Text>
        ) : (
          <Stack gap="md">
            <Table data-testid="time-totals" striped>
              <Table.Caption>{t('itemPage.time.totalsCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('itemPage.time.day')}</Table.Th>
                  <Table.Th scope="col">{t('itemPage.time.reviewer')}</Table.Th>
                  <Table.Th scope="col">{t('itemPage.time.spent')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {time.totals.map((total) => (
                  <Table.Tr key={`${total.day}|${total.userId}`} data-testid="time-total">
                    <Table.Td>{total.day}</Table.Td>
                    <Table.Td>{nameOf(total.userId)}</Table.Td>
                    <Table.Td>
                      {formatDuration(total.seconds, locale)}
                      {total.pending && ` (${t('itemPage.time.pending')})`}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Table data-testid="time-slices">
              <Table.Caption>{t('itemPage.time.slicesCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('itemPage.time.started')}</Table.Th>
                  <Table.Th scope="col">{t('itemPage.time.reviewer')}</Table.Th>
                  <Table.Th scope="col">{t('itemPage.time.duration')}</Table.Th>
                  <Table.Th scope="col">{t('itemPage.time.recorded')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {time.rows.map((row) => (
                  <Table.Tr key={row.key} data-testid="time-slice">
                    <Table.Td>{device(row.startedAt)}</Table.Td>
                    <Table.Td>{nameOf(row.userId)}</Table.Td>
                    <Table.Td>{formatDuration(row.seconds, locale)}</Table.Td>
                    <Table.Td>
                      {row.recordedAt === null
                        ? t('itemPage.time.pending')
                        : server(row.recordedAt)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </section>
    </Stack>
  );
}
