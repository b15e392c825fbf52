import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServer, type TestServer, type TestUsername } from '../harness';
import { TestSyncClient } from '../sync/client';
import { multipart, PDF, PNG } from './uploads';

let server: TestServer;
let submissionId: string;

beforeAll(async () => {
  server = await createTestServer();
  const response = await server.as('ops1', 'POST', '/api/v1/homework', {
    studentId: 's-100',
    studentName: '张伟',
    chapter: '03_实战篇',
    articleUrl: 'https://mp.weixin.qq.com/s/homework',
  });
  submissionId = response.json<{ id: string }>().id;
});
afterAll(async () => {
  await server.close();
});

async function upload(
  username: TestUsername,
  id: string,
  body: { payload: Buffer; contentType: string },
) {
  return server.app.inject({
    method: 'POST',
    url: `/api/v1/homework/${id}/files`,
    headers: {
      authorization: `Bearer ${await server.token(username)}`,
      'content-type': body.contentType,
    },
    payload: body.payload,
  });
}

describe('homework screenshots', () => {
  it('attaches an image, lists it on the submission and lets the TA download it', async () => {
    const ta = new TestSyncClient(server, 'ta1');
    await ta.pullAll();
    const response = await upload(
      'ops1',
      submissionId,
      multipart([{ name: 'file', filename: '截图.png', content: PNG }]),
    );
    expect(response.statusCode).toBe(201);
    const file = response.json<{ id: string; mimeType: string }>();
    expect(file.mimeType).toBe('image/png');

    await ta.pullAll();
    expect(ta.row('homework_submissions', submissionId)?.['screenshots']).toEqual([file.id]);
    const download = await server.as('ta1', 'GET', `/api/v1/files/${file.id}`);
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(PNG)).toBe(true);

    const again = await upload(
      'ops1',
      submissionId,
      multipart([{ name: 'file', filename: 'again.png', content: PNG }]),
    );
    expect(again.statusCode).toBe(200);
  });

  it('accepts images only, from the course team only, for submissions that exist', async () => {
    const pdf = await upload(
      'ops1',
      submissionId,
      multipart([{ name: 'file', filename: 'a.png', content: PDF }]),
    );
    expect(pdf.statusCode).toBe(415);
    const reviewer = await upload(
      'reviewer1',
      submissionId,
      multipart([{ name: 'file', filename: 'a.png', content: PNG }]),
    );
    expect(reviewer.statusCode).toBe(403);
    const unknown = await upload(
      'ops1',
      '00000000-0000-4000-8000-00000000dead',
      multipart([{ name: 'file', filename: 'a.png', content: PNG }]),
    );
    expect(unknown.statusCode).toBe(404);
    const invalid = await upload(
      'ops1',
      'nope',
      multipart([{ name: 'file', filename: 'a.png', content: PNG }]),
    );
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ error: { code: 'INVALID_ID' } });
  });
});
