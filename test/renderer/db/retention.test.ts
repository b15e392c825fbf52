import { randomUUID } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReviewDeskDb, type MirrorRow } from '../../../renderer/src/db/database';
import { recordMutation } from '../../../renderer/src/db/outbox';
import { purgeExpiredFiles } from '../../../renderer/src/db/retention';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-12-07T10:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * DAY).toISOString();

let db: ReviewDeskDb;
beforeEach(() => {
  db = new ReviewDeskDb(randomUUID(), { indexedDB: new IDBFactory(), IDBKeyRange });
});
afterEach(() => {
  db.close();
});

/** A listing in `state` last changed `changedDaysAgo` days ago, with one cached file. */
async function listingWithFile(
  state: string,
  changedDaysAgo: number,
  sha256 = randomUUID(),
): Promise<{ listingId: string; fileKey: string; sha256: string; itemId: string }> {
  const listingId = randomUUID();
  const fileId = randomUUID();
  const itemId = randomUUID();
  const row = (fields: Record<string, unknown>): MirrorRow => ({
    id: randomUUID(),
    _version: 1,
    ...fields,
  });
  await db
    .mirror('listings')
    .put(row({ id: listingId, state, updatedAt: daysAgo(changedDaysAgo) }));
  await db.mirror('credential_files').put(row({ id: fileId, listingId, sha256 }));
  await db.mirror('review_items').put(row({ id: itemId, subjectId: listingId, state: 'decided' }));
  await db.blobs.put({
    key: `file:${fileId}`,
    blob: new Blob(['licence']),
    size: 7,
    mimeType: 'application/pdf',
    lastUsedAt: NOW - changedDaysAgo * DAY,
  });
  await db.ocrResults.put({ sha256, result: { pages: [] }, createdAt: daysAgo(changedDaysAgo) });
  return { listingId, fileKey: `file:${fileId}`, sha256, itemId };
}

const cachedKeys = async () => (await db.blobs.toCollection().primaryKeys()).sort();
const readings = async () => (await db.ocrResults.toCollection().primaryKeys()).sort();

describe('purging cached files past retention', () => {
  it('drops the files and readings of listings decided longer ago than the limit', async () => {
    const old = await listingWithFile('live', 31);
    const recent = await listingWithFile('rejected', 29);
    const report = await purgeExpiredFiles(db, { now: NOW, retentionDays: 30 });
    expect(report).toEqual({ files: 1, readings: 1 });
    expect(await cachedKeys()).toEqual([recent.fileKey]);
    expect(await readings()).toEqual([recent.sha256]);
    expect(old.fileKey).not.toBe(recent.fileKey);
  });

  it('follows the limit the user set', async () => {
    const decided = await listingWithFile('offline', 8);
    expect(await purgeExpiredFiles(db, { now: NOW, retentionDays: 10 })).toEqual({
      files: 0,
      readings: 0,
    });
    expect(await purgeExpiredFiles(db, { now: NOW, retentionDays: 7 })).toEqual({
      files: 1,
      readings: 1,
    });
    expect(await cachedKeys()).not.toContain(decided.fileKey);
  });

  it('keeps the files of listings under review, however old', async () => {
    const pending = await listingWithFile('pending', 90);
    const inReview = await listingWithFile('in_review', 90);
    await purgeExpiredFiles(db, { now: NOW, retentionDays: 30 });
    expect(await cachedKeys()).toEqual([pending.fileKey, inReview.fileKey].sort());
    expect(await readings()).toEqual([pending.sha256, inReview.sha256].sort());
  });

  it('keeps the files of a listing an unsent decision is about', async () => {
    const decidedOffline = await listingWithFile('live', 60);
    await recordMutation(
      db,
      { name: 'reject', args: { itemId: decidedOffline.itemId, reasons: ['other'] } },
      { now: () => new Date(NOW), newId: randomUUID },
    );
    await purgeExpiredFiles(db, { now: NOW, retentionDays: 30 });
    expect(await cachedKeys()).toEqual([decidedOffline.fileKey]);
  });

  it('keeps a reading another kept file shares, and drops files of listings no longer visible', async () => {
    const shared = randomUUID();
    const old = await listingWithFile('live', 45, shared);
    const current = await listingWithFile('pending', 45, shared);
    const gone = await listingWithFile('live', 1);
    await db.mirror('listings').delete(gone.listingId);
    const report = await purgeExpiredFiles(db, { now: NOW, retentionDays: 30 });
    expect(report.files).toBe(2);
    expect(await cachedKeys()).toEqual([current.fileKey]);
    expect(await readings()).toEqual([shared]);
    expect(old.sha256).toBe(shared);
  });

  it('drops old readings of files not cached any more, and leaves other cached things alone', async () => {
    await db.ocrResults.put({ sha256: 'orphan-old', result: {}, createdAt: daysAgo(40) });
    await db.ocrResults.put({ sha256: 'orphan-new', result: {}, createdAt: daysAgo(2) });
    await db.blobs.put({
      key: 'screenshot:1',
      blob: new Blob(['x']),
      size: 1,
      mimeType: 'image/png',
      lastUsedAt: NOW - 400 * DAY,
    });
    expect(await purgeExpiredFiles(db, { now: NOW, retentionDays: 30 })).toEqual({
      files: 0,
      readings: 1,
    });
    expect(await readings()).toEqual(['orphan-new']);
    expect(await cachedKeys()).toEqual(['screenshot:1']);
  });
});
