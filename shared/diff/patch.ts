import { isArrayIndexToken, parsePointer, PointerError } from './pointer';

/**
 * RFC 6902 JSON Patch: the machine half of a revision diff, and what `diffJson` produces.
 *
 * Patches arrive as JSON (from files, from the server), so {@link applyPatch} checks every
 * operation at run time whatever its static type says, and fails with a typed
 * {@link PatchError} naming the operation. It never mutates its input: containers on the path
 * of an operation are copied the first time the patch writes into them (copy-on-write), so the
 * result shares every untouched subtree with the input document and with the operations'
 * values. Treat all three as immutable.
 */

/** A JSON scalar. */
export type JsonPrimitive = null | boolean | number | string;
/** Any JSON value. */
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** `add`: inserts into an array (`/-` appends) or sets an object member. */
export interface AddOperation {
  readonly op: 'add';
  readonly path: string;
  readonly value: JsonValue;
}
/** `remove`: deletes an object member or an array element (later elements shift left). */
export interface RemoveOperation {
  readonly op: 'remove';
  readonly path: string;
}
/** `replace`: the value at an existing location. */
export interface ReplaceOperation {
  readonly op: 'replace';
  readonly path: string;
  readonly value: JsonValue;
}
/** `move`: `remove` at `from`, then `add` of the same value at `path`. */
export interface MoveOperation {
  readonly op: 'move';
  readonly from: string;
  readonly path: string;
}
/** `copy`: `add` at `path` of the value at `from`. */
export interface CopyOperation {
  readonly op: 'copy';
  readonly from: string;
  readonly path: string;
}
/** `test`: fails the whole patch unless the value at `path` equals `value` ({@link deepEqual}). */
export interface TestOperation {
  readonly op: 'test';
  readonly path: string;
  readonly value: JsonValue;
}

/** One RFC 6902 operation. */
export type Operation =
  AddOperation | RemoveOperation | ReplaceOperation | MoveOperation | CopyOperation | TestOperation;

/** The `op` names of RFC 6902. */
export const OPERATION_NAMES = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
/** One of {@link OPERATION_NAMES}. */
export type OperationName = (typeof OPERATION_NAMES)[number];

/** Why a patch failed; stable, callers and tests key on it. */
export type PatchErrorCode =
  /** The patch is not an array of operations. */
  | 'invalid_patch'
  /** An operation is not a JSON object. */
  | 'invalid_operation'
  /** `op` is missing or not one of {@link OPERATION_NAMES}. */
  | 'unknown_op'
  | 'missing_path'
  | 'missing_from'
  | 'missing_value'
  /** `path` or `from` is not a JSON Pointer (not a string, no leading `/`, a bad `~` escape). */
  | 'invalid_pointer'
  /** The location (or, for `add`, its parent) does not exist. */
  | 'path_not_found'
  /** The `from` location of a `move` or `copy` does not exist. */
  | 'from_not_found'
  /** An array is addressed with something other than `0` or a digit string without leading
   * zeros (`01`, `1e0`, `-1`, a key), or with `-` outside the last token of an `add`. */
  | 'invalid_index'
  /** An array index past the end (`add` may use the length itself, or `-`). */
  | 'index_out_of_bounds'
  /** `move` into its own descendant, which would make the value contain itself. */
  | 'move_into_descendant'
  /** `remove` of the whole document: RFC 6902 gives it no meaning. */
  | 'cannot_remove_root'
  | 'test_failed';

/** A patch that cannot be applied, with the operation that failed. */
export class PatchError extends Error {
  override readonly name = 'PatchError';
  readonly code: PatchErrorCode;
  /** Index of the failing operation in the patch; -1 when the patch itself is malformed. */
  readonly operationIndex: number;
  /** The failing operation as it was given (it may be malformed). */
  readonly operation: unknown;
  /** The pointer being resolved when the operation failed, when there was one. */
  readonly pointer: string | undefined;

  constructor(
    code: PatchErrorCode,
    message: string,
    operationIndex: number,
    operation: unknown,
    pointer?: string,
  ) {
    super(operationIndex >= 0 ? `operation ${operationIndex}: ${message}` : message);
    this.code = code;
    this.operationIndex = operationIndex;
    this.operation = operation;
    this.pointer = pointer;
  }
}

/** Outcome of {@link tryApplyPatch}, for callers that show a failure instead of throwing. */
export type PatchResult =
  | { readonly ok: true; readonly value: JsonValue }
  | { readonly ok: false; readonly error: PatchError };

/**
 * JSON equality as RFC 6902 `test` defines it: same type; numbers equal by value (JSON cannot
 * tell `1` from `1.0` once parsed, so neither can this); strings by code units; arrays element by
 * element in order; objects by their member sets, in any order.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) {
      return false;
    }
    for (let i = 0; i < a.length; i += 1) {
      if (!deepEqual(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  if (Array.isArray(b)) {
    return false;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) {
    return false;
  }
  for (const key of keys) {
    if (!Object.hasOwn(right, key) || !deepEqual(left[key], right[key])) {
      return false;
    }
  }
  return true;
}

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value at `pointer` in `document`, or `undefined` when there is none (a missing member, an
 * index past the end, a malformed pointer).
 */
export function getValueAt(document: JsonValue, pointer: string): JsonValue | undefined {
  let tokens: string[];
  try {
    tokens = parsePointer(pointer);
  } catch {
    return undefined;
  }
  let node: JsonValue = document;
  for (const token of tokens) {
    const child = childOf(node, token);
    if (child === undefined) {
      return undefined;
    }
    node = child;
  }
  return node;
}

function childOf(node: JsonValue, token: string): JsonValue | undefined {
  if (Array.isArray(node)) {
    return isArrayIndexToken(token) ? node[Number(token)] : undefined;
  }
  if (isJsonObject(node)) {
    return Object.hasOwn(node, token) ? node[token] : undefined;
  }
  return undefined;
}

/**
 * Applies `operations` in order to a structural copy of `document` and returns the result; the
 * input document and the operations are never modified. Throws a {@link PatchError} for the first
 * operation that is malformed or cannot be applied; the patch is atomic (a failed patch has no
 * effect, as there is nothing to roll back).
 *
 * Members other than `op`, `path`, `from` and `value` are ignored (RFC 6902 §4).
 */
export function applyPatch(document: JsonValue, operations: readonly Operation[]): JsonValue {
  if (!Array.isArray(operations)) {
    throw new PatchError('invalid_patch', 'a JSON Patch is an array of operations', -1, operations);
  }
  const state: State = { root: document, owned: new WeakSet() };
  operations.forEach((raw: unknown, index) => {
    applyOne(state, readOperation(raw, index), index);
  });
  return state.root;
}

/** {@link applyPatch} returning a result instead of throwing a {@link PatchError}. */
export function tryApplyPatch(document: JsonValue, operations: readonly Operation[]): PatchResult {
  try {
    return { ok: true, value: applyPatch(document, operations) };
  } catch (error) {
    if (error instanceof PatchError) {
      return { ok: false, error };
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading operations

interface ParsedOperation {
  readonly op: OperationName;
  readonly raw: unknown;
  readonly path: readonly string[];
  readonly pathText: string;
  readonly from: readonly string[];
  readonly fromText: string;
  readonly value: JsonValue;
}

function readOperation(raw: unknown, index: number): ParsedOperation {
  if (!isJsonObject(raw)) {
    throw new PatchError('invalid_operation', 'an operation is a JSON object', index, raw);
  }
  const op = raw['op'];
  if (typeof op !== 'string' || !(OPERATION_NAMES as readonly string[]).includes(op)) {
    throw new PatchError(
      'unknown_op',
      op === undefined ? 'missing "op"' : `unknown op ${JSON.stringify(op)}`,
      index,
      raw,
    );
  }
  const name = op as OperationName;
  if (!Object.hasOwn(raw, 'path')) {
    throw new PatchError('missing_path', `"${name}" needs a "path"`, index, raw);
  }
  const pathText = raw['path'];
  const path = readPointer(pathText, index, raw);
  let from: readonly string[] = [];
  let fromText = '';
  if (name === 'move' || name === 'copy') {
    if (!Object.hasOwn(raw, 'from')) {
      throw new PatchError('missing_from', `"${name}" needs a "from"`, index, raw);
    }
    from = readPointer(raw['from'], index, raw);
    fromText = raw['from'] as string;
  }
  // `undefined` is not a JSON value: an object built in code with `value: undefined` has none.
  const value = raw['value'];
  if ((name === 'add' || name === 'replace' || name === 'test') && value === undefined) {
    throw new PatchError('missing_value', `"${name}" needs a "value"`, index, raw);
  }
  return {
    op: name,
    raw,
    path,
    pathText: pathText as string,
    from,
    fromText,
    value: value ?? null,
  };
}

function readPointer(text: unknown, index: number, raw: unknown): string[] {
  try {
    return parsePointer(text);
  } catch (error) {
    if (error instanceof PointerError) {
      throw new PatchError(
        'invalid_pointer',
        error.message,
        index,
        raw,
        typeof text === 'string' ? text : undefined,
      );
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Applying

interface State {
  root: JsonValue;
  /** Containers this application created, which it may therefore modify in place. */
  readonly owned: WeakSet<object>;
}

type Container = JsonValue[] | JsonObject;

interface Context {
  readonly index: number;
  readonly raw: unknown;
  readonly pointer: string;
}

function fail(code: PatchErrorCode, message: string, context: Context): never {
  throw new PatchError(code, message, context.index, context.raw, context.pointer);
}

function applyOne(state: State, operation: ParsedOperation, index: number): void {
  const at: Context = { index, raw: operation.raw, pointer: operation.pathText };
  switch (operation.op) {
    case 'add':
      add(state, operation.path, operation.value, at);
      return;
    case 'remove':
      remove(state, operation.path, at);
      return;
    case 'replace':
      replace(state, operation.path, operation.value, at);
      return;
    case 'move': {
      const from: Context = { index, raw: operation.raw, pointer: operation.fromText };
      if (isPrefix(operation.from, operation.path)) {
        if (operation.from.length === operation.path.length) {
          // Moving a value onto itself changes nothing, but it must still exist.
          read(state.root, operation.from, from, 'from_not_found');
          return;
        }
        fail('move_into_descendant', 'cannot move a value into one of its own children', at);
      }
      const value = read(state.root, operation.from, from, 'from_not_found');
      remove(state, operation.from, from);
      add(state, operation.path, value, at);
      return;
    }
    case 'copy': {
      const from: Context = { index, raw: operation.raw, pointer: operation.fromText };
      // A copy must be independent of its source: the source may hold containers this
      // application owns and would later modify in place.
      add(
        state,
        operation.path,
        cloneJson(read(state.root, operation.from, from, 'from_not_found')),
        at,
      );
      return;
    }
    case 'test': {
      const actual = read(state.root, operation.path, at, 'path_not_found');
      if (!deepEqual(actual, operation.value)) {
        fail('test_failed', `the value at ${JSON.stringify(at.pointer)} is different`, at);
      }
      return;
    }
  }
}

function cloneJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) {
    return value.map(cloneJson);
  }
  if (isJsonObject(value)) {
    const copy: JsonObject = {};
    for (const key of Object.keys(value)) {
      setMember(copy, key, cloneJson(value[key] ?? null));
    }
    return copy;
  }
  return value;
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((token, i) => path[i] === token);
}

/** The array index a token names in an array of `length` elements (`allowEnd`: up to length). */
function arrayIndex(token: string, length: number, allowEnd: boolean, context: Context): number {
  if (token === '-') {
    if (allowEnd) {
      return length;
    }
    fail(
      'index_out_of_bounds',
      '"-" names the element after the last, which does not exist',
      context,
    );
  }
  if (!isArrayIndexToken(token)) {
    fail('invalid_index', `${JSON.stringify(token)} is not an array index`, context);
  }
  const index = Number(token);
  if (index > length || (index === length && !allowEnd)) {
    fail('index_out_of_bounds', `index ${token} is past the end of an array of ${length}`, context);
  }
  return index;
}

/** Reads without copying; `missing` is the code for a location that does not exist. */
function read(
  root: JsonValue,
  tokens: readonly string[],
  context: Context,
  missing: 'path_not_found' | 'from_not_found',
): JsonValue {
  let node = root;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      const index = arrayIndex(token, node.length, false, context);
      node = node[index] ?? null;
    } else if (isJsonObject(node) && Object.hasOwn(node, token)) {
      node = node[token] ?? null;
    } else {
      fail(missing, `nothing at ${JSON.stringify(context.pointer)}`, context);
    }
  }
  return node;
}

function ownedCopy(state: State, value: Container): Container {
  if (state.owned.has(value)) {
    return value;
  }
  // Spread copies a `__proto__` member as an own property, as JSON.parse created it.
  const copy: Container = Array.isArray(value) ? value.slice() : { ...value };
  state.owned.add(copy);
  return copy;
}

/** Sets an own member; plain assignment of `__proto__` would change the prototype instead. */
export function setMember(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    object[key] = value;
  }
}

function isContainer(value: JsonValue): value is Container {
  return typeof value === 'object' && value !== null;
}

/**
 * The writable parent container of the location `tokens` names (which must not be the root),
 * copying every container on the way that this application does not own yet.
 */
function writableParent(state: State, tokens: readonly string[], context: Context): Container {
  if (!isContainer(state.root)) {
    fail('path_not_found', `the document is a ${typeof state.root}, not a container`, context);
  }
  let node = ownedCopy(state, state.root);
  state.root = node;
  for (const token of tokens.slice(0, -1)) {
    let child: JsonValue | undefined;
    if (Array.isArray(node)) {
      child = node[arrayIndex(token, node.length, false, context)];
    } else if (Object.hasOwn(node, token)) {
      child = node[token];
    }
    if (child === undefined || !isContainer(child)) {
      fail(
        'path_not_found',
        `the parent of ${JSON.stringify(context.pointer)} does not exist`,
        context,
      );
    }
    const copy = ownedCopy(state, child);
    if (Array.isArray(node)) {
      node[Number(token)] = copy;
    } else {
      setMember(node, token, copy);
    }
    node = copy;
  }
  return node;
}

function add(state: State, tokens: readonly string[], value: JsonValue, context: Context): void {
  const last = tokens.at(-1);
  if (last === undefined) {
    state.root = value;
    return;
  }
  const parent = writableParent(state, tokens, context);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length, true, context), 0, value);
  } else {
    setMember(parent, last, value);
  }
}

function remove(state: State, tokens: readonly string[], context: Context): void {
  const last = tokens.at(-1);
  if (last === undefined) {
    fail('cannot_remove_root', 'the whole document cannot be removed', context);
  }
  const parent = writableParent(state, tokens, context);
  if (Array.isArray(parent)) {
    parent.splice(arrayIndex(last, parent.length, false, context), 1);
  } else if (Object.hasOwn(parent, last)) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a JSON member by name
    delete parent[last];
  } else {
    fail('path_not_found', `nothing at ${JSON.stringify(context.pointer)} to remove`, context);
  }
}

function replace(
  state: State,
  tokens: readonly string[],
  value: JsonValue,
  context: Context,
): void {
  const last = tokens.at(-1);
  if (last === undefined) {
    state.root = value;
    return;
  }
  const parent = writableParent(state, tokens, context);
  if (Array.isArray(parent)) {
    parent[arrayIndex(last, parent.length, false, context)] = value;
  } else if (Object.hasOwn(parent, last)) {
    setMember(parent, last, value);
  } else {
    fail('path_not_found', `nothing at ${JSON.stringify(context.pointer)} to replace`, context);
  }
}
