// Dexie's live queries need a global IndexedDB when Dexie loads, even when each database is
// given its own factory (one per simulated machine): this import must come first.
import 'fake-indexeddb/auto';
import { act, render, type RenderResult } from '@testing-library/react';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { randomUUID } from 'node:crypto';
import type { Locale } from '#shared/i18n/localized';
import type { Bridge, SecretProtection, Theme } from '#shared/ipc/contract';
import type { Role } from '#shared/domain/roles';
import type { MutationResult } from '#shared/sync/protocol';
import type { ClaimRecord, DecisionRecord, ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { Root } from '../../../renderer/src/app/Root';
import { createAppStore, type AppDeps, type AppStore } from '../../../renderer/src/app/store';
import { createWebBridge } from '../../../renderer/src/bridge/web';
import { ReviewDeskDb, type ResultRow } from '../../../renderer/src/db/database';
import { exportPending, recordMutation, recordMutations } from '../../../renderer/src/db/outbox';
import { createI18n } from '../../../renderer/src/i18n/i18n';
import { Session, type SessionUser } from '../../../renderer/src/session/session';
import { INITIAL_STATUS, type SyncStatus } from '../../../renderer/src/sync/engine';
import type { FetchLike } from '../../../renderer/src/sync/transport';
import type { RecordedMutation, Workspace } from '../../../renderer/src/workspace/workspace';
import { MemoryBridge } from '../support/memoryBridge';

/**
 * Test doubles for the workstation's UI: a fake `Workspace` over a fake-indexeddb database (no
 * server, no sync engine: tests set the status and write rows themselves), and a helper that
 * renders the whole app around it.
 */

// jsdom has no FontFaceSet; Mantine's autosizing Textarea listens to it.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    configurable: true,
    value: {
      ready: Promise.resolve(),
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    },
  });
}

export const SERVER_URL = 'http://review.test';

export function makeUser(
  role: Role = 'reviewer',
  overrides: Partial<SessionUser> = {},
): SessionUser {
  return {
    id: randomUUID(),
    username: `${role}1`,
    displayName: role === 'reviewer' ? '王芳' : `${role} user`,
    role,
    ...overrides,
  };
}

/** A fetch that answers every request with the handler's response (or throws, as offline). */
export function fakeFetch(
  handler: (url: string, init?: RequestInit) => Response | Promise<Response>,
): FetchLike & { readonly calls: string[] } {
  const calls: string[] = [];
  const fetch = async (url: string, init?: RequestInit) => {
    calls.push(new URL(url).pathname);
    return handler(url, init);
  };
  return Object.assign(fetch, { calls });
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

export function makeSession(
  user: SessionUser,
  bridge: Bridge,
  fetch: FetchLike = fakeFetch(() => json(200, {})),
  protection: SecretProtection = 'os',
): Session {
  return new Session(SERVER_URL, user, 'access', 'refresh', { bridge, fetch }, protection);
}

/** A `Workspace` whose status the test drives; its database is real Dexie over fake-indexeddb. */
export class FakeWorkspace implements Workspace {
  readonly db: ReviewDeskDb;
  current: SyncStatus = { ...INITIAL_STATUS, leader: true };
  readonly listeners = new Set<(status: SyncStatus) => void>();
  syncNowCalls = 0;
  closed = false;

  constructor(
    readonly session: Session,
    indexedDB: IDBFactory = new IDBFactory(),
  ) {
    this.db = new ReviewDeskDb(session.user.id, { indexedDB, IDBKeyRange });
  }

  readonly record = async (
    name: string,
    args: unknown,
    base?: Readonly<Record<string, number>>,
    options?: { readonly v?: number },
  ): Promise<number> => {
    const row = await recordMutation(
      this.db,
      {
        name,
        args,
        ...(base === undefined ? {} : { base }),
        ...(options?.v === undefined ? {} : { v: options.v }),
      },
      { now: () => new Date(), newId: randomUUID },
    );
    return row.seq;
  };

  readonly recordMany = async (mutations: readonly RecordedMutation[]): Promise<number[]> =>
    (await recordMutations(this.db, mutations, { now: () => new Date(), newId: randomUUID })).map(
      (row) => row.seq,
    );

  readonly syncNow = (): void => {
    this.syncNowCalls += 1;
  };

  readonly status = (): SyncStatus => this.current;

  readonly subscribe = (listener: (status: SyncStatus) => void): (() => void) => {
    this.listeners.add(listener);
    listener(this.current);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Publishes a new status, as the engine would. */
  setStatus(patch: Partial<SyncStatus>): void {
    this.current = { ...this.current, ...patch };
    act(() => {
      for (const listener of this.listeners) {
        listener(this.current);
      }
    });
  }

  readonly exportPending = (): Promise<string> => exportPending(this.db, new Date());

  readonly serverNow = (): number => Date.now() + this.current.serverOffsetMs;

  readonly close = (): Promise<void> => {
    this.closed = true;
    this.db.close();
    return Promise.resolve();
  };

  /** Whether the app discarded this user's local data (a sign-out with nothing to keep). */
  discarded = false;

  readonly discardLocalData = async (): Promise<void> => {
    this.discarded = true;
    await this.db.delete();
  };

  /** Marks outbox rows as being sent (what the engine does while a push is under way). */
  async markSending(status: 'sending' | 'pending' = 'sending'): Promise<void> {
    await this.db.outbox.toCollection().modify({ status });
  }

  /** Stores the server's answer to the outbox row `seq` and drops it from the outbox. */
  async answer(
    seq: number,
    result: Partial<MutationResult> & Pick<MutationResult, 'status'>,
  ): Promise<void> {
    const row = await this.db.outbox.get(seq);
    if (row === undefined) {
      throw new Error(`no outbox row ${String(seq)}`);
    }
    const stored: ResultRow = {
      env: 1,
      seq,
      mutationId: row.mutationId,
      name: row.name,
      code: null,
      message: null,
      details: {},
      serverTime: new Date().toISOString(),
      ...result,
      args: row.args,
      createdAt: row.createdAt,
      dismissed: result.status === 'conflict' || result.status === 'rejected' ? 0 : 1,
    };
    await this.db.transaction('rw', this.db.outbox, this.db.results, async () => {
      await this.db.results.put(stored);
      await this.db.outbox.delete(seq);
    });
  }
}

let version = 1;

export function makeItem(overrides: Partial<ReviewItemRecord> = {}): ReviewItemRecord {
  const createdAt = overrides.createdAt ?? '2026-05-01T02:00:00.000Z';
  return {
    id: randomUUID(),
    kind: 'listing_revision',
    subjectId: randomUUID(),
    revisionId: randomUUID(),
    country: 'GB',
    stages: ['master'],
    institutionName: '杭州明远教育科技有限公司',
    state: 'pending',
    priority: 0,
    dueAt: '2026-05-03T06:00:00.000Z',
    assigneeId: null,
    supersedesItemId: null,
    title: '北京英语培训项目',
    createdAt,
    updatedAt: createdAt,
    claim: null,
    ...overrides,
  };
}

export function claimBy(reviewerId: string, minutes = 30): ClaimRecord {
  return {
    reviewerId,
    claimedAt: new Date(Date.now() - 60_000).toISOString(),
    expiresAt: new Date(Date.now() + minutes * 60_000).toISOString(),
    assignedBy: null,
  };
}

export async function putItems(db: ReviewDeskDb, ...items: ReviewItemRecord[]): Promise<void> {
  await db.mirror('review_items').bulkPut(items.map((item) => ({ ...item, _version: version++ })));
}

export async function putUsers(db: ReviewDeskDb, ...users: UserRecord[]): Promise<void> {
  await db.mirror('users').bulkPut(users.map((user) => ({ ...user, _version: version++ })));
}

export async function putDecisions(
  db: ReviewDeskDb,
  ...decisions: DecisionRecord[]
): Promise<void> {
  await db
    .mirror('decisions')
    .bulkPut(decisions.map((decision) => ({ ...decision, _version: version++ })));
}

export function userRecord(user: SessionUser): UserRecord {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    active: true,
    institutionId: null,
  };
}

export interface RenderedApp extends RenderResult {
  readonly store: AppStore;
  readonly bridge: Bridge;
  readonly downloads: { fileName: string; text: string }[];
  readonly opened: FakeWorkspace[];
}

export interface AppOptions {
  readonly locale?: Locale;
  readonly theme?: Theme;
  /** `web` uses the real web-mode bridge over an in-memory storage. */
  readonly mode?: 'electron' | 'web';
  readonly bridge?: Bridge;
  readonly fetch?: FetchLike;
  /** One IndexedDB for the whole "machine": workspaces of different users share it. */
  readonly indexedDB?: IDBFactory;
  readonly countPending?: (userId: string) => Promise<number>;
  readonly prepare?: (workspace: FakeWorkspace) => Promise<void> | void;
  /** Start (resume the stored session) right after rendering. */
  readonly start?: boolean;
}

export function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => {
      values.set(key, value);
    },
    removeItem: (key) => {
      values.delete(key);
    },
  };
}

/** Renders the whole workstation with fakes around it. */
export async function renderApp(options: AppOptions = {}): Promise<RenderedApp> {
  const locale = options.locale ?? 'zh-CN';
  const i18n = await createI18n(locale);
  document.documentElement.lang = locale;
  const bridge =
    options.bridge ??
    (options.mode === 'web'
      ? createWebBridge({
          storage: memoryStorage(),
          origin: SERVER_URL,
          appInfo: { version: '9.9.9', platform: 'web' },
        })
      : new MemoryBridge());
  const fetch = options.fetch ?? fakeFetch(() => json(200, {}));
  const indexedDB = options.indexedDB ?? new IDBFactory();
  const downloads: { fileName: string; text: string }[] = [];
  const opened: FakeWorkspace[] = [];
  const deps: AppDeps = {
    bridge,
    fetch,
    i18n,
    origin: SERVER_URL,
    openWorkspace: async (session) => {
      const workspace = new FakeWorkspace(session, indexedDB);
      await options.prepare?.(workspace);
      opened.push(workspace);
      return workspace;
    },
    countPending: options.countPending ?? (() => Promise.resolve(0)),
    download: (fileName, text) => {
      downloads.push({ fileName, text });
    },
    prefersDark: () => false,
    now: () => new Date('2026-05-03T04:00:00.000Z'),
  };
  const settings = await bridge.settings.get();
  const store = createAppStore(deps, {
    locale,
    theme: options.theme ?? settings.theme,
    serverUrl: bridge.kind === 'web' ? SERVER_URL : settings.serverUrl,
  });
  const rendered = render(<Root store={store} i18n={i18n} />);
  if (options.start !== false) {
    await act(() => store.getState().start());
  }
  return { ...rendered, store, bridge, downloads, opened };
}

/** Renders the app signed in as `user` (the stored session resumes online). */
export async function renderSignedIn(
  user: SessionUser,
  options: AppOptions & { readonly protection?: SecretProtection } = {},
): Promise<RenderedApp & { readonly workspace: FakeWorkspace }> {
  const bridge = options.bridge ?? (options.mode === 'web' ? undefined : new MemoryBridge());
  const fetch =
    options.fetch ??
    fakeFetch((url) =>
      new URL(url).pathname === '/auth/refresh'
        ? json(200, { accessToken: 'access', refreshToken: 'refresh-2' })
        : json(200, {}),
    );
  const realBridge =
    bridge ??
    createWebBridge({
      storage: memoryStorage(),
      origin: SERVER_URL,
      appInfo: { version: '9.9.9', platform: 'web' },
    });
  if (realBridge instanceof MemoryBridge && options.protection !== undefined) {
    realBridge.protection_ = options.protection;
  }
  await realBridge.session.save({
    serverUrl: SERVER_URL,
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    refreshToken: 'refresh-1',
  });
  const app = await renderApp({ ...options, bridge: realBridge, fetch });
  const workspace = app.opened.at(-1);
  if (workspace === undefined) {
    throw new Error('the app did not open a workspace');
  }
  return { ...app, workspace };
}
