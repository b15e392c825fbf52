import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ListingDraftRow } from '../../../../renderer/src/db/database';
import { fieldDomId } from '../../../../renderer/src/kinds/listingEditor/fields';
import type { Locale } from '#shared/i18n/localized';
import validFull from '../../../fixtures/listings/valid-full.json';
import { fakeFetch, makeUser, renderSignedIn, type FakeWorkspace } from '../../app/harness';

/**
 * Every limit of §5 that issue 11 names, in the editor: a draft holding each bad value (as an
 * assistant might have typed, or as an older device saved it) opens with the message at the
 * field in zh-CN and en, the input keeps the value uncut, and the device's draft still holds
 * it after "Check and save". The editor is offline here: limits are the editor's own job and
 * must not need the server.
 */

const INSTITUTION = { id: 'inst_0001', name: '北京启航远志教育咨询有限公司', kind: 'institution' };
const NAME_31 = '英'.repeat(31);
const ADVANTAGE_51 = '优'.repeat(51);
const INTRODUCTION_501 = `<p>${'字'.repeat(501)}</p>`;

type Doc = typeof validFull;

/** The complete fixture with the bad values written in; `edit` names which. */
function badDocument(edit: (doc: Doc) => void): Record<string, unknown> {
  const doc = structuredClone(validFull);
  edit(doc);
  return doc;
}

function draftRow(document: Record<string, unknown>): ListingDraftRow {
  return {
    id: randomUUID(),
    listingId: '',
    institutionId: null,
    document,
    base: null,
    updatedAt: Date.now(),
    pushedAt: null,
  };
}

const offlineFetch = fakeFetch(() => {
  throw new TypeError('Failed to fetch');
});

async function openDraft(draft: ListingDraftRow, locale: Locale): Promise<FakeWorkspace> {
  vi.stubGlobal('fetch', offlineFetch);
  window.location.hash = `#/listings/new?draft=${draft.id}`;
  const rendered = await renderSignedIn(makeUser('assistant'), {
    locale,
    fetch: offlineFetch,
    prepare: async (workspace) => {
      await workspace.db.mirror('institutions').put({ ...INSTITUTION, _version: 1 });
      await workspace.db.listingDrafts.put(draft);
    },
  });
  rendered.workspace.setStatus({ online: false });
  await screen.findByTestId('listing-editor');
  // "Check and save" shows every message at once, on every step.
  await userEvent.click(screen.getByTestId('save-now'));
  return rendered.workspace;
}

async function openStep(step: string): Promise<void> {
  const tab = screen.getAllByTestId('step-tab').find((element) => element.dataset['step'] === step);
  await userEvent.click(tab!);
  await waitFor(() => {
    expect(screen.getByTestId('editor-step').dataset['step'], `the step ${step} is shown`).toBe(
      step,
    );
  });
}

/** The issue codes and texts shown at the input of a JSON pointer (its Mantine error slot). */
function issuesAtField(pointer: string): { code: string; text: string }[] {
  const path = pointer.split('/').slice(1);
  const input = document.getElementById(fieldDomId(path));
  expect(input, `an input at ${pointer}`).not.toBeNull();
  const error = document.getElementById(`${input!.id}-error`);
  if (error === null) {
    return [];
  }
  return within(error)
    .queryAllByTestId('field-issue')
    .map((issue) => ({ code: issue.dataset['code'] ?? '', text: issue.textContent }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.location.hash = '';
});

describe('the limits of §5 at the field, nothing lost', () => {
  it('a 31-character name, a 501-character introduction (zh-CN)', async () => {
    const draft = draftRow(
      badDocument((doc) => {
        doc.basic.name = NAME_31;
        doc.basic.introduction = INTRODUCTION_501;
      }),
    );
    const workspace = await openDraft(draft, 'zh-CN');
    await openStep('basic');
    await waitFor(() => {
      expect(issuesAtField('/basic/name')).toEqual([
        { code: 'too_long', text: '「项目名称」最多 30 个字，当前 31 个字' },
      ]);
    });
    const introduction = issuesAtField('/basic/introduction');
    expect(introduction.map((issue) => issue.code)).toEqual(['too_long']);
    expect(introduction[0]?.text).toContain('501');
    expect(screen.getByLabelText<HTMLInputElement>(/^项目名称/).value).toBe(NAME_31);
    const saved = await workspace.db.listingDrafts.get(draft.id);
    expect((saved?.document['basic'] as { name: string; introduction: string }).name).toBe(NAME_31);
    expect((saved?.document['basic'] as { introduction: string }).introduction).toBe(
      INTRODUCTION_501,
    );
  });

  it('7 advantages, then a 51-character advantage (en)', async () => {
    const seven = draftRow(
      badDocument((doc) => {
        doc.highlights.advantages = ['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7'];
      }),
    );
    await openDraft(seven, 'en');
    await openStep('highlights');
    const list = await screen.findByTestId('advantages');
    await waitFor(() => {
      const codes = within(list)
        .getAllByTestId('field-issue')
        .map((issue) => [issue.dataset['code'], issue.textContent]);
      expect(codes).toContainEqual(['too_many', 'Advantages may have at most 6 items (now 7)']);
    });
    // All seven stay, so the assistant chooses which one goes.
    expect(within(list).getAllByRole('textbox')).toHaveLength(7);
  });

  it('a 51-character advantage (en)', async () => {
    const draft = draftRow(
      badDocument((doc) => {
        doc.highlights.advantages[1] = ADVANTAGE_51;
      }),
    );
    await openDraft(draft, 'en');
    await openStep('highlights');
    await waitFor(() => {
      expect(issuesAtField('/highlights/advantages/1')).toEqual([
        { code: 'too_long', text: 'Advantage 2 must be at most 50 characters (now 51)' },
      ]);
    });
    const input = document.getElementById(fieldDomId(['highlights', 'advantages', '1']));
    expect((input as HTMLInputElement).value).toBe(ADVANTAGE_51);
  });

  it('a price range upside down and an unknown currency (en)', async () => {
    const draft = draftRow(
      badDocument((doc) => {
        doc.packages.items[0]!.price.currency = 'XYZ';
        doc.packages.items[1]!.price.min = '9000';
      }),
    );
    const workspace = await openDraft(draft, 'en');
    await openStep('packages');
    await waitFor(() => {
      expect(issuesAtField('/packages/items/1/price/min')).toEqual([
        {
          code: 'range_inverted',
          text: 'Package 2 › Price › Minimum (9000) must not exceed the maximum (6800.50)',
        },
      ]);
    });
    expect(issuesAtField('/packages/items/0/price/currency').map((issue) => issue.code)).toEqual([
      'invalid_value',
    ]);
    const saved = await workspace.db.listingDrafts.get(draft.id);
    const items = (saved?.document['packages'] as { items: { price: Record<string, string> }[] })
      .items;
    expect(items[0]?.price['currency']).toBe('XYZ');
    expect(items[1]?.price['min']).toBe('9000');
  });

  it('an expiry date in the past (zh-CN)', async () => {
    const draft = draftRow(
      badDocument((doc) => {
        doc.credentials.files[1]!.validUntil = '2020-01-01';
      }),
    );
    await openDraft(draft, 'zh-CN');
    await openStep('credentials');
    await waitFor(() => {
      const shown = screen
        .getAllByTestId('field-issue')
        .filter((issue) => issue.dataset['code'] === 'credential_expired');
      expect(shown).toHaveLength(1);
      expect(shown[0]?.textContent).toContain('2020-01-01');
    });
  });

  it('a credential file of a wrong type is refused before upload, with its name (en)', async () => {
    const draft = { ...draftRow(badDocument(() => undefined)), listingId: randomUUID() };
    const workspace = await openDraft(draft, 'en');
    workspace.setStatus({ online: true });
    await openStep('credentials');
    const upload = screen.getByTestId('credential-upload');
    const input = document.querySelector<HTMLInputElement>('input[type="file"]');
    expect(input, 'the file input of the upload').not.toBeNull();
    // The upload opens once the editor has seen the workspace go online.
    await waitFor(() => {
      expect(input!.disabled).toBe(false);
    });
    const before = (await workspace.db.listingDrafts.get(draft.id))?.document;
    fireEvent.change(input!, {
      target: { files: [new File(['MZ'], 'setup.exe', { type: 'application/x-msdownload' })] },
    });
    await waitFor(() => {
      expect(upload.closest('.mantine-InputWrapper-root')?.textContent).toContain('setup.exe');
    });
    expect(offlineFetch.calls.filter((path) => path.endsWith('/files'))).toEqual([]);
    expect((await workspace.db.listingDrafts.get(draft.id))?.document).toEqual(before);
  });
});
