import type { ValidationIssue } from '#shared/domain/validationIssue';
import type { ListingDraftRow } from '../../db/database';
import { SignInRequiredError, type FetchLike, type HttpAnswer } from '../../sync/transport';
import { browserFetch, serverTransport, type Workspace } from '../../workspace/workspace';

/**
 * Where the listing editor keeps its drafts: on the device (Dexie, `listingDrafts`) on every
 * change, and on the server when it can be reached. The editor talks only to this interface:
 * the REST push below is to be replaced by an outbox mutation (`saveDraft` with a base revision
 * and a three-way merge, issue 11) without touching the editor.
 */
export interface DraftStore {
  /** The device's draft of a server listing, or of a device key (`draft=` of a new listing). */
  loadByListing(listingId: string): Promise<ListingDraftRow | undefined>;
  loadByKey(key: string): Promise<ListingDraftRow | undefined>;
  /** Drafts on this device, newest first. */
  list(): Promise<ListingDraftRow[]>;
  saveLocal(draft: ListingDraftRow): Promise<void>;
  /**
   * Sends the draft to the server (creating the listing first when it has no server id yet) and
   * records on the device what the server accepted. Throws `NetworkError` when offline and
   * `DraftRequestError` when the server refused.
   */
  push(draft: ListingDraftRow): Promise<PushResult>;
  /** The server's document of a listing (for a listing not yet on this device). */
  fetchServerDocument(listingId: string): Promise<Record<string, unknown>>;
  uploadFile(listingId: string, file: File): Promise<UploadedFile>;
  /** Submits for review; a 422 comes back as `DraftRequestError` with the issues. */
  submit(listingId: string): Promise<{ readonly itemId: string }>;
}

export interface PushResult {
  readonly draft: ListingDraftRow;
  /** The server's validation of the saved draft (the same validator as the editor's). */
  readonly issues: readonly ValidationIssue[];
}

/** The server's answer to an upload (`POST /api/v1/listings/:id/files`). */
export interface UploadedFile {
  readonly id: string;
  readonly sha256: string;
  readonly mimeType: string;
  readonly sizeBytes: number;
  readonly originalName: string;
}

export class DraftRequestError extends Error {
  override readonly name = 'DraftRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }

  /** The validation issues of a 422, if it carried any. */
  issues(): ValidationIssue[] {
    const issues = this.details['issues'];
    return Array.isArray(issues) ? (issues as ValidationIssue[]) : [];
  }
}

interface ErrorAnswer {
  readonly error?: {
    readonly code?: string;
    readonly message?: string;
    readonly details?: Record<string, unknown>;
  };
}

/**
 * The REST draft store: `POST /api/v1/listings`, `PUT /api/v1/listings/:id/draft`,
 * `POST /api/v1/listings/:id/files`, `POST /api/v1/listings/:id/submit`.
 */
export function createRestDraftStore(
  workspace: Pick<Workspace, 'db' | 'session'>,
  fetch: FetchLike = browserFetch,
  now: () => number = () => Date.now(),
): DraftStore {
  const { db } = workspace;
  const transport = serverTransport(workspace, fetch);

  /** One request through the workspace's transport (token attached, refreshed once on a 401). */
  async function request<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: FormData | object,
  ): Promise<T> {
    let answer: HttpAnswer<(T & ErrorAnswer) | null>;
    try {
      answer =
        method === 'GET'
          ? await transport.get(path)
          : method === 'PUT'
            ? await transport.put(path, body)
            : await transport.post(path, body);
    } catch (error) {
      if (error instanceof SignInRequiredError) {
        throw new DraftRequestError(401, 'SIGN_IN_REQUIRED', error.message);
      }
      throw error;
    }
    const parsed = answer.body ?? ({} as T & ErrorAnswer);
    if (answer.status >= 400) {
      const error = parsed.error;
      throw new DraftRequestError(
        answer.status,
        error?.code ?? `HTTP_${String(answer.status)}`,
        error?.message ?? `the server answered ${String(answer.status)}`,
        error?.details ?? {},
      );
    }
    return parsed;
  }

  const listingPath = (id: string) => `/api/v1/listings/${encodeURIComponent(id)}`;

  return {
    loadByListing: (listingId) => db.listingDrafts.where('listingId').equals(listingId).first(),
    loadByKey: (key) => db.listingDrafts.get(key),
    list: () => db.listingDrafts.orderBy('updatedAt').reverse().toArray(),
    saveLocal: async (draft) => {
      await db.listingDrafts.put(draft);
    },
    async push(draft) {
      let listingId = draft.listingId;
      if (listingId === '') {
        const institutionId = institutionOf(draft);
        const created = await request<{ id: string }>('POST', '/api/v1/listings', {
          ...(institutionId === null ? {} : { institutionId }),
          document: draft.document,
        });
        listingId = created.id;
      }
      const saved = await request<{ issues?: ValidationIssue[] }>(
        'PUT',
        `${listingPath(listingId)}/draft`,
        draft.document,
      );
      // Only what this push sent is marked as pushed: a change typed meanwhile stays newer.
      const stored = await db.transaction('rw', db.listingDrafts, async () => {
        const current = (await db.listingDrafts.get(draft.id)) ?? draft;
        const next: ListingDraftRow = {
          ...current,
          listingId,
          base: draft.document,
          pushedAt: current.updatedAt === draft.updatedAt ? now() : current.pushedAt,
        };
        await db.listingDrafts.put(next);
        return next;
      });
      return { draft: stored, issues: saved.issues ?? [] };
    },
    async fetchServerDocument(listingId) {
      const answer = await request<{ document?: unknown }>('GET', listingPath(listingId));
      const document = answer.document;
      return typeof document === 'object' && document !== null && !Array.isArray(document)
        ? (document as Record<string, unknown>)
        : { schemaVersion: 1 };
    },
    async uploadFile(listingId, file) {
      const form = new FormData();
      form.append('file', file, file.name);
      return request<UploadedFile>('POST', `${listingPath(listingId)}/files`, form);
    },
    async submit(listingId) {
      return request<{ itemId: string }>('POST', `${listingPath(listingId)}/submit`);
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The institution a new listing is created for: the one chosen for the draft, else the
 * document's provider (an assistant picks it in the editor; a submitter's own is the server's).
 */
export function institutionOf(draft: ListingDraftRow): string | null {
  if (draft.institutionId !== null) {
    return draft.institutionId;
  }
  const provider = draft.document['provider'];
  const id =
    typeof provider === 'object' && provider !== null
      ? (provider as { id?: unknown }).id
      : undefined;
  return typeof id === 'string' && UUID.test(id) ? id : null;
}

/** Whether a draft has changes the server has not accepted yet. */
export function hasUnpushedChanges(draft: ListingDraftRow): boolean {
  return draft.pushedAt === null || draft.pushedAt < draft.updatedAt;
}

export type { ListingDraftRow };
