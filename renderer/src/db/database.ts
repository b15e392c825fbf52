import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { LocalizedText } from '#shared/i18n/localized';
import type { MutationResult, SyncedTable } from '#shared/sync/protocol';
import { SYNCED_TABLES } from '#shared/sync/protocol';
import type { AtRisk } from '#shared/sync/view';
import { queueIndexFields, searchTokenEntries } from '#shared/search/queueKeys';

/**
 * The workstation's local database, one per signed-in user (`review-desk-<userId>`), so that
 * users of one machine never see or push each other's work (RSP/1 §2.1).
 *
 * Schema changes are additive only: a new `version(n)` adds tables or indexes and never changes
 * a primary key (Dexie cannot). The outbox and results formats are frozen; their rows carry
 * `env: 1`.
 */

export interface MetaRow {
  readonly key: string;
  readonly value: unknown;
}

/** A recorded mutation waiting for the server (the outbox). */
export interface OutboxRow {
  readonly env: 1;
  readonly seq: number;
  readonly mutationId: string;
  readonly name: string;
  readonly v: number;
  readonly args: unknown;
  readonly base?: Readonly<Record<string, number>>;
  /** Device time of the decision. */
  readonly createdAt: string;
  readonly status: 'pending' | 'sending';
  readonly attempts: number;
  readonly lastError: string | null;
  readonly atRisk: AtRisk | null;
}

/** A terminal result of one of this user's mutations; conflicts stay until dismissed. */
export interface ResultRow extends MutationResult {
  readonly env: 1;
  /** The mutation's arguments, so a conflict card can show "mine" beside "theirs". */
  readonly args: unknown;
  /** Device time the decision was made. */
  readonly createdAt: string | null;
  /** 1 once the user dismissed it from the conflicts inbox (IndexedDB cannot index booleans). */
  readonly dismissed: 0 | 1;
}

/** A cached file (credential PDF, image, screenshot); evicted least recently used first. */
export interface BlobRow {
  readonly key: string;
  readonly blob: Blob;
  readonly size: number;
  readonly mimeType: string;
  readonly lastUsedAt: number;
}

/** A field the reviewer marked as reviewed, valid while its value stays the same. */
export interface ReviewedMarkRow {
  readonly listingId: string;
  /** JSON Pointer of the field. */
  readonly path: string;
  /** Hash of the field's value when it was marked: a new revision with another value unmarks it. */
  readonly valueHash: string;
  readonly markedAt: string;
}

/**
 * An item whose deferred rows (`DEFERRABLE_TABLES`: its listing's revisions, its audit history)
 * were fetched (`POST /sync/v1/items`) at server version `version`; from then on deltas keep
 * them current, so the item page and offline work need not ask again.
 */
export interface FetchedItemRow {
  readonly itemId: string;
  readonly version: number;
  readonly fetchedAt: number;
}

/**
 * A row of a deferrable table that a delta deleted, at `version`: rows of those tables also
 * arrive out of band (per item), and a fetch answered from an older snapshot must not bring a
 * deleted row back. Key: `table:id`.
 */
export interface DeferredTombstoneRow {
  readonly key: string;
  readonly version: number;
}

/** A credential file's OCR result, cached by the file's SHA-256 (the pipeline's own format). */
export interface OcrResultRow {
  readonly sha256: string;
  readonly result: unknown;
  readonly createdAt: string;
}

/**
 * A mirrored server row: the server's data, plus the version it was written at and, for some
 * tables, local index fields (prefixed `_`, never sent anywhere). Rows cached before schema
 * version 6 may still carry `_search` and `_searchOrder` (no longer read or indexed).
 */
export type MirrorRow = Readonly<Record<string, unknown>> & {
  readonly id: string;
  readonly _version: number;
};

export type MirrorTableName = `srv_${SyncedTable}`;

export const mirrorTableName = (table: SyncedTable): MirrorTableName => `srv_${table}`;

/** Indexes of the mirror tables beyond the primary key: what queues filter and sort on. */
const MIRROR_INDEXES: Readonly<Record<SyncedTable, string>> = {
  users: '&id, username',
  institutions: '&id',
  mentor_profiles: '&id',
  listings: '&id, state, institutionId',
  listing_revisions: '&id, listingId',
  credential_files: '&id, listingId',
  review_items: '&id, kind, state, subjectId, [kind+state], dueAt, createdAt, assigneeId',
  decisions: '&id, itemId',
  field_comments: '&id, itemId',
  audit_events: '&id, itemId, subjectId',
  homework_submissions: '&id, state',
  refund_requests: '&id, state',
  time_entries: '&id, itemId, userId, startedAt',
  rubrics: '&id, chapter',
  comment_bank: '&id, chapter',
  students: '&id, &studentId, cohort',
  homework_evidence: '&id, submissionId',
  student_records: '&id, &submissionId, studentId, chapter',
  support_conversations: '&id, state',
  support_messages: '&id, conversationId',
};

/** Local index fields added to a mirrored row as it is stored (see `MirrorRow`). */
export function enrichMirrorRow(table: SyncedTable, row: MirrorRow): MirrorRow {
  if (table !== 'review_items') {
    return row;
  }
  // The queue's ordered index fields (schema version 4, `queueKeys.ts`). The search tokens are
  // not stored on the row since version 6: they are a `SearchTokenRow` of their own.
  const { _search: _oldTokens, _searchOrder: _oldEntries, ...own } = row;
  return {
    ...own,
    ...queueIndexFields({
      createdAt: row['createdAt'],
      dueAt: row['dueAt'],
      priority: row['priority'],
    }),
  };
}

/**
 * A review item's search index entries (schema version 6): a row per item, keyed by the item's
 * id, whose multi-entry `_searchOrder` index the queue walks for a search. Kept apart from the
 * item's row so that a bootstrap stores the queue rows first and the search index after them
 * (`searchIndex.ts`); deltas write both in one transaction.
 */
export interface SearchTokenRow {
  readonly id: string;
  readonly _searchOrder: readonly string[];
}

/** The search index row of a (stored) review item's row. */
export function searchTokenRow(row: MirrorRow): SearchTokenRow {
  return { id: row.id, _searchOrder: searchTokenEntries(row) };
}

/**
 * How far the search index is built (`META.searchIndex`): every item whose id is at most
 * `after` has its `SearchTokenRow`, and `ready` once all have. Absent: nothing is known to be
 * indexed (the queue then searches by checking rows).
 */
export interface SearchIndexProgress {
  readonly ready: boolean;
  /** The last item id indexed in primary key order, or null to start from the beginning. */
  readonly after: string | null;
}

export const SEARCH_INDEX_NOT_BUILT: SearchIndexProgress = { ready: false, after: null };

/**
 * Version 4's indexes of the review items: each is a filter's equality prefix followed by a
 * queue order, so a filter + sort is one index walk that stops at the first screen.
 */
const QUEUE_ORDER_INDEXES = [
  '[kind+state+createdAt]',
  '[kind+state+_dueOrder]',
  '[kind+state+_negPriority+createdAt]',
  '[country+kind+state+createdAt]',
  '*_searchOrder',
];
const REVIEW_ITEM_INDEXES_V4 = [
  MIRROR_INDEXES.review_items,
  '*_search',
  ...QUEUE_ORDER_INDEXES,
].join(', ');
/**
 * Version 5 drops the `*_search` index: the queue walks `_searchOrder` (the same tokens, in
 * queue order) and matches further tokens against the row's `_search` field, never through its
 * index; keeping it doubled the index entries written per cached item (about 46 per row), the
 * bulk of a bootstrap's IndexedDB time.
 */
const REVIEW_ITEM_INDEXES_V5 = [MIRROR_INDEXES.review_items, ...QUEUE_ORDER_INDEXES].join(', ');
/**
 * Version 6 keeps on the review items only the indexes something reads: `kind` and `state`
 * (the homework screen, notifications, the queue's kinds), `assigneeId` and the queue's ordered
 * indexes. `subjectId`, `dueAt` and `createdAt` were never queried and `[kind+state]` is a
 * prefix of `[kind+state+createdAt]`; the search entries move to `searchTokens`. Measured in
 * Chromium at 5,000 items: raw rows 1.28 s, with the ordered indexes 3.72 s, with
 * `*_searchOrder` 12.91 s.
 */
const REVIEW_ITEM_INDEXES_V6 = [
  '&id, kind, state, assigneeId',
  ...QUEUE_ORDER_INDEXES.filter((index) => index !== '*_searchOrder'),
].join(', ');

export const LOCAL_DATABASE_PREFIX = 'review-desk-';

/** Synced tables that version 1 of the local schema did not have. */
const ADDED_IN_VERSION_2: ReadonlySet<SyncedTable> = new Set(['time_entries']);
/** Synced tables of the homework workstation, added in version 3. */
const ADDED_IN_VERSION_3: ReadonlySet<SyncedTable> = new Set([
  'rubrics',
  'comment_bank',
  'students',
  'homework_evidence',
  'student_records',
]);
/** Synced tables of the escalated customer-service conversations, added in version 7. */
const ADDED_IN_VERSION_7: ReadonlySet<SyncedTable> = new Set([
  'support_conversations',
  'support_messages',
]);

/**
 * A listing draft kept on this device by the listing editor (`kinds/listingEditor/draftStore.ts`):
 * saved on every change, so a reload or a lost network loses nothing. `id` is the device's key of
 * the draft (a new listing has no server id until it is created); `base` is the document as the
 * server last accepted it, for a three-way merge of edits made elsewhere meanwhile.
 */
export interface ListingDraftRow {
  readonly id: string;
  /** The server's listing id, once created there; empty before. */
  readonly listingId: string;
  /** The institution a new listing is created for (assistants choose it). */
  readonly institutionId: string | null;
  readonly document: Readonly<Record<string, unknown>>;
  readonly base: Readonly<Record<string, unknown>> | null;
  /** Device time (ms) of the last change, and of the last save the server accepted. */
  readonly updatedAt: number;
  readonly pushedAt: number | null;
  /**
   * The server revision and its row version `base` is (the `saveDraft` base); absent or null
   * when not known (a draft kept before the outbox push: the server then answers STALE_BASE with
   * its document and the device merges).
   */
  readonly baseRevisionId?: string | null;
  readonly baseRowVersion?: number | null;
  /** The `saveDraft` recorded in the outbox and not yet answered: at most one per draft. */
  readonly pending?: PendingDraftSave | null;
  /** Fields both this device and the server changed differently, until the user picks. */
  readonly conflicts?: readonly DraftFieldConflict[] | null;
  /** Why the server last refused the draft (a rejection or a listing no longer editable). */
  readonly refusal?: { readonly code: string; readonly message: LocalizedText | null } | null;
}

export interface PendingDraftSave {
  readonly mutationId: string;
  /** The document the mutation carries, and the draft's `updatedAt` when it was recorded. */
  readonly document: Readonly<Record<string, unknown>>;
  readonly updatedAt: number;
}

/** One field of a three-way merge both sides changed (`shared/diff/merge.ts` MergeConflict). */
export interface DraftFieldConflict {
  /** RFC 6901 pointer into the draft's document. */
  readonly path: string;
  /** `undefined`: the member did not exist on that side. */
  readonly base?: unknown;
  readonly mine?: unknown;
  readonly theirs?: unknown;
}

export class ReviewDeskDb extends Dexie {
  meta!: Table<MetaRow, string>;
  outbox!: Table<OutboxRow, number>;
  results!: Table<ResultRow, number>;
  blobs!: Table<BlobRow, string>;
  reviewedMarks!: Table<ReviewedMarkRow, [string, string]>;
  ocrResults!: Table<OcrResultRow, string>;
  fetchedItems!: Table<FetchedItemRow, string>;
  deferredTombstones!: Table<DeferredTombstoneRow, string>;
  searchTokens!: Table<SearchTokenRow, string>;
  listingDrafts!: Table<ListingDraftRow, string>;

  constructor(
    readonly userId: string,
    options?: DexieOptions,
  ) {
    super(`${LOCAL_DATABASE_PREFIX}${userId}`, options);
    this.version(1).stores({
      meta: '&key',
      outbox: '&seq, &mutationId, status',
      results: '&seq, mutationId, status, dismissed',
      blobs: '&key, lastUsedAt',
      ...Object.fromEntries(
        SYNCED_TABLES.filter(
          (table) =>
            !ADDED_IN_VERSION_2.has(table) &&
            !ADDED_IN_VERSION_3.has(table) &&
            !ADDED_IN_VERSION_7.has(table),
        ).map((table) => [mirrorTableName(table), MIRROR_INDEXES[table]]),
      ),
    });
    // Version 2: the queue's text-search index, the reviewer's "reviewed" marks and the OCR
    // readings of credential files. Rows cached under version 1 get their search tokens here.
    this.version(2)
      .stores({
        [mirrorTableName('review_items')]: `${MIRROR_INDEXES.review_items}, *_search`,
        [mirrorTableName('time_entries')]: MIRROR_INDEXES.time_entries,
        reviewedMarks: '&[listingId+path], listingId',
        ocrResults: '&sha256, createdAt',
      })
      .upgrade((transaction) =>
        transaction
          .table<MirrorRow, string>(mirrorTableName('review_items'))
          .toCollection()
          .modify((row, context) => {
            context.value = enrichMirrorRow('review_items', row);
          }),
      );
    // Version 3: the homework workstation's tables (rubrics, comment bank, students, evidence
    // snapshots, the student record) and the homework screen's chapter and student filters.
    this.version(3).stores({
      [mirrorTableName('homework_submissions')]: '&id, state, chapter, studentId',
      ...Object.fromEntries(
        [...ADDED_IN_VERSION_3].map((table) => [mirrorTableName(table), MIRROR_INDEXES[table]]),
      ),
    });
    // Version 4: the queue's ordered indexes (filter prefix + sort order, see `enrichMirrorRow`);
    // rows cached before get their derived fields here.
    this.version(4)
      .stores({ [mirrorTableName('review_items')]: REVIEW_ITEM_INDEXES_V4 })
      .upgrade((transaction) =>
        transaction
          .table<MirrorRow, string>(mirrorTableName('review_items'))
          .toCollection()
          .modify((row, context) => {
            context.value = enrichMirrorRow('review_items', row);
          }),
      );
    // Version 5: bookkeeping of the deferred bootstrap (`deferHeavy`): which items' heavy rows
    // were fetched, and deletions of such rows (see `FetchedItemRow`, `DeferredTombstoneRow`).
    // The review items lose the unused `*_search` index (see `REVIEW_ITEM_INDEXES_V5`).
    this.version(5).stores({
      [mirrorTableName('review_items')]: REVIEW_ITEM_INDEXES_V5,
      fetchedItems: '&itemId',
      deferredTombstones: '&key',
    });
    // Version 6: the search entries move from the review items to `searchTokens` (see
    // `REVIEW_ITEM_INDEXES_V6`). Cached items are indexed again in the background
    // (`searchIndex.ts`); until then the queue searches by checking rows.
    this.version(6)
      .stores({
        [mirrorTableName('review_items')]: REVIEW_ITEM_INDEXES_V6,
        searchTokens: '&id, *_searchOrder',
      })
      .upgrade((transaction) =>
        transaction
          .table<MetaRow, string>('meta')
          .put({ key: META.searchIndex, value: SEARCH_INDEX_NOT_BUILT }),
      );
    // Version 7: escalated customer-service conversations and their messages (the
    // `escalation` review kind); the thread is read by conversation.
    this.version(7).stores(
      Object.fromEntries(
        [...ADDED_IN_VERSION_7].map((table) => [mirrorTableName(table), MIRROR_INDEXES[table]]),
      ),
    );
    // Version 8: the listing editor's drafts on this device (see `ListingDraftRow`).
    this.version(8).stores({ listingDrafts: '&id, listingId, updatedAt' });
  }

  mirror(table: SyncedTable): Table<MirrorRow, string> {
    return this.table(mirrorTableName(table));
  }

  mirrorTables(): Table<MirrorRow, string>[] {
    return SYNCED_TABLES.map((table) => this.mirror(table));
  }
}

/** Keys of the `meta` table. */
export const META = {
  clientId: 'clientId',
  nextSeq: 'nextSeq',
  cursor: 'cursor',
  lastSeq: 'lastSeq',
  resultsAfterSeq: 'resultsAfterSeq',
  serverOffsetMs: 'serverOffsetMs',
  lastPushOkAt: 'lastPushOkAt',
  lastPullOkAt: 'lastPullOkAt',
  lastServerTime: 'lastServerTime',
  bootstrapped: 'bootstrapped',
  /**
   * The tables the current bootstrap left out (`deferHeavy`); their rows are fetched per item.
   * Absent or empty: the mirror holds every row (a full bootstrap, or one from before deferral).
   */
  deferredTables: 'deferredTables',
  /** How far the search index is built (`SearchIndexProgress`). */
  searchIndex: 'searchIndex',
} as const;

export async function readMeta<T>(db: ReviewDeskDb, key: string, fallback: T): Promise<T> {
  const row = await db.meta.get(key);
  return row === undefined ? fallback : (row.value as T);
}

export async function writeMeta(db: ReviewDeskDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}
