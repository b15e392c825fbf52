import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Unit and integration suites. The browser end-to-end suite (real Chromium) and the suites that
 * need a real PostgreSQL are separate projects started by `scripts/runTests.ts`, which says loudly
 * when it has to skip them.
 */
export default defineConfig({
  plugins: [react()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          // Server suites start an embedded PostgreSQL (PGlite) per file: seconds, not milliseconds.
          hookTimeout: 60_000,
          testTimeout: 30_000,
          include: [
            'test/shared/**/*.test.ts',
            'test/cli/**/*.test.ts',
            'test/server/**/*.test.ts',
            'test/electron/**/*.test.ts',
            'test/scripts/**/*.test.ts',
            // The workstation's data and sync layers run in Node against fake-indexeddb and a
            // real review server; only components need jsdom.
            'test/renderer/db/**/*.test.ts',
            'test/renderer/sync/**/*.test.ts',
            'test/renderer/session/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'renderer',
          environment: 'jsdom',
          // Typing into Mantine forms under jsdom takes seconds on a loaded 2-core CI machine.
          testTimeout: 30_000,
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          exclude: ['test/renderer/db/**', 'test/renderer/sync/**', 'test/renderer/session/**'],
          setupFiles: ['test/renderer/setup.ts'],
        },
      },
      {
        // Real Chromium against the built workstation; `npm test` runs it only when Chromium is
        // installed (and requires it under CI=true).
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // expect.poll gives up after 1 s by default: a sync round trip on a busy 2-core CI
          // machine can take longer. Waiting longer for the right state is not a timed assertion.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
