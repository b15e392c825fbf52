import Dexie from 'dexie';
import type { PullResponse, RowChange } from '#shared/sync/protocol';
import { enrichMirrorRow, ReviewDeskDb } from '../db/database';
import { ensureClientId } from '../db/outbox';
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
async function putInto(
  name: string,
  indexes: string,
  rows: readonly Record<string, unknown>[],
): Promise<number> {
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
 * the index fields, and raw `bulkPut`s of the derived rows with the workstation's indexes, with
 * and without the multi-entry search index.
 */
export async function bootstrapPhases(count: number): Promise<Record<string, number>> {
  const items = makeItems(count);
  const enrichStart = performance.now();
  const enriched = items.map((item) =>
    enrichMirrorRow('review_items', { ...item, id: item['id'] as string, _version: 1 }),
  );
  const enrichMs = performance.now() - enrichStart;
  const plain = 'id, kind, state, subjectId, [kind+state], dueAt, createdAt, assigneeId';
  const ordered =
    '[kind+state+createdAt], [kind+state+_dueOrder], [kind+state+_negPriority+createdAt], [country+kind+state+createdAt]';
  const tag = crypto.randomUUID();
  return {
    enrichMs,
    rawMs: await putInto(`p1-${tag}`, plain, items),
    enrichedPlainMs: await putInto(`p2-${tag}`, plain, enriched),
    enrichedOrderedMs: await putInto(`p3-${tag}`, `${plain}, ${ordered}`, enriched),
    enrichedAllMs: await putInto(`p4-${tag}`, `${plain}, ${ordered}, *_searchOrder`, enriched),
    enrichedAllWithSearchMs: await putInto(
      `p5-${tag}`,
      `${plain}, ${ordered}, *_searchOrder, *_search`,
      enriched,
    ),
  };
}

export async function bootstrap(
  count: number,
): Promise<{ rows: number; engineMs: number; rawMs: number }> {
  const items = makeItems(count);
  const userId = crypto.randomUUID();
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
  if (outcome !== 'done' || (await db.mirror('review_items').count()) !== count) {
    throw new Error(`bootstrap did not complete: ${outcome}`);
  }
  await db.delete();

  const raw = new Dexie(`raw-${userId}`);
  raw
    .version(1)
    .stores({ items: '&id, kind, state, subjectId, [kind+state], dueAt, createdAt, assigneeId' });
  const rawStart = performance.now();
  for (let start = 0; start < items.length; start += 1000) {
    await raw.table('items').bulkPut(items.slice(start, start + 1000));
  }
  const rawMs = performance.now() - rawStart;
  await raw.delete();
  return { rows: count, engineMs, rawMs };
}
