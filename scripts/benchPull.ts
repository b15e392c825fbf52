/**
 * Bootstrap pull: a reviewer's first pull as the workstation does it (`deferHeavy`: without the
 * listing documents and audit history, which come per item), through processPull; baseline: a
 * plain keyset SELECT of the same tables' rows, page by page, with no visibility rules and no
 * JSON shaping. Bytes: what the sync route sends (each page's JSON, Brotli as the route
 * compresses it) per row, against the uncompressed JSON per row of the full bootstrap (every
 * table, as before deferral).
 */
import { randomUUID } from 'node:crypto';
import { DEFERRABLE_TABLES, type SyncedTable } from '#shared/sync/protocol';
import type { Principal } from '../server/src/auth/principal';
import type { ServerContext } from '../server/src/context';
import { wireBytes } from '../server/src/sync/compression';
import { processPull } from '../server/src/sync/pull';
import { TABLE_READERS } from '../server/src/sync/tables';
import { benchFigure, perSecond, seconds, time, type BenchFigure } from './benchFigures';
import { principalOf } from './benchPrincipal';

const MB = 1048576;

interface Pulled {
  readonly rows: number;
  /** Bytes of the pages' JSON. */
  readonly json: number;
  /** Bytes as the sync route sends them (`wireBytes`), when measured. */
  readonly wire: number;
  /** Time spent compressing for `wire`, left out of the pull's own time. */
  readonly compressMs: number;
}

/** A whole bootstrap through processPull. */
async function bootstrap(
  ctx: ServerContext,
  principal: Principal,
  options: { readonly deferHeavy: boolean; readonly measureWire: boolean },
): Promise<Pulled> {
  const clientId = randomUUID();
  let cursor: string | null = null;
  let rows = 0;
  let json = 0;
  let wire = 0;
  let compressMs = 0;
  for (;;) {
    const page = await processPull(ctx, principal, {
      protocol: 1,
      clientId,
      cursor,
      limit: 1000,
      ...(options.deferHeavy ? { deferHeavy: true } : {}),
    });
    rows += page.changes.length;
    const text = JSON.stringify(page);
    json += Buffer.byteLength(text);
    if (options.measureWire) {
      const started = performance.now();
      wire += wireBytes(text);
      compressMs += performance.now() - started;
    }
    cursor = page.cursor;
    if (!page.hasMore) {
      return { rows, json, wire, compressMs };
    }
  }
}

export async function runPullBenchmark(ctx: ServerContext): Promise<BenchFigure[]> {
  const { db } = ctx;
  const reviewer = await principalOf(db, 'reviewer1');
  const deferred: ReadonlySet<SyncedTable> = new Set(DEFERRABLE_TABLES);

  const pulled = await time(() =>
    bootstrap(ctx, reviewer, { deferHeavy: true, measureWire: true }),
  );
  const { rows, json, wire, compressMs } = pulled.value;
  const pullMs = pulled.ms - compressMs;
  const baselinePull = await time(async () => {
    let rows = 0;
    for (const reader of TABLE_READERS.filter((candidate) => !deferred.has(candidate.table))) {
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
  const full = await time(() =>
    bootstrap(ctx, reviewer, { deferHeavy: false, measureWire: false }),
  );
  const fullJson = full.value.json;
  console.log(
    `bootstrap pull (reviewer)  ${rows.toLocaleString('en-US')} rows, ` +
      `${(json / MB).toFixed(1)} MB in ${seconds(pullMs)} = ${perSecond(rows, pullMs)}` +
      `  (deferHeavy: without ${DEFERRABLE_TABLES.join(', ')})`,
  );
  console.log(
    `  baseline plain SELECT    ${baselinePull.value.toLocaleString('en-US')} rows in ${seconds(baselinePull.ms)} = ` +
      perSecond(baselinePull.value, baselinePull.ms),
  );
  const ours = pullMs / rows;
  const baseline = baselinePull.ms / baselinePull.value;
  console.log(`  ratio (time per row)     ${(ours / baseline).toFixed(2)}× the baseline`);
  console.log(
    `  on the wire (Brotli q4)  ${(wire / MB).toFixed(1)} MB = ` +
      `${Math.round(wire / rows).toLocaleString('en-US')} bytes/row ` +
      `(compressing took ${seconds(compressMs)}; time per row with it ` +
      `${(pulled.ms / rows / baseline).toFixed(2)}× the baseline)`,
  );
  console.log(
    `  full bootstrap, JSON     ${full.value.rows.toLocaleString('en-US')} rows, ${(fullJson / MB).toFixed(1)} MB = ` +
      `${Math.round(fullJson / full.value.rows).toLocaleString('en-US')} bytes/row in ${seconds(full.ms)}`,
  );
  const bytesOurs = wire / rows;
  const bytesBaseline = fullJson / full.value.rows;
  console.log(
    `  ratio (bytes per row)    ${(bytesOurs / bytesBaseline).toFixed(2)}× the full bootstrap's JSON`,
  );
  return [
    benchFigure('bootstrap_pull', ours, baseline, 'ms/row'),
    benchFigure('bootstrap_bytes_per_row', bytesOurs, bytesBaseline, 'bytes/row'),
  ];
}
