import { useEffect } from 'react';
import type { Locale } from '#shared/i18n/localized';
import type { Bridge } from '#shared/ipc/contract';
import type { ReviewItemRecord } from '#shared/sync/rows';
import type { Workspace } from '../../workspace/workspace';

/** How long before an item's due time its holder is reminded. */
export const DUE_SOON_MS = 30 * 60_000;
const CHECK_EVERY_MS = 60_000;

/**
 * The open items held by or assigned to `userId` that are due within `DUE_SOON_MS` (or overdue)
 * and were not announced yet.
 */
export function itemsToAnnounce(
  items: readonly ReviewItemRecord[],
  userId: string,
  serverNow: number,
  announced: ReadonlySet<string>,
): ReviewItemRecord[] {
  return items.filter(
    (item) =>
      (item.state === 'pending' || item.state === 'in_review') &&
      (item.claim?.reviewerId === userId || item.assigneeId === userId) &&
      item.dueAt !== null &&
      Date.parse(item.dueAt) - serverNow <= DUE_SOON_MS &&
      !announced.has(item.id),
  );
}

const TEXT = {
  'zh-CN': {
    title: (count: number) => (count === 1 ? '有 1 个条目即将到期' : `有 ${count} 个条目即将到期`),
    overdue: '已超时',
  },
  en: {
    title: (count: number) => (count === 1 ? '1 item is due soon' : `${count} items are due soon`),
    overdue: 'overdue',
  },
} as const;

/**
 * OS notifications (through the bridge) for the user's own items that come due: each item is
 * announced once per session. In web mode the bridge shows them only when the browser already
 * allows notifications.
 */
export function useDueNotifications(workspace: Workspace, bridge: Bridge, locale: Locale): void {
  useEffect(() => {
    const announced = new Set<string>();
    const check = async () => {
      const items = (await workspace.db
        .mirror('review_items')
        .where('state')
        .anyOf('pending', 'in_review')
        .toArray()) as unknown as ReviewItemRecord[];
      const serverNow = workspace.serverNow();
      const due = itemsToAnnounce(items, workspace.session.user.id, serverNow, announced);
      if (due.length === 0) {
        return;
      }
      for (const item of due) {
        announced.add(item.id);
      }
      const text = TEXT[locale];
      const body = due
        .slice(0, 5)
        .map(
          (item) =>
            `${item.title}${Date.parse(item.dueAt ?? '') < serverNow ? `（${text.overdue}）` : ''}`,
        )
        .join('\n');
      await bridge.notify
        .show({ title: text.title(due.length), body: body.slice(0, 500) })
        .catch(() => undefined);
    };
    void check();
    const timer = setInterval(() => void check(), CHECK_EVERY_MS);
    return () => {
      clearInterval(timer);
    };
  }, [workspace, bridge, locale]);
}
