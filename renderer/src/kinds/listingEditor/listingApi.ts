import type { ValidationIssue } from '#shared/domain/validationIssue';
import { SignInRequiredError, type FetchLike } from '../../sync/transport';
import { browserFetch, serverTransport, type Workspace } from '../../workspace/workspace';
import { DraftRequestError } from './draftStore';

/**
 * The editor's REST calls beyond the draft itself (issue 11): assisted entry's confirmation
 * (`/api/v1/listings/:id/confirmation…`, `GET /api/v1/listings/confirmations`) and the versions
 * (`GET /api/v1/listings/:id/versions[/:n]`). They need the server: offline they throw the
 * transport's `NetworkError`; a refusal is a `DraftRequestError` (a 422 with its issues).
 */

export interface Person {
  readonly id: string;
  readonly name: string;
}

/** The listing's latest confirmation request (server/src/listings/confirmation.ts). */
export interface Confirmation {
  readonly id: string;
  readonly status: 'requested' | 'confirmed' | 'returned';
  readonly revisionId: string;
  readonly requestedBy: Person;
  readonly requestedAt: string;
  readonly message: string;
  readonly answeredBy: Person | null;
  readonly answeredAt: string | null;
  readonly comment: string | null;
  readonly itemId: string | null;
}

/** What `GET /api/v1/listings/:id` says about the listing's state and confirmation. */
export interface ListingStatus {
  readonly id: string;
  readonly state: string;
  readonly institutionId: string;
  readonly currentRevisionId: string | null;
  readonly liveRevisionId: string | null;
  readonly confirmation: Confirmation | null;
  /** The document of the current revision (what was sent, while a request is open). */
  readonly document: Record<string, unknown> | null;
}

/** One entry of `GET /api/v1/listings/confirmations`. */
export interface ConfirmationEntry {
  readonly listingId: string;
  readonly name: string;
  readonly institutionName: string;
  readonly status: 'requested' | 'returned';
  readonly requestedBy: Person;
  readonly requestedAt: string;
  readonly message: string;
  readonly answeredAt: string | null;
  readonly comment: string | null;
}

/** One entry of `GET /api/v1/listings/:id/versions` (server/src/listings/versions.ts). */
export interface ListingVersion {
  readonly id: string;
  readonly number: number;
  readonly state: string;
  readonly live: boolean;
  readonly current: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: Person | null;
  readonly submittedAt: string | null;
  readonly submittedBy: Person | null;
  readonly decidedAt: string | null;
  readonly decidedBy: Person | null;
  readonly outcome: string | null;
  readonly enteredBy: Person | null;
  readonly confirmedBy: Person | null;
}

export interface ListingApi {
  status(listingId: string): Promise<ListingStatus>;
  requestConfirmation(listingId: string, message: string): Promise<Confirmation>;
  confirm(listingId: string): Promise<{ readonly itemId: string }>;
  returnDraft(listingId: string, comment: string): Promise<Confirmation>;
  confirmations(): Promise<readonly ConfirmationEntry[]>;
  versions(listingId: string): Promise<readonly ListingVersion[]>;
  versionDocument(listingId: string, number: number): Promise<Record<string, unknown>>;
}

interface Refusal {
  readonly error?: {
    readonly code?: string;
    readonly message?: string;
    readonly details?: Record<string, unknown>;
  };
}

export function createListingApi(
  workspace: Pick<Workspace, 'session'>,
  fetch: FetchLike = browserFetch,
): ListingApi {
  const transport = serverTransport(workspace, fetch);

  async function call<T>(path: string, body?: object): Promise<T> {
    try {
      const answer =
        body === undefined
          ? await transport.get<(T & Refusal) | null>(path)
          : await transport.post<(T & Refusal) | null>(path, body);
      if (answer.status < 400 && answer.body !== null) {
        return answer.body;
      }
      const error = answer.body?.error;
      throw new DraftRequestError(
        answer.status,
        error?.code ?? `HTTP_${String(answer.status)}`,
        error?.message ?? `the server answered ${String(answer.status)}`,
        error?.details ?? {},
      );
    } catch (error) {
      throw error instanceof SignInRequiredError
        ? new DraftRequestError(401, 'SIGN_IN_REQUIRED', error.message)
        : error;
    }
  }

  const listing = (id: string) => `/api/v1/listings/${encodeURIComponent(id)}`;
  return {
    status: (id) => call<ListingStatus>(listing(id)),
    requestConfirmation: async (id, message) =>
      (
        await call<{ confirmation: Confirmation }>(
          `${listing(id)}/confirmation`,
          message.trim() === '' ? {} : { message },
        )
      ).confirmation,
    confirm: (id) => call<{ itemId: string }>(`${listing(id)}/confirmation/confirm`, {}),
    returnDraft: async (id, comment) =>
      (
        await call<{ confirmation: Confirmation }>(`${listing(id)}/confirmation/return`, {
          comment,
        })
      ).confirmation,
    confirmations: async () =>
      (await call<{ confirmations: ConfirmationEntry[] }>('/api/v1/listings/confirmations'))
        .confirmations,
    versions: async (id) =>
      (await call<{ versions: ListingVersion[] }>(`${listing(id)}/versions`)).versions,
    versionDocument: async (id, number) =>
      (
        await call<{ document: Record<string, unknown> }>(
          `${listing(id)}/versions/${String(number)}`,
        )
      ).document,
  };
}

/** The issues of a refused request (a 422), else none. */
export function refusalIssues(error: unknown): readonly ValidationIssue[] {
  return error instanceof DraftRequestError ? error.issues() : [];
}
