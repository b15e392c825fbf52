import type { ListingState } from '#shared/domain/listing/lifecycle';
import type { MirrorRow, ReviewDeskDb } from './database';

/**
 * Retention of personal data on the device (PIPL): the credential files a reviewer opened
 * (licences with ID numbers, tutors' certificates) and their OCR readings stay cached only while
 * they may still be needed. Once a listing's review is over — no review in progress, no unsent
 * decision about it — its files and readings are dropped `retentionDays` after the decision
 * (the `fileRetentionDays` setting).
 * The server keeps the originals; opening the listing again fetches them again.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Listing states with a review going on (or coming): their files are always kept. */
const UNDER_REVIEW: ReadonlySet<ListingState> = new Set(['pending', 'in_review']);

/** The cache key of a credential file's bytes (the viewer's key, see `useFileBlob.ts`). */
const FILE_KEY_PREFIX = 'file:';

export interface PurgeReport {
  /** Cached files dropped. */
  readonly files: number;
  /** OCR readings dropped. */
  readonly readings: number;
}

const stringField = (row: MirrorRow | undefined, field: string): string | null => {
  const value = row?.[field];
  return typeof value === 'string' ? value : null;
};

/** Listings some unsent mutation is about: their files stay whatever their age. */
async function listingsWithPendingWork(db: ReviewDeskDb): Promise<Set<string>> {
  const itemIds = new Set<string>();
  await db.outbox.each((row) => {
    const args = row.args;
    if (typeof args === 'object' && args !== null && 'itemId' in args) {
      const { itemId } = args;
      if (typeof itemId === 'string') {
        itemIds.add(itemId);
      }
    }
  });
  const items = await db.mirror('review_items').bulkGet([...itemIds]);
  return new Set(
    items.flatMap((item) => {
      const subjectId = stringField(item, 'subjectId');
      return subjectId === null ? [] : [subjectId];
    }),
  );
}

/**
 * Drops cached credential files and OCR readings past retention (see the module comment).
 * A file is past retention when its listing is not under review, no unsent decision concerns
 * it, and the listing's last change (its decision) is older than `retentionDays`; a file whose
 * listing is no longer mirrored at all (the user lost access) is dropped at once. An OCR reading
 * goes with the last file of its hash, or on its own when it is older than the limit and no
 * cached file has that hash. Reads only by primary key and the small outbox: cheap at any
 * queue size.
 */
export async function purgeExpiredFiles(
  db: ReviewDeskDb,
  options: { readonly now: number; readonly retentionDays: number },
): Promise<PurgeReport> {
  const horizon = options.now - options.retentionDays * DAY_MS;
  const fileKeys = (await db.blobs.toCollection().primaryKeys()).filter((key) =>
    key.startsWith(FILE_KEY_PREFIX),
  );
  const fileIds = fileKeys.map((key) => key.slice(FILE_KEY_PREFIX.length));
  const files = await db.mirror('credential_files').bulkGet(fileIds);
  const listingIds = [...new Set(files.flatMap((file) => stringField(file, 'listingId') ?? []))];
  const listings = new Map(
    (await db.mirror('listings').bulkGet(listingIds)).flatMap((listing) =>
      listing === undefined ? [] : [[listing.id, listing] as const],
    ),
  );
  const pending = await listingsWithPendingWork(db);

  const expiredKeys: string[] = [];
  const expiredHashes = new Set<string>();
  const keptHashes = new Set<string>();
  files.forEach((file, index) => {
    const key = fileKeys[index];
    if (key === undefined) {
      return;
    }
    const listingId = stringField(file, 'listingId');
    const listing = listingId === null ? undefined : listings.get(listingId);
    const sha256 = stringField(file, 'sha256');
    const expired =
      listing === undefined ||
      (!UNDER_REVIEW.has(stringField(listing, 'state') as ListingState) &&
        !pending.has(listing.id) &&
        Date.parse(stringField(listing, 'updatedAt') ?? '') <= horizon);
    if (expired) {
      expiredKeys.push(key);
      if (sha256 !== null) {
        expiredHashes.add(sha256);
      }
    } else if (sha256 !== null) {
      keptHashes.add(sha256);
    }
  });

  const oldReadings = await db.ocrResults
    .where('createdAt')
    .below(new Date(horizon).toISOString())
    .primaryKeys();
  const readings = [...new Set([...expiredHashes, ...oldReadings])].filter(
    (sha256) => !keptHashes.has(sha256),
  );
  await db.transaction('rw', db.blobs, db.ocrResults, async () => {
    await db.blobs.bulkDelete(expiredKeys);
    await db.ocrResults.bulkDelete(readings);
  });
  return { files: expiredKeys.length, readings: readings.length };
}
