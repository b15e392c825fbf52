import { describe, expect, it } from 'vitest';
import { checkDeclaredType, extensionOf, sniffFileType } from '../../../server/src/files/sniff';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const base64 = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'base64'));

const PDF = text(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
const PNG = base64(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
);
const JPEG = base64(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
);
const WEBP = base64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==');
/** An empty ZIP archive (just the end-of-central-directory record) behind a local header. */
const ZIP = new Uint8Array([
  0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x61,
]);
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);

describe('sniffFileType', () => {
  it.each([
    ['PDF', PDF, 'application/pdf', 'pdf'],
    ['PNG', PNG, 'image/png', 'png'],
    ['JPEG', JPEG, 'image/jpeg', 'jpg'],
    ['WebP', WEBP, 'image/webp', 'webp'],
  ])('accepts a %s by its bytes', async (_name, bytes, mimeType, extension) => {
    expect(await sniffFileType(bytes)).toEqual({ ok: true, mimeType, extension });
  });

  it('takes an animated PNG for a PNG', async () => {
    const chunk = (type: string, data: number[]) => {
      const length = [0, 0, 0, data.length];
      return [...length, ...Buffer.from(type, 'ascii'), ...data, 0, 0, 0, 0];
    };
    const apng = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
      ...chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]),
      ...chunk('acTL', [0, 0, 0, 1, 0, 0, 0, 0]),
      ...chunk('IDAT', [0]),
    ]);
    expect(await sniffFileType(apng)).toEqual({
      ok: true,
      mimeType: 'image/png',
      extension: 'png',
    });
  });

  it('refuses an empty file', async () => {
    expect(await sniffFileType(new Uint8Array())).toEqual({
      ok: false,
      code: 'EMPTY_FILE',
      detected: null,
    });
  });

  it.each([
    ['a ZIP archive', ZIP, 'application/zip'],
    ['a Windows executable', EXE, 'application/x-msdownload'],
    [
      'an HTML page',
      text('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
      'text/html',
    ],
    ['an HTML fragment', text('  <script>fetch("/api")</script>'), 'text/html'],
    [
      'an SVG image',
      text('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
      'image/svg+xml',
    ],
    ['plain text', text('营业执照 扫描件\n'), 'text/plain'],
  ])('refuses %s and says what it is', async (_name, bytes, detected) => {
    expect(await sniffFileType(bytes)).toEqual({ ok: false, code: 'UNSUPPORTED_TYPE', detected });
  });

  it('refuses unrecognisable binary bytes with detected null', async () => {
    expect(await sniffFileType(new Uint8Array([0x00, 0x01, 0x02, 0x03, 0xfe, 0xff]))).toEqual({
      ok: false,
      code: 'UNSUPPORTED_TYPE',
      detected: null,
    });
  });

  it('needs the magic number at the start: a PDF marker later on does not count', async () => {
    const result = await sniffFileType(text('hello %PDF-1.4 %%EOF'));
    expect(result.ok).toBe(false);
  });

  it('accepts a PDF far larger than its header probe', async () => {
    const big = new Uint8Array(PDF.length + 1_000_000);
    big.set(PDF);
    expect(await sniffFileType(big)).toMatchObject({ ok: true, mimeType: 'application/pdf' });
  });
});

describe('checkDeclaredType', () => {
  it.each([
    ['licence.pdf', 'application/pdf', false],
    ['LICENCE.PDF', 'application/pdf', false],
    ['营业执照.jpg', 'image/jpeg', false],
    ['photo.JPEG', 'image/jpeg', false],
    ['photo.jfif', 'image/jpeg', false],
    ['scan.png', 'image/png', false],
    ['scan.webp', 'image/webp', false],
    ['scan.pdf', 'image/png', true],
    ['photo.jpg', 'image/png', true],
    ['doc.png', 'application/pdf', true],
    ['no-extension', 'application/pdf', false],
    ['.hidden', 'application/pdf', false],
    ['trailing.', 'application/pdf', false],
    ['../../etc/passwd.pdf', 'application/pdf', false],
  ] as const)('%s as %s → mismatch %s', (name, mimeType, mismatch) => {
    expect(checkDeclaredType(name, { mimeType }).extensionMismatch).toBe(mismatch);
  });

  it('reports the declared extension', () => {
    expect(checkDeclaredType('a/b.tar.GZ', { mimeType: 'application/pdf' })).toEqual({
      extensionMismatch: true,
      declaredExtension: 'gz',
    });
    expect(extensionOf('C:\\scans\\执照.Pdf')).toBe('pdf');
    expect(extensionOf('README')).toBeNull();
  });
});
