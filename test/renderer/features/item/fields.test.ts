import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  anchorDomId,
  listingAnchors,
  MAX_LIST_ITEMS,
  member,
  pathLabel,
  resolveAnchor,
  sectionOf,
  shownCount,
} from '../../../../renderer/src/features/item/fields';

const full = JSON.parse(
  readFileSync(join(process.cwd(), 'test/fixtures/listings/valid-full.json'), 'utf8'),
) as unknown;

describe('listingAnchors', () => {
  it('gives every document the fixed anchors, even an empty or broken one', () => {
    for (const doc of [undefined, null, 42, 'text', [], {}]) {
      const paths = listingAnchors(doc).map((anchor) => anchor.path);
      expect(paths).toContain('/basic/name');
      expect(paths).toContain('/packages/items');
      expect(paths).toContain('/risk/confirmed');
      expect(paths).toContain('/credentials/files');
      expect(paths).not.toContain('/packages/items/0/name');
    }
  });

  it('anchors each package field, timeline field and list item of a full listing', () => {
    const anchors = listingAnchors(full);
    const paths = anchors.map((anchor) => anchor.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toContain('/packages/items/2/price');
    expect(paths).not.toContain('/packages/items/3/price');
    expect(paths).toContain('/process/timeline/3/deliverable');
    expect(paths).toContain('/highlights/successCases/1/result');
    expect(paths).toContain('/highlights/advantages/4');
    expect(paths).toContain('/credentials/files/2');
    expect(anchors.find((anchor) => anchor.path === '/packages/items')?.kind).toBe('list');
    expect(anchors.find((anchor) => anchor.path === '/requirements/items/0')?.kind).toBe('item');
    // View order: the provider first, the credentials last.
    expect(anchors[0]?.section).toBe('provider');
    expect(anchors.at(-1)?.section).toBe('credentials');
  });

  it('cuts absurdly long lists', () => {
    const doc = { requirements: { items: Array.from({ length: 500 }, () => ({ text: 'x' })) } };
    const items = listingAnchors(doc).filter((anchor) =>
      anchor.path.startsWith('/requirements/items/'),
    );
    expect(items).toHaveLength(MAX_LIST_ITEMS);
  });
});

describe('field helpers', () => {
  it('member reads own members of objects only', () => {
    expect(member({ a: 1 }, 'a')).toBe(1);
    expect(member({ a: 1 }, 'toString')).toBeUndefined();
    expect(member([1], '0')).toBeUndefined();
    expect(member(null, 'a')).toBeUndefined();
  });

  it('shownCount counts arrays only', () => {
    expect(shownCount([1, 2, 3])).toBe(3);
    expect(shownCount('abc')).toBe(0);
    expect(shownCount(undefined)).toBe(0);
  });

  it('resolveAnchor falls back to the nearest anchored ancestor', () => {
    const anchors = new Set(['/packages/items', '/packages/items/0/price', '/basic/name']);
    expect(resolveAnchor('/packages/items/0/price', anchors)).toBe('/packages/items/0/price');
    expect(resolveAnchor('/packages/items/0/price/amount', anchors)).toBe(
      '/packages/items/0/price',
    );
    expect(resolveAnchor('/packages/items/7', anchors)).toBe('/packages/items');
    expect(resolveAnchor('/risk/disclosure', anchors)).toBeNull();
    expect(resolveAnchor('not a pointer', anchors)).toBeNull();
  });

  it('sectionOf knows the sections', () => {
    expect(sectionOf('/packages/items/0')).toBe('packages');
    expect(sectionOf('/provider/name')).toBe('provider');
    expect(sectionOf('/unknown/x')).toBeNull();
    expect(sectionOf('')).toBeNull();
    expect(sectionOf('garbage')).toBeNull();
  });

  it('pathLabel names fields in both languages and passes other text through', () => {
    expect(pathLabel('/basic/name', 'zh-CN')).not.toBe('/basic/name');
    expect(pathLabel('/basic/name', 'en')).not.toBe(pathLabel('/basic/name', 'zh-CN'));
    expect(pathLabel('', 'en')).toBe(pathLabel('/', 'en'));
    expect(pathLabel('free text', 'en')).toBe('free text');
  });

  it('anchorDomId makes ids without pointer characters', () => {
    expect(anchorDomId('/packages/items/0/price')).toBe('field-packages-items-0-price');
    expect(anchorDomId('/a~1b')).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});
