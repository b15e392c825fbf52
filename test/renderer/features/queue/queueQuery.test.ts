import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReviewItemRecord } from '#shared/sync/rows';
import { enrichMirrorRow, ReviewDeskDb } from '../../../../renderer/src/db/database';
import {
  DEFAULT_FILTERS,
  matchesFilters,
  orderItems,
  queueCounts,
  runQueueQuery,
  SMALL_RESULT,
  type QueueFilters,
} from '../../../../renderer/src/features/queue/queueQuery';
import { makeItem } from './queueHarness';

/** The schema the workstation is meant to have (version 2: `*_search`), for the index path. */
class IndexedDb extends ReviewDeskDb {
  constructor(userId: string) {
    super(userId, { indexedDB: new IDBFactory(), IDBKeyRange });
    if (!Object.hasOwn(this.mirror('review_items').schema.idxByName, '_search')) {
      this.version(2).stores({
        srv_review_items:
          '&id, kind, state, subjectId, [kind+state], dueAt, createdAt, assigneeId, *_search',
      });
    }
  }
}

const schemas = [
  ['with the _search index', (userId: string) => new IndexedDb(userId)],
  [
    'as the database declares it',
    (userId: string) => new ReviewDeskDb(userId, { indexedDB: new IDBFactory(), IDBKeyRange }),
  ],
] as const;

const NOW = Date.parse('2026-05-10T00:00:00.000Z');
const me = randomUUID();

async function store(db: ReviewDeskDb, items: readonly ReviewItemRecord[]): Promise<void> {
  await db
    .mirror('review_items')
    .bulkPut(
      items.map((item, index) => enrichMirrorRow('review_items', { ...item, _version: index + 1 })),
    );
}

async function ids(db: ReviewDeskDb, patch: Partial<QueueFilters>): Promise<string[]> {
  const result = await runQueueQuery(
    db,
    { ...DEFAULT_FILTERS, ...patch },
    { userId: me, now: NOW },
  );
  return [...(await result.ensure(result.total))];
}

const day = (n: number) => new Date(NOW - n * 86_400_000).toISOString();

describe.each(schemas)('the queue query (%s)', (_name, open) => {
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

  it('agrees with checking every row, on a result too large to read as rows', async () => {
    const db = open(randomUUID());
    const countries = ['GB', 'US', 'AU', 'JP', null] as const;
    const many = Array.from({ length: SMALL_RESULT + 700 }, (_, index) =>
      makeItem({
        title: index % 7 === 0 ? `英国硕士 Oxford ${index}` : `美国本科 Boston ${index}`,
        kind: index % 11 === 0 ? 'refund' : 'listing_revision',
        state: index % 13 === 0 ? 'decided' : index % 5 === 0 ? 'in_review' : 'pending',
        country: countries[index % countries.length] ?? null,
        // Ties on purpose: runs of equal creation times across walk chunks.
        createdAt: new Date(NOW - Math.floor(index / 3) * 60_000).toISOString(),
        dueAt: index % 4 === 0 ? null : new Date(NOW + (index % 50) * 3_600_000).toISOString(),
        priority: index % 3,
        assigneeId: index % 97 === 0 ? me : null,
      }),
    );
    await store(db, many);
    const rows = (await db.mirror('review_items').toArray()) as unknown as ReviewItemRecord[];
    const cases: Partial<QueueFilters>[] = [
      {},
      { sort: 'due' },
      { state: 'all' },
      { kind: 'listing_revision', sort: 'due' },
      { query: '美国' },
      { query: 'boston', sort: 'due' },
      { country: 'US' },
      { state: 'all', sort: 'priority' },
    ];
    for (const patch of cases) {
      const filters = { ...DEFAULT_FILTERS, ...patch };
      const kinds = ['listing_revision', 'refund'];
      const expected = orderItems(
        rows.filter((item) => matchesFilters(item, filters, { userId: me, now: NOW }, kinds)),
        filters.sort,
        me,
      ).map((item) => item.id);
      const result = await runQueueQuery(db, filters, { userId: me, now: NOW });
      expect(result.total, JSON.stringify(patch)).toBe(expected.length);
      expect([...(await result.ensure(result.total))], JSON.stringify(patch)).toEqual(expected);
      if (expected.length > 10) {
        const window = await result.rows(5, 10);
        expect(window.map((item) => item.id)).toEqual(expected.slice(5, 10));
        expect(await result.indexOf(expected[expected.length - 1]!)).toBe(expected.length - 1);
      }
    }
    // Large, index-only queries are ordered by walking the sort index, never reading every row.
    expect((await runQueueQuery(db, DEFAULT_FILTERS, { userId: me, now: NOW })).plan).toBe('keys');
  }, 60_000);
});
