import {
  META,
  readMeta,
  SEARCH_INDEX_NOT_BUILT,
  searchTokenRow,
  type MirrorRow,
  type ReviewDeskDb,
  type SearchIndexProgress,
} from './database';

/**
 * The queue's search index (`searchTokens`, schema version 6), built after a bootstrap has
 * stored the queue rows: the first screen paints from the rows' own indexes without waiting for
 * it, and a search issued before it is complete checks rows instead (`searchIndexReady`).
 *
 * The invariant: every review item whose id is at most `META.searchIndex.after` has a current
 * `SearchTokenRow`. Deltas write an item's token row in the item's transaction, so they keep it;
 * a bootstrap page stores items without token rows and so starts the progress over
 * (`SEARCH_INDEX_NOT_BUILT`, in the page's transaction). Each step below reads a chunk of items
 * and writes their token rows and the progress in one transaction, so it never interleaves with
 * a page: either it runs first and the page starts over, or it reads the page's items.
 */

/**
 * Items indexed per transaction. The step's transaction holds the items' table, so the queue's
 * reads wait for it: about 2 ms of index entries per item on a loaded 2-core machine makes
 * this a fraction of a second at most.
 */
export const SEARCH_INDEX_CHUNK = 100;

export async function readSearchIndex(db: ReviewDeskDb): Promise<SearchIndexProgress> {
  return readMeta<SearchIndexProgress>(db, META.searchIndex, SEARCH_INDEX_NOT_BUILT);
}

/** Whether every cached item is in the search index (the queue may walk `searchTokens`). */
export async function searchIndexReady(db: ReviewDeskDb): Promise<boolean> {
  return (await readSearchIndex(db)).ready;
}

/** Indexes the next chunk of items; true once the index is complete. */
export async function indexSearchStep(
  db: ReviewDeskDb,
  chunk: number = SEARCH_INDEX_CHUNK,
): Promise<boolean> {
  const items = db.mirror('review_items');
  return db.transaction('rw', items, db.searchTokens, db.meta, async () => {
    const progress = await readSearchIndex(db);
    if (progress.ready) {
      return true;
    }
    const rows: MirrorRow[] =
      progress.after === null
        ? await items.orderBy(':id').limit(chunk).toArray()
        : await items.where(':id').above(progress.after).limit(chunk).toArray();
    await db.searchTokens.bulkPut(rows.map(searchTokenRow));
    const last = rows.at(-1);
    const next: SearchIndexProgress =
      rows.length < chunk || last === undefined
        ? { ready: true, after: null }
        : { ready: false, after: last.id };
    await db.meta.put({ key: META.searchIndex, value: next });
    return next.ready;
  });
}

/**
 * Builds the search index to the end, a chunk per transaction; stops early (unfinished, to be
 * resumed) when `keepGoing` says so.
 */
export async function buildSearchIndex(
  db: ReviewDeskDb,
  keepGoing: () => boolean = () => true,
): Promise<boolean> {
  while (keepGoing()) {
    if (await indexSearchStep(db)) {
      return true;
    }
  }
  return false;
}
