import { Anchor, Badge, Button, Group, Text, Tooltip } from '@mantine/core';
import type { CSSProperties, KeyboardEvent, MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNTRIES, isCountryCode } from '#shared/domain/listing/countries';
import { STAGE_LABELS, STAGES, type Stage } from '#shared/domain/listing/document';
import type { Locale } from '#shared/i18n/localized';
import type { DecisionRecord, UserRecord } from '#shared/sync/rows';
import type { ItemView } from '#shared/sync/view';
import { formatServerTime, humanizeTimes } from '../../app/format';
import { routeHref } from '../../app/routing';
import { kindLabel, outcomeLabel, stateLabel } from '../labels';
import { DecisionChip } from './DecisionChip';
import { findKindModule } from '../../kinds/registry';
import type { QueueAction } from './kinds';
import { leaseCountdown, type ChangeFlag } from './lease';

/** Every row is this tall (px): the list is virtualized with fixed row heights. */
export const ROW_HEIGHT = 78;

/** The columns of the queue's grid, shared by the header row and the rows. */
export const QUEUE_COLUMNS =
  'minmax(240px, 3fr) minmax(96px, 0.9fr) minmax(110px, 1fr) minmax(150px, 1.5fr) minmax(170px, 1.6fr) minmax(210px, auto)';

export type RowAction = QueueAction | 'assign';

export interface QueueRowProps {
  readonly view: ItemView;
  readonly userId: string;
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly decision: DecisionRecord | undefined;
  readonly actions: readonly RowAction[];
  readonly onAction: (action: RowAction, view: ItemView) => void;
  readonly locale: Locale;
  readonly serverNow: number;
  /** Changed by someone else after I claimed it (or a pending mutation is at risk). */
  readonly changed: ChangeFlag | null;
  /** Show when each holder took the item (the operations manager's view). */
  readonly showSince: boolean;
  /** The keyboard cursor is on this row. */
  readonly selected: boolean;
  /** 1-based position among all rows (header row included), for assistive technology. */
  readonly rowIndex: number;
  readonly style?: CSSProperties;
  readonly onSelect: (itemId: string) => void;
}

const isStage = (value: string): value is Stage => (STAGES as readonly string[]).includes(value);

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
  changed,
  showSince,
  selected,
  rowIndex,
  style,
  onSelect,
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
  const countdown = closed ? null : leaseCountdown(item, userId, serverNow, t);

  const actionLabels: Record<RowAction, string> = {
    claim: t('queue.actions.claim'),
    release: t('queue.actions.release'),
    approve: t('queue.actions.approve'),
    reject: t('queue.actions.reject'),
    decide: findKindModule(item.kind)?.decisionLabel?.(t) ?? t('queue.actions.decide'),
    assign: t('queueView.actions.assign'),
  };
  // Dark text on the button's own background: readable (WCAG AA) on selected and overdue rows.
  const actionColor = (action: RowAction) =>
    action === 'approve' ? { c: 'teal.9' } : action === 'reject' ? { c: 'red.9' } : {};

  const details = [
    item.institutionName,
    item.country !== null && isCountryCode(item.country)
      ? COUNTRIES[item.country].name[locale]
      : item.country,
    item.stages
      .map((stage) => (isStage(stage) ? STAGE_LABELS[stage][locale] : stage))
      .join(locale === 'zh-CN' ? '、' : ', '),
    kindLabel(item.kind, t),
  ].filter((part): part is string => part !== null && part !== '');

  const changedText =
    changed === null
      ? null
      : changed.reason === 'atRisk' && changed.atRisk !== null
        ? humanizeTimes(changed.atRisk.message[locale], locale, serverNow)
        : t(`queueView.changed.${changed.reason}`, {
            name: changed.by === null ? t('queue.someone') : nameOf(changed.by),
            time: changed.at === null ? '' : time(changed.at),
          });

  const cell = (extra?: CSSProperties): CSSProperties => ({
    minWidth: 0,
    overflow: 'hidden',
    ...extra,
  });

  return (
    <div
      role="row"
      aria-rowindex={rowIndex}
      aria-current={selected ? 'true' : undefined}
      tabIndex={selected ? 0 : -1}
      data-testid="queue-item"
      data-item-id={item.id}
      data-state={item.state}
      data-held-by-me={String(view.heldByMe)}
      data-decision={view.decision.kind}
      data-selected={selected ? 'true' : undefined}
      data-changed={changed === null ? undefined : changed.reason}
      onClick={(event: MouseEvent) => {
        if (!(event.target instanceof HTMLElement && event.target.closest('button, a'))) {
          onSelect(item.id);
        }
      }}
      onFocus={() => {
        if (!selected) {
          onSelect(item.id);
        }
      }}
      onKeyDown={(event: KeyboardEvent) => {
        if (event.key === ' ' && event.target === event.currentTarget) {
          event.preventDefault();
        }
      }}
      className="review-queue-row"
      style={{
        display: 'grid',
        gridTemplateColumns: QUEUE_COLUMNS,
        columnGap: 12,
        alignItems: 'center',
        height: ROW_HEIGHT,
        boxSizing: 'border-box',
        padding: '6px 12px',
        borderBottom: '1px solid var(--mantine-color-default-border)',
        background: selected
          ? 'var(--mantine-primary-color-light)'
          : overdue
            ? 'var(--mantine-color-red-light)'
            : undefined,
        outline: selected ? '2px solid var(--mantine-primary-color-filled)' : undefined,
        outlineOffset: -2,
        ...style,
      }}
    >
      <div role="cell" style={cell()}>
        <Group gap={6} wrap="nowrap">
          <Anchor
            href={routeHref({ name: 'item', itemId: item.id, tab: 'listing' })}
            size="sm"
            fw={600}
            c="var(--mantine-color-text)"
            truncate="end"
            tabIndex={selected ? 0 : -1}
          >
            {item.title}
          </Anchor>
          {item.assigneeId === userId && !closed && (
            <Badge size="xs" variant="outline" color="indigo.9" tt="none" style={{ flexShrink: 0 }}>
              {t('queueView.assignedToMe')}
            </Badge>
          )}
          {item.priority > 0 && (
            <Badge size="xs" variant="light" color="orange.9" tt="none" style={{ flexShrink: 0 }}>
              {t('queueView.priority', { priority: item.priority })}
            </Badge>
          )}
        </Group>
        <Text size="xs" c="dimmed" truncate="end">
          {details.join(' · ')}
        </Text>
        {changedText !== null && (
          <Tooltip label={changedText} multiline maw={320} withArrow>
            <Text size="xs" c="orange.9" fw={600} truncate="end" data-testid="changed-after-claim">
              {t('queueView.changed.flag')} · {changedText}
            </Text>
          </Tooltip>
        )}
      </div>
      <div role="cell" style={cell()}>
        <Text size="sm">{stateLabel(item.state, t)}</Text>
        {item.state === 'decided' && decision !== undefined && (
          <Text size="xs" c="dimmed" data-testid="final-decision" lineClamp={2}>
            {t('queue.decidedBy', {
              outcome: outcomeLabel(decision.outcome, t, item.kind),
              name: nameOf(decision.reviewerId),
              time: time(decision.decidedAt),
            })}
          </Text>
        )}
      </div>
      <div role="cell" style={cell()}>
        <Text
          size="sm"
          {...(overdue ? { c: 'red.9', fw: 600 } : {})}
          data-overdue={overdue ? 'true' : undefined}
        >
          {item.dueAt === null ? t('queue.noDue') : time(item.dueAt)}
        </Text>
        {overdue && (
          <Text size="xs" c="red.9">
            {t('queueView.overdue')}
          </Text>
        )}
      </div>
      <div role="cell" style={cell()}>
        <Text size="sm" lineClamp={2}>
          {holder}
        </Text>
        {countdown !== null && (
          <Text
            size="xs"
            c={countdown.expired || countdown.soon ? 'red.9' : 'dimmed'}
            fw={countdown.soon ? 600 : undefined}
            data-testid="lease-countdown"
          >
            {countdown.text}
          </Text>
        )}
        {showSince && claim !== null && claimLive && !closed && (
          <Text size="xs" c="dimmed" data-testid="held-since">
            {t('queueView.since', { time: time(claim.claimedAt) })}
            {claim.assignedBy !== null &&
              ` · ${t('queueView.assignedBy', { name: nameOf(claim.assignedBy) })}`}
          </Text>
        )}
      </div>
      <div role="cell" style={cell()}>
        <DecisionChip state={view.decision} locale={locale} serverNow={serverNow} />
      </div>
      <div role="cell" style={cell({ overflow: 'visible' })}>
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
                variant="default"
                {...actionColor(action)}
                tabIndex={selected ? 0 : -1}
                onClick={() => {
                  onSelect(item.id);
                  onAction(action, view);
                }}
              >
                {actionLabels[action]}
              </Button>
            ))}
          </Group>
        )}
      </div>
    </div>
  );
}
