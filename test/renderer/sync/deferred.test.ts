import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFERRABLE_TABLES, type RowChange } from '#shared/sync/protocol';
import { META, readMeta, type MirrorRow } from '../../../renderer/src/db/database';
import {
  applyDeferrableChanges,
  deferredBookkeeping,
  fetchItemRows,
  itemsMissingRows,
  sessionTransport,
} from '../../../renderer/src/sync/deferred';
import { NetworkError } from '../../../renderer/src/sync/transport';
import { createTestServer, type TestServer } from '../../server/harness';
import { submitNewListing, TestSyncClient } from '../../server/sync/client';
import { injectFetch, type NetworkFaults } from '../support/injectFetch';
import { Machine, openWorkstation, type Workstation } from '../support/workstation';

/** The deferred bootstrap and per-item fetches, against the real review server. */
let server: TestServer;
let faults: NetworkFaults;
let fetch: ReturnType<typeof injectFetch>['fetch'];
let machine: Machine;
const open: Workstation[] = [];

beforeEach(async () => {
  server = await createTestServer();
  ({ fetch, faults } = injectFetch(server));
  machine = new Machine();
});
afterEach(async () => {
  for (const workstation of open.splice(0)) {
    await workstation.close();
  }
  await server.close();
});

async function workstation(): Promise<Workstation> {
  const opened = await openWorkstation(server, machine, 'reviewer1', fetch);
  open.push(opened);
  return opened;
}

const ids = async (ws: Workstation, table: (typeof DEFERRABLE_TABLES)[number]) =>
  (await ws.db.mirror(table).toArray()).map((row) => row.id).sort();

describe('deferred bootstrap', () => {
  it('bootstraps without the heavy tables and fetches them per item', async () => {
    const first = await submitNewListing(server, '英国硕士申请旗舰包');
    const second = await submitNewListing(server, '美国本科文书精修');
    const ws = await workstation();
    expect(await ws.engine.syncOnce()).toBe('done');

    expect(await ws.db.mirror('review_items').count()).toBe(2);
    for (const table of DEFERRABLE_TABLES) {
      expect(await ws.db.mirror(table).count(), table).toBe(0);
    }
    expect([...(await readMeta<string[]>(ws.db, META.deferredTables, []))].sort()).toEqual(
      [...DEFERRABLE_TABLES].sort(),
    );
    expect(await itemsMissingRows(ws.db, [first.itemId, second.itemId])).toEqual([
      first.itemId,
      second.itemId,
    ]);

    await fetchItemRows(ws.db, sessionTransport(ws.session, fetch), [first.itemId]);

    expect(await ids(ws, 'listing_revisions')).toEqual([first.revisionId]);
    const events = (await ws.db.mirror('audit_events').toArray()) as unknown as {
      itemId: string | null;
      subjectId: string;
    }[];
    expect(events.length).toBeGreaterThan(0);
    expect(
      events.every((event) => event.itemId === first.itemId || event.subjectId === first.listingId),
    ).toBe(true);
    expect(await itemsMissingRows(ws.db, [first.itemId, second.itemId])).toEqual([second.itemId]);

    // Later changes arrive by delta and keep the fetched rows current.
    await new TestSyncClient(server, 'reviewer2').do('claim', { itemId: first.itemId });
    expect(await ws.engine.syncOnce()).toBe('done');
    const onServer = await server.db.query<{ id: string }>(
      `SELECT id FROM audit_events WHERE item_id = $1 OR subject_id = $2 ORDER BY id`,
      [first.itemId, first.listingId],
    );
    const local = (await ws.db.mirror('audit_events').toArray()).filter(
      (event) => event['itemId'] === first.itemId || event['subjectId'] === first.listingId,
    );
    expect(local.map((event) => event.id).sort()).toEqual(onServer.map((row) => row.id).sort());
    expect(local.some((event) => event['action'] === 'claim')).toBe(true);
  });

  it('fails a fetch offline with a NetworkError and leaves the item missing', async () => {
    const { itemId } = await submitNewListing(server);
    const ws = await workstation();
    await ws.engine.syncOnce();
    faults.offline = true;
    await expect(
      fetchItemRows(ws.db, sessionTransport(ws.session, fetch), [itemId]),
    ).rejects.toBeInstanceOf(NetworkError);
    expect(await itemsMissingRows(ws.db, [itemId])).toEqual([itemId]);
  });

  it('needs no fetch after a full bootstrap', async () => {
    const { itemId } = await submitNewListing(server);
    const ws = await workstation();
    await ws.engine.syncOnce();
    await ws.db.meta.put({ key: META.deferredTables, value: [] });
    expect(await itemsMissingRows(ws.db, [itemId])).toEqual([]);
  });
});

describe('rows arriving by delta and by fetch in either order', () => {
  const change = (id: string, version: number, op: 'put' | 'del' = 'put'): RowChange =>
    op === 'put'
      ? { table: 'audit_events', id, op, version, data: { action: `v${String(version)}` } }
      : { table: 'audit_events', id, op, version };
  const toRow = (row: RowChange & { data: Readonly<Record<string, unknown>> }): MirrorRow => ({
    ...row.data,
    id: row.id,
    _version: row.version,
  });

  async function apply(ws: Workstation, changes: RowChange[]): Promise<void> {
    await ws.db.transaction(
      'rw',
      [ws.db.mirror('audit_events'), ...deferredBookkeeping(ws.db)],
      () => applyDeferrableChanges(ws.db, 'audit_events', changes, toRow),
    );
  }

  it('keeps the newest version of a row, never an older one written later', async () => {
    const ws = await workstation();
    await apply(ws, [change('a', 5)]);
    await apply(ws, [change('a', 3)]);
    expect(await ws.db.mirror('audit_events').get('a')).toMatchObject({
      _version: 5,
      action: 'v5',
    });
    await apply(ws, [change('a', 7)]);
    expect(await ws.db.mirror('audit_events').get('a')).toMatchObject({ _version: 7 });
  });

  it('never brings a deleted row back from an older snapshot', async () => {
    const ws = await workstation();
    await apply(ws, [change('a', 5)]);
    await apply(ws, [change('a', 6, 'del')]);
    await apply(ws, [change('a', 5)]);
    expect(await ws.db.mirror('audit_events').get('a')).toBeUndefined();
    // A deletion older than the stored row does not remove it…
    await apply(ws, [change('b', 8), change('b', 4, 'del')]);
    expect(await ws.db.mirror('audit_events').get('b')).toMatchObject({ _version: 8 });
    // …and a row written again after its deletion comes back.
    await apply(ws, [change('a', 9)]);
    expect(await ws.db.mirror('audit_events').get('a')).toMatchObject({ _version: 9 });
  });
});
