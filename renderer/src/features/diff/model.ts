import { formatPointer, type Change } from '#shared/diff/index';
import { isJsonObject, type JsonValue } from '#shared/diff/patch';
import { LISTING_STEPS } from '#shared/domain/listing/document';
import { fieldLabel, STEP_LABELS } from '#shared/domain/listing/fieldLabels';
import type { PathSegment } from '#shared/domain/validationIssue';
import type { LocalizedText } from '#shared/i18n/localized';
import type { ListingRecord, ReviewItemRecord } from '#shared/sync/rows';

/**
 * The review view's model, pure: which two revisions to compare by default, and the change list
 * grouped by form step with the fields that did not change beside it (collapsed in the view).
 */

/** A mirrored `listing_revisions` row (the columns the server sends, camelCase). */
export interface RevisionRecord {
  readonly id: string;
  readonly listingId: string;
  readonly number: number;
  readonly state: string;
  readonly document: JsonValue;
  readonly name: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly submittedAt: string | null;
  readonly decidedAt: string | null;
}

/** Why the default "before" revision is the one it is. */
export type Basis =
  /** The listing's live version: "changes since live". */
  | 'live'
  /** No live version: the previous submitted revision. */
  | 'previous-no-live'
  /** The revision under review is the live one itself: the previous submitted revision. */
  | 'previous-is-live'
  /** Nothing earlier was ever submitted: nothing to compare with. */
  | 'none';

export interface RevisionPair {
  readonly beforeId: string | null;
  readonly afterId: string;
  readonly basis: Basis;
}

/** The last revision submitted before `after` (by number), if any. */
export function previousSubmitted(
  after: RevisionRecord,
  revisions: readonly RevisionRecord[],
): RevisionRecord | undefined {
  return revisions
    .filter(
      (revision) =>
        revision.number < after.number && revision.submittedAt !== null && revision.id !== after.id,
    )
    .sort((a, b) => b.number - a.number)[0];
}

/**
 * The default comparison for an item: its revision against the listing's live version when one
 * exists (and is another revision); otherwise against the previous submitted revision.
 */
export function defaultPair(
  item: Pick<ReviewItemRecord, 'revisionId'>,
  listing: Pick<ListingRecord, 'liveRevisionId'> | undefined,
  revisions: readonly RevisionRecord[],
): RevisionPair | null {
  const after = revisions.find((revision) => revision.id === item.revisionId);
  if (after === undefined) {
    return null;
  }
  const liveId = listing?.liveRevisionId ?? null;
  if (liveId !== null && liveId !== after.id && revisions.some((r) => r.id === liveId)) {
    return { beforeId: liveId, afterId: after.id, basis: 'live' };
  }
  const previous = previousSubmitted(after, revisions);
  if (previous === undefined) {
    return { beforeId: null, afterId: after.id, basis: 'none' };
  }
  return {
    beforeId: previous.id,
    afterId: after.id,
    basis: liveId === after.id ? 'previous-is-live' : 'previous-no-live',
  };
}

// ---------------------------------------------------------------------------------------------
// Grouping

/** A change with its position in the whole list (for next/previous). */
export interface IndexedChange {
  readonly index: number;
  readonly change: Change;
}

/** A part of a step that did not change: a field, or one item of a list. */
export interface UnchangedField {
  readonly path: readonly PathSegment[];
  readonly pointer: string;
  readonly label: LocalizedText;
  readonly value: JsonValue;
}

export interface StepGroup {
  readonly step: string;
  readonly label: LocalizedText;
  readonly changes: readonly IndexedChange[];
  readonly unchanged: readonly UnchangedField[];
}

/** Top-level members never listed as "unchanged": bookkeeping, not content. */
const NOT_CONTENT = new Set(['schemaVersion']);

const isKeyedList = (value: JsonValue | undefined): value is JsonValue[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => isJsonObject(item));

/** The units of a step: its members, and each item of a list of objects. */
function units(step: string, before: JsonValue | undefined, after: JsonValue | undefined) {
  const found: { path: PathSegment[]; value: JsonValue }[] = [];
  const source = after ?? before;
  if (!isJsonObject(source ?? null)) {
    if (source !== undefined) {
      found.push({ path: [step], value: source });
    }
    return found;
  }
  const afterObject = isJsonObject(after ?? null) ? (after as Record<string, JsonValue>) : {};
  const beforeObject = isJsonObject(before ?? null) ? (before as Record<string, JsonValue>) : {};
  const keys = [
    ...Object.keys(afterObject),
    ...Object.keys(beforeObject).filter((key) => !Object.hasOwn(afterObject, key)),
  ];
  for (const key of keys) {
    const value = Object.hasOwn(afterObject, key) ? afterObject[key] : beforeObject[key];
    if (value === undefined) {
      continue;
    }
    if (isKeyedList(value)) {
      value.forEach((item, index) => {
        found.push({ path: [step, key, index], value: item });
      });
    } else {
      found.push({ path: [step, key], value });
    }
  }
  return found;
}

/** Whether a change is about `pointer` or something inside it. */
const touches = (change: Change, pointer: string) =>
  change.pointer === pointer || change.pointer.startsWith(`${pointer}/`);

/** Steps in form order, then anything else the documents have, then changes to the whole. */
function stepOrder(before: JsonValue | null, after: JsonValue | null, changes: readonly Change[]) {
  const order: string[] = ['provider', ...LISTING_STEPS];
  for (const document of [after, before]) {
    if (isJsonObject(document)) {
      for (const key of Object.keys(document)) {
        if (!order.includes(key)) {
          order.push(key);
        }
      }
    }
  }
  for (const change of changes) {
    if (!order.includes(change.step)) {
      order.push(change.step);
    }
  }
  return order;
}

/** The change list grouped by step (form order), each with its unchanged parts. */
export function groupChanges(
  before: JsonValue | null,
  after: JsonValue | null,
  changes: readonly Change[],
): StepGroup[] {
  const beforeObject = isJsonObject(before) ? before : {};
  const afterObject = isJsonObject(after) ? after : {};
  const groups: StepGroup[] = [];
  let index = 0;
  for (const step of stepOrder(before, after, changes)) {
    const stepChanges = changes
      .filter((change) => change.step === step)
      .map((change) => ({ index: index++, change }));
    const hasBefore = Object.hasOwn(beforeObject, step);
    const hasAfter = Object.hasOwn(afterObject, step);
    if (stepChanges.length === 0 && !hasBefore && !hasAfter) {
      continue;
    }
    // Removals name paths of the before document; they do not make an after field "changed".
    const located = stepChanges
      .map(({ change }) => change)
      .filter((change) => change.kind !== 'list-item-removed' && change.kind !== 'file-removed');
    const unchanged: UnchangedField[] =
      step === '' || NOT_CONTENT.has(step)
        ? []
        : units(
            step,
            hasBefore ? beforeObject[step] : undefined,
            hasAfter ? afterObject[step] : undefined,
          )
            .filter(({ path }) => {
              const pointer = formatPointer(path);
              return !located.some((change) => touches(change, pointer));
            })
            .map(({ path, value }) => ({
              path,
              pointer: formatPointer(path),
              label: fieldLabel(path),
              value,
            }));
    if (stepChanges.length === 0 && unchanged.length === 0) {
      continue;
    }
    groups.push({
      step,
      label: stepLabel(step),
      changes: stepChanges,
      unchanged,
    });
  }
  return groups;
}

export function stepLabel(step: string): LocalizedText {
  return Object.hasOwn(STEP_LABELS, step)
    ? STEP_LABELS[step as keyof typeof STEP_LABELS]
    : fieldLabel(step === '' ? [] : [step]);
}

/** The changes in the order the view shows them (what `n`/`p` walk through). */
export function orderedChanges(groups: readonly StepGroup[]): IndexedChange[] {
  return groups.flatMap((group) => group.changes);
}
