import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ListingDraftRow } from '../../../../renderer/src/db/database';
import {
  emptyDocument,
  moveItem,
  setAt,
  stepProgress,
  validateDraft,
} from '../../../../renderer/src/kinds/listingEditor/draftDocument';
import { fakeFetch, json, makeUser, renderSignedIn, type FakeWorkspace } from '../../app/harness';

/**
 * The listing editor (issue 11) in jsdom: issues at the fields in zh-CN and en, the progress
 * overview, keyboard reordering of a repeater, the CNY equivalent of a foreign price, and the
 * draft autosaved in Dexie, restored after a "reload" and pushed to the (fake) server.
 */

const INSTITUTION = { id: randomUUID(), name: '杭州明远教育科技有限公司', kind: 'institution' };
const LISTING_ID = randomUUID();

interface FakeServer {
  readonly fetch: ReturnType<typeof fakeFetch>;
  readonly saved: unknown[];
}

function listingServer(online = true): FakeServer {
  const saved: unknown[] = [];
  const fetch = fakeFetch((url, init) => {
    if (!online) {
      throw new TypeError('Failed to fetch');
    }
    const path = new URL(url).pathname;
    if (path === '/auth/refresh') {
      return json(200, { accessToken: 'access', refreshToken: 'refresh-2' });
    }
    if (path === '/api/v1/listings' && init?.method === 'POST') {
      return json(201, { id: LISTING_ID, revisionId: randomUUID() });
    }
    if (path === `/api/v1/listings/${LISTING_ID}/draft` && init?.method === 'PUT') {
      saved.push(JSON.parse(init.body as string));
      return json(200, { id: LISTING_ID, revisionId: randomUUID(), issues: [] });
    }
    return json(200, {});
  });
  return { fetch, saved };
}

async function prepare(workspace: FakeWorkspace, draft?: ListingDraftRow): Promise<void> {
  await workspace.db.mirror('institutions').put({ ...INSTITUTION, _version: 1 });
  if (draft !== undefined) {
    await workspace.db.listingDrafts.put(draft);
  }
}

function draftRow(document: Record<string, unknown>, id = randomUUID()): ListingDraftRow {
  return {
    id,
    listingId: '',
    institutionId: null,
    document,
    base: null,
    updatedAt: Date.now(),
    pushedAt: null,
  };
}

const provider = { kind: 'institution' as const, id: INSTITUTION.id, name: INSTITUTION.name };

afterEach(() => {
  vi.unstubAllGlobals();
  window.location.hash = '';
});

describe('draft document helpers', () => {
  it('sets and removes values by path without touching the original', () => {
    const doc = emptyDocument(provider);
    const next = setAt(doc, ['packages', 'items', 0, 'name'], '旗舰包') as Record<string, unknown>;
    expect(next['packages']).toEqual({
      items: [{ name: '旗舰包' }],
      refundPolicy: { templateId: 'standard_7_days' },
    });
    expect((doc['packages'] as { items: unknown[] }).items).toEqual([]);
    const removed = setAt(next, ['packages', 'refundPolicy'], undefined) as Record<string, unknown>;
    expect(removed['packages']).toEqual({ items: [{ name: '旗舰包' }] });
    expect(moveItem(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });

  it('reports every step of an empty listing as incomplete, with the server validator', () => {
    const progress = stepProgress(validateDraft(emptyDocument(provider), Date.now()));
    expect(progress.map((step) => [step.step, step.errors > 0])).toEqual([
      ['basic', true],
      ['highlights', false],
      ['packages', true],
      ['process', true],
      ['requirements', true],
      ['risk', true],
      ['credentials', true],
    ]);
  });
});

describe('listing editor screen', () => {
  it('shows the issue at the field as it is typed, in zh-CN, and marks the step incomplete', async () => {
    const server = listingServer();
    vi.stubGlobal('fetch', server.fetch);
    window.location.hash = '#/listings/new';
    await renderSignedIn(makeUser('assistant'), {
      locale: 'zh-CN',
      fetch: server.fetch,
      prepare: (workspace) => prepare(workspace),
    });
    expect(await screen.findByRole('link', { name: '新建项目' })).toBeTruthy();
    const name = await screen.findByLabelText(/^项目名称/);
    // Nothing shows before the field is touched.
    expect(screen.queryAllByTestId('field-issue')).toHaveLength(0);
    fireEvent.change(name, { target: { value: `英国硕士申请${'甲'.repeat(25)}` } });
    await waitFor(() => {
      const issue = screen.getByTestId('field-issue');
      expect(issue.getAttribute('data-code')).toBe('too_long');
      expect(issue.textContent).toBe('「项目名称」最多 30 个字，当前 31 个字');
    });
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/31 \/ 30/)).toBeTruthy();
    const basicTab = screen
      .getAllByTestId('step-tab')
      .find((tab) => tab.dataset['step'] === 'basic');
    expect(basicTab?.dataset['complete']).toBe('false');
    // An assistant's draft reaches the server once the institution is picked (the server
    // refuses an assistant's listing without one): then it is created and the address names it.
    expect(window.location.hash).toMatch(/^#\/listings\/new\?draft=/);
    await userEvent.click(screen.getByTestId('provider-select'));
    await userEvent.click(
      await screen.findByRole('option', { name: new RegExp(INSTITUTION.name), hidden: true }),
    );
    await waitFor(() => {
      expect(window.location.hash).toBe(`#/listings/${LISTING_ID}/edit`);
    });
  });

  it('reorders a repeater with Alt+ArrowUp on the focused row and announces it (en)', async () => {
    const server = listingServer();
    vi.stubGlobal('fetch', server.fetch);
    const doc = setAt(
      emptyDocument(provider),
      ['highlights', 'advantages'],
      ['Alpha', 'Beta', 'Gamma'],
    );
    const draft = draftRow(doc as Record<string, unknown>);
    window.location.hash = `#/listings/new?draft=${draft.id}`;
    await renderSignedIn(makeUser('assistant'), {
      locale: 'en',
      fetch: server.fetch,
      prepare: (workspace) => prepare(workspace, draft),
    });
    const highlightsTab = (await screen.findAllByTestId('step-tab')).find(
      (tab) => tab.dataset['step'] === 'highlights',
    );
    await userEvent.click(highlightsTab!);
    const list = await screen.findByTestId('advantages');
    const values = () =>
      within(list)
        .getAllByRole('textbox')
        .map((input) => (input as HTMLInputElement).value);
    expect(values()).toEqual(['Alpha', 'Beta', 'Gamma']);
    const gamma = within(list).getAllByRole('textbox')[2] as HTMLInputElement;
    gamma.focus();
    await userEvent.keyboard('{Alt>}{ArrowUp}{/Alt}');
    await waitFor(() => {
      expect(values()).toEqual(['Alpha', 'Gamma', 'Beta']);
    });
    expect(within(list).getByTestId('repeater-announcement').textContent).toBe(
      'Advantage 3 moved to position 2',
    );
    await waitFor(() => {
      expect((document.activeElement as HTMLInputElement).value).toBe('Gamma');
    });
    // The buttons do the same.
    await userEvent.click(within(list).getByRole('button', { name: /Move Advantage 2 up/ }));
    await waitFor(() => {
      expect(values()).toEqual(['Gamma', 'Alpha', 'Beta']);
    });
  });

  it('shows the CNY equivalent of a price in another currency', async () => {
    const server = listingServer();
    vi.stubGlobal('fetch', server.fetch);
    const doc = setAt(
      emptyDocument(provider),
      ['packages', 'items'],
      [
        {
          id: 'pkg-1',
          name: 'Flagship',
          price: { kind: 'range', currency: 'GBP', min: '1000', max: '2000' },
          serviceItems: ['Essay'],
          sessions: 10,
          seats: 5,
        },
      ],
    );
    const draft = draftRow(doc as Record<string, unknown>);
    window.location.hash = `#/listings/new?draft=${draft.id}`;
    await renderSignedIn(makeUser('assistant'), {
      locale: 'zh-CN',
      fetch: server.fetch,
      prepare: (workspace) => prepare(workspace, draft),
    });
    const tab = (await screen.findAllByTestId('step-tab')).find(
      (element) => element.dataset['step'] === 'packages',
    );
    await userEvent.click(tab!);
    const cny = await screen.findByTestId('price-cny');
    expect(cny.textContent).toMatch(/^约合 ¥[\d,]+\.\d{2} – ¥[\d,]+\.\d{2}/);
    expect(cny.textContent).toContain('GBP');
    // An inverted range is reported at the minimum once the package step was visited.
    const min = screen.getByLabelText(/^最低价/);
    fireEvent.change(min, { target: { value: '3000' } });
    await waitFor(() => {
      expect(
        screen
          .getAllByTestId('field-issue')
          .some((issue) => issue.dataset['code'] === 'range_inverted'),
      ).toBe(true);
    });
  });

  it('autosaves to Dexie, restores the draft after a reload and saves it to the server', async () => {
    const machine = new IDBFactory();
    const user = makeUser('assistant');
    const offline = listingServer(false);
    vi.stubGlobal('fetch', offline.fetch);
    const draft = draftRow(emptyDocument(provider));
    window.location.hash = `#/listings/new?draft=${draft.id}`;
    const first = await renderSignedIn(user, {
      locale: 'en',
      fetch: offline.fetch,
      indexedDB: machine,
      prepare: (workspace) => prepare(workspace, draft),
    });
    first.workspace.setStatus({ online: false });
    const name = await screen.findByLabelText(/^Project name/);
    fireEvent.change(name, { target: { value: '英国硕士申请旗舰包' } });
    expect(screen.getByTestId('draft-status').dataset['state']).toBe('saving');
    await waitFor(async () => {
      const row = await first.workspace.db.listingDrafts.get(draft.id);
      expect((row?.document['basic'] as { name?: string }).name).toBe('英国硕士申请旗舰包');
    });
    await waitFor(() => {
      expect(screen.getByTestId('draft-status').dataset['state']).toBe('offline');
    });
    first.unmount();

    // "Reload", back online: the draft is there and goes to the server.
    const server = listingServer();
    vi.stubGlobal('fetch', server.fetch);
    await renderSignedIn(user, { locale: 'en', fetch: server.fetch, indexedDB: machine });
    const restored = await screen.findByLabelText<HTMLInputElement>(/^Project name/);
    expect(restored.value).toBe('英国硕士申请旗舰包');
    await waitFor(() => {
      expect(screen.getByTestId('draft-status').textContent).toBe('Saved to server');
    });
    expect(server.fetch.calls).toContain('/api/v1/listings');
    expect((server.saved.at(-1) as { basic: { name: string } }).basic.name).toBe(
      '英国硕士申请旗舰包',
    );
    expect(window.location.hash).toBe(`#/listings/${LISTING_ID}/edit`);
  });
});
