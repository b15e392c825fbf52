// Dexie's live queries need a global IndexedDB when Dexie loads: this import must come first.
import 'fake-indexeddb/auto';
import { MantineProvider } from '@mantine/core';
import { render, type RenderResult } from '@testing-library/react';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { randomUUID } from 'node:crypto';
import type { Role } from '#shared/domain/roles';
import type { Locale } from '#shared/i18n/localized';
import type { ClaimRecord, ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { ShortcutHelp, useShortcutDispatcher } from '../../../../renderer/src/app/shortcuts';
import { theme } from '../../../../renderer/src/app/theme';
import { createWebBridge } from '../../../../renderer/src/bridge/web';
import {
  enrichMirrorRow,
  ReviewDeskDb,
  type MirrorRow,
} from '../../../../renderer/src/db/database';
import { exportPending, recordMutation, recordMutations } from '../../../../renderer/src/db/outbox';
import { QueuePage } from '../../../../renderer/src/features/queue/QueuePage';
import { createI18n } from '../../../../renderer/src/i18n/i18n';
import { Session, type SessionUser } from '../../../../renderer/src/session/session';
import { INITIAL_STATUS, type SyncStatus } from '../../../../renderer/src/sync/engine';
import type { RecordedMutation, Workspace } from '../../../../renderer/src/workspace/workspace';
import { I18nextProvider } from 'react-i18next';

/**
 * The queue on its own (no app shell): a `Workspace` over fake-indexeddb that records mutations
 * with their version (`claim@2`), the shortcut dispatcher and help overlay, and `QueuePage`.
 */

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
    dueAt: '2099-05-03T06:00:00.000Z',
    assigneeId: null,
    supersedesItemId: null,
    title: '北京英语培训项目',
    createdAt,
    updatedAt: createdAt,
    claim: null,
    ...overrides,
  };
}

export function claimBy(
  reviewerId: string,
  minutes = 30,
  overrides: Partial<ClaimRecord> = {},
): ClaimRecord {
  return {
    reviewerId,
    claimedAt: new Date(Date.now() - 60_000).toISOString(),
    expiresAt: new Date(Date.now() + minutes * 60_000).toISOString(),
    assignedBy: null,
    ...overrides,
  };
}

let version = 1;

export async function putRows(
  db: ReviewDeskDb,
  table: 'review_items' | 'users' | 'audit_events',
  ...rows: object[]
): Promise<void> {
  await db
    .mirror(table)
    .bulkPut(
      rows.map((row) =>
        enrichMirrorRow(table, { ...row, _version: version++ } as unknown as MirrorRow),
      ),
    );
}

export const putItems = (db: ReviewDeskDb, ...items: ReviewItemRecord[]) =>
  putRows(db, 'review_items', ...items);

export class QueueWorkspace implements Workspace {
  readonly db: ReviewDeskDb;
  readonly current: SyncStatus = {
    ...INITIAL_STATUS,
    leader: true,
    lastSyncServerTime: '2026-05-01T00:00:00.000Z',
  };
  syncNowCalls = 0;

  constructor(readonly session: Session) {
    this.db = new ReviewDeskDb(session.user.id, { indexedDB: new IDBFactory(), IDBKeyRange });
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
    listener(this.current);
    return () => undefined;
  };
  readonly exportPending = (): Promise<string> => exportPending(this.db, new Date());
  readonly serverNow = (): number => Date.now();
  readonly discardLocalData = (): Promise<void> => this.db.delete();

  readonly close = (): Promise<void> => {
    this.db.close();
    return Promise.resolve();
  };

  /** The outbox as name, version and arguments. */
  async outbox(): Promise<{ name: string; v: number; args: unknown }[]> {
    return (await this.db.outbox.orderBy('seq').toArray()).map(({ name, v, args }) => ({
      name,
      v,
      args,
    }));
  }
}

function Frame({ workspace }: { readonly workspace: Workspace }) {
  useShortcutDispatcher();
  return (
    <>
      <ShortcutHelp />
      <QueuePage workspace={workspace} itemId={null} />
    </>
  );
}

export async function renderQueue(
  user: SessionUser,
  options: { readonly locale?: Locale; readonly users?: readonly UserRecord[] } = {},
): Promise<RenderResult & { readonly workspace: QueueWorkspace }> {
  const locale = options.locale ?? 'en';
  const i18n = await createI18n(locale);
  document.documentElement.lang = locale;
  const bridge = createWebBridge({
    storage: window.sessionStorage,
    origin: 'http://review.test',
    appInfo: { version: '9.9.9', platform: 'web' },
  });
  const session = new Session(
    'http://review.test',
    user,
    'access',
    'refresh',
    { bridge, fetch: () => Promise.reject(new Error('offline')) },
    'browser',
  );
  const workspace = new QueueWorkspace(session);
  await putRows(workspace.db, 'users', userRecord(user), ...(options.users ?? []));
  const rendered = render(
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme}>
        <Frame workspace={workspace} />
      </MantineProvider>
    </I18nextProvider>,
  );
  return { ...rendered, workspace };
}
