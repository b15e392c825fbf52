import { describe, expect, it } from 'vitest';
import { fromShanghai } from '#shared/domain/time';
import {
  ActualsError,
  billableShare,
  checkedMonth,
  checkWeekCells,
  currentMonday,
  dayLock,
  isActualsManager,
  isActualsMember,
  mondayOf,
  suggestedHours,
  weekDays,
  type ActualsProblem,
} from '#shared/ops/actuals';

const problemOf = (run: () => unknown): ActualsProblem | null => {
  try {
    run();
    return null;
  } catch (error) {
    if (error instanceof ActualsError) {
      return error.problem;
    }
    throw error;
  }
};

describe('team actuals rules', () => {
  it('gives timesheets to the staff and management to ops managers only', () => {
    expect(
      ['assistant', 'reviewer', 'ops_manager', 'ta', 'mentor'].every((role) =>
        isActualsMember(role as never),
      ),
    ).toBe(true);
    expect(isActualsMember('submitter')).toBe(false);
    expect(isActualsMember('collaborator')).toBe(false);
    expect(isActualsManager('ops_manager')).toBe(true);
    expect(isActualsManager('reviewer')).toBe(false);
  });

  it('works in Shanghai weeks from Monday', () => {
    expect(weekDays('2026-11-16')).toEqual([
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ]);
    expect(problemOf(() => weekDays('2026-11-17'))).toEqual({
      code: 'NOT_A_MONDAY',
      value: '2026-11-17',
    });
    expect(problemOf(() => weekDays('2026-02-30'))?.code).toBe('INVALID_DAY');
    expect(mondayOf('2026-11-22')).toBe('2026-11-16');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    // 15:30 UTC on Sunday the 22nd is 23:30 that Sunday in Shanghai: still this week.
    expect(currentMonday(Date.parse('2026-11-22T15:30:00Z'))).toBe('2026-11-16');
    // 16:30 UTC on Sunday is 00:30 on Monday in Shanghai: the next week.
    expect(currentMonday(Date.parse('2026-11-22T16:30:00Z'))).toBe('2026-11-23');
    expect(checkedMonth('2026-11')).toBe('2026-11');
    expect(problemOf(() => checkedMonth('2026-13'))?.code).toBe('INVALID_MONTH');
  });

  it('bounds a week’s cells: (0, 24] in quarter hours, a day at most 24, each cell once', () => {
    const cell = (day: string, hours: number, projectId = 'p') => ({ projectId, day, hours });
    const weekProblem = (cells: ReturnType<typeof cell>[]) =>
      problemOf(() => {
        checkWeekCells('2026-11-16', cells);
      });
    expect(weekProblem([cell('2026-11-16', 24)])).toBeNull();
    expect(weekProblem([cell('2026-11-16', 0)])).toBeNull();
    expect(weekProblem([cell('2026-11-16', 24.25)])?.code).toBe('HOURS_OUT_OF_BOUNDS');
    expect(weekProblem([cell('2026-11-16', Number.NaN)])?.code).toBe('HOURS_OUT_OF_BOUNDS');
    expect(weekProblem([cell('2026-11-16', 0.1)])?.code).toBe('HOURS_NOT_QUARTER');
    expect(weekProblem([cell('2026-11-17', 12, 'a'), cell('2026-11-17', 12.25, 'b')])).toEqual({
      code: 'DAY_OVER_24',
      day: '2026-11-17',
      hours: 24.25,
    });
    expect(weekProblem([cell('2026-11-23', 1)])?.code).toBe('DAY_OUTSIDE_WEEK');
    expect(weekProblem([cell('2026-11-17', 1), cell('2026-11-17', 2)])).toMatchObject({
      code: 'DUPLICATE_CELL',
    });
  });

  it('locks future days for everyone and closed months for members only', () => {
    const closed = new Set(['2026-10']);
    expect(dayLock('2026-11-22', '2026-11-21', closed, true)).toBe('future');
    expect(dayLock('2026-11-21', '2026-11-21', closed, false)).toBeNull();
    expect(dayLock('2026-10-31', '2026-11-21', closed, false)).toBe('month_closed');
    expect(dayLock('2026-10-31', '2026-11-21', closed, true)).toBeNull();
  });

  it('suggests recorded focus time to the nearest quarter hour, and shares billable hours', () => {
    expect(suggestedHours(1.6)).toBe(1.5);
    expect(suggestedHours(1.63)).toBe(1.75);
    expect(suggestedHours(0.1)).toBe(0);
    expect(suggestedHours(30)).toBe(24);
    expect(suggestedHours(-1)).toBe(0);
    expect(billableShare(6, 7.5)).toBe(0.8);
    expect(billableShare(0, 0)).toBeNull();
    expect(fromShanghai('2026-11-16')).toBe(Date.parse('2026-11-15T16:00:00Z'));
  });
});
