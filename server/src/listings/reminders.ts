import {
  REJECTION_ANSWER_HOURS,
  STALE_DRAFT_DAYS,
  type ListingReminder,
  type ReminderRule,
} from '#shared/domain/listing/reminders';
import { DAY_MS } from '#shared/domain/time';
import type { Clock } from '../clock';
import type { Queryable } from '../db/database';
import { LISTING_REVISION_KIND } from '../review/kinds/listingKindName';
import { runOnSchedule } from '../schedule';

/**
 * Raises the listing reminders (shared/domain/listing/reminders.ts) on the server's schedule and
 * clock: once per rule, listing and occurrence (`listing_reminders` is unique on the three), so a
 * round may run as often as it likes and a retried one raises nothing twice.
 */

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR_MS = 3_600_000;

/** How often the schedule looks: reminders are about days, a quarter of an hour is prompt. */
export const REMINDER_INTERVAL_MS = 15 * 60_000;

interface ReminderRow {
  id: string;
  rule: ReminderRule;
  listing_id: string;
  listing_name: string;
  user_id: string;
  owner_name: string;
  basis_at: string;
  raised_at: string;
  read_at: string | null;
}

const toReminder = (row: ReminderRow): ListingReminder => ({
  id: row.id,
  rule: row.rule,
  listingId: row.listing_id,
  listingName: row.listing_name,
  owner: { id: row.user_id, name: row.owner_name },
  basisAt: new Date(row.basis_at).toISOString(),
  raisedAt: new Date(row.raised_at).toISOString(),
  readAt: row.read_at === null ? null : new Date(row.read_at).toISOString(),
});

const SELECT_REMINDERS = `SELECT m.id, m.rule, m.listing_id, l.name AS listing_name, m.user_id,
    u.display_name AS owner_name, m.basis_at, m.raised_at, m.read_at
  FROM listing_reminders m
  JOIN listings l ON l.id = m.listing_id
  JOIN users u ON u.id = m.user_id`;

/** Raises the reminders due at `nowMs`; returns the new ones. */
export async function evaluateReminders(db: Queryable, nowMs: number): Promise<ListingReminder[]> {
  const now = iso(nowMs);
  // Drafts untouched for 7 days: the current revision is a draft last changed before the limit.
  const staleDrafts = await db.query<{ id: string }>(
    `INSERT INTO listing_reminders (id, rule, listing_id, user_id, basis_at, raised_at, row_version)
     SELECT gen_random_uuid(), 'stale_draft', l.id, l.owner_id, r.updated_at, $1, 0
       FROM listings l JOIN listing_revisions r ON r.id = l.current_revision_id
      WHERE l.deleted_at IS NULL AND r.state = 'draft' AND r.updated_at <= $2
     ON CONFLICT (rule, listing_id, basis_at) DO NOTHING
     RETURNING id`,
    [now, iso(nowMs - STALE_DRAFT_DAYS * DAY_MS)],
  );
  // Rejections unanswered for 48 hours: the listing's latest review item ended in a final
  // rejection before the limit, and nothing was submitted since (a later item would be latest).
  const unanswered = await db.query<{ id: string }>(
    `INSERT INTO listing_reminders (id, rule, listing_id, user_id, basis_at, raised_at, row_version)
     SELECT gen_random_uuid(), 'unanswered_rejection', l.id, l.owner_id, d.decided_at, $1, 0
       FROM listings l
       JOIN LATERAL (
         SELECT i.id FROM review_items i
          WHERE i.subject_id = l.id AND i.kind = $3
          ORDER BY i.created_at DESC, i.row_version DESC LIMIT 1
       ) latest ON true
       JOIN decisions d ON d.item_id = latest.id AND d.is_final AND d.outcome = 'reject'
      WHERE l.deleted_at IS NULL AND d.decided_at <= $2
     ON CONFLICT (rule, listing_id, basis_at) DO NOTHING
     RETURNING id`,
    [now, iso(nowMs - REJECTION_ANSWER_HOURS * HOUR_MS), LISTING_REVISION_KIND],
  );
  const ids = [...staleDrafts, ...unanswered].map((row) => row.id);
  if (ids.length === 0) {
    return [];
  }
  const rows = await db.query<ReminderRow>(
    `${SELECT_REMINDERS} WHERE m.id = ANY($1::uuid[]) ORDER BY m.basis_at`,
    [ids],
  );
  return rows.map(toReminder);
}

/** A user's reminders of the last 30 days, unread first, newest first. */
export async function remindersOf(
  db: Queryable,
  userId: string,
  nowMs: number,
): Promise<ListingReminder[]> {
  const rows = await db.query<ReminderRow>(
    `${SELECT_REMINDERS} WHERE m.user_id = $1 AND m.raised_at > $2
      ORDER BY (m.read_at IS NULL) DESC, m.raised_at DESC LIMIT 200`,
    [userId, iso(nowMs - 30 * DAY_MS)],
  );
  return rows.map(toReminder);
}

/** The unread reminders of everyone, for the ops console, oldest occurrence first. */
export async function openReminders(db: Queryable): Promise<ListingReminder[]> {
  const rows = await db.query<ReminderRow>(
    `${SELECT_REMINDERS} WHERE m.read_at IS NULL ORDER BY m.basis_at LIMIT 500`,
  );
  return rows.map(toReminder);
}

/** Marks the user's reminder read; false when it is not theirs or does not exist. */
export async function markReminderRead(
  db: Queryable,
  userId: string,
  reminderId: string,
  nowMs: number,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE listing_reminders SET read_at = COALESCE(read_at, $3), row_version = row_version + 1
      WHERE id = $1 AND user_id = $2 RETURNING id`,
    [reminderId, userId, iso(nowMs)],
  );
  return rows.length > 0;
}

/** Raises the reminders now and every `intervalMs` on the server's clock. */
export function startReminderSchedule(options: {
  readonly db: Queryable;
  readonly clock: Clock;
  readonly intervalMs?: number;
  readonly onRaised?: (reminders: readonly ListingReminder[]) => void;
  readonly onError: (error: unknown) => void;
}): () => void {
  return runOnSchedule({
    intervalMs: options.intervalMs ?? REMINDER_INTERVAL_MS,
    round: async () => {
      const raised = await evaluateReminders(options.db, options.clock.now());
      if (raised.length > 0) {
        options.onRaised?.(raised);
      }
    },
    onError: options.onError,
  });
}
