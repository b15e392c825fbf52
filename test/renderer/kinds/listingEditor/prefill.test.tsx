import 'fake-indexeddb/auto';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ListingDraftRow } from '../../../../renderer/src/db/database';
import { emptyDocument } from '../../../../renderer/src/kinds/listingEditor/draftDocument';
import { OcrError, type OcrDocumentResult, type OcrPage } from '../../../../shared/ocr/index';
import { certificateRows, licenceRows, page, type Row } from '../../../shared/ocr/support';
import { fakeFetch, makeUser, renderSignedIn, type FakeWorkspace } from '../../app/harness';

/*
 * The "Pre-fill from dossier" panel (issue 11) in jsdom, through the real editor and its draft
 * (useDraft → Dexie): the OCR worker is replaced by synthetic readings of a three-page dossier
 * (licence, certificate, price table), the crop renderer by a fixed image. Accepting, editing
 * and dismissing proposals must write the draft with provenance, or not at all.
 */

/**
 * The OCR Web Worker, faked at its message protocol (`renderer/src/ocr/ocr.worker.ts`): the
 * panel's real client (`features/ocr/ocrService.ts`) talks to it. The file's name picks the
 * answer; any other file reads as the synthetic dossier.
 */
const processed: string[] = [];
class FakeOcrWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: { type: string; id?: number; name?: string }): void {
    setTimeout(() => {
      this.handle(message);
    }, 0);
  }
  terminate(): void {
    // Nothing runs.
  }
  private reply(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }
  private handle(message: { type: string; id?: number; name?: string }): void {
    if (message.type === 'close') {
      this.reply({ type: 'closed' });
      return;
    }
    if (message.type !== 'process' || message.id === undefined) {
      return;
    }
    const id = message.id;
    const name = message.name ?? '';
    processed.push(name);
    this.reply({
      type: 'progress',
      id,
      progress: { stage: 'recognizing', fraction: 0.5, page: 1, pages: 3 },
    });
    const fail = (error: OcrError) => {
      this.reply({
        type: 'error',
        id,
        error: { code: error.code, params: error.params, message: error.message },
      });
    };
    if (name.endsWith('.zip.pdf')) {
      fail(
        new OcrError('UNSUPPORTED_TYPE', { detected: 'a ZIP archive', detectedZh: 'ZIP 压缩包' }),
      );
    } else if (name === 'scan-300.pdf') {
      fail(new OcrError('TOO_MANY_PAGES', { pages: 300, maxPages: 100 }));
    } else if (name === 'broken.pdf') {
      fail(new OcrError('CORRUPT_PDF', { detail: 'Invalid PDF structure' }));
    } else {
      this.reply({ type: 'result', id, result: reading(name) });
    }
  }
}
vi.stubGlobal('Worker', FakeOcrWorker);

const INSTITUTION = { id: randomUUID(), name: '杭州明远教育科技有限公司', kind: 'institution' };
const provider = { kind: 'institution' as const, id: INSTITUTION.id, name: INSTITUTION.name };

function priceTable(): Row[] {
  return [
    { y: 100, cells: [{ x: 400, text: '服务套餐与价格' }] },
    {
      y: 200,
      cells: [
        { x: 110, text: '套餐名称' },
        { x: 800, text: '价格' },
      ],
    },
    {
      y: 270,
      cells: [
        { x: 110, text: '英国硕士申请标准套餐' },
        { x: 800, text: '人民币 38,000' },
      ],
    },
  ];
}

function reading(name: string): OcrDocumentResult {
  const pages: OcrPage[] = [licenceRows(), certificateRows(), priceTable()].map((rows, index) => ({
    ...page(rows, index),
    width: 1800,
    height: 1300,
    text: '',
    confidence: 0.9,
    orientation: 0,
    scale: 1,
  }));
  return {
    sha256: randomUUID().replace(/-/g, ''),
    name,
    fileType: 'pdf',
    pageCount: 3,
    pages,
    text: '',
    kind: 'unknown',
    fields: {},
    warnings: [],
    fromCache: false,
    languages: ['chi_sim'],
  } as unknown as OcrDocumentResult;
}

function draftRow(): ListingDraftRow {
  return {
    id: randomUUID(),
    listingId: '',
    institutionId: null,
    document: emptyDocument(provider),
    base: null,
    updatedAt: Date.now(),
    pushedAt: null,
  };
}

async function openEditor(locale: 'en' | 'zh-CN'): Promise<{
  workspace: FakeWorkspace;
  draft: ListingDraftRow;
}> {
  const fetch = fakeFetch(() => {
    throw new TypeError('Failed to fetch');
  });
  vi.stubGlobal('fetch', fetch);
  vi.stubGlobal('Worker', FakeOcrWorker);
  const draft = draftRow();
  window.location.hash = `#/listings/new?draft=${draft.id}`;
  const app = await renderSignedIn(makeUser('assistant', { displayName: '李梅' }), {
    locale,
    fetch: fetch,
    prepare: async (workspace) => {
      await workspace.db.mirror('institutions').put({ ...INSTITUTION, _version: 1 });
      await workspace.db.listingDrafts.put(draft);
    },
  });
  app.workspace.setStatus({ online: false });
  await screen.findByTestId('prefill-panel');
  // Closed, the panel has no file input (the credentials step has the editor's only one).
  expect(screen.queryByTestId('prefill-input')).toBeNull();
  fireEvent.click(screen.getByTestId('prefill-open'));
  return { workspace: app.workspace, draft };
}

function upload(...names: string[]): void {
  const input = screen.getByTestId<HTMLInputElement>('prefill-input');
  const files = names.map(
    (name) => new File([`%PDF-1.7 ${name}`], name, { type: 'application/pdf' }),
  );
  fireEvent.change(input, { target: { files } });
}

function card(pointer: string): HTMLElement {
  const found = screen
    .getAllByTestId('ocr-proposal')
    .find((element) => element.dataset['field'] === pointer);
  if (found === undefined) {
    throw new Error(`no proposal for ${pointer}`);
  }
  return found;
}

async function savedDocument(
  workspace: FakeWorkspace,
  id: string,
): Promise<Record<string, unknown> & { provenance?: Record<string, Record<string, unknown>> }> {
  const row = await workspace.db.listingDrafts.get(id);
  return row?.document ?? {};
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.location.hash = '';
  processed.length = 0;
});

describe('OCR pre-fill panel', () => {
  it('accepts, edits and dismisses proposals: the draft gets the values with provenance (en)', async () => {
    const { workspace, draft } = await openEditor('en');
    upload('dossier.pdf');
    await waitFor(() => {
      expect(screen.getAllByTestId('ocr-proposal').length).toBeGreaterThan(5);
    });
    expect(processed).toEqual(['dossier.pdf']);
    // Every card names its source and shows the cropped region.
    const name = card('/provider/name');
    expect(within(name).getByTestId('proposal-source').textContent).toMatch(
      /^dossier\.pdf, page 1 · confidence \d+%/,
    );
    // (jsdom draws no canvas: the crop says it has no preview; e2e shows the image.)
    expect(within(name).getByTestId('proposal-crop')).toBeTruthy();
    // Nothing is written before a decision.
    expect((await savedDocument(workspace, draft.id)).provenance).toBeUndefined();

    // Accept.
    fireEvent.click(within(name).getByTestId('proposal-accept'));
    expect(name.dataset['state']).toBe('accepted');

    // Edit the price, then accept the corrected value.
    const price = card('/packages/items/0/price');
    fireEvent.click(within(price).getByTestId('proposal-edit'));
    fireEvent.change(within(price).getByTestId('proposal-edit-amount'), {
      target: { value: '39000' },
    });
    fireEvent.click(within(price).getByTestId('proposal-accept-edited'));
    expect(price.dataset['state']).toBe('accepted');
    expect(within(price).getByTestId('proposal-state').textContent).toBe('Accepted (edited)');

    // Dismiss the credit code.
    const code = card('/provider/creditCode');
    fireEvent.click(within(code).getByTestId('proposal-dismiss'));
    expect(code.dataset['state']).toBe('dismissed');
    expect(within(code).queryByTestId('proposal-accept')).toBeNull();

    await waitFor(async () => {
      const doc = await savedDocument(workspace, draft.id);
      expect(Object.keys(doc.provenance ?? {}).sort()).toEqual([
        '/packages/items/0/price',
        '/provider/name',
      ]);
    });
    const doc = await savedDocument(workspace, draft.id);
    const providerDoc = doc['provider'] as Record<string, unknown>;
    expect(providerDoc['name']).toBe('杭州明德远航教育科技有限公司');
    expect(providerDoc['id']).toBe(INSTITUTION.id);
    expect(providerDoc['creditCode']).toBeUndefined();
    const items = (doc['packages'] as { items: Record<string, unknown>[] }).items;
    expect(items).toEqual([
      { id: 'ocr-package-1', price: { kind: 'fixed', currency: 'CNY', amount: '39000' } },
    ]);
    expect(doc.provenance?.['/provider/name']).toMatchObject({
      method: 'ocr',
      enteredBy: '李梅',
      fileName: 'dossier.pdf',
      page: 1,
    });
    expect(doc.provenance?.['/provider/name']?.['edited']).toBeUndefined();
    expect(doc.provenance?.['/packages/items/0/price']).toMatchObject({
      fileName: 'dossier.pdf',
      page: 3,
      text: '人民币38,000',
      edited: true,
    });
    // Accepting the package's name afterwards lands in the same item.
    fireEvent.click(within(card('/packages/items/0/name')).getByTestId('proposal-accept'));
    await waitFor(async () => {
      const next = await savedDocument(workspace, draft.id);
      expect((next['packages'] as { items: unknown[] }).items).toEqual([
        {
          id: 'ocr-package-1',
          price: { kind: 'fixed', currency: 'CNY', amount: '39000' },
          name: '英国硕士申请标准套餐',
        },
      ]);
      expect(Object.keys(next.provenance ?? {})).toHaveLength(3);
    });
  });

  it('says why files cannot be read (zh-CN), reads the others and leaves the draft as it was', async () => {
    const { workspace, draft } = await openEditor('zh-CN');
    expect(screen.getByRole('button', { name: '选择材料文件' })).toBeTruthy();
    upload('scan-300.pdf', 'archive.zip.pdf', 'broken.pdf', 'dossier.pdf');
    await waitFor(() => {
      expect(screen.getAllByTestId('prefill-error')).toHaveLength(3);
    });
    const errors = screen.getAllByTestId('prefill-error');
    expect(errors.map((element) => element.dataset['code'])).toEqual([
      'TOO_MANY_PAGES',
      'UNSUPPORTED_TYPE',
      'CORRUPT_PDF',
    ]);
    expect(errors[0]?.textContent).toBe(
      'scan-300.pdf 共 300 页，单个材料文件最多 100 页。请拆分扫描件后分别选择。',
    );
    expect(errors[1]?.textContent).toContain('不是 PDF、JPEG、PNG 或 WebP 文件');
    expect(errors[2]?.textContent).toContain('PDF 文件已损坏或不完整');
    // The readable file still gives its proposals, in Chinese.
    const name = card('/provider/name');
    expect(within(name).getByTestId('proposal-source').textContent).toMatch(
      /^dossier\.pdf 第 1 页 · 置信度 \d+%/,
    );
    expect(within(name).getByTestId('proposal-accept').textContent).toBe('采纳');
    // Nothing was written to the draft by reading.
    const doc = await savedDocument(workspace, draft.id);
    expect(doc.provenance).toBeUndefined();
    expect((doc['provider'] as { name: string }).name).toBe(INSTITUTION.name);
    // Editing a string value and accepting it marks the provenance edited.
    fireEvent.click(within(name).getByTestId('proposal-edit'));
    fireEvent.change(within(name).getByTestId('proposal-edit-value'), {
      target: { value: '杭州明德远航教育集团有限公司' },
    });
    fireEvent.click(within(name).getByTestId('proposal-accept-edited'));
    await waitFor(async () => {
      const next = await savedDocument(workspace, draft.id);
      expect((next['provider'] as { name: string }).name).toBe('杭州明德远航教育集团有限公司');
      expect(next.provenance?.['/provider/name']).toMatchObject({ edited: true, page: 1 });
    });
  });
});
