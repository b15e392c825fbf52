import { describe, expect, it } from 'vitest';
import type { OutboxRow, ResultRow } from '../../../../renderer/src/db/database';
import {
  buildTimeSummary,
  deviceTimeDiffers,
  formatDuration,
} from '../../../../renderer/src/features/item/history';
import type { TimeEntryRecord } from '#shared/sync/rows';

const ITEM = '00000000-0000-4000-8000-000000000001';
const ME = 'user-me';
const OTHER = 'user-other';

const entry = (id: string, userId: string, startedAt: string, seconds: number) =>
  ({
    id,
    itemId: ITEM,
    userId,
    startedAt,
    seconds,
    recordedAt: '2026-11-20T12:00:00Z',
  }) as unknown as TimeEntryRecord;

const outbox = (seq: number, args: unknown) =>
  ({ seq, name: 'logTime', args }) as unknown as OutboxRow;

const result = (seq: number, status: string, args: unknown) =>
  ({
    seq,
    name: 'logTime',
    status,
    args,
    serverTime: '2026-11-20T13:00:00Z',
  }) as unknown as ResultRow;

describe('deviceTimeDiffers', () => {
  it('shows the device time only when it is more than a minute off', () => {
    const serverTime = '2026-11-20T10:00:00Z';
    expect(deviceTimeDiffers({ serverTime, deviceTime: '2026-11-20T09:59:30Z' })).toBe(false);
    expect(deviceTimeDiffers({ serverTime, deviceTime: '2026-11-20T08:00:00Z' })).toBe(true);
    expect(deviceTimeDiffers({ serverTime, deviceTime: null })).toBe(false);
    expect(deviceTimeDiffers({ serverTime: null, deviceTime: serverTime })).toBe(true);
    expect(deviceTimeDiffers({ serverTime, deviceTime: 'not a time' })).toBe(false);
  });
});

describe('formatDuration', () => {
  it('formats seconds, minutes and hours in both languages', () => {
    expect(formatDuration(45, 'en')).toBe('45 s');
    expect(formatDuration(750, 'en')).toBe('12 min 30 s');
    expect(formatDuration(3900, 'en')).toBe('1 h 05 min');
    expect(formatDuration(45, 'zh-CN')).toBe('45 秒');
    expect(formatDuration(3900, 'zh-CN')).toBe('1 小时 5 分钟');
    expect(formatDuration(-5, 'en')).toBe('0 s');
  });
});

describe('buildTimeSummary', () => {
  it('sums per reviewer and Shanghai day, counting unsynced slices once', () => {
    const summary = buildTimeSummary({
      itemId: ITEM,
      userId: ME,
      entries: [
        entry('a', ME, '2026-11-20T01:00:00Z', 600),
        entry('b', OTHER, '2026-11-20T02:00:00Z', 300),
        // 23:30 UTC is the next day in Shanghai.
        entry('c', ME, '2026-11-20T23:30:00Z', 60),
      ],
      results: [
        // Applied, and already pulled as entry a: not counted twice.
        result(1, 'applied', { itemId: ITEM, startedAt: '2026-11-20T01:00:00Z', seconds: 600 }),
        result(2, 'applied', { itemId: ITEM, startedAt: '2026-11-20T03:00:00Z', seconds: 120 }),
        result(3, 'conflict', { itemId: ITEM, startedAt: '2026-11-20T04:00:00Z', seconds: 999 }),
      ],
      outbox: [
        outbox(4, { itemId: ITEM, startedAt: '2026-11-20T05:00:00Z', seconds: 30 }),
        outbox(5, { itemId: 'another-item', startedAt: '2026-11-20T05:00:00Z', seconds: 500 }),
      ],
    });
    expect(summary.rows).toHaveLength(5);
    expect(summary.totals).toEqual([
      { userId: ME, day: '2026-11-21', seconds: 60, pending: false },
      { userId: ME, day: '2026-11-20', seconds: 750, pending: true },
      { userId: OTHER, day: '2026-11-20', seconds: 300, pending: false },
    ]);
  });
});
