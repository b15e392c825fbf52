import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import {
  LOCAL_DATABASE_PREFIX,
  mirrorTableName,
  ReviewDeskDb,
} from '../../../renderer/src/db/database';

const userId = '22222222-2222-4222-8222-222222222222';

/** A database as version 1 of the workstation left it: one cached review item, no search tokens. */
async function versionOneDatabase(indexedDB: IDBFactory): Promise<void> {
  const old = new Dexie(`${LOCAL_DATABASE_PREFIX}${userId}`, { indexedDB, IDBKeyRange });
  old.version(1).stores({
    meta: '&key',
    [mirrorTableName('review_items')]:
      '&id, kind, state, subjectId, [kind+state], dueAt, createdAt, assigneeId',
  });
  await old.table(mirrorTableName('review_items')).put({
    id: 'item-1',
    _version: 3,
    kind: 'listing_revision',
    state: 'pending',
    title: '英国硕士申请加急包',
    institutionName: '北京博雅教育科技有限公司',
    country: 'GB',
  });
  old.close();
}

describe('the local database schema', () => {
  it('upgrades version 1: cached items become searchable, marks and OCR tables appear', async () => {
    const indexedDB = new IDBFactory();
    await versionOneDatabase(indexedDB);
    const db = new ReviewDeskDb(userId, { indexedDB, IDBKeyRange });
    try {
      const items = db.mirror('review_items');
      const found = await items.where('_search').equals('博雅').primaryKeys();
      expect(found).toEqual(['item-1']);
      expect(await items.where('_search').equals('硕士').count()).toBe(1);
      expect(await items.where('_search').equals('日本').count()).toBe(0);

      await db.reviewedMarks.put({
        listingId: 'listing-1',
        path: '/basic/name',
        valueHash: 'h1',
        markedAt: '2026-11-22T01:00:00Z',
      });
      expect(await db.reviewedMarks.get(['listing-1', '/basic/name'])).toMatchObject({
        valueHash: 'h1',
      });
      expect(await db.reviewedMarks.where('listingId').equals('listing-1').count()).toBe(1);

      await db.ocrResults.put({ sha256: 'abc', result: { kind: 'unknown' }, createdAt: 'now' });
      expect(await db.ocrResults.get('abc')).toMatchObject({ result: { kind: 'unknown' } });
    } finally {
      db.close();
    }
  });

  it('creates the same tables and indexes on a fresh profile', async () => {
    const db = new ReviewDeskDb(userId, { indexedDB: new IDBFactory(), IDBKeyRange });
    try {
      await db.open();
      const names = db.tables.map((table) => table.name);
      expect(names).toEqual(
        expect.arrayContaining(['reviewedMarks', 'ocrResults', 'outbox', 'srv_time_entries']),
      );
      const search = db
        .mirror('review_items')
        .schema.indexes.find((index) => index.name === '_search');
      expect(search?.multi).toBe(true);
    } finally {
      db.close();
    }
  });
});
