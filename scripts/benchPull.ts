/**
 * Bootstrap pull: a reviewer's first pull of everything they may see, through processPull;
 * baseline: a plain keyset SELECT of the same tables' rows, page by page, with no visibility
 * rules and no JSON shaping.
 */
import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../server/src/context';
import { processPull } from '../server/src/sync/pull';
import { TABLE_READERS } from '../server/src/sync/tables';
import { benchFigure, perSecond, seconds, time, type BenchFigure } from './benchFigures';
import { principalOf } from './benchPrincipal';

export async function runPullBenchmark(ctx: ServerContext): Promise<BenchFigure[]> {
  const { db } = ctx;
  const reviewer = await principalOf(db, 'reviewer1');
  const clientId = randomUUID();
  const pulled = await time(async () => {
    let cursor: string | null = null;
    let rows = 0;
    let bytes = 0;
    for (;;) {
      const page = await processPull(ctx, reviewer, {
        protocol: 1,
        clientId,
        cursor,
        limit: 1000,
      });
      rows += page.changes.length;
      bytes += JSON.stringify(page).length;
      cursor = page.cursor;
      if (!page.hasMore) {
        return { rows, bytes };
      }
    }
  });
  const baselinePull = await time(async () => {
    let rows = 0;
    for (const reader of TABLE_READERS) {
      let after: string | null = null;
      for (;;) {
        const page: { id: string }[] = await db.query<{ id: string }>(
          `SELECT * FROM ${reader.table} ${after === null ? '' : 'WHERE id > $1'} ORDER BY id LIMIT 1000`,
          after === null ? [] : [after],
        );
        rows += page.length;
        if (page.length < 1000) {
          break;
        }
        after = page.at(-1)?.id ?? null;
      }
    }
    return rows;
  });
  console.log(
    `bootstrap pull (reviewer)  ${pulled.value.rows.toLocaleString('en-US')} rows, ` +
      `${(pulled.value.bytes / 1048576).toFixed(1)} MB in ${seconds(pulled.ms)} = ${perSecond(pulled.value.rows, pulled.ms)}`,
  );
  console.log(
    `  baseline plain SELECT    ${baselinePull.value.toLocaleString('en-US')} rows in ${seconds(baselinePull.ms)} = ` +
      perSecond(baselinePull.value, baselinePull.ms),
  );
  const ours = pulled.ms / pulled.value.rows;
  const baseline = baselinePull.ms / baselinePull.value;
  console.log(`  ratio (time per row)     ${(ours / baseline).toFixed(2)}× the baseline`);
  return [benchFigure('bootstrap_pull', ours, baseline, 'ms/row')];
}
