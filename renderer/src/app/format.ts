import { useEffect, useState } from 'react';
import type { Locale } from '#shared/i18n/localized';

/**
 * Times on screen. Server times (decisions, leases, due dates, the last sync) are shown in the
 * business time zone, Asia/Shanghai, whatever the device's zone; device times (when I decided
 * offline) in the device's own zone, and labelled as such.
 */
export const SERVER_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, options: Intl.DateTimeFormatOptions, key: string) {
  const id = `${locale}|${key}`;
  let found = formatters.get(id);
  if (found === undefined) {
    found = new Intl.DateTimeFormat(locale, options);
    formatters.set(id, found);
  }
  return found;
}

const TIME: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
const DATE_TIME: Intl.DateTimeFormatOptions = { ...TIME, month: 'short', day: 'numeric' };
const YEAR_DATE_TIME: Intl.DateTimeFormatOptions = { ...DATE_TIME, year: 'numeric' };
const DAY: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };

function parse(value: string | number): Date | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function format(
  value: string | number,
  locale: Locale,
  now: number | undefined,
  timeZone: string | undefined,
): string {
  const date = parse(value);
  if (date === null) {
    return String(value);
  }
  const zone = timeZone === undefined ? {} : { timeZone };
  const key = timeZone ?? 'device';
  if (now !== undefined) {
    const day = formatter(locale, { ...DAY, ...zone }, `day|${key}`);
    if (day.format(date) === day.format(now)) {
      return formatter(locale, { ...TIME, ...zone }, `time|${key}`).format(date);
    }
    const year = formatter(locale, { year: 'numeric', ...zone }, `year|${key}`);
    if (year.format(date) === year.format(now)) {
      return formatter(locale, { ...DATE_TIME, ...zone }, `dt|${key}`).format(date);
    }
  }
  return formatter(locale, { ...YEAR_DATE_TIME, ...zone }, `ydt|${key}`).format(date);
}

/**
 * A server time in Asia/Shanghai: only the time when it is today (by `now`), else with the
 * date (and the year when it is another year).
 */
export function formatServerTime(value: string | number, locale: Locale, now?: number): string {
  return format(value, locale, now, SERVER_TIME_ZONE);
}

/** A device time, in the device's zone. */
export function formatDeviceTime(value: string | number, locale: Locale, now?: number): string {
  return format(value, locale, now, undefined);
}

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/** Replaces ISO timestamps inside a server message with readable server times. */
export function humanizeTimes(text: string, locale: Locale, now?: number): string {
  return text.replace(ISO_TIME, (match) => formatServerTime(match, locale, now));
}

/** The device clock, re-read every `everyMs` (for countdowns, lease expiry, "today"). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, everyMs);
    return () => {
      clearInterval(timer);
    };
  }, [everyMs]);
  return now;
}
