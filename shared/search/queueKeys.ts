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
 *
 * The reader (the queue's query module) builds its ranges with the same functions.
 */

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

/** The derived fields for a row with these values (see the module's comment). */
export function queueIndexFields(row: {
  readonly state: unknown;
  readonly createdAt: unknown;
  readonly dueAt: unknown;
  readonly priority: unknown;
  readonly tokens: readonly string[];
}): { _dueOrder?: string; _negPriority?: number; _searchOrder: string[] } {
  const fields: { _dueOrder?: string; _negPriority?: number; _searchOrder: string[] } = {
    _searchOrder: [],
  };
  if (typeof row.createdAt !== 'string') {
    return fields;
  }
  fields._dueOrder = dueOrderKey(typeof row.dueAt === 'string' ? row.dueAt : null, row.createdAt);
  if (typeof row.priority === 'number') {
    fields._negPriority = -row.priority;
  }
  if (typeof row.state === 'string') {
    const { state, createdAt } = row;
    fields._searchOrder = row.tokens.map((token) => searchOrderEntry(token, state, createdAt));
  }
  return fields;
}
