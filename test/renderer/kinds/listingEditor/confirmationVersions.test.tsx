import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ListingDraftRow } from '../../../../renderer/src/db/database';
import { emptyDocument, setAt } from '../../../../renderer/src/kinds/listingEditor/draftDocument';
import { fakeFetch, json, makeUser, renderSignedIn, type FakeWorkspace } from '../../app/harness';

/**
 * Institution confirmation and versions in the listing editor (issue 11), in jsdom against a
 * fake server: the assistant's refused and accepted "send for confirmation" and the read-only
 * banner, the returned comment, the submitter's confirm and the "awaiting your confirmation"
 * list, the versions list with "copy into draft" (and undo) and "compare with live".
 */

const INSTITUTION = { id: randomUUID(), name: '杭州明远教育科技有限公司', kind: 'institution' };
const LISTING_ID = randomUUID();
const provider = { kind: 'institution' as const, id: INSTITUTION.id, name: INSTITUTION.name };
const person = (name: string) => ({ id: randomUUID(), name });
const ASSISTANT = person('录入助理');
const SUBMITTER = person('明远提交人');

const draftDocument = setAt(
  emptyDocument(provider),
  ['basic', 'name'],
  '澳洲硕士申请 2027 春季',
) as Record<string, unknown>;
const liveDocument = setAt(emptyDocument(provider), ['basic', 'name'], '澳洲硕士申请') as Record<
  string,
  unknown
>;

function deviceDraft(): ListingDraftRow {
  const at = Date.now() - 60_000;
  return {
    id: randomUUID(),
    listingId: LISTING_ID,
    institutionId: INSTITUTION.id,
    document: draftDocument,
    base: draftDocument,
    updatedAt: at,
    pushedAt: at,
  };
}

function confirmation(
  status: 'requested' | 'returned' | 'confirmed',
  comment: string | null = null,
) {
  return {
    id: randomUUID(),
    status,
    revisionId: randomUUID(),
    requestedBy: ASSISTANT,
    requestedAt: '2026-11-20T02:00:00.000Z',
    message: '',
    answeredBy: status === 'requested' ? null : SUBMITTER,
    answeredAt: status === 'requested' ? null : '2026-11-20T03:00:00.000Z',
    comment,
    itemId: status === 'confirmed' ? randomUUID() : null,
  };
}

/** A fake server whose listing status the test moves along; requests are recorded. */
function fakeServer() {
  const state = {
    listing: { state: 'draft', confirmation: null as ReturnType<typeof confirmation> | null },
    refuseNextSend: false,
    document: draftDocument,
    requests: [] as string[],
  };
  const fetch = fakeFetch((url, init) => {
    const path = new URL(url).pathname;
    const method = init?.method ?? 'GET';
    state.requests.push(`${method} ${path}`);
    if (path === '/auth/refresh') {
      return json(200, { accessToken: 'access', refreshToken: 'refresh-2' });
    }
    const base = `/api/v1/listings/${LISTING_ID}`;
    if (path === base && method === 'GET') {
      return json(200, {
        id: LISTING_ID,
        institutionId: INSTITUTION.id,
        currentRevisionId: randomUUID(),
        currentRowVersion: 1,
        liveRevisionId: null,
        document: state.document,
        revisions: [],
        ...state.listing,
      });
    }
    if (path === `${base}/confirmation` && method === 'POST') {
      if (state.refuseNextSend) {
        state.refuseNextSend = false;
        return json(422, {
          error: {
            code: 'VALIDATION',
            message: 'The draft has errors',
            details: {
              issues: [
                {
                  path: ['risk', 'confirmed'],
                  code: 'required',
                  severity: 'error',
                  message: { 'zh-CN': '请确认风险提示', en: 'Confirm the risk disclosure' },
                },
              ],
            },
          },
        });
      }
      state.listing = { state: 'draft', confirmation: confirmation('requested') };
      return json(201, { id: LISTING_ID, confirmation: state.listing.confirmation });
    }
    if (path === `${base}/confirmation/confirm` && method === 'POST') {
      state.listing = { state: 'pending', confirmation: confirmation('confirmed') };
      return json(200, { id: LISTING_ID, itemId: randomUUID(), revisionId: randomUUID() });
    }
    if (path === `${base}/confirmation/return` && method === 'POST') {
      const { comment } = JSON.parse(init?.body as string) as { comment: string };
      state.listing = { state: 'draft', confirmation: confirmation('returned', comment) };
      return json(200, { id: LISTING_ID, confirmation: state.listing.confirmation });
    }
    if (path === '/api/v1/listings/confirmations') {
      return json(200, {
        confirmations: [
          {
            listingId: LISTING_ID,
            name: '澳洲硕士申请 2027 春季',
            institutionId: INSTITUTION.id,
            institutionName: INSTITUTION.name,
            status: 'requested',
            requestedBy: ASSISTANT,
            requestedAt: '2026-11-20T02:00:00.000Z',
            message: '',
            answeredAt: null,
            comment: null,
          },
        ],
      });
    }
    if (path === `${base}/versions`) {
      return json(200, {
        id: LISTING_ID,
        versions: [
          version(2, 'draft', { current: true }),
          version(1, 'live', { live: true, submittedBy: SUBMITTER, decidedBy: person('王芳') }),
        ],
      });
    }
    if (path === `${base}/versions/1`) {
      return json(200, { number: 1, state: 'live', live: true, document: liveDocument });
    }
    // The other panels of the editor (collaborators, operation history): nothing to show.
    if (path === `${base}/collaborators`) {
      return json(200, {
        ownerId: randomUUID(),
        canManage: false,
        collaborators: [],
        candidates: [],
      });
    }
    if (path === `${base}/operations`) {
      return json(200, { operations: [] });
    }
    if (method === 'PUT') {
      return json(200, { id: LISTING_ID, revisionId: randomUUID(), issues: [] });
    }
    return json(200, {});
  });
  return { fetch, state };
}

function version(
  number: number,
  state: string,
  extra: Partial<Record<'live' | 'current', boolean>> &
    Partial<Record<'submittedBy' | 'decidedBy', { id: string; name: string }>>,
) {
  return {
    id: randomUUID(),
    number,
    state,
    live: extra.live ?? false,
    current: extra.current ?? false,
    createdAt: '2026-11-01T02:00:00.000Z',
    updatedAt: '2026-11-01T02:00:00.000Z',
    createdBy: SUBMITTER,
    submittedAt: extra.submittedBy === undefined ? null : '2026-11-02T02:00:00.000Z',
    submittedBy: extra.submittedBy ?? null,
    decidedAt: extra.decidedBy === undefined ? null : '2026-11-03T02:00:00.000Z',
    decidedBy: extra.decidedBy ?? null,
    outcome: extra.decidedBy === undefined ? null : 'approve',
    enteredBy: null,
    confirmedBy: null,
  };
}

async function openEditor(
  role: 'assistant' | 'submitter',
  server: ReturnType<typeof fakeServer>,
  locale: 'en' | 'zh-CN' = 'en',
) {
  vi.stubGlobal('fetch', server.fetch);
  window.location.hash = `#/listings/${LISTING_ID}/edit`;
  await renderSignedIn(makeUser(role), {
    locale,
    fetch: server.fetch,
    prepare: async (workspace: FakeWorkspace) => {
      await workspace.db.mirror('institutions').put({ ...INSTITUTION, _version: 1 });
      await workspace.db.listingDrafts.put(deviceDraft());
    },
  });
  await screen.findByTestId('listing-editor');
}

const nameInput = () => screen.findByDisplayValue<HTMLInputElement>(/^澳洲硕士申请/);

afterEach(() => {
  vi.unstubAllGlobals();
  window.location.hash = '';
});

describe('institution confirmation in the editor', () => {
  it('shows the server’s issues when refused, then sends and locks the editor (en)', async () => {
    const server = fakeServer();
    server.state.refuseNextSend = true;
    await openEditor('assistant', server);
    const send = await screen.findByTestId('send-for-confirmation');
    await waitFor(() => {
      expect((send as HTMLButtonElement).disabled).toBe(false);
    });
    await userEvent.click(send);
    const refused = await screen.findByTestId('confirmation-refused');
    expect(within(refused).getByTestId('confirmation-issues').textContent).toContain(
      'Confirm the risk disclosure',
    );
    expect((await nameInput()).readOnly).toBe(false);

    await userEvent.click(screen.getByTestId('send-for-confirmation'));
    const banner = await screen.findByTestId('confirmation-banner');
    expect(banner.dataset['state']).toBe('requested');
    expect(banner.textContent).toContain('Waiting for the institution');
    await waitFor(async () => {
      expect((await nameInput()).readOnly).toBe(true);
    });
    expect(screen.queryByTestId('send-for-confirmation')).toBeNull();
    expect(server.state.requests.filter((r) => r.endsWith('/confirmation'))).toHaveLength(2);
  });

  it('shows the institution’s comment on a returned draft (zh-CN)', async () => {
    const server = fakeServer();
    server.state.listing = {
      state: 'draft',
      confirmation: confirmation('returned', '旗舰套餐价格应为 68,000 元'),
    };
    await openEditor('assistant', server, 'zh-CN');
    const returned = await screen.findByTestId('confirmation-returned');
    expect(within(returned).getByTestId('returned-comment').textContent).toBe(
      '旗舰套餐价格应为 68,000 元',
    );
    expect(returned.textContent).toContain('明远提交人');
    expect(screen.getByTestId('send-for-confirmation').textContent).toBe('提交机构确认');
    expect((await nameInput()).readOnly).toBe(false);
  });

  it('lets the submitter return what awaits them, with a comment', async () => {
    const server = fakeServer();
    server.state.listing = { state: 'draft', confirmation: confirmation('requested') };
    await openEditor('submitter', server);
    const request = await screen.findByTestId('confirmation-request');
    expect(request.textContent).toContain('Entered by 录入助理');
    const returnButton = within(request).getByTestId<HTMLButtonElement>('return-listing');
    expect(returnButton.disabled).toBe(true);
    await userEvent.type(within(request).getByRole('textbox'), 'Fix the price');
    await userEvent.click(returnButton);
    expect((await screen.findByTestId('confirmation-result')).dataset['result']).toBe('returned');
    expect(server.state.listing.confirmation?.comment).toBe('Fix the price');
  });
});

describe('the submitter’s older copy', () => {
  it('shows the draft as it was sent when this device kept an older copy', async () => {
    const server = fakeServer();
    server.state.listing = { state: 'draft', confirmation: confirmation('requested') };
    server.state.document = setAt(
      draftDocument,
      ['basic', 'name'],
      '澳洲硕士申请（已改价）',
    ) as Record<string, unknown>;
    await openEditor('submitter', server);
    await screen.findByTestId('confirmation-adopted');
    expect(screen.getByDisplayValue('澳洲硕士申请（已改价）')).toBeTruthy();
  });
});

describe('awaiting confirmation list', () => {
  it('lists the drafts awaiting the submitter’s confirmation on #/listings', async () => {
    const server = fakeServer();
    vi.stubGlobal('fetch', server.fetch);
    window.location.hash = '#/listings';
    await renderSignedIn(makeUser('submitter'), { locale: 'zh-CN', fetch: server.fetch });
    const list = await screen.findByTestId('confirmation-list');
    expect(list.textContent).toContain('待您确认');
    const row = within(list).getByTestId('confirmation-row');
    expect(row.dataset['status']).toBe('requested');
    expect(within(row).getByRole('link').getAttribute('href')).toBe(
      `#/listings/${LISTING_ID}/edit`,
    );
    expect(row.textContent).toContain('录入助理');
  });

  it('confirms, which submits it, and the editor becomes read-only', async () => {
    const server = fakeServer();
    server.state.listing = { state: 'draft', confirmation: confirmation('requested') };
    await openEditor('submitter', server);
    const confirm = await screen.findByTestId('confirm-listing');
    await waitFor(() => {
      expect((confirm as HTMLButtonElement).disabled).toBe(false);
    });
    await userEvent.click(confirm);
    expect((await screen.findByTestId('confirmation-result')).dataset['result']).toBe('confirmed');
    await waitFor(async () => {
      expect((await nameInput()).readOnly).toBe(true);
    });
    expect(server.state.requests).toContain(
      `POST /api/v1/listings/${LISTING_ID}/confirmation/confirm`,
    );
  });
});

describe('versions panel', () => {
  it('lists versions, copies one into the draft with undo, and compares the draft with live', async () => {
    const server = fakeServer();
    await openEditor('submitter', server);
    await userEvent.click(await screen.findByTestId('versions-open'));
    const rows = await screen.findAllByTestId('version-row');
    expect(rows.map((row) => [row.dataset['number'], row.dataset['state']])).toEqual([
      ['2', 'draft'],
      ['1', 'live'],
    ]);
    expect(rows[1]?.textContent).toContain('王芳');
    // The current draft cannot be copied onto itself.
    expect(within(rows[0]!).queryByTestId('version-copy')).toBeNull();

    await userEvent.click(screen.getByTestId('compare-live'));
    const compared = await screen.findByTestId('compare-with-live');
    expect(Number(compared.dataset['changes'])).toBeGreaterThan(0);
    const change = await within(compared).findAllByTestId('diff-change');
    expect(change.map((element) => element.dataset['pointer'])).toContain('/basic/name');
    await userEvent.click(screen.getByTestId('compare-back'));

    await userEvent.click(
      within(await screen.findByTestId('versions-table')).getByTestId('version-copy'),
    );
    await userEvent.click(await screen.findByTestId('version-copy-confirmed'));
    await waitFor(() => {
      expect(screen.getByDisplayValue('澳洲硕士申请')).toBeTruthy();
    });
    expect((await screen.findByTestId('version-copied')).textContent).toContain('Version 1');
    await userEvent.click(screen.getByTestId('version-copy-undo'));
    await waitFor(() => {
      expect(screen.getByDisplayValue('澳洲硕士申请 2027 春季')).toBeTruthy();
    });
  });
});
