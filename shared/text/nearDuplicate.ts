import { diffText } from '../diff/text';

/**
 * Near-duplicate detection for homework: which submissions of a chapter have reflection or article
 * text that is nearly the same as another's. It runs on the TA's device, offline, over the cached
 * submissions of the chapter.
 *
 * Texts are compared as sets of character shingles (k consecutive letters or digits after
 * normalization), which works for Chinese without a tokenizer: 我的学习心得 → 我的学, 的学习, ….
 * Similarity is the Jaccard index of the two shingle sets (shared shingles over all shingles).
 *
 * Comparing every pair exactly is quadratic in the cohort and in the text length, so the detector
 * works in three steps:
 *   1. MinHash: each text gets a signature of `hashCount` minimums of independent hash functions
 *      over its shingles; two signatures agree at a position with probability equal to the Jaccard
 *      index.
 *   2. Locality-sensitive hashing: the signature is cut into `bands` bands; texts that agree on a
 *      whole band land in the same bucket and become a candidate pair. With r = hashCount / bands
 *      rows per band, a pair of similarity s becomes a candidate with probability 1 − (1 − s^r)^b.
 *      The defaults (128 hashes, 64 bands of 2) make that 0.9999 at s = 0.4 and 0.9999999999 at 0.55
 *      (a copy with 10 % of its characters changed), so near-duplicates are practically never missed.
 *   3. Verification: candidates whose signature estimate is far below the threshold are dropped
 *      (the margin is 4 standard deviations of the estimate), the rest get their exact Jaccard
 *      index, and only pairs at or above `threshold` are reported. A report is therefore never a
 *      false flag: every reported similarity is exact.
 *
 * The findings are advisory (the TA decides, and the flag is recorded with the grade).
 */

/** Tuning of {@link findNearDuplicates}; see the module comment. */
export interface NearDuplicateOptions {
  /** Characters per shingle, after normalization. */
  readonly shingleSize: number;
  /** Length of the MinHash signature. */
  readonly hashCount: number;
  /** LSH bands; must divide `hashCount`. */
  readonly bands: number;
  /** Jaccard index from which a pair is reported, in (0, 1]. */
  readonly threshold: number;
  /** Texts shorter than this (normalized characters) are not compared: "很好。" is not copying. */
  readonly minLength: number;
}

/**
 * Defaults. 4-character shingles: a copy with 10 % of its characters changed at random keeps
 * about 0.9⁴ ≈ 66 % of its shingles (Jaccard ≈ 0.49; spread evenly, the worst case, ≈ 0.43),
 * while two independent reflections on the same chapter share a few percent. 3-character
 * shingles are common Chinese phrases (的学习, 我认为) and lift unrelated pairs too close.
 */
export const DEFAULT_NEAR_DUPLICATE_OPTIONS: NearDuplicateOptions = {
  shingleSize: 4,
  hashCount: 128,
  bands: 64,
  threshold: 0.35,
  minLength: 60,
};

/** The limits {@link validateNearDuplicateOptions} enforces (settings are user-editable). */
export const NEAR_DUPLICATE_LIMITS = {
  shingleSize: { min: 2, max: 12 },
  hashCount: { min: 16, max: 512 },
  minLength: { min: 1, max: 100_000 },
} as const;

/** What is wrong with a set of options, or null when they are usable. */
export function validateNearDuplicateOptions(options: NearDuplicateOptions): string | null {
  const { shingleSize, hashCount, bands, threshold, minLength } = options;
  const integerIn = (value: number, min: number, max: number) =>
    Number.isInteger(value) && value >= min && value <= max;
  if (
    !integerIn(
      shingleSize,
      NEAR_DUPLICATE_LIMITS.shingleSize.min,
      NEAR_DUPLICATE_LIMITS.shingleSize.max,
    )
  ) {
    return `shingleSize must be a whole number from ${NEAR_DUPLICATE_LIMITS.shingleSize.min} to ${NEAR_DUPLICATE_LIMITS.shingleSize.max}`;
  }
  if (
    !integerIn(hashCount, NEAR_DUPLICATE_LIMITS.hashCount.min, NEAR_DUPLICATE_LIMITS.hashCount.max)
  ) {
    return `hashCount must be a whole number from ${NEAR_DUPLICATE_LIMITS.hashCount.min} to ${NEAR_DUPLICATE_LIMITS.hashCount.max}`;
  }
  if (!integerIn(bands, 1, hashCount) || hashCount % bands !== 0) {
    return 'bands must be a whole number that divides hashCount';
  }
  if (!(threshold > 0 && threshold <= 1)) {
    return 'threshold must be greater than 0 and at most 1';
  }
  if (
    !integerIn(minLength, NEAR_DUPLICATE_LIMITS.minLength.min, NEAR_DUPLICATE_LIMITS.minLength.max)
  ) {
    return `minLength must be a whole number from ${NEAR_DUPLICATE_LIMITS.minLength.min} to ${NEAR_DUPLICATE_LIMITS.minLength.max}`;
  }
  if (minLength < shingleSize) {
    return 'minLength must be at least shingleSize';
  }
  return null;
}

/** One text to compare: a submission's id and its reflection + article text. */
export interface NearDuplicateDocument {
  readonly id: string;
  readonly text: string;
}

/** A reported pair: `a` sorts before `b`; `similarity` is the exact Jaccard index. */
export interface NearDuplicatePair {
  readonly a: string;
  readonly b: string;
  readonly similarity: number;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * The characters shingles are cut from: NFKC (full-width ＡＢＣ１２３ → ABC123), lower case, letters
 * and digits only. Punctuation, spaces and line breaks are dropped so that re-wrapping or
 * re-punctuating a copied text does not hide it.
 */
export function normalizeForShingles(text: string): string[] {
  const characters: string[] = [];
  for (const character of text.normalize('NFKC').toLowerCase()) {
    if (LETTER_OR_DIGIT.test(character)) {
      characters.push(character);
    }
  }
  return characters;
}

/** FNV-1a over the UTF-16 units of a shingle: fast, and spreads short strings well. */
function hashShingle(characters: readonly string[], start: number, size: number): number {
  let hash = 0x811c9dc5;
  for (let index = start; index < start + size; index += 1) {
    const character = characters[index] ?? '';
    for (let unit = 0; unit < character.length; unit += 1) {
      hash ^= character.charCodeAt(unit);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  return hash >>> 0;
}

/** The set of shingle hashes of a text, sorted ascending (for a linear-time exact Jaccard). */
export function shingleSet(text: string, shingleSize: number): Uint32Array {
  const characters = normalizeForShingles(text);
  const hashes = new Set<number>();
  for (let start = 0; start + shingleSize <= characters.length; start += 1) {
    hashes.add(hashShingle(characters, start, shingleSize));
  }
  return Uint32Array.from(hashes).sort();
}

/** Exact Jaccard index of two sorted sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) {
    return 0;
  }
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      shared += 1;
      i += 1;
      j += 1;
    } else if (x < y) {
      i += 1;
    } else {
      j += 1;
    }
  }
  return shared / (a.length + b.length - shared);
}

/** Seeds of the hash family: fixed, so the same texts always give the same findings. */
function hashSeeds(count: number): Uint32Array {
  const seeds = new Uint32Array(count);
  let state = 0x9e3779b9;
  for (let index = 0; index < count; index += 1) {
    // SplitMix32-style sequence: well spread, reproducible.
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    seeds[index] = (z ^ (z >>> 16)) >>> 0;
  }
  return seeds;
}

/** MurmurHash3's finalizer over the shingle hash mixed with a seed: one hash function per seed. */
function mix(value: number, seed: number): number {
  let z = (value ^ seed) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The MinHash signature of a shingle set. */
export function minHashSignature(shingles: Uint32Array, seeds: Uint32Array): Uint32Array {
  const signature = new Uint32Array(seeds.length).fill(0xffffffff);
  for (const shingle of shingles) {
    for (let index = 0; index < seeds.length; index += 1) {
      const value = mix(shingle, seeds[index] ?? 0);
      if (value < (signature[index] ?? 0)) {
        signature[index] = value;
      }
    }
  }
  return signature;
}

function signatureAgreement(a: Uint32Array, b: Uint32Array): number {
  let agree = 0;
  for (let index = 0; index < a.length; index += 1) {
    if (a[index] === b[index]) {
      agree += 1;
    }
  }
  return agree / a.length;
}

interface Prepared {
  readonly id: string;
  readonly shingles: Uint32Array;
}

function prepare(
  documents: readonly NearDuplicateDocument[],
  options: NearDuplicateOptions,
): Prepared[] {
  const problem = validateNearDuplicateOptions(options);
  if (problem !== null) {
    throw new RangeError(`near-duplicate options: ${problem}`);
  }
  const seen = new Set<string>();
  const prepared: Prepared[] = [];
  for (const document of documents) {
    if (seen.has(document.id)) {
      throw new RangeError(`near-duplicate documents: the id ${document.id} appears twice`);
    }
    seen.add(document.id);
    if (normalizeForShingles(document.text).length < options.minLength) {
      continue;
    }
    prepared.push({ id: document.id, shingles: shingleSet(document.text, options.shingleSize) });
  }
  return prepared;
}

function pairOf(a: string, b: string, similarity: number): NearDuplicatePair {
  return a < b ? { a, b, similarity } : { a: b, b: a, similarity };
}

function byPair(x: NearDuplicatePair, y: NearDuplicatePair): number {
  return x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0;
}

/**
 * Every pair of documents whose shingle sets have a Jaccard index ≥ `threshold`, sorted by ids.
 * Throws a RangeError on unusable options or a repeated id.
 */
export function findNearDuplicates(
  documents: readonly NearDuplicateDocument[],
  options: NearDuplicateOptions = DEFAULT_NEAR_DUPLICATE_OPTIONS,
): NearDuplicatePair[] {
  const prepared = prepare(documents, options);
  const seeds = hashSeeds(options.hashCount);
  const signatures = prepared.map((document) => minHashSignature(document.shingles, seeds));
  const rows = options.hashCount / options.bands;

  // A 4-σ margin below the threshold: σ of the estimate is √(s(1−s)/n) ≤ 0.5/√n.
  const estimateFloor = options.threshold - 4 * (0.5 / Math.sqrt(options.hashCount));
  const checked = new Set<number>();
  const pairs: NearDuplicatePair[] = [];
  for (let band = 0; band < options.bands; band += 1) {
    const buckets = new Map<string, number[]>();
    for (let index = 0; index < signatures.length; index += 1) {
      const signature = signatures[index];
      if (signature === undefined) {
        continue;
      }
      const key = Array.from(signature.subarray(band * rows, band * rows + rows)).join(',');
      const bucket = buckets.get(key);
      if (bucket === undefined) {
        buckets.set(key, [index]);
      } else {
        bucket.push(index);
      }
    }
    for (const bucket of buckets.values()) {
      for (let i = 0; i < bucket.length; i += 1) {
        for (let j = i + 1; j < bucket.length; j += 1) {
          const first = bucket[i] ?? 0;
          const second = bucket[j] ?? 0;
          const pairKey = first * prepared.length + second;
          if (checked.has(pairKey)) {
            continue;
          }
          checked.add(pairKey);
          const left = prepared[first];
          const right = prepared[second];
          const leftSignature = signatures[first];
          const rightSignature = signatures[second];
          if (
            left === undefined ||
            right === undefined ||
            leftSignature === undefined ||
            rightSignature === undefined
          ) {
            continue;
          }
          if (signatureAgreement(leftSignature, rightSignature) < estimateFloor) {
            continue;
          }
          const similarity = jaccard(left.shingles, right.shingles);
          if (similarity >= options.threshold) {
            pairs.push(pairOf(left.id, right.id, similarity));
          }
        }
      }
    }
  }
  return pairs.sort(byPair);
}

/**
 * The reference: the exact Jaccard index of every pair. Quadratic; the benchmark's baseline and
 * the property tests' oracle.
 */
export function findNearDuplicatesNaive(
  documents: readonly NearDuplicateDocument[],
  options: NearDuplicateOptions = DEFAULT_NEAR_DUPLICATE_OPTIONS,
): NearDuplicatePair[] {
  const prepared = prepare(documents, options);
  const pairs: NearDuplicatePair[] = [];
  for (let i = 0; i < prepared.length; i += 1) {
    for (let j = i + 1; j < prepared.length; j += 1) {
      const left = prepared[i];
      const right = prepared[j];
      if (left === undefined || right === undefined) {
        continue;
      }
      const similarity = jaccard(left.shingles, right.shingles);
      if (similarity >= options.threshold) {
        pairs.push(pairOf(left.id, right.id, similarity));
      }
    }
  }
  return pairs.sort(byPair);
}

/** A passage two texts share: `[aStart, aEnd)` of the first, `[bStart, bEnd)` of the second. */
export interface SharedPassage {
  readonly aStart: number;
  readonly aEnd: number;
  readonly bStart: number;
  readonly bEnd: number;
}

/**
 * The passages two texts have in common, in order, using the revision view's text diff: its
 * equal segments of at least `minLength` letters or digits (shorter ones are the words any two
 * texts share). The TA sees them highlighted side by side.
 */
export function sharedPassages(a: string, b: string, minLength = 12): SharedPassage[] {
  const passages: SharedPassage[] = [];
  let aOffset = 0;
  let bOffset = 0;
  for (const segment of diffText(a, b).segments) {
    const length = segment.text.length;
    if (segment.kind === 'equal') {
      if (normalizeForShingles(segment.text).length >= minLength) {
        passages.push({
          aStart: aOffset,
          aEnd: aOffset + length,
          bStart: bOffset,
          bEnd: bOffset + length,
        });
      }
      aOffset += length;
      bOffset += length;
    } else if (segment.kind === 'delete') {
      aOffset += length;
    } else {
      bOffset += length;
    }
  }
  return passages;
}
