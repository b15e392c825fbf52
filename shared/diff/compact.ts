import {
  classify,
  DEFAULT_MAX_EDIT_DISTANCE,
  diffSequences,
  jsonLengthWithin,
  keyFunctionFor,
  newEqualityClasses,
  planKeyedArray,
  type DiffOptions,
} from './diff';
import { deepEqual, isJsonObject, setMember, type JsonObject, type JsonValue } from './patch';
import { isArrayIndexToken, type PointerSegment } from './pointer';

/**
 * The compact patch: the same changes as {@link diffJson}'s RFC 6902 patch, written as a tree
 * that mirrors the document, for storing and sending revisions.
 *
 * An RFC 6902 operation repeats its whole path and spells out `"op"`, `"path"`, `"value"`: about
 * 40 bytes before the value itself, which makes a patch of many small edits or moves larger than
 * jsondiffpatch's delta (which names each container once). This format names each changed
 * container once too, and unlike jsondiffpatch's delta it carries no old values.
 *
 * A change applies to one value:
 * - `[value]` — replace it with `value` (an array of exactly one element).
 * - `[keep, deleted, "inserted"]` — edit a string: keep its first `keep` UTF-16 code units,
 *   delete the next `deleted` ones, insert `inserted` there, keep the rest.
 * - `{…}` — changes inside an object or an array (which one is the value's own type). `{}`
 *   changes nothing, whatever the value.
 *
 * Inside an object, each member name maps to a change of that member, or to `0` (remove the
 * member); `[value]` sets a member whether it exists or not.
 *
 * Inside an array, the member names are fixed and applied in this order, whatever order the
 * JSON text gives them:
 * 1. `"-": [i, …]` — remove the items at these indices of the array as it was (ascending).
 * 2. `"m": [from, to, …]` — pairs: move the item at `from` to `to`, one pair after the other.
 * 3. `"+": [index, value, …]` — pairs: insert `value` at `index`, one pair after the other
 *    (ascending: the indices are those of the final array).
 * 4. `"<index>": change` — change the item at that index of the final array.
 *
 * Applying never modifies the document or the patch: changed containers are copied, untouched
 * subtrees are shared (treat all three as immutable).
 */

/** `[value]`: the value becomes `value`. */
export type CompactReplace = readonly [JsonValue];
/** `[keep, deleted, inserted]`: one edit inside a string (UTF-16 code units). */
export type CompactTextEdit = readonly [keep: number, deleted: number, inserted: string];
/** Changes inside an object (member → change or `0`) or an array (see the module comment). */
export interface CompactNested {
  readonly [member: string]: CompactPatch | typeof REMOVE_MEMBER | readonly JsonValue[];
}
/** One change of one value; a whole compact patch is the change of the document. */
export type CompactPatch = CompactReplace | CompactTextEdit | CompactNested;

/** The member change that removes an object member. */
export const REMOVE_MEMBER = 0;

/** Member names of an array's changes (see the module comment). */
const REMOVED = '-';
const MOVED = 'm';
const INSERTED = '+';

/** The compact patch turning `a` into `b` ({@link DiffOptions} as for `diffJson`). */
export function diffCompact(a: JsonValue, b: JsonValue, options: DiffOptions = {}): CompactPatch {
  const context: CompactContext = {
    arrayKey: options.arrayKey,
    matchById: options.matchById ?? true,
    maxEditDistance: options.maxEditDistance ?? DEFAULT_MAX_EDIT_DISTANCE,
    minimize: options.minimize ?? true,
  };
  return diffValue(context, a, b, [])?.change ?? {};
}

// ---------------------------------------------------------------------------------------------
// Diffing

interface CompactContext {
  readonly arrayKey: DiffOptions['arrayKey'];
  readonly matchById: boolean;
  readonly maxEditDistance: number;
  readonly minimize: boolean;
}

interface Diffed {
  readonly change: CompactPatch;
  /** `JSON.stringify(change).length`, summed as the tree is built rather than serialised. */
  readonly size: number;
  /** The change keeps keyed items' identity (it contains a move): never collapse it. */
  readonly keyed: boolean;
}

/** Serialised length of a number (integers only here). */
const numberSize = (value: number): number => String(value).length;
const stringSize = (value: string): number => JSON.stringify(value).length;

/** Serialised length of an object whose members have these (name, value length) pairs. */
function objectSize(members: readonly (readonly [string, number])[]): number {
  let total = members.length === 0 ? 2 : 1 + members.length;
  for (const [name, size] of members) {
    total += stringSize(name) + 1 + size;
  }
  return total;
}

function arraySize(itemSizes: readonly number[]): number {
  let total = itemSizes.length === 0 ? 2 : 1 + itemSizes.length;
  for (const size of itemSizes) {
    total += size;
  }
  return total;
}

function replacement(b: JsonValue): Diffed {
  return { change: [b], size: 2 + jsonLengthWithin(b, Infinity), keyed: false };
}

function diffValue(
  context: CompactContext,
  a: JsonValue,
  b: JsonValue,
  path: PointerSegment[],
): Diffed | undefined {
  if (a === b) {
    return undefined;
  }
  let nested: Diffed | undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    nested = diffArrays(context, a, b, path);
  } else if (isJsonObject(a) && isJsonObject(b)) {
    nested = diffObjects(context, a, b, path);
  } else if (typeof a === 'string' && typeof b === 'string') {
    return diffStrings(context, a, b);
  } else {
    // Scalars of equal value (and -0 against 0, which JSON cannot tell apart) need no change.
    return deepEqual(a, b) ? undefined : replacement(b);
  }
  if (nested === undefined || !context.minimize || nested.keyed) {
    return nested;
  }
  // The value is measured only as far as it could still win, so a large container is not
  // serialised again at every level above a change.
  const replaceSize = 2 + jsonLengthWithin(b, nested.size - 2);
  return replaceSize < nested.size ? { change: [b], size: replaceSize, keyed: false } : nested;
}

/** One edit between the common prefix and suffix, or a replace when that is not smaller. */
function diffStrings(context: CompactContext, a: string, b: string): Diffed {
  if (!context.minimize) {
    return replacement(b);
  }
  const shorter = Math.min(a.length, b.length);
  let prefix = 0;
  while (prefix < shorter && a.charCodeAt(prefix) === b.charCodeAt(prefix)) {
    prefix += 1;
  }
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)
  ) {
    suffix += 1;
  }
  // Never cut a surrogate pair: the inserted text stays well-formed Unicode.
  if (prefix > 0 && isHighSurrogate(a.charCodeAt(prefix - 1))) {
    prefix -= 1;
  }
  if (suffix > 0 && isLowSurrogate(a.charCodeAt(a.length - suffix))) {
    suffix -= 1;
  }
  const deleted = a.length - prefix - suffix;
  const inserted = b.slice(prefix, b.length - suffix);
  const size = 4 + numberSize(prefix) + numberSize(deleted) + stringSize(inserted);
  // `[b]` serialises to at least its code units, two quotes and two brackets: only measure it
  // (escaping a long text) when the edit might not be smaller.
  if (size < b.length + 4) {
    return { change: [prefix, deleted, inserted], size, keyed: false };
  }
  const whole = replacement(b);
  return size < whole.size ? { change: [prefix, deleted, inserted], size, keyed: false } : whole;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** Builds an object of changes; `__proto__` stays an own member, as JSON.parse makes it. */
class NestedBuilder {
  readonly change: JsonObject = {};
  private readonly sizes: (readonly [string, number])[] = [];
  keyed = false;

  set(member: string, value: JsonValue, size: number): void {
    setMember(this.change, member, value);
    this.sizes.push([member, size]);
  }

  setDiffed(member: string, diffed: Diffed): void {
    this.set(member, diffed.change as JsonValue, diffed.size);
    this.keyed ||= diffed.keyed;
  }

  done(): Diffed | undefined {
    return this.sizes.length === 0
      ? undefined
      : {
          change: this.change as CompactNested,
          size: objectSize(this.sizes),
          keyed: this.keyed,
        };
  }
}

function diffObjects(
  context: CompactContext,
  a: Readonly<Record<string, JsonValue>>,
  b: Readonly<Record<string, JsonValue>>,
  path: PointerSegment[],
): Diffed | undefined {
  const nested = new NestedBuilder();
  for (const key of Object.keys(a)) {
    if (!Object.hasOwn(b, key)) {
      nested.set(key, REMOVE_MEMBER, 1);
      continue;
    }
    path.push(key);
    const diffed = diffValue(context, a[key] ?? null, b[key] ?? null, path);
    path.pop();
    if (diffed !== undefined) {
      nested.setDiffed(key, diffed);
    }
  }
  for (const key of Object.keys(b)) {
    if (!Object.hasOwn(a, key)) {
      const value = b[key] ?? null;
      nested.set(key, [value], 2 + jsonLengthWithin(value, Infinity));
    }
  }
  return nested.done();
}

/** The structural half of an array's changes, before the changes of single items. */
class ArrayChanges {
  private readonly removed: number[] = [];
  private readonly moved: number[] = [];
  private readonly inserted: JsonValue[] = [];
  private insertedSize = 0;

  remove(beforeIndex: number): void {
    this.removed.push(beforeIndex);
  }

  move(from: number, to: number): void {
    this.moved.push(from, to);
  }

  insert(afterIndex: number, value: JsonValue): void {
    this.inserted.push(afterIndex, value);
    this.insertedSize += numberSize(afterIndex) + jsonLengthWithin(value, Infinity);
  }

  /** Writes the structural members into `nested`, in the order they are applied. */
  writeTo(nested: NestedBuilder): void {
    if (this.removed.length > 0) {
      this.removed.sort((p, q) => p - q);
      nested.set(REMOVED, this.removed, arraySize(this.removed.map(numberSize)));
    }
    if (this.moved.length > 0) {
      nested.set(MOVED, this.moved, arraySize(this.moved.map(numberSize)));
      nested.keyed = true;
    }
    if (this.inserted.length > 0) {
      nested.set(INSERTED, this.inserted, 1 + this.inserted.length + this.insertedSize);
    }
  }
}

function diffArrays(
  context: CompactContext,
  a: readonly JsonValue[],
  b: readonly JsonValue[],
  path: PointerSegment[],
): Diffed | undefined {
  const keys = keyFunctionFor(context, a, b, path);
  if (keys !== undefined && (a.length > 0 || b.length > 0)) {
    return diffKeyedArrays(context, a, b, keys.keysA, keys.keysB, path);
  }
  return diffArraysByValue(context, a, b, path);
}

function diffKeyedArrays(
  context: CompactContext,
  a: readonly JsonValue[],
  b: readonly JsonValue[],
  keysA: readonly string[],
  keysB: readonly string[],
  path: PointerSegment[],
): Diffed | undefined {
  const plan = planKeyedArray(keysA, keysB);
  const structure = new ArrayChanges();
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'remove':
        structure.remove(step.index);
        break;
      case 'move':
        structure.move(step.from, step.to);
        break;
      case 'add':
        structure.insert(step.index, b[step.index] ?? null);
        break;
    }
  }
  const nested = new NestedBuilder();
  structure.writeTo(nested);
  // After the structural steps every matched item sits at its after index.
  for (const { beforeIndex, afterIndex } of plan.matched) {
    path.push(afterIndex);
    const diffed = diffValue(context, a[beforeIndex] ?? null, b[afterIndex] ?? null, path);
    path.pop();
    if (diffed !== undefined) {
      nested.setDiffed(String(afterIndex), diffed);
    }
  }
  return nested.done();
}

function diffArraysByValue(
  context: CompactContext,
  a: readonly JsonValue[],
  b: readonly JsonValue[],
  path: PointerSegment[],
): Diffed | undefined {
  // Unchanged ends are common and cheap to find; only the middle needs equality classes.
  let start = 0;
  while (start < a.length && start < b.length && deepEqual(a[start], b[start])) {
    start += 1;
  }
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && deepEqual(a[endA - 1], b[endB - 1])) {
    endA -= 1;
    endB -= 1;
  }
  if (start === endA && start === endB) {
    return undefined;
  }
  const middleA = a.slice(start, endA);
  const middleB = b.slice(start, endB);
  const classes = newEqualityClasses();
  const classA = classify(middleA, classes);
  const classB = classify(middleB, classes);
  const runs = diffSequences(
    middleA.length,
    middleB.length,
    (i, j) => classA[i] === classB[j],
    context.maxEditDistance,
  );
  if (runs === undefined) {
    return replacement(b as JsonValue[]);
  }
  // A deleted item facing an inserted one is changed in place (at its after index); the others
  // are removed (by before index) and inserted (by after index), which leaves every kept item at
  // its after index as the alignment is monotone.
  const structure = new ArrayChanges();
  const paired: [beforeIndex: number, afterIndex: number][] = [];
  let deleted: number[] = [];
  let inserted: number[] = [];
  const flush = (): void => {
    const pairs = Math.min(deleted.length, inserted.length);
    for (let i = 0; i < pairs; i += 1) {
      paired.push([deleted[i] ?? -1, inserted[i] ?? -1]);
    }
    for (const beforeIndex of deleted.slice(pairs)) {
      structure.remove(beforeIndex);
    }
    for (const afterIndex of inserted.slice(pairs)) {
      structure.insert(afterIndex, b[afterIndex] ?? null);
    }
    deleted = [];
    inserted = [];
  };
  for (const run of runs) {
    if (run.kind === 'equal') {
      flush();
    } else {
      const into = run.kind === 'delete' ? deleted : inserted;
      const first = start + (run.kind === 'delete' ? run.aStart : run.bStart);
      for (let i = 0; i < run.length; i += 1) {
        into.push(first + i);
      }
    }
  }
  flush();
  const nested = new NestedBuilder();
  structure.writeTo(nested);
  for (const [beforeIndex, afterIndex] of paired) {
    path.push(afterIndex);
    const diffed = diffValue(context, a[beforeIndex] ?? null, b[afterIndex] ?? null, path);
    path.pop();
    if (diffed !== undefined) {
      nested.setDiffed(String(afterIndex), diffed);
    }
  }
  return nested.done();
}

// ---------------------------------------------------------------------------------------------
// Applying

/** Why a compact patch could not be applied; stable, callers and tests key on it. */
export type CompactPatchErrorCode =
  /** Not a change of the grammar in the module comment (or the wrong kind for the value). */
  | 'invalid_change'
  /** A member to remove or change that does not exist. */
  | 'member_not_found'
  /** An array index that is not an integer in range for the step that uses it. */
  | 'index_out_of_bounds';

/** Thrown by {@link applyCompactPatch}, with the location (an RFC 6901 pointer) that failed. */
export class CompactPatchError extends Error {
  override readonly name = 'CompactPatchError';
  readonly code: CompactPatchErrorCode;
  readonly pointer: string;

  constructor(code: CompactPatchErrorCode, pointer: string, message: string) {
    super(`${JSON.stringify(pointer)}: ${message}`);
    this.code = code;
    this.pointer = pointer;
  }
}

/**
 * `document` with `patch` applied (see the module comment). Patches arrive as JSON, so every
 * change is checked at run time; a failing patch throws a {@link CompactPatchError} and has no
 * effect.
 */
export function applyCompactPatch(document: JsonValue, patch: CompactPatch): JsonValue {
  return applyChange(document, patch, '');
}

function applyChange(value: JsonValue, change: unknown, pointer: string): JsonValue {
  if (Array.isArray(change)) {
    if (change.length === 1) {
      return readValue(change[0], pointer);
    }
    if (change.length === 3 && typeof value === 'string') {
      return applyTextEdit(value, change, pointer);
    }
    throw new CompactPatchError(
      'invalid_change',
      pointer,
      typeof value === 'string'
        ? 'an array change is [value] or [keep, deleted, inserted]'
        : 'an array change of a value that is not a string is [value]',
    );
  }
  if (!isJsonObject(change)) {
    throw new CompactPatchError('invalid_change', pointer, 'a change is an array or an object');
  }
  const members = Object.keys(change);
  if (members.length === 0) {
    return value;
  }
  if (Array.isArray(value)) {
    return applyArrayChanges(value, change, pointer);
  }
  if (isJsonObject(value)) {
    return applyObjectChanges(value, change, members, pointer);
  }
  throw new CompactPatchError(
    'invalid_change',
    pointer,
    `changes inside a ${value === null ? 'null' : typeof value}, which has no members`,
  );
}

function readValue(value: unknown, pointer: string): JsonValue {
  if (value === undefined) {
    throw new CompactPatchError('invalid_change', pointer, 'a replacement needs a value');
  }
  // Parsed JSON holds nothing but JSON values.
  return value as JsonValue;
}

function applyTextEdit(text: string, edit: readonly unknown[], pointer: string): string {
  const [keep, deleted, inserted] = edit;
  if (
    !isCount(keep) ||
    !isCount(deleted) ||
    typeof inserted !== 'string' ||
    keep + deleted > text.length
  ) {
    throw new CompactPatchError(
      'invalid_change',
      pointer,
      `a text edit of a string of ${text.length} code units is [keep, deleted, inserted] within it`,
    );
  }
  return text.slice(0, keep) + inserted + text.slice(keep + deleted);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function childPointer(pointer: string, member: string): string {
  return `${pointer}/${member.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function applyObjectChanges(
  object: JsonObject,
  changes: JsonObject,
  members: readonly string[],
  pointer: string,
): JsonObject {
  // Spread copies a `__proto__` member as an own property, as JSON.parse created it.
  const result: JsonObject = { ...object };
  for (const member of members) {
    const change = changes[member];
    const at = childPointer(pointer, member);
    const exists = Object.hasOwn(result, member);
    if (change === REMOVE_MEMBER) {
      if (!exists) {
        throw new CompactPatchError('member_not_found', at, 'no such member to remove');
      }
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a JSON member by name
      delete result[member];
    } else if (Array.isArray(change) && change.length === 1) {
      setMember(result, member, readValue(change[0], at));
    } else if (!exists) {
      throw new CompactPatchError('member_not_found', at, 'no such member to change');
    } else {
      setMember(result, member, applyChange(result[member] ?? null, change, at));
    }
  }
  return result;
}

function applyArrayChanges(array: readonly JsonValue[], changes: JsonObject, pointer: string) {
  const result = array.slice();
  const outOfBounds = (message: string): never => {
    throw new CompactPatchError('index_out_of_bounds', pointer, message);
  };
  const removed = integerList(changes[REMOVED], pointer, REMOVED);
  for (let i = removed.length - 1; i >= 0; i -= 1) {
    const index = removed[i] ?? -1;
    const next = removed[i + 1];
    if (index < 0 || index >= result.length || (next !== undefined && next <= index)) {
      outOfBounds(`"-" lists ascending indices of the array, got ${index}`);
    }
    result.splice(index, 1);
  }
  const moved = integerList(changes[MOVED], pointer, MOVED);
  if (moved.length % 2 !== 0) {
    throw new CompactPatchError('invalid_change', pointer, '"m" lists pairs [from, to, …]');
  }
  for (let i = 0; i < moved.length; i += 2) {
    const from = moved[i] ?? -1;
    const to = moved[i + 1] ?? -1;
    if (from < 0 || from >= result.length || to < 0 || to >= result.length) {
      outOfBounds(`move from ${from} to ${to} in an array of ${result.length}`);
    }
    result.splice(to, 0, ...result.splice(from, 1));
  }
  const inserted = changes[INSERTED] ?? [];
  if (!Array.isArray(inserted) || inserted.length % 2 !== 0) {
    throw new CompactPatchError('invalid_change', pointer, '"+" lists pairs [index, value, …]');
  }
  for (let i = 0; i < inserted.length; i += 2) {
    const index = inserted[i];
    if (!isCount(index) || index > result.length) {
      throw new CompactPatchError(
        'index_out_of_bounds',
        pointer,
        `insertion at ${JSON.stringify(index)} in an array of ${result.length}`,
      );
    }
    result.splice(index, 0, readValue(inserted[i + 1], pointer));
  }
  for (const member of Object.keys(changes)) {
    if (member === REMOVED || member === MOVED || member === INSERTED) {
      continue;
    }
    const at = childPointer(pointer, member);
    if (!isArrayIndexToken(member)) {
      throw new CompactPatchError('invalid_change', at, 'an array has no such member');
    }
    const index = Number(member);
    if (index >= result.length) {
      outOfBounds(`index ${member} past the end of an array of ${result.length}`);
    }
    result[index] = applyChange(result[index] ?? null, changes[member], at);
  }
  return result;
}

function integerList(value: JsonValue | undefined, pointer: string, member: string): number[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || !value.every((item) => Number.isInteger(item))) {
    throw new CompactPatchError('invalid_change', pointer, `"${member}" lists integers`);
  }
  return value as number[];
}
