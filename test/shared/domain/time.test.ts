import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  addCalendarDays,
  assertEpochMs,
  formatShanghaiDateTime,
  fromShanghai,
  isWeekday,
  parseCalendarDate,
  shanghaiDate,
  shanghaiStartOfDay,
  shanghaiWeekday,
  toShanghai,
  weekdayOfDate,
} from '#shared/domain/time';

/** An instant written with an explicit +08:00 offset, parsed by the platform, not by the module. */
function beijing(isoLocal: string): number {
  return Date.parse(`${isoLocal}+08:00`);
}

describe('toShanghai', () => {
  it('reads the wall clock at UTC+8', () => {
    expect(toShanghai(beijing('2024-03-01T18:30:15.250'))).toEqual({
      year: 2024,
      month: 3,
      day: 1,
      hour: 18,
      minute: 30,
      second: 15,
      millisecond: 250,
      weekday: 5,
      date: '2024-03-01',
    });
  });

  it('is already the next day in Shanghai at 16:00 UTC', () => {
    expect(shanghaiDate(Date.parse('2024-12-31T15:59:59.999Z'))).toBe('2024-12-31');
    expect(shanghaiDate(Date.parse('2024-12-31T16:00:00.000Z'))).toBe('2025-01-01');
  });

  it('numbers weekdays the ISO way, Sunday last', () => {
    expect(shanghaiWeekday(beijing('2024-03-03T12:00:00'))).toBe(7);
    expect(shanghaiWeekday(beijing('2024-03-04T00:00:00'))).toBe(1);
  });

  it('formats date and time for messages', () => {
    expect(formatShanghaiDateTime(beijing('2024-03-01T08:05:59'))).toBe('2024-03-01 08:05');
  });
});

describe('fromShanghai', () => {
  it('builds the instant of a Shanghai wall-clock time', () => {
    expect(fromShanghai('2024-03-01', 18)).toBe(beijing('2024-03-01T18:00:00'));
    expect(fromShanghai('2024-03-01', 23, 59, 59, 999)).toBe(beijing('2024-03-01T23:59:59.999'));
    expect(fromShanghai('2024-03-01', 24)).toBe(beijing('2024-03-02T00:00:00'));
  });

  it('handles years below 100 without the Date.UTC 19xx trap', () => {
    expect(shanghaiDate(fromShanghai('0050-06-01'))).toBe('0050-06-01');
  });

  it('rejects impossible times', () => {
    expect(() => fromShanghai('2024-03-01', 25)).toThrow(RangeError);
    expect(() => fromShanghai('2024-03-01', 24, 1)).toThrow(RangeError);
    expect(() => fromShanghai('2024-03-01', 12, 60)).toThrow(RangeError);
    expect(() => fromShanghai('2024-03-01', 1.5)).toThrow(RangeError);
  });

  it('round-trips with toShanghai (property)', () => {
    const min = Date.parse('1970-01-01T00:00:00Z');
    const max = Date.parse('2200-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min, max }), (epoch) => {
        const p = toShanghai(epoch);
        expect(fromShanghai(p.date, p.hour, p.minute, p.second, p.millisecond)).toBe(epoch);
        expect(shanghaiStartOfDay(epoch)).toBe(fromShanghai(p.date));
        expect(epoch - shanghaiStartOfDay(epoch)).toBeLessThan(DAY_MS);
      }),
    );
  });
});

describe('calendar dates', () => {
  it('validates dates', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-1-1', '', '2024-01-32']) {
      expect(() => parseCalendarDate(bad), bad).toThrow(RangeError);
    }
  });

  it('adds days across months, leap days and years', () => {
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addCalendarDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addCalendarDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addCalendarDays('2024-03-01', 0)).toBe('2024-03-01');
    expect(() => addCalendarDays('2024-03-01', 0.5)).toThrow(RangeError);
  });

  it('knows weekdays', () => {
    expect(weekdayOfDate('2024-03-01')).toBe(5);
    expect(weekdayOfDate('2024-03-03')).toBe(7);
    expect(isWeekday('2024-03-01')).toBe(true);
    expect(isWeekday('2024-03-02')).toBe(false);
  });
});

describe('assertEpochMs', () => {
  it('refuses NaN, infinities and out-of-range years', () => {
    expect(() => {
      assertEpochMs(Number.NaN);
    }).toThrow(RangeError);
    expect(() => {
      assertEpochMs(Number.POSITIVE_INFINITY);
    }).toThrow(RangeError);
    expect(() => {
      assertEpochMs(8.64e15);
    }).toThrow(RangeError);
    expect(() => {
      assertEpochMs(0);
    }).not.toThrow();
  });
});
