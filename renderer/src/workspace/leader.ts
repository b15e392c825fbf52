/**
 * One sync leader per user across the windows of this browser or desktop app (RSP/1 §2.5 rule 9):
 * the window holding the Web Lock runs the engine; the others follow its status over a
 * BroadcastChannel and tell it when they record something. When the leader closes, the lock
 * passes to another window.
 */
export interface LeaderDeps {
  readonly locks: LockManager | undefined;
  readonly createChannel: ((name: string) => BroadcastChannel) | undefined;
}

export const browserLeaderDeps = (): LeaderDeps => ({
  locks: typeof navigator === 'undefined' ? undefined : navigator.locks,
  createChannel:
    typeof BroadcastChannel === 'undefined' ? undefined : (name) => new BroadcastChannel(name),
});

/**
 * Runs `lead` once this window holds the user's sync lock (immediately when Web Locks are not
 * available), until the returned release function is called.
 */
export function whenLeader(userId: string, deps: LeaderDeps, lead: () => void): () => void {
  if (deps.locks === undefined) {
    lead();
    return () => undefined;
  }
  const abort = new AbortController();
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  deps.locks
    .request(`review-desk-sync-${userId}`, { signal: abort.signal }, async () => {
      lead();
      await held;
    })
    .catch(() => {
      // Aborted before we got the lock: this window never led.
    });
  return () => {
    abort.abort();
    release();
  };
}

export type WindowMessage =
  | { readonly type: 'status'; readonly status: unknown }
  | { readonly type: 'outbox-changed' }
  | { readonly type: 'sync-now' };

export function openChannel(userId: string, deps: LeaderDeps): BroadcastChannel | null {
  return deps.createChannel?.(`review-desk-sync-${userId}`) ?? null;
}
