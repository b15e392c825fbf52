import type { z } from 'zod';
import type {
  MutationEnvelope,
  MutationResult,
  OutOfOrderResponse,
  PushRequest,
  PushResponse,
  TransientFailureResponse,
} from '#shared/sync/protocol';
import { resultMessage } from '#shared/sync/resultMessages';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import { isRetryableTransactionError, type Queryable } from '../db/database';
import type { MutationDefinition } from '../review/kind';
import { mutationKey, newestVersion } from '../review/kinds';
import { createWorkScope, outcomeMessage, type Outcome } from '../review/scope';
import { readStoredResult, storeResult } from './results';
import { currentSpaceVersion } from './version';

export type PushReply =
  | { readonly statusCode: 200; readonly body: PushResponse }
  | { readonly statusCode: 409; readonly body: OutOfOrderResponse }
  | { readonly statusCode: 503; readonly body: TransientFailureResponse }
  | { readonly statusCode: 403; readonly body: { error: { code: string; message: string } } };

/** How many times a mutation's transaction is retried after a serialisation failure or deadlock. */
const MAX_ATTEMPTS = 3;
/** What a 503 asks the client to wait before retrying. */
const RETRY_AFTER_MS = 1000;

/** A mutation that did not apply: its transaction is rolled back, and its result stored apart. */
class NotApplied extends Error {
  constructor(readonly outcome: Outcome) {
    super(`not applied: ${outcome.code ?? outcome.status}`);
  }
}

/** The database or the connection to it failed in a way a retry can fix. */
export function isTransientError(error: unknown): boolean {
  if (isRetryableTransactionError(error)) {
    return true;
  }
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  if (
    /^(08|53|57P)/.test(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND'].includes(code)
  ) {
    return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /connection terminated|connection.*(closed|ended)|PGlite is closed|Client has encountered a connection error/i.test(
    message,
  );
}

type Step =
  | { readonly kind: 'result'; readonly result: MutationResult; readonly version: number | null }
  | { readonly kind: 'gap'; readonly expectedSeq: number; readonly lastSeq: number };

/**
 * RSP/1 push (§2.3): each mutation in its own READ COMMITTED transaction that starts by taking
 * the space version (a write lock every writer takes first, see `attemptOne`), in seq order; a stored result per
 * mutation, so a retried batch returns the same answers and applies nothing twice; permanent
 * failures are stored as results so they never block the queue; a transient failure stops the
 * batch with 503 and `processedThrough`.
 */
export async function processPush(
  ctx: ServerContext,
  principal: Principal,
  request: PushRequest,
  registry: ReadonlyMap<string, MutationDefinition>,
): Promise<PushReply> {
  const nowIso = () => new Date(ctx.clock.now()).toISOString();
  const owner = await ensureClient(ctx, principal, request.clientId);
  if (owner !== principal.id) {
    return {
      statusCode: 403,
      body: {
        error: { code: 'CLIENT_OWNERSHIP', message: 'This client id belongs to another user' },
      },
    };
  }
  const results: MutationResult[] = [];
  let lastSeq = 0;
  let highestVersion: number | null = null;
  try {
    for (const mutation of request.mutations) {
      const step = await processOne(ctx, principal, request.clientId, mutation, registry);
      if (step.kind === 'gap') {
        return {
          statusCode: 409,
          body: { code: 'OUT_OF_ORDER', expectedSeq: step.expectedSeq, lastSeq: step.lastSeq },
        };
      }
      results.push(step.result);
      lastSeq = step.result.seq;
      if (step.version !== null) {
        highestVersion = Math.max(highestVersion ?? 0, step.version);
      }
    }
  } catch (error) {
    if (!isTransientError(error)) {
      throw error;
    }
    const processedThrough = await lastProcessedSeq(ctx, request.clientId).catch(() => lastSeq);
    return {
      statusCode: 503,
      body: { code: 'TRANSIENT', processedThrough, retryAfterMs: RETRY_AFTER_MS, results },
    };
  } finally {
    if (highestVersion !== null) {
      ctx.hints.notify(highestVersion);
    }
  }
  return { statusCode: 200, body: { results, lastSeq, serverTime: nowIso() } };
}

/** Registers the client id for this user on first sight; returns the id of the user owning it. */
async function ensureClient(
  ctx: ServerContext,
  principal: Principal,
  clientId: string,
): Promise<string> {
  const now = new Date(ctx.clock.now()).toISOString();
  await ctx.db.query(
    `INSERT INTO sync_clients (client_id, user_id, last_seq, created_at, last_seen_at)
     VALUES ($1, $2, 0, $3, $3) ON CONFLICT (client_id) DO NOTHING`,
    [clientId, principal.id, now],
  );
  const [row] = await ctx.db.query<{ user_id: string }>(
    `UPDATE sync_clients SET last_seen_at = $2 WHERE client_id = $1 AND user_id = $3 RETURNING user_id`,
    [clientId, now, principal.id],
  );
  if (row !== undefined) {
    return row.user_id;
  }
  const [other] = await ctx.db.query<{ user_id: string }>(
    'SELECT user_id FROM sync_clients WHERE client_id = $1',
    [clientId],
  );
  return other?.user_id ?? '';
}

async function lastProcessedSeq(ctx: ServerContext, clientId: string): Promise<number> {
  const [row] = await ctx.db.query<{ last_seq: number }>(
    'SELECT last_seq FROM sync_clients WHERE client_id = $1',
    [clientId],
  );
  return row?.last_seq ?? 0;
}

/** Locks the client's row; returns its last processed seq. */
async function lockClient(tx: Queryable, clientId: string): Promise<number> {
  const [row] = await tx.query<{ last_seq: number }>(
    'SELECT last_seq FROM sync_clients WHERE client_id = $1 FOR UPDATE',
    [clientId],
  );
  if (row === undefined) {
    throw new Error(`sync client ${clientId} vanished`);
  }
  return row.last_seq;
}

function resultOf(
  mutation: MutationEnvelope,
  outcome: Outcome,
  serverTime: string,
): MutationResult {
  return {
    seq: mutation.seq,
    mutationId: mutation.mutationId,
    name: mutation.name,
    status: outcome.status,
    code: outcome.code ?? null,
    message: outcomeMessage(outcome),
    details: outcome.details ?? {},
    serverTime,
  };
}

async function processOne(
  ctx: ServerContext,
  principal: Principal,
  clientId: string,
  mutation: MutationEnvelope,
  registry: ReadonlyMap<string, MutationDefinition>,
): Promise<Step> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await attemptOne(ctx, principal, clientId, mutation, registry);
    } catch (error) {
      if (error instanceof NotApplied) {
        return storeNotApplied(ctx, principal, clientId, mutation, error.outcome);
      }
      if (isRetryableTransactionError(error) && attempt < MAX_ATTEMPTS) {
        // A short random pause, so transactions that collided do not collide again in step.
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
        continue;
      }
      if (isTransientError(error)) {
        throw error;
      }
      // A bug, not a passing fault: retrying would fail forever and block every later
      // mutation, so the mutation is parked for an administrator and the queue moves on.
      return storeInternalFailure(ctx, principal, clientId, mutation, error);
    }
  }
}

async function attemptOne(
  ctx: ServerContext,
  principal: Principal,
  clientId: string,
  mutation: MutationEnvelope,
  registry: ReadonlyMap<string, MutationDefinition>,
): Promise<Step> {
  return ctx.db.transaction(
    async (tx): Promise<Step> => {
      const now = ctx.clock.now();
      const serverTime = new Date(now).toISOString();
      const lastSeq = await lockClient(tx, clientId);
      if (mutation.seq <= lastSeq) {
        // Already processed: the same answer again, no effect (a lost response costs nothing).
        const stored = await readStoredResult(tx, clientId, mutation.seq);
        if (stored === null) {
          throw new Error(`result of ${clientId}#${mutation.seq} is missing`);
        }
        return { kind: 'result', result: stored, version: null };
      }
      if (mutation.seq > lastSeq + 1) {
        return { kind: 'gap', expectedSeq: lastSeq + 1, lastSeq };
      }
      const version = await currentSpaceVersion(tx);
      const [original] = await tx.query<{
        status: string;
        code: string | null;
        client_id: string;
        seq: number;
      }>(
        `SELECT status, code, client_id, seq FROM sync_mutation_results
          WHERE mutation_id = $1 AND status <> 'duplicate'`,
        [mutation.mutationId],
      );
      if (original !== undefined) {
        // The same intent arrived under another client id (a journal replayed after the local
        // database was lost): it counts once.
        const result = resultOf(
          mutation,
          {
            status: 'applied',
            code: 'DUPLICATE',
            details: { originalStatus: original.status, originalCode: original.code },
          },
          serverTime,
        );
        const duplicate: MutationResult = { ...result, status: 'duplicate' };
        await storeResult(tx, clientId, mutation.v, duplicate, version);
        return { kind: 'result', result: duplicate, version: null };
      }
      const definition = registry.get(mutationKey(mutation.name, mutation.v));
      if (definition === undefined) {
        await tx.query(
          `INSERT INTO sync_dead_letter (client_id, seq, mutation_id, user_id, name, v, args, received_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            clientId,
            mutation.seq,
            mutation.mutationId,
            principal.id,
            mutation.name,
            mutation.v,
            JSON.stringify(mutation.args ?? null),
            serverTime,
          ],
        );
        const result = resultOf(
          mutation,
          {
            status: 'rejected',
            code: 'UNSUPPORTED',
            details: {
              name: mutation.name,
              v: mutation.v,
              supported: newestVersion(registry, mutation.name),
            },
          },
          serverTime,
        );
        await storeResult(tx, clientId, mutation.v, result, version);
        return { kind: 'result', result, version: null };
      }
      const args = definition.args.safeParse(mutation.args);
      if (!args.success) {
        const result = resultOf(
          mutation,
          {
            status: 'rejected',
            code: 'VALIDATION',
            details: { issues: summariseIssues(args.error) },
          },
          serverTime,
        );
        await storeResult(tx, clientId, mutation.v, result, version);
        return { kind: 'result', result, version: null };
      }
      const scope = createWorkScope({
        tx,
        principal,
        now,
        config: ctx.config,
        mutationId: mutation.mutationId,
        clientCreatedAt: mutation.clientCreatedAt ?? null,
      });
      // Writers take the space version first: it serialises them (commit order = version order)
      // before they read anything, so under READ COMMITTED each sees every earlier commit and
      // no lock is ever taken in the opposite order (no deadlocks, no serialisation failures).
      await scope.version();
      const outcome = await definition.run(scope, args.data);
      if (outcome.status !== 'applied') {
        throw new NotApplied(outcome);
      }
      const taken = scope.versionTaken();
      await storeResult(
        tx,
        clientId,
        mutation.v,
        resultOf(mutation, outcome, serverTime),
        taken ?? version,
      );
      return { kind: 'result', result: resultOf(mutation, outcome, serverTime), version: taken };
    },
    { isolation: 'read committed' },
  );
}

function summariseIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/**
 * Stores a conflict or rejection in a fresh transaction, after the mutation's own was rolled
 * back, and audits the attempt: a refused decision is part of an item's history too.
 */
async function storeNotApplied(
  ctx: ServerContext,
  principal: Principal,
  clientId: string,
  mutation: MutationEnvelope,
  outcome: Outcome,
): Promise<Step> {
  return ctx.db.transaction(
    async (tx): Promise<Step> => {
      const now = ctx.clock.now();
      const lastSeq = await lockClient(tx, clientId);
      if (mutation.seq <= lastSeq) {
        const stored = await readStoredResult(tx, clientId, mutation.seq);
        if (stored !== null) {
          return { kind: 'result', result: stored, version: null };
        }
      }
      if (mutation.seq !== lastSeq + 1) {
        return { kind: 'gap', expectedSeq: lastSeq + 1, lastSeq };
      }
      const scope = createWorkScope({
        tx,
        principal,
        now,
        config: ctx.config,
        mutationId: mutation.mutationId,
        clientCreatedAt: mutation.clientCreatedAt ?? null,
      });
      const args = (mutation.args ?? {}) as Record<string, unknown>;
      const subjectId = [args['itemId'], args['listingId']].find(
        (value): value is string => typeof value === 'string' && /^[0-9a-f-]{36}$/i.test(value),
      );
      if (subjectId !== undefined && outcome.code !== 'NOT_FOUND') {
        const [item] = await tx.query<{ id: string; subject_id: string }>(
          'SELECT id, subject_id FROM review_items WHERE id = $1',
          [subjectId],
        );
        await scope.audit({
          subjectType: item === undefined ? 'listing' : 'review_item',
          subjectId: item?.subject_id ?? subjectId,
          itemId: item?.id ?? null,
          action: `attempt_${mutation.name}`,
          reason: outcome.code ?? null,
          details: { status: outcome.status, ...(outcome.details ?? {}) },
        });
      }
      const version = scope.versionTaken() ?? (await currentSpaceVersion(tx));
      const result = resultOf(mutation, outcome, new Date(now).toISOString());
      await storeResult(tx, clientId, mutation.v, result, version);
      return { kind: 'result', result, version: scope.versionTaken() };
    },
    { isolation: 'read committed' },
  );
}

async function storeInternalFailure(
  ctx: ServerContext,
  principal: Principal,
  clientId: string,
  mutation: MutationEnvelope,
  error: unknown,
): Promise<Step> {
  const serverTime = new Date(ctx.clock.now()).toISOString();
  return ctx.db.transaction(async (tx): Promise<Step> => {
    const lastSeq = await lockClient(tx, clientId);
    if (mutation.seq !== lastSeq + 1) {
      const stored = await readStoredResult(tx, clientId, mutation.seq);
      if (stored !== null) {
        return { kind: 'result', result: stored, version: null };
      }
      return { kind: 'gap', expectedSeq: lastSeq + 1, lastSeq };
    }
    await tx.query(
      `INSERT INTO sync_dead_letter (client_id, seq, mutation_id, user_id, name, v, args, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        clientId,
        mutation.seq,
        mutation.mutationId,
        principal.id,
        mutation.name,
        mutation.v,
        JSON.stringify(mutation.args ?? null),
        serverTime,
      ],
    );
    const result: MutationResult = {
      seq: mutation.seq,
      mutationId: mutation.mutationId,
      name: mutation.name,
      status: 'rejected',
      code: 'INTERNAL',
      message: resultMessage('INTERNAL'),
      details: { error: error instanceof Error ? error.message.slice(0, 300) : 'unknown' },
      serverTime,
    };
    await storeResult(tx, clientId, mutation.v, result, await currentSpaceVersion(tx));
    return { kind: 'result', result, version: null };
  });
}
