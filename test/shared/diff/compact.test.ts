import { describe, expect, it } from 'vitest';
import {
  applyCompactPatch,
  CompactPatchError,
  diffCompact,
  type CompactPatch,
} from '#shared/diff/compact';
import { deepEqual, type JsonValue } from '#shared/diff/patch';

/* Round trips over random documents (with moves) live in diff.property.test.ts. */

function expectApplies(a: JsonValue, b: JsonValue): CompactPatch {
  const patch = diffCompact(a, b);
  expect(deepEqual(applyCompactPatch(a, patch), b)).toBe(true);
  return patch;
}

function errorOf(document: JsonValue, patch: unknown): CompactPatchError {
  try {
    applyCompactPatch(document, patch as CompactPatch);
  } catch (error) {
    if (error instanceof CompactPatchError) {
      return error;
    }
    throw error;
  }
  throw new Error('the patch applied');
}

const LONG = 'a sentence long enough that replacing it whole costs more than an edit does';

describe('diffCompact', () => {
  it('is {} for equal values and [value] for a new scalar', () => {
    expect(expectApplies({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual({});
    expect(expectApplies(1, 2)).toEqual([2]);
    expect(expectApplies({ a: 1, keep: LONG }, { a: '1', keep: LONG })).toEqual({ a: ['1'] });
  });

  it('names each changed container once and carries no old values', () => {
    const a = { deep: { er: { x: 1, y: 2, keep: LONG } }, other: { z: 3, keep: LONG } };
    const b = { deep: { er: { x: 5, y: 6, keep: LONG } }, other: { z: 7, keep: LONG } };
    expect(expectApplies(a, b)).toEqual({ deep: { er: { x: [5], y: [6] } }, other: { z: [7] } });
  });

  it('removes members with 0 and sets new ones with [value]', () => {
    expect(expectApplies({ gone: 1, keep: LONG }, { keep: LONG, fresh: [2] })).toEqual({
      gone: 0,
      fresh: [[2]],
    });
  });

  it('edits a long string between its common prefix and suffix', () => {
    const after = LONG.replace('enough', 'ENOUGH!');
    expect(expectApplies({ text: LONG }, { text: after })).toEqual({
      text: [LONG.indexOf('enough'), 'enough'.length, 'ENOUGH!'],
    });
    // A short string is smaller replaced whole.
    expect(expectApplies({ text: 'ab' }, { text: 'xb' })).toEqual({ text: ['xb'] });
  });

  it('never cuts a surrogate pair in a text edit', () => {
    const before = `${LONG} 😀 ${LONG}`;
    const after = `${LONG} 😁 ${LONG}`;
    const patch = expectApplies({ text: before }, { text: after }) as {
      text: [number, number, string];
    };
    expect(patch.text[2]).toBe('😁');
    expect(patch.text[1]).toBe(2);
  });

  it('moves keyed items as [from, to] pairs and diffs them at their new index', () => {
    const items = ['a', 'b', 'c', 'd'].map((id) => ({ id, note: `${id} ${LONG}` }));
    const moved = [items[3], items[0], items[1], { ...items[2], note: 'edited' }] as JsonValue[];
    expect(expectApplies({ items }, { items: moved })).toEqual({
      items: { m: [3, 0], 3: { note: ['edited'] } },
    });
  });

  it('removes by index of the array as it was and inserts by index of the final array', () => {
    const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, note: LONG }));
    const fresh = { id: 'x', note: 'new' };
    const after = [items[0], fresh, items[2], items[4]] as JsonValue[];
    expect(expectApplies({ items }, { items: after })).toEqual({
      items: { '-': [1, 3], '+': [1, fresh] },
    });
    const values = [LONG, 'b', 'c', 'd', LONG];
    expect(expectApplies(values, [LONG, 'b', 'x', 'c', 'd', LONG])).toEqual({ '+': [2, 'x'] });
    expect(expectApplies(values, [LONG, 'b', 'd', LONG])).toEqual({ '-': [2] });
  });

  it('keeps __proto__ an own member', () => {
    const a = JSON.parse(
      `{"__proto__": {"x": 1, "keep": "${LONG}"}, "keep": "${LONG}"}`,
    ) as JsonValue;
    const b = JSON.parse(
      `{"__proto__": {"x": 2, "keep": "${LONG}"}, "keep": "${LONG}"}`,
    ) as JsonValue;
    const patch = expectApplies(a, b);
    expect(Object.getPrototypeOf(patch)).toBe(Object.prototype);
    expect(JSON.stringify(patch)).toBe('{"__proto__":{"x":[2]}}');
  });

  it('names every changed leaf without minimize', () => {
    expect(diffCompact([1, 2, 3], [4, 5, 6])).toEqual([[4, 5, 6]]);
    expect(diffCompact([1, 2, 3], [4, 5, 6], { minimize: false })).toEqual({
      0: [4],
      1: [5],
      2: [6],
    });
  });
});

describe('applyCompactPatch', () => {
  it('applies the steps of an array in their fixed order, whatever the JSON order', () => {
    const patch = JSON.parse(
      '{"1": ["B"], "+": [0, "new"], "m": [0, 2], "-": [3]}',
    ) as CompactPatch;
    // Remove "d", move "a" behind "c", insert "new" at 0, then change index 1 ("b").
    expect(applyCompactPatch(['a', 'b', 'c', 'd'], patch)).toEqual(['new', 'B', 'c', 'a']);
  });

  it('never modifies the document or the patch', () => {
    const document = { list: [{ id: 'a' }, { id: 'b' }], nested: { x: 1 } };
    const patch: CompactPatch = { list: { m: [1, 0] }, nested: { x: [2] } };
    const snapshots = [structuredClone(document), structuredClone(patch)];
    const result = applyCompactPatch(document, patch);
    expect(result).toEqual({ list: [{ id: 'b' }, { id: 'a' }], nested: { x: 2 } });
    expect([document, patch]).toEqual(snapshots);
  });

  it('rejects patches that do not fit the document, naming where', () => {
    expect(errorOf({ a: 1 }, { b: 0 })).toMatchObject({ code: 'member_not_found', pointer: '/b' });
    expect(errorOf({ a: 1 }, { b: { c: [1] } }).code).toBe('member_not_found');
    expect(errorOf({ a: 1 }, { a: { c: [1] } })).toMatchObject({
      code: 'invalid_change',
      pointer: '/a',
    });
    expect(errorOf({ a: 1 }, { a: [0, 0, 'x'] }).code).toBe('invalid_change');
    expect(errorOf({ a: 'ab' }, { a: [1, 5, 'x'] }).code).toBe('invalid_change');
    expect(errorOf({ a: 1 }, { a: 'x' }).code).toBe('invalid_change');
    expect(errorOf({ a: 1 }, [])).toMatchObject({ code: 'invalid_change', pointer: '' });
    expect(errorOf([1, 2], { '-': [0, 0] }).code).toBe('index_out_of_bounds');
    expect(errorOf([1, 2], { '-': [2] }).code).toBe('index_out_of_bounds');
    expect(errorOf([1, 2], { m: [0, 2] }).code).toBe('index_out_of_bounds');
    expect(errorOf([1, 2], { m: [0] }).code).toBe('invalid_change');
    expect(errorOf([1, 2], { '+': [3, 'x'] }).code).toBe('index_out_of_bounds');
    expect(errorOf([1, 2], { '+': [0] }).code).toBe('invalid_change');
    expect(errorOf([1, 2], { 2: [0] }).code).toBe('index_out_of_bounds');
    expect(errorOf([1, 2], { '01': [0] }).code).toBe('invalid_change');
    expect(errorOf([1, 2], { 0: 0 }).code).toBe('invalid_change');
  });
});
