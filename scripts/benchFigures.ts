/**
 * One measured figure of `npm run bench`: ours against a baseline measured in the same run.
 * `npm run bench -- --json` writes every figure to `bench-results.json` at the repository root,
 * so that a check outside the printed table can read them.
 */
export interface BenchFigure {
  /** Stable name, e.g. `push`, `bootstrap_pull`, `queue_query_all`. */
  readonly name: string;
  readonly ours: number;
  readonly baseline: number;
  /** `ours / baseline` (for throughput figures: our throughput over the baseline's). */
  readonly ratio: number;
  /** What `ours` and `baseline` are measured in, e.g. `ms/row`, `bytes/row`, `pages/s`. */
  readonly unit: string;
}

export function benchFigure(
  name: string,
  ours: number,
  baseline: number,
  unit: string,
): BenchFigure {
  return { name, ours, baseline, ratio: baseline === 0 ? Number.NaN : ours / baseline, unit };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const perSecond = (count: number, ms: number) =>
  `${Math.round(count / (ms / 1000)).toLocaleString('en-US')}/s`;

export async function time<T>(body: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await body();
  return { ms: performance.now() - started, value };
}
