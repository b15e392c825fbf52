import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  deepEqual,
  getValueAt,
  PatchError,
  tryApplyPatch,
  type JsonValue,
  type Operation,
  type PatchErrorCode,
} from '#shared/diff/patch';
import {
  escapeToken,
  formatPointer,
  isArrayIndexToken,
  parsePointer,
  PointerError,
  unescapeToken,
} from '#shared/diff/pointer';
import { toJsonPointer } from '#shared/domain/validationIssue';

describe('JSON Pointer (RFC 6901)', () => {
  it.each([
    ['', []],
    ['/', ['']],
    ['/foo', ['foo']],
    ['/foo/0', ['foo', '0']],
    ['/a~1b', ['a/b']],
    ['/m~0n', ['m~n']],
    ['/~01', ['~1']],
    ['/~10', ['/0']],
    ['//x/', ['', 'x', '']],
    ['/ ', [' ']],
  ])('parses %j', (pointer, tokens) => {
    expect(parsePointer(pointer)).toEqual(tokens);
  });

  it.each([
    ['foo', 'missing_leading_slash'],
    ['#/foo', 'missing_leading_slash'],
    ['/a~', 'invalid_escape'],
    ['/a~2b', 'invalid_escape'],
    ['/~', 'invalid_escape'],
  ])('refuses %j (%s)', (pointer, code) => {
    expect(() => parsePointer(pointer)).toThrow(PointerError);
    try {
      parsePointer(pointer);
    } catch (error) {
      expect((error as PointerError).code).toBe(code);
    }
  });

  it.each([null, 3, undefined, {}])('refuses the non-string %j', (value) => {
    expect(() => parsePointer(value)).toThrow(
      expect.objectContaining({ code: 'not_a_string' }) as Error,
    );
  });

  it('formats paths, escaping ~ before /', () => {
    expect(formatPointer([])).toBe('');
    expect(formatPointer(['packages', 'items', 2, 'price'])).toBe('/packages/items/2/price');
    expect(formatPointer(['a/b', 'm~n', '~1'])).toBe('/a~1b/m~0n/~01');
    expect(escapeToken('~/')).toBe('~0~1');
    expect(unescapeToken('~0~1')).toBe('~/');
  });

  it('round-trips and agrees with toJsonPointer', () => {
    const path = ['', 'a/b', '~', '~1', 'x y', '0', '中文'];
    expect(parsePointer(formatPointer(path))).toEqual(path);
    expect(formatPointer(path)).toBe(toJsonPointer(path));
  });

  it('knows array index tokens', () => {
    for (const token of ['0', '1', '10', '12345']) {
      expect(isArrayIndexToken(token)).toBe(true);
    }
    for (const token of ['', '-', '01', '00', '-1', '1e0', '1.0', ' 1', 'a', '+1']) {
      expect(isArrayIndexToken(token)).toBe(false);
    }
  });
});

function errorOf(document: JsonValue, patch: readonly unknown[]): PatchError {
  const result = tryApplyPatch(document, patch as readonly Operation[]);
  if (result.ok) {
    throw new Error(`expected the patch to fail, got ${JSON.stringify(result.value)}`);
  }
  return result.error;
}

describe('applyPatch', () => {
  it('applies the RFC 6902 appendix examples in sequence', () => {
    const result = applyPatch({ foo: ['bar', 'baz'], qux: { corge: 'grault' } }, [
      { op: 'add', path: '/foo/1', value: 'qux' },
      { op: 'remove', path: '/foo/0' },
      { op: 'replace', path: '/qux/corge', value: 'garply' },
      { op: 'move', from: '/qux/corge', path: '/thud' },
      { op: 'copy', from: '/foo', path: '/copy' },
      { op: 'test', path: '/copy', value: ['qux', 'baz'] },
      { op: 'add', path: '/foo/-', value: 'end' },
    ]);
    expect(result).toEqual({
      foo: ['qux', 'baz', 'end'],
      qux: {},
      thud: 'garply',
      copy: ['qux', 'baz'],
    });
  });

  it('never mutates the document or the values of the patch', () => {
    const document = { list: [{ id: 'a', tags: ['x'] }], nested: { deep: { value: 1 } } };
    const value = { inner: [1, 2] };
    const snapshot = structuredClone(document);
    const result = applyPatch(document, [
      { op: 'add', path: '/list/0/tags/-', value: 'y' },
      { op: 'replace', path: '/nested/deep/value', value: 2 },
      { op: 'add', path: '/value', value },
      { op: 'add', path: '/value/inner/0', value: 0 },
      { op: 'copy', from: '/nested', path: '/copy' },
      { op: 'replace', path: '/copy/deep/value', value: 3 },
    ]);
    expect(document).toEqual(snapshot);
    expect(value).toEqual({ inner: [1, 2] });
    expect(result).toEqual({
      list: [{ id: 'a', tags: ['x', 'y'] }],
      nested: { deep: { value: 2 } },
      value: { inner: [0, 1, 2] },
      copy: { deep: { value: 3 } },
    });
  });

  it('shares untouched subtrees with the input (copy-on-write)', () => {
    const document = { touched: { a: 1 }, untouched: { b: [1, 2, 3] } };
    const result = applyPatch(document, [{ op: 'replace', path: '/touched/a', value: 2 }]);
    expect((result as typeof document).untouched).toBe(document.untouched);
    expect((result as typeof document).touched).not.toBe(document.touched);
  });

  it('is atomic: a failing operation leaves nothing applied', () => {
    const document = { a: 1 };
    const result = tryApplyPatch(document, [
      { op: 'replace', path: '/a', value: 2 },
      { op: 'test', path: '/a', value: 3 },
    ]);
    expect(result.ok).toBe(false);
    expect(document).toEqual({ a: 1 });
  });

  it('replaces and adds at the root, including scalars', () => {
    expect(applyPatch('foo', [{ op: 'replace', path: '', value: 'bar' }])).toBe('bar');
    expect(applyPatch({ a: 1 }, [{ op: 'add', path: '', value: [1] }])).toEqual([1]);
    expect(applyPatch(null, [{ op: 'test', path: '', value: null }])).toBeNull();
  });

  it('treats "__proto__" as an ordinary member name', () => {
    const document = JSON.parse('{"__proto__": {"x": 1}}') as JsonValue;
    const result = applyPatch(document, [
      { op: 'replace', path: '/__proto__/x', value: 2 },
      { op: 'add', path: '/a', value: JSON.parse('{"__proto__": 5}') as JsonValue },
      { op: 'add', path: '/a/__proto__', value: 6 },
    ]);
    expect(JSON.stringify(result)).toBe('{"__proto__":{"x":2},"a":{"__proto__":6}}');
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('moves within an array by index after removal (RFC 6902 A.7)', () => {
    expect(
      applyPatch(['all', 'grass', 'cows', 'eat'], [{ op: 'move', from: '/1', path: '/3' }]),
    ).toEqual(['all', 'cows', 'eat', 'grass']);
  });

  const cases: readonly [string, JsonValue, readonly unknown[], PatchErrorCode, number][] = [
    ['patch is not an array', {}, { op: 'add' } as unknown as unknown[], 'invalid_patch', -1],
    [
      'operation is not an object',
      {},
      [{ op: 'test', path: '', value: {} }, 'add'],
      'invalid_operation',
      1,
    ],
    ['unknown op', {}, [{ op: 'spam', path: '/a' }], 'unknown_op', 0],
    ['missing op', {}, [{ path: '/a' }], 'unknown_op', 0],
    ['missing path', {}, [{ op: 'add', value: 1 }], 'missing_path', 0],
    ['null path', {}, [{ op: 'add', path: null, value: 1 }], 'invalid_pointer', 0],
    ['path without slash', {}, [{ op: 'add', path: 'a', value: 1 }], 'invalid_pointer', 0],
    ['bad escape', { a: 1 }, [{ op: 'remove', path: '/~2' }], 'invalid_pointer', 0],
    ['missing value', {}, [{ op: 'replace', path: '' }], 'missing_value', 0],
    [
      'undefined value',
      { a: 1 },
      [{ op: 'test', path: '/a', value: undefined }],
      'missing_value',
      0,
    ],
    ['missing from', {}, [{ op: 'copy', path: '/a' }], 'missing_from', 0],
    ['missing from location', {}, [{ op: 'move', from: '/x', path: '/a' }], 'from_not_found', 0],
    ['missing parent', { a: 1 }, [{ op: 'add', path: '/b/c', value: 1 }], 'path_not_found', 0],
    ['through a scalar', { a: 1 }, [{ op: 'add', path: '/a/b', value: 1 }], 'path_not_found', 0],
    ['remove missing', { a: 1 }, [{ op: 'remove', path: '/b' }], 'path_not_found', 0],
    ['replace missing', { a: 1 }, [{ op: 'replace', path: '/b', value: 1 }], 'path_not_found', 0],
    ['leading zero', [1, 2], [{ op: 'test', path: '/01', value: 2 }], 'invalid_index', 0],
    ['exponent', [1, 2], [{ op: 'remove', path: '/1e0' }], 'invalid_index', 0],
    ['negative', [1, 2], [{ op: 'add', path: '/-1', value: 0 }], 'invalid_index', 0],
    ['key on array', [1, 2], [{ op: 'add', path: '/x', value: 0 }], 'invalid_index', 0],
    ['add past end', [1, 2], [{ op: 'add', path: '/3', value: 0 }], 'index_out_of_bounds', 0],
    ['remove past end', [1, 2], [{ op: 'remove', path: '/2' }], 'index_out_of_bounds', 0],
    ['remove "-"', [1, 2], [{ op: 'remove', path: '/-' }], 'index_out_of_bounds', 0],
    ['replace "-"', [1, 2], [{ op: 'replace', path: '/-', value: 3 }], 'index_out_of_bounds', 0],
    [
      'move into child',
      { a: { b: 1 } },
      [{ op: 'move', from: '/a', path: '/a/b/c' }],
      'move_into_descendant',
      0,
    ],
    ['remove root', { a: 1 }, [{ op: 'remove', path: '' }], 'cannot_remove_root', 0],
    ['test fails', { a: [1, 2] }, [{ op: 'test', path: '/a', value: [2, 1] }], 'test_failed', 0],
    ['test number vs string', { a: 1 }, [{ op: 'test', path: '/a', value: '1' }], 'test_failed', 0],
    [
      'second operation fails',
      { a: 1 },
      [
        { op: 'add', path: '/b', value: 2 },
        { op: 'remove', path: '/c' },
      ],
      'path_not_found',
      1,
    ],
  ];

  it.each(cases)('reports %s', (_name, document, patch, code, index) => {
    const error = errorOf(document, patch);
    expect(error).toBeInstanceOf(PatchError);
    expect(error.code).toBe(code);
    expect(error.operationIndex).toBe(index);
    if (index >= 0) {
      expect(error.operation).toBe(patch[index]);
      expect(error.message).toMatch(new RegExp(`^operation ${index}: `));
    }
  });

  it('throws the PatchError from applyPatch, with the pointer that failed', () => {
    expect(() => applyPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(PatchError);
    const error = errorOf({ a: 1 }, [{ op: 'copy', from: '/x~1y', path: '/b' }]);
    expect(error.pointer).toBe('/x~1y');
  });

  it('accepts moving a value onto itself, if it exists', () => {
    expect(applyPatch({ a: 1 }, [{ op: 'move', from: '/a', path: '/a' }])).toEqual({ a: 1 });
    expect(errorOf({ a: 1 }, [{ op: 'move', from: '/b', path: '/b' }]).code).toBe('from_not_found');
  });

  it('ignores members it does not know', () => {
    expect(
      applyPatch({}, [{ op: 'add', path: '/a', value: 1, extra: true } as unknown as Operation]),
    ).toEqual({ a: 1 });
  });
});

describe('deepEqual', () => {
  it('ignores object member order but not array order', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(
      true,
    );
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
  });

  it('tells types apart', () => {
    expect(deepEqual(1, '1')).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual([], {})).toBe(false);
    expect(deepEqual({}, [])).toBe(false);
    expect(deepEqual({ a: undefined }, { b: undefined })).toBe(false);
    expect(deepEqual(0, false)).toBe(false);
  });

  it('compares numbers by value, as parsed JSON does (1 and 1.0 are one number)', () => {
    expect(deepEqual(JSON.parse('1.0'), JSON.parse('1'))).toBe(true);
    expect(deepEqual(0, -0)).toBe(true);
    expect(deepEqual(0.1 + 0.2, 0.3)).toBe(false);
  });
});

describe('getValueAt', () => {
  it('reads values and returns undefined for what is not there', () => {
    const document = { a: [{ b: 'x' }], 'c/d': 1 };
    expect(getValueAt(document, '/a/0/b')).toBe('x');
    expect(getValueAt(document, '/c~1d')).toBe(1);
    expect(getValueAt(document, '')).toBe(document);
    expect(getValueAt(document, '/a/1')).toBeUndefined();
    expect(getValueAt(document, '/a/01')).toBeUndefined();
    expect(getValueAt(document, 'a')).toBeUndefined();
    expect(getValueAt(document, '/toString')).toBeUndefined();
  });
});
