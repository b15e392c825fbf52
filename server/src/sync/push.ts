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
import {
  coalescingWrites,
  isolatedSequence,
  isRetryableTransactionError,
  type Queryable,
} from '../db/database';
import type { MutationDefinition } from '../review/kind';
import { mutationKey, newestVersion } from '../review/kinds';
import {
  createWorkScope,
  insertAuditRows,
  outcomeMessage,
  type AuditRow,
  type Outcome,
} from '../review/scope';
import { readStoredResult, readStoredResults, storeResults, type ResultToStore } from './results';
import { nextSpaceVersion } from './version';

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

/** What one push transaction did: the answers in order, or where a sequence gap stopped it. */
interface BatchOutcome {
  readonly results: readonly MutationResult[];
  /** The space version every row this push wrote carries, when it wrote any. */
  readonly version: number | null;
  readonly gap: { readonly expectedSeq: number; readonly lastSeq: number } | null;
}

/**
 * RSP/1 push (§2.3): the whole batch in one READ COMMITTED transaction that first locks the
 * client's row, then takes the space version (a write lock every writer takes first, so commit
 * order = version order and every row of the push carries that one version), then applies the
 * mutations in seq order, each behind its own savepoint: a mutation that fails or does not apply
 * rolls back only itself. A stored result per mutation, so a retried batch returns the same
 * answers and applies nothing twice; permanent failures are stored as results so they never
 * block the queue; a transient failure stops the batch with 503 and `processedThrough`.
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
  let batch: BatchOutcome;
  try {
    batch = await withRetries(() =>
      ctx.db.transaction((tx) => applyBatch(ctx, tx, principal, request, registry), {
        isolation: 'read committed',
      }),
    );
  } catch (error) {
    if (!isTransientError(error)) {
      throw error;
    }
    // Nothing of this transaction was committed; what counts is what earlier pushes stored.
    const processedThrough = await lastProcessedSeq(ctx, request.clientId).catch(() => 0);
    const results = await committedResults(ctx, request, processedThrough).catch(() => []);
    return {
      statusCode: 503,
      body: { code: 'TRANSIENT', processedThrough, retryAfterMs: RETRY_AFTER_MS, results },
    };
  }
  if (batch.version !== null) {
    ctx.hints.notify(batch.version);
  }
  if (batch.gap !== null) {
    return { statusCode: 409, body: { code: 'OUT_OF_ORDER', ...batch.gap } };
  }
  const lastSeq = batch.results.at(-1)?.seq ?? 0;
  return { statusCode: 200, body: { results: [...batch.results], lastSeq, serverTime: nowIso() } };
}

/** Runs the push's transaction again after a serialisation failure or deadlock. */
async function withRetries<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (!isRetryableTransactionError(error) || attempt >= MAX_ATTEMPTS) {
        throw error;
      }
      // A short random pause, so transactions that collided do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

/** The stored results of this request's mutations up to `processedThrough`, for a 503. */
async function committedResults(
  ctx: ServerContext,
  request: PushRequest,
  processedThrough: number,
): Promise<MutationResult[]> {
  const seqs = new Set(request.mutations.map((mutation) => mutation.seq));
  const first = Math.min(...seqs);
  if (processedThrough < first) {
    return [];
  }
  const stored = await readStoredResults(
    ctx.db,
    request.clientId,
    first - 1,
    processedThrough - first + 1,
  );
  return stored.filter((result) => seqs.has(result.seq));
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

interface Original {
  readonly status: string;
  readonly code: string | null;
}

/** Results already stored under these mutation ids (by any client): those count once. */
async function originalsOf(
  tx: Queryable,
  mutations: readonly MutationEnvelope[],
): Promise<Map<string, Original>> {
  const rows = await tx.query<Original & { mutation_id: string }>(
    `SELECT mutation_id, status, code FROM sync_mutation_results
      WHERE mutation_id = ANY($1::uuid[]) AND status <> 'duplicate'`,
    [mutations.map((mutation) => mutation.mutationId)],
  );
  return new Map(rows.map(({ mutation_id, ...original }) => [mutation_id, original]));
}

async function applyBatch(
  ctx: ServerContext,
  tx: Queryable,
  principal: Principal,
  request: PushRequest,
  registry: ReadonlyMap<string, MutationDefinition>,
): Promise<BatchOutcome> {
  const { clientId } = request;
  const storedThrough = await lockClient(tx, clientId);
  let lastSeq = storedThrough;
  const fresh = request.mutations.filter((mutation) => mutation.seq > storedThrough);
  // Taken before anything is read and outside every savepoint: it serialises writers (under
  // READ COMMITTED each then sees every earlier commit, no lock is ever taken in the opposite
  // order) and its lock is held until this transaction commits, whatever a mutation rolls back.
  const version = fresh.length === 0 ? null : await nextSpaceVersion(tx);
  const originals = fresh.length === 0 ? new Map<string, Original>() : await originalsOf(tx, fresh);
  const results: MutationResult[] = [];
  const toStore: ResultToStore[] = [];
  const audits: AuditRow[] = [];
  let gap: BatchOutcome['gap'] = null;
  const isolation = isolatedSequence(tx);
  for (const mutation of request.mutations) {
    if (mutation.seq <= lastSeq) {
      // Already processed: the same answer again, no effect (a lost response costs nothing).
      const stored =
        toStore.find(({ result }) => result.seq === mutation.seq)?.result ??
        (await readStoredResult(tx, clientId, mutation.seq));
      if (stored === null) {
        throw new Error(`result of ${clientId}#${mutation.seq} is missing`);
      }
      results.push(stored);
      continue;
    }
    if (mutation.seq > lastSeq + 1 || version === null) {
      gap = { expectedSeq: lastSeq + 1, lastSeq };
      break;
    }
    const step = await applyOne(ctx, tx, principal, clientId, mutation, registry, {
      version,
      originals,
      isolation,
    });
    results.push(step.result);
    toStore.push({ v: mutation.v, result: step.result, spaceVersion: version });
    audits.push(...step.audits);
    if (step.result.status !== 'duplicate') {
      originals.set(mutation.mutationId, { status: step.result.status, code: step.result.code });
    }
    lastSeq = mutation.seq;
  }
  await isolation.finish();
  await storeResults(tx, clientId, toStore);
  await insertAuditRows(tx, audits);
  return { results, version, gap };
}

/** A processed mutation: its result, and the audit rows to keep with it. */
interface Applied {
  readonly result: MutationResult;
  readonly audits: readonly AuditRow[];
}

async function applyOne(
  ctx: ServerContext,
  tx: Queryable,
  principal: Principal,
  clientId: string,
  mutation: MutationEnvelope,
  registry: ReadonlyMap<string, MutationDefinition>,
  batch: {
    readonly version: number;
    readonly originals: ReadonlyMap<string, Original>;
    readonly isolation: ReturnType<typeof isolatedSequence>;
  },
): Promise<Applied> {
  const now = ctx.clock.now();
  const serverTime = new Date(now).toISOString();
  const original = batch.originals.get(mutation.mutationId);
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
    return { result: { ...result, status: 'duplicate' }, audits: [] };
  }
  const definition = registry.get(mutationKey(mutation.name, mutation.v));
  if (definition === undefined) {
    await deadLetter(tx, principal, clientId, mutation, serverTime);
    const outcome: Outcome = {
      status: 'rejected',
      code: 'UNSUPPORTED',
      details: {
        name: mutation.name,
        v: mutation.v,
        supported: newestVersion(registry, mutation.name),
      },
    };
    return { result: resultOf(mutation, outcome, serverTime), audits: [] };
  }
  const args = definition.args.safeParse(mutation.args);
  if (!args.success) {
    const outcome: Outcome = {
      status: 'rejected',
      code: 'VALIDATION',
      details: { issues: summariseIssues(args.error) },
    };
    return { result: resultOf(mutation, outcome, serverTime), audits: [] };
  }
  const audits: AuditRow[] = [];
  // The mutation's plain writes go out together (see coalescingWrites); its end is here, where
  // they are flushed — or dropped with the savepoint when it does not apply. Its statements are
  // the same few for every mutation of a kind, so they are kept prepared.
  const writes = coalescingWrites(tx, { prepare: true });
  const scope = createWorkScope({
    tx: writes,
    principal,
    now,
    config: ctx.config,
    mutationId: mutation.mutationId,
    clientCreatedAt: mutation.clientCreatedAt ?? null,
    takeVersion: () => Promise.resolve(batch.version),
    auditSink: (row) => audits.push(row),
  });
  const attempt = await batch.isolation.run(async () => {
    const outcome = await definition.run(scope, args.data);
    if (outcome.status !== 'applied') {
      throw new NotApplied(outcome);
    }
    await writes.flush();
    return outcome;
  });
  if (attempt.ok) {
    return { result: resultOf(mutation, attempt.value, serverTime), audits };
  }
  if (attempt.error instanceof NotApplied) {
    // Its writes (and audit rows) are rolled back; the refusal is stored and audited apart.
    return notApplied(ctx, tx, principal, mutation, attempt.error.outcome, batch.version, now);
  }
  if (isTransientError(attempt.error)) {
    throw attempt.error;
  }
  // A bug, not a passing fault: retrying would fail forever and block every later mutation,
  // so the mutation is parked for an administrator and the queue moves on.
  await deadLetter(tx, principal, clientId, mutation, serverTime);
  return {
    result: {
      seq: mutation.seq,
      mutationId: mutation.mutationId,
      name: mutation.name,
      status: 'rejected',
      code: 'INTERNAL',
      message: resultMessage('INTERNAL'),
      details: {
        error: attempt.error instanceof Error ? attempt.error.message.slice(0, 300) : 'unknown',
      },
      serverTime,
    },
    audits: [],
  };
}

async function deadLetter(
  tx: Queryable,
  principal: Principal,
  clientId: string,
  mutation: MutationEnvelope,
  serverTime: string,
): Promise<void> {
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
}

function summariseIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/**
 * A conflict or rejection, after the mutation's own writes were rolled back: the attempt is
 * audited, since a refused decision is part of an item's history too.
 */
async function notApplied(
  ctx: ServerContext,
  tx: Queryable,
  principal: Principal,
  mutation: MutationEnvelope,
  outcome: Outcome,
  version: number,
  now: number,
): Promise<Applied> {
  const audits: AuditRow[] = [];
  const scope = createWorkScope({
    tx,
    principal,
    now,
    config: ctx.config,
    mutationId: mutation.mutationId,
    clientCreatedAt: mutation.clientCreatedAt ?? null,
    takeVersion: () => Promise.resolve(version),
    auditSink: (row) => audits.push(row),
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
  return { result: resultOf(mutation, outcome, new Date(now).toISOString()), audits };
}
