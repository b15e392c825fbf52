import { mergeJson, resolveConflict, type MergeConflict } from '#shared/diff/merge';
import type { JsonValue } from '#shared/diff/patch';
import { formatPointer, parsePointer } from '#shared/diff/pointer';
import type { ValidationIssue } from '#shared/domain/validationIssue';
import type { DraftFieldConflict, ListingDraftRow, ResultRow } from '../../db/database';
import { SignInRequiredError, type FetchLike, type HttpAnswer } from '../../sync/transport';
import { browserFetch, serverTransport, type Workspace } from '../../workspace/workspace';

/**
 * Where the listing editor keeps its drafts: on the device (Dexie, `listingDrafts`) on every
 * change, and on the server through the outbox: an edit of a listing the server has is a
 * `saveDraft` mutation carrying the base revision it started from (sent when the network is
 * there, exactly once, like every decision). The server answers STALE_BASE with its document
 * when another device saved first; the device then merges three-way (`mergeDraftAnswer`):
 * fields only one side changed merge silently, fields both changed become `conflicts` the user
 * resolves one by one. Creating a new listing stays REST (`POST /api/v1/listings`): the server
 * gives the listing its id, which the outbox mutation needs.
 */
export interface DraftStore {
  /** The device's draft of a server listing, or of a device key (`draft=` of a new listing). */
  loadByListing(listingId: string): Promise<ListingDraftRow | undefined>;
  loadByKey(key: string): Promise<ListingDraftRow | undefined>;
  /** Drafts on this device, newest first. */
  list(): Promise<ListingDraftRow[]>;
  saveLocal(draft: ListingDraftRow): Promise<void>;
  /**
   * Sends the draft towards the server. A new listing is created first over REST (throws
   * `NetworkError` when offline, `DraftRequestError` when refused); an existing one gets a
   * `saveDraft` mutation in the outbox (offline too). Nothing is recorded while an earlier
   * `saveDraft` of the draft is unanswered, while conflicts are open, or when nothing changed.
   */
  push(draft: ListingDraftRow): Promise<PushResult>;
  /** The server's answer to the draft's pending `saveDraft`, once the sync stored it. */
  findAnswer(draft: ListingDraftRow): Promise<ResultRow | undefined>;
  /** Takes an answer off the conflicts inbox: the editor handled it (merged or shown). */
  dismissAnswer(answer: ResultRow): Promise<void>;
  /** The server's document of a listing and its base revision (for a listing new here). */
  fetchServerDocument(listingId: string): Promise<ServerDraft>;
  uploadFile(listingId: string, file: File): Promise<UploadedFile>;
  /** Submits for review; a 422 comes back as `DraftRequestError` with the issues. */
  submit(listingId: string): Promise<{ readonly itemId: string }>;
}

/** A listing's document as the server has it, and the revision a `saveDraft` names as its base. */
export interface ServerDraft {
  readonly document: Record<string, unknown>;
  readonly revisionId: string | null;
  readonly rowVersion: number | null;
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
 * The draft store: Dexie on the device, the outbox (`saveDraft`) for edits, and REST for what
 * needs an answer at once: `POST /api/v1/listings` (+ `PUT …/draft`) to create,
 * `GET /api/v1/listings/:id`, `POST /api/v1/listings/:id/files`, `POST /api/v1/listings/:id/submit`.
 */
export function createRestDraftStore(
  workspace: Pick<Workspace, 'db' | 'session' | 'record'>,
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

  async function fetchServer(listingId: string): Promise<ServerDraft> {
    const answer = await request<{
      document?: unknown;
      currentRevisionId?: unknown;
      currentRowVersion?: unknown;
    }>('GET', listingPath(listingId));
    const document = answer.document;
    return {
      document:
        typeof document === 'object' && document !== null && !Array.isArray(document)
          ? (document as Record<string, unknown>)
          : { schemaVersion: 1 },
      revisionId: typeof answer.currentRevisionId === 'string' ? answer.currentRevisionId : null,
      rowVersion: typeof answer.currentRowVersion === 'number' ? answer.currentRowVersion : null,
    };
  }

  /** Creates a new listing over REST with the draft's document; the server's copy is the base. */
  async function create(draft: ListingDraftRow): Promise<ListingDraftRow> {
    const institutionId = institutionOf(draft);
    // An assistant's draft belongs to the institution it picks; until then it stays on the
    // device, with the answer the server would give, instead of a refused request.
    if (institutionId === null && workspace.session.user.role === 'assistant') {
      throw new DraftRequestError(
        400,
        'INSTITUTION_REQUIRED',
        'Say which institution the listing belongs to',
      );
    }
    const created = await request<{ id: string }>('POST', '/api/v1/listings', {
      ...(institutionId === null ? {} : { institutionId }),
      document: draft.document,
    });
    const listingId = created.id;
    await request('PUT', `${listingPath(listingId)}/draft`, draft.document);
    // The revision and row version later `saveDraft` mutations name as their base.
    const server = await fetchServer(listingId);
    // Only what this push sent is marked as pushed: a change typed meanwhile stays newer.
    return db.transaction('rw', db.listingDrafts, async () => {
      const current = (await db.listingDrafts.get(draft.id)) ?? draft;
      const next: ListingDraftRow = {
        ...current,
        listingId,
        base: draft.document,
        baseRevisionId: server.revisionId,
        baseRowVersion: server.rowVersion,
        pushedAt: current.updatedAt === draft.updatedAt ? now() : current.pushedAt,
      };
      await db.listingDrafts.put(next);
      return next;
    });
  }

  return {
    loadByListing: (listingId) => db.listingDrafts.where('listingId').equals(listingId).first(),
    loadByKey: (key) => db.listingDrafts.get(key),
    list: () => db.listingDrafts.orderBy('updatedAt').reverse().toArray(),
    saveLocal: async (draft) => {
      await db.listingDrafts.put(draft);
    },
    async push(draft) {
      if (draft.listingId === '') {
        return { draft: await create(draft), issues: [] };
      }
      if (!needsSaveDraft(draft)) {
        return { draft, issues: [] };
      }
      const args = {
        listingId: draft.listingId,
        document: draft.document,
        baseRevisionId: draft.baseRevisionId ?? null,
        baseRowVersion: draft.baseRowVersion ?? null,
      };
      const seq = await workspace.record('saveDraft', args);
      // The sync may already be sending it; the row stays in the outbox until answered.
      const recorded = (await db.outbox.get(seq)) ??
        (await db.results.get(seq)) ?? { mutationId: '' };
      const stored = await db.transaction('rw', db.listingDrafts, async () => {
        const current = (await db.listingDrafts.get(draft.id)) ?? draft;
        const next: ListingDraftRow = {
          ...current,
          pending: {
            mutationId: recorded.mutationId,
            document: draft.document,
            updatedAt: draft.updatedAt,
          },
          refusal: null,
        };
        await db.listingDrafts.put(next);
        return next;
      });
      return { draft: stored, issues: [] };
    },
    async findAnswer(draft) {
      const pending = draft.pending;
      if (pending === null || pending === undefined) {
        return undefined;
      }
      return db.results.where('mutationId').equals(pending.mutationId).first();
    },
    async dismissAnswer(answer) {
      await db.results.update(answer.seq, { dismissed: 1 });
    },
    fetchServerDocument: fetchServer,
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

/** Whether the draft has fields in conflict the user has not resolved yet. */
export function hasOpenConflicts(draft: ListingDraftRow): boolean {
  return (draft.conflicts?.length ?? 0) > 0;
}

/**
 * Whether a `saveDraft` should be recorded now: changes the server has not got, no earlier one
 * unanswered (each names the base the previous answer gives), no conflict open (sending would
 * overwrite their side of it).
 */
export function needsSaveDraft(draft: ListingDraftRow): boolean {
  return (
    draft.listingId !== '' &&
    hasUnpushedChanges(draft) &&
    (draft.pending ?? null) === null &&
    !hasOpenConflicts(draft)
  );
}

/** The draft as the editor holds it in memory: the newest state, and how to replace it. */
export interface DraftHolder {
  current(): ListingDraftRow | null;
  adopt(next: ListingDraftRow): void;
}

/**
 * One step of a draft towards the server: takes in the answer to its pending `saveDraft` if the
 * sync stored it (a merge on STALE_BASE, saved on the device), then — when the draft has changes
 * the server has not got — records the next `saveDraft` in the outbox, or creates a new listing
 * over REST when online. Returns the listing id when it created one. Throws what `push` throws.
 */
export async function advanceDraft(
  store: DraftStore,
  holder: DraftHolder,
  options: {
    readonly online: boolean;
    readonly now: () => number;
    readonly onSending?: () => void;
  },
): Promise<{ readonly created: string | null }> {
  let draft = holder.current();
  if (draft === null) {
    return { created: null };
  }
  if (draft.pending !== null && draft.pending !== undefined) {
    const answer = await store.findAnswer(draft);
    if (answer === undefined) {
      return { created: null }; // still in the outbox (or on its way): a later sync answers it
    }
    const next = mergeDraftAnswer(holder.current() ?? draft, answer, options.now());
    holder.adopt(next);
    await store.saveLocal(next);
    await store.dismissAnswer(answer);
    draft = next;
  }
  const creating = draft.listingId === '';
  if (creating ? !options.online || !hasUnpushedChanges(draft) : !needsSaveDraft(draft)) {
    return { created: null };
  }
  options.onSending?.();
  const result = await store.push(draft);
  const current = holder.current();
  holder.adopt(
    current === null
      ? result.draft
      : {
          ...current,
          listingId: result.draft.listingId,
          base: result.draft.base,
          baseRevisionId: result.draft.baseRevisionId ?? null,
          baseRowVersion: result.draft.baseRowVersion ?? null,
          pending: result.draft.pending ?? null,
          refusal: result.draft.refusal ?? null,
          pushedAt: result.draft.pushedAt,
        },
  );
  return { created: creating && result.draft.listingId !== '' ? result.draft.listingId : null };
}

const record = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

/**
 * The draft once the server answered its pending `saveDraft` (pure; `draft` is the newest state
 * in memory, so typing while the answer came is kept):
 * - applied: what it carried becomes the base, at the revision and row version the server gives;
 * - STALE_BASE with the server's document: three-way merge of base, mine and theirs; theirs is
 *   the new base, the merge the document, fields both changed the open conflicts (mine kept in
 *   the document, theirs in the conflict: nothing lost until the user picks);
 * - STALE_BASE for a listing no longer editable, or a rejection: the refusal is kept, the
 *   document untouched.
 */
export function mergeDraftAnswer(
  draft: ListingDraftRow,
  answer: Pick<ResultRow, 'status' | 'code' | 'details' | 'message'>,
  now: number,
): ListingDraftRow {
  const pending = draft.pending;
  if (pending === null || pending === undefined) {
    return draft;
  }
  const details = answer.details;
  const revisionId = typeof details['revisionId'] === 'string' ? details['revisionId'] : null;
  const rowVersion = typeof details['rowVersion'] === 'number' ? details['rowVersion'] : null;
  if (answer.status === 'applied' || (answer.status === 'duplicate' && revisionId !== null)) {
    return {
      ...draft,
      base: pending.document,
      baseRevisionId: revisionId,
      baseRowVersion: rowVersion,
      pending: null,
      refusal: null,
      pushedAt: draft.updatedAt === pending.updatedAt ? now : draft.pushedAt,
    };
  }
  const theirs = record(details['document']);
  if (
    answer.status === 'conflict' &&
    answer.code === 'STALE_BASE' &&
    theirs !== null &&
    details['reason'] === undefined
  ) {
    const { merged, conflicts } = mergeJson(
      (draft.base ?? {}) as JsonValue,
      draft.document as JsonValue,
      theirs as JsonValue,
    );
    return {
      ...draft,
      document: record(merged) ?? draft.document,
      base: theirs,
      baseRevisionId: revisionId,
      baseRowVersion: rowVersion,
      pending: null,
      refusal: null,
      conflicts: conflicts.length === 0 ? null : conflicts.map(fieldConflict),
      // Unsent: the merge goes to the server on the new base (once the conflicts are resolved).
      updatedAt: Math.max(now, draft.updatedAt + 1),
    };
  }
  const reason = typeof details['reason'] === 'string' ? details['reason'] : null;
  return {
    ...draft,
    pending: null,
    refusal: {
      code: reason ?? answer.code ?? answer.status,
      message: answer.message,
    },
  };
}

function fieldConflict(conflict: MergeConflict): DraftFieldConflict {
  return {
    path: conflict.path,
    ...(conflict.base === undefined ? {} : { base: conflict.base }),
    ...(conflict.mine === undefined ? {} : { mine: conflict.mine }),
    ...(conflict.theirs === undefined ? {} : { theirs: conflict.theirs }),
  };
}

function mergeConflict(conflict: DraftFieldConflict): MergeConflict {
  return {
    path: conflict.path,
    base: conflict.base as JsonValue | undefined,
    mine: conflict.mine as JsonValue | undefined,
    theirs: conflict.theirs as JsonValue | undefined,
  };
}

/**
 * The draft with one open conflict resolved: `mine` keeps the document's value (what this device
 * typed, or changed since), `theirs` puts the other side's value in (or removes the member when
 * they removed it). Conflicts at later items of the same list follow an item put back or removed.
 */
export function resolveDraftConflict(
  draft: ListingDraftRow,
  path: string,
  choice: 'mine' | 'theirs',
  now: number,
): ListingDraftRow {
  const conflicts = draft.conflicts ?? [];
  const conflict = conflicts.find((candidate) => candidate.path === path);
  if (conflict === undefined) {
    return draft;
  }
  let rest = conflicts.filter((candidate) => candidate !== conflict);
  let document = draft.document;
  if (choice === 'theirs') {
    document =
      record(resolveConflict(draft.document as JsonValue, mergeConflict(conflict), 'theirs')) ??
      draft.document;
    const inserted = !Object.hasOwn(conflict, 'mine');
    const removed = !Object.hasOwn(conflict, 'theirs');
    if (inserted || removed) {
      rest = rest.map((other) => shiftedConflict(other, conflict.path, inserted ? 1 : -1));
    }
  }
  return {
    ...draft,
    document,
    conflicts: rest.length === 0 ? null : rest,
    updatedAt: Math.max(now, draft.updatedAt + 1),
  };
}

/** `other` with its index in the list of `at` moved by `delta` when it comes after `at`. */
function shiftedConflict(other: DraftFieldConflict, at: string, delta: number): DraftFieldConflict {
  const tokens = parsePointer(at);
  const index = Number(tokens.at(-1));
  const parent = tokens.slice(0, -1);
  const mine = parsePointer(other.path);
  const own = Number(mine[parent.length]);
  if (
    !Number.isInteger(index) ||
    mine.length <= parent.length ||
    parent.some((token, position) => mine[position] !== token) ||
    !Number.isInteger(own) ||
    own < index ||
    (own === index && delta < 0)
  ) {
    return other;
  }
  const next = [...mine.slice(0, parent.length), own + delta, ...mine.slice(parent.length + 1)];
  return { ...other, path: formatPointer(next) };
}

export type { ListingDraftRow };
