import { describe, expect, it } from 'vitest';
import { deepEqual } from '#shared/diff/patch';
import { buildDocument, buildPairs, countLeaves, runDiffBenchmarks } from '../../scripts/benchDiff';

/* The benchmark's own timings are printed, never asserted: these only check what it measures. */

describe('diff benchmark', () => {
  it('builds documents of about 1,000 leaf fields, the same on every run', () => {
    const document = buildDocument(1000);
    const leaves = countLeaves(document);
    expect(leaves).toBeGreaterThanOrEqual(950);
    expect(leaves).toBeLessThanOrEqual(1050);
    expect(buildDocument(1000)).toEqual(document);
    expect(Array.isArray(document['items'])).toBe(true);
  });

  it('builds ten pairs, each but the first with a change', () => {
    const pairs = buildPairs(1000);
    expect(pairs).toHaveLength(10);
    expect(new Set(pairs.map((pair) => pair.name)).size).toBe(10);
    pairs.forEach((pair, index) => {
      expect(countLeaves(pair.before)).toBeGreaterThanOrEqual(950);
      expect(deepEqual(pair.before, pair.after)).toBe(index === 0);
    });
  });

  it('runs to the end on tiny documents and verifies every patch', () => {
    const lines: string[] = [];
    const results = runDiffBenchmarks({
      fields: 60,
      repeats: 2,
      log: (line) => lines.push(line),
    });
    expect(results).toHaveLength(10);
    for (const result of results) {
      expect(result.verified).toBe(true);
      expect(result.oursMs).toBeGreaterThanOrEqual(0);
      expect(result.theirsMs).toBeGreaterThanOrEqual(0);
    }
    expect(lines.join('\n')).toMatch(/geometric mean/);
    expect(lines.length).toBeGreaterThanOrEqual(12);
  });
});
