import { z } from 'zod';
import calendarData from './calendar/cn-work-calendar.json';
import { addCalendarDays, isWeekday, parseCalendarDate } from './time';

/**
 * Working days in mainland China: Monday to Friday, minus the public holidays, plus the swapped
 * weekend working days (调休). Holidays are data (`calendar/cn-work-calendar.json`, from the State
 * Council's yearly notice), not code: a new year is a new entry, and the module says whether a
 * date's year is covered, so a deadline computed without the holidays can be labelled so.
 */

const dateList = z.array(
  z.string().refine((date) => {
    try {
      parseCalendarDate(date);
      return true;
    } catch {
      return false;
    }
  }),
);

const calendarSchema = z.object({
  source: z.string(),
  note: z.string(),
  years: z.record(
    z.string().regex(/^\d{4}$/),
    z.object({ holidays: dateList, workdays: dateList }),
  ),
});

export interface WorkCalendar {
  /** Years whose holidays are known. */
  readonly years: ReadonlySet<string>;
  readonly holidays: ReadonlySet<string>;
  readonly workdays: ReadonlySet<string>;
}

export function workCalendarOf(data: unknown): WorkCalendar {
  const parsed = calendarSchema.parse(data);
  const years = Object.entries(parsed.years);
  for (const [year, days] of years) {
    const stray = [...days.holidays, ...days.workdays].find((date) => !date.startsWith(`${year}-`));
    if (stray !== undefined) {
      throw new RangeError(`${stray} is listed under ${year}`);
    }
  }
  return {
    years: new Set(years.map(([year]) => year)),
    holidays: new Set(years.flatMap(([, days]) => days.holidays)),
    workdays: new Set(years.flatMap(([, days]) => days.workdays)),
  };
}

/** The calendar shipped with the app. */
export const CN_WORK_CALENDAR: WorkCalendar = workCalendarOf(calendarData);

export function isWorkingDay(date: string, calendar: WorkCalendar = CN_WORK_CALENDAR): boolean {
  if (calendar.holidays.has(date)) {
    return false;
  }
  return calendar.workdays.has(date) || isWeekday(date);
}

/** Whether the holidays of `date`'s year are known (otherwise: Monday to Friday only). */
export function calendarCovers(date: string, calendar: WorkCalendar = CN_WORK_CALENDAR): boolean {
  return calendar.years.has(date.slice(0, 4));
}

/**
 * Working days from `today` to `lastDay`, both included when they are working days: 1 on the
 * last day itself, 0 when `lastDay` is past (a countdown to a deadline of working days).
 */
export function workingDaysLeft(
  today: string,
  lastDay: string,
  calendar: WorkCalendar = CN_WORK_CALENDAR,
): number {
  if (today > lastDay) {
    return 0;
  }
  let count = 0;
  for (let day = today; day <= lastDay; day = addCalendarDays(day, 1)) {
    if (isWorkingDay(day, calendar)) {
      count += 1;
    }
  }
  return count;
}
