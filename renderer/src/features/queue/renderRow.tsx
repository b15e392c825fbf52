import type { CSSProperties, ReactNode } from 'react';
import type { Locale } from '#shared/i18n/localized';
import type { MutationResult } from '#shared/sync/protocol';
import type { ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { itemView, type ItemView, type PendingMutation } from '#shared/sync/view';
import type { Workspace } from '../../workspace/workspace';
import { availableActions, canAssign } from './kinds';
import { changedAfterClaim } from './lease';
import { QueueRow, type RowAction } from './QueueRow';
import type { QueueWindow } from './useQueue';

/** What every row needs besides its item: computed once per render of the page. */
export interface RowContext {
  readonly userId: string;
  readonly role: Workspace['session']['user']['role'];
  readonly users: ReadonlyMap<string, UserRecord>;
  readonly pending: readonly PendingMutation[];
  readonly results: ReadonlyMap<string, readonly MutationResult[]>;
  readonly serverNow: number;
  readonly locale: Locale;
  readonly onAction: (action: RowAction, view: ItemView) => void;
  readonly onSelect: (itemId: string) => void;
}

export function viewOf(item: ReviewItemRecord, context: RowContext): ItemView {
  return itemView(item, {
    userId: context.userId,
    pending: context.pending,
    results: context.results.get(item.id) ?? [],
    serverNow: context.serverNow,
  });
}

export function rowActions(view: ItemView, context: RowContext): RowAction[] {
  const actions: RowAction[] = availableActions(view, context.role);
  return canAssign(view, context.role) ? [...actions, 'assign'] : actions;
}

/** Renders one row of a window (or the single-item view). */
export function renderRow(
  item: ReviewItemRecord,
  index: number,
  context: RowContext,
  window: Pick<QueueWindow, 'decisions' | 'audit'>,
  options: { readonly selected: boolean; readonly style?: CSSProperties },
): ReactNode {
  const view = viewOf(item, context);
  return (
    <QueueRow
      key={item.id}
      view={view}
      userId={context.userId}
      users={context.users}
      decision={window.decisions.get(item.id)}
      actions={rowActions(view, context)}
      onAction={context.onAction}
      locale={context.locale}
      serverNow={context.serverNow}
      changed={changedAfterClaim(item, {
        userId: context.userId,
        pending: view.pending,
        audit: window.audit.get(item.id) ?? [],
      })}
      showSince={context.role === 'ops_manager'}
      selected={options.selected}
      rowIndex={index + 2}
      onSelect={context.onSelect}
      {...(options.style === undefined ? {} : { style: options.style })}
    />
  );
}
