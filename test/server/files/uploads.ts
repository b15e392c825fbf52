import { createHash, randomUUID } from 'node:crypto';

/** Tiny real files and hand-made multipart bodies for the upload tests. */

// ── Fixtures: tiny real files ──────────────────────────────────────────────────────────────────

export const text = (value: string): Buffer => Buffer.from(value, 'utf8');
export const base64 = (value: string): Buffer => Buffer.from(value, 'base64');

export const PDF = text(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
);
export const PNG = base64(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
);
export const JPEG = base64(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
);
export const WEBP = base64('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==');
export const ZIP = Buffer.from([
  0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x61,
]);
export const EXE = Buffer.from([
  0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
]);
export const HTML = text(
  '<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>',
);

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

// ── Multipart by hand ──────────────────────────────────────────────────────────────────────────

export interface Part {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly content: Buffer | string;
}

/** A multipart/form-data body with the given parts, as a browser would send it. */
export function multipart(parts: readonly Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----ReviewDeskTest${randomUUID().replace(/-/g, '')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      part.filename === undefined
        ? `form-data; name="${part.name}"`
        : `form-data; name="${part.name}"; filename="${part.filename}"`;
    const headers = [
      `--${boundary}`,
      `Content-Disposition: ${disposition}`,
      ...(part.filename === undefined
        ? []
        : [`Content-Type: ${part.contentType ?? 'application/octet-stream'}`]),
      '',
      '',
    ].join('\r\n');
    chunks.push(Buffer.from(headers, 'utf8'));
    chunks.push(typeof part.content === 'string' ? text(part.content) : part.content);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}
