/**
 * The server's only source of time. Leases, "decided at" and ordering all come from it (never
 * from the client's clock, never from SQL `now()`), so tests can move time deterministically.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
}

export const isoAt = (epochMs: number): string => new Date(epochMs).toISOString();
