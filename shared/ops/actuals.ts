import type { Role } from '../domain/roles';
import { addCalendarDays, parseCalendarDate, shanghaiDate, weekdayOfDate } from '../domain/time';

/**
 * Team actuals (team-actuals-and-private-domain-ops.md): the hours each team member declares per
 * project and Shanghai day — a timesheet — and what ops read from them. The server keeps them
 * (server/src/ops/actuals.ts); this module holds what both sides agree on: project types, the
 * bounds of an entry, the week a timesheet shows, who may do what (the seed's open issue 1), and
 * how the recorded focus time becomes a suggestion.
 *
 * Authorization policy (docs/ops.md, "Team actuals", has it as a table):
 *  - team members are the staff roles (`ACTUALS_MEMBER_ROLES`); institution users (submitters,
 *    collaborators) have no timesheet and are refused every actuals route;
 *  - a member reads and writes only their own entries, and writes only days of a month ops have
 *    not closed, and never days after today (Shanghai): hours are declared once worked;
 *  - ops managers read everyone's, write anyone's (closed months included) with a reason that is
 *    kept in the audit trail with the hours before and after; they manage projects and close or
 *    reopen months.
 */

/** Billable work is charged to a client; support keeps the operation running (cost). */
export const PROJECT_TYPES = ['billable', 'support'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];

/** Roles with a timesheet: the platform's own staff. */
export const ACTUALS_MEMBER_ROLES: readonly Role[] = [
  'assistant',
  'reviewer',
  'ops_manager',
  'ta',
  'mentor',
];
/** Roles that manage projects, close months, read every timesheet and correct them. */
export const ACTUALS_MANAGER_ROLES: readonly Role[] = ['ops_manager'];

export const isActualsMember = (role: Role): boolean => ACTUALS_MEMBER_ROLES.includes(role);
export const isActualsManager = (role: Role): boolean => ACTUALS_MANAGER_ROLES.includes(role);

/** Hours are declared in quarter hours; one entry and one day's total are at most 24. */
export const HOURS_STEP = 0.25;
export const MAX_DAY_HOURS = 24;
export const MAX_NOTE_LENGTH = 500;

export interface ActualProject {
  readonly id: string;
  readonly name: string;
  readonly type: ProjectType;
  /** Inactive projects keep their hours but take no new ones. */
  readonly active: boolean;
}

/** One member's hours on one project and Shanghai day. */
export interface ActualEntry {
  readonly projectId: string;
  readonly day: string;
  readonly hours: number;
  readonly note: string;
  /** Who wrote it last (the member, or an ops manager correcting it). */
  readonly updatedBy: string;
  readonly updatedAt: string;
}

/** A cell of a week's save: `hours` 0 removes the entry. */
export interface ActualCell {
  readonly projectId: string;
  readonly day: string;
  readonly hours: number;
  readonly note?: string;
}

/** A member's week as the timesheet shows it (`GET /api/v1/actuals/weeks/:monday`). */
export interface ActualsWeek {
  readonly memberId: string;
  readonly memberName: string;
  /** The Monday the week starts on, and its seven days. */
  readonly monday: string;
  readonly days: readonly string[];
  readonly projects: readonly ActualProject[];
  readonly entries: readonly ActualEntry[];
  /** Focus time the workstation recorded per day (`time_entries`), in hours, as a suggestion. */
  readonly recorded: readonly { readonly day: string; readonly hours: number }[];
  /** Per day: whether the caller may write it, or why not. */
  readonly editable: readonly {
    readonly day: string;
    readonly lock: ActualsLock | null;
  }[];
  /** Today in Shanghai when the server answered. */
  readonly today: string;
}

/** Why a day cannot be written by the caller. */
export type ActualsLock = 'month_closed' | 'future';

export type ActualsProblem =
  | { readonly code: 'INVALID_DAY'; readonly value: string }
  | { readonly code: 'NOT_A_MONDAY'; readonly value: string }
  | { readonly code: 'DAY_OUTSIDE_WEEK'; readonly day: string; readonly monday: string }
  | { readonly code: 'HOURS_OUT_OF_BOUNDS'; readonly day: string; readonly hours: number }
  | { readonly code: 'HOURS_NOT_QUARTER'; readonly day: string; readonly hours: number }
  | { readonly code: 'DAY_OVER_24'; readonly day: string; readonly hours: number }
  | { readonly code: 'DUPLICATE_CELL'; readonly day: string; readonly projectId: string }
  | { readonly code: 'INVALID_MONTH'; readonly value: string };

export class ActualsError extends Error {
  constructor(readonly problem: ActualsProblem) {
    super(describeActualsProblem(problem));
    this.name = 'ActualsError';
  }
}

function describeActualsProblem(problem: ActualsProblem): string {
  switch (problem.code) {
    case 'INVALID_DAY':
      return `a day must be a calendar date as YYYY-MM-DD, got "${problem.value}"`;
    case 'NOT_A_MONDAY':
      return `a timesheet week starts on a Monday; ${problem.value} is not one`;
    case 'DAY_OUTSIDE_WEEK':
      return `${problem.day} is not in the week of ${problem.monday}`;
    case 'HOURS_OUT_OF_BOUNDS':
      return `hours on ${problem.day} must be more than 0 and at most ${MAX_DAY_HOURS} (0 removes an entry), got ${problem.hours}`;
    case 'HOURS_NOT_QUARTER':
      return `hours are declared in quarter hours; ${problem.hours} on ${problem.day} is not`;
    case 'DAY_OVER_24':
      return `${problem.day} would have ${problem.hours} hours in all; a day has at most ${MAX_DAY_HOURS}`;
    case 'DUPLICATE_CELL':
      return `project ${problem.projectId} on ${problem.day} is given twice`;
    case 'INVALID_MONTH':
      return `a month must be YYYY-MM, got "${problem.value}"`;
  }
}

function checkedDay(value: string): string {
  try {
    parseCalendarDate(value);
  } catch {
    throw new ActualsError({ code: 'INVALID_DAY', value });
  }
  return value;
}

/** The seven days of the week starting on `monday` (throws unless it is a Monday). */
export function weekDays(monday: string): string[] {
  checkedDay(monday);
  if (weekdayOfDate(monday) !== 1) {
    throw new ActualsError({ code: 'NOT_A_MONDAY', value: monday });
  }
  return Array.from({ length: 7 }, (_, index) => addCalendarDays(monday, index));
}

/** The Monday of the Shanghai week `day` falls in. */
export function mondayOf(day: string): string {
  checkedDay(day);
  return addCalendarDays(day, 1 - weekdayOfDate(day));
}

/** The Monday of the week in Shanghai at `nowMs`. */
export const currentMonday = (nowMs: number): string => mondayOf(shanghaiDate(nowMs));

/** `YYYY-MM` of a day. */
export const monthOf = (day: string): string => day.slice(0, 7);

export function checkedMonth(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
    throw new ActualsError({ code: 'INVALID_MONTH', value });
  }
  return value;
}

/** Whether `hours` is a whole number of quarter hours. */
export const isQuarterHours = (hours: number): boolean =>
  Number.isFinite(hours) && Math.abs(hours / HOURS_STEP - Math.round(hours / HOURS_STEP)) < 1e-9;

/**
 * Checks a week's cells on their own (the server then checks day totals against what it holds):
 * days inside the week, each project and day once, hours 0 (remove) or in (0, 24] in quarter
 * hours, and no day over 24 among the cells themselves.
 */
export function checkWeekCells(monday: string, cells: readonly ActualCell[]): void {
  const days = new Set(weekDays(monday));
  const seen = new Set<string>();
  const perDay = new Map<string, number>();
  for (const cell of cells) {
    checkedDay(cell.day);
    if (!days.has(cell.day)) {
      throw new ActualsError({ code: 'DAY_OUTSIDE_WEEK', day: cell.day, monday });
    }
    const key = `${cell.projectId} ${cell.day}`;
    if (seen.has(key)) {
      throw new ActualsError({ code: 'DUPLICATE_CELL', day: cell.day, projectId: cell.projectId });
    }
    seen.add(key);
    if (!Number.isFinite(cell.hours) || cell.hours < 0 || cell.hours > MAX_DAY_HOURS) {
      throw new ActualsError({ code: 'HOURS_OUT_OF_BOUNDS', day: cell.day, hours: cell.hours });
    }
    if (!isQuarterHours(cell.hours)) {
      throw new ActualsError({ code: 'HOURS_NOT_QUARTER', day: cell.day, hours: cell.hours });
    }
    perDay.set(cell.day, (perDay.get(cell.day) ?? 0) + cell.hours);
  }
  for (const [day, hours] of perDay) {
    if (hours > MAX_DAY_HOURS) {
      throw new ActualsError({ code: 'DAY_OVER_24', day, hours });
    }
  }
}

/**
 * Whether the caller may write `day` of a member's timesheet, or why not. Ops managers write
 * any day up to today (a correction names its reason); members only days of open months.
 */
export function dayLock(
  day: string,
  today: string,
  closedMonths: ReadonlySet<string>,
  manager: boolean,
): ActualsLock | null {
  if (day > today) {
    return 'future';
  }
  if (!manager && closedMonths.has(monthOf(day))) {
    return 'month_closed';
  }
  return null;
}

/** Recorded focus time as a suggestion: rounded to the nearest quarter hour, at most 24. */
export function suggestedHours(recordedHours: number): number {
  if (!Number.isFinite(recordedHours) || recordedHours <= 0) {
    return 0;
  }
  return Math.min(MAX_DAY_HOURS, Math.round(recordedHours / HOURS_STEP) * HOURS_STEP);
}

/** Billable hours over all hours; null without hours. */
export const billableShare = (billable: number, total: number): number | null =>
  total > 0 ? billable / total : null;

// ── The report ops read (`GET /api/v1/actuals/report?from=&to=`) ─────────────────────────────

export interface ActualsHours {
  readonly hours: number;
  readonly billable: number;
  readonly support: number;
  /** billable / hours; null without hours. */
  readonly billableShare: number | null;
}

export interface ActualsMemberRow extends ActualsHours {
  readonly userId: string;
  readonly displayName: string;
  readonly role: string;
  /** Focus time the workstation recorded in the range, hours (for comparison). */
  readonly recordedHours: number;
}

export interface ActualsProjectRow {
  readonly projectId: string;
  readonly name: string;
  readonly type: ProjectType;
  readonly hours: number;
  readonly members: number;
}

export interface ActualsCellRow {
  readonly userId: string;
  readonly projectId: string;
  readonly hours: number;
}

/** A change an ops manager made to someone else's timesheet (the audit trail). */
export interface ActualsCorrection {
  readonly at: string;
  readonly actorId: string;
  readonly actorName: string;
  readonly memberId: string;
  readonly memberName: string;
  readonly projectId: string;
  readonly day: string;
  readonly hoursBefore: number | null;
  readonly hoursAfter: number | null;
  readonly reason: string;
}

export interface ActualsReport {
  readonly from: string;
  readonly to: string;
  readonly totals: ActualsHours;
  readonly members: readonly ActualsMemberRow[];
  readonly projects: readonly ActualsProjectRow[];
  readonly cells: readonly ActualsCellRow[];
  /** Corrections ops made to days of the range, newest first. */
  readonly corrections: readonly ActualsCorrection[];
  /** Months of the range ops have closed. */
  readonly closedMonths: readonly string[];
}
