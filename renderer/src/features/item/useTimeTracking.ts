import { useCallback, useEffect } from 'react';
import type { MutationArgs } from '#shared/sync/mutations';
import type { Workspace } from '../../workspace/workspace';

/**
 * The time a reviewer actually works on an item (the team's "actual hours"): seconds while the
 * item page is open, the page visible and the window focused. It is recorded as `logTime` slices
 * of at most five minutes — every five minutes, and when the reviewer leaves the item (another
 * item, another screen, the window hidden or closed). A slice under five seconds is not recorded
 * (a glance while paging through items is not work).
 *
 * A slice never holds more than the real time that passed: the clock is sampled every second
 * and a gap longer than a few seconds between samples (the machine slept with the window
 * focused) counts only up to that limit.
 */
export const SLICE_SECONDS = 300;
export const MIN_SLICE_SECONDS = 5;
export const TICK_MS = 1000;
/** The most one sample may add: longer gaps mean the machine slept or the page froze. */
export const MAX_GAP_MS = 5000;

export interface TimeTrackerDeps {
  readonly now: () => number;
  /** Whether the reviewer can be working on the page right now (visible and focused). */
  readonly isActive: () => boolean;
  readonly record: (args: MutationArgs<'logTime'>) => void;
}

export class TimeTracker {
  /** When the current slice started (device clock), or null when nothing is counted yet. */
  private sliceStart: number | null = null;
  private countedMs = 0;
  /** The last sample while active, or null while inactive. */
  private lastSample: number | null = null;

  constructor(
    private readonly itemId: string,
    private readonly deps: TimeTrackerDeps,
  ) {
    this.sample();
  }

  /**
   * Accounts for the time since the last sample and notes whether the page is active now
   * (`active` overrides the check, for focus and blur events).
   */
  sample(active: boolean = this.deps.isActive()): void {
    const now = this.deps.now();
    if (this.lastSample !== null) {
      this.countedMs += Math.max(0, Math.min(now - this.lastSample, MAX_GAP_MS));
    }
    if (active) {
      this.sliceStart ??= now;
      this.lastSample = now;
    } else {
      this.lastSample = null;
    }
    if (this.sliceStart !== null && now - this.sliceStart >= SLICE_SECONDS * 1000) {
      this.flush();
    }
  }

  /** Records what was counted (when it is at least {@link MIN_SLICE_SECONDS}) and starts anew. */
  flush(): void {
    const seconds = Math.min(Math.floor(this.countedMs / 1000), SLICE_SECONDS);
    const start = this.sliceStart;
    this.countedMs = 0;
    this.sliceStart = this.lastSample === null ? null : this.deps.now();
    if (start === null || seconds < MIN_SLICE_SECONDS) {
      return;
    }
    this.deps.record({
      itemId: this.itemId,
      seconds,
      startedAt: new Date(start).toISOString(),
    });
  }

  /** The reviewer leaves the item: count up to now and record. */
  stop(): void {
    this.sample(false);
    this.flush();
  }
}

function pageActive(): boolean {
  return (
    document.visibilityState === 'visible' &&
    (typeof document.hasFocus !== 'function' || document.hasFocus())
  );
}

/**
 * Tracks the time spent on `itemId` while `enabled`, recording slices through `record`.
 */
export function useTimeTracking(
  itemId: string,
  enabled: boolean,
  record: (args: MutationArgs<'logTime'>) => void,
): void {
  useEffect(() => {
    if (!enabled) {
      return;
    }
    const tracker = new TimeTracker(itemId, { now: Date.now, isActive: pageActive, record });
    const sample = () => {
      tracker.sample();
    };
    const onFocus = () => {
      tracker.sample(document.visibilityState === 'visible');
    };
    const onBlur = () => {
      tracker.sample(false);
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        // Possibly the last chance before the window closes: record what there is.
        tracker.stop();
      } else {
        tracker.sample();
      }
    };
    const onPageHide = () => {
      tracker.stop();
    };
    const timer = window.setInterval(sample, TICK_MS);
    window.addEventListener('focus', onFocus);
    window.addEventListener('blur', onBlur);
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('blur', onBlur);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onPageHide);
      tracker.stop();
    };
  }, [itemId, enabled, record]);
}

/**
 * {@link useTimeTracking} recording through the workspace's outbox (the item pages' use): a lost
 * slice is logged, never shown (time tracking must not interrupt the review).
 */
export function useItemTimeTracking(
  workspace: Pick<Workspace, 'record'>,
  itemId: string,
  enabled: boolean,
): void {
  const record = useCallback(
    (args: MutationArgs<'logTime'>) => {
      workspace.record('logTime', args).catch((failure: unknown) => {
        console.warn('recording time spent failed', failure);
      });
    },
    [workspace],
  );
  useTimeTracking(itemId, enabled, record);
}
