/**
 * The revision diff engine: RFC 6901 pointers, RFC 6902 patches, the generic JSON diff and its
 * compact patch, the text diff and the listing-aware change list. See each module for the details.
 */
export * from './pointer';
export * from './patch';
export * from './diff';
export * from './compact';
export * from './text';
export * from './listingDiff';
export * from './merge';
