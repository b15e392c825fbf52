import '@mantine/core/styles.css';
import { MantineProvider } from '@mantine/core';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { enrichMirrorRow, ReviewDeskDb, type MirrorRow } from '../db/database';
import { ensureClientId } from '../db/outbox';
import { buildSearchIndex } from '../db/searchIndex';
import { theme } from '../app/theme';
import { QueuePage } from '../features/queue/QueuePage';
import {
  DEFAULT_FILTERS,
  hasIndex,
  runQueueQuery,
  type QueueFilters,
} from '../features/queue/queueQuery';
import { createI18n } from '../i18n/i18n';
import { Session } from '../session/session';
import { INITIAL_STATUS } from '../sync/engine';
import { createWebBridge } from '../bridge/web';
import type { Workspace } from '../workspace/workspace';
import { makeItems } from './bootstrapBench';

/**
 * Queue benchmarks (`npm run bench`, in Chromium): the first queue render, and the queue's
 * filter and search latency at 500 and 50,000 cached items.
 */

/**
 * Time from mounting the queue to its first rendered row, with `count` items cached in
 * IndexedDB: the reviewer's morning start with a large offline cache against a small one.
 */
export async function firstRender(count: number): Promise<{ ms: number }> {
  const userId = crypto.randomUUID();
  const db = new ReviewDeskDb(userId);
  await ensureClientId(db, () => crypto.randomUUID());
  const items = makeItems(count).map((item, index) => ({
    ...item,
    kind: 'listing_revision',
    _version: index + 1,
  }));
  for (let start = 0; start < items.length; start += 1000) {
    await db.mirror('review_items').bulkPut(items.slice(start, start + 1000) as never[]);
  }
  const bridge = createWebBridge({
    storage: window.sessionStorage,
    origin: window.location.origin,
  });
  const session = new Session(
    window.location.origin,
    { id: userId, username: 'reviewer1', displayName: '审核员', role: 'reviewer' },
    null,
    'bench',
    { bridge, fetch: () => Promise.reject(new Error('offline')) },
    'browser',
  );
  const workspace: Workspace = {
    session,
    db,
    record: () => Promise.resolve(0),
    recordMany: () => Promise.resolve([]),
    discardLocalData: () => Promise.resolve(),
    syncNow: () => undefined,
    status: () => INITIAL_STATUS,
    subscribe: (listener) => {
      listener(INITIAL_STATUS);
      return () => undefined;
    },
    exportPending: () => Promise.resolve('{}'),
    serverNow: () => Date.now(),
    close: () => Promise.resolve(),
  };
  const i18n = await createI18n('zh-CN');
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  const started = performance.now();
  root.render(
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme}>
        <QueuePage workspace={workspace} itemId={null} />
      </MantineProvider>
    </I18nextProvider>,
  );
  await new Promise<void>((resolve) => {
    const check = () => {
      if (container.querySelector('[data-testid="queue-item"]') !== null) {
        resolve();
      } else {
        requestAnimationFrame(check);
      }
    };
    check();
  });
  const ms = performance.now() - started;
  root.unmount();
  container.remove();
  await db.delete();
  return { ms };
}

const CITIES = [
  ['伦敦', 'London'],
  ['曼彻斯特', 'Manchester'],
  ['波士顿', 'Boston'],
  ['纽约', 'New York'],
  ['悉尼', 'Sydney'],
  ['墨尔本', 'Melbourne'],
  ['东京', 'Tokyo'],
  ['多伦多', 'Toronto'],
  ['新加坡', 'Singapore'],
  ['香港', 'Hong Kong'],
  ['爱丁堡', 'Edinburgh'],
  ['剑桥', 'Cambridge'],
  ['洛杉矶', 'Los Angeles'],
  ['温哥华', 'Vancouver'],
  ['大阪', 'Osaka'],
  ['奥克兰', 'Auckland'],
  ['柏林', 'Berlin'],
  ['巴黎', 'Paris'],
  ['首尔', 'Seoul'],
  ['都柏林', 'Dublin'],
] as const;
const COUNTRY_OF_CITY = [
  'GB',
  'GB',
  'US',
  'US',
  'AU',
  'AU',
  'JP',
  'CA',
  'SG',
  'HK',
  'GB',
  'GB',
  'US',
  'CA',
  'JP',
  'NZ',
  'DE',
  'FR',
  'KR',
  'IE',
];
const PRODUCTS = [
  '硕士申请旗舰包',
  '本科申请全程服务',
  '博士申请套餐',
  '语言强化课程',
  '交换项目规划',
];
const STAGE_OF_PRODUCT = ['master', 'undergraduate', 'phd', 'language_intensive', 'exchange'];
const INSTITUTIONS = [
  '北京新航道教育',
  'Cambridge Pathways Ltd',
  '上海樱花留学',
  'Harbour Study Partners',
  '杭州明远教育科技有限公司',
  'Northbridge Education',
  '广州启航留学',
  'Maple Leaf Consulting',
];

/** Varied queue items (cities, countries, stages, institutions in Chinese and English), indexed. */
function makeQueueItems(count: number): MirrorRow[] {
  return makeItems(count).map((item, index) => {
    const city = CITIES[index % CITIES.length] ?? CITIES[0];
    const product = index % PRODUCTS.length;
    return enrichMirrorRow('review_items', {
      ...item,
      kind: index % 10 === 0 ? 'refund' : 'listing_revision',
      state: index % 9 === 0 ? 'decided' : index % 5 === 0 ? 'in_review' : 'pending',
      title: `${city[0]}${PRODUCTS[product] ?? ''} ${city[1]} ${index + 1}`,
      institutionName: INSTITUTIONS[(index * 7) % INSTITUTIONS.length] ?? null,
      country: COUNTRY_OF_CITY[index % CITIES.length] ?? null,
      stages: [STAGE_OF_PRODUCT[product] ?? 'master'],
      id: item['id'] as string,
      _version: index + 1,
    });
  });
}

/** The typical queue queries `filterAndSearch` times. */
export const QUEUE_QUERIES: readonly { readonly name: string; readonly filters: QueueFilters }[] = [
  {
    name: 'kind + state',
    filters: { ...DEFAULT_FILTERS, kind: 'listing_revision', state: 'pending' },
  },
  { name: 'country', filters: { ...DEFAULT_FILTERS, country: 'JP' } },
  { name: 'search 中文 bigram', filters: { ...DEFAULT_FILTERS, query: '悉尼' } },
  { name: 'search English prefix', filters: { ...DEFAULT_FILTERS, query: 'harb' } },
  { name: 'sort by due', filters: { ...DEFAULT_FILTERS, sort: 'due' } },
];

/**
 * Latency of typical queue queries through the queue's query module with `count` items cached:
 * from the filter change to the first screen's rows (the query and the rows of the first 40
 * positions). The exact count is not timed: the queue shows "N+" and counts after the first
 * screen (`QueueResult.countAll`). Median of 7 runs after a warm-up.
 */
export async function filterAndSearch(count: number): Promise<{
  count: number;
  searchIndexAdded: boolean;
  queries: { name: string; ms: number; matches: number; plan: string }[];
}> {
  const userId = crypto.randomUUID();
  const db = new ReviewDeskDb(userId);
  const items = makeQueueItems(count);
  for (let start = 0; start < items.length; start += 1000) {
    await db.mirror('review_items').bulkPut(items.slice(start, start + 1000));
  }
  // As after a bootstrap: the search index is built once the rows are stored.
  await buildSearchIndex(db);
  const context = { userId, now: Date.parse('2026-10-20T00:00:00Z') };
  const kinds = ['listing_revision', 'refund'];
  const queries = [];
  for (const { name, filters } of QUEUE_QUERIES) {
    const times: number[] = [];
    let matches = 0;
    let plan = '';
    for (let run = 0; run < 8; run += 1) {
      const started = performance.now();
      const result = await runQueueQuery(db, filters, context, kinds);
      await result.rows(0, 40);
      const ms = performance.now() - started;
      if (run > 0) {
        times.push(ms);
      }
      // Counted after the clock stops: the list shows the count when it arrives.
      matches = (await result.countAll()) ?? result.total;
      plan = result.plan;
    }
    times.sort((a, b) => a - b);
    queries.push({ name, ms: times[Math.floor(times.length / 2)] ?? 0, matches, plan });
  }
  // The ordered indexes are the schema's own (version 4, the search index's table version 6):
  // nothing is added for the benchmark.
  const searchIndexAdded = !hasIndex(db.searchTokens, '_searchOrder');
  await db.delete();
  return { count, searchIndexAdded, queries };
}
