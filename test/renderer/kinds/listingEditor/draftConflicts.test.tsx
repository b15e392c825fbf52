import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ListingDraftRow } from '../../../../renderer/src/db/database';
import {
  emptyDocument,
  getAt,
  setAt,
} from '../../../../renderer/src/kinds/listingEditor/draftDocument';
import { fakeFetch, makeUser, renderSignedIn } from '../../app/harness';

/**
 * The conflict view of a draft (issue 11): a draft whose three-way merge left fields both sides
 * changed shows each with mine and theirs, cannot be submitted, and sends nothing until every
 * field is decided; then the merge goes into the outbox as one `saveDraft` on the new base.
 */

const INSTITUTION = { id: randomUUID(), name: '杭州明远教育科技有限公司', kind: 'institution' };
const LISTING_ID = randomUUID();
const REVISION_ID = randomUUID();

const offlineFetch = fakeFetch(() => {
  throw new TypeError('Failed to fetch');
});

afterEach(() => {
  vi.unstubAllGlobals();
  window.location.hash = '';
});

function conflictedDraft(): ListingDraftRow {
  const provider = { kind: 'institution' as const, id: INSTITUTION.id, name: INSTITUTION.name };
  const base = setAt(emptyDocument(provider), ['basic', 'name'], '英国硕士申请') as Record<
    string,
    unknown
  >;
  const theirs = setAt(base, ['basic', 'name'], '英国硕士申请（A 机）') as Record<string, unknown>;
  const mine = setAt(
    setAt(base, ['basic', 'name'], '英国硕士申请（B 机）'),
    ['risk', 'disclosure'],
    'B 写的风险说明',
  ) as Record<string, unknown>;
  return {
    id: randomUUID(),
    listingId: LISTING_ID,
    institutionId: null,
    document: mine,
    base: theirs,
    baseRevisionId: REVISION_ID,
    baseRowVersion: 7,
    pending: null,
    conflicts: [
      {
        path: '/basic/name',
        base: '英国硕士申请',
        mine: '英国硕士申请（B 机）',
        theirs: '英国硕士申请（A 机）',
      },
    ],
    updatedAt: Date.now(),
    pushedAt: Date.now() - 60_000,
  };
}

describe('the draft conflict view', () => {
  it('shows mine and theirs per field, blocks submitting, and sends the pick on the new base (zh-CN)', async () => {
    vi.stubGlobal('fetch', offlineFetch);
    const draft = conflictedDraft();
    window.location.hash = `#/listings/${LISTING_ID}/edit`;
    const rendered = await renderSignedIn(makeUser('submitter'), {
      locale: 'zh-CN',
      fetch: offlineFetch,
      prepare: async (workspace) => {
        await workspace.db.mirror('institutions').put({ ...INSTITUTION, _version: 1 });
        await workspace.db.listingDrafts.put(draft);
      },
    });
    rendered.workspace.setStatus({ online: false });
    const card = await screen.findByTestId('draft-conflict');
    expect(card.dataset['field']).toBe('/basic/name');
    expect(within(card).getByTestId('conflict-mine').textContent).toContain('英国硕士申请（B 机）');
    expect(within(card).getByTestId('conflict-theirs').textContent).toContain(
      '英国硕士申请（A 机）',
    );
    expect(card.textContent).toContain('项目名称');
    expect(screen.getByTestId('draft-status').dataset['state']).toBe('conflict');
    expect(screen.getByTestId<HTMLButtonElement>('submit-listing').disabled).toBe(true);
    // Nothing goes to the outbox while the conflict is open.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await rendered.workspace.db.outbox.count()).toBe(0);

    await userEvent.click(within(card).getByTestId('conflict-take-theirs'));
    await waitFor(() => {
      expect(screen.queryByTestId('draft-conflict')).toBeNull();
    });
    await waitFor(async () => {
      expect(await rendered.workspace.db.outbox.count()).toBe(1);
    });
    const [sent] = await rendered.workspace.db.outbox.toArray();
    expect(sent?.name).toBe('saveDraft');
    const args = sent?.args as {
      listingId: string;
      document: Record<string, unknown>;
      baseRevisionId: string;
      baseRowVersion: number;
    };
    expect(args.listingId).toBe(LISTING_ID);
    expect(args.baseRevisionId).toBe(REVISION_ID);
    expect(args.baseRowVersion).toBe(7);
    expect(getAt(args.document, ['basic', 'name'])).toBe('英国硕士申请（A 机）');
    expect(getAt(args.document, ['risk', 'disclosure'])).toBe('B 写的风险说明');
    const stored = await rendered.workspace.db.listingDrafts.get(draft.id);
    expect(stored?.conflicts ?? null).toBeNull();
    expect(stored?.pending?.mutationId).toBe(sent?.mutationId);
  });

  it('keeps mine when chosen (en)', async () => {
    vi.stubGlobal('fetch', offlineFetch);
    const draft = conflictedDraft();
    window.location.hash = `#/listings/${LISTING_ID}/edit`;
    const rendered = await renderSignedIn(makeUser('submitter'), {
      locale: 'en',
      fetch: offlineFetch,
      prepare: async (workspace) => {
        await workspace.db.mirror('institutions').put({ ...INSTITUTION, _version: 1 });
        await workspace.db.listingDrafts.put(draft);
      },
    });
    rendered.workspace.setStatus({ online: false });
    const card = await screen.findByTestId('draft-conflict');
    expect(within(card).getByTestId('conflict-mine').textContent).toContain('Mine');
    await userEvent.click(within(card).getByTestId('conflict-keep-mine'));
    await waitFor(async () => {
      expect(await rendered.workspace.db.outbox.count()).toBe(1);
    });
    const [sent] = await rendered.workspace.db.outbox.toArray();
    expect(getAt((sent?.args as { document: unknown }).document, ['basic', 'name'])).toBe(
      '英国硕士申请（B 机）',
    );
  });
});
