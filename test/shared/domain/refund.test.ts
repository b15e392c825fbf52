import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refundDueBy, refundEligibility } from '#shared/domain/refund';
import { CN_WORK_CALENDAR, workCalendarOf, workingDaysLeft } from '#shared/domain/workCalendar';

/** An instant written with an explicit +08:00 offset. */
function beijing(isoLocal: string): number {
  return Date.parse(`${isoLocal}+08:00`);
}

const DAY = 24 * 60 * 60 * 1000;
const PURCHASED = beijing('2024-03-01T10:00:00');
const SEVEN_DAYS_LATER = PURCHASED + 7 * DAY;

/** Progress as a two-decimal string from hundredths of a percent, without float formatting. */
function percent(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

describe('refundEligibility: the 7-day window', () => {
  it.each([
    ['at purchase', PURCHASED, true],
    ['exactly 7 days later', SEVEN_DAYS_LATER, true],
    ['7 days minus 1 ms', SEVEN_DAYS_LATER - 1, true],
    ['7 days plus 1 ms', SEVEN_DAYS_LATER + 1, false],
    ['8 days later', PURCHASED + 8 * DAY, false],
    ['before the purchase (clock skew)', PURCHASED - 1000, true],
  ])('a request %s is eligible: %s', (_name, requestedAt, eligible) => {
    const result = refundEligibility({ purchasedAt: PURCHASED, requestedAt, progressPercent: '0' });
    expect(result.eligible).toBe(eligible);
    expect(result.reasons).toEqual(eligible ? [] : ['window_closed']);
    expect(result.windowClosesAt).toBe(SEVEN_DAYS_LATER);
  });
});

describe('refundEligibility: progress ≤ 10 %', () => {
  it.each([
    ['0', true],
    ['9.99', true],
    ['10', true],
    ['10.0', true],
    ['10.00', true],
    ['10.000000000000000001', false],
    ['10.01', false],
    ['55.5', false],
    ['100', false],
  ])('progress %s%% is eligible: %s', (progressPercent, eligible) => {
    const result = refundEligibility({
      purchasedAt: PURCHASED,
      requestedAt: PURCHASED + DAY,
      progressPercent,
    });
    expect(result.eligible).toBe(eligible);
    expect(result.reasons).toEqual(eligible ? [] : ['progress_too_high']);
  });

  it('reports both reasons, window first, in both languages', () => {
    const result = refundEligibility({
      purchasedAt: PURCHASED,
      requestedAt: SEVEN_DAYS_LATER + 1,
      progressPercent: '10.01',
    });
    expect(result.reasons).toEqual(['window_closed', 'progress_too_high']);
    expect(result.message['zh-CN']).toContain('2024-03-08 10:00');
    expect(result.message['zh-CN']).toContain('10.01%');
    expect(result.message.en).toContain('Not eligible');
  });

  it('says an eligible request still needs a person to approve it', () => {
    const result = refundEligibility({
      purchasedAt: PURCHASED,
      requestedAt: PURCHASED,
      progressPercent: '3',
    });
    expect(result.message['zh-CN']).toContain('待人工审核');
    expect(result.message.en).toContain('awaiting approval');
  });

  it.each(['', '-1', '100.01', '101', '1e1', ' 5', '5%', 'abc', '.5', '5.'])(
    'refuses the malformed progress "%s"',
    (progressPercent) => {
      expect(() =>
        refundEligibility({ purchasedAt: PURCHASED, requestedAt: PURCHASED, progressPercent }),
      ).toThrow(RangeError);
    },
  );

  it('refuses non-finite times', () => {
    expect(() =>
      refundEligibility({ purchasedAt: Number.NaN, requestedAt: PURCHASED, progressPercent: '0' }),
    ).toThrow(RangeError);
  });
});

describe('refundEligibility properties', () => {
  const elapsed = fc.integer({ min: 0, max: 30 * DAY });
  const progress = fc.integer({ min: 0, max: 10_000 });

  it('is monotonic: earlier and with less progress is never worse', () => {
    fc.assert(
      fc.property(elapsed, elapsed, progress, progress, (t1, t2, p1, p2) => {
        const early = Math.min(t1, t2);
        const late = Math.max(t1, t2);
        const low = Math.min(p1, p2);
        const high = Math.max(p1, p2);
        const worse = refundEligibility({
          purchasedAt: PURCHASED,
          requestedAt: PURCHASED + late,
          progressPercent: percent(high),
        });
        const better = refundEligibility({
          purchasedAt: PURCHASED,
          requestedAt: PURCHASED + early,
          progressPercent: percent(low),
        });
        if (worse.eligible) {
          expect(better.eligible).toBe(true);
        }
        for (const reason of better.reasons) {
          expect(worse.reasons).toContain(reason);
        }
      }),
    );
  });

  it('agrees with the rule written in integers', () => {
    fc.assert(
      fc.property(elapsed, progress, (t, p) => {
        const result = refundEligibility({
          purchasedAt: PURCHASED,
          requestedAt: PURCHASED + t,
          progressPercent: percent(p),
        });
        expect(result.eligible).toBe(t <= 7 * DAY && p <= 1000);
        expect(result.eligible).toBe(result.reasons.length === 0);
      }),
    );
  });
});

describe('refundDueBy: 3 working days, T+3', () => {
  it.each([
    ['2024-03-01T10:00:00', 'Friday', '2024-03-06'],
    ['2024-03-01T23:59:59', 'Friday, late', '2024-03-06'],
    ['2024-03-02T10:00:00', 'Saturday', '2024-03-06'],
    ['2024-03-03T10:00:00', 'Sunday', '2024-03-06'],
    ['2024-03-04T00:00:00', 'Monday', '2024-03-07'],
    ['2024-03-06T15:00:00', 'Wednesday', '2024-03-11'],
    ['2024-03-07T15:00:00', 'Thursday', '2024-03-12'],
    ['2024-12-30T09:00:00', 'Monday before the new year (2025 not in the calendar)', '2025-01-02'],
  ])('approved %s (%s) → last day %s', (approvedAt, _day, lastDay) => {
    const due = refundDueBy(beijing(approvedAt));
    expect(due.lastDay).toBe(lastDay);
    expect(due.overdueFrom).toBe(beijing(`${lastDay}T00:00:00`) + DAY);
  });

  it('counts the Shanghai day of the approval (16:30 UTC Friday is Saturday in Shanghai)', () => {
    expect(refundDueBy(Date.parse('2024-03-01T16:30:00Z')).lastDay).toBe('2024-03-06');
    expect(refundDueBy(Date.parse('2024-03-04T15:59:59Z')).lastDay).toBe('2024-03-07');
  });

  it('skips public holidays and counts the swapped weekend working days of 2026', () => {
    // National Day: 10-01…07 off; Thu 8, Fri 9 and the swapped Saturday 10 are working days.
    expect(refundDueBy(beijing('2026-09-30T10:00:00'))).toMatchObject({
      lastDay: '2026-10-10',
      holidaysKnown: true,
    });
    // Spring Festival: Sat 02-14 is a working day, 15…23 off, then Tue 24 and Wed 25.
    expect(refundDueBy(beijing('2026-02-13T10:00:00')).lastDay).toBe('2026-02-25');
    // An ordinary week of 2026 is Monday to Friday.
    expect(refundDueBy(beijing('2026-11-20T10:00:00'))).toMatchObject({
      lastDay: '2026-11-25',
      holidaysKnown: true,
    });
  });

  it('says when a deadline counted days whose holidays are not known yet', () => {
    expect(refundDueBy(beijing('2024-03-01T10:00:00')).holidaysKnown).toBe(false);
    // 12-31 (known), then 2027-01-01 and 01-04: 2027's notice is not in the calendar.
    expect(refundDueBy(beijing('2026-12-30T10:00:00'))).toMatchObject({
      lastDay: '2027-01-04',
      holidaysKnown: false,
    });
  });
});

describe('work calendar data', () => {
  it('refuses a date filed under another year, or no date at all', () => {
    const data = (holidays: string[]) => ({
      source: 's',
      note: 'n',
      years: { '2026': { holidays, workdays: [] } },
    });
    expect(workCalendarOf(data(['2026-05-01'])).holidays.has('2026-05-01')).toBe(true);
    expect(() => workCalendarOf(data(['2027-05-01']))).toThrow(/listed under 2026/);
    expect(() => workCalendarOf(data(['2026-02-30']))).toThrow();
    expect(CN_WORK_CALENDAR.holidays.size).toBe(33);
    expect(CN_WORK_CALENDAR.workdays.size).toBe(6);
  });
});

describe('workingDaysLeft', () => {
  it('counts the working days up to a deadline, skipping the National Day holidays', () => {
    expect(workingDaysLeft('2026-09-30', '2026-10-10')).toBe(4); // 30, 8, 9, the swapped 10
    expect(workingDaysLeft('2026-10-10', '2026-10-10')).toBe(1);
    expect(workingDaysLeft('2026-10-03', '2026-10-08')).toBe(1);
    expect(workingDaysLeft('2026-10-11', '2026-10-10')).toBe(0);
  });
});
