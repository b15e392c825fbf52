import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { ProvenanceEntry } from '#shared/domain/listing/document';
import { setProvenance } from '#shared/domain/listing/provenance';
import type { Locale } from '#shared/i18n/localized';
import { theme } from '../../../../renderer/src/app/theme';
import { listingAnchors } from '../../../../renderer/src/features/item/fields';
import { ListingView } from '../../../../renderer/src/features/item/ListingView';
import { createReviewStore } from '../../../../renderer/src/features/item/reviewStore';
import { createI18n } from '../../../../renderer/src/i18n/i18n';
import validFull from '../../../fixtures/listings/valid-full.json';

/* The reviewer's listing view shows, beside a field entered from a dossier, where it came from. */

function entry(page: number, edited = false): ProvenanceEntry {
  return {
    method: 'ocr',
    enteredBy: '李梅',
    enteredAt: '2026-12-07T10:00:00+08:00',
    fileName: 'dossier.pdf',
    page,
    bbox: { x: 10, y: 20, width: 300, height: 40 },
    confidence: 0.93,
    text: '人民币38,000',
    ...(edited ? { edited: true } : {}),
  };
}

function documentWithProvenance(): Record<string, unknown> {
  let doc = { ...(structuredClone(validFull) as Record<string, unknown>) };
  doc['provider'] = { ...(doc['provider'] as object), address: '杭州市西湖区文三路 1 号' };
  doc = setProvenance(doc, '/provider/name', entry(1));
  doc = setProvenance(doc, '/provider/address', entry(1));
  doc = setProvenance(doc, '/packages/items/0/price', entry(3, true));
  doc = setProvenance(doc, '/credentials/files/0/validFrom', entry(1));
  return doc;
}

async function renderView(locale: Locale, doc: Record<string, unknown>) {
  const i18n = await createI18n(locale);
  const store = createReviewStore({
    itemId: 'item-1',
    doc,
    issues: new Map(),
    comments: new Map(),
    leftovers: new Map(),
    hashes: new Map(listingAnchors(doc).map((anchor) => [anchor.path, 'h'])),
    marks: new Map(),
    composerPath: null,
    focusedPath: null,
    canComment: false,
    canMark: false,
    userNames: new Map(),
    actions: {
      openComposer: () => undefined,
      closeComposer: () => undefined,
      toggleReviewed: () => undefined,
      submitComment: () => Promise.resolve(false),
    },
  });
  return render(
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme}>
        <ListingView
          store={store}
          doc={doc}
          locale={locale}
          onDate="2026-12-07"
          mentors={new Map()}
          itemId="item-1"
        />
      </MantineProvider>
    </I18nextProvider>,
  );
}

function anchor(path: string): HTMLElement {
  const found = screen
    .getAllByTestId('field-anchor')
    .find((element) => element.dataset['fieldPath'] === path);
  if (found === undefined) {
    throw new Error(`no anchor ${path}`);
  }
  return found;
}

describe('provenance in the listing view', () => {
  it('says beside the field who entered it from which page of which file (en)', async () => {
    await renderView('en', documentWithProvenance());
    expect(within(anchor('/provider/name')).getByTestId('field-provenance').textContent).toBe(
      'OCR entered by 李梅 from page 1 of dossier.pdf (OCR confidence 93%)',
    );
    const price = within(anchor('/packages/items/0/price')).getByTestId('field-provenance');
    expect(price.textContent).toContain('from page 3 of dossier.pdf');
    expect(price.textContent).toContain('edited after OCR');
    // A field inside the anchor (the credential's start date at the credential) is named.
    const credential = within(anchor('/credentials/files/0')).getByTestId('field-provenance');
    expect(credential.dataset['pointer']).toBe('/credentials/files/0/validFrom');
    // Fields without provenance show none; the list anchor does not repeat its items'.
    expect(within(anchor('/basic/name')).queryByTestId('field-provenance')).toBeNull();
    expect(within(anchor('/packages/items')).queryByTestId('field-provenance')).toBeNull();
    // A field the view has no anchor for is listed apart.
    const apart = screen.getByTestId('unanchored-provenance');
    expect(within(apart).getByTestId('field-provenance').dataset['pointer']).toBe(
      '/provider/address',
    );
  });

  it('words it in zh-CN, and shows nothing for a document without provenance', async () => {
    const view = await renderView('zh-CN', documentWithProvenance());
    expect(within(anchor('/provider/name')).getByTestId('field-provenance').textContent).toBe(
      'OCR 由 李梅 从 dossier.pdf 第 1 页录入（OCR 置信度 93%）',
    );
    view.unmount();
    await renderView('zh-CN', structuredClone(validFull));
    expect(screen.queryAllByTestId('field-provenance')).toEqual([]);
    expect(screen.queryByTestId('unanchored-provenance')).toBeNull();
  });
});
