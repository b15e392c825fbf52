import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { searchOrderEntry, searchOrderPrefix } from '#shared/search/queueKeys';
import {
  enrichMirrorRow,
  LOCAL_DATABASE_PREFIX,
  mirrorTableName,
  ReviewDeskDb,
} from '../../../renderer/src/db/database';

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
    expect(row['_searchOrder']).toContain(searchOrderEntry('悉尼', 'pending', item.createdAt));
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
      expect(
        await items.where('_searchOrder').between(prefix, `${prefix}\uffff`).primaryKeys(),
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
});
