/**
 * Push: claim mutations pushed in batches of 100 through processPush (stored result, audit,
 * version counter); baseline: one plain transactional INSERT per mutation.
 */
import { randomUUID } from 'node:crypto';
import type { ServerContext } from '../server/src/context';
import { buildMutationRegistry } from '../server/src/review/kinds';
import { processPush } from '../server/src/sync/push';
import { benchFigure, perSecond, seconds, time, type BenchFigure } from './benchFigures';
import { principalOf } from './benchPrincipal';

/** Claims per side run before measuring. */
const WARM_UP = 50;

export async function runPushBenchmark(
  ctx: ServerContext,
  options: { readonly pushes: number },
): Promise<BenchFigure[]> {
  const { db } = ctx;
  const { pushes } = options;
  const reviewer = await principalOf(db, 'reviewer1');
  const all = await db.query<{ id: string }>(
    `SELECT id FROM review_items WHERE kind = 'listing_revision' AND state = 'pending' ORDER BY id LIMIT $1`,
    [pushes * 2 + WARM_UP * 2],
  );
  const warmUp = all.slice(0, Math.min(WARM_UP * 2, Math.floor(all.length / 4) * 2));
  const items = all.slice(warmUp.length);
  // Half each when the data set has fewer pending items than asked for, so both sides measure
  // the same number of operations (a small --listings with many --pushes).
  const half = Math.min(pushes, Math.floor(items.length / 2));
  const mine = items.slice(0, half);
  const baselineItems = items.slice(half, half * 2);
  const registry = buildMutationRegistry();
  const pushClient = randomUUID();
  let seq = 0;
  const push = async (batch: readonly { id: string }[]) => {
    const reply = await processPush(
      ctx,
      reviewer,
      {
        protocol: 1,
        clientId: pushClient,
        mutations: batch.map(({ id }) => ({
          seq: ++seq,
          mutationId: randomUUID(),
          name: 'claim',
          v: 1,
          args: { itemId: id },
        })),
      },
      registry,
    );
    if (reply.statusCode !== 200) {
      throw new Error(`push failed: ${reply.statusCode}`);
    }
  };
  const insertClaim = (id: string, now: string) =>
    db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO claims (id, item_id, reviewer_id, claimed_at, expires_at) VALUES ($1, $2, $3, $4, $4)`,
        [randomUUID(), id, reviewer.id, now],
      );
    });
  // Both sides once, unmeasured, so that neither pays for cold caches (the first to run would:
  // JIT, catalog caches, prepared statements) inside its figure.
  await push(warmUp.slice(0, warmUp.length / 2));
  for (const { id } of warmUp.slice(warmUp.length / 2)) {
    await insertClaim(id, new Date().toISOString());
  }
  const pushed = await time(async () => {
    const first = seq;
    for (let start = 0; start < mine.length; start += 100) {
      await push(mine.slice(start, start + 100));
    }
    return seq - first;
  });
  const baselinePush = await time(async () => {
    const now = new Date().toISOString();
    for (const { id } of baselineItems) {
      await insertClaim(id, now);
    }
    return baselineItems.length;
  });
  console.log(
    `push (claim, 100/batch)    ${pushed.value.toLocaleString('en-US')} mutations in ${seconds(pushed.ms)} = ${perSecond(pushed.value, pushed.ms)}`,
  );
  console.log(
    `  baseline INSERT per tx   ${baselinePush.value.toLocaleString('en-US')} inserts in ${seconds(baselinePush.ms)} = ` +
      perSecond(baselinePush.value, baselinePush.ms),
  );
  const ours = pushed.ms / pushed.value;
  const baseline = baselinePush.ms / baselinePush.value;
  console.log(`  ratio (time per op)      ${(ours / baseline).toFixed(2)}× the baseline`);
  return [benchFigure('push', ours, baseline, 'ms/op')];
}
