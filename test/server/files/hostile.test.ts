import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPTED_MIME_TYPES } from '../../../server/src/files/sniff';
import { hostileFiles } from '../../fixtures/hostileFiles';
import { createTestServer, TEST_EPOCH, TEST_INSTITUTION_ID, type TestServer } from '../harness';
import { multipart, sha256 } from './uploads';

/**
 * Issue 14: every hostile file of the corpus through the upload route — a clear error for what
 * is refused (and nothing stored), harmless storage for what is a real document whatever it
 * carries, and a server that answers the next request: 0 crashes.
 */
let server: TestServer;
let listingId: string;

beforeAll(async () => {
  server = await createTestServer();
  listingId = randomUUID();
  const at = new Date(TEST_EPOCH).toISOString();
  await server.db.query(
    `INSERT INTO listings (id, institution_id, owner_id, state, name, created_at, updated_at)
     VALUES ($1, $2, $3, 'draft', '雅思 7 分冲刺班', $4, $4)`,
    [listingId, TEST_INSTITUTION_ID, await server.userId('submitter1'), at],
  );
});
afterAll(async () => {
  await server.close();
});

async function storedBlobs(): Promise<string[]> {
  const root = join(server.dataDir, 'files');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/u;

const corpus = hostileFiles();

describe('hostile files through POST /api/v1/listings/:id/files', () => {
  it('has more than 50 of them', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(50);
    expect(new Set(corpus.map((file) => file.what)).size).toBe(corpus.length);
  });

  it.each(corpus.map((file) => [file.what, file] as const))('%s', async (_what, file) => {
    const body = multipart([
      { name: 'file', filename: file.name, content: file.bytes, contentType: 'application/pdf' },
    ]);
    const blobsBefore = await storedBlobs();
    const response = await server.app.inject({
      method: 'POST',
      url: `/api/v1/listings/${listingId}/files`,
      headers: {
        authorization: `Bearer ${await server.token('submitter1')}`,
        'content-type': body.contentType,
      },
      payload: body.payload,
    });
    if ('refused' in file.upload) {
      expect(response.statusCode).toBe(file.upload.refused);
      const error = response.json<{ error: { code: string; message: string } }>().error;
      expect(error.code).toBe(file.upload.code);
      expect(error.message.length).toBeGreaterThan(10);
      expect(await storedBlobs()).toEqual(blobsBefore);
    } else {
      expect([200, 201]).toContain(response.statusCode);
      const stored = response.json<{ id: string; mimeType: string; originalName: string }>();
      expect(ACCEPTED_MIME_TYPES).toContain(stored.mimeType);
      // The name is shown to reviewers and sent back in Content-Disposition: no path, no
      // control or bidi characters, bounded.
      expect(stored.originalName).not.toMatch(/[/\\]/);
      expect(stored.originalName).not.toMatch(CONTROL_OR_BIDI);
      expect(Array.from(stored.originalName).length).toBeLessThanOrEqual(200);
      const [row] = await server.db.query<{ storage_key: string }>(
        'SELECT storage_key FROM credential_files WHERE id = $1',
        [stored.id],
      );
      expect(row?.storage_key.endsWith(sha256(file.bytes))).toBe(true);
      const served = await server.app.inject({
        method: 'GET',
        url: `/api/v1/files/${stored.id}`,
        headers: { authorization: `Bearer ${await server.token('reviewer1')}` },
      });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe(stored.mimeType);
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(String(served.headers['content-disposition'])).not.toMatch(/[\r\n"]/);
      expect(served.rawPayload.equals(file.bytes)).toBe(true);
    }
    // Still up: the next request is served.
    const health = await server.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
  });
});
