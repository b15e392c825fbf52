import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReviewItemRecord } from '#shared/sync/rows';
import {
  enrichMirrorRow,
  ReviewDeskDb,
  searchTokenRow,
} from '../../../../renderer/src/db/database';
import { buildSearchIndex, searchIndexReady } from '../../../../renderer/src/db/searchIndex';
import {
  DEFAULT_FILTERS,
  matchesFilters,
  orderItems,
  queueCounts,
  runQueueQuery,
  ESTIMATE_CAP,
  type QueueFilters,
} from '../../../../renderer/src/features/queue/queueQuery';
import { makeItem } from './queueHarness';

const open = (userId: string) =>
  new ReviewDeskDb(userId, { indexedDB: new IDBFactory(), IDBKeyRange });

const NOW = Date.parse('2026-05-10T00:00:00.000Z');
const me = randomUUID();

/**
 * Stores items as the sync engine does: a bootstrap stores rows only (`indexed: false`) and the
 * search index is built after; a delta writes rows and their search index rows together.
 */
async function store(
  db: ReviewDeskDb,
  items: readonly ReviewItemRecord[],
  { indexed = true }: { readonly indexed?: boolean } = {},
): Promise<void> {
  const rows = items.map((item, index) =>
    enrichMirrorRow('review_items', { ...item, _version: index + 1 }),
  );
  await db.transaction('rw', db.mirror('review_items'), db.searchTokens, async () => {
    await db.mirror('review_items').bulkPut(rows);
    if (indexed) {
      await db.searchTokens.bulkPut(rows.map(searchTokenRow));
    }
  });
  if (indexed && !(await searchIndexReady(db))) {
    await buildSearchIndex(db);
  }
}

async function ids(db: ReviewDeskDb, patch: Partial<QueueFilters>): Promise<string[]> {
  const result = await runQueueQuery(
    db,
    { ...DEFAULT_FILTERS, ...patch },
    { userId: me, now: NOW },
  );
  return [...(await result.ensure(Number.POSITIVE_INFINITY))];
}

const day = (n: number) => new Date(NOW - n * 86_400_000).toISOString();

describe('the queue query', () => {
  const oxford = makeItem({
    title: 'Oxford Master Application 牛津硕士申请',
    institutionName: '北京新航道教育',
    country: 'GB',
    stages: ['master'],
    createdAt: day(5),
    dueAt: day(-0.5),
  });
  const sydney = makeItem({
    title: '悉尼大学本科申请',
    institutionName: 'Sydney Study Partners',
    country: 'AU',
    stages: ['undergraduate'],
    createdAt: day(2),
    dueAt: day(1),
    priority: 2,
  });
  const tokyo = makeItem({
    title: '东京语言学校 Japanese language course',
    institutionName: '上海樱花留学',
    country: 'JP',
    stages: ['language_intensive'],
    createdAt: day(8),
    dueAt: null,
    state: 'in_review',
  });
  const decided = makeItem({
    title: '牛津博士',
    country: 'GB',
    stages: ['phd'],
    createdAt: day(9),
    state: 'decided',
  });
  const refund = makeItem({
    kind: 'refund',
    title: 'Refund for 牛津',
    country: null,
    stages: [],
    institutionName: null,
    createdAt: day(1),
  });
  const assigned = makeItem({
    title: 'Cambridge 剑桥',
    country: 'GB',
    createdAt: day(0.5),
    assigneeId: me,
    state: 'in_review',
  });
  const all = [oxford, sydney, tokyo, decided, refund, assigned];

  it('orders open items with those assigned to me first, then oldest first', async () => {
    const db = open(randomUUID());
    await store(db, all);
    expect(await ids(db, {})).toEqual([assigned.id, tokyo.id, oxford.id, sydney.id, refund.id]);
    expect(await ids(db, { state: 'all' })).toEqual([
      assigned.id,
      decided.id,
      tokyo.id,
      oxford.id,
      sydney.id,
      refund.id,
    ]);
  });

  it('sorts by priority and by due time (no due time last)', async () => {
    const db = open(randomUUID());
    await store(db, all);
    expect(await ids(db, { sort: 'priority' })).toEqual([
      assigned.id,
      sydney.id,
      tokyo.id,
      oxford.id,
      refund.id,
    ]);
    expect(await ids(db, { sort: 'due' })).toEqual([
      assigned.id,
      sydney.id,
      oxford.id,
      refund.id,
      tokyo.id,
    ]);
  });

  it('combines filters: state, kind, country, stage, institution, age, due, holder', async () => {
    const db = open(randomUUID());
    await store(db, all);
    expect(await ids(db, { kind: 'refund' })).toEqual([refund.id]);
    expect(await ids(db, { state: 'in_review' })).toEqual([assigned.id, tokyo.id]);
    expect(await ids(db, { country: 'GB' })).toEqual([assigned.id, oxford.id]);
    expect(await ids(db, { country: 'GB', state: 'all', stage: 'phd' })).toEqual([decided.id]);
    // "CA" is also a prefix of "Cambridge": the index gives candidates, the rows decide.
    expect(await ids(db, { country: 'CA' })).toEqual([]);
    expect(await ids(db, { institution: 'sydney study' })).toEqual([sydney.id]);
    expect(await ids(db, { institution: '新航道' })).toEqual([oxford.id]);
    expect(await ids(db, { age: '3d' })).toEqual([tokyo.id, oxford.id]);
    expect(await ids(db, { due: 'overdue' })).toEqual([sydney.id]);
    expect(await ids(db, { due: '24h' })).toEqual([oxford.id, sydney.id]);
    expect(await ids(db, { age: '3d', country: 'JP', kind: 'listing_revision' })).toEqual([
      tokyo.id,
    ]);
    expect(await ids(db, { age: '7d', state: 'all', country: 'GB' })).toEqual([decided.id]);
  });

  it('filters by holder (a live claim)', async () => {
    const db = open(randomUUID());
    const held = {
      ...tokyo,
      claim: {
        reviewerId: me,
        claimedAt: day(1),
        expiresAt: new Date(NOW + 3_600_000).toISOString(),
        assignedBy: null,
      },
    };
    const expired = {
      ...assigned,
      claim: { reviewerId: me, claimedAt: day(1), expiresAt: day(0.1), assignedBy: null },
    };
    await store(db, [oxford, held, expired]);
    expect(await ids(db, { holderId: me })).toEqual([tokyo.id]);
  });

  it('searches Chinese bigrams and English prefixes over listing and institution names', async () => {
    const db = open(randomUUID());
    await store(db, all);
    expect(await ids(db, { query: '牛津' })).toEqual([oxford.id, refund.id]);
    expect(await ids(db, { query: '牛津', state: 'all' })).toEqual([
      decided.id,
      oxford.id,
      refund.id,
    ]);
    expect(await ids(db, { query: 'oxf' })).toEqual([oxford.id]);
    expect(await ids(db, { query: 'OXFORD master' })).toEqual([oxford.id]);
    expect(await ids(db, { query: 'japan 东京' })).toEqual([tokyo.id]);
    expect(await ids(db, { query: '樱花' })).toEqual([tokyo.id]);
    expect(await ids(db, { query: 'sydney' })).toEqual([sydney.id]);
    expect(await ids(db, { query: 'nothing like it' })).toEqual([]);
  });

  it('counts per state and kind from the indexes', async () => {
    const db = open(randomUUID());
    await store(db, all);
    const counts = await queueCounts(db, null, me);
    expect(counts.byState).toEqual({
      pending: 3,
      in_review: 2,
      decided: 1,
      withdrawn: 0,
      cancelled: 0,
    });
    expect(counts.openByKind).toEqual({ listing_revision: 4, refund: 1 });
    expect(counts.assignedToMe).toBe(1);
    expect((await queueCounts(db, 'refund', me)).byState.pending).toBe(1);
  });

  it('agrees with checking every row, for many filter combinations, before and after changes', async () => {
    const db = open(randomUUID());
    const countries = ['GB', 'US', 'AU', 'JP', null] as const;
    const stages = ['master', 'undergraduate', 'phd'] as const;
    const many = Array.from({ length: ESTIMATE_CAP * 10 }, (_, index) =>
      makeItem({
        title: index % 7 === 0 ? `英国硕士 Oxford ${index}` : `美国本科 Boston ${index}`,
        kind: index % 11 === 0 ? 'refund' : 'listing_revision',
        state: index % 13 === 0 ? 'decided' : index % 5 === 0 ? 'in_review' : 'pending',
        country: countries[index % countries.length] ?? null,
        stages: [stages[index % stages.length] ?? 'master'],
        institutionName: index % 3 === 0 ? '北京新航道教育' : 'Harbour Study Partners',
        // Ties on purpose: runs of equal creation times across walk chunks.
        createdAt: new Date(NOW - Math.floor(index / 3) * 60_000).toISOString(),
        dueAt: index % 4 === 0 ? null : new Date(NOW + (index % 50) * 3_600_000).toISOString(),
        priority: index % 3,
        assigneeId: index % 97 === 0 ? me : null,
        claim:
          index % 5 === 0 && index % 2 === 0
            ? {
                reviewerId: index % 4 === 0 ? me : randomUUID(),
                claimedAt: day(1),
                expiresAt: new Date(NOW + 3_600_000).toISOString(),
                assignedBy: null,
              }
            : null,
      }),
    );
    // As a bootstrap leaves them: searches check rows until the search index is built.
    await store(db, many, { indexed: false });
    const cases: Partial<QueueFilters>[] = [
      {},
      { sort: 'due' },
      { sort: 'priority' },
      { state: 'all' },
      { state: 'in_review', sort: 'priority' },
      { kind: 'listing_revision', sort: 'due' },
      { kind: 'refund', state: 'all' },
      { query: '美国' },
      { query: '英国', sort: 'due' },
      { query: 'boston', sort: 'priority' },
      { query: 'oxford 硕士', state: 'all' },
      { query: '7', sort: 'due' },
      { country: 'US' },
      { country: 'JP', sort: 'due' },
      { country: 'GB', query: 'oxford' },
      { stage: 'phd' },
      { institution: '新航道', sort: 'priority' },
      { age: '1d' },
      { age: '3d', sort: 'due', kind: 'refund' },
      { due: '24h' },
      { due: 'overdue', sort: 'oldest' },
      { holderId: me },
      { state: 'all', sort: 'priority' },
    ];
    const kinds = ['listing_revision', 'refund'];
    const verify = async (label: string) => {
      const rows = (await db.mirror('review_items').toArray()) as unknown as ReviewItemRecord[];
      for (const patch of cases) {
        const filters = { ...DEFAULT_FILTERS, ...patch };
        const name = `${label} ${JSON.stringify(patch)}`;
        const expected = orderItems(
          rows.filter((item) => matchesFilters(item, filters, { userId: me, now: NOW }, kinds)),
          filters.sort,
          me,
        ).map((item) => item.id);
        const result = await runQueueQuery(db, filters, { userId: me, now: NOW });
        // The first screen is known as soon as the query answers.
        expect(result.keys.slice(0, 20), name).toEqual(expected.slice(0, 20));
        const counted = await result.countAll();
        if (counted !== null) {
          expect(counted, name).toBe(expected.length);
          expect(result.total, name).toBe(expected.length);
        } else {
          expect(result.total, name).toBeGreaterThanOrEqual(Math.min(expected.length, 20));
        }
        if (expected.length > 10) {
          const window = await result.rows(5, 10);
          expect(
            window.map((item) => item.id),
            name,
          ).toEqual(expected.slice(5, 10));
          expect(await result.indexOf(expected[expected.length - 1]!), name).toBe(
            expected.length - 1,
          );
        }
        expect([...(await result.ensure(Number.POSITIVE_INFINITY))], name).toEqual(expected);
        expect(result.complete && result.exact, name).toBe(true);
        expect(result.total, name).toBe(expected.length);
      }
    };
    await verify('before the search index');
    expect(
      (await runQueueQuery(db, { ...DEFAULT_FILTERS, query: '美国' }, { userId: me, now: NOW }))
        .plan,
    ).toBe('walk [kind+state+createdAt]');
    await buildSearchIndex(db);
    expect(
      (await runQueueQuery(db, { ...DEFAULT_FILTERS, query: '美国' }, { userId: me, now: NOW }))
        .plan,
    ).toBe('walk _searchOrder=美国');
    await verify('as stored');
    // Rows change as the mirror follows the server: states, times, titles; some go away.
    const table = db.mirror('review_items');
    const changed = many.slice(0, 400).map((item, index) => ({
      ...item,
      state: index % 3 === 0 ? ('decided' as const) : ('in_review' as const),
      title: index % 2 === 0 ? `东京 Tokyo 美国 ${index}` : item.title,
      createdAt: new Date(NOW - (index % 40) * 3_600_000).toISOString(),
      dueAt: index % 5 === 0 ? null : item.dueAt,
      assigneeId: index % 17 === 0 ? me : item.assigneeId,
    }));
    await store(db, changed);
    const gone = many.slice(400, 450).map((item) => item.id);
    await db.transaction('rw', table, db.searchTokens, async () => {
      await table.bulkDelete(gone);
      await db.searchTokens.bulkDelete(gone);
    });
    await verify('after changes');
    // Large, index-only queries walk the sort index and stop at the first screen.
    expect((await runQueueQuery(db, DEFAULT_FILTERS, { userId: me, now: NOW })).plan).toMatch(
      /^walk /,
    );
  }, 120_000);

  it('counts a single-word search exactly, and labels a multi-filter one as open-ended', async () => {
    const db = open(randomUUID());
    await store(db, all);
    const single = await runQueueQuery(
      db,
      { ...DEFAULT_FILTERS, query: '牛津' },
      { userId: me, now: NOW },
    );
    expect(await single.countAll()).toBe(2);
    const combined = await runQueueQuery(
      db,
      { ...DEFAULT_FILTERS, query: '牛津', stage: 'master' },
      { userId: me, now: NOW },
    );
    expect(await combined.countAll()).toBe(combined.complete ? 1 : null);
    await combined.ensure(Number.POSITIVE_INFINITY);
    expect(combined.total).toBe(1);
    expect(combined.exact).toBe(true);
  });
});
