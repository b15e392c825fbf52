import { describe, expect, it } from 'vitest';
import {
  KPI_DEFINITIONS,
  kpiMet,
  previousRange,
  reportRange,
  ReportRangeError,
} from '../../../shared/ops/kpis';

/** 2026-12-07 10:00 in Shanghai. */
const NOW = Date.parse('2026-12-07T02:00:00.000Z');

function problemOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof ReportRangeError) {
      return error.problem;
    }
    throw error;
  }
  throw new Error('no error');
}

describe('report ranges', () => {
  it('spans whole Shanghai days, both ends included, and is as of its end or now', () => {
    const range = reportRange('2026-11-01', '2026-11-30', NOW);
    expect(new Date(range.startMs).toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(new Date(range.endMs).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(range.asOfMs).toBe(range.endMs);
    expect(range.days).toBe(30);
    const today = reportRange('2026-12-01', '2026-12-07', NOW);
    expect(today.asOfMs).toBe(NOW);
  });

  it('gives the range of the same length just before, for trends', () => {
    const before = previousRange(reportRange('2026-11-01', '2026-11-10', NOW));
    expect([before.from, before.to, before.days]).toEqual(['2026-10-22', '2026-10-31', 10]);
    expect(before.endMs).toBe(reportRange('2026-11-01', '2026-11-10', NOW).startMs);
  });

  it('refuses upside-down, future, malformed and absurdly long ranges with what is wrong', () => {
    expect(problemOf(() => reportRange('2026-11-30', '2026-11-01', NOW))).toEqual({
      code: 'RANGE_UPSIDE_DOWN',
      from: '2026-11-30',
      to: '2026-11-01',
    });
    expect(problemOf(() => reportRange('2026-12-01', '2026-12-08', NOW))).toEqual({
      code: 'RANGE_IN_FUTURE',
      to: '2026-12-08',
      today: '2026-12-07',
    });
    expect(problemOf(() => reportRange('2026-02-30', '2026-03-01', NOW))).toMatchObject({
      code: 'INVALID_DATE',
      field: 'from',
    });
    expect(problemOf(() => reportRange('2026-01-01', 'today', NOW))).toMatchObject({
      code: 'INVALID_DATE',
      field: 'to',
    });
    expect(problemOf(() => reportRange('1990-01-01', '2026-01-01', NOW))).toMatchObject({
      code: 'RANGE_TOO_LONG',
    });
    expect(() => reportRange('2026-11-30', '2026-11-01', NOW)).toThrow(/upside down/);
  });
});

describe('targets', () => {
  it('meets "at least" and "at most" targets at the boundary, and says nothing without a value', () => {
    expect(kpiMet(KPI_DEFINITIONS.draft_to_submit, 0.7)).toBe(true);
    expect(kpiMet(KPI_DEFINITIONS.draft_to_submit, 0.69)).toBe(false);
    expect(kpiMet(KPI_DEFINITIONS.preparation_days, 3)).toBe(true);
    expect(kpiMet(KPI_DEFINITIONS.rejection_response_hours, 48.5)).toBe(false);
    expect(kpiMet(KPI_DEFINITIONS.first_pass_approval, null)).toBeNull();
  });
});
