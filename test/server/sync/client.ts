import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import type { MutationResult, PullResponse, PushResponse, RowChange } from '#shared/sync/protocol';
import type { TestServer, TestUsername } from '../harness';

export interface PendingMutation {
  readonly name: string;
  readonly args: unknown;
  readonly v?: number;
  readonly base?: Record<string, number>;
  readonly clientCreatedAt?: string;
}

export interface Envelope {
  readonly seq: number;
  readonly mutationId: string;
  readonly name: string;
  readonly v: number;
  readonly args: unknown;
  readonly base?: Record<string, number>;
  readonly clientCreatedAt?: string;
}

/**
 * A minimal RSP/1 client for server tests: allocates gapless seqs and mutation ids, pushes,
 * and pulls into an in-memory mirror (table → id → row), as the workstation does with Dexie.
 */
export class TestSyncClient {
  readonly clientId = randomUUID();
  private nextSeq = 1;
  cursor: string | null = null;
  resultsAfterSeq = 0;
  readonly mirror = new Map<string, Map<string, Readonly<Record<string, unknown>>>>();
  readonly results = new Map<number, MutationResult>();

  constructor(
    readonly server: TestServer,
    readonly username: TestUsername,
  ) {}

  /** Records mutations in the "outbox": seq and id are fixed now, like a Dexie transaction. */
  record(...mutations: PendingMutation[]): Envelope[] {
    return mutations.map((mutation) => ({
      seq: this.nextSeq++,
      mutationId: randomUUID(),
      name: mutation.name,
      v: mutation.v ?? 1,
      args: mutation.args,
      ...(mutation.base === undefined ? {} : { base: mutation.base }),
      ...(mutation.clientCreatedAt === undefined
        ? {}
        : { clientCreatedAt: mutation.clientCreatedAt }),
    }));
  }

  async pushRaw(envelopes: readonly Envelope[]): Promise<LightMyRequestResponse> {
    return this.server.as(this.username, 'POST', '/sync/v1/push', {
      protocol: 1,
      clientId: this.clientId,
      mutations: envelopes,
    });
  }

  /** Pushes and expects 200; returns the results by seq. */
  async push(envelopes: readonly Envelope[]): Promise<MutationResult[]> {
    const response = await this.pushRaw(envelopes);
    if (response.statusCode !== 200) {
      throw new Error(`push failed: ${response.statusCode} ${response.body}`);
    }
    const body = response.json<PushResponse>();
    for (const result of body.results) {
      this.results.set(result.seq, result);
    }
    return [...body.results];
  }

  /** Records and pushes one mutation; returns its result. */
  async do(
    name: string,
    args: unknown,
    extra: Omit<PendingMutation, 'name' | 'args'> = {},
  ): Promise<MutationResult> {
    const [result] = await this.push(this.record({ name, args, ...extra }));
    if (result === undefined) {
      throw new Error('no result');
    }
    return result;
  }

  async pullOnce(limit?: number): Promise<PullResponse> {
    const response = await this.server.as(this.username, 'POST', '/sync/v1/pull', {
      protocol: 1,
      clientId: this.clientId,
      cursor: this.cursor,
      resultsAfterSeq: this.resultsAfterSeq,
      ...(limit === undefined ? {} : { limit }),
    });
    if (response.statusCode !== 200) {
      throw new Error(`pull failed: ${response.statusCode} ${response.body}`);
    }
    const body = response.json<PullResponse>();
    if (body.reset === true) {
      this.mirror.clear();
    }
    this.apply(body.changes);
    for (const result of body.results) {
      this.results.set(result.seq, result);
      this.resultsAfterSeq = Math.max(this.resultsAfterSeq, result.seq);
    }
    this.cursor = body.cursor;
    return body;
  }

  /** Pulls until the server says there is nothing more. */
  async pullAll(limit?: number): Promise<PullResponse[]> {
    const pages: PullResponse[] = [];
    for (let guard = 0; guard < 10_000; guard += 1) {
      const page = await this.pullOnce(limit);
      pages.push(page);
      if (!page.hasMore) {
        return pages;
      }
    }
    throw new Error('pull never finished');
  }

  apply(changes: readonly RowChange[]): void {
    for (const change of changes) {
      let table = this.mirror.get(change.table);
      if (table === undefined) {
        table = new Map();
        this.mirror.set(change.table, table);
      }
      if (change.op === 'del') {
        table.delete(change.id);
      } else if (change.data !== undefined) {
        table.set(change.id, change.data);
      }
    }
  }

  row(table: string, id: string): Readonly<Record<string, unknown>> | undefined {
    return this.mirror.get(table)?.get(id);
  }

  rows(table: string): Readonly<Record<string, unknown>>[] {
    return [...(this.mirror.get(table)?.values() ?? [])];
  }
}

const validListing = JSON.parse(
  readFileSync(new URL('../../fixtures/listings/valid-full.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** A valid listing document (the fixture), with an optional new name. */
export function listingDocument(name?: string): Record<string, unknown> {
  const document = structuredClone(validListing);
  if (name !== undefined) {
    (document['basic'] as Record<string, unknown>)['name'] = name;
  }
  return document;
}

/** Creates and submits a listing as submitter1; returns the listing id and its review item id. */
export async function submitNewListing(
  server: TestServer,
  name = '英国硕士申请旗舰包',
): Promise<{ listingId: string; itemId: string; revisionId: string }> {
  const created = await server.as('submitter1', 'POST', '/api/v1/listings', {
    document: listingDocument(name),
  });
  if (created.statusCode !== 201) {
    throw new Error(`create failed: ${created.statusCode} ${created.body}`);
  }
  const { id } = created.json<{ id: string }>();
  const submitted = await server.as('submitter1', 'POST', `/api/v1/listings/${id}/submit`);
  if (submitted.statusCode !== 200) {
    throw new Error(`submit failed: ${submitted.statusCode} ${submitted.body}`);
  }
  const body = submitted.json<{ itemId: string; revisionId: string }>();
  return { listingId: id, itemId: body.itemId, revisionId: body.revisionId };
}
