import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MutationResult } from '#shared/sync/protocol';
import { createTestServer, type TestServer } from '../harness';
import { submitNewListing, TestSyncClient } from './client';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('many reviewers at once', () => {
  it('20 clients × 50 claim attempts on the same 10 items: never two active claims, all terminal', async () => {
    const items: string[] = [];
    for (let index = 0; index < 10; index += 1) {
      items.push((await submitNewListing(server, `英国硕士申请旗舰包${index}`)).itemId);
    }
    const usernames = ['reviewer1', 'reviewer2', 'ops1'] as const;
    await Promise.all(usernames.map((username) => server.token(username)));
    const random = fc.sample(
      fc.array(fc.tuple(fc.nat(9), fc.boolean()), { minLength: 50, maxLength: 50 }),
      {
        numRuns: 20,
        seed: 20261121,
      },
    );
    const clients = random.map((plan, index) => {
      const client = new TestSyncClient(server, usernames[index % usernames.length]!);
      // Mostly claims, some releases, so items keep changing hands.
      const batch = client.record(
        ...plan.map(([item, release]) => ({
          name: release ? 'release' : 'claim',
          args: { itemId: items[item] },
        })),
      );
      return { client, batch };
    });

    const results: MutationResult[][] = await Promise.all(
      clients.map(async ({ client, batch }) => {
        const out: MutationResult[] = [];
        for (let start = 0; start < batch.length; start += 10) {
          out.push(...(await client.push(batch.slice(start, start + 10))));
        }
        return out;
      }),
    );

    const all = results.flat();
    expect(all).toHaveLength(1000);
    const statuses = new Set(all.map((result) => result.status));
    expect([...statuses].every((status) => status === 'applied' || status === 'conflict')).toBe(
      true,
    );
    expect(all.filter((result) => result.code === 'INTERNAL')).toEqual([]);
    const active = await server.db.query<{ item_id: string; n: number }>(
      `SELECT item_id, count(*)::int8 AS n FROM claims WHERE released_at IS NULL GROUP BY item_id`,
    );
    expect(active.every((row) => row.n === 1)).toBe(true);
    const stored = await server.db.query<{ n: number }>(
      'SELECT count(*)::int8 AS n FROM sync_mutation_results',
    );
    expect(stored[0]?.n).toBe(1000);
    // Every applied new claim left exactly one claim row.
    const newClaims = all.filter(
      (result) =>
        result.name === 'claim' &&
        result.status === 'applied' &&
        result.details['renewed'] !== true,
    ).length;
    const claimRows = await server.db.query<{ n: number }>(
      'SELECT count(*)::int8 AS n FROM claims',
    );
    expect(claimRows[0]?.n).toBe(newClaims);
  }, 240_000);
});
