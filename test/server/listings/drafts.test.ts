import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeJson } from '#shared/diff/merge';
import type { JsonValue } from '#shared/diff/patch';
import { createTestServer, type TestServer } from '../harness';
import { listingDocument, submitNewListing, TestSyncClient } from '../sync/client';
import { inviteCollaborator } from './invite';

/**
 * The `saveDraft` mutation: a draft edited on a device reaches the server through the outbox,
 * exactly once; an edit based on a draft that moved on meanwhile is a STALE_BASE conflict with
 * the server's document (never an overwrite), which the device merges and sends again.
 */
let server: TestServer;

beforeEach(async () => {
  server = await createTestServer();
});
afterEach(async () => {
  await server.close();
});

interface ListingAnswer {
  currentRevisionId: string;
  currentRowVersion: number;
  document: Record<string, unknown>;
  state: string;
}

async function newDraft(): Promise<{ id: string } & ListingAnswer> {
  const created = await server.as('submitter1', 'POST', '/api/v1/listings', {
    document: listingDocument('英国硕士申请'),
  });
  expect(created.statusCode).toBe(201);
  const { id } = created.json<{ id: string }>();
  return { id, ...(await read(id)) };
}

async function read(id: string): Promise<ListingAnswer> {
  const answer = await server.as('submitter1', 'GET', `/api/v1/listings/${id}`);
  expect(answer.statusCode).toBe(200);
  return answer.json<ListingAnswer>();
}

const named = (document: Record<string, unknown>, name: string, city?: string) => {
  const copy = structuredClone(document);
  const basic = copy['basic'] as Record<string, unknown>;
  basic['name'] = name;
  if (city !== undefined) {
    basic['city'] = city;
  }
  return copy;
};

describe('saveDraft through the outbox', () => {
  it('saves an edit based on the current draft once, even when the push is replayed', async () => {
    const draft = await newDraft();
    const device = new TestSyncClient(server, 'submitter1');
    const [envelope] = device.record({
      name: 'saveDraft',
      args: {
        listingId: draft.id,
        document: named(draft.document, '英国硕士申请（2027 秋）'),
        baseRevisionId: draft.currentRevisionId,
        baseRowVersion: draft.currentRowVersion,
      },
    });
    const [first] = await device.push([envelope!]);
    expect(first).toMatchObject({
      status: 'applied',
      details: { revisionId: draft.currentRevisionId },
    });
    const saved = await read(draft.id);
    expect((saved.document['basic'] as Record<string, unknown>)['name']).toBe(
      '英国硕士申请（2027 秋）',
    );
    expect(saved.currentRowVersion).toBeGreaterThan(draft.currentRowVersion);
    expect((first?.details as { rowVersion: number }).rowVersion).toBe(saved.currentRowVersion);

    // The answer was lost; the device sends the same mutation again: the stored answer comes
    // back and nothing is saved a second time.
    const [again] = await device.push([envelope!]);
    expect(again).toEqual(first);
    expect((await read(draft.id)).currentRowVersion).toBe(saved.currentRowVersion);
  });

  it('answers an edit of a draft that moved on with the server document; the merge then lands', async () => {
    const draft = await newDraft();
    await inviteCollaborator(server, draft.id);
    const laptop = new TestSyncClient(server, 'submitter1');
    const desktop = new TestSyncClient(server, 'collaborator1');
    const base = { revisionId: draft.currentRevisionId, rowVersion: draft.currentRowVersion };

    // The collaborator's desktop renames it; the submitter's laptop, offline, changes the city.
    const desktopSave = await desktop.do('saveDraft', {
      listingId: draft.id,
      document: named(draft.document, '英国硕士直通车'),
      baseRevisionId: base.revisionId,
      baseRowVersion: base.rowVersion,
    });
    expect(desktopSave.status).toBe('applied');
    const mine = named(draft.document, '英国硕士申请', '曼彻斯特');
    const refused = await laptop.do('saveDraft', {
      listingId: draft.id,
      document: mine,
      baseRevisionId: base.revisionId,
      baseRowVersion: base.rowVersion,
    });
    expect(refused).toMatchObject({ status: 'conflict', code: 'STALE_BASE' });
    const details = refused.details as {
      document: Record<string, unknown>;
      rowVersion: number;
      revisionId: string;
    };
    // Nothing was overwritten: the server still holds the desktop's name and the old city.
    const between = await read(draft.id);
    expect((between.document['basic'] as Record<string, unknown>)['name']).toBe('英国硕士直通车');
    expect(details.document).toEqual(between.document);

    // The laptop merges three-way: their name, my city, no conflict; then saves on the new base.
    const { merged, conflicts } = mergeJson(
      draft.document as JsonValue,
      mine as JsonValue,
      details.document as JsonValue,
    );
    expect(conflicts).toEqual([]);
    const resent = await laptop.do('saveDraft', {
      listingId: draft.id,
      document: merged,
      baseRevisionId: details.revisionId,
      baseRowVersion: details.rowVersion,
    });
    expect(resent.status).toBe('applied');
    const basic = (await read(draft.id)).document['basic'] as Record<string, unknown>;
    expect([basic['name'], basic['city']]).toEqual(['英国硕士直通车', '曼彻斯特']);
  });

  it('keeps a submitted listing as reviewed: an edit arriving after the submit is a conflict', async () => {
    const { listingId } = await submitNewListing(server);
    await inviteCollaborator(server, listingId);
    const before = await read(listingId);
    const late = await new TestSyncClient(server, 'collaborator1').do('saveDraft', {
      listingId,
      document: named(before.document, '迟到的修改'),
      baseRevisionId: before.currentRevisionId,
      baseRowVersion: before.currentRowVersion,
    });
    expect(late).toMatchObject({
      status: 'conflict',
      code: 'STALE_BASE',
      details: { revisionState: 'pending' },
    });
    expect(((await read(listingId)).document['basic'] as Record<string, unknown>)['name']).not.toBe(
      '迟到的修改',
    );
  });

  it('refuses other institutions, unknown listings and documents the database cannot store', async () => {
    const draft = await newDraft();
    const args = {
      listingId: draft.id,
      document: draft.document,
      baseRevisionId: draft.currentRevisionId,
      baseRowVersion: draft.currentRowVersion,
    };
    const reviewer = new TestSyncClient(server, 'reviewer1');
    expect(await reviewer.do('saveDraft', args)).toMatchObject({
      status: 'rejected',
      code: 'FORBIDDEN',
    });
    const submitter = new TestSyncClient(server, 'submitter1');
    expect(
      await submitter.do('saveDraft', {
        ...args,
        listingId: '00000000-0000-4000-8000-0000000000ff',
      }),
    ).toMatchObject({ status: 'rejected', code: 'NOT_FOUND' });
    expect(
      await submitter.do('saveDraft', { ...args, document: { basic: { name: 'a\u0000b' } } }),
    ).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
      details: { reason: 'unstorable_document' },
    });
    expect(await submitter.do('saveDraft', { ...args, baseRowVersion: -1 })).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION',
    });
  });
});
