import type { Database } from '../db/database';

/** What a limit counts: failed sign-ins of a username, or every sign-in attempt of a client IP. */
export type AttemptScope = 'username' | 'ip';

/** How often (in admitted attempts per process) rows past every window are deleted. */
const PRUNE_EVERY = 200;

/**
 * A sliding-window limit on sign-in attempts, kept in PostgreSQL (`sign_in_attempts`, migration
 * 006) so that it holds across server nodes and restarts: at most `limit` attempts per subject
 * within `windowMs`, on the server's clock.
 *
 * Checking and recording are one step under a transaction-scoped advisory lock on the subject:
 * two nodes (or two parallel requests) cannot both see room for the last attempt. An attempt is
 * recorded before the password is verified, so parallel guesses cannot all slip under the limit;
 * a successful sign-in then clears its username's failures.
 */
export class SignInAttempts {
  private admitted = 0;

  constructor(
    private readonly db: Database,
    readonly scope: AttemptScope,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /**
   * Records an attempt of `subject` at `nowMs` if the window has room and returns 0; otherwise
   * records nothing and returns the milliseconds until one more attempt fits.
   */
  async admit(subject: string, nowMs: number): Promise<number> {
    const windowStart = new Date(nowMs - this.windowMs).toISOString();
    const wait = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.scope}:${subject}`]);
      // The newest `limit` attempts in the window: when there are that many, the oldest of them
      // must leave the window before one more fits.
      const recent = await tx.query<{ at: string }>(
        `SELECT at FROM sign_in_attempts
          WHERE scope = $1 AND subject = $2 AND at > $3
          ORDER BY at DESC LIMIT $4`,
        [this.scope, subject, windowStart, this.limit],
      );
      const blocking = recent.length >= this.limit ? recent[recent.length - 1] : undefined;
      if (blocking !== undefined) {
        return Math.max(1, Date.parse(blocking.at) + this.windowMs - nowMs);
      }
      await tx.query('INSERT INTO sign_in_attempts (scope, subject, at) VALUES ($1, $2, $3)', [
        this.scope,
        subject,
        new Date(nowMs).toISOString(),
      ]);
      return 0;
    });
    if (wait === 0) {
      this.admitted += 1;
      if (this.admitted % PRUNE_EVERY === 0) {
        await this.prune(nowMs);
      }
    }
    return wait;
  }

  /** Forgets every attempt of `subject` (a successful sign-in clears its username's failures). */
  async clear(subject: string): Promise<void> {
    await this.db.query('DELETE FROM sign_in_attempts WHERE scope = $1 AND subject = $2', [
      this.scope,
      subject,
    ]);
  }

  /** Deletes this scope's attempts that no window reaches any more. */
  async prune(nowMs: number): Promise<number> {
    const rows = await this.db.query<{ n: number }>(
      `WITH gone AS (DELETE FROM sign_in_attempts WHERE scope = $1 AND at <= $2 RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [this.scope, new Date(nowMs - this.windowMs).toISOString()],
    );
    return rows[0]?.n ?? 0;
  }
}
