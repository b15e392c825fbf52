/**
 * Change hints for `/sync/v1/events`: after a transaction that bumped the space version
 * commits, subscribers hear the new version and pull when convenient. Hints carry no data, so a
 * lost hint costs nothing but latency (RSP/1 "poke").
 */
export interface ChangeHints {
  notify(version: number): void;
  subscribe(listener: (version: number) => void): () => void;
  readonly subscriberCount: number;
}

export function createChangeHints(): ChangeHints {
  const listeners = new Set<(version: number) => void>();
  return {
    notify(version) {
      for (const listener of listeners) {
        listener(version);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    get subscriberCount() {
      return listeners.size;
    },
  };
}
