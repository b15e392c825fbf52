import { expect } from 'vitest';
import type { TestServer, TestUsername } from '../harness';

/**
 * The listing's owner invites a collaborator of the institution to it (collaborators.ts): only
 * an invited collaborator edits a listing's drafts.
 */
export async function inviteCollaborator(
  server: TestServer,
  listingId: string,
  options: { readonly who?: TestUsername; readonly by?: TestUsername } = {},
): Promise<void> {
  const invited = await server.as(
    options.by ?? 'submitter1',
    'POST',
    `/api/v1/listings/${listingId}/collaborators`,
    { userId: await server.userId(options.who ?? 'collaborator1') },
  );
  expect(invited.statusCode, invited.body).toBeLessThan(300);
}
