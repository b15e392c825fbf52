import { create } from 'zustand';
import { DEFAULT_FILTERS, type QueueFilters } from './queueQuery';

/**
 * The queue's UI state (zustand): the signed-in user's filters and sort, and the selected row.
 * It lives in memory for the window's life, so going to an item and back keeps the queue as it
 * was, and the item page's next/previous (`useQueueNeighbours`) follows the same order. It is
 * not put in the URL: the navigation links and `routeHref` always open the plain queue, and a
 * reload starts from the default view (open items, oldest first).
 */
export interface QueueUiState {
  /** Whose filters these are: another user signing in on this window starts afresh. */
  readonly userId: string | null;
  readonly filters: QueueFilters;
  /** The item the keyboard cursor is on. */
  readonly selectedId: string | null;
  readonly setUser: (userId: string) => void;
  readonly setFilters: (patch: Partial<QueueFilters>) => void;
  readonly resetFilters: () => void;
  readonly select: (itemId: string | null) => void;
}

export const useQueueStore = create<QueueUiState>()((set, get) => ({
  userId: null,
  filters: DEFAULT_FILTERS,
  selectedId: null,
  setUser: (userId) => {
    if (get().userId !== userId) {
      set({ userId, filters: DEFAULT_FILTERS, selectedId: null });
    }
  },
  setFilters: (patch) => {
    set((state) => ({ filters: { ...state.filters, ...patch } }));
  },
  resetFilters: () => {
    set((state) => ({
      filters: { ...DEFAULT_FILTERS, sort: state.filters.sort, state: state.filters.state },
    }));
  },
  select: (selectedId) => {
    set({ selectedId });
  },
}));

/** For tests: back to the state of a fresh window. */
export function resetQueueStore(): void {
  useQueueStore.setState({ userId: null, filters: DEFAULT_FILTERS, selectedId: null });
}
