import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCompactPatch, diffCompact, type CompactPatch } from '#shared/diff/compact';
import {
  diffJson,
  diffSequences,
  type DiffOptions,
  jsonLengthWithin,
  planKeyedArray,
  stringValueKey,
} from '#shared/diff/diff';
import { diffListings, listingArrayKey } from '#shared/diff/listingDiff';
import { applyPatch, deepEqual, isJsonObject, type JsonValue } from '#shared/diff/patch';
import validFull from '../../fixtures/listings/valid-full.json';

const BASE = validFull as JsonValue;
const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;

/**
 * diff, apply, compare, for the RFC 6902 patch and the compact one (also after a trip through
 * JSON text, as a stored patch makes); neither input nor patch is modified on the way.
 */
function expectRoundTrip(a: JsonValue, b: JsonValue, options: DiffOptions = {}): void {
  const snapshotA = structuredClone(a);
  const snapshotB = structuredClone(b);
  const patch = diffJson(a, b, options);
  const snapshotPatch = structuredClone(patch);
  const result = applyPatch(a, patch);
  expect(deepEqual(result, b)).toBe(true);
  const compact = diffCompact(a, b, options);
  const snapshotCompact = structuredClone(compact);
  expect(deepEqual(applyCompactPatch(a, compact), b)).toBe(true);
  const stored = JSON.parse(JSON.stringify(compact)) as CompactPatch;
  expect(deepEqual(applyCompactPatch(a, stored), b)).toBe(true);
  expect(a).toStrictEqual(snapshotA);
  expect(b).toStrictEqual(snapshotB);
  expect(patch).toStrictEqual(snapshotPatch);
  expect(compact).toStrictEqual(snapshotCompact);
  if (options.minimize !== false) {
    // The compact patch names each changed container once where RFC 6902 repeats whole paths.
    expect(JSON.stringify(compact).length).toBeLessThanOrEqual(JSON.stringify(patch).length);
  }
}

// ---------------------------------------------------------------------------------------------
// Examples

describe('diffJson examples', () => {
  it('replaces a scalar instead of removing and adding it', () => {
    expect(diffJson({ a: 1, b: 'x' }, { a: 2, b: 'x' })).toEqual([
      { op: 'replace', path: '/a', value: 2 },
    ]);
    expect(diffJson({ a: 1 }, { a: '1' })).toEqual([{ op: 'replace', path: '/a', value: '1' }]);
  });

  it('adds and removes members and escapes their names', () => {
    const kept = 'a value long enough that replacing the whole object costs more';
    expect(diffJson({ 'a/b': 1, keep: kept }, { keep: kept, 'm~n': 2 })).toEqual([
      { op: 'remove', path: '/a~1b' },
      { op: 'add', path: '/m~0n', value: 2 },
    ]);
  });

  it('aligns arrays by value, inserting and removing in place', () => {
    const a = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const b = ['a', 'b', 'x', 'c', 'd', 'e', 'g', 'h'];
    expect(diffJson(a, b)).toEqual([
      { op: 'add', path: '/2', value: 'x' },
      { op: 'remove', path: '/6' },
    ]);
  });

  it('diffs an edited object inside an array without ids as an edit', () => {
    const a = [
      { name: 'a', n: 1 },
      { name: 'long enough to matter', n: 2 },
    ];
    const b = [
      { name: 'a', n: 1 },
      { name: 'long enough to matter', n: 3 },
    ];
    expect(diffJson(a, b)).toEqual([{ op: 'replace', path: '/1/n', value: 3 }]);
  });

  it('replaces a small container whole when that is smaller, unless asked not to', () => {
    expect(diffJson([1, 2, 3], [4, 5, 6])).toEqual([{ op: 'replace', path: '', value: [4, 5, 6] }]);
    expect(diffJson([1, 2, 3], [4, 5, 6], { minimize: false })).toEqual([
      { op: 'replace', path: '/0', value: 4 },
      { op: 'replace', path: '/1', value: 5 },
      { op: 'replace', path: '/2', value: 6 },
    ]);
  });

  it('matches items by id: a moved item with an edit is one move and one replace', () => {
    const a = {
      list: [
        { id: 'x', v: 1 },
        { id: 'y', v: 2 },
        { id: 'z', v: 3 },
      ],
    };
    const b = {
      list: [
        { id: 'z', v: 30 },
        { id: 'x', v: 1 },
        { id: 'y', v: 2 },
      ],
    };
    expect(diffJson(a, b)).toEqual([
      { op: 'move', from: '/list/2', path: '/list/0' },
      { op: 'replace', path: '/list/0/v', value: 30 },
    ]);
    // Without id matching the same change is a value alignment.
    const byValue = diffJson(a, b, { matchById: false });
    expect(byValue.some((operation) => operation.op === 'move')).toBe(false);
    expect(deepEqual(applyPatch(a, byValue), b)).toBe(true);
  });

  it('takes a key function per path', () => {
    const a = { tags: ['a', 'b', 'c'], other: ['a', 'b', 'c'] };
    const b = { tags: ['c', 'a', 'b'], other: ['c', 'a', 'b'] };
    const patch = diffJson(a, b, {
      arrayKey: (path) => (path[0] === 'tags' ? stringValueKey : undefined),
      minimize: false,
    });
    expect(patch.filter((operation) => operation.path.startsWith('/tags'))).toEqual([
      { op: 'move', from: '/tags/2', path: '/tags/0' },
    ]);
    expect(patch.filter((operation) => operation.path.startsWith('/other'))).toEqual([
      { op: 'add', path: '/other/0', value: 'c' },
      { op: 'remove', path: '/other/3' },
    ]);
  });

  it('replaces the root when the types differ', () => {
    expect(diffJson({ a: 1 }, [1])).toEqual([{ op: 'replace', path: '', value: [1] }]);
    expect(diffJson(null, 0)).toEqual([{ op: 'replace', path: '', value: 0 }]);
    expect(diffJson(0, -0)).toEqual([]);
  });

  it('measures JSON lengths exactly, or stops past the limit', () => {
    fc.assert(
      fc.property(json, (value) => {
        const length = JSON.stringify(value).length;
        expect(jsonLengthWithin(value, Infinity)).toBe(length);
        expect(jsonLengthWithin(value, length)).toBe(length);
        expect(jsonLengthWithin(value, length - 1)).toBe(Infinity);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Random JSON

/** A random edit of a JSON value, applied to a copy: the second value of a "close" pair. */
interface Mutation {
  readonly pick: number;
  readonly action: 'set' | 'delete' | 'insert' | 'shuffle' | 'rename';
  readonly value: JsonValue;
  readonly key: string;
  readonly seed: number;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  action: fc.constantFrom('set', 'delete', 'insert', 'shuffle', 'rename'),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>,
  key: fc.string({ maxLength: 4 }),
  seed: fc.nat(),
});

function containers(value: JsonValue, found: (JsonValue[] | Record<string, JsonValue>)[] = []) {
  if (Array.isArray(value)) {
    found.push(value);
    value.forEach((item) => containers(item, found));
  } else if (isJsonObject(value)) {
    found.push(value);
    Object.values(value).forEach((item) => containers(item, found));
  }
  return found;
}

function defineMember(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

function mutate(original: JsonValue, mutations: readonly Mutation[]): JsonValue {
  let value = structuredClone(original);
  for (const mutation of mutations) {
    const all = containers(value);
    const target = all[mutation.pick % Math.max(all.length, 1)];
    if (target === undefined) {
      value = mutation.value;
      continue;
    }
    if (Array.isArray(target)) {
      const index = target.length === 0 ? 0 : mutation.seed % target.length;
      switch (mutation.action) {
        case 'set':
          target[index] = mutation.value;
          break;
        case 'delete':
          target.splice(index, 1);
          break;
        case 'insert':
        case 'rename':
          target.splice(mutation.seed % (target.length + 1), 0, mutation.value);
          break;
        case 'shuffle':
          target.reverse();
          break;
      }
    } else {
      const keys = Object.keys(target);
      const key = keys.length === 0 ? mutation.key : (keys[mutation.seed % keys.length] ?? '');
      switch (mutation.action) {
        case 'set':
        case 'insert':
          defineMember(target, mutation.action === 'set' ? key : mutation.key, mutation.value);
          break;
        case 'delete':
          // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a random member
          delete target[key];
          break;
        case 'rename': {
          const moved = target[key];
          if (moved !== undefined) {
            // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a random member
            delete target[key];
            defineMember(target, mutation.key, moved);
          }
          break;
        }
        case 'shuffle':
          for (const k of keys.reverse()) {
            const member = target[k] as JsonValue;
            // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- re-inserted below
            delete target[k];
            defineMember(target, k, member);
          }
          break;
      }
    }
  }
  return value;
}

describe('diffJson on random JSON', () => {
  it('apply(diff(a, b), a) equals b for unrelated values', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expectRoundTrip(a, b);
        expectRoundTrip(a, b, { minimize: false });
      }),
      { numRuns: 300 },
    );
  });

  it('apply(diff(a, b), a) equals b when b is a mutated a', () => {
    fc.assert(
      fc.property(json, fc.array(mutationArb, { minLength: 1, maxLength: 6 }), (a, mutations) => {
        const b = mutate(a, mutations);
        expectRoundTrip(a, b);
        expectRoundTrip(b, a);
        expectRoundTrip(a, b, { minimize: false });
      }),
      { numRuns: 300 },
    );
  });

  it('is empty exactly for deep-equal values', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        expect(diffJson(a, structuredClone(a))).toEqual([]);
        expect(diffJson(a, b).length === 0).toBe(deepEqual(a, b));
        expect(diffCompact(a, structuredClone(a))).toEqual({});
        expect(deepEqual(diffCompact(a, b), {})).toBe(deepEqual(a, b));
      }),
    );
  });

  it('round-trips arrays of objects with ids, also when ids repeat or are missing', () => {
    const item = fc.record(
      { id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), v: fc.nat(3) },
      { requiredKeys: [], noNullPrototype: true },
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.array(item, { maxLength: 8 }), (a, b) => {
        expectRoundTrip({ list: a }, { list: b });
        expectRoundTrip(a, b, { minimize: false });
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips when the alignment hits its bound and falls back to a replace', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(5), { maxLength: 30 }),
        fc.array(fc.nat(5), { maxLength: 30 }),
        (a, b) => {
          expectRoundTrip(a, b, { maxEditDistance: 3 });
        },
      ),
    );
  });
});

describe('diffSequences', () => {
  it('yields a script that rebuilds b from a', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(4), { maxLength: 40 }),
        fc.array(fc.nat(4), { maxLength: 40 }),
        (a, b) => {
          const runs = diffSequences(a.length, b.length, (i, j) => a[i] === b[j]);
          expect(runs).toBeDefined();
          const rebuilt: number[] = [];
          let edits = 0;
          for (const run of runs ?? []) {
            if (run.kind === 'equal') {
              rebuilt.push(...a.slice(run.aStart, run.aStart + run.length));
              expect(b.slice(run.bStart, run.bStart + run.length)).toEqual(
                a.slice(run.aStart, run.aStart + run.length),
              );
            } else if (run.kind === 'insert') {
              rebuilt.push(...b.slice(run.bStart, run.bStart + run.length));
              edits += run.length;
            } else {
              edits += run.length;
            }
          }
          expect(rebuilt).toEqual(b);
          // A shortest script: n + m - 2·LCS edits.
          expect(edits).toBe(a.length + b.length - 2 * lcsLength(a, b));
        },
      ),
    );
  });
});

function lcsLength(a: readonly number[], b: readonly number[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const row = [0];
    b.forEach((y, j) => {
      row.push(x === y ? (previous[j] ?? 0) + 1 : Math.max(previous[j + 1] ?? 0, row[j] ?? 0));
    });
    previous = row;
  }
  return previous[b.length] ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Reordering keyed items

describe('reordering keyed items', () => {
  const keyedItems = fc
    .uniqueArray(fc.stringMatching(/^[a-z0-9_-]{1,6}$/), { minLength: 1, maxLength: 40 })
    .chain((ids) =>
      fc.tuple(
        fc.constant(ids),
        fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>, {
          minLength: ids.length,
          maxLength: ids.length,
        }),
      ),
    )
    .map(([ids, values]) => ids.map((id, i) => ({ id, value: values[i] ?? null, note: `#${i}` })));

  it('yields at most N moves and nothing else for a permutation of N items', () => {
    fc.assert(
      fc.property(
        keyedItems.chain((items) =>
          fc.tuple(
            fc.constant(items),
            fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }),
          ),
        ),
        ([items, permuted]) => {
          const a = { list: items, other: { untouched: true } };
          const b = { list: permuted, other: { untouched: true } };
          const patch = diffJson(a, b);
          expect(patch.every((operation) => operation.op === 'move')).toBe(true);
          expect(patch.length).toBeLessThanOrEqual(Math.max(items.length - 1, 0));
          expect(deepEqual(applyPatch(a, patch), b)).toBe(true);
          // The fewest moves possible: every item off a longest in-order run, and no other.
          const plan = planKeyedArray(
            items.map((item) => item.id),
            permuted.map((item) => item.id),
          );
          expect(plan.steps.filter((step) => step.kind === 'move')).toHaveLength(patch.length);
          // The compact patch makes the same moves, as [from, to] pairs, and nothing else.
          const compact = diffCompact(a, b);
          const moves = patch.flatMap((operation) =>
            operation.op === 'move'
              ? [Number(operation.from.split('/').at(-1)), Number(operation.path.split('/').at(-1))]
              : [],
          );
          expect(compact).toEqual(moves.length === 0 ? {} : { list: { m: moves } });
          expect(deepEqual(applyCompactPatch(a, compact), b)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('moves a reordered listing list and reports the same moves', () => {
    const packages = (BASE as { packages: { items: JsonValue[] } }).packages.items;
    const timeline = (BASE as { process: { timeline: JsonValue[] } }).process.timeline;
    fc.assert(
      fc.property(
        fc.shuffledSubarray(packages, { minLength: packages.length, maxLength: packages.length }),
        fc.shuffledSubarray(timeline, { minLength: timeline.length, maxLength: timeline.length }),
        (permutedPackages, permutedTimeline) => {
          const after = structuredClone(BASE) as {
            packages: { items: JsonValue[] };
            process: { timeline: JsonValue[] };
          };
          after.packages.items = permutedPackages;
          after.process.timeline = permutedTimeline;
          const diff = diffListings(BASE, after, { onDate: '2026-11-21' });
          expect(diff.patch.every((operation) => operation.op === 'move')).toBe(true);
          expect(diff.patch.length).toBeLessThanOrEqual(packages.length + timeline.length);
          expect(diff.changes.every((change) => change.kind === 'list-item-moved')).toBe(true);
          expect(diff.changes).toHaveLength(diff.patch.length);
          expect(deepEqual(applyPatch(BASE, diff.patch), after as unknown as JsonValue)).toBe(true);
        },
      ),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Random listings

type Item = Record<string, JsonValue>;

const KEYED_LISTS = [
  ['highlights', 'mentors'],
  ['highlights', 'successCases'],
  ['packages', 'items'],
  ['process', 'timeline'],
  ['requirements', 'items'],
  ['credentials', 'files'],
] as const;

function listAt(document: JsonValue, [step, list]: readonly [string, string]): Item[] {
  const lists = (document as Record<string, Record<string, Item[]> | undefined>)[step];
  return lists?.[list] ?? [];
}

const textArb = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('英国硕士申请', '英国博士申请', '美国本科申请旗舰包', 'GPA 3.6，雅思 7.0'),
);

/** Edits of one item: a member set to a new value (a string, a number or any JSON). */
const itemEditArb = fc.record({
  item: fc.nat(),
  member: fc.nat(),
  value: fc.oneof(textArb, fc.integer(), fc.jsonValue({ maxDepth: 1 })) as fc.Arbitrary<JsonValue>,
});

function listVariantArb(items: readonly Item[], prefix: string) {
  return fc
    .record({
      kept: fc.shuffledSubarray([...items]),
      added: fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,5}$/), { maxLength: 3 }),
      positions: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
      edits: fc.array(itemEditArb, { maxLength: 3 }),
      template: fc.nat(),
    })
    .map(({ kept, added, positions, edits, template }) => {
      const list = structuredClone(kept);
      added.forEach((suffix, i) => {
        const model = items[template % Math.max(items.length, 1)] ?? {};
        const fresh = { ...structuredClone(model), id: `${prefix}_new_${suffix}` };
        list.splice((positions[i] ?? 0) % (list.length + 1), 0, fresh);
      });
      for (const edit of edits) {
        const item = list[edit.item % Math.max(list.length, 1)];
        if (item === undefined) {
          continue;
        }
        const members = Object.keys(item).filter((key) => key !== 'id');
        const member = members[edit.member % Math.max(members.length, 1)];
        if (member !== undefined) {
          item[member] = edit.value;
        }
      }
      return list;
    });
}

const listingVariantArb: fc.Arbitrary<JsonValue> = fc
  .record({
    lists: fc.tuple(...KEYED_LISTS.map((where) => listVariantArb(listAt(BASE, where), where[1]))),
    name: textArb,
    introduction: fc.constantFrom(
      '<p>面向计划申请<strong>英国一年制授课型硕士</strong>的本科在读生。</p>',
      '<p>面向计划申请英国一年制<em>研究型</em>硕士的本科在读生与在职人士。</p>',
      '',
    ),
    stages: fc.shuffledSubarray(['undergraduate', 'master', 'phd', 'exchange']),
    confirmed: fc.boolean(),
    dropAfterSales: fc.boolean(),
  })
  .map(({ lists, name, introduction, stages, confirmed, dropAfterSales }) => {
    const document = structuredClone(BASE) as Record<string, Record<string, JsonValue>>;
    KEYED_LISTS.forEach(([step, list], i) => {
      const target = document[step];
      if (target !== undefined) {
        target[list] = lists[i] ?? [];
      }
    });
    const basic = document['basic'] ?? {};
    basic['name'] = name;
    basic['introduction'] = introduction;
    basic['stages'] = stages;
    const risk = document['risk'] ?? {};
    risk['confirmed'] = confirmed;
    if (dropAfterSales) {
      delete risk['afterSalesPolicy'];
    }
    return document;
  });

describe('diff of random listings', () => {
  it('apply(diff(a, b), a) equals b, generically and with the listing keys', () => {
    fc.assert(
      fc.property(listingVariantArb, listingVariantArb, (a, b) => {
        expectRoundTrip(a, b);
        expectRoundTrip(a, b, { arrayKey: listingArrayKey });
        expectRoundTrip(BASE, b, { arrayKey: listingArrayKey, minimize: false });
      }),
      { numRuns: 200 },
    );
  });

  it('diffListings returns the same patch and a change for every difference', () => {
    fc.assert(
      fc.property(listingVariantArb, listingVariantArb, (a, b) => {
        const snapshotA = structuredClone(a);
        const diff = diffListings(a, b, { onDate: '2026-11-21' });
        expect(diff.patch).toEqual(diffJson(a, b, { arrayKey: listingArrayKey }));
        expect(deepEqual(applyPatch(a, diff.patch), b)).toBe(true);
        expect(diff.changes.length === 0).toBe(diff.patch.length === 0);
        expect(a).toStrictEqual(snapshotA);
        for (const change of diff.changes) {
          expect(change.label['zh-CN']).not.toBe('');
          expect(change.label.en).not.toBe('');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never reports a moved item as removed and added', () => {
    fc.assert(
      fc.property(listingVariantArb, listingVariantArb, (a, b) => {
        const diff = diffListings(a, b, { onDate: '2026-11-21' });
        const removed = new Set<string>();
        const added = new Set<string>();
        for (const change of diff.changes) {
          if (change.kind === 'list-item-removed' && change.id !== undefined) {
            removed.add(`${change.path.slice(0, -1).join('.')}#${change.id}`);
          }
          if (change.kind === 'list-item-added' && change.id !== undefined) {
            added.add(`${change.path.slice(0, -1).join('.')}#${change.id}`);
          }
        }
        for (const key of removed) {
          expect(added.has(key)).toBe(false);
        }
      }),
    );
  });
});
