/**
 * The reminders of project-submission-workspace.zh.md §7 (提醒机制): the owner of a draft nobody
 * touched for `STALE_DRAFT_DAYS` days, and of a rejection not answered (no new submission) within
 * `REJECTION_ANSWER_HOURS` hours, gets an in-app reminder; ops see the open ones in the console.
 * The server raises them on its schedule (server/src/listings/reminders.ts).
 */
export const REMINDER_RULES = ['stale_draft', 'unanswered_rejection'] as const;
export type ReminderRule = (typeof REMINDER_RULES)[number];

export const STALE_DRAFT_DAYS = 7;
export const REJECTION_ANSWER_HOURS = 48;

/** A reminder as its owner (and the ops console) reads it. */
export interface ListingReminder {
  readonly id: string;
  readonly rule: ReminderRule;
  readonly listingId: string;
  readonly listingName: string;
  readonly owner: { readonly id: string; readonly name: string };
  /** The draft's last change, or the rejection's time. */
  readonly basisAt: string;
  readonly raisedAt: string;
  readonly readAt: string | null;
}
