import { useEffect } from 'react';
import type { Bridge } from '#shared/ipc/contract';
import type { ReviewDeskDb } from '../../db/database';

/**
 * "Tell me once": a desktop notification for things (ops alerts, listing reminders) this device
 * has not announced before. The ids already announced are kept in the user's `meta` table under
 * `seenKey`, taken in one transaction so two windows of one user never announce twice.
 */

interface Announceable {
  readonly id: string;
}

/** Marks `items` seen under `seenKey` and returns those that were not, in the given order. */
export async function takeUnseen<Item extends Announceable>(
  db: ReviewDeskDb,
  seenKey: string,
  items: readonly Item[],
): Promise<readonly Item[]> {
  return db.transaction('rw', db.meta, async () => {
    const row = await db.meta.get(seenKey);
    const seen = new Set(Array.isArray(row?.value) ? (row.value as string[]) : []);
    const fresh = items.filter((item) => !seen.has(item.id));
    if (fresh.length > 0) {
      await db.meta.put({ key: seenKey, value: [...seen, ...fresh.map((item) => item.id)] });
    }
    return fresh;
  });
}

/**
 * Announces the items of `items` this device has not announced yet through the bridge's desktop
 * notification (a no-op in a plain browser). `describe` words them in the user's language.
 */
export function useAnnounceOnce<Item extends Announceable>(
  db: ReviewDeskDb,
  bridge: Bridge,
  seenKey: string,
  items: readonly Item[] | undefined,
  describe: (fresh: readonly Item[]) => { title: string; body: string },
): void {
  useEffect(() => {
    if (items === undefined || items.length === 0) {
      return;
    }
    void takeUnseen(db, seenKey, items)
      .then(async (fresh) => {
        if (fresh.length > 0) {
          const { title, body } = describe(fresh);
          await bridge.notify.show({ title, body: body.slice(0, 500) });
        }
      })
      .catch(() => undefined);
    // `describe` is a new function each render; the items are what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, bridge, seenKey, items]);
}
