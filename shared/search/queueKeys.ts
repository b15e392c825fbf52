/**
 * Derived index fields of a cached review item, so that every queue filter + sort is one walk of
 * an IndexedDB index in the queue's order (the workstation's schema version 4):
 *
 *  - `_dueOrder`: the "earliest due first" order as one string, the due time, or for items
 *    without one `~` + the creation time (after every due time, oldest first).
 *  - `_negPriority`: minus the priority, so an ascending index walk is "highest priority first".
 *  - `_searchOrder`: one entry per search token, `token SEP stateCode createdAt`: a multi-entry
 *    index that lists a token's items per state, oldest first, so the first screen of a search is
 *    read from the index's start and its exact count per state is a `count()` of one range.
 *    Since schema version 6 it lives in a table of its own (`searchTokens`, one row per item),
 *    written after a bootstrap's rows: about 46 entries per item made up 70 % of the
 *    bootstrap's IndexedDB time (see `searchTokenEntries`).
 *
 * The reader (the queue's query module) builds its ranges with the same functions.
 */

import { indexTokens } from './tokens';

const SEPARATOR = '\u0001';
/** The highest code unit: an upper bound after every entry with a given prefix. */
export const AFTER_ALL = '\uffff';
/** `_dueOrder` of an item without a due time starts with this: after every ISO date. */
export const NO_DUE_PREFIX = '~';

/** One code unit per state, to keep the token entries short (they are stored per token). */
const STATE_CODES: Readonly<Record<string, string>> = {
  pending: 'p',
  in_review: 'r',
  decided: 'd',
  withdrawn: 'w',
  cancelled: 'c',
};

export function stateCode(state: string): string {
  return STATE_CODES[state] ?? `?${state}`;
}

/** The first `_searchOrder` entry a token has in a state (entries follow, oldest first). */
export function searchOrderPrefix(token: string, state: string): string {
  return `${token}${SEPARATOR}${stateCode(state)}`;
}

export function searchOrderEntry(token: string, state: string, createdAt: string): string {
  return `${searchOrderPrefix(token, state)}${createdAt}`;
}

export function dueOrderKey(dueAt: string | null, createdAt: string): string {
  return dueAt ?? `${NO_DUE_PREFIX}${createdAt}`;
}

/** The ordered index fields stored on a review item's row (see the module's comment). */
export function queueIndexFields(row: {
  readonly createdAt: unknown;
  readonly dueAt: unknown;
  readonly priority: unknown;
}): { _dueOrder?: string; _negPriority?: number } {
  const fields: { _dueOrder?: string; _negPriority?: number } = {};
  if (typeof row.createdAt !== 'string') {
    return fields;
  }
  fields._dueOrder = dueOrderKey(typeof row.dueAt === 'string' ? row.dueAt : null, row.createdAt);
  if (typeof row.priority === 'number') {
    fields._negPriority = -row.priority;
  }
  return fields;
}

/** The text a review item is searched by: its listing's and institution's names, its country. */
export function itemSearchText(row: Readonly<Record<string, unknown>>): string {
  return [row['title'], row['institutionName'], row['country']]
    .filter((part): part is string => typeof part === 'string')
    .join(' ');
}

/** A review item's search tokens (`indexTokens` of its search text). */
export function itemSearchTokens(row: Readonly<Record<string, unknown>>): string[] {
  return indexTokens(itemSearchText(row));
}

/** The `_searchOrder` entries of a review item: one per search token (none without a state). */
export function searchTokenEntries(row: Readonly<Record<string, unknown>>): string[] {
  const { state, createdAt } = row;
  if (typeof state !== 'string' || typeof createdAt !== 'string') {
    return [];
  }
  return itemSearchTokens(row).map((token) => searchOrderEntry(token, state, createdAt));
}
