import Dexie from 'dexie';
import type { PullResponse, RowChange } from '#shared/sync/protocol';
import { enrichMirrorRow, ReviewDeskDb, searchTokenRow } from '../db/database';
import { ensureClientId } from '../db/outbox';
import { searchIndexReady } from '../db/searchIndex';
import { SyncEngine } from '../sync/engine';
import type { HttpAnswer, Transport } from '../sync/transport';

/**
 * Bootstrap benchmark (`npm run bench`, in Chromium): how fast the sync engine stores a
 * bootstrap in IndexedDB, against raw Dexie `bulkPut` of the same rows.
 */

const KINDS = ['listing_revision', 'homework', 'refund'] as const;

/** Queue items shaped as the server sends them. */
export function makeItems(count: number): Record<string, unknown>[] {
  const start = Date.parse('2026-10-01T00:00:00Z');
  return Array.from({ length: count }, (_, index) => {
    const id = `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
    return {
      id,
      kind: KINDS[index % KINDS.length],
      subjectId: `10000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`,
      revisionId: null,
      state: index % 5 === 0 ? 'in_review' : 'pending',
      priority: index % 3,
      dueAt: new Date(start + index * 60_000 + 48 * 3_600_000).toISOString(),
      assigneeId: null,
      supersedesItemId: null,
      title: `英国硕士申请旗舰包 第${index + 1}号`,
      country: 'GB',
      stages: ['master'],
      institutionName: '北京博雅教育科技有限公司',
      createdAt: new Date(start + index * 60_000).toISOString(),
      updatedAt: new Date(start + index * 60_000).toISOString(),
      claim: null,
    };
  });
}

/** A transport that serves a prepared bootstrap from memory, in pages, like the server. */
function pagesTransport(items: readonly Record<string, unknown>[], pageSize: number): Transport {
  const answer = <T>(body: T): HttpAnswer<T> => ({
    status: 200,
    body,
    headers: new Headers(),
    midpoint: Date.now(),
  });
  return {
    baseUrl: 'bench:',
    get: () => Promise.reject(new Error('not used')),
    put: () => Promise.reject(new Error('not used')),
    post<T>(_path: string, body: unknown): Promise<HttpAnswer<T>> {
      const cursor = (body as { cursor: string | null }).cursor;
      const page = cursor === null ? 0 : Number(cursor);
      const slice = items.slice(page * pageSize, (page + 1) * pageSize);
      const changes: RowChange[] = slice.map((data, index) => ({
        table: 'review_items',
        id: data['id'] as string,
        op: 'put',
        version: page * pageSize + index + 1,
        data,
      }));
      const response: PullResponse = {
        cursor: String(page + 1),
        changes,
        lastSeq: 0,
        results: [],
        hasMore: (page + 1) * pageSize < items.length,
        serverTime: new Date().toISOString(),
      };
      return Promise.resolve(answer(response as T));
    },
  };
}

/** Raw `bulkPut` of rows into a fresh Dexie database with these review item indexes, in pages. */
async function putInto(name: string, indexes: string, rows: readonly object[]): Promise<number> {
  const raw = new Dexie(name);
  raw.version(1).stores({ items: indexes });
  await raw.open();
  const started = performance.now();
  for (let start = 0; start < rows.length; start += 1000) {
    await raw.table('items').bulkPut(rows.slice(start, start + 1000));
  }
  const ms = performance.now() - started;
  await raw.delete();
  return ms;
}

/**
 * Where the engine's time goes beyond the raw baseline (profiling aid, not a figure): deriving
 * the index fields, raw `bulkPut`s of the derived rows with the workstation's indexes (those of
 * schema version 5, with the search entries on the row, and of version 6, without), and of the
 * search index rows on their own (version 6's `searchTokens`).
 */
export async function bootstrapPhases(count: number): Promise<Record<string, number>> {
  const items = makeItems(count);
  const enrichStart = performance.now();
  const enriched = items.map((item) =>
    enrichMirrorRow('review_items', { ...item, id: item['id'] as string, _version: 1 }),
  );
  const enrichMs = performance.now() - enrichStart;
  const tokenStart = performance.now();
  const tokenRows = enriched.map(searchTokenRow);
  const tokenDeriveMs = performance.now() - tokenStart;
  const withTokens = enriched.map((row, index) => ({
    ...row,
    _searchOrder: tokenRows[index]?._searchOrder ?? [],
  }));
  const plain = 'id, kind, state, subjectId, [kind+state], dueAt, createdAt, assigneeId';
  const ordered =
    '[kind+state+createdAt], [kind+state+_dueOrder], [kind+state+_negPriority+createdAt], [country+kind+state+createdAt]';
  const tag = crypto.randomUUID();
  return {
    enrichMs,
    tokenDeriveMs,
    rawMs: await putInto(`p1-${tag}`, plain, items),
    v5RowsMs: await putInto(`p2-${tag}`, `${plain}, ${ordered}, *_searchOrder`, withTokens),
    v6RowsMs: await putInto(`p3-${tag}`, `id, kind, state, assigneeId, ${ordered}`, enriched),
    v6TokenRowsMs: await putInto(`p4-${tag}`, 'id, *_searchOrder', tokenRows),
  };
}

export async function bootstrap(
  count: number,
  options: { readonly phases?: boolean } = {},
): Promise<{
  rows: number;
  engineMs: number;
  rawMs: number;
  searchIndexMs: number;
  phases?: Record<string, number>;
}> {
  const items = makeItems(count);
  const userId = crypto.randomUUID();
  // The baseline first, and no database deleted until both are measured: Chromium keeps an
  // origin's databases in one LevelDB, and compacting a deleted one slows the writes after it
  // (measured: the same raw baseline took 1.2-1.7 s alone, 4.8-6.6 s after the engine's
  // database was deleted).
  const raw = new Dexie(`raw-${userId}`);
  raw
    .version(1)
    .stores({ items: '&id, kind, state, subjectId, [kind+state], dueAt, createdAt, assigneeId' });
  const rawStart = performance.now();
  for (let start = 0; start < items.length; start += 1000) {
    await raw.table('items').bulkPut(items.slice(start, start + 1000));
  }
  const rawMs = performance.now() - rawStart;

  const db = new ReviewDeskDb(userId);
  await ensureClientId(db, () => crypto.randomUUID());
  const engine = new SyncEngine({
    db,
    userId,
    transport: pagesTransport(items, 1000),
    tickEveryMs: null,
  });
  const engineStart = performance.now();
  const outcome = await engine.syncOnce();
  const engineMs = performance.now() - engineStart;
  // The search index is built after the bootstrap, in the background (`searchIndex.ts`): how
  // much longer until a search walks it.
  await engine.indexSearch();
  const searchIndexMs = performance.now() - engineStart - engineMs;
  if (outcome !== 'done' || (await db.mirror('review_items').count()) !== count) {
    throw new Error(`bootstrap did not complete: ${outcome}`);
  }
  if (!(await searchIndexReady(db)) || (await db.searchTokens.count()) !== count) {
    throw new Error('the search index was not built');
  }
  await db.delete();
  await raw.delete();
  const phases = options.phases === true ? await bootstrapPhases(count) : undefined;
  return {
    rows: count,
    engineMs,
    rawMs,
    searchIndexMs,
    ...(phases === undefined ? {} : { phases }),
  };
}
