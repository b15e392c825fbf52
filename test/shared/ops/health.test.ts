import { describe, expect, it } from 'vitest';
import {
  periodGranularity,
  periodsOf,
  rejectionSeries,
  timeBucketBounds,
  timeBucketIndex,
  timeBucketSeries,
  weekStart,
} from '#shared/ops/health';

// 2026-11-01 is a Sunday: 2026-01-01 was a Thursday and 304 days (43 weeks + 3 days) later.
describe('chart periods', () => {
  it('is daily up to 31 days and weekly beyond', () => {
    expect(periodGranularity(1)).toBe('day');
    expect(periodGranularity(31)).toBe('day');
    expect(periodGranularity(32)).toBe('week');
  });

  it('names a week by its Monday', () => {
    expect(weekStart('2026-11-01')).toBe('2026-10-26');
    expect(weekStart('2026-11-02')).toBe('2026-11-02');
    expect(weekStart('2026-11-08')).toBe('2026-11-02');
    // Across a year's end: 2027-01-01 is a Friday.
    expect(weekStart('2027-01-01')).toBe('2026-12-28');
  });

  it('lists every day, or every week touching the range, without gaps', () => {
    expect(periodsOf('2026-10-30', '2026-11-02', 'day')).toEqual([
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
    ]);
    expect(periodsOf('2026-11-01', '2026-11-16', 'week')).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
  });
});

describe('time buckets', () => {
  it('puts an edge in the bucket above it', () => {
    expect(timeBucketIndex(1)).toBe(0);
    expect(timeBucketIndex(299)).toBe(0);
    expect(timeBucketIndex(300)).toBe(1);
    expect(timeBucketIndex(1799)).toBe(3);
    expect(timeBucketIndex(1800)).toBe(4);
    expect(timeBucketIndex(3600)).toBe(5);
    expect(timeBucketIndex(43_200)).toBe(5);
  });

  it('gives each bucket its bounds in minutes', () => {
    expect(timeBucketBounds(0)).toEqual({ lower: 0, upper: 5 });
    expect(timeBucketBounds(2)).toEqual({ lower: 10, upper: 20 });
    expect(timeBucketBounds(5)).toEqual({ lower: 60, upper: null });
  });
});

describe('chart rows', () => {
  it('fills the days without rejections with zeros and orders reasons by frequency', () => {
    const series = rejectionSeries('2026-11-05', '2026-11-07', {
      granularity: 'day',
      counts: [
        { period: '2026-11-05', reason: 'other', count: 1 },
        { period: '2026-11-07', reason: 'missing_material', count: 2 },
        { period: '2026-11-07', reason: 'other', count: 2 },
      ],
      rejections: 4,
      withoutReason: 0,
    });
    // other 1 + 2 = 3, missing_material 2.
    expect(series.reasons).toEqual(['other', 'missing_material']);
    expect(series.rows).toEqual([
      { period: '2026-11-05', other: 1, missing_material: 0 },
      { period: '2026-11-06', other: 0, missing_material: 0 },
      { period: '2026-11-07', other: 2, missing_material: 2 },
    ]);
  });

  it('has one row per time bucket, zero where no item of a kind falls', () => {
    const series = timeBucketSeries([
      { bucket: 1, kind: 'refund', items: 2 },
      { bucket: 4, kind: 'homework', items: 3 },
    ]);
    expect(series.kinds).toEqual(['homework', 'refund']);
    expect(series.rows).toEqual([
      { bucket: 0, homework: 0, refund: 0 },
      { bucket: 1, homework: 0, refund: 2 },
      { bucket: 2, homework: 0, refund: 0 },
      { bucket: 3, homework: 0, refund: 0 },
      { bucket: 4, homework: 3, refund: 0 },
      { bucket: 5, homework: 0, refund: 0 },
    ]);
  });
});
