import { deepEqual, isJsonObject, type JsonValue, type Operation } from './patch';
import { escapeToken, formatPointer, type PointerSegment } from './pointer';

/**
 * The generic structural diff: any two JSON values in, an RFC 6902 patch out, such that
 * `applyPatch(a, diffJson(a, b))` deep-equals `b`.
 *
 * - Objects are compared member by member.
 * - Arrays whose items carry a stable key (by default: every item an object with a string `id`,
 *   unique on each side) are matched by key: reordered items become `move`s — only the items off
 *   the longest run that kept its order move, so reordering N items costs at most N moves and
 *   never a remove/add pair — and matched items are diffed in place at their new index.
 * - Other arrays are aligned by Myers' O(ND) diff on deep equality; a deleted element facing an
 *   inserted one becomes one `replace` (or a nested diff when both are objects or both arrays).
 * - A container whose nested patch would be larger than replacing it whole is replaced whole,
 *   unless its patch keeps keyed items' identity (a `move`), which a replace would lose.
 */

/** Picks the key of an array item, or `undefined` when the item has none. */
export type ArrayItemKey = (item: JsonValue) => string | undefined;

/** How {@link diffJson} matches array items. */
export interface DiffOptions {
  /**
   * The key function for the array at `path` (object keys and array indices of the *after*
   * document), or `undefined` for the default. The key is used only when every item on both
   * sides has one and keys are unique on each side; otherwise the array is aligned by value.
   */
  readonly arrayKey?: (path: readonly PointerSegment[]) => ArrayItemKey | undefined;
  /** Match arrays of objects with unique string `id`s by id when no key is given (default on). */
  readonly matchById?: boolean;
  /**
   * Largest edit distance the value alignment of one array explores (default
   * {@link DEFAULT_MAX_EDIT_DISTANCE}); beyond it the array is replaced whole, which keeps the
   * cost at O((N + M) · limit) time and O(limit²) memory.
   */
  readonly maxEditDistance?: number;
  /**
   * Replace a container whole when that is smaller than its nested patch (default on). Off, the
   * patch names every changed leaf: what a change list for people wants.
   */
  readonly minimize?: boolean;
}

/** Default bound of the array alignment (see {@link DiffOptions.maxEditDistance}). */
export const DEFAULT_MAX_EDIT_DISTANCE = 2000;

/** The `id` key function: a string `id` member of an object item. */
export const idKey: ArrayItemKey = (item) => {
  if (isJsonObject(item)) {
    const id = item['id'];
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
};

/** The value key function for lists of distinct strings (tags): the string itself. */
export const stringValueKey: ArrayItemKey = (item) => (typeof item === 'string' ? item : undefined);

/** The patch turning `a` into `b`; see the module comment for how arrays are matched. */
export function diffJson(a: JsonValue, b: JsonValue, options: DiffOptions = {}): Operation[] {
  const context: DiffContext = {
    arrayKey: options.arrayKey,
    matchById: options.matchById ?? true,
    maxEditDistance: options.maxEditDistance ?? DEFAULT_MAX_EDIT_DISTANCE,
    minimize: options.minimize ?? true,
    sizes: new WeakMap(),
  };
  return diffValue(context, a, b, []).ops;
}

// ---------------------------------------------------------------------------------------------
// Sequence alignment (Myers)

/** A run of one kind in an edit script: `length` items from `aStart` in a and/or `bStart` in b. */
export interface EditRun {
  readonly kind: 'equal' | 'delete' | 'insert';
  /** First item of a the run covers (`equal`, `delete`), or where an insertion falls. */
  readonly aStart: number;
  /** First item of b the run covers (`equal`, `insert`), or where a deletion falls. */
  readonly bStart: number;
  readonly length: number;
}

/**
 * A shortest edit script turning a sequence of `n` items into one of `m` items (Myers 1986),
 * `equals(i, j)` comparing a's item i with b's item j, as runs in order. Returns `undefined` when
 * more than `maxEditDistance` insertions and deletions would be needed: the search costs
 * O((n + m) · D) time and O(D²) memory, so callers bound D and fall back to something coarser.
 * A common prefix and suffix are stripped first and never count towards the bound.
 */
export function diffSequences(
  n: number,
  m: number,
  equals: (i: number, j: number) => boolean,
  maxEditDistance: number = DEFAULT_MAX_EDIT_DISTANCE,
): EditRun[] | undefined {
  let prefix = 0;
  while (prefix < n && prefix < m && equals(prefix, prefix)) {
    prefix += 1;
  }
  let endA = n;
  let endB = m;
  while (endA > prefix && endB > prefix && equals(endA - 1, endB - 1)) {
    endA -= 1;
    endB -= 1;
  }
  const middle = alignMiddle(prefix, endA - prefix, endB - prefix, equals, maxEditDistance);
  if (middle === undefined) {
    return undefined;
  }
  const runs: EditRun[] = [];
  push(runs, 'equal', 0, 0, prefix);
  for (const run of middle) {
    push(runs, run.kind, run.aStart, run.bStart, run.length);
  }
  push(runs, 'equal', endA, endB, n - endA);
  return runs;
}

function push(
  runs: EditRun[],
  kind: EditRun['kind'],
  aStart: number,
  bStart: number,
  length: number,
): void {
  if (length === 0) {
    return;
  }
  const last = runs.at(-1);
  if (last?.kind === kind) {
    runs[runs.length - 1] = { ...last, length: last.length + length };
  } else {
    runs.push({ kind, aStart, bStart, length });
  }
}

/** Myers' greedy forward search on a[offset, offset+n) and b[offset, offset+m), with a trace. */
function alignMiddle(
  offset: number,
  n: number,
  m: number,
  equals: (i: number, j: number) => boolean,
  maxEditDistance: number,
): EditRun[] | undefined {
  if (n === 0 || m === 0) {
    // Only insertions or only deletions: nothing to search, whatever the distance.
    const runs: EditRun[] = [];
    push(runs, 'delete', offset, offset, n);
    push(runs, 'insert', offset, offset, m);
    return runs;
  }
  const max = n + m;
  const limit = Math.min(max, maxEditDistance);
  const center = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[-d..d] after step d: what backtracking needs, in O(D²) memory overall.
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d += 1) {
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[center + k - 1] ?? 0) < (v[center + k + 1] ?? 0));
      let x = down ? (v[center + k + 1] ?? 0) : (v[center + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && equals(offset + x, offset + y)) {
        x += 1;
        y += 1;
      }
      v[center + k] = x;
      if (x >= n && y >= m) {
        return backtrack(trace, d, n, m, offset);
      }
    }
    trace.push(v.slice(center - d, center + d + 1));
  }
  return undefined;
}

function backtrack(
  trace: readonly Int32Array[],
  distance: number,
  n: number,
  m: number,
  offset: number,
): EditRun[] {
  const reversed: { kind: EditRun['kind']; x: number; y: number; length: number }[] = [];
  let x = n;
  let y = m;
  for (let d = distance; d > 0; d -= 1) {
    const previous = trace[d - 1];
    if (previous === undefined) {
      throw new RangeError(`diffSequences: no trace for step ${d - 1}`);
    }
    // previous[i] is v[i - (d - 1)].
    const at = (k: number): number => previous[k + d - 1] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    const startX = down ? previousX : previousX + 1;
    const startY = startX - k;
    if (x > startX) {
      reversed.push({ kind: 'equal', x: startX, y: startY, length: x - startX });
    }
    reversed.push(
      down
        ? { kind: 'insert', x: previousX, y: previousY, length: 1 }
        : { kind: 'delete', x: previousX, y: previousY, length: 1 },
    );
    x = previousX;
    y = previousY;
  }
  if (x > 0) {
    reversed.push({ kind: 'equal', x: 0, y: 0, length: x });
  }
  const runs: EditRun[] = [];
  for (const step of reversed.reverse()) {
    push(runs, step.kind, offset + step.x, offset + step.y, step.length);
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Keyed arrays

/** One structural step of a keyed array's patch, in patch order, with patch-time indices. */
export type KeyedStep =
  | { readonly kind: 'remove'; readonly index: number; readonly beforeIndex: number }
  | {
      readonly kind: 'move';
      readonly from: number;
      readonly to: number;
      readonly beforeIndex: number;
      readonly afterIndex: number;
    }
  | { readonly kind: 'add'; readonly index: number };

/** How two keyed arrays relate: which items went, came, stayed and moved. */
export interface KeyedArrayPlan {
  /** Indices in the before array of items whose key is gone, ascending. */
  readonly removed: readonly number[];
  /** Indices in the after array of items with a new key, ascending. */
  readonly added: readonly number[];
  /** Items present on both sides, in after order. */
  readonly matched: readonly {
    readonly key: string;
    readonly beforeIndex: number;
    readonly afterIndex: number;
  }[];
  /** The steps that turn the before array into the after array's order: removals (from the end),
   * moves, then additions (ascending). Applied in order they leave every item at its after index. */
  readonly steps: readonly KeyedStep[];
}

/**
 * Plans the structural half of a keyed array's patch. Keys must be unique on each side.
 * Matched items on a longest subsequence that kept its relative order stay put; each other
 * matched item is moved, in after order, to just behind its after-order predecessor — which
 * leaves all of them in after order (each move keeps the items placed so far in order) with
 * one move per item off that subsequence, the fewest possible.
 */
export function planKeyedArray(
  beforeKeys: readonly string[],
  afterKeys: readonly string[],
): KeyedArrayPlan {
  // Most revisions keep a list's items and their order: nothing to plan, and no maps to build.
  if (
    beforeKeys.length === afterKeys.length &&
    beforeKeys.every((key, index) => key === afterKeys[index])
  ) {
    const matched = afterKeys.map((key, index) => ({ key, beforeIndex: index, afterIndex: index }));
    return { removed: [], added: [], matched, steps: [] };
  }
  const afterIndexOf = new Map<string, number>();
  afterKeys.forEach((key, index) => afterIndexOf.set(key, index));
  const beforeIndexOf = new Map<string, number>();
  beforeKeys.forEach((key, index) => beforeIndexOf.set(key, index));

  const steps: KeyedStep[] = [];
  const removed: number[] = [];
  beforeKeys.forEach((key, index) => {
    if (!afterIndexOf.has(key)) {
      removed.push(index);
    }
  });
  for (const index of [...removed].reverse()) {
    steps.push({ kind: 'remove', index, beforeIndex: index });
  }

  // The kept items in before order, and where each one must end up.
  const matched = afterKeys.flatMap((key, afterIndex) => {
    const beforeIndex = beforeIndexOf.get(key);
    return beforeIndex === undefined ? [] : [{ key, beforeIndex, afterIndex }];
  });
  // The kept items in before order; their after indices, for the longest run in order.
  const working = [...matched].sort((p, q) => p.beforeIndex - q.beforeIndex);
  const stays = new Set(longestIncreasingRun(working.map((item) => item.afterIndex)));
  let predecessor: (typeof matched)[number] | undefined;
  for (const item of matched) {
    if (!stays.has(item.afterIndex)) {
      const from = working.indexOf(item);
      working.splice(from, 1);
      const to = predecessor === undefined ? 0 : working.indexOf(predecessor) + 1;
      working.splice(to, 0, item);
      if (from !== to) {
        steps.push({
          kind: 'move',
          from,
          to,
          beforeIndex: item.beforeIndex,
          afterIndex: item.afterIndex,
        });
      }
    }
    predecessor = item;
  }

  const added: number[] = [];
  afterKeys.forEach((key, index) => {
    if (!beforeIndexOf.has(key)) {
      added.push(index);
      steps.push({ kind: 'add', index });
    }
  });
  return { removed, added, matched, steps };
}

/** The values of one longest strictly increasing subsequence (patience sorting, O(n log n)). */
function longestIncreasingRun(values: readonly number[]): number[] {
  const tails: number[] = [];
  const tailIndex: number[] = [];
  const previous = new Int32Array(values.length).fill(-1);
  values.forEach((value, index) => {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((tails[mid] ?? Infinity) < value) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    if (low > 0) {
      previous[index] = tailIndex[low - 1] ?? -1;
    }
    tails[low] = value;
    tailIndex[low] = index;
  });
  const run: number[] = [];
  let index = tailIndex.at(-1) ?? -1;
  while (index >= 0) {
    run.push(values[index] ?? -1);
    index = previous[index] ?? -1;
  }
  return run.reverse();
}

/**
 * The keys of `items` by `key`, or `undefined` when an item has none or two items share one:
 * such an array cannot be matched by key.
 */
export function uniqueKeys(items: readonly JsonValue[], key: ArrayItemKey): string[] | undefined {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const itemKey = key(item);
    if (itemKey === undefined || seen.has(itemKey)) {
      return undefined;
    }
    seen.add(itemKey);
    keys.push(itemKey);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// The recursive diff

interface DiffContext {
  readonly arrayKey: DiffOptions['arrayKey'];
  readonly matchById: boolean;
  readonly maxEditDistance: number;
  readonly minimize: boolean;
  /** Serialised size of operations already measured (an operation is measured at each level). */
  readonly sizes: WeakMap<Operation, number>;
}

interface Diffed {
  readonly ops: Operation[];
  /** The ops keep keyed items' identity (they contain a move), so they must not be collapsed. */
  readonly keyed: boolean;
}

const NONE: Diffed = { ops: [], keyed: false };

/**
 * Pointers are built only for the operations a diff emits, never for the (many more) values it
 * visits unchanged: a lazily formatted pointer of the container, plus one token per child.
 */
class Here {
  private text: string | undefined;

  constructor(private readonly path: readonly PointerSegment[]) {}

  get pointer(): string {
    this.text ??= formatPointer(this.path);
    return this.text;
  }

  child(segment: PointerSegment): string {
    return `${this.pointer}/${typeof segment === 'number' ? String(segment) : escapeToken(segment)}`;
  }
}

function isContainer(value: JsonValue): boolean {
  return typeof value === 'object' && value !== null;
}

function diffValue(
  context: DiffContext,
  a: JsonValue,
  b: JsonValue,
  path: PointerSegment[],
): Diffed {
  if (a === b) {
    return NONE;
  }
  let nested: Diffed;
  if (Array.isArray(a) && Array.isArray(b)) {
    nested = diffArrays(context, a, b, path);
  } else if (isJsonObject(a) && isJsonObject(b)) {
    nested = diffObjects(context, a, b, path);
  } else {
    // Scalars of equal value (and -0 against 0, which JSON cannot tell apart) need no patch.
    return (!isContainer(a) && a === b) || deepEqual(a, b)
      ? NONE
      : { ops: [{ op: 'replace', path: formatPointer(path), value: b }], keyed: false };
  }
  if (!context.minimize || nested.keyed || nested.ops.length <= 1) {
    // One nested operation is never larger than replacing the container that holds it.
    return nested;
  }
  const pointer = formatPointer(path);
  const nestedSize = sizeOfAll(context, nested.ops);
  // The value is measured only as far as it could still win, so a large container is not
  // serialised again at every level above a change.
  const overhead = REPLACE_OVERHEAD + JSON.stringify(pointer).length;
  return overhead + jsonLengthWithin(b, nestedSize - overhead) < nestedSize
    ? { ops: [{ op: 'replace', path: pointer, value: b }], keyed: false }
    : nested;
}

/** Serialised size of a replace operation and its comma in a patch, less its pointer and value. */
const REPLACE_OVERHEAD = JSON.stringify({ op: 'replace', path: '', value: 0 }).length + 1 - 3;

/**
 * The length of `JSON.stringify(value)`, or `Infinity` as soon as it is known to exceed `limit`.
 */
export function jsonLengthWithin(value: JsonValue, limit: number): number {
  const total = lengthFrom(value, 0, limit);
  return total <= limit ? total : Infinity;
}

/**
 * `total` plus the serialised length of `node`, or `Infinity` once past `limit`. A plain
 * recursive function, not a closure: this runs for every change a diff measures.
 */
function lengthFrom(node: JsonValue, total: number, limit: number): number {
  let sum = total;
  if (Array.isArray(node)) {
    sum += node.length === 0 ? 2 : 1 + node.length;
    for (const item of node) {
      if (sum > limit) {
        return Infinity;
      }
      sum = lengthFrom(item, sum, limit);
    }
  } else if (isJsonObject(node)) {
    const keys = Object.keys(node);
    sum += keys.length === 0 ? 2 : 1 + keys.length;
    for (const key of keys) {
      sum += JSON.stringify(key).length + 1;
      if (sum > limit) {
        return Infinity;
      }
      sum = lengthFrom(node[key] ?? null, sum, limit);
    }
  } else {
    sum += JSON.stringify(node).length;
  }
  return sum;
}

function sizeOf(context: DiffContext, operation: Operation): number {
  let size = context.sizes.get(operation);
  if (size === undefined) {
    size = JSON.stringify(operation).length + 1;
    context.sizes.set(operation, size);
  }
  return size;
}

function sizeOfAll(context: DiffContext, operations: readonly Operation[]): number {
  let total = 0;
  for (const operation of operations) {
    total += sizeOf(context, operation);
  }
  return total;
}

/** Appends the nested result of a child to the container's result. */
function absorb(ops: Operation[], nested: Diffed): boolean {
  for (const operation of nested.ops) {
    // `push(...items)` overflows the call stack for very long arrays; this does not.
    ops.push(operation);
  }
  return nested.keyed;
}

function diffObjects(
  context: DiffContext,
  a: Readonly<Record<string, JsonValue>>,
  b: Readonly<Record<string, JsonValue>>,
  path: PointerSegment[],
): Diffed {
  const here = new Here(path);
  const ops: Operation[] = [];
  let keyed = false;
  for (const key of Object.keys(a)) {
    if (!Object.hasOwn(b, key)) {
      ops.push({ op: 'remove', path: here.child(key) });
      continue;
    }
    path.push(key);
    keyed = absorb(ops, diffValue(context, a[key] ?? null, b[key] ?? null, path)) || keyed;
    path.pop();
  }
  for (const key of Object.keys(b)) {
    if (!Object.hasOwn(a, key)) {
      ops.push({ op: 'add', path: here.child(key), value: b[key] ?? null });
    }
  }
  return ops.length === 0 ? NONE : { ops, keyed };
}

/**
 * The keys of both sides of an array when it can be matched by key (see {@link DiffOptions}),
 * else `undefined`.
 */
export function keyFunctionFor(
  context: { readonly arrayKey: DiffOptions['arrayKey']; readonly matchById: boolean },
  a: readonly JsonValue[],
  b: readonly JsonValue[],
  path: readonly PointerSegment[],
): { keysA: string[]; keysB: string[] } | undefined {
  const candidates: ArrayItemKey[] = [];
  const given = context.arrayKey?.(path);
  if (given !== undefined) {
    candidates.push(given);
  }
  if (context.matchById) {
    candidates.push(idKey);
  }
  for (const key of candidates) {
    const keysA = uniqueKeys(a, key);
    const keysB = keysA === undefined ? undefined : uniqueKeys(b, key);
    if (keysA !== undefined && keysB !== undefined) {
      return { keysA, keysB };
    }
  }
  return undefined;
}

function diffArrays(
  context: DiffContext,
  a: readonly JsonValue[],
  b: readonly JsonValue[],
  path: PointerSegment[],
): Diffed {
  const keys = keyFunctionFor(context, a, b, path);
  if (keys !== undefined && (a.length > 0 || b.length > 0)) {
    return diffKeyedArrays(context, a, b, keys.keysA, keys.keysB, path);
  }
  return diffArraysByValue(context, a, b, path);
}

function diffKeyedArrays(
  context: DiffContext,
  a: readonly JsonValue[],
  b: readonly JsonValue[],
  keysA: readonly string[],
  keysB: readonly string[],
  path: PointerSegment[],
): Diffed {
  const here = new Here(path);
  const plan = planKeyedArray(keysA, keysB);
  const ops: Operation[] = [];
  let keyed = false;
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'remove':
        ops.push({ op: 'remove', path: here.child(step.index) });
        break;
      case 'move':
        keyed = true;
        ops.push({ op: 'move', from: here.child(step.from), path: here.child(step.to) });
        break;
      case 'add':
        ops.push({ op: 'add', path: here.child(step.index), value: b[step.index] ?? null });
        break;
    }
  }
  // After the structural steps every matched item sits at its after index.
  for (const { beforeIndex, afterIndex } of plan.matched) {
    path.push(afterIndex);
    keyed =
      absorb(ops, diffValue(context, a[beforeIndex] ?? null, b[afterIndex] ?? null, path)) || keyed;
    path.pop();
  }
  return ops.length === 0 ? NONE : { ops, keyed };
}

/** Equality classes seen so far: containers by canonical JSON, scalars by value. */
export interface EqualityClasses {
  readonly containers: Map<string, number>;
  /** Map keys compare by SameValueZero: `1` and `"1"` differ, `0` and `-0` do not, as in JSON. */
  readonly scalars: Map<JsonValue, number>;
}

/** No classes yet: shared by both sides of one alignment. */
export function newEqualityClasses(): EqualityClasses {
  return { containers: new Map(), scalars: new Map() };
}

/**
 * Equality classes of items, so the alignment compares small integers: items are deep-equal
 * exactly when they get the same class. Scalars are their own key, so long strings are not
 * serialised again; containers are keyed by their canonical serialisation (members sorted).
 */
export function classify(items: readonly JsonValue[], classes: EqualityClasses): Int32Array {
  const result = new Int32Array(items.length);
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index] ?? null;
    const container = typeof item === 'object' && item !== null;
    const map: Map<JsonValue, number> = container ? classes.containers : classes.scalars;
    const key = container ? canonicalJson(item) : item;
    let id = map.get(key);
    if (id === undefined) {
      id = classes.containers.size + classes.scalars.size;
      map.set(key, id);
    }
    result[index] = id;
  }
  return result;
}

/** JSON with object members in sorted order: equal text exactly for deep-equal values. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (isJsonObject(value)) {
    const members = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] ?? null)}`);
    return `{${members.join(',')}}`;
  }
  // -0 serialises as 0, as deepEqual treats them.
  return JSON.stringify(value);
}

function diffArraysByValue(
  context: DiffContext,
  a: readonly JsonValue[],
  b: readonly JsonValue[],
  path: PointerSegment[],
): Diffed {
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
    return NONE;
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
    return {
      ops: [{ op: 'replace', path: formatPointer(path), value: b as JsonValue[] }],
      keyed: false,
    };
  }
  const here = new Here(path);
  const ops: Operation[] = [];
  let keyed = false;
  // The index in the array as the patch has changed it so far.
  let position = start;
  // A hunk: the deletions and insertions between two equal runs (indices into the middles).
  let deleted: number[] = [];
  let inserted: number[] = [];
  const flush = (): void => {
    const paired = Math.min(deleted.length, inserted.length);
    for (let i = 0; i < paired; i += 1) {
      path.push(position);
      const nested = diffValue(
        context,
        middleA[deleted[i] ?? -1] ?? null,
        middleB[inserted[i] ?? -1] ?? null,
        path,
      );
      path.pop();
      keyed = absorb(ops, nested) || keyed;
      position += 1;
    }
    for (let i = paired; i < deleted.length; i += 1) {
      ops.push({ op: 'remove', path: here.child(position) });
    }
    for (const bIndex of inserted.slice(paired)) {
      ops.push({ op: 'add', path: here.child(position), value: middleB[bIndex] ?? null });
      position += 1;
    }
    deleted = [];
    inserted = [];
  };
  for (const run of runs) {
    if (run.kind === 'equal') {
      flush();
      position += run.length;
    } else {
      const into = run.kind === 'delete' ? deleted : inserted;
      const first = run.kind === 'delete' ? run.aStart : run.bStart;
      for (let i = 0; i < run.length; i += 1) {
        into.push(first + i);
      }
    }
  }
  flush();
  return { ops, keyed };
}
