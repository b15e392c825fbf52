import { describe, expect, it } from 'vitest';
import {
  credentialFilesOf,
  formatBytes,
  rowForEntry,
  serverDay,
  type CredentialFileRow,
} from '../../../../renderer/src/features/viewer/files';
import { classifyPdfError } from '../../../../renderer/src/features/viewer/pdfjs';
import { fitScale, zoomIn, zoomOut } from '../../../../renderer/src/features/viewer/zoom';

const row = (id: string, sha256: string): CredentialFileRow => ({
  id,
  listingId: 'listing-1',
  sha256,
  mimeType: 'image/jpeg',
  sizeBytes: 1000,
  originalName: `${id}.jpg`,
  createdAt: '2026-01-01T00:00:00Z',
});

describe('credential files of a revision', () => {
  const rows = [row('file-1', 'a'.repeat(64)), row('file-2', 'b'.repeat(64))];

  it('joins each entry with its row by id, else by hash', () => {
    expect(rowForEntry({ id: 'file-2' }, rows)?.id).toBe('file-2');
    expect(rowForEntry({ id: 'old-upload', sha256: 'a'.repeat(64) }, rows)?.id).toBe('file-1');
    expect(rowForEntry({ id: 'nope', sha256: 'c'.repeat(64) }, rows)).toBeUndefined();
  });

  it('reads what the submitter declared, falling back to the row', () => {
    const files = credentialFilesOf(
      {
        credentials: {
          files: [
            {
              id: 'file-1',
              kind: 'business_licence',
              fileName: '营业执照.jpg',
              mimeType: 'image/jpeg',
              sizeBytes: 2048,
              sha256: 'a'.repeat(64),
              validFrom: '2020-01-01',
              validUntil: null,
            },
            { id: 'file-2' },
            'not an entry',
          ],
        },
      },
      rows,
    );
    expect(files).toHaveLength(2);
    expect(files[0]).toMatchObject({
      entryId: 'file-1',
      fileId: 'file-1',
      kind: 'business_licence',
      fileName: '营业执照.jpg',
      sizeBytes: 2048,
      validFrom: '2020-01-01',
      validUntil: null,
    });
    expect(files[1]).toMatchObject({
      fileId: 'file-2',
      kind: 'other',
      fileName: 'file-2.jpg',
      mimeType: 'image/jpeg',
      sizeBytes: 1000,
      validUntil: undefined,
    });
    expect(credentialFilesOf({ credentials: {} }, rows)).toEqual([]);
    expect(credentialFilesOf(null, rows)).toEqual([]);
  });

  it('formats sizes and the business day', () => {
    expect(formatBytes(999, 'en')).toBe('999 B');
    expect(formatBytes(1_540_000, 'en')).toBe('1.5 MB');
    expect(formatBytes(250_000, 'zh-CN')).toBe('250 KB');
    // 2026-03-01 17:00 UTC is already 3月2日 in Beijing.
    expect(serverDay(Date.UTC(2026, 2, 1, 17, 0))).toBe('2026-03-02');
  });
});

describe('classifyPdfError', () => {
  const error = (name: string, message: string) => Object.assign(new Error(message), { name });

  it('sorts pdf.js failures into what the viewer says', () => {
    expect(classifyPdfError(error('PasswordException', 'No password given')).code).toBe(
      'encrypted',
    );
    expect(classifyPdfError(error('InvalidPDFException', 'Invalid PDF structure.'))).toEqual({
      code: 'unreadable',
      detail: 'Invalid PDF structure.',
    });
    expect(classifyPdfError(error('PdfTimeoutError', 'slow')).code).toBe('timeout');
    expect(classifyPdfError(new Error('Setting up fake worker failed')).code).toBe('engine');
    expect(classifyPdfError('something odd').code).toBe('unreadable');
  });
});

describe('zoom', () => {
  it('steps through the zoom levels and stops at the ends', () => {
    expect(zoomIn(1)).toBe(1.25);
    expect(zoomIn(0.52)).toBe(0.67);
    expect(zoomOut(1)).toBe(0.75);
    expect(zoomIn(8)).toBe(8);
    expect(zoomOut(0.1)).toBe(0.1);
  });

  it('fits a box into the view, with a margin and a largest scale', () => {
    expect(fitScale(1000, 500, { width: 516, height: 1000 })).toBe(0.5);
    expect(fitScale(100, 100, { width: 1000, height: 1000 })).toBe(2);
    expect(fitScale(0, 100, { width: 1000, height: 1000 })).toBe(1);
  });
});
