// Dexie reads the IndexedDB globals when it is first imported, and the kind modules registered
// below import it (through their pages' live queries): install fake-indexeddb before them.
import 'fake-indexeddb/auto';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { registerKinds } from '../../renderer/src/kinds';

// The review kinds and screens, as the workstation's entry registers them.
registerKinds();

// findBy*/waitFor give up after 1 s by default: too short for Mantine forms on a busy 2-core CI
// machine. A slow pass is still a pass; a real failure still fails, later.
configure({ asyncUtilTimeout: 10_000 });

// jsdom lacks the layout APIs Mantine asks for; these are Mantine's documented test shims.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});

class ResizeObserverShim {
  observe(): void {
    // jsdom never lays anything out, so there is nothing to observe.
  }
  unobserve(): void {
    // See observe().
  }
  disconnect(): void {
    // See observe().
  }
}
window.ResizeObserver = ResizeObserverShim;

afterEach(() => {
  cleanup();
});
