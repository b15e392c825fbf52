import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import type { ListingReminder } from '#shared/domain/listing/reminders';
import type { FetchLike } from '../../sync/transport';
import { browserFetch, serverTransport, type Workspace } from '../../workspace/workspace';

/**
 * The signed-in user's listing reminders (a draft untouched 7 days, a rejection unanswered 48 h;
 * raised by the server's schedule): fetched from `GET /api/v1/reminders` now and every
 * `REMINDER_REFRESH_MS`, kept on the device (`meta`), so they show offline too.
 */

/** The server looks every 15 minutes; asking more often finds nothing new. */
export const REMINDER_REFRESH_MS = 15 * 60_000;
export const REMINDERS_KEY = 'reminders:mine';
/** `meta` key: ids of the reminders already announced on this device. */
export const SEEN_REMINDERS_KEY = 'reminders:seen';

/** Fetches the user's reminders and keeps them on the device; offline, the cached ones stay. */
export async function fetchReminders(
  workspace: Workspace,
  fetch: FetchLike = browserFetch,
): Promise<readonly ListingReminder[] | null> {
  const answer = await serverTransport(workspace, fetch).get<{ reminders?: ListingReminder[] }>(
    '/api/v1/reminders',
  );
  if (answer.status !== 200 || !Array.isArray(answer.body.reminders)) {
    return null; // an older server without reminders, or a refusal: nothing to show
  }
  await workspace.db.meta.put({ key: REMINDERS_KEY, value: answer.body.reminders });
  return answer.body.reminders;
}

/** Marks a reminder read on the server (it needs the network) and in the device's copy. */
export async function markReminderRead(
  workspace: Workspace,
  reminderId: string,
  fetch: FetchLike = browserFetch,
): Promise<void> {
  const answer = await serverTransport(workspace, fetch).post<unknown>(
    `/api/v1/reminders/${encodeURIComponent(reminderId)}/read`,
    {},
  );
  if (answer.status !== 200) {
    throw new Error(`the server answered ${String(answer.status)}`);
  }
  await workspace.db.transaction('rw', workspace.db.meta, async () => {
    const row = await workspace.db.meta.get(REMINDERS_KEY);
    const cached = Array.isArray(row?.value) ? (row.value as ListingReminder[]) : [];
    await workspace.db.meta.put({
      key: REMINDERS_KEY,
      value: cached.map((reminder) =>
        reminder.id === reminderId ? { ...reminder, readAt: new Date().toISOString() } : reminder,
      ),
    });
  });
}

/** The cached reminders, live, refreshed from the server while mounted. */
export function useReminders(workspace: Workspace): readonly ListingReminder[] | undefined {
  const reminders = useLiveQuery(async () => {
    const row = await workspace.db.meta.get(REMINDERS_KEY);
    return Array.isArray(row?.value) ? (row.value as ListingReminder[]) : [];
  }, [workspace]);
  useEffect(() => {
    const refresh = () => {
      void fetchReminders(workspace).catch(() => undefined);
    };
    refresh();
    const timer = setInterval(refresh, REMINDER_REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [workspace]);
  return reminders;
}
