import { useLiveQuery } from 'dexie-react-hooks';
import type { ReviewDeskDb, ReviewedMarkRow } from '../../db/database';

/**
 * "Reviewed" marks on the fields of a listing: local to this reviewer and device, kept per
 * listing (not per revision) with a hash of the field's value when it was marked. A later
 * revision that changes the value changes the hash, so the mark no longer counts — the field
 * needs a fresh look; unchanged fields stay reviewed across resubmissions.
 *
 * Storage: the `reviewedMarks` table (`[listingId+path]`, local schema version 2).
 */

/** Canonical JSON: object keys sorted, `undefined` distinct from `null`. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) {
    return '~undefined';
  }
  if (value === null || typeof value !== 'object') {
    // undefined for functions and symbols, whatever the declared type says
    const json: string | undefined = JSON.stringify(value);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed string, can be undefined
    return json ?? '~unserialisable';
  }
  if (Array.isArray(value)) {
    return `[${value.map((entry) => canonicalJson(entry)).join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
    .join(',')}}`;
}

/**
 * A hash of a field's value: 53-bit cyrb53 over its canonical JSON, as hex. Not cryptographic —
 * it only tells "the value changed", and it must be synchronous and identical everywhere.
 */
export function valueHash(value: unknown): string {
  const text = canonicalJson(value);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return hash.toString(16).padStart(14, '0');
}

/** Whether a field is reviewed: marked, and its value is still the one that was marked. */
export function isReviewed(markedHash: string | undefined, currentHash: string | undefined) {
  return markedHash !== undefined && currentHash !== undefined && markedHash === currentHash;
}

/** The marks of a listing, by field path. */
export async function loadMarks(
  db: ReviewDeskDb,
  listingId: string,
): Promise<ReadonlyMap<string, ReviewedMarkRow>> {
  const rows = await db.reviewedMarks.where('listingId').equals(listingId).toArray();
  return new Map(rows.map((row) => [row.path, row]));
}

/** Marks a field as reviewed with the hash of its current value. */
export async function markReviewed(
  db: ReviewDeskDb,
  listingId: string,
  path: string,
  hash: string,
  now: Date = new Date(),
): Promise<void> {
  await db.reviewedMarks.put({ listingId, path, valueHash: hash, markedAt: now.toISOString() });
}

/** Removes a field's mark. */
export async function unmarkReviewed(
  db: ReviewDeskDb,
  listingId: string,
  path: string,
): Promise<void> {
  await db.reviewedMarks.delete([listingId, path]);
}

/** A listing's marks, live: path → hash of the value that was marked. */
export function useReviewedMarks(
  db: ReviewDeskDb,
  listingId: string | null,
): ReadonlyMap<string, string> | undefined {
  return useLiveQuery(async () => {
    if (listingId === null) {
      return new Map<string, string>();
    }
    const marks = await loadMarks(db, listingId);
    return new Map([...marks].map(([path, mark]) => [path, mark.valueHash]));
  }, [db, listingId]);
}

/**
 * The next field after `current` (or the first, when `current` is not one of them) for which
 * `accept` holds, wrapping around once; null when there is none. `step` -1 walks backwards.
 */
export function nextField(
  paths: readonly string[],
  current: string | null,
  accept: (path: string) => boolean = () => true,
  step: 1 | -1 = 1,
): string | null {
  const count = paths.length;
  const at = current === null ? -1 : paths.indexOf(current);
  for (let offset = 1; offset <= count; offset += 1) {
    const index =
      at === -1
        ? step === 1
          ? offset - 1
          : count - offset
        : (((at + step * offset) % count) + count) % count;
    const path = paths[index];
    // The last candidate after wrapping around is the current field itself.
    if (path !== undefined && accept(path)) {
      return path;
    }
  }
  return null;
}

/** The next field that is not reviewed (see {@link nextField}). */
export function nextUnreviewed(
  paths: readonly string[],
  current: string | null,
  reviewed: (path: string) => boolean,
  step: 1 | -1 = 1,
): string | null {
  return nextField(paths, current, (path) => !reviewed(path), step);
}
