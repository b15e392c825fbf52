import Dexie, { cmp, type Collection, type IndexableType, type Table } from 'dexie';
import {
  AFTER_ALL,
  itemSearchTokens,
  searchOrderEntry,
  searchOrderPrefix,
} from '#shared/search/queueKeys';
import { queryTokens } from '#shared/search/tokens';
import type { ItemState, ReviewItemRecord } from '#shared/sync/rows';
import type { MirrorRow, ReviewDeskDb, SearchTokenRow } from '../../db/database';
import { searchIndexReady } from '../../db/searchIndex';

/**
 * The queue's query module: filters, search and sort over the mirrored review items, answered
 * by walking IndexedDB indexes in the queue's order and stopping at the first screen, so that
 * 50,000 cached items filter as fast as a few hundred (`npm run bench` measures it).
 *
 * Why this shape (measured in Chromium, 50,000 items): `count()` of one index range is cheap
 * (3 ms for 35,000 entries), but reading keys costs ~10 µs each and rows ~35 µs each, so any
 * plan that reads every candidate's key or row (intersections, `bulkGet`, in-memory sorts) is
 * O(n) on the UI path. Dexie's `anyOf(...).count()` walks a cursor (1.3 s): ranges are counted
 * one by one instead.
 *
 * How a query runs:
 *  1. Plans: sets of disjoint index ranges whose union holds every match, each a filter's
 *     equality prefix followed by a queue order (schema version 4, `queueKeys.ts`):
 *     `[kind+state+createdAt]`, `[kind+state+_dueOrder]`, `[kind+state+_negPriority+createdAt]`
 *     (the sort plan), `[country+kind+state+createdAt]` (a country), `_searchOrder` (a search
 *     token's items per state, oldest first; an index of the `searchTokens` table, whose keys
 *     are item ids, used once it is complete: until then a search walks the sort index and
 *     checks each row's tokens).
 *  2. Every plan's ranges are counted (`count()`, no rows read). A plan that holds exactly the
 *     matches gives the exact total; otherwise the total is what the walk found so far (shown
 *     as "N+") and grows as the list is scrolled.
 *  3. The smallest plan in the queue's order is walked: each range reads rows a chunk at a time
 *     from its start, the ranges are merged in order, every filter is checked on the rows, and
 *     the walk stops once the first screen is known. Items assigned to the user come first
 *     (the `assigneeId` index: few rows).
 *  4. When the ordered plan would read far more rows than a small unordered one holds (a rare
 *     search token sorted by due time), that one is read whole and sorted in memory.
 */

export const STATE_FILTERS = [
  'open',
  'pending',
  'in_review',
  'decided',
  'withdrawn',
  'cancelled',
  'all',
] as const;
/** `open` is waiting + in review (the default); `all` is every state. */
export type StateFilter = (typeof STATE_FILTERS)[number];

export const AGE_FILTERS = ['any', '1d', '3d', '7d'] as const;
/** Waiting for longer than a day, three days, a week (by the item's creation). */
export type AgeFilter = (typeof AGE_FILTERS)[number];

export const DUE_FILTERS = ['any', 'overdue', '24h', '72h'] as const;
/** Past its due time, or due within 24 hours / 3 days (overdue ones included). */
export type DueFilter = (typeof DUE_FILTERS)[number];

export const QUEUE_SORTS = ['oldest', 'priority', 'due'] as const;
/** Oldest first (the default), highest priority first, earliest due first. */
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueFilters {
  readonly state: StateFilter;
  /** A review kind, or null for all the user's kinds. */
  readonly kind: string | null;
  /** ISO country code of a listing item. */
  readonly country: string | null;
  /** A study stage the listing serves. */
  readonly stage: string | null;
  /** Part of the institution's name (Chinese or English, any case). */
  readonly institution: string;
  readonly age: AgeFilter;
  readonly due: DueFilter;
  /** Items whose live claim this user holds. */
  readonly holderId: string | null;
  /** Free text over the listing's and the institution's names (and the country code). */
  readonly query: string;
  readonly sort: QueueSort;
}

export const DEFAULT_FILTERS: QueueFilters = {
  state: 'open',
  kind: null,
  country: null,
  stage: null,
  institution: '',
  age: 'any',
  due: 'any',
  holderId: null,
  query: '',
  sort: 'oldest',
};

/** Filters that narrow the list, besides state and sort (for "clear filters"). */
export function activeFilterCount(filters: QueueFilters): number {
  return [
    filters.kind !== null,
    filters.country !== null,
    filters.stage !== null,
    filters.institution.trim() !== '',
    filters.age !== 'any',
    filters.due !== 'any',
    filters.holderId !== null,
    filters.query.trim() !== '',
  ].filter(Boolean).length;
}

export interface QueryContext {
  /** The signed-in user: their assigned items come first. */
  readonly userId: string;
  /** Server time now (ms), for age, due time and lease expiry. */
  readonly now: number;
}

export const ITEM_STATES: readonly ItemState[] = [
  'pending',
  'in_review',
  'decided',
  'withdrawn',
  'cancelled',
];

export function statesOf(filter: StateFilter): readonly ItemState[] {
  if (filter === 'open') {
    return ['pending', 'in_review'];
  }
  return filter === 'all' ? ITEM_STATES : [filter];
}

const DAY = 86_400_000;
const AGE_MS: Readonly<Record<Exclude<AgeFilter, 'any'>, number>> = {
  '1d': DAY,
  '3d': 3 * DAY,
  '7d': 7 * DAY,
};
const DUE_MS: Readonly<Record<Exclude<DueFilter, 'any' | 'overdue'>, number>> = {
  '24h': DAY,
  '72h': 3 * DAY,
};

type ItemTable = Table<MirrorRow, string>;

/** The tables a query walks: the items, and the search index (its keys are item ids). */
interface QueryTables {
  readonly items: ItemTable;
  readonly searchTokens: Table<SearchTokenRow, string>;
}

const asItem = (row: MirrorRow) => row as unknown as ReviewItemRecord;

export function itemsTable(db: ReviewDeskDb): ItemTable {
  return db.mirror('review_items');
}

/** Whether the table has an index (the queue's ordered indexes arrive with schema version 4). */
export function hasIndex(table: Pick<Table, 'schema'>, name: string): boolean {
  return Object.hasOwn(table.schema.idxByName, name);
}

/** The review kinds present in the mirror (the server sends only the user's kinds). */
export async function presentKinds(db: ReviewDeskDb): Promise<string[]> {
  // One seek per kind: `uniqueKeys()` walks every entry of the index (260 ms at 50,000 items).
  const table = itemsTable(db);
  const kinds: string[] = [];
  let row = await table.orderBy('kind').first();
  while (row !== undefined && typeof row['kind'] === 'string') {
    kinds.push(row['kind']);
    row = await table.where('kind').above(row['kind']).first();
  }
  return kinds;
}

// ── Predicates on rows ─────────────────────────────────────────────────────────────────────────

const fold = (text: string) => text.normalize('NFKC').toLowerCase();

/** Whether an item's live claim is held by `userId` (by the server's row). */
export function claimHeldBy(item: ReviewItemRecord, userId: string, now: number): boolean {
  return item.claim?.reviewerId === userId && Date.parse(item.claim.expiresAt) > now;
}

/** Every filter, checked on a row: the reference the index plan must agree with. */
export function matchesFilters(
  item: ReviewItemRecord,
  filters: QueueFilters,
  context: QueryContext,
  knownKinds?: readonly string[],
): boolean {
  return (
    matchesIndexed(item, filters, context, knownKinds) && matchesUnindexed(item, filters, context)
  );
}

function matchesIndexed(
  item: ReviewItemRecord,
  filters: QueueFilters,
  context: QueryContext,
  knownKinds?: readonly string[],
): boolean {
  if (!statesOf(filters.state).includes(item.state)) {
    return false;
  }
  if (
    filters.kind !== null
      ? item.kind !== filters.kind
      : knownKinds !== undefined && !knownKinds.includes(item.kind)
  ) {
    return false;
  }
  if (filters.age !== 'any' && !(Date.parse(item.createdAt) < context.now - AGE_MS[filters.age])) {
    return false;
  }
  if (filters.due !== 'any') {
    const limit = filters.due === 'overdue' ? context.now : context.now + DUE_MS[filters.due];
    if (item.dueAt === null || !(Date.parse(item.dueAt) < limit)) {
      return false;
    }
  }
  const tokens = queryTokens(filters.query);
  if (tokens.length > 0) {
    // From the row's text, not a stored field: a cheap step for the rows a walk reads.
    const own = new Set(itemSearchTokens(item as unknown as Readonly<Record<string, unknown>>));
    if (!tokens.every((token) => own.has(token))) {
      return false;
    }
  }
  return true;
}

/** The filters no index answers exactly. */
function matchesUnindexed(
  item: ReviewItemRecord,
  filters: QueueFilters,
  context: QueryContext,
): boolean {
  if (filters.country !== null && item.country !== filters.country) {
    return false;
  }
  if (filters.stage !== null && !item.stages.includes(filters.stage)) {
    return false;
  }
  const institution = fold(filters.institution.trim());
  if (institution !== '' && !fold(item.institutionName ?? '').includes(institution)) {
    return false;
  }
  if (filters.holderId !== null && !claimHeldBy(item, filters.holderId, context.now)) {
    return false;
  }
  return true;
}

function needsRowCheck(filters: QueueFilters): boolean {
  return (
    filters.country !== null ||
    filters.stage !== null ||
    filters.institution.trim() !== '' ||
    filters.holderId !== null
  );
}

// ── Ordering ───────────────────────────────────────────────────────────────────────────────────

const byId = (a: ReviewItemRecord, b: ReviewItemRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byCreated = (a: ReviewItemRecord, b: ReviewItemRecord) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : byId(a, b);

/**
 * The order within the chosen sort, the same as walking the sort index (index key, then primary
 * key): oldest first; earliest due first (items without a due time last, oldest first); highest
 * priority first, then oldest.
 */
export function compareItems(
  sort: QueueSort,
): (a: ReviewItemRecord, b: ReviewItemRecord) => number {
  switch (sort) {
    case 'oldest':
      return byCreated;
    case 'due':
      return (a, b) => {
        if (a.dueAt === null || b.dueAt === null) {
          return a.dueAt === b.dueAt ? byCreated(a, b) : a.dueAt === null ? 1 : -1;
        }
        return a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : byId(a, b);
      };
    case 'priority':
      return (a, b) => b.priority - a.priority || byCreated(a, b);
  }
}

/** Items assigned to me first, then the rest, each by the chosen sort (the queue's order). */
export function orderItems(
  items: readonly ReviewItemRecord[],
  sort: QueueSort,
  userId: string,
): ReviewItemRecord[] {
  const compare = compareItems(sort);
  return [...items].sort((a, b) => {
    const mineA = a.assigneeId === userId ? 0 : 1;
    const mineB = b.assigneeId === userId ? 0 : 1;
    return mineA - mineB || compare(a, b);
  });
}

// ── Index plans ────────────────────────────────────────────────────────────────────────────────

/** One range of an index, walked in index order (index key, then primary key). */
interface WalkRange {
  /** Whose index: the items', or the search index's (whose keys are then looked up). */
  readonly source: 'items' | 'searchTokens';
  readonly index: string;
  readonly lower: IndexableType;
  /** Exclusive. */
  readonly upper: IndexableType;
  /** The row's key in this index (for a multi-entry index: its entry in this range). */
  keyOf(row: MirrorRow): IndexableType;
}

/** A set of disjoint ranges whose union holds every match (and, when `exact`, only matches). */
interface Plan {
  readonly name: string;
  readonly ranges: readonly WalkRange[];
  /** The ranges hold exactly the matches: their counts are the result's size. */
  readonly exact: boolean;
  /** Walking the ranges (merged) gives the queue's order. */
  readonly ordered: boolean;
}

function pairsOf(kinds: readonly string[], states: readonly ItemState[]): [string, string][] {
  return kinds.flatMap((kind) => states.map((state): [string, string] => [kind, state]));
}

const field = (row: MirrorRow, name: string): IndexableType =>
  (row[name] as IndexableType | undefined) ?? Dexie.minKey;

/** The sort index of each order and how a row's key in it is read. */
const SORT_INDEXES: Readonly<
  Record<QueueSort, { readonly index: string; readonly suffix: readonly string[] }>
> = {
  oldest: { index: '[kind+state+createdAt]', suffix: ['createdAt'] },
  due: { index: '[kind+state+_dueOrder]', suffix: ['_dueOrder'] },
  priority: { index: '[kind+state+_negPriority+createdAt]', suffix: ['_negPriority', 'createdAt'] },
};

function compoundRange(
  index: string,
  prefix: readonly string[],
  fields: readonly string[],
  below: string | null,
): WalkRange {
  return {
    source: 'items',
    index,
    lower: [...prefix, Dexie.minKey],
    upper: [...prefix, below ?? Dexie.maxKey],
    // A compound key is an array of keys (Dexie's `IndexableType` does not spell that out).
    keyOf: (row) => fields.map((name) => field(row, name)) as unknown as IndexableType,
  };
}

function searchRange(token: string, state: ItemState, below: string | null): WalkRange {
  const prefix = searchOrderPrefix(token, state);
  return {
    source: 'searchTokens',
    index: '_searchOrder',
    lower: prefix,
    upper: `${prefix}${below ?? AFTER_ALL}`,
    keyOf: (row) =>
      typeof row['createdAt'] === 'string' ? searchOrderEntry(token, state, row['createdAt']) : '',
  };
}

interface PlanInput {
  readonly filters: QueueFilters;
  readonly kindList: readonly string[];
  readonly states: readonly ItemState[];
  /** Creation times before this (the age filter), as an ISO string, or null. */
  readonly createdBelow: string | null;
  /** Due times before this (the due filter), or null. */
  readonly dueBelow: string | null;
  /** The kinds filter keeps every cached item's kind (no kind check needed); null: not known. */
  readonly allKindsKept: boolean | null;
}

function residualFree(filters: QueueFilters): boolean {
  return !needsRowCheck(filters);
}

/** Walking the sort index, by kind and state (the age or due bound when it matches the sort). */
function sortPlan(input: PlanInput): Plan {
  const { filters } = input;
  const { index, suffix } = SORT_INDEXES[filters.sort];
  const below =
    filters.sort === 'oldest' ? input.createdBelow : filters.sort === 'due' ? input.dueBelow : null;
  const ranges = pairsOf(input.kindList, input.states).map((pair) =>
    compoundRange(index, pair, ['kind', 'state', ...suffix], below),
  );
  const ageCovered = filters.age === 'any' || filters.sort === 'oldest';
  const dueCovered = filters.due === 'any' || filters.sort === 'due';
  return {
    name: index,
    ranges,
    exact:
      residualFree(filters) &&
      filters.country === null &&
      queryTokens(filters.query).length === 0 &&
      ageCovered &&
      dueCovered,
    ordered: true,
  };
}

/** The country's items by kind and state, oldest first. */
function countryPlan(input: PlanInput, country: string): Plan {
  const { filters } = input;
  const ranges = pairsOf(input.kindList, input.states).map((pair) =>
    compoundRange(
      '[country+kind+state+createdAt]',
      [country, ...pair],
      ['country', 'kind', 'state', 'createdAt'],
      input.createdBelow,
    ),
  );
  return {
    name: '[country+kind+state+createdAt]',
    ranges,
    exact:
      filters.stage === null &&
      filters.institution.trim() === '' &&
      filters.holderId === null &&
      queryTokens(filters.query).length === 0 &&
      filters.due === 'any',
    ordered: filters.sort === 'oldest',
  };
}

/** One search token's items by state, oldest first. */
function tokenPlan(input: PlanInput, token: string, onlyToken: boolean): Plan {
  const { filters } = input;
  return {
    name: `_searchOrder=${token}`,
    ranges: input.states.map((state) => searchRange(token, state, input.createdBelow)),
    exact:
      onlyToken &&
      residualFree(filters) &&
      filters.country === null &&
      filters.kind === null &&
      input.allKindsKept !== false &&
      filters.due === 'any',
    ordered: filters.sort === 'oldest',
  };
}

/** A range's entries from `lower` (its own lower bound unless resuming); keys and counts only. */
function rangeCollection(tables: QueryTables, range: WalkRange, lower = range.lower) {
  const table = range.source === 'items' ? tables.items : tables.searchTokens;
  return table.where(range.index).between(lower, range.upper, true, false);
}

/** The items of a range from `lower`, in its order, at most `limit` of them. */
async function rangeRows(
  tables: QueryTables,
  range: WalkRange,
  lower: IndexableType,
  limit?: number,
): Promise<MirrorRow[]> {
  const limited = <T>(collection: Collection<T, string>) =>
    limit === undefined ? collection : collection.limit(limit);
  if (range.source === 'items') {
    return limited(
      tables.items.where(range.index).between(lower, range.upper, true, false),
    ).toArray();
  }
  const keys = limited(
    tables.searchTokens.where(range.index).between(lower, range.upper, true, false),
  );
  // One read transaction: the keys and their items agree (a delta writes both in one).
  return tables.items.db.transaction('r', tables.items, tables.searchTokens, async () =>
    present(await tables.items.bulkGet(await keys.primaryKeys())),
  );
}

const present = (rows: readonly (MirrorRow | undefined)[]): MirrorRow[] =>
  rows.filter((row): row is MirrorRow => row !== undefined);

async function planCount(table: QueryTables, plan: Plan): Promise<number> {
  const counts = await Promise.all(
    plan.ranges.map((range) => rangeCollection(table, range).count()),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

// ── The result ─────────────────────────────────────────────────────────────────────────────────

/** A query's answer: how many, and the ordered keys, read as far as needed. */
export interface QueueResult {
  readonly filters: QueueFilters;
  /**
   * How many match, when `exact`; otherwise the matches found so far plus a page more while the
   * walk goes on (it grows as the list is scrolled), shown as "N+".
   */
  readonly total: number;
  readonly exact: boolean;
  /**
   * Counts every match from the index ranges (`count()` walks a range in IndexedDB: hundreds of
   * ms at 50,000 items, so it runs after the first screen). Null when no index range holds
   * exactly the matches; the total then stays "N+" until the walk reaches the end.
   */
  countAll(): Promise<number | null>;
  /** How many of them are assigned to the user (they come first). */
  readonly assignedToMe: number;
  /** How the result was computed (for the benchmark and tests): an index `walk`, or `rows`. */
  readonly plan: string;
  /** The ordered keys known so far (all of them once `complete`). */
  readonly keys: readonly string[];
  readonly complete: boolean;
  /** Orders at least `count` keys (or all): walks the indexes further when needed. */
  ensure(count: number): Promise<readonly string[]>;
  /** The rows at positions [start, end) of the order. */
  rows(start: number, end: number): Promise<ReviewItemRecord[]>;
  /** The position of an item, or -1 (orders as far as needed to find it). */
  indexOf(itemId: string): Promise<number>;
}

class ArrayResult implements QueueResult {
  readonly plan = 'rows';
  readonly complete = true;
  readonly exact = true;
  readonly total: number;
  readonly assignedToMe: number;
  readonly keys: readonly string[];
  private readonly byId: ReadonlyMap<string, ReviewItemRecord>;

  constructor(
    readonly filters: QueueFilters,
    items: readonly ReviewItemRecord[],
    userId: string,
  ) {
    const ordered = orderItems(items, filters.sort, userId);
    this.keys = ordered.map((item) => item.id);
    this.byId = new Map(ordered.map((item) => [item.id, item]));
    this.total = ordered.length;
    this.assignedToMe = ordered.filter((item) => item.assigneeId === userId).length;
  }

  ensure(): Promise<readonly string[]> {
    return Promise.resolve(this.keys);
  }

  countAll(): Promise<number | null> {
    return Promise.resolve(this.total);
  }

  rows(start: number, end: number): Promise<ReviewItemRecord[]> {
    return Promise.resolve(
      this.keys
        .slice(start, end)
        .map((id) => this.byId.get(id))
        .filter((item): item is ReviewItemRecord => item !== undefined),
    );
  }

  indexOf(itemId: string): Promise<number> {
    return Promise.resolve(this.keys.indexOf(itemId));
  }
}

/** One range being walked: a buffer of rows read ahead, and where the next read starts. */
class RangeCursor {
  private buffer: MirrorRow[] = [];
  private last: MirrorRow | null = null;
  /** How many rows read so far share the last row's index key (a run of ties). */
  private run = 0;
  private finished = false;

  constructor(
    private readonly table: QueryTables,
    readonly range: WalkRange,
    /** Rows of the first read (its share of the first screen); later reads take `WALK_CHUNK`. */
    private readonly firstChunk: number,
  ) {}

  get done(): boolean {
    return this.finished && this.buffer.length === 0;
  }

  get needsFill(): boolean {
    return this.buffer.length === 0 && !this.finished;
  }

  head(): MirrorRow | undefined {
    return this.buffer[0];
  }

  shift(): void {
    this.buffer.shift();
  }

  async fill(): Promise<void> {
    const last = this.last;
    if (last === null) {
      const chunk = await rangeRows(this.table, this.range, this.range.lower, this.firstChunk);
      this.take(chunk, this.firstChunk, null);
      return;
    }
    // The next rows start after the last one read. IndexedDB orders equal index keys by primary
    // key, so reading from the last key (inclusive) and skipping the run already read resumes
    // exactly, in one request; the limit grows with the run so a long run still moves on.
    const key = this.range.keyOf(last);
    const limit = WALK_CHUNK + this.run;
    const read = await rangeRows(this.table, this.range, key, limit);
    this.take(read, limit, key);
  }

  private take(read: readonly MirrorRow[], limit: number, resumedAt: IndexableType | null): void {
    const last = this.last;
    const fresh =
      resumedAt === null || last === null
        ? read
        : read.filter((row) => cmp(this.range.keyOf(row), resumedAt) !== 0 || row.id > last.id);
    this.buffer = [...fresh];
    const newest = read.at(-1);
    if (read.length < limit || newest === undefined) {
      this.finished = true;
      return;
    }
    const newestKey = this.range.keyOf(newest);
    let run = 0;
    for (let index = read.length - 1; index >= 0; index -= 1) {
      const row = read[index];
      if (row === undefined || cmp(this.range.keyOf(row), newestKey) !== 0) {
        break;
      }
      run += 1;
    }
    // A read made only of one run started at that run's first row: `run` counts it all.
    this.run = run;
    this.last = newest;
  }
}

/** Rows walked per range in one step after the first. */
const WALK_CHUNK = 25;
/** Keys read at most to size a plan (a few ms; `count()` would walk the whole range). */
export const ESTIMATE_CAP = 256;
/** What the first screen shows (and more): the query returns once these are ordered. */
export const FIRST_SCREEN = 50;
/** Unknown size: how far past the rows found the list reaches, so scrolling walks further. */
const LOOKAHEAD = 50;

/**
 * A result ordered by walking index ranges, merged in the queue's order: only as many rows are
 * read as the positions asked for (plus one chunk per range), never the whole set.
 */
class WalkResult implements QueueResult {
  readonly keys: string[];
  private readonly rowsById = new Map<string, ReviewItemRecord>();
  private readonly cursors: RangeCursor[];
  private walking: Promise<void> | null = null;
  private finished = false;
  readonly assignedToMe: number;

  constructor(
    readonly filters: QueueFilters,
    readonly plan: string,
    table: QueryTables,
    ranges: readonly { readonly range: WalkRange; readonly firstChunk: number }[],
    /** Assigned to me and matching, already ordered: they come first. */
    head: readonly ReviewItemRecord[],
    private readonly check: (item: ReviewItemRecord) => boolean,
    private readonly compare: (a: ReviewItemRecord, b: ReviewItemRecord) => number,
    private readonly userId: string,
    /** What counts the matches exactly, if anything does. */
    private readonly counter: (() => Promise<number | null>) | null,
  ) {
    this.cursors = ranges.map(({ range, firstChunk }) => new RangeCursor(table, range, firstChunk));
    this.keys = head.map((item) => item.id);
    for (const item of head) {
      this.rowsById.set(item.id, item);
    }
    this.assignedToMe = head.length;
  }

  private exactTotal: number | null = null;
  private counting: Promise<number | null> | null = null;

  get exact(): boolean {
    return this.exactTotal !== null || this.finished;
  }

  countAll(): Promise<number | null> {
    if (this.finished) {
      return Promise.resolve(this.keys.length);
    }
    this.counting ??= (this.counter?.() ?? Promise.resolve(null)).then((count) => {
      this.exactTotal = count;
      return count;
    });
    return this.counting;
  }

  get total(): number {
    if (this.exactTotal !== null) {
      return this.exactTotal;
    }
    return this.finished ? this.keys.length : this.keys.length + LOOKAHEAD;
  }

  get complete(): boolean {
    return this.finished || (this.exactTotal !== null && this.keys.length >= this.exactTotal);
  }

  async ensure(count: number): Promise<readonly string[]> {
    while (!this.complete && this.keys.length < count) {
      const target = count;
      this.walking ??= this.walk(target).finally(() => {
        this.walking = null;
      });
      await this.walking;
    }
    return this.keys;
  }

  async rows(start: number, end: number): Promise<ReviewItemRecord[]> {
    const keys = (await this.ensure(end)).slice(start, end);
    return keys
      .map((key) => this.rowsById.get(key))
      .filter((item): item is ReviewItemRecord => item !== undefined);
  }

  async indexOf(itemId: string): Promise<number> {
    for (;;) {
      const index = this.keys.indexOf(itemId);
      if (index !== -1 || this.complete) {
        return index;
      }
      await this.ensure(this.keys.length + WALK_CHUNK);
    }
  }

  /** Merges the ranges' rows in order until `target` keys are known or every range is done. */
  private async walk(target: number): Promise<void> {
    while (this.keys.length < target) {
      const empty = this.cursors.filter((cursor) => cursor.needsFill);
      if (empty.length > 0) {
        await Promise.all(empty.map((cursor) => cursor.fill()));
        continue;
      }
      let best: RangeCursor | null = null;
      let bestItem: ReviewItemRecord | null = null;
      for (const cursor of this.cursors) {
        const row = cursor.head();
        if (row === undefined) {
          continue;
        }
        const item = asItem(row);
        if (bestItem === null || this.compare(item, bestItem) < 0) {
          best = cursor;
          bestItem = item;
        }
      }
      if (best === null || bestItem === null) {
        this.finished = true;
        return;
      }
      best.shift();
      // Those assigned to me are already at the head.
      if (bestItem.assigneeId !== this.userId && this.check(bestItem)) {
        this.keys.push(bestItem.id);
        this.rowsById.set(bestItem.id, bestItem);
      }
    }
  }
}

/** The text-search tokens that can drive a query (the institution's words are candidates). */
function searchTokens(filters: QueueFilters): string[] {
  return [...new Set([...queryTokens(filters.query), ...queryTokens(filters.institution)])];
}

/**
 * Runs a queue query. `kinds` are the kinds present in the mirror (`presentKinds`), when the
 * caller has them; the query reads them otherwise.
 */
export async function runQueueQuery(
  db: ReviewDeskDb,
  filters: QueueFilters,
  context: QueryContext,
  kinds?: readonly string[],
): Promise<QueueResult> {
  const table: QueryTables = { items: itemsTable(db), searchTokens: db.searchTokens };
  const allKinds = kinds ?? (await presentKinds(db));
  const kindList = filters.kind === null ? allKinds : [filters.kind];
  const input: PlanInput = {
    filters,
    kindList,
    // A live claim means in review: the holder filter walks only those.
    states:
      filters.holderId === null
        ? statesOf(filters.state)
        : statesOf(filters.state).filter((state) => state === 'in_review'),
    createdBelow:
      filters.age === 'any' ? null : new Date(context.now - AGE_MS[filters.age]).toISOString(),
    dueBelow:
      filters.due === 'any'
        ? null
        : new Date(
            filters.due === 'overdue' ? context.now : context.now + DUE_MS[filters.due],
          ).toISOString(),
    allKindsKept: kinds === undefined ? true : null,
  };
  const queryOnly = queryTokens(filters.query);
  const sorted = sortPlan(input);
  const narrower: Plan[] = [];
  if (filters.country !== null) {
    narrower.push(countryPlan(input, filters.country));
  }
  // Until the search index is complete (after a bootstrap), a search walks the sort or country
  // index and checks each row's tokens: the same answer, from more rows.
  const tokens = searchTokens(filters);
  const indexed = tokens.length > 0 && (await searchIndexReady(db));
  for (const token of indexed ? tokens : []) {
    narrower.push(
      tokenPlan(
        input,
        token,
        queryOnly.length === 1 && queryOnly[0] === token && filters.institution.trim() === '',
      ),
    );
  }
  const check = (item: ReviewItemRecord) =>
    matchesFilters(item, filters, context, filters.kind === null ? allKinds : undefined);
  // No `count()` here: the narrower plans (a subset of the sort plan's ranges each) are sized by
  // reading at most `ESTIMATE_CAP` keys of them.
  const [sized, assignedRows] = await Promise.all([
    Promise.all(
      narrower.map(async (plan) => ({
        plan,
        // One narrower plan in the order needs no sizing: it is walked whatever its size.
        size:
          narrower.length === 1 && plan.ordered
            ? ESTIMATE_CAP
            : await cappedSize(table, plan, ESTIMATE_CAP),
      })),
    ),
    table.items.where('assigneeId').equals(context.userId).toArray(),
  ]);
  const smallest = sized.reduce<{ plan: Plan; size: number } | null>(
    (best, next) => (best === null || next.size < best.size ? next : best),
    null,
  );
  const orderedNarrow = sized
    .filter(({ plan }) => plan.ordered)
    .reduce<{ plan: Plan; size: number } | null>(
      (best, next) => (best === null || next.size < best.size ? next : best),
      null,
    );
  const drive = orderedNarrow?.plan ?? sorted;
  if (
    smallest !== null &&
    !smallest.plan.ordered &&
    smallest.size < ESTIMATE_CAP &&
    (orderedNarrow === null || orderedNarrow.size >= ESTIMATE_CAP)
  ) {
    // A small set the order's indexes cannot walk (a rare search token sorted by due time):
    // reading it whole and sorting reads fewer rows than walking the sort index past the others.
    const rows = (
      await Promise.all(smallest.plan.ranges.map((range) => rangeRows(table, range, range.lower)))
    ).flat();
    return new ArrayResult(filters, rows.map(asItem).filter(check), context.userId);
  }

  const head = orderItems(assignedRows.map(asItem).filter(check), filters.sort, context.userId);
  // Each range reads a share of the first screen at first, then a chunk at a time.
  // An even share of the first screen each (reading rows costs more than a second round trip
  // for the range that runs out first).
  const firstChunk = Math.ceil(FIRST_SCREEN / Math.max(1, drive.ranges.length)) + 4;
  const exactPlan = [sorted, ...narrower].find((plan) => plan.exact);
  const counter =
    exactPlan === undefined
      ? null
      : async () => {
          if (
            input.allKindsKept === null &&
            exactPlan.name.startsWith('_searchOrder') &&
            !(await presentKinds(db)).every((kind) => allKinds.includes(kind))
          ) {
            return null;
          }
          return planCount(table, exactPlan);
        };
  const result = new WalkResult(
    filters,
    `walk ${drive.name}`,
    table,
    drive.ranges.map((range) => ({ range, firstChunk })),
    head,
    check,
    compareItems(filters.sort),
    context.userId,
    counter,
  );
  // The first screen is ready with the answer.
  await result.ensure(FIRST_SCREEN);
  return result;
}

/** How many keys a plan's ranges hold, up to `cap` (reads at most `cap` keys, never counts). */
async function cappedSize(table: QueryTables, plan: Plan, cap: number): Promise<number> {
  let size = 0;
  for (const range of plan.ranges) {
    size += (
      await rangeCollection(table, range)
        .limit(cap - size)
        .primaryKeys()
    ).length;
    if (size >= cap) {
      return cap;
    }
  }
  return size;
}

// ── Counts ─────────────────────────────────────────────────────────────────────────────────────

export interface QueueCounts {
  /** Items per state over the user's kinds (or the chosen kind), from index counts. */
  readonly byState: Readonly<Record<ItemState, number>>;
  /** Open items (waiting + in review) per kind. */
  readonly openByKind: Readonly<Record<string, number>>;
  /** Items assigned to me (any state). */
  readonly assignedToMe: number;
}

/** Counts for the filter controls: `count()` on index ranges only, never rows. */
export async function queueCounts(
  db: ReviewDeskDb,
  kind: string | null,
  userId: string,
  kinds?: readonly string[],
): Promise<QueueCounts> {
  const table = itemsTable(db);
  const allKinds = kinds ?? (await presentKinds(db));
  // A prefix of `[kind+state+createdAt]` (schema version 6 has no `[kind+state]` index).
  const count = (k: string, state: ItemState) =>
    table
      .where('[kind+state+createdAt]')
      .between([k, state, Dexie.minKey], [k, state, Dexie.maxKey], true, true)
      .count();
  const chosen = kind === null ? allKinds : [kind];
  const byState = Object.fromEntries(
    await Promise.all(
      ITEM_STATES.map(async (state) => [
        state,
        (await Promise.all(chosen.map((k) => count(k, state)))).reduce((sum, n) => sum + n, 0),
      ]),
    ),
  ) as Record<ItemState, number>;
  const openByKind = Object.fromEntries(
    await Promise.all(
      allKinds.map(async (k) => [k, (await count(k, 'pending')) + (await count(k, 'in_review'))]),
    ),
  ) as Record<string, number>;
  const assignedToMe = await table.where('assigneeId').equals(userId).count();
  return { byState, openByKind, assignedToMe };
}
