import { registerKinds } from '../kinds';
import { bootstrap } from './bootstrapBench';
import { filterAndSearch, firstRender } from './queueBench';

/**
 * Benchmarks that need a real browser (`npm run bench` drives them in Chromium, see
 * scripts/benchBrowser.ts): the bootstrap into IndexedDB (bootstrapBench.ts) and the queue's
 * first render and queries (queueBench.tsx).
 */
registerKinds();

declare global {
  interface Window {
    __reviewDeskBench?: {
      bootstrap: typeof bootstrap;
      firstRender: typeof firstRender;
      filterAndSearch: typeof filterAndSearch;
    };
  }
}

window.__reviewDeskBench = { bootstrap, firstRender, filterAndSearch };
document.getElementById('root')?.append('ready');
