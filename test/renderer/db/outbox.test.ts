import { randomUUID } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { META, readMeta, ReviewDeskDb } from '../../../renderer/src/db/database';
import {
  ensureClientId,
  exportPending,
  recordMutation,
  replayJournal,
} from '../../../renderer/src/db/outbox';
import { cacheBlob, cachedBlob, evictBlobs, isQuotaError } from '../../../renderer/src/db/storage';

let db: ReviewDeskDb;
const deps = { now: () => new Date('2026-11-21T02:00:00Z'), newId: randomUUID };
const userId = '11111111-1111-4111-8111-111111111111';

beforeEach(async () => {
  db = new ReviewDeskDb(userId, { indexedDB: new IDBFactory(), IDBKeyRange });
  await ensureClientId(db, randomUUID);
});
afterEach(() => {
  db.close();
});

describe('the outbox', () => {
  it('gives gapless seqs, one per recorded mutation, in order', async () => {
    const rows = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        recordMutation(db, { name: 'claim', args: { itemId: `i${index}` } }, deps),
      ),
    );
    expect(rows.map((row) => row.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    expect(await readMeta(db, META.nextSeq, 0)).toBe(21);
    expect(new Set(rows.map((row) => row.mutationId)).size).toBe(20);
  });

  it('records nothing when the app dies inside the recording transaction', async () => {
    await recordMutation(db, { name: 'claim', args: { itemId: 'a' } }, deps);
    // A crash after the outbox row is written but before the transaction ends.
    await expect(
      db.transaction('rw', db.meta, db.outbox, async () => {
        await db.outbox.add({
          env: 1,
          seq: 2,
          mutationId: randomUUID(),
          name: 'approve',
          v: 1,
          args: {},
          createdAt: '',
          status: 'pending',
          attempts: 0,
          lastError: null,
          atRisk: null,
        });
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    expect(await db.outbox.count()).toBe(1);
    const next = await recordMutation(db, { name: 'approve', args: { itemId: 'a' } }, deps);
    expect(next.seq).toBe(2);
  });

  it('keeps its client id, and a new database gets a new one', async () => {
    const first = await ensureClientId(db, randomUUID);
    expect(await ensureClientId(db, randomUUID)).toBe(first);
    const other = new ReviewDeskDb(userId, { indexedDB: new IDBFactory(), IDBKeyRange });
    expect(await ensureClientId(other, randomUUID)).not.toBe(first);
    other.close();
  });

  it('replays only journal entries it does not know, in recorded order', async () => {
    const known = await recordMutation(db, { name: 'claim', args: { itemId: 'a' } }, deps);
    const entry = (mutationId: string, createdAt: string, seq: number) => ({
      env: 1 as const,
      userId,
      clientId: randomUUID(),
      seq,
      mutationId,
      name: 'approve',
      v: 1,
      args: { itemId: 'a' },
      clientCreatedAt: createdAt,
    });
    const later = randomUUID();
    const earlier = randomUUID();
    const replayed = await replayJournal(
      db,
      [
        entry(later, '2026-11-21T03:00:00Z', 9),
        entry(known.mutationId, '2026-11-21T01:00:00Z', 1),
        entry(earlier, '2026-11-21T02:00:00Z', 5),
      ],
      deps,
    );
    expect(replayed).toBe(2);
    const rows = await db.outbox.orderBy('seq').toArray();
    expect(rows.map((row) => row.mutationId)).toEqual([known.mutationId, earlier, later]);
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3]);
  });

  it('exports pending work and unresolved conflicts as JSON', async () => {
    await recordMutation(db, { name: 'approve', args: { itemId: 'a' } }, deps);
    await db.results.put({
      env: 1,
      seq: 7,
      mutationId: randomUUID(),
      name: 'reject',
      status: 'conflict',
      code: 'ALREADY_DECIDED',
      message: null,
      details: {},
      serverTime: '2026-11-21T00:00:00Z',
      args: {},
      createdAt: null,
      dismissed: 0,
    });
    const exported = JSON.parse(await exportPending(db, deps.now())) as Record<string, unknown[]>;
    expect(exported['pending']).toHaveLength(1);
    expect(exported['unresolved']).toHaveLength(1);
    expect(exported).toMatchObject({ format: 'review-desk-pending/1', userId });
  });
});

describe('the file cache', () => {
  it('evicts least recently used files beyond its cap', async () => {
    await cacheBlob(db, 'old', new Blob(['a'.repeat(10)]), 1);
    await cacheBlob(db, 'new', new Blob(['b'.repeat(10)]), 3);
    await cachedBlob(db, 'old', 5);
    expect(await evictBlobs(db, 15)).toBe(1);
    expect(await db.blobs.get('old')).toBeDefined();
    expect(await db.blobs.get('new')).toBeUndefined();
  });

  it('recognises quota errors, also wrapped by Dexie', () => {
    expect(isQuotaError(Object.assign(new Error('x'), { name: 'QuotaExceededError' }))).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
  });
});
