import type { ReviewDeskDb } from './database';

/** Largest size of the file cache (credential PDFs and images, screenshots). */
export const BLOB_CACHE_CAP_BYTES = 300 * 1024 * 1024;

/**
 * Whether an error is the browser running out of storage. Chromium reports it as a
 * `QuotaExceededError`, and Dexie sometimes as an `AbortError` whose inner error is one
 * (dexie#776).
 */
export function isQuotaError(error: unknown): boolean {
  for (
    let current: unknown = error, depth = 0;
    current !== null && typeof current === 'object' && depth < 4;
    depth += 1
  ) {
    const name = 'name' in current ? current.name : undefined;
    if (name === 'QuotaExceededError') {
      return true;
    }
    current = 'inner' in current ? current.inner : 'cause' in current ? current.cause : null;
  }
  return false;
}

/** Evicts least recently used files until the cache holds at most `keepBytes`. */
export async function evictBlobs(
  db: ReviewDeskDb,
  keepBytes = BLOB_CACHE_CAP_BYTES,
): Promise<number> {
  const rows = await db.blobs.orderBy('lastUsedAt').reverse().toArray();
  let kept = 0;
  const evict: string[] = [];
  for (const row of rows) {
    if (kept + row.size <= keepBytes && Number.isFinite(keepBytes)) {
      kept += row.size;
    } else {
      evict.push(row.key);
    }
  }
  await db.blobs.bulkDelete(evict);
  return evict.length;
}

/** Caches a file, then trims the cache to its cap. */
export async function cacheBlob(
  db: ReviewDeskDb,
  key: string,
  blob: Blob,
  now: number,
): Promise<void> {
  try {
    await db.blobs.put({ key, blob, size: blob.size, mimeType: blob.type, lastUsedAt: now });
  } catch (error) {
    if (!isQuotaError(error)) {
      throw error;
    }
    // Out of room: the cache is the first thing to give way, never the outbox.
    await evictBlobs(db, 0);
    return;
  }
  await evictBlobs(db);
}

/** A cached file, marked as just used. */
export async function cachedBlob(db: ReviewDeskDb, key: string, now: number): Promise<Blob | null> {
  const row = await db.blobs.get(key);
  if (row === undefined) {
    return null;
  }
  await db.blobs.update(key, { lastUsedAt: now });
  return row.blob;
}

/**
 * Asks the browser to keep this origin's data under storage pressure (Chromium grants it to
 * installed apps and engaged sites); returns whether it is persistent.
 */
export async function requestPersistentStorage(
  storage: StorageManager | undefined,
): Promise<boolean> {
  if (storage?.persist === undefined) {
    return false;
  }
  try {
    return (await storage.persisted()) || (await storage.persist());
  } catch {
    return false;
  }
}
