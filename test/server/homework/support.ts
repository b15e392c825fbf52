import { createHash, randomUUID } from 'node:crypto';
import {
  evidenceCanonicalText,
  type HomeworkEvidenceContent,
} from '#shared/domain/homeworkEvidence';
import type { MutationResult, PushResponse } from '#shared/sync/protocol';
import { createUser } from '../../../server/src/auth/users';
import { TEST_PASSWORD, type TestServer, type TestUsername } from '../harness';
import { TestSyncClient } from '../sync/client';

/** Shared helpers of the homework workstation suites. */

export interface Filed {
  readonly id: string;
  readonly itemId: string;
  readonly taDueAt: string;
}

export const HOMEWORK = {
  studentId: 'S2026001',
  studentName: '李雷',
  chapter: '03_实战篇',
  articleUrl: 'https://mp.weixin.qq.com/s/Ab3dEf',
  articleText: '我用提示词写了一篇关于秋天的文章。先列提纲，再逐段改写。',
  reflection: '第一次用提示词写完一篇完整的文章。',
} as const;

export const digestOf = (content: HomeworkEvidenceContent): string =>
  createHash('sha256').update(evidenceCanonicalText(content), 'utf8').digest('hex');

export async function fileHomework(
  server: TestServer,
  body: Record<string, unknown> = {},
  username: TestUsername = 'ops1',
): Promise<Filed> {
  const response = await server.as(username, 'POST', '/api/v1/homework', { ...HOMEWORK, ...body });
  if (response.statusCode !== 201) {
    throw new Error(`filing failed: ${response.statusCode} ${response.body}`);
  }
  return response.json<Filed>();
}

export interface RubricArgs {
  readonly rubricId: string;
  readonly chapter: string;
  readonly title: string;
  readonly maxScore: number;
  readonly criteria: readonly { id: string; title: string; description: string; points: number }[];
  readonly baseRevision?: number;
}

/** A rubric of three criteria worth 40 + 40 + 20 points. */
export function rubricArgs(chapter: string): RubricArgs {
  return {
    rubricId: randomUUID(),
    chapter,
    title: `${chapter} 评分标准`,
    maxScore: 100,
    criteria: [
      { id: randomUUID(), title: '结构完整', description: '有开头、主体和结尾', points: 40 },
      { id: randomUUID(), title: '提示词运用', description: '展示了提示词的迭代', points: 40 },
      { id: randomUUID(), title: '反思', description: '写出了收获和不足', points: 20 },
    ],
  };
}

export async function saveRubric(server: TestServer, args: RubricArgs): Promise<MutationResult> {
  return new TestSyncClient(server, 'ops1').do('saveRubric', args);
}

/** The submission row's evidence digest. */
export async function evidenceSha(server: TestServer, submissionId: string): Promise<string> {
  const [row] = await server.db.query<{ evidence_sha256: string }>(
    'SELECT evidence_sha256 FROM homework_submissions WHERE id = $1',
    [submissionId],
  );
  if (row === undefined) {
    throw new Error(`no submission ${submissionId}`);
  }
  return row.evidence_sha256;
}

/** Another user of `role`, signed in: pushes mutations through its own client id. */
export async function extraUser(
  server: TestServer,
  username: string,
  role: 'ta' | 'mentor' | 'ops_manager',
): Promise<{
  id: string;
  push: (name: string, args: unknown, v?: number) => Promise<MutationResult>;
}> {
  const id = await server.db.transaction((tx) =>
    createUser(
      tx,
      { username, displayName: `${username} 老师`, role, password: TEST_PASSWORD },
      server.clock.now(),
    ),
  );
  const clientId = randomUUID();
  let seq = 0;
  let session: { token: string; at: number } | null = null;
  const token = async () => {
    if (session === null || server.clock.now() - session.at >= 5 * 60_000) {
      const login = await server.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { username, password: TEST_PASSWORD },
      });
      session = {
        token: login.json<{ accessToken: string }>().accessToken,
        at: server.clock.now(),
      };
    }
    return session.token;
  };
  return {
    id,
    async push(name, args, v = 1) {
      seq += 1;
      const response = await server.app.inject({
        method: 'POST',
        url: '/sync/v1/push',
        headers: { authorization: `Bearer ${await token()}` },
        payload: {
          protocol: 1,
          clientId,
          mutations: [{ seq, mutationId: randomUUID(), name, v, args }],
        },
      });
      if (response.statusCode !== 200) {
        throw new Error(`push failed: ${response.statusCode} ${response.body}`);
      }
      const [result] = response.json<PushResponse>().results;
      if (result === undefined) {
        throw new Error('no result');
      }
      return result;
    },
  };
}

/** The review items of a submission, oldest first. */
export function itemsOf(
  server: TestServer,
  submissionId: string,
): Promise<{ id: string; kind: string; state: string; due_at: string | null }[]> {
  return server.db.query(
    `SELECT id, kind, state, due_at FROM review_items WHERE subject_id = $1 ORDER BY created_at, kind`,
    [submissionId],
  );
}

/** Moves the clock to `hour`:00 Shanghai on the Friday the pool opens for the item, if before it. */
export async function openPool(server: TestServer, itemId: string, hour = 10): Promise<void> {
  const [row] = await server.db.query<{ due_at: string }>(
    'SELECT due_at FROM review_items WHERE id = $1',
    [itemId],
  );
  const opensAt = Date.parse(row?.due_at ?? '') - 24 * 3_600_000;
  if (server.clock.now() < opensAt) {
    server.clock.set(opensAt + hour * 3_600_000);
  }
}
