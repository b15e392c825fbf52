import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../server/src/auth/users';
import { sanitizeOriginalName, storeHomeworkFile } from '../../../server/src/files/service';
import { currentSpaceVersion } from '../../../server/src/sync/version';
import {
  createTestServer,
  OTHER_INSTITUTION_ID,
  TEST_EPOCH,
  TEST_INSTITUTION_ID,
  TEST_PASSWORD,
  type TestServer,
  type TestUsername,
} from '../harness';
import { EXE, HTML, JPEG, multipart, PDF, PNG, sha256, WEBP, ZIP, type Part } from './uploads';

interface FileJson {
  id: string;
  listingId: string;
  sha256: string;
  mimeType: string;
  sizeBytes: number;
  originalName: string;
  createdAt: string;
  extensionMismatch: boolean;
}
interface ErrorJson {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

// ── The server ─────────────────────────────────────────────────────────────────────────────────

let server: TestServer;
/** Tokens of users the harness does not know (another institution's submitter). */
const extraTokens = new Map<string, string>();

type Caller = TestUsername | 'othersub' | null;

async function authHeaders(caller: Caller): Promise<Record<string, string>> {
  if (caller === null) {
    return {};
  }
  if (caller === 'othersub') {
    const token = extraTokens.get(caller);
    if (token === undefined) {
      throw new Error('othersub has not signed in');
    }
    return { authorization: `Bearer ${token}` };
  }
  return { authorization: `Bearer ${await server.token(caller)}` };
}

async function upload(
  caller: Caller,
  listingId: string,
  parts: readonly Part[],
  target: TestServer = server,
): Promise<LightMyRequestResponse> {
  const body = multipart(parts);
  const headers =
    target === server
      ? await authHeaders(caller)
      : { authorization: `Bearer ${await target.token(caller as TestUsername)}` };
  return target.app.inject({
    method: 'POST',
    url: `/api/v1/listings/${listingId}/files`,
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  });
}

const uploadFile = (
  caller: Caller,
  listingId: string,
  filename: string,
  content: Buffer,
  contentType?: string,
) =>
  upload(caller, listingId, [
    { name: 'file', filename, content, ...(contentType === undefined ? {} : { contentType }) },
  ]);

async function download(
  caller: Caller,
  fileId: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: 'GET',
    url: `/api/v1/files/${fileId}`,
    headers: { ...(await authHeaders(caller)), ...headers },
  });
}

async function createListing(
  target: TestServer,
  options: { state?: string; institutionId?: string; owner?: string; invite?: boolean } = {},
): Promise<string> {
  const id = randomUUID();
  const at = new Date(TEST_EPOCH).toISOString();
  const owner = options.owner ?? (await target.userId('submitter1'));
  await target.db.query(
    `INSERT INTO listings (id, institution_id, owner_id, state, name, created_at, updated_at)
     VALUES ($1, $2, $3, $4, '雅思 7 分冲刺班', $5, $5)`,
    [id, options.institutionId ?? TEST_INSTITUTION_ID, owner, options.state ?? 'draft', at],
  );
  // collaborator1 is invited to the draft unless the test says otherwise (collaborators.ts).
  if (options.invite !== false) {
    await target.db.query(
      `INSERT INTO listing_collaborators (id, listing_id, user_id, invited_by, invited_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [randomUUID(), id, await target.userId('collaborator1'), owner, at],
    );
  }
  return id;
}

async function fileRows(listingId: string): Promise<{ id: string; storage_key: string }[]> {
  return server.db.query('SELECT id, storage_key FROM credential_files WHERE listing_id = $1', [
    listingId,
  ]);
}

/** Every stored blob, relative to the storage root. */
async function storedFiles(target: TestServer = server): Promise<string[]> {
  const root = join(target.dataDir, 'files');
  try {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) =>
        join(entry.parentPath, entry.name)
          .slice(root.length + 1)
          .replaceAll('\\', '/'),
      )
      .sort();
  } catch {
    return [];
  }
}

const listingPrefix = (listingId: string) =>
  `institutions/${TEST_INSTITUTION_ID}/listings/${listingId}/`;

beforeAll(async () => {
  server = await createTestServer();
  await server.db.transaction(async (tx) => {
    await createUser(
      tx,
      {
        username: 'othersub',
        displayName: '另一家机构',
        role: 'submitter',
        password: TEST_PASSWORD,
        institutionId: OTHER_INSTITUTION_ID,
      },
      TEST_EPOCH,
    );
  });
  const login = await server.app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username: 'othersub', password: TEST_PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  extraTokens.set('othersub', login.json<{ accessToken: string }>().accessToken);
}, 60_000);

afterAll(async () => {
  await server.close();
});

// ── Upload ─────────────────────────────────────────────────────────────────────────────────────

describe('POST /api/v1/listings/:id/files', () => {
  it('stores a PDF content-addressed and returns its row', async () => {
    const listingId = await createListing(server);
    const before = await currentSpaceVersion(server.db);
    const response = await uploadFile('submitter1', listingId, '营业执照（副本）.pdf', PDF);
    expect(response.statusCode).toBe(201);
    const file = response.json<FileJson>();
    expect(file.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(file).toEqual({
      id: file.id,
      listingId,
      sha256: sha256(PDF),
      mimeType: 'application/pdf',
      sizeBytes: PDF.length,
      originalName: '营业执照（副本）.pdf',
      createdAt: new Date(TEST_EPOCH).toISOString(),
      extensionMismatch: false,
    });
    const [row] = await server.db.query<{
      storage_key: string;
      row_version: number;
      institution_id: string;
      uploaded_by: string;
    }>(
      'SELECT storage_key, row_version, institution_id, uploaded_by FROM credential_files WHERE id = $1',
      [file.id],
    );
    expect(row).toEqual({
      storage_key: `${listingPrefix(listingId)}${sha256(PDF)}`,
      row_version: before + 1,
      institution_id: TEST_INSTITUTION_ID,
      uploaded_by: await server.userId('submitter1'),
    });
    expect(await currentSpaceVersion(server.db)).toBe(before + 1);
    expect(await server.ctx.storage.size(row!.storage_key)).toBe(PDF.length);
  });

  it('answers an identical re-upload with the existing row and 200', async () => {
    const listingId = await createListing(server);
    const first = await uploadFile('submitter1', listingId, 'first.pdf', PDF);
    expect(first.statusCode).toBe(201);
    const version = await currentSpaceVersion(server.db);
    const second = await uploadFile('collaborator1', listingId, 'second-name.pdf', PDF);
    expect(second.statusCode).toBe(200);
    expect(second.json<FileJson>()).toEqual(first.json<FileJson>());
    expect(await fileRows(listingId)).toHaveLength(1);
    expect(await currentSpaceVersion(server.db)).toBe(version);
    // The same bytes in another listing are another file.
    const other = await createListing(server);
    const third = await uploadFile('submitter1', other, 'first.pdf', PDF);
    expect(third.statusCode).toBe(201);
    expect(third.json<FileJson>().id).not.toBe(first.json<FileJson>().id);
  });

  it.each([
    ['PNG', 'scan.png', PNG, 'image/png'],
    ['JPEG', 'photo.jpeg', JPEG, 'image/jpeg'],
    ['WebP', 'phone.webp', WEBP, 'image/webp'],
  ])('accepts a %s', async (_kind, filename, bytes, mimeType) => {
    const listingId = await createListing(server);
    const response = await uploadFile('submitter1', listingId, filename, bytes);
    expect(response.statusCode).toBe(201);
    expect(response.json<FileJson>()).toMatchObject({ mimeType, extensionMismatch: false });
  });

  it('trusts the bytes, not the name or Content-Type, and warns about the extension', async () => {
    const listingId = await createListing(server);
    const response = await uploadFile('submitter1', listingId, 'scan.pdf', PNG, 'application/pdf');
    expect(response.statusCode).toBe(201);
    expect(response.json<FileJson>()).toMatchObject({
      mimeType: 'image/png',
      originalName: 'scan.pdf',
      extensionMismatch: true,
    });
  });

  it.each([
    ['a ZIP renamed .pdf', 'contract.pdf', ZIP, 'application/pdf', 'application/zip'],
    ['HTML named .jpg', 'photo.jpg', HTML, 'image/jpeg', 'text/html'],
    ['an .exe renamed .jpg', 'photo.jpg', EXE, 'image/jpeg', 'application/x-msdownload'],
  ])('refuses %s with 415 and stores nothing', async (_what, name, bytes, declared, detected) => {
    const listingId = await createListing(server);
    const response = await uploadFile('submitter1', listingId, name, bytes, declared);
    expect(response.statusCode).toBe(415);
    expect(response.json<ErrorJson>().error).toMatchObject({
      code: 'UNSUPPORTED_TYPE',
      details: { detected },
    });
    expect(await fileRows(listingId)).toEqual([]);
    expect((await storedFiles()).filter((key) => key.startsWith(listingPrefix(listingId)))).toEqual(
      [],
    );
  });

  it('refuses an empty file with 400 EMPTY_FILE', async () => {
    const listingId = await createListing(server);
    const response = await uploadFile('submitter1', listingId, 'empty.pdf', Buffer.alloc(0));
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorJson>().error.code).toBe('EMPTY_FILE');
    expect(await fileRows(listingId)).toEqual([]);
  });

  it('refuses a 26 MiB file with 413 and stores neither a row nor a blob', async () => {
    const listingId = await createListing(server);
    const big = Buffer.alloc(26 * 1024 * 1024, 0x20);
    PDF.copy(big);
    const blobsBefore = await storedFiles();
    const response = await uploadFile('submitter1', listingId, 'huge.pdf', big);
    expect(response.statusCode).toBe(413);
    expect(response.json<ErrorJson>().error).toMatchObject({
      code: 'FILE_TOO_LARGE',
      details: { limitBytes: 25 * 1024 * 1024 },
    });
    expect(await fileRows(listingId)).toEqual([]);
    expect(await storedFiles()).toEqual(blobsBefore);
  });

  it('accepts a file of exactly the limit and refuses one byte more', async () => {
    const small = await createTestServer({ maxUploadBytes: 1024 });
    try {
      const listingId = await createListing(small);
      const exact = Buffer.alloc(1024, 0x20);
      PDF.copy(exact);
      const over = Buffer.alloc(1025, 0x21);
      PDF.copy(over);
      const ok = await upload(
        'submitter1',
        listingId,
        [{ name: 'file', filename: 'a.pdf', content: exact }],
        small,
      );
      expect(ok.statusCode).toBe(201);
      const tooBig = await upload(
        'submitter1',
        listingId,
        [{ name: 'file', filename: 'b.pdf', content: over }],
        small,
      );
      expect(tooBig.statusCode).toBe(413);
      expect(tooBig.json<ErrorJson>().error.code).toBe('FILE_TOO_LARGE');
      expect(await storedFiles(small)).toEqual([`${listingPrefix(listingId)}${sha256(exact)}`]);
    } finally {
      await small.close();
    }
  });

  it('stores a path-traversal file name harmlessly', async () => {
    const listingId = await createListing(server);
    const response = await uploadFile('submitter1', listingId, '../../etc/passwd.pdf', PDF);
    expect(response.statusCode).toBe(201);
    const file = response.json<FileJson>();
    expect(file.originalName).toBe('passwd.pdf');
    const [row] = await fileRows(listingId);
    expect(row!.storage_key).toBe(`${listingPrefix(listingId)}${sha256(PDF)}`);
    expect((await storedFiles()).filter((key) => key.includes('passwd'))).toEqual([]);
  });

  it('cleans control and bidi characters out of the stored name and limits its length', async () => {
    const listingId = await createListing(server);
    const spoof = await uploadFile('submitter1', listingId, 'invoice\u202Egnp.pdf', PDF);
    expect(spoof.json<FileJson>().originalName).toBe('invoicegnp.pdf');
    const other = await createListing(server);
    const long = await uploadFile('submitter1', other, `${'证'.repeat(300)}.pdf`, PNG);
    const name = long.json<FileJson>().originalName;
    expect(Array.from(name)).toHaveLength(200);
    expect(name.endsWith('证.pdf')).toBe(true);
  });

  it('needs a file in the field "file"', async () => {
    const listingId = await createListing(server);
    const fieldsOnly = await upload('submitter1', listingId, [{ name: 'note', content: 'hi' }]);
    expect(fieldsOnly.statusCode).toBe(400);
    expect(fieldsOnly.json<ErrorJson>().error.code).toBe('NO_FILE');
    const wrongField = await upload('submitter1', listingId, [
      { name: 'document', filename: 'a.pdf', content: PDF },
    ]);
    expect(wrongField.statusCode).toBe(400);
    expect(wrongField.json<ErrorJson>().error.code).toBe('NO_FILE');
    const json = await server.app.inject({
      method: 'POST',
      url: `/api/v1/listings/${listingId}/files`,
      headers: await authHeaders('submitter1'),
      payload: { file: 'not a file' },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json<ErrorJson>().error.code).toBe('NO_FILE');
    expect(await fileRows(listingId)).toEqual([]);
  });

  it('takes one file only', async () => {
    const listingId = await createListing(server);
    const response = await upload('submitter1', listingId, [
      { name: 'file', filename: 'a.pdf', content: PDF },
      { name: 'file', filename: 'b.png', content: PNG },
    ]);
    expect(response.statusCode).toBe(413);
    expect(response.json<ErrorJson>().error.code).toBe('TOO_MANY_PARTS');
  });

  it('answers 400 INVALID_ID for a listing id that is not a UUID', async () => {
    const response = await uploadFile('submitter1', 'not-a-uuid', 'a.pdf', PDF);
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorJson>().error.code).toBe('INVALID_ID');
  });

  it('answers 404 for an unknown listing', async () => {
    for (const id of [randomUUID(), '11111111-1111-1111-1111-111111111111']) {
      const response = await uploadFile('submitter1', id, 'a.pdf', PDF);
      expect(response.statusCode).toBe(404);
      expect(response.json<ErrorJson>().error.code).toBe('NOT_FOUND');
    }
  });

  it('answers 401 without a token, before anything else', async () => {
    const listingId = await createListing(server);
    for (const target of [listingId, 'not-a-uuid']) {
      const response = await uploadFile(null, target, 'a.pdf', PDF);
      expect(response.statusCode).toBe(401);
    }
    expect(await fileRows(listingId)).toEqual([]);
  });

  describe('who may upload', () => {
    it.each(['reviewer1', 'ops1', 'ta1', 'mentor1'] as const)(
      '%s may not, even on a draft',
      async (caller) => {
        const listingId = await createListing(server);
        const response = await uploadFile(caller, listingId, 'a.pdf', PDF);
        expect(response.statusCode).toBe(403);
        expect(response.json<ErrorJson>().error.code).toBe('FORBIDDEN');
        expect(await fileRows(listingId)).toEqual([]);
      },
    );

    it('a collaborator not invited to the draft may not', async () => {
      const listingId = await createListing(server, { invite: false });
      const response = await uploadFile('collaborator1', listingId, 'a.pdf', PDF);
      expect(response.statusCode).toBe(403);
      expect(response.json<{ error: { details: unknown } }>().error.details).toEqual({
        reason: 'NOT_INVITED',
      });
      expect(await fileRows(listingId)).toEqual([]);
    });

    it('a submitter of another institution may not', async () => {
      const listingId = await createListing(server);
      const response = await uploadFile('othersub', listingId, 'a.pdf', PDF);
      expect(response.statusCode).toBe(403);
      expect(await fileRows(listingId)).toEqual([]);
    });

    it.each(['submitter1', 'collaborator1', 'assistant1'] as const)(
      '%s may on a draft',
      async (caller) => {
        const listingId = await createListing(server);
        expect((await uploadFile(caller, listingId, 'a.pdf', PDF)).statusCode).toBe(201);
      },
    );

    it.each([
      ['rejected', 'submitter1', 201],
      ['rejected', 'collaborator1', 403],
      ['rejected', 'assistant1', 403],
      ['live', 'submitter1', 201],
      ['live', 'collaborator1', 201],
      ['live', 'assistant1', 201],
      ['pending', 'submitter1', 403],
      ['in_review', 'submitter1', 403],
      ['offline', 'submitter1', 403],
    ] as const)('on a %s listing, %s gets %i', async (state, caller, status) => {
      const listingId = await createListing(server, { state });
      const response = await uploadFile(caller, listingId, 'a.pdf', PDF);
      expect(response.statusCode).toBe(status);
    });

    it('the owner may even when the listing is of another institution (assisted data)', async () => {
      const listingId = await createListing(server, { institutionId: OTHER_INSTITUTION_ID });
      const response = await uploadFile('submitter1', listingId, 'a.pdf', PDF);
      expect(response.statusCode).toBe(201);
      expect((await fileRows(listingId))[0]!.storage_key).toBe(
        `institutions/${OTHER_INSTITUTION_ID}/listings/${listingId}/${sha256(PDF)}`,
      );
    });

    it('a deleted listing is not found', async () => {
      const listingId = await createListing(server);
      await server.db.query('UPDATE listings SET deleted_at = $2 WHERE id = $1', [
        listingId,
        new Date(TEST_EPOCH).toISOString(),
      ]);
      expect((await uploadFile('submitter1', listingId, 'a.pdf', PDF)).statusCode).toBe(404);
    });
  });
});

describe('sanitizeOriginalName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\system32\\cmd.exe', 'cmd.exe'],
    ['C:\\扫描件\\营业执照（正本）.pdf', '营业执照（正本）.pdf'],
    ['..', 'upload.pdf'],
    ['', 'upload.pdf'],
    ['   ', 'upload.pdf'],
    ['.bashrc', 'bashrc'],
    ['report.pdf...', 'report.pdf'],
    ['a\u0000b\u0007c\u007f.pdf', 'abc.pdf'],
    ['line\r\nbreak.pdf', 'line break.pdf'],
    ['evil\u202Efdp.exe', 'evilfdp.exe'],
    ['what?<is>:this|*".pdf', 'what__is__this___.pdf'],
    ['tab\tand  spaces.pdf', 'tab and spaces.pdf'],
    ['cafe\u0301.pdf', 'caf\u00e9.pdf'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeOriginalName(input, 'pdf')).toBe(expected);
  });

  it('keeps at most 200 characters, the extension included, without splitting a character', () => {
    expect(sanitizeOriginalName(`${'😀'.repeat(250)}.jpeg`, 'jpg')).toBe(
      `${'😀'.repeat(195)}.jpeg`,
    );
    expect(Array.from(sanitizeOriginalName('x'.repeat(500), 'pdf'))).toHaveLength(200);
  });
});

// ── Download ───────────────────────────────────────────────────────────────────────────────────

describe('GET /api/v1/files/:fileId', () => {
  let pdf: FileJson;
  let png: FileJson;

  beforeAll(async () => {
    const listingId = await createListing(server);
    pdf = (await uploadFile('submitter1', listingId, '营业执照 (2026).pdf', PDF)).json<FileJson>();
    png = (await uploadFile('submitter1', listingId, 'logo.png', PNG)).json<FileJson>();
  });

  it('sends the whole file with its headers', async () => {
    const response = await download('reviewer1', pdf.id);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(PDF)).toBe(true);
    expect(response.headers).toMatchObject({
      'content-type': 'application/pdf',
      'content-length': String(PDF.length),
      etag: `"${sha256(PDF)}"`,
      'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=31536000, immutable',
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent('营业执照 ')}%282026%29.pdf`,
      'x-content-type-options': 'nosniff',
    });
    const image = await download('submitter1', png.id);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(PNG)).toBe(true);
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const etag = `"${sha256(PDF)}"`;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await download('reviewer1', pdf.id, { 'if-none-match': header });
      expect(response.statusCode).toBe(304);
      expect(response.rawPayload).toHaveLength(0);
      expect(response.headers.etag).toBe(etag);
    }
    const miss = await download('reviewer1', pdf.id, { 'if-none-match': '"something-else"' });
    expect(miss.statusCode).toBe(200);
  });

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=10-19', 10, 19],
    ['bytes=5-', 5, PDF.length - 1],
    ['bytes=-5', PDF.length - 5, PDF.length - 1],
    ['bytes=0-999999', 0, PDF.length - 1],
    ['bytes=-999999', 0, PDF.length - 1],
  ])('serves %s as 206 with the slice', async (range, start, end) => {
    const response = await download('reviewer1', pdf.id, { range });
    expect(response.statusCode).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/${PDF.length}`);
    expect(response.headers['content-length']).toBe(String(end - start + 1));
    expect(response.rawPayload.equals(PDF.subarray(start, end + 1))).toBe(true);
  });

  it('the suffix range bytes=-5 is the %%EOF trailer', async () => {
    const response = await download('reviewer1', pdf.id, { range: 'bytes=-5' });
    expect(response.body).toBe('%EOF\n');
  });

  it.each([
    'bytes=999999-',
    `bytes=${PDF.length}-`,
    'bytes=-0',
    'bytes=5-3',
    'bytes=abc',
    'bytes=',
    'bytes 0-5',
  ])('answers %s with 416', async (range) => {
    const response = await download('reviewer1', pdf.id, { range });
    expect(response.statusCode).toBe(416);
    expect(response.headers['content-range']).toBe(`bytes */${PDF.length}`);
    expect(response.json<ErrorJson>().error.code).toBe('RANGE_NOT_SATISFIABLE');
  });

  it('serves several ranges, another unit or a stale If-Range as the whole file', async () => {
    for (const headers of [
      { range: 'bytes=0-1,5-6' },
      { range: 'items=0-1' },
      { range: 'bytes=0-1', 'if-range': '"stale"' },
    ]) {
      const response = await download('reviewer1', pdf.id, headers);
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.equals(PDF)).toBe(true);
    }
    const fresh = await download('reviewer1', pdf.id, {
      range: 'bytes=0-1',
      'if-range': `"${sha256(PDF)}"`,
    });
    expect(fresh.statusCode).toBe(206);
  });

  it.each(['reviewer1', 'ops1', 'assistant1', 'submitter1', 'collaborator1'] as const)(
    '%s may read a credential file',
    async (caller) => {
      expect((await download(caller, pdf.id)).statusCode).toBe(200);
    },
  );

  it.each(['othersub', 'ta1', 'mentor1'] as const)('%s may not', async (caller) => {
    const response = await download(caller, pdf.id);
    expect(response.statusCode).toBe(403);
    expect(response.json<ErrorJson>().error.code).toBe('FORBIDDEN');
  });

  it('answers 401 without a token, 400 for a bad id and 404 for an unknown one', async () => {
    expect((await download(null, pdf.id)).statusCode).toBe(401);
    const bad = await download('reviewer1', 'nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorJson>().error.code).toBe('INVALID_ID');
    const unknown = await download('reviewer1', randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json<ErrorJson>().error.code).toBe('NOT_FOUND');
  });

  it('serves homework screenshots to TAs, mentors and ops managers only', async () => {
    const submissionId = randomUUID();
    const at = new Date(TEST_EPOCH).toISOString();
    await server.db.query(
      `INSERT INTO homework_submissions (id, student_id, student_name, chapter, article_url, state,
                                         submitted_at, ta_due_at, updated_at)
       VALUES ($1, 'S001', '张三', 1, 'https://example.com/a', 'submitted', $2, $2, $2)`,
      [submissionId, at],
    );
    const stored = await storeHomeworkFile(server.ctx, {
      submissionId,
      bytes: JPEG,
      originalName: '截图.jpg',
    });
    expect(stored.created).toBe(true);
    expect(stored.file).toMatchObject({
      submissionId,
      mimeType: 'image/jpeg',
      originalName: '截图.jpg',
    });
    const again = await storeHomeworkFile(server.ctx, {
      submissionId,
      bytes: JPEG,
      originalName: 'again.jpg',
    });
    expect(again).toMatchObject({ created: false, file: { id: stored.file.id } });
    await expect(
      storeHomeworkFile(server.ctx, { submissionId, bytes: PDF, originalName: 'a.pdf' }),
    ).rejects.toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_TYPE' });

    for (const caller of ['ta1', 'mentor1', 'ops1'] as const) {
      const response = await download(caller, stored.file.id);
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.equals(JPEG)).toBe(true);
    }
    for (const caller of ['reviewer1', 'submitter1', 'assistant1'] as const) {
      expect((await download(caller, stored.file.id)).statusCode).toBe(403);
    }
  });
});
