import type { KindModule } from './registry';

/**
 * Listing revisions: approved or rejected by reviewers (and ops managers) on the listing item
 * page, which is the item page's default view.
 */
export const listingKindModule: KindModule = {
  kind: 'listing_revision',
  reviewerRoles: ['reviewer', 'ops_manager'],
  decision: 'approveReject',
  order: 0,
};
