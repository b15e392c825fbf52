/**
 * The listing kind's name, in a module of its own: the listing service needs it, and the kind
 * (which registers the service's draft mutation) imports the service, so neither may hold it.
 */
export const LISTING_REVISION_KIND = 'listing_revision';
