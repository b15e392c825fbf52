import type { Table } from 'dexie';
import { queryTokens } from '#shared/search/tokens';
import type { ItemState, ReviewItemRecord } from '#shared/sync/rows';
import type { MirrorRow, ReviewDeskDb } from '../../db/database';

/**
 * The queue's query module: filters, search and sort over the mirrored review items, answered
 * from IndexedDB indexes rather than scans, so that 50,000 cached items filter as fast as a few
 * hundred (`npm run bench` measures it).
 *
 * How a query runs:
 *  1. Every filter an index can answer becomes an index constraint: `[kind+state]` (state and
 *     kind), `_search` tokens (the text search; the country code and the institution's name are
 *     in the tokens too, as candidates), `createdAt` (age), `dueAt` (due time), `assigneeId`.
 *  2. The constraints are counted (`count()` on index ranges, no rows read) and the smallest one's
 *     primary keys are read first. When that is small, its rows are read (`bulkGet`) and every
 *     filter is checked on them, and they are sorted in memory. Otherwise the keys of the other
 *     constraints are intersected with it, still without reading a row.
 *  3. A large result is ordered lazily by walking the sort index (`createdAt`, `dueAt`) in chunks
 *     of primary keys, keeping those in the result: the first screen needs one chunk. Only the rows
 *     of the visible window are ever read (`QueueResult.rows`).
 *
 * Filters no index covers — the exact country, a stage, the institution's name, the holder, and the
 * priority sort — are checked on rows; with large results they cost one read of the candidates'
 * rows (`VERIFY` below), which the schema could remove with more indexes.
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

/** A result this small is read as rows and checked and sorted in memory. */
export const SMALL_RESULT = 2_000;
/** Primary keys read per step of the sort-index walk. */
const WALK_CHUNK = 500;

type ItemTable = Table<MirrorRow, string>;

const asItem = (row: MirrorRow) => row as unknown as ReviewItemRecord;

export function itemsTable(db: ReviewDeskDb): ItemTable {
  return db.mirror('review_items');
}

/** Whether the table has an index (the `_search` index arrives with schema version 2). */
export function hasIndex(table: ItemTable, name: string): boolean {
  return Object.hasOwn(table.schema.idxByName, name);
}

/** The review kinds present in the mirror (the server sends only the user's kinds). */
export async function presentKinds(db: ReviewDeskDb): Promise<string[]> {
  return (await itemsTable(db).orderBy('kind').uniqueKeys()).map(String);
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
    const own = new Set((item as unknown as { _search?: readonly string[] })._search ?? []);
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

// ── Index constraints ──────────────────────────────────────────────────────────────────────────

interface Constraint {
  readonly name: string;
  count(): Promise<number>;
  keys(): Promise<string[]>;
}

function pairsOf(kinds: readonly string[], states: readonly ItemState[]): [string, string][] {
  return kinds.flatMap((kind) => states.map((state): [string, string] => [kind, state]));
}

function kindStateConstraint(
  table: ItemTable,
  kinds: readonly string[],
  states: readonly ItemState[],
): Constraint {
  const pairs = pairsOf(kinds, states);
  return {
    name: '[kind+state]',
    count: async () =>
      (
        await Promise.all(pairs.map((pair) => table.where('[kind+state]').equals(pair).count()))
      ).reduce((sum, n) => sum + n, 0),
    keys: async () =>
      (
        await Promise.all(
          pairs.map((pair) => table.where('[kind+state]').equals(pair).primaryKeys()),
        )
      ).flat(),
  };
}

function tokenConstraint(table: ItemTable, token: string): Constraint {
  const range = () => table.where('_search').equals(token);
  return {
    name: `_search=${token}`,
    count: () => range().count(),
    keys: () => range().primaryKeys(),
  };
}

function rangeConstraint(
  table: ItemTable,
  index: 'createdAt' | 'dueAt',
  below: string,
): Constraint {
  const range = () => table.where(index).below(below);
  return {
    name: `${index}<${below}`,
    count: () => range().count(),
    keys: () => range().primaryKeys(),
  };
}

/** The text-search tokens the `_search` index is asked for (country and institution included). */
function searchTokens(filters: QueueFilters): string[] {
  const tokens = new Set(queryTokens(filters.query));
  if (filters.country !== null) {
    // Country codes are indexed as words: a candidate set (a word starting with the code also
    // matches), checked exactly on the rows.
    for (const token of queryTokens(filters.country)) {
      tokens.add(token);
    }
  }
  for (const token of queryTokens(filters.institution)) {
    tokens.add(token);
  }
  return [...tokens];
}

// ── The result ─────────────────────────────────────────────────────────────────────────────────

/** A query's answer: how many, and the ordered keys, read as far as needed. */
export interface QueueResult {
  readonly filters: QueueFilters;
  readonly total: number;
  /** How many of them are assigned to the user (they come first). */
  readonly assignedToMe: number;
  /** How the result was computed (for the benchmark and tests): `rows` or `keys`. */
  readonly plan: 'rows' | 'keys';
  /** The ordered keys known so far (all of them once `complete`). */
  readonly keys: readonly string[];
  readonly complete: boolean;
  /** Orders at least `count` keys (or all): walks the sort index further when needed. */
  ensure(count: number): Promise<readonly string[]>;
  /** The rows at positions [start, end) of the order. */
  rows(start: number, end: number): Promise<ReviewItemRecord[]>;
  /** The position of an item, or -1 (orders as far as needed to find it). */
  indexOf(itemId: string): Promise<number>;
}

class ArrayResult implements QueueResult {
  readonly plan = 'rows';
  readonly complete = true;
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

/**
 * A large result ordered by walking a sort index: chunks of primary keys in index order, kept
 * when they are in the result. Ties on the index key are read whole, so no key is lost or repeated
 * between chunks.
 */
class WalkResult implements QueueResult {
  readonly plan = 'keys';
  readonly keys: string[];
  private readonly emitted = new Set<string>();
  private stage = 0;
  private lower: string | null = null;
  private done = false;
  private walking: Promise<void> | null = null;

  constructor(
    readonly filters: QueueFilters,
    private readonly table: ItemTable,
    private readonly members: ReadonlySet<string>,
    /** Assigned to me, already ordered: they come first. */
    head: readonly string[],
    /** Sort indexes walked in turn (`dueAt`, then `createdAt` for items without a due time). */
    private readonly indexes: readonly ('createdAt' | 'dueAt')[],
  ) {
    this.keys = [...head];
    for (const key of head) {
      this.emitted.add(key);
    }
    this.assignedToMe = head.length;
    this.total = members.size;
  }

  readonly total: number;
  readonly assignedToMe: number;

  get complete(): boolean {
    return this.done || this.keys.length >= this.total;
  }

  async ensure(count: number): Promise<readonly string[]> {
    while (!this.complete && this.keys.length < count) {
      this.walking ??= this.step().finally(() => {
        this.walking = null;
      });
      await this.walking;
    }
    return this.keys;
  }

  async rows(start: number, end: number): Promise<ReviewItemRecord[]> {
    const keys = (await this.ensure(end)).slice(start, end);
    const rows = await this.table.bulkGet(keys);
    return rows.filter((row): row is MirrorRow => row !== undefined).map(asItem);
  }

  async indexOf(itemId: string): Promise<number> {
    if (!this.members.has(itemId)) {
      return -1;
    }
    while (!this.complete && !this.emitted.has(itemId)) {
      await this.ensure(this.keys.length + WALK_CHUNK);
    }
    return this.keys.indexOf(itemId);
  }

  private emit(key: string): void {
    if (this.members.has(key) && !this.emitted.has(key)) {
      this.emitted.add(key);
      this.keys.push(key);
    }
  }

  private async step(): Promise<void> {
    const index = this.indexes[this.stage];
    if (index === undefined) {
      this.done = true;
      return;
    }
    const range =
      this.lower === null ? this.table.orderBy(index) : this.table.where(index).above(this.lower);
    const chunk = await range.limit(WALK_CHUNK).primaryKeys();
    for (const key of chunk) {
      this.emit(key);
    }
    const last = chunk.at(-1);
    if (chunk.length < WALK_CHUNK || last === undefined) {
      this.stage += 1;
      this.lower = null;
      return;
    }
    // The chunk may have cut a run of equal index keys: read that run whole.
    const value = (await this.table.get(last))?.[index];
    if (typeof value !== 'string') {
      this.stage += 1;
      this.lower = null;
      return;
    }
    for (const key of await this.table.where(index).equals(value).primaryKeys()) {
      this.emit(key);
    }
    this.lower = value;
  }
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
  const table = itemsTable(db);
  const allKinds = kinds ?? (await presentKinds(db));
  const constraints: Constraint[] = [];
  const states = statesOf(filters.state);
  const kindList = filters.kind === null ? allKinds : [filters.kind];
  if (filters.kind !== null || filters.state !== 'all') {
    constraints.push(kindStateConstraint(table, kindList, states));
  }
  const tokens = searchTokens(filters);
  const searchIndexed = hasIndex(table, '_search');
  if (searchIndexed) {
    for (const token of tokens) {
      constraints.push(tokenConstraint(table, token));
    }
  }
  if (filters.age !== 'any') {
    constraints.push(
      rangeConstraint(
        table,
        'createdAt',
        new Date(context.now - AGE_MS[filters.age]).toISOString(),
      ),
    );
  }
  if (filters.due !== 'any') {
    const limit = filters.due === 'overdue' ? context.now : context.now + DUE_MS[filters.due];
    constraints.push(rangeConstraint(table, 'dueAt', new Date(limit).toISOString()));
  }
  if (filters.holderId !== null && filters.state !== 'in_review') {
    // A live claim means in review: narrow by the index first, check the holder on rows.
    constraints.push(kindStateConstraint(table, kindList, ['in_review']));
  }
  const check = (item: ReviewItemRecord) =>
    matchesIndexed(item, filters, context, filters.kind === null ? allKinds : undefined) &&
    matchesUnindexed(item, filters, context);

  if (!searchIndexed && tokens.length > 0) {
    // Without the `_search` index (schema before version 2) text search is a scan of the rows
    // the other indexes leave: exact, but not fast.
    const base = constraints.length === 0 ? null : await intersect(constraints);
    const rows = base === null ? (await table.toArray()).map(asItem) : await readRows(table, base);
    return new ArrayResult(
      filters,
      rows.filter((item) => check(item) && hasTokens(item, tokens)),
      context.userId,
    );
  }

  if (constraints.length === 0) {
    // Every state of every kind, no narrowing filter: the whole mirror.
    if (
      needsRowCheck(filters) ||
      filters.sort === 'priority' ||
      (await table.count()) <= SMALL_RESULT
    ) {
      return new ArrayResult(
        filters,
        (await table.toArray()).map(asItem).filter(check),
        context.userId,
      );
    }
    const keys = await table.toCollection().primaryKeys();
    return walkResult(table, filters, context, new Set(keys));
  }

  const counted = await Promise.all(
    constraints.map(async (constraint) => ({ constraint, count: await constraint.count() })),
  );
  counted.sort((a, b) => a.count - b.count);
  const [first, ...rest] = counted;
  if (first === undefined) {
    throw new Error('unreachable: no constraint');
  }
  if (
    first.count <= SMALL_RESULT ||
    (filters.sort === 'priority' && first.count <= SMALL_RESULT * 5)
  ) {
    // Small enough: read those rows and check every filter on them.
    const rows = await readRows(table, await first.constraint.keys());
    return new ArrayResult(filters, rows.filter(check), context.userId);
  }
  let members = new Set(await first.constraint.keys());
  for (const { constraint } of rest) {
    if (members.size <= SMALL_RESULT) {
      break;
    }
    const other = await constraint.keys();
    const next = new Set<string>();
    for (const key of other) {
      if (members.has(key)) {
        next.add(key);
      }
    }
    members = next;
  }
  // Stopped early (small enough), or filters no index answers: check every filter on the rows.
  if (members.size <= SMALL_RESULT || needsRowCheck(filters) || filters.sort === 'priority') {
    const rows = await readRows(table, [...members]);
    return new ArrayResult(filters, rows.filter(check), context.userId);
  }
  return walkResult(table, filters, context, members);
}

function hasTokens(item: ReviewItemRecord, tokens: readonly string[]): boolean {
  const own = (item as unknown as { _search?: readonly string[] })._search;
  if (own === undefined) {
    return false;
  }
  const set = new Set(own);
  return tokens.every((token) => set.has(token));
}

async function readRows(table: ItemTable, keys: readonly string[]): Promise<ReviewItemRecord[]> {
  const rows = await table.bulkGet([...keys]);
  return rows.filter((row): row is MirrorRow => row !== undefined).map(asItem);
}

/** Intersects every constraint's keys (smallest first). */
async function intersect(constraints: readonly Constraint[]): Promise<string[]> {
  const lists = await Promise.all(constraints.map((constraint) => constraint.keys()));
  lists.sort((a, b) => a.length - b.length);
  const [first = [], ...rest] = lists;
  let members = new Set(first);
  for (const list of rest) {
    const next = new Set<string>();
    for (const key of list) {
      if (members.has(key)) {
        next.add(key);
      }
    }
    members = next;
  }
  return [...members];
}

async function walkResult(
  table: ItemTable,
  filters: QueueFilters,
  context: QueryContext,
  members: ReadonlySet<string>,
): Promise<QueueResult> {
  // Assigned to me: few, read as rows and ordered in memory.
  const assignedKeys = (
    await table.where('assigneeId').equals(context.userId).primaryKeys()
  ).filter((key) => members.has(key));
  const assigned = orderItems(await readRows(table, assignedKeys), filters.sort, context.userId);
  const indexes: ('createdAt' | 'dueAt')[] =
    filters.sort === 'due' ? ['dueAt', 'createdAt'] : ['createdAt'];
  const result = new WalkResult(
    filters,
    table,
    members,
    assigned.map((item) => item.id),
    indexes,
  );
  // The first screen is ready with the answer.
  await result.ensure(Math.min(members.size, 100));
  return result;
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
  const count = (k: string, state: ItemState) =>
    table.where('[kind+state]').equals([k, state]).count();
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
