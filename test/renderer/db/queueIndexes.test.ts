import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { searchOrderEntry, searchOrderPrefix } from '#shared/search/queueKeys';
import {
  enrichMirrorRow,
  LOCAL_DATABASE_PREFIX,
  META,
  mirrorTableName,
  ReviewDeskDb,
  SEARCH_INDEX_NOT_BUILT,
  searchTokenRow,
} from '../../../renderer/src/db/database';
import {
  buildSearchIndex,
  indexSearchStep,
  readSearchIndex,
  searchIndexReady,
} from '../../../renderer/src/db/searchIndex';

const userId = '33333333-3333-4333-8333-333333333333';
const item = {
  id: 'item-1',
  _version: 3,
  kind: 'listing_revision',
  state: 'pending',
  title: '悉尼大学本科申请',
  institutionName: 'Harbour Study Partners',
  country: 'AU',
  priority: 2,
  createdAt: '2026-05-01T00:00:00.000Z',
  dueAt: null,
};

describe('the queue indexes (schema version 4)', () => {
  it('derives the ordered index fields from the row', () => {
    const row = enrichMirrorRow('review_items', item);
    expect(row['_dueOrder']).toBe('~2026-05-01T00:00:00.000Z');
    expect(row['_negPriority']).toBe(-2);
    // The search entries are a row of their own since version 6, not fields of the item.
    expect(row['_searchOrder']).toBeUndefined();
    expect(row['_search']).toBeUndefined();
    expect(searchTokenRow(row)._searchOrder).toContain(
      searchOrderEntry('悉尼', 'pending', item.createdAt),
    );
    expect(searchTokenRow(row)._searchOrder).toContain(
      searchOrderEntry('harbour', 'pending', item.createdAt),
    );
    expect(
      enrichMirrorRow('review_items', { ...item, dueAt: '2026-06-01T00:00:00.000Z' })['_dueOrder'],
    ).toBe('2026-06-01T00:00:00.000Z');
  });

  it('back-fills rows cached under version 3 so the queue can walk the new indexes', async () => {
    const indexedDB = new IDBFactory();
    const old = new Dexie(`${LOCAL_DATABASE_PREFIX}${userId}`, { indexedDB, IDBKeyRange });
    old.version(3).stores({
      [mirrorTableName('review_items')]:
        '&id, kind, state, subjectId, [kind+state], dueAt, createdAt, assigneeId, *_search',
    });
    // Stored by version 3: search tokens only.
    const { _searchOrder: _dropped, ...v3 } = enrichMirrorRow('review_items', item) as Record<
      string,
      unknown
    >;
    await old.table(mirrorTableName('review_items')).put(v3);
    old.close();
    const db = new ReviewDeskDb(userId, { indexedDB, IDBKeyRange });
    try {
      const items = db.mirror('review_items');
      const prefix = searchOrderPrefix('悉尼', 'pending');
      expect(await searchIndexReady(db)).toBe(false);
      expect(await buildSearchIndex(db)).toBe(true);
      expect(
        await db.searchTokens
          .where('_searchOrder')
          .between(prefix, `${prefix}\uffff`)
          .primaryKeys(),
      ).toEqual(['item-1']);
      expect(
        await items
          .where('[kind+state+createdAt]')
          .between(
            ['listing_revision', 'pending', Dexie.minKey],
            ['listing_revision', 'pending', Dexie.maxKey],
          )
          .count(),
      ).toBe(1);
      expect(
        await items
          .where('[country+kind+state+createdAt]')
          .between(
            ['AU', 'listing_revision', 'pending', Dexie.minKey],
            ['AU', 'listing_revision', 'pending', Dexie.maxKey],
          )
          .count(),
      ).toBe(1);
      expect(await items.orderBy('[kind+state+_negPriority+createdAt]').count()).toBe(1);
      expect(await items.orderBy('[kind+state+_dueOrder]').count()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('moves the search entries of a version 5 cache to their table, in the background', async () => {
    const indexedDB = new IDBFactory();
    const old = new Dexie(`${LOCAL_DATABASE_PREFIX}${userId}`, { indexedDB, IDBKeyRange });
    old.version(5).stores({
      meta: '&key',
      [mirrorTableName('review_items')]:
        '&id, kind, state, subjectId, [kind+state], dueAt, createdAt, assigneeId, [kind+state+createdAt], *_searchOrder',
    });
    const v5 = {
      ...enrichMirrorRow('review_items', item),
      _searchOrder: searchTokenRow(enrichMirrorRow('review_items', item))._searchOrder,
    };
    await old.table(mirrorTableName('review_items')).put(v5);
    await old.table('meta').put({ key: META.bootstrapped, value: true });
    old.close();
    const db = new ReviewDeskDb(userId, { indexedDB, IDBKeyRange });
    try {
      expect(await readSearchIndex(db)).toEqual(SEARCH_INDEX_NOT_BUILT);
      expect(await db.searchTokens.count()).toBe(0);
      expect(await buildSearchIndex(db)).toBe(true);
      expect((await db.searchTokens.get('item-1'))?._searchOrder).toEqual(v5._searchOrder);
    } finally {
      db.close();
    }
  });

  it('indexes every item even when a bootstrap page lands while the index is being built', async () => {
    const db = new ReviewDeskDb(userId, { indexedDB: new IDBFactory(), IDBKeyRange });
    const items = db.mirror('review_items');
    const at = (n: number) => ({
      ...item,
      id: `item-${String(n).padStart(3, '0')}`,
      createdAt: new Date(Date.parse(item.createdAt) + n * 60_000).toISOString(),
    });
    try {
      await items.bulkPut(
        Array.from({ length: 30 }, (_, n) => enrichMirrorRow('review_items', at(n * 2 + 1))),
      );
      expect(await indexSearchStep(db, 10)).toBe(false);
      expect((await readSearchIndex(db)).after).toBe('item-019');
      // A bootstrap page (as the engine writes it): rows without their search index rows, below
      // the progress already made, and the progress started over in the same transaction.
      await db.transaction('rw', items, db.meta, async () => {
        await items.bulkPut([enrichMirrorRow('review_items', at(2))]);
        await db.meta.put({ key: META.searchIndex, value: SEARCH_INDEX_NOT_BUILT });
      });
      while (!(await indexSearchStep(db, 10))) {
        // One chunk per transaction until the end.
      }
      expect(await searchIndexReady(db)).toBe(true);
      expect((await db.searchTokens.toCollection().primaryKeys()).sort()).toEqual(
        (await items.toCollection().primaryKeys()).sort(),
      );
      expect(await db.searchTokens.count()).toBe(31);
    } finally {
      db.close();
    }
  });
});
