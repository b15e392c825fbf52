import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer } from '../harness';
import { listingDocument, TestSyncClient } from '../sync/client';

/**
 * Assisted entry's confirmation: the assistant enters a listing for the institution and sends it
 * for confirmation; the institution's submitter confirms (which submits it) or returns it with a
 * comment. The audit trail says who entered and who confirmed it.
 */
let server: TestServer;

beforeEach(async () => {
  server = await createTestServer();
});
afterEach(async () => {
  await server.close();
});

/** A complete draft the assistant enters for the test institution. */
async function assistedDraft(document = listingDocument('澳洲硕士申请（纸质材料录入）')) {
  const created = await server.as('assistant1', 'POST', '/api/v1/listings', {
    institutionId: (await server.db.query<{ id: string }>('SELECT id FROM institutions LIMIT 1'))[0]
      ?.id,
    document,
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ id: string }>().id;
}

const confirmationOf = async (id: string) =>
  (await server.as('submitter1', 'GET', `/api/v1/listings/${id}`)).json<{
    state: string;
    confirmation: Record<string, unknown> | null;
  }>();

describe('assisted entry: confirmation by the institution', () => {
  it('sends, confirms (submitting it) and records who entered and who confirmed', async () => {
    const id = await assistedDraft();
    const sent = await server.as('assistant1', 'POST', `/api/v1/listings/${id}/confirmation`, {
      message: '请核对价格与资质有效期',
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({
      confirmation: { status: 'requested', message: '请核对价格与资质有效期', answeredBy: null },
    });
    const assistantId = await server.userId('assistant1');
    expect((await confirmationOf(id)).confirmation).toMatchObject({
      status: 'requested',
      requestedBy: { id: assistantId },
    });

    // While it waits, the assistant cannot change it (REST and outbox alike); a second request is refused.
    const edit = await server.as(
      'assistant1',
      'PUT',
      `/api/v1/listings/${id}/draft`,
      listingDocument('改名'),
    );
    expect(edit.statusCode).toBe(409);
    expect(edit.json()).toMatchObject({ error: { code: 'AWAITING_CONFIRMATION' } });
    const listing = await server.as('assistant1', 'GET', `/api/v1/listings/${id}`);
    const { currentRevisionId, currentRowVersion } = listing.json<{
      currentRevisionId: string;
      currentRowVersion: number;
    }>();
    const offlineEdit = await new TestSyncClient(server, 'assistant1').do('saveDraft', {
      listingId: id,
      document: listingDocument('离线改名'),
      baseRevisionId: currentRevisionId,
      baseRowVersion: currentRowVersion,
    });
    expect(offlineEdit).toMatchObject({
      status: 'conflict',
      details: { reason: 'AWAITING_CONFIRMATION' },
    });
    const again = await server.as('assistant1', 'POST', `/api/v1/listings/${id}/confirmation`, {});
    expect(again.json()).toMatchObject({ error: { code: 'CONFIRMATION_PENDING' } });
    // Only the submitter answers; an assistant or collaborator cannot confirm.
    for (const username of ['assistant1', 'collaborator1'] as const) {
      const answer = await server.as(
        username,
        'POST',
        `/api/v1/listings/${id}/confirmation/confirm`,
      );
      expect(answer.statusCode).toBe(403);
    }

    const confirmed = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${id}/confirmation/confirm`,
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const { itemId } = confirmed.json<{ itemId: string }>();
    const submitterId = await server.userId('submitter1');
    const after = await confirmationOf(id);
    expect(after.state).toBe('pending');
    expect(after.confirmation).toMatchObject({
      status: 'confirmed',
      answeredBy: { id: submitterId },
      itemId,
    });

    const audit = await server.db.query<{
      action: string;
      actor_id: string;
      details: Record<string, unknown>;
    }>(
      `SELECT action, actor_id, details FROM audit_events WHERE subject_id = $1 ORDER BY at, row_version`,
      [id],
    );
    const actions = audit.map((event) => [event.action, event.actor_id]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['create', assistantId],
        ['request_confirmation', assistantId],
        ['submit', submitterId],
        ['confirm', submitterId],
      ]),
    );
    expect(audit.find((event) => event.action === 'confirm')?.details).toMatchObject({
      enteredById: assistantId,
    });
  });

  it('returns it with a comment, after which the assistant edits and sends it again', async () => {
    const id = await assistedDraft();
    await server.as('assistant1', 'POST', `/api/v1/listings/${id}/confirmation`, {});
    const noComment = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${id}/confirmation/return`,
      {},
    );
    expect(noComment.statusCode).toBe(400);
    const returned = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${id}/confirmation/return`,
      {
        comment: '旗舰套餐价格应为 68,000 元',
      },
    );
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({
      confirmation: { status: 'returned', comment: '旗舰套餐价格应为 68,000 元' },
    });
    expect((await confirmationOf(id)).state).toBe('draft');
    const edit = await server.as(
      'assistant1',
      'PUT',
      `/api/v1/listings/${id}/draft`,
      listingDocument('澳洲硕士（已改价）'),
    );
    expect(edit.statusCode).toBe(200);
    const resent = await server.as('assistant1', 'POST', `/api/v1/listings/${id}/confirmation`, {});
    expect(resent.statusCode).toBe(201);
    const nothing = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${id}/confirmation/return`,
      {
        comment: '再看看',
      },
    );
    expect(nothing.statusCode).toBe(200);
    const none = await server.as(
      'submitter1',
      'POST',
      `/api/v1/listings/${id}/confirmation/confirm`,
    );
    expect(none.json()).toMatchObject({ error: { code: 'NO_CONFIRMATION_PENDING' } });
  });

  it('refuses drafts with errors, non-drafts, unknown listings, the submitter and staff as senders', async () => {
    const broken = listingDocument('缺字段');
    (broken['basic'] as Record<string, unknown>)['name'] = '';
    const incomplete = await assistedDraft(broken);
    const invalid = await server.as(
      'assistant1',
      'POST',
      `/api/v1/listings/${incomplete}/confirmation`,
      {},
    );
    expect(invalid.statusCode).toBe(422);

    const id = await assistedDraft();
    expect(
      (await server.as('submitter1', 'POST', `/api/v1/listings/${id}/confirmation`, {})).statusCode,
    ).toBe(403);
    expect(
      (await server.as('reviewer1', 'POST', `/api/v1/listings/${id}/confirmation`, {})).statusCode,
    ).toBe(403);
    const tooLong = await server.as('assistant1', 'POST', `/api/v1/listings/${id}/confirmation`, {
      message: '长'.repeat(2001),
    });
    expect(tooLong.statusCode).toBe(400);
    const submitted = await server.as('submitter1', 'POST', `/api/v1/listings/${id}/submit`);
    expect(submitted.statusCode).toBe(200);
    const notDraft = await server.as(
      'assistant1',
      'POST',
      `/api/v1/listings/${id}/confirmation`,
      {},
    );
    expect(notDraft.json()).toMatchObject({ error: { code: 'NOT_A_DRAFT' } });
    const unknown = await server.as(
      'assistant1',
      'POST',
      '/api/v1/listings/00000000-0000-4000-8000-0000000000ff/confirmation',
      {},
    );
    expect(unknown.statusCode).toBe(404);
  });
});
