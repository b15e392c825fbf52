import { SignInRequiredError, type FetchLike, type HttpAnswer } from '../../sync/transport';
import { browserFetch, serverTransport, type Workspace } from '../../workspace/workspace';
import { DraftRequestError } from './draftStore';
import type { Person } from './listingApi';

/**
 * The collaborators of one listing and its operation history (server/src/listings/
 * collaborators.ts): `GET/POST /api/v1/listings/:id/collaborators`, `DELETE …/:userId`,
 * `GET /api/v1/listings/:id/operations`. They need the server: offline they throw the
 * transport's `NetworkError`; a refusal is a `DraftRequestError` with the server's code.
 */

export interface ListingCollaborator {
  readonly userId: string;
  readonly username: string;
  readonly name: string;
  readonly invitedBy: Person;
  readonly invitedAt: string;
}

export interface CollaboratorCandidate {
  readonly userId: string;
  readonly username: string;
  readonly name: string;
}

export interface Collaborators {
  readonly ownerId: string;
  /** The caller owns the listing: they invite and remove. */
  readonly canManage: boolean;
  readonly collaborators: readonly ListingCollaborator[];
  readonly candidates: readonly CollaboratorCandidate[];
}

export interface ListingOperation {
  readonly id: string;
  readonly at: string;
  readonly action: string;
  readonly actor: Person & { readonly role: string };
  readonly fields: readonly string[];
  readonly moreFields: number;
  readonly fromState: string | null;
  readonly toState: string | null;
  readonly collaborator: Person | null;
}

export interface CollaboratorsApi {
  collaborators(listingId: string): Promise<Collaborators>;
  invite(listingId: string, userId: string): Promise<void>;
  remove(listingId: string, userId: string): Promise<void>;
  operations(listingId: string): Promise<readonly ListingOperation[]>;
}

interface Refusal {
  readonly error?: {
    readonly code?: string;
    readonly message?: string;
    readonly details?: Record<string, unknown>;
  };
}

/** The answer's body, or its refusal as a `DraftRequestError`. */
async function answered<T>(request: () => Promise<HttpAnswer<(T & Refusal) | null>>): Promise<T> {
  let answer: HttpAnswer<(T & Refusal) | null>;
  try {
    answer = await request();
  } catch (error) {
    throw error instanceof SignInRequiredError
      ? new DraftRequestError(401, 'SIGN_IN_REQUIRED', error.message)
      : error;
  }
  if (answer.status < 400) {
    return (answer.body ?? {}) as T;
  }
  const refusal = answer.body?.error;
  throw new DraftRequestError(
    answer.status,
    refusal?.code ?? `HTTP_${String(answer.status)}`,
    refusal?.message ?? `the server answered ${String(answer.status)}`,
    refusal?.details ?? {},
  );
}

export function createCollaboratorsApi(
  workspace: Pick<Workspace, 'session'>,
  fetch: FetchLike = browserFetch,
): CollaboratorsApi {
  const transport = serverTransport(workspace, fetch);
  const listing = (id: string) => `/api/v1/listings/${encodeURIComponent(id)}`;
  return {
    collaborators: async (id) => {
      const value = await answered<Collaborators>(() =>
        transport.get(`${listing(id)}/collaborators`),
      );
      // An older server (or a proxy's page) answers without the lists: say so, do not crash.
      if (!Array.isArray(value.collaborators)) {
        throw new Error('the server answered without a collaborator list');
      }
      return value;
    },
    invite: async (id, userId) => {
      await answered(() => transport.post(`${listing(id)}/collaborators`, { userId }));
    },
    remove: async (id, userId) => {
      const path = `${listing(id)}/collaborators/${encodeURIComponent(userId)}`;
      await answered(() => {
        if (transport.delete === undefined) {
          throw new Error('this transport cannot DELETE');
        }
        return transport.delete<Refusal | null>(path);
      });
    },
    operations: async (id) => {
      const value = await answered<{ operations?: ListingOperation[] }>(() =>
        transport.get(`${listing(id)}/operations`),
      );
      if (!Array.isArray(value.operations)) {
        throw new Error('the server answered without an operation history');
      }
      return value.operations;
    },
  };
}
