import 'fake-indexeddb/auto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { OcrDocumentResult } from '#shared/ocr/index';
import { ReviewDeskDb } from '../../../../renderer/src/db/database';
import { loadItemOcr, storedResult } from '../../../../renderer/src/features/ocr/itemOcr';
import { putOcrResult } from '../../../../renderer/src/features/ocr/ocrStore';

/*
 * The workstation's view of OCR readings: stored results by SHA-256, checked live against the
 * revision under review (no OCR runs here; the pipeline has its own suites).
 */

const SHA = 'a'.repeat(64);
const box = { x: 10, y: 20, width: 100, height: 30 };
const field = (value: string | null, confidence = 0.95) => ({
  value,
  confidence,
  page: 1,
  box,
  raw: value ?? '长期',
});

const reading: OcrDocumentResult = {
  sha256: SHA,
  fileType: 'jpeg',
  pageCount: 1,
  pages: [],
  text: '营业执照 名称 北京博雅睿思教育咨询有限公司',
  kind: 'business_licence',
  fields: {
    name: field('北京博雅睿思教育咨询有限公司'),
    validUntil: field('2025-06-30'),
  },
  warnings: [],
  fromCache: false,
  languages: ['chi_sim'],
};

async function seed(providerName: string) {
  const db = new ReviewDeskDb('reviewer', { indexedDB: new IDBFactory(), IDBKeyRange });
  await db.mirror('review_items').put({
    id: 'item1',
    _version: 1,
    kind: 'listing_revision',
    subjectId: 'listing1',
    revisionId: 'rev1',
    state: 'pending',
  });
  await db.mirror('listing_revisions').put({
    id: 'rev1',
    _version: 1,
    listingId: 'listing1',
    number: 1,
    document: {
      provider: { kind: 'institution', id: 'p1', name: providerName },
      credentials: {
        files: [{ id: 'f1', kind: 'business_licence', sha256: SHA, validUntil: '2030-01-01' }],
      },
    },
  });
  await db.mirror('credential_files').put({
    id: 'f1',
    _version: 1,
    listingId: 'listing1',
    sha256: SHA,
    mimeType: 'image/jpeg',
    sizeBytes: 1000,
    originalName: 'licence.jpg',
    createdAt: '2026-01-01T00:00:00Z',
  });
  return db;
}

describe('OCR readings of an item', () => {
  it('has no findings before a file is read', async () => {
    const db = await seed('北京博雅睿思教育咨询有限公司');
    const item = await loadItemOcr(db, 'item1', '2026-11-22');
    expect(item.files).toHaveLength(1);
    expect(item.files[0]?.result).toBeUndefined();
    expect(item.files[0]?.findings).toEqual([]);
    db.close();
  });

  it('checks a stored reading against the revision, with listing paths for the fields', async () => {
    const db = await seed('上海另一家教育科技有限公司');
    await putOcrResult(db, [SHA], reading);
    const item = await loadItemOcr(db, 'item1', '2026-11-22');
    const findings = item.files[0]?.findings ?? [];
    const byCode = new Map(findings.map((finding) => [finding.code, finding]));
    expect(byCode.get('NAME_MISMATCH')?.listingPath).toBe('/provider/name');
    expect(byCode.get('LICENCE_EXPIRED')?.listingPath).toBe('/credentials/files/0/validUntil');
    expect(byCode.get('EXPIRY_MISMATCH')?.suggestedComment.reasonCode).toBe('credential_problem');
    db.close();
  });

  it('tolerates 有限责任公司 for 有限公司 and ignores stored rows it does not understand', async () => {
    const db = await seed('北京博雅睿思教育咨询有限责任公司');
    await putOcrResult(db, [SHA], reading);
    const item = await loadItemOcr(db, 'item1', '2026-01-01');
    expect(item.files[0]?.findings.map((finding) => finding.code)).not.toContain('NAME_MISMATCH');
    expect(storedResult({ sha256: SHA, text: 'x' })).toBeUndefined();
    expect(storedResult(null)).toBeUndefined();
    expect(storedResult(reading)).toBe(reading);
    db.close();
  });
});
