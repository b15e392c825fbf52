import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { AFTER_ALL, searchOrderPrefix } from '#shared/search/queueKeys';
import {
  LOCAL_DATABASE_PREFIX,
  mirrorTableName,
  ReviewDeskDb,
} from '../../../renderer/src/db/database';
import { buildSearchIndex, searchIndexReady } from '../../../renderer/src/db/searchIndex';

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
    createdAt: '2026-11-20T01:00:00.000Z',
  });
  old.close();
}

describe('the local database schema', () => {
  it('upgrades version 1: cached items become searchable, marks and OCR tables appear', async () => {
    const indexedDB = new IDBFactory();
    await versionOneDatabase(indexedDB);
    const db = new ReviewDeskDb(userId, { indexedDB, IDBKeyRange });
    try {
      // As the queue searches: a walk of the token's `_searchOrder` range (schema version 6: in
      // the search index's table, built in the background after the upgrade).
      const withToken = (token: string) => {
        const prefix = searchOrderPrefix(token, 'pending');
        return db.searchTokens.where('_searchOrder').between(prefix, `${prefix}${AFTER_ALL}`);
      };
      expect(await searchIndexReady(db)).toBe(false);
      expect(await withToken('博雅').count()).toBe(0);
      expect(await buildSearchIndex(db)).toBe(true);
      expect(await searchIndexReady(db)).toBe(true);
      expect(await withToken('博雅').primaryKeys()).toEqual(['item-1']);
      expect(await withToken('硕士').count()).toBe(1);
      expect(await withToken('日本').count()).toBe(0);
      expect((await db.mirror('review_items').get('item-1'))?.['_dueOrder']).toBe(
        '~2026-11-20T01:00:00.000Z',
      );

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

  it('upgrades version 2: cached homework keeps its rows and gains the chapter and student indexes', async () => {
    const indexedDB = new IDBFactory();
    const name = `${LOCAL_DATABASE_PREFIX}${userId}`;
    const old = new Dexie(name, { indexedDB, IDBKeyRange });
    old.version(2).stores({
      meta: '&key',
      [mirrorTableName('homework_submissions')]: '&id, state',
    });
    await old.table(mirrorTableName('homework_submissions')).bulkPut([
      { id: 'hw-1', _version: 4, state: 'submitted', chapter: '01_基础篇', studentId: 'S001' },
      { id: 'hw-2', _version: 5, state: 'ta_passed', chapter: '02_进阶篇', studentId: 'S001' },
    ]);
    old.close();
    const db = new ReviewDeskDb(userId, { indexedDB, IDBKeyRange });
    try {
      const submissions = db.mirror('homework_submissions');
      expect(await submissions.where('chapter').equals('01_基础篇').primaryKeys()).toEqual([
        'hw-1',
      ]);
      expect(await submissions.where('studentId').equals('S001').count()).toBe(2);
      await db.mirror('rubrics').put({ id: 'r-1', _version: 6, chapter: '01_基础篇' });
      expect(await db.mirror('rubrics').where('chapter').equals('01_基础篇').count()).toBe(1);
      await db.mirror('student_records').put({
        id: 'rec-1',
        _version: 7,
        submissionId: 'hw-2',
        studentId: 'S001',
        chapter: '02_进阶篇',
      });
      expect(await db.mirror('student_records').where('studentId').equals('S001').count()).toBe(1);
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
        expect.arrayContaining([
          'reviewedMarks',
          'ocrResults',
          'outbox',
          'srv_time_entries',
          'srv_rubrics',
          'srv_comment_bank',
          'srv_students',
          'srv_homework_evidence',
          'srv_student_records',
        ]),
      );
      expect(names).toEqual(
        expect.arrayContaining(['fetchedItems', 'deferredTombstones', 'searchTokens']),
      );
      const indexes = db.mirror('review_items').schema.indexes.map((index) => index.name);
      // Version 6 keeps only the indexes something reads; the search entries have a table.
      expect(indexes.sort()).toEqual(
        [
          'kind',
          'state',
          'assigneeId',
          '[kind+state+createdAt]',
          '[kind+state+_dueOrder]',
          '[kind+state+_negPriority+createdAt]',
          '[country+kind+state+createdAt]',
        ].sort(),
      );
      const tokenIndexes = db.searchTokens.schema.indexes;
      expect(tokenIndexes.find((index) => index.name === '_searchOrder')?.multi).toBe(true);
      expect(await searchIndexReady(db)).toBe(false);
    } finally {
      db.close();
    }
  });
});
