import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  isReviewed,
  nextField,
  nextUnreviewed,
  valueHash,
} from '../../../../renderer/src/features/item/reviewedMarks';

describe('canonicalJson and valueHash', () => {
  it('ignores key order and tells undefined from null', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(
      canonicalJson({ a: [1, { c: 3, d: 2 }], b: 1 }),
    );
    expect(canonicalJson(undefined)).not.toBe(canonicalJson(null));
    expect(valueHash({ b: 1, a: 2 })).toBe(valueHash({ a: 2, b: 1 }));
  });

  it('changes when the value changes, and is fixed-width hex', () => {
    const hashes = new Set(
      [
        '英国',
        '英國',
        '',
        null,
        undefined,
        0,
        '0',
        [0],
        { amount: '29800' },
        { amount: '29801' },
      ].map((value) => valueHash(value)),
    );
    expect(hashes.size).toBe(10);
    for (const hash of hashes) {
      expect(hash).toMatch(/^[0-9a-f]{14}$/);
    }
  });
});

describe('isReviewed', () => {
  it('needs a mark that matches the current value', () => {
    const hash = valueHash('名称');
    expect(isReviewed(hash, hash)).toBe(true);
    expect(isReviewed(hash, valueHash('新名称'))).toBe(false);
    expect(isReviewed(undefined, hash)).toBe(false);
    expect(isReviewed(hash, undefined)).toBe(false);
  });
});

describe('nextField and nextUnreviewed', () => {
  const paths = ['/a', '/b', '/c', '/d'];

  it('starts at the first (or last) field without a current one', () => {
    expect(nextField(paths, null)).toBe('/a');
    expect(nextField(paths, null, undefined, -1)).toBe('/d');
    expect(nextField(paths, '/unknown')).toBe('/a');
  });

  it('walks forwards and backwards, wrapping around', () => {
    expect(nextField(paths, '/a')).toBe('/b');
    expect(nextField(paths, '/d')).toBe('/a');
    expect(nextField(paths, '/a', undefined, -1)).toBe('/d');
    expect(nextField(paths, '/c', undefined, -1)).toBe('/b');
  });

  it('skips reviewed fields and says null when all are reviewed', () => {
    const reviewed = new Set(['/b', '/c']);
    expect(nextUnreviewed(paths, '/a', (path) => reviewed.has(path))).toBe('/d');
    expect(nextUnreviewed(paths, '/d', (path) => reviewed.has(path), -1)).toBe('/a');
    expect(nextUnreviewed(paths, '/a', () => true)).toBeNull();
    // The current field itself comes last.
    expect(nextUnreviewed(paths, '/a', (path) => path !== '/a')).toBe('/a');
  });

  it('has nothing to offer on an empty listing', () => {
    expect(nextField([], null)).toBeNull();
    expect(nextField([], '/a', undefined, -1)).toBeNull();
  });
});
