import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LIFECYCLE_STAGE_LABELS,
  LIFECYCLE_STAGES,
  lifecycleStage,
  needsFollowUp,
  parseProgressPercent,
} from '#shared/domain/followUp';

const DAY = 24 * 60 * 60 * 1000;
const JOINED = Date.parse('2024-03-01T20:00:00+08:00');

function percent(hundredths: number): string {
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

describe('needsFollowUp: joined > 7 days', () => {
  it.each([
    ['just joined', 0, false],
    ['7 days minus 1 ms', 7 * DAY - 1, false],
    ['exactly 7 days', 7 * DAY, false],
    ['7 days plus 1 ms', 7 * DAY + 1, true],
    ['30 days', 30 * DAY, true],
    ['joined in the future (clock skew)', -DAY, false],
  ])('%s with no progress → %s', (_name, age, expected) => {
    expect(needsFollowUp({ joinedAt: JOINED, now: JOINED + age, progressPercent: '0' })).toBe(
      expected,
    );
  });
});

describe('needsFollowUp: progress < 10 %', () => {
  it.each([
    ['0', true],
    ['9.99', true],
    ['9.999999', true],
    ['10', false],
    ['10.00', false],
    ['10.01', false],
    ['100', false],
  ])('progress %s%% after 8 days → %s', (progressPercent, expected) => {
    expect(needsFollowUp({ joinedAt: JOINED, now: JOINED + 8 * DAY, progressPercent })).toBe(
      expected,
    );
  });

  it('refuses malformed progress', () => {
    for (const bad of ['', '-0.5', '100.5', '1e1', 'ten']) {
      expect(() => parseProgressPercent(bad), bad).toThrow(RangeError);
    }
  });

  it('is monotonic: more time or less progress never takes someone off the list', () => {
    const age = fc.integer({ min: 0, max: 60 * DAY });
    const progress = fc.integer({ min: 0, max: 10_000 });
    fc.assert(
      fc.property(age, age, progress, progress, (a1, a2, p1, p2) => {
        const listed = needsFollowUp({
          joinedAt: JOINED,
          now: JOINED + Math.min(a1, a2),
          progressPercent: percent(Math.max(p1, p2)),
        });
        const older = needsFollowUp({
          joinedAt: JOINED,
          now: JOINED + Math.max(a1, a2),
          progressPercent: percent(Math.min(p1, p2)),
        });
        if (listed) {
          expect(older).toBe(true);
        }
      }),
    );
  });
});

describe('lifecycleStage: boundaries belong to the younger stage', () => {
  it.each([
    [0, 'new'],
    [7 * DAY, 'new'],
    [7 * DAY + 1, 'growing'],
    [30 * DAY, 'growing'],
    [30 * DAY + 1, 'mature'],
    [90 * DAY, 'mature'],
    [90 * DAY + 1, 'dormant'],
    [400 * DAY, 'dormant'],
    [-1000, 'new'],
  ] as const)('%d ms after joining → %s', (age, stage) => {
    expect(lifecycleStage(JOINED, JOINED + age)).toBe(stage);
  });

  it('never moves backwards as time passes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200 * DAY }),
        fc.integer({ min: 0, max: 200 * DAY }),
        (a, b) => {
          const early = LIFECYCLE_STAGES.indexOf(lifecycleStage(JOINED, JOINED + Math.min(a, b)));
          const late = LIFECYCLE_STAGES.indexOf(lifecycleStage(JOINED, JOINED + Math.max(a, b)));
          expect(late).toBeGreaterThanOrEqual(early);
        },
      ),
    );
  });

  it('agrees with the follow-up rule at 7 days', () => {
    for (const age of [7 * DAY, 7 * DAY + 1]) {
      const listed = needsFollowUp({ joinedAt: JOINED, now: JOINED + age, progressPercent: '0' });
      expect(listed).toBe(lifecycleStage(JOINED, JOINED + age) !== 'new');
    }
  });

  it('labels every stage', () => {
    for (const stage of LIFECYCLE_STAGES) {
      expect(LIFECYCLE_STAGE_LABELS[stage]['zh-CN']).not.toBe('');
      expect(LIFECYCLE_STAGE_LABELS[stage].en).not.toBe('');
    }
  });
});
