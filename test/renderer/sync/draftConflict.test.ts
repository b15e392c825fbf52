import { IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListingDraftRow } from '../../../renderer/src/db/database';
import {
  emptyDocument,
  getAt,
  setAt,
} from '../../../renderer/src/kinds/listingEditor/draftDocument';
import {
  advanceDraft,
  createRestDraftStore,
  hasUnpushedChanges,
  resolveDraftConflict,
  type DraftStore,
} from '../../../renderer/src/kinds/listingEditor/draftStore';
import { signIn } from '../../../renderer/src/session/session';
import { openWorkspace, type Workspace } from '../../../renderer/src/workspace/workspace';
import {
  createTestServer,
  TEST_INSTITUTION_ID,
  TEST_PASSWORD,
  type TestServer,
} from '../../server/harness';
import { injectFetch } from '../support/injectFetch';
import { Machine } from '../support/workstation';

/**
 * Offline drafts (issue 11): the listing editor's `advanceDraft` steps on two devices of the same
 * submitter, each with its own fake-indexeddb, outbox and network, against a real review server.
 * Both edit one draft offline; both reconnect; the second to arrive merges three-way: what only
 * one side changed merges silently, a field both changed becomes a conflict with both values kept.
 */

interface Device {
  readonly workspace: Workspace;
  readonly store: DraftStore;
  readonly network: ReturnType<typeof injectFetch>;
  draft: ListingDraftRow | null;
}

let server: TestServer;
const devices: Device[] = [];

beforeEach(async () => {
  server = await createTestServer();
});
afterEach(async () => {
  for (const device of devices.splice(0)) {
    await device.workspace.close().catch(() => undefined);
  }
  await server.close();
});

async function openDevice(): Promise<Device> {
  const machine = new Machine();
  const network = injectFetch(server);
  const signed = await signIn({
    serverUrl: 'http://review.test',
    username: 'submitter1',
    password: TEST_PASSWORD,
    bridge: machine.bridge,
    fetch: network.fetch,
  });
  if (!signed.ok) {
    throw new Error(`sign-in failed: ${JSON.stringify(signed.failure)}`);
  }
  const workspace = await openWorkspace(signed.session, {
    bridge: machine.bridge,
    fetch: network.fetch,
    indexedDB: machine.indexedDB,
    IDBKeyRange,
  });
  const device: Device = {
    workspace,
    store: createRestDraftStore(workspace, network.fetch),
    network,
    draft: null,
  };
  devices.push(device);
  return device;
}

/** One editor step on the device (what `useDraft` does after each autosave and each sync). */
async function step(device: Device): Promise<string | null> {
  const { created } = await advanceDraft(
    device.store,
    {
      current: () => device.draft,
      adopt: (next) => {
        device.draft = next;
      },
    },
    { online: !device.network.faults.offline, now: Date.now },
  );
  return created;
}

/** Types a value into the draft and autosaves it (on the device, then towards the server). */
async function edit(device: Device, path: (string | number)[], value: unknown): Promise<void> {
  const draft = device.draft;
  if (draft === null) {
    throw new Error('no draft open');
  }
  device.draft = {
    ...draft,
    document: setAt(draft.document, path, value) as Record<string, unknown>,
    updatedAt: Math.max(Date.now(), draft.updatedAt + 1),
  };
  await device.store.saveLocal(device.draft);
  await step(device);
}

/** Syncs and steps until the draft is answered and nothing is left to send (or it conflicts). */
async function settle(device: Device): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    device.workspace.syncNow();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await step(device);
    const draft = device.draft;
    if (
      draft !== null &&
      (draft.pending ?? null) === null &&
      (!hasUnpushedChanges(draft) || (draft.conflicts?.length ?? 0) > 0) &&
      (await device.workspace.db.outbox.count()) === 0
    ) {
      return;
    }
  }
  throw new Error(`the draft did not settle: ${JSON.stringify(device.draft?.pending)}`);
}

async function serverDocument(listingId: string): Promise<Record<string, unknown>> {
  const answer = await server.as('submitter1', 'GET', `/api/v1/listings/${listingId}`);
  return answer.json<{ document: Record<string, unknown> }>().document;
}

async function saveDraftResults(): Promise<{ status: string; code: string | null }[]> {
  return server.db.query<{ status: string; code: string | null }>(
    `SELECT status, code FROM sync_mutation_results WHERE name = 'saveDraft' ORDER BY space_version, server_time`,
  );
}

/** Device A creates the listing; device B opens it from the server. Returns the listing id. */
async function twoDevicesOnOneDraft(): Promise<{ a: Device; b: Device; listingId: string }> {
  const a = await openDevice();
  const b = await openDevice();
  const provider = { kind: 'institution' as const, id: TEST_INSTITUTION_ID, name: '杭州明远' };
  a.draft = {
    id: crypto.randomUUID(),
    listingId: '',
    institutionId: null,
    document: setAt(emptyDocument(provider), ['basic', 'name'], '英国硕士申请') as Record<
      string,
      unknown
    >,
    base: null,
    updatedAt: Date.now(),
    pushedAt: null,
  };
  await a.store.saveLocal(a.draft);
  const listingId = await step(a);
  if (listingId === null) {
    throw new Error('device A did not create the listing');
  }
  expect(a.draft.baseRevisionId).toEqual(expect.any(String));
  expect(a.draft.baseRowVersion).toEqual(expect.any(Number));
  const server = await b.store.fetchServerDocument(listingId);
  b.draft = {
    id: crypto.randomUUID(),
    listingId,
    institutionId: null,
    document: server.document,
    base: server.document,
    baseRevisionId: server.revisionId,
    baseRowVersion: server.rowVersion,
    updatedAt: Date.now(),
    pushedAt: Date.now(),
  };
  await b.store.saveLocal(b.draft);
  return { a, b, listingId };
}

describe('a draft edited offline on two devices', () => {
  it('ends in a field-level conflict on the second device, both values kept, none sent until picked', async () => {
    const { a, b, listingId } = await twoDevicesOnOneDraft();
    a.network.faults.offline = true;
    b.network.faults.offline = true;

    await edit(a, ['basic', 'name'], '英国硕士申请（A 机）');
    await edit(a, ['basic', 'introduction'], '<p>A 写的介绍</p>');
    await edit(b, ['basic', 'name'], '英国硕士申请（B 机）');
    await edit(b, ['risk', 'disclosure'], 'B 写的风险说明');
    // Queued offline: one saveDraft each, in the outbox; later edits wait for its answer.
    expect(await a.workspace.db.outbox.count()).toBe(1);
    expect(await b.workspace.db.outbox.count()).toBe(1);
    const queued = await a.workspace.db.outbox.toArray();
    expect(queued[0]?.name).toBe('saveDraft');

    a.network.faults.offline = false;
    await settle(a);
    expect(a.draft?.conflicts ?? null).toBeNull();
    const afterA = await serverDocument(listingId);
    expect(getAt(afterA, ['basic', 'name'])).toBe('英国硕士申请（A 机）');
    expect(getAt(afterA, ['basic', 'introduction'])).toBe('<p>A 写的介绍</p>');

    b.network.faults.offline = false;
    await settle(b);
    const draft = b.draft;
    expect(draft?.conflicts).toEqual([
      {
        path: '/basic/name',
        base: '英国硕士申请',
        mine: '英国硕士申请（B 机）',
        theirs: '英国硕士申请（A 机）',
      },
    ]);
    // Mine kept in the document, A's change to another field merged in, B's other field too.
    expect(getAt(draft?.document, ['basic', 'name'])).toBe('英国硕士申请（B 机）');
    expect(getAt(draft?.document, ['basic', 'introduction'])).toBe('<p>A 写的介绍</p>');
    expect(getAt(draft?.document, ['risk', 'disclosure'])).toBe('B 写的风险说明');
    // Kept on the device too (a reload shows the conflict again).
    const stored = await b.workspace.db.listingDrafts.get(draft?.id ?? '');
    expect(stored?.conflicts).toHaveLength(1);
    // Nothing overwritten on the server; nothing more sent while the conflict is open.
    const afterB = await serverDocument(listingId);
    expect(getAt(afterB, ['basic', 'name'])).toBe('英国硕士申请（A 机）');
    expect(getAt(afterB, ['risk', 'disclosure'])).toBe('');
    await step(b);
    expect(await b.workspace.db.outbox.count()).toBe(0);
    // The editor took the STALE_BASE answer off the conflicts inbox.
    const inbox = await b.workspace.db.results.where('dismissed').equals(0).count();
    expect(inbox).toBe(0);

    // B picks theirs for the name: the merge goes to the server on A's revision, exactly once.
    b.draft = resolveDraftConflict(b.draft!, '/basic/name', 'theirs', Date.now());
    await b.store.saveLocal(b.draft);
    await step(b);
    await settle(b);
    expect(b.draft.conflicts ?? null).toBeNull();
    const final = await serverDocument(listingId);
    expect(getAt(final, ['basic', 'name'])).toBe('英国硕士申请（A 机）');
    expect(getAt(final, ['basic', 'introduction'])).toBe('<p>A 写的介绍</p>');
    expect(getAt(final, ['risk', 'disclosure'])).toBe('B 写的风险说明');
    // A: its first save, then the edit it typed while that waited; B: the stale one, the merge.
    expect(await saveDraftResults()).toEqual([
      { status: 'applied', code: null },
      { status: 'applied', code: null },
      { status: 'conflict', code: 'STALE_BASE' },
      { status: 'applied', code: null },
    ]);
  });

  it('merges edits of different fields silently and saves the merge on the new base', async () => {
    const { a, b, listingId } = await twoDevicesOnOneDraft();
    a.network.faults.offline = true;
    b.network.faults.offline = true;
    await edit(a, ['basic', 'introduction'], '<p>A 的介绍</p>');
    await edit(b, ['risk', 'disclosure'], 'B 的风险说明');
    // B types more while its first save waits in the outbox: still one mutation.
    await edit(b, ['basic', 'name'], '英国硕士申请（B 改名）');
    expect(await b.workspace.db.outbox.count()).toBe(1);

    a.network.faults.offline = false;
    await settle(a);
    b.network.faults.offline = false;
    await settle(b);

    expect(b.draft?.conflicts ?? null).toBeNull();
    expect(hasUnpushedChanges(b.draft!)).toBe(false);
    const final = await serverDocument(listingId);
    expect(getAt(final, ['basic', 'introduction'])).toBe('<p>A 的介绍</p>');
    expect(getAt(final, ['risk', 'disclosure'])).toBe('B 的风险说明');
    expect(getAt(final, ['basic', 'name'])).toBe('英国硕士申请（B 改名）');
    // The device's base is the server's current revision: a next edit continues it.
    const listing = (await server.as('submitter1', 'GET', `/api/v1/listings/${listingId}`)).json<{
      currentRevisionId: string;
      currentRowVersion: number;
    }>();
    expect(b.draft?.baseRevisionId).toBe(listing.currentRevisionId);
    expect(b.draft?.baseRowVersion).toBe(listing.currentRowVersion);
  });
});
