/**
 * Calendar arithmetic in Asia/Shanghai, the time zone every business rule of the back office is
 * written in (TA deadlines, Friday reviews, working days, settlement dates).
 *
 * China has used a fixed UTC+8 offset without daylight saving time since 1991, so a constant offset
 * is exact for every date the product can meet; we deliberately do not depend on `Intl` time-zone
 * data, which differs between the Node server, Electron and older browsers.
 *
 * Every function takes time as a parameter (epoch milliseconds or a `YYYY-MM-DD` string); nothing
 * here reads the clock.
 */

/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000;
/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a 24-hour day (Shanghai has no DST, so every calendar day has exactly this). */
export const DAY_MS = 86_400_000;
/** Offset of Asia/Shanghai from UTC: always +08:00. */
export const SHANGHAI_UTC_OFFSET_MS = 8 * HOUR_MS;

/** ISO 8601 weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** ISO weekday numbers by name, so call sites read `WEEKDAY.friday` rather than a bare `5`. */
export const WEEKDAY = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
} as const satisfies Record<string, IsoWeekday>;

/** The wall-clock reading in Shanghai of one instant. `month` is 1–12. */
export interface ShanghaiDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  readonly weekday: IsoWeekday;
  /** The calendar date as `YYYY-MM-DD`. */
  readonly date: string;
}

/** A calendar date split into numbers; `month` is 1–12. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Throws a `RangeError` unless `value` is a finite number of milliseconds whose Shanghai date has a
 * four-digit year. Bad timestamps must fail loudly: a silent `NaN` would turn into "never overdue".
 */
export function assertEpochMs(value: number, name = 'timestamp'): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number of epoch milliseconds, got ${value}`);
  }
  const year = new Date(value + SHANGHAI_UTC_OFFSET_MS).getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new RangeError(`${name} is outside the years 0000–9999: ${value}`);
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function toIsoWeekday(utcDay: number): IsoWeekday {
  // Date#getUTCDay counts from Sunday = 0; ISO counts from Monday = 1 and puts Sunday last.
  return (utcDay === 0 ? 7 : utcDay) as IsoWeekday;
}

/** Formats calendar numbers as `YYYY-MM-DD`. */
export function formatCalendarDate(date: CalendarDate): string {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/**
 * Parses a `YYYY-MM-DD` date and checks that it exists (no 2023-02-29, no month 13); throws a
 * `RangeError` otherwise.
 */
export function parseCalendarDate(date: string): CalendarDate {
  const match = DATE_PATTERN.exec(date);
  if (match === null) {
    throw new RangeError(`Expected a date as YYYY-MM-DD, got "${date}"`);
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const probe = new Date(utcMidnight({ year, month, day }));
  if (probe.getUTCMonth() + 1 !== month || probe.getUTCDate() !== day) {
    throw new RangeError(`No such calendar date: "${date}"`);
  }
  return { year, month, day };
}

/** Epoch ms of midnight UTC on the given (possibly overflowing, e.g. day 32) calendar numbers. */
function utcMidnight(date: CalendarDate): number {
  // Date.UTC maps the years 0–99 to 1900–1999; setUTCFullYear does not.
  const probe = new Date(0);
  probe.setUTCFullYear(date.year, date.month - 1, date.day);
  return probe.getTime();
}

/** The Shanghai wall-clock reading of an instant. */
export function toShanghai(epochMs: number): ShanghaiDateTime {
  assertEpochMs(epochMs);
  const shifted = new Date(epochMs + SHANGHAI_UTC_OFFSET_MS);
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  return {
    year,
    month,
    day,
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    millisecond: shifted.getUTCMilliseconds(),
    weekday: toIsoWeekday(shifted.getUTCDay()),
    date: formatCalendarDate({ year, month, day }),
  };
}

/** The Shanghai calendar date (`YYYY-MM-DD`) of an instant. */
export function shanghaiDate(epochMs: number): string {
  return toShanghai(epochMs).date;
}

/** The Shanghai ISO weekday (1 = Monday … 7 = Sunday) of an instant. */
export function shanghaiWeekday(epochMs: number): IsoWeekday {
  return toShanghai(epochMs).weekday;
}

/** `YYYY-MM-DD HH:mm` in Shanghai, for messages shown to back-office staff. */
export function formatShanghaiDateTime(epochMs: number): string {
  const parts = toShanghai(epochMs);
  return `${parts.date} ${pad(parts.hour, 2)}:${pad(parts.minute, 2)}`;
}

/**
 * The instant at which Shanghai clocks show `date` and the given time of day. Hours may be 24 (the
 * midnight that ends the day) but nothing larger: callers who want "the next day" should say so
 * with {@link addCalendarDays}.
 */
export function fromShanghai(
  date: string,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const parsed = parseCalendarDate(date);
  const inRange = (value: number, max: number): boolean =>
    Number.isInteger(value) && value >= 0 && value <= max;
  if (
    !inRange(hour, 24) ||
    !inRange(minute, 59) ||
    !inRange(second, 59) ||
    !inRange(millisecond, 999) ||
    (hour === 24 && minute + second + millisecond > 0)
  ) {
    throw new RangeError(
      `No such time of day: ${hour}:${minute}:${second}.${millisecond} (hours 0–24, 24 only as 24:00)`,
    );
  }
  return (
    utcMidnight(parsed) +
    hour * HOUR_MS +
    minute * MINUTE_MS +
    second * 1000 +
    millisecond -
    SHANGHAI_UTC_OFFSET_MS
  );
}

/** The instant Shanghai's calendar day containing `epochMs` began (00:00:00.000 +08:00). */
export function shanghaiStartOfDay(epochMs: number): number {
  return fromShanghai(shanghaiDate(epochMs));
}

/** `date` moved by a whole number of calendar days (negative moves back). */
export function addCalendarDays(date: string, days: number): string {
  if (!Number.isInteger(days)) {
    throw new RangeError(`days must be an integer, got ${days}`);
  }
  const parsed = parseCalendarDate(date);
  const moved = new Date(utcMidnight(parsed) + days * DAY_MS);
  return formatCalendarDate({
    year: moved.getUTCFullYear(),
    month: moved.getUTCMonth() + 1,
    day: moved.getUTCDate(),
  });
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of a `YYYY-MM-DD` date. */
export function weekdayOfDate(date: string): IsoWeekday {
  return toIsoWeekday(new Date(utcMidnight(parseCalendarDate(date))).getUTCDay());
}

/** Monday to Friday. Public holidays are not known here; see the callers for what that means. */
export function isWeekday(date: string): boolean {
  return weekdayOfDate(date) <= WEEKDAY.friday;
}
