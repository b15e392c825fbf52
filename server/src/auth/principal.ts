import type { FastifyRequest } from 'fastify';
import type { Role } from '#shared/domain/roles';
import { unauthorized } from '../http/errors';

/** The signed-in team member a request acts for, as the server knows them (never the client). */
export interface Principal {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  /** Institution of submitters and collaborators; null for the platform's own staff. */
  readonly institutionId: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook from a valid access token of an active user. */
    principal: Principal | null;
  }
}

/** The request's principal, or a 401 for requests without a valid access token. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (request.principal === null) {
    throw unauthorized('UNAUTHENTICATED', 'Sign in first: this needs a valid access token');
  }
  return request.principal;
}

/**
 * Route hook that refuses unauthenticated requests before their body is validated, so an
 * anonymous caller learns nothing about the API but "sign in" (401 before 400).
 */
export function signedIn(request: FastifyRequest): Promise<void> {
  return new Promise((resolve) => {
    requirePrincipal(request);
    resolve();
  });
}
