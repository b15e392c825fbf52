/**
 * Three-way merge of JSON documents: two edits of the same base (a draft edited on two devices,
 * or offline on one while a collaborator saved on the server) become one document and a list of
 * the fields both changed differently. Nothing is overwritten silently: a field changed on one
 * side only takes that side's value; a field changed on both sides to different values is a
 * conflict, which keeps `mine` in the merged document until someone picks.
 *
 * Objects merge member by member. Arrays whose items all carry a unique string `id` (packages,
 * timeline steps, success cases) merge item by item: an item added on either side is kept, an
 * item removed on one side and untouched on the other is removed, an item removed on one side
 * and edited on the other is a conflict. The order is the side's that reordered (mine when
 * both did). Other arrays and scalars (strings included: a rich-text field is one value to the
 * people who wrote it) are whole values.
 */
import { uniqueKeys, idKey } from './diff';
import { deepEqual, isJsonObject, type JsonObject, type JsonValue } from './patch';
import { formatPointer, parsePointer, type PointerSegment } from './pointer';

export interface MergeConflict {
  /** RFC 6901 pointer into the merged document (an item of a keyed array by its merged index). */
  readonly path: string;
  /** `undefined`: the member did not exist on that side (added or removed). */
  readonly base: JsonValue | undefined;
  readonly mine: JsonValue | undefined;
  readonly theirs: JsonValue | undefined;
}

export interface MergeResult {
  /** The merge, holding `mine` at each conflict. */
  readonly merged: JsonValue;
  readonly conflicts: readonly MergeConflict[];
}

type Maybe = JsonValue | undefined;

const same = (a: Maybe, b: Maybe) =>
  a === undefined || b === undefined ? a === b : deepEqual(a, b);

/** Merges `mine` and `theirs`, both edits of `base`. */
export function mergeJson(base: JsonValue, mine: JsonValue, theirs: JsonValue): MergeResult {
  const conflicts: MergeConflict[] = [];
  const merged = mergeValue(base, mine, theirs, [], conflicts);
  // Both sides exist at the top, so the merge does too (`null` is a value, not an absence).
  return { merged: merged === undefined ? mine : merged, conflicts };
}

function mergeValue(
  base: Maybe,
  mine: Maybe,
  theirs: Maybe,
  path: PointerSegment[],
  conflicts: MergeConflict[],
): Maybe {
  if (same(mine, theirs)) {
    return mine;
  }
  if (same(base, mine)) {
    return theirs;
  }
  if (same(base, theirs)) {
    return mine;
  }
  if (isJsonObject(mine) && isJsonObject(theirs) && (base === undefined || isJsonObject(base))) {
    return mergeObjects(base ?? {}, mine, theirs, path, conflicts);
  }
  if (Array.isArray(mine) && Array.isArray(theirs) && (base === undefined || Array.isArray(base))) {
    const keyed = mergeKeyedArrays(base ?? [], mine, theirs, path, conflicts);
    if (keyed !== undefined) {
      return keyed;
    }
  }
  conflicts.push({ path: formatPointer(path), base, mine, theirs });
  return mine;
}

function mergeObjects(
  base: JsonObject,
  mine: JsonObject,
  theirs: JsonObject,
  path: PointerSegment[],
  conflicts: MergeConflict[],
): JsonObject {
  const result: JsonObject = {};
  // Mine's member order first, then members only theirs has.
  const keys = [
    ...Object.keys(mine),
    ...Object.keys(theirs).filter((key) => !Object.hasOwn(mine, key)),
  ];
  const member = (object: JsonObject, key: string) =>
    Object.hasOwn(object, key) ? object[key] : undefined;
  for (const key of keys) {
    const value = mergeValue(
      member(base, key),
      member(mine, key),
      member(theirs, key),
      [...path, key],
      conflicts,
    );
    if (value !== undefined) {
      // defineProperty, not assignment: a member named `__proto__` (JSON allows it) stays data.
      Object.defineProperty(result, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return result;
}

/** Item-by-item merge of `id`-keyed arrays; undefined when an array is not keyed. */
function mergeKeyedArrays(
  base: readonly JsonValue[],
  mine: readonly JsonValue[],
  theirs: readonly JsonValue[],
  path: PointerSegment[],
  conflicts: MergeConflict[],
): JsonValue[] | undefined {
  const baseKeys = uniqueKeys(base, idKey);
  const mineKeys = uniqueKeys(mine, idKey);
  const theirKeys = uniqueKeys(theirs, idKey);
  if (baseKeys === undefined || mineKeys === undefined || theirKeys === undefined) {
    return undefined;
  }
  const byKey = (items: readonly JsonValue[], keys: readonly string[]) =>
    new Map(keys.map((key, index) => [key, items[index]]));
  const baseItems = byKey(base, baseKeys);
  const mineItems = byKey(mine, mineKeys);
  const theirItems = byKey(theirs, theirKeys);

  // The order of whoever reordered the items both still have; mine when both did.
  const inAll = (keys: readonly string[]) =>
    keys.filter((key) => baseItems.has(key) && mineItems.has(key) && theirItems.has(key));
  const theyReordered =
    !deepEqual(inAll(theirKeys), inAll(baseKeys)) && deepEqual(inAll(mineKeys), inAll(baseKeys));
  const primary = theyReordered ? theirKeys : mineKeys;
  const secondary = theyReordered ? mineKeys : theirKeys;
  const order = [...primary];
  // Items only the other side has go after their predecessor there (or first).
  for (const [index, key] of secondary.entries()) {
    if (order.includes(key)) {
      continue;
    }
    const before = secondary
      .slice(0, index)
      .reverse()
      .find((other) => order.includes(other));
    order.splice(before === undefined ? 0 : order.indexOf(before) + 1, 0, key);
  }

  const result: JsonValue[] = [];
  for (const key of order) {
    const value = mergeValue(
      baseItems.get(key),
      mineItems.get(key),
      theirItems.get(key),
      [...path, result.length],
      conflicts,
    );
    if (value !== undefined) {
      result.push(value);
    }
  }
  return result;
}

/**
 * The merged document with `choice` taken at the conflict at `path` (`theirs`: the other
 * device's or the server's value; removing the member when that side removed it).
 */
export function resolveConflict(
  merged: JsonValue,
  conflict: MergeConflict,
  choice: 'mine' | 'theirs',
): JsonValue {
  const value = choice === 'mine' ? conflict.mine : conflict.theirs;
  if (choice === 'mine') {
    return merged; // the merge already holds mine at every conflict
  }
  // Mine absent at the path (I removed the item): their item goes back in at that place.
  return replaceAt(merged, parsePointer(conflict.path), value, conflict.mine === undefined);
}

function replaceAt(
  node: JsonValue,
  tokens: readonly string[],
  value: Maybe,
  insert: boolean,
): JsonValue {
  const [head, ...rest] = tokens;
  if (head === undefined) {
    return value ?? node;
  }
  if (Array.isArray(node)) {
    const index = Number(head);
    const copy = [...node];
    if (rest.length > 0) {
      copy[index] = replaceAt(node[index] ?? null, rest, value, insert);
    } else if (value === undefined) {
      copy.splice(index, 1);
    } else {
      copy.splice(index, insert ? 0 : 1, value);
    }
    return copy;
  }
  if (isJsonObject(node)) {
    if (rest.length === 0 && value === undefined) {
      return Object.fromEntries(Object.entries(node).filter(([key]) => key !== head));
    }
    const copy: JsonObject = { ...node };
    const next = replaceAt(
      Object.hasOwn(node, head) ? (node[head] ?? {}) : {},
      rest,
      value,
      insert,
    );
    Object.defineProperty(copy, head, {
      value: next,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return copy;
  }
  return node;
}
