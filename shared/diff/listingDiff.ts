import { fieldLabel } from '../domain/listing/fieldLabels';
import type { CnyRateTable, ConversionResult } from '../domain/money/cnyRates';
import { priceChange, type Price, type PriceChange } from '../domain/money/price';
import type { FieldPath, PathSegment } from '../domain/validationIssue';
import type { LocalizedText } from '../i18n/localized';
import {
  diffJson,
  idKey,
  planKeyedArray,
  stringValueKey,
  uniqueKeys,
  type ArrayItemKey,
} from './diff';
import { deepEqual, isJsonObject, type JsonObject, type JsonValue, type Operation } from './patch';
import { formatPointer } from './pointer';
import {
  diffRichText,
  diffText,
  type TextDiff,
  type TextDiffGranularity,
  type TextSegment,
} from './text';

/**
 * The listing-aware diff of two revisions: the change list the review UI shows (and the CLI
 * prints), next to the RFC 6902 patch between them.
 *
 * The change list reads the document the way a reviewer does: keyed lists (packages, timeline
 * nodes, success cases, mentors, requirements, credential files) are matched by item `id`, so a
 * reordered package is one "moved" change and an edit inside it an ordinary change at its new
 * path; rich text is compared by its visible text; prices are compared in CNY; credential files
 * are compared by content hash; tag lists (stages, intakes, advantages, service items) are
 * compared as sets. Anything else — including documents that are not listings at all, or drafts
 * that break the schema — is compared field by field, so the diff never refuses a document.
 *
 * Paths name the AFTER document, except for removals, which only exist in the BEFORE one.
 */

/** Options of {@link diffListings}. */
export interface ListingDiffOptions {
  /** Day whose exchange rates convert both prices to CNY (`YYYY-MM-DD`, normally today). */
  readonly onDate: string;
  /** OCR text of a credential file by SHA-256, when it has been recognised. */
  readonly ocrText?: (sha256: string) => string | undefined;
  /** Rate table to convert with (default: the built-in table). */
  readonly rateTable?: CnyRateTable;
}

interface ChangeBase {
  /** Field path in the after document (in the before document for removals). */
  readonly path: FieldPath;
  /** `path` as an RFC 6901 pointer. */
  readonly pointer: string;
  /** zh-CN/en label of `path` (`fieldLabel`). */
  readonly label: LocalizedText;
  /** The top-level key the change is under (the form step), `""` for the whole document. */
  readonly step: string;
}

/** A value that changed, appeared (`before` absent) or disappeared (`after` absent). */
export interface ValueChange extends ChangeBase {
  readonly kind: 'value';
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

/** A rich-text or free-text field, with a word/character diff of its (visible) text. */
export interface TextChange extends ChangeBase {
  readonly kind: 'text';
  /** Rich text (HTML): `before`/`after` are the visible text, not the markup. */
  readonly rich: boolean;
  readonly before: string;
  readonly after: string;
  readonly segments: readonly TextSegment[];
  readonly granularity: TextDiffGranularity;
  /** Only the markup changed; the visible text is the same. */
  readonly formattingOnly: boolean;
}

/** A keyed-list item that is new; `path` is the item in the after document. */
export interface ListItemAddedChange extends ChangeBase {
  readonly kind: 'list-item-added';
  readonly index: number;
  /** The item's `id`, when the list is matched by id. */
  readonly id?: string;
  /** What a reader calls the item: a package's name, a node's stage name, a file's name… */
  readonly itemName?: string;
  readonly item: JsonValue;
}

/** A keyed-list item that is gone; `path` is the item in the before document. */
export interface ListItemRemovedChange extends ChangeBase {
  readonly kind: 'list-item-removed';
  readonly index: number;
  readonly id?: string;
  readonly itemName?: string;
  readonly item: JsonValue;
}

/** A keyed-list item that was moved; `path` is its new place. Edits inside it are separate. */
export interface ListItemMovedChange extends ChangeBase {
  readonly kind: 'list-item-moved';
  /** Index in the before list. */
  readonly from: number;
  /** Index in the after list. */
  readonly to: number;
  /** Pointer of the item in the before document. */
  readonly fromPointer: string;
  readonly id: string;
  readonly itemName?: string;
}

/** A package price, with the change in CNY on `onDate` or why it could not be converted. */
export interface PriceFieldChange extends ChangeBase {
  readonly kind: 'price';
  readonly before: Price;
  readonly after: Price;
  readonly change: ConversionResult<PriceChange>;
}

/** A credential file that is new. */
export interface FileAddedChange extends ChangeBase {
  readonly kind: 'file-added';
  readonly index: number;
  readonly id?: string;
  readonly fileName?: string;
  readonly sha256?: string;
  readonly file: JsonValue;
}

/** A credential file that is gone (`path` in the before document). */
export interface FileRemovedChange extends ChangeBase {
  readonly kind: 'file-removed';
  readonly index: number;
  readonly id?: string;
  readonly fileName?: string;
  readonly sha256?: string;
  readonly file: JsonValue;
}

/**
 * A credential file whose content changed: the same `id` with another SHA-256 (`same-id`), or
 * a file removed and one added with the same kind and file name and another hash
 * (`same-kind-and-name`: a re-upload). `path` is the file in the after document.
 */
export interface FileReplacedChange extends ChangeBase {
  readonly kind: 'file-replaced';
  readonly match: 'same-id' | 'same-kind-and-name';
  readonly beforeIndex: number;
  readonly afterIndex: number;
  readonly before: JsonObject;
  readonly after: JsonObject;
  readonly beforeSha256: string;
  readonly afterSha256: string;
  readonly fileName?: string;
  /** Diff of the files' OCR text, when `ocrText` knows both hashes. */
  readonly ocr?: TextDiff;
}

/** A tag list (stages, intakes, advantages, service items) compared as a multiset. */
export interface TagsChange extends ChangeBase {
  readonly kind: 'tags';
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** The tags both versions have are in another order. */
  readonly reordered: boolean;
}

/** One entry of the change list (the UI model of a revision diff). */
export type Change =
  | ValueChange
  | TextChange
  | ListItemAddedChange
  | ListItemRemovedChange
  | ListItemMovedChange
  | PriceFieldChange
  | FileAddedChange
  | FileRemovedChange
  | FileReplacedChange
  | TagsChange;

/** The `kind` of a {@link Change}. */
export type ChangeKind = Change['kind'];

/** Every change kind, in the order summaries list them. */
export const CHANGE_KINDS = [
  'value',
  'text',
  'list-item-added',
  'list-item-removed',
  'list-item-moved',
  'price',
  'file-added',
  'file-removed',
  'file-replaced',
  'tags',
] as const satisfies readonly ChangeKind[];

/** The diff of two listing revisions. */
export interface ListingDiff {
  readonly changes: readonly Change[];
  /** `diffJson(before, after)` with the listing's keyed and tag lists matched by key. */
  readonly patch: readonly Operation[];
}

/** Counts of changes by kind. */
export type ChangeCounts = Readonly<Partial<Record<ChangeKind, number>>>;

/** Counts of a diff's changes, overall and per step. */
export interface DiffSummary {
  readonly total: number;
  readonly byKind: ChangeCounts;
  readonly bySteps: Readonly<
    Record<string, { readonly total: number; readonly byKind: ChangeCounts }>
  >;
}

// ---------------------------------------------------------------------------------------------
// What the listing's paths hold. Patterns use `*` for any array index.

const KEYED_LISTS: ReadonlySet<string> = new Set([
  'highlights.mentors',
  'highlights.successCases',
  'packages.items',
  'process.timeline',
  'requirements.items',
  'credentials.files',
]);

const FILES_LIST = 'credentials.files';

const TAG_LISTS: ReadonlySet<string> = new Set([
  'basic.stages',
  'basic.intakes',
  'highlights.advantages',
  'packages.items.*.serviceItems',
]);

const RICH_TEXT_FIELDS: ReadonlySet<string> = new Set([
  'basic.introduction',
  'packages.refundPolicy.customText',
]);

/** Free-text fields: diffed as text at any length, so 英国硕士 → 英国博士 shows the character. */
const TEXT_FIELDS: ReadonlySet<string> = new Set([
  'provider.name',
  'basic.name',
  'highlights.successCases.*.studentBackground',
  'highlights.successCases.*.result',
  'highlights.successCases.*.highlight',
  'packages.items.*.name',
  'process.timeline.*.stageName',
  'process.timeline.*.deliverable',
  'process.timeline.*.acceptanceCriteria',
  'requirements.items.*.text',
  'risk.disclosure',
  'risk.afterSalesPolicy',
]);

const PRICE_FIELD = 'packages.items.*.price';

/** The member that names an item of each keyed list, for change lines. */
const ITEM_NAME_FIELDS: Readonly<Record<string, string>> = {
  'highlights.mentors': 'mentorId',
  'highlights.successCases': 'result',
  'packages.items': 'name',
  'process.timeline': 'stageName',
  'requirements.items': 'text',
  'credentials.files': 'fileName',
};

/**
 * Members of a credential file that describe its content: when the content is replaced they
 * change with it and are shown by the `file-replaced` change, not as field changes of their own.
 */
const FILE_CONTENT_FIELDS: ReadonlySet<string> = new Set([
  'sha256',
  'sizeBytes',
  'mimeType',
  'fileName',
]);

/** Strings outside the known text fields are diffed as text from this length, if they read as
 * prose (white space or CJK): shorter values and identifiers, dates and hashes are values. */
const LONG_TEXT_MIN_LENGTH = 20;
const PROSE = /[\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

function patternOf(path: readonly PathSegment[]): string {
  return path.map((segment) => (typeof segment === 'number' ? '*' : segment)).join('.');
}

/** The key functions of the listing's lists, for `diffJson`. */
export function listingArrayKey(path: readonly PathSegment[]): ArrayItemKey | undefined {
  const pattern = patternOf(path);
  if (KEYED_LISTS.has(pattern)) {
    return idKey;
  }
  return TAG_LISTS.has(pattern) ? stringValueKey : undefined;
}

/**
 * Whether two documents look like listing documents: both objects with `schemaVersion` 1 and a
 * `basic` member. The CLI uses it to pick the listing diff over the generic one.
 */
export function looksLikeListing(value: unknown): boolean {
  return isJsonObject(value) && value['schemaVersion'] === 1 && Object.hasOwn(value, 'basic');
}

// ---------------------------------------------------------------------------------------------
// The diff

interface Walk {
  readonly options: ListingDiffOptions;
  readonly changes: Change[];
}

/**
 * Diffs two listing revisions (any JSON is accepted; see the module comment). `onDate` picks
 * the exchange rates of the price changes; `ocrText` adds OCR text diffs to replaced files.
 */
export function diffListings(
  before: JsonValue,
  after: JsonValue,
  options: ListingDiffOptions,
): ListingDiff {
  const walk: Walk = { options, changes: [] };
  compare(walk, before, after, []);
  return { changes: walk.changes, patch: diffJson(before, after, { arrayKey: listingArrayKey }) };
}

function base(path: readonly PathSegment[]): ChangeBase {
  const first = path[0];
  return {
    path: [...path],
    pointer: formatPointer(path),
    label: fieldLabel(path),
    step: typeof first === 'string' ? first : '',
  };
}

function compare(
  walk: Walk,
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  path: PathSegment[],
): void {
  if (before === undefined && after === undefined) {
    return;
  }
  if (before !== undefined && after !== undefined && deepEqual(before, after)) {
    return;
  }
  const pattern = patternOf(path);
  if (KEYED_LISTS.has(pattern) && isArrayOrAbsent(before) && isArrayOrAbsent(after)) {
    compareList(walk, before ?? [], after ?? [], path, pattern);
    return;
  }
  if (TAG_LISTS.has(pattern) && isTagListOrAbsent(before) && isTagListOrAbsent(after)) {
    compareTags(walk, before ?? [], after ?? [], path);
    return;
  }
  if (pattern === PRICE_FIELD && isPrice(before) && isPrice(after)) {
    walk.changes.push({
      ...base(path),
      kind: 'price',
      before,
      after,
      change: priceChange(before, after, walk.options.onDate, walk.options.rateTable),
    });
    return;
  }
  const textBefore = before ?? '';
  const textAfter = after ?? '';
  if (typeof textBefore === 'string' && typeof textAfter === 'string') {
    if (RICH_TEXT_FIELDS.has(pattern)) {
      const diff = diffRichText(textBefore, textAfter);
      pushText(walk, path, diff, true);
      return;
    }
    if (TEXT_FIELDS.has(pattern) || isProse(textBefore) || isProse(textAfter)) {
      pushText(walk, path, diffText(textBefore, textAfter), false);
      return;
    }
  }
  if (isObjectOrAbsent(before) && isObjectOrAbsent(after)) {
    compareObjects(walk, before ?? {}, after ?? {}, path);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    compareList(walk, before, after, path, pattern);
    return;
  }
  const change: { -readonly [K in keyof ValueChange]: ValueChange[K] } = {
    ...base(path),
    kind: 'value',
  };
  if (before !== undefined) {
    change.before = before;
  }
  if (after !== undefined) {
    change.after = after;
  }
  walk.changes.push(change);
}

function isProse(text: string): boolean {
  return text.length >= LONG_TEXT_MIN_LENGTH && PROSE.test(text);
}

function pushText(walk: Walk, path: readonly PathSegment[], diff: TextDiff, rich: boolean): void {
  let before = '';
  let after = '';
  for (const segment of diff.segments) {
    if (segment.kind !== 'insert') {
      before += segment.text;
    }
    if (segment.kind !== 'delete') {
      after += segment.text;
    }
  }
  walk.changes.push({
    ...base(path),
    kind: 'text',
    rich,
    before,
    after,
    segments: diff.segments,
    granularity: diff.granularity,
    formattingOnly: before === after,
  });
}

function isArrayOrAbsent(value: JsonValue | undefined): value is JsonValue[] | undefined {
  return value === undefined || Array.isArray(value);
}

function isObjectOrAbsent(value: JsonValue | undefined): value is JsonObject | undefined {
  // Both absent never reaches here; one absent side reads as an empty object.
  return value === undefined || isJsonObject(value);
}

function isTagListOrAbsent(value: JsonValue | undefined): value is string[] | undefined {
  return (
    value === undefined || (Array.isArray(value) && value.every((tag) => typeof tag === 'string'))
  );
}

/** The shape `priceChange` needs; whether the currency and amounts are valid it reports itself. */
function isPrice(value: JsonValue | undefined): value is Price & JsonObject {
  if (!isJsonObject(value) || typeof value['currency'] !== 'string') {
    return false;
  }
  if (value['kind'] === 'fixed') {
    return typeof value['amount'] === 'string';
  }
  return (
    value['kind'] === 'range' &&
    typeof value['min'] === 'string' &&
    typeof value['max'] === 'string'
  );
}

function compareObjects(
  walk: Walk,
  before: JsonObject,
  after: JsonObject,
  path: PathSegment[],
  skip: ReadonlySet<string> = new Set(),
): void {
  // After order first, so the list follows the document the reviewer is looking at.
  for (const key of Object.keys(after)) {
    if (!skip.has(key)) {
      path.push(key);
      compare(walk, Object.hasOwn(before, key) ? before[key] : undefined, after[key], path);
      path.pop();
    }
  }
  for (const key of Object.keys(before)) {
    if (!skip.has(key) && !Object.hasOwn(after, key)) {
      path.push(key);
      compare(walk, before[key], undefined, path);
      path.pop();
    }
  }
}

function itemNameOf(item: JsonValue, pattern: string): string | undefined {
  if (!isJsonObject(item)) {
    return undefined;
  }
  const field = Object.hasOwn(ITEM_NAME_FIELDS, pattern) ? ITEM_NAME_FIELDS[pattern] : 'name';
  const name = field === undefined ? undefined : item[field];
  return typeof name === 'string' && name.trim() !== '' ? name : undefined;
}

function nameFact(item: JsonValue, pattern: string): { itemName?: string } {
  const name = itemNameOf(item, pattern);
  return name === undefined ? {} : { itemName: name };
}

function itemFacts(item: JsonValue, pattern: string): { id?: string; itemName?: string } {
  const id = idKey(item);
  return { ...(id === undefined ? {} : { id }), ...nameFact(item, pattern) };
}

function compareList(
  walk: Walk,
  before: readonly JsonValue[],
  after: readonly JsonValue[],
  path: PathSegment[],
  pattern: string,
): void {
  const keysBefore = uniqueKeys(before, idKey);
  const keysAfter = keysBefore === undefined ? undefined : uniqueKeys(after, idKey);
  if (keysBefore === undefined || keysAfter === undefined) {
    compareByIndex(walk, before, after, path, pattern);
    return;
  }
  const plan = planKeyedArray(keysBefore, keysAfter);
  const isFiles = pattern === FILES_LIST;
  const reuploads = isFiles
    ? pairReuploads(before, after, plan.removed, plan.added)
    : new Map<number, number>();
  const reuploaded = new Set(reuploads.values());
  for (const beforeIndex of plan.removed) {
    if (!reuploaded.has(beforeIndex)) {
      pushRemoved(
        walk,
        before[beforeIndex] ?? null,
        [...path, beforeIndex],
        beforeIndex,
        pattern,
        isFiles,
      );
    }
  }
  const moved = new Map<number, number>();
  for (const step of plan.steps) {
    if (step.kind === 'move') {
      moved.set(step.afterIndex, step.beforeIndex);
    }
  }
  const matchOf = new Map(plan.matched.map((match) => [match.afterIndex, match]));
  after.forEach((item, afterIndex) => {
    path.push(afterIndex);
    const match = matchOf.get(afterIndex);
    const reuploadOf = reuploads.get(afterIndex);
    const reupload =
      reuploadOf === undefined ? undefined : replacedFile(before[reuploadOf] ?? null, item);
    if (reuploadOf !== undefined && reupload !== undefined) {
      compareFiles(walk, reupload, reuploadOf, afterIndex, path, 'same-kind-and-name');
    } else if (match === undefined) {
      pushAdded(walk, item, path, afterIndex, pattern, isFiles);
    } else {
      const from = moved.get(afterIndex);
      if (from !== undefined) {
        walk.changes.push({
          ...base(path),
          kind: 'list-item-moved',
          from,
          to: afterIndex,
          fromPointer: formatPointer([...path.slice(0, -1), from]),
          id: match.key,
          ...nameFact(item, pattern),
        });
      }
      const was = before[match.beforeIndex] ?? null;
      const replaced = isFiles ? replacedFile(was, item) : undefined;
      if (replaced === undefined) {
        compare(walk, was, item, path);
      } else {
        compareFiles(walk, replaced, match.beforeIndex, afterIndex, path, 'same-id');
      }
    }
    path.pop();
  });
}

/** Lists that cannot be matched by id (no ids, duplicates): compared position by position. */
function compareByIndex(
  walk: Walk,
  before: readonly JsonValue[],
  after: readonly JsonValue[],
  path: PathSegment[],
  pattern: string,
): void {
  const isFiles = pattern === FILES_LIST;
  const common = Math.min(before.length, after.length);
  for (let index = before.length - 1; index >= common; index -= 1) {
    pushRemoved(walk, before[index] ?? null, [...path, index], index, pattern, isFiles);
  }
  for (let index = 0; index < after.length; index += 1) {
    path.push(index);
    if (index < common) {
      compare(walk, before[index], after[index], path);
    } else {
      pushAdded(walk, after[index] ?? null, path, index, pattern, isFiles);
    }
    path.pop();
  }
}

function pushRemoved(
  walk: Walk,
  item: JsonValue,
  path: readonly PathSegment[],
  index: number,
  pattern: string,
  isFile: boolean,
): void {
  if (isFile) {
    walk.changes.push({
      ...base(path),
      kind: 'file-removed',
      index,
      ...fileFacts(item),
      file: item,
    });
  } else {
    walk.changes.push({
      ...base(path),
      kind: 'list-item-removed',
      index,
      ...itemFacts(item, pattern),
      item,
    });
  }
}

function pushAdded(
  walk: Walk,
  item: JsonValue,
  path: readonly PathSegment[],
  index: number,
  pattern: string,
  isFile: boolean,
): void {
  if (isFile) {
    walk.changes.push({ ...base(path), kind: 'file-added', index, ...fileFacts(item), file: item });
  } else {
    walk.changes.push({
      ...base(path),
      kind: 'list-item-added',
      index,
      ...itemFacts(item, pattern),
      item,
    });
  }
}

function hashOf(file: JsonValue): string | undefined {
  const hash = isJsonObject(file) ? file['sha256'] : undefined;
  return typeof hash === 'string' && hash !== '' ? hash : undefined;
}

function stringMember(value: JsonValue, key: string): string | undefined {
  const member = isJsonObject(value) ? value[key] : undefined;
  return typeof member === 'string' ? member : undefined;
}

function fileFacts(file: JsonValue): { id?: string; fileName?: string; sha256?: string } {
  const facts: { id?: string; fileName?: string; sha256?: string } = {};
  const id = stringMember(file, 'id');
  const fileName = stringMember(file, 'fileName');
  const sha256 = hashOf(file);
  if (id !== undefined) {
    facts.id = id;
  }
  if (fileName !== undefined) {
    facts.fileName = fileName;
  }
  if (sha256 !== undefined) {
    facts.sha256 = sha256;
  }
  return facts;
}

/**
 * Removed and added files that are one file uploaded again: same kind and file name, another
 * hash. Paired one to one in list order; returns after index → before index.
 */
function pairReuploads(
  before: readonly JsonValue[],
  after: readonly JsonValue[],
  removed: readonly number[],
  added: readonly number[],
): Map<number, number> {
  const pairs = new Map<number, number>();
  const free = new Set(removed);
  for (const afterIndex of added) {
    const file = after[afterIndex] ?? null;
    const kind = stringMember(file, 'kind');
    const name = stringMember(file, 'fileName');
    const hash = hashOf(file);
    if (kind === undefined || name === undefined || hash === undefined) {
      continue;
    }
    for (const beforeIndex of free) {
      const old = before[beforeIndex] ?? null;
      const oldHash = hashOf(old);
      if (
        stringMember(old, 'kind') === kind &&
        stringMember(old, 'fileName') === name &&
        oldHash !== undefined &&
        oldHash !== hash
      ) {
        pairs.set(afterIndex, beforeIndex);
        free.delete(beforeIndex);
        break;
      }
    }
  }
  return pairs;
}

/** Two versions of a credential file record with different content hashes. */
interface ReplacedFile {
  readonly before: JsonObject;
  readonly after: JsonObject;
  readonly beforeSha256: string;
  readonly afterSha256: string;
}

function replacedFile(before: JsonValue, after: JsonValue): ReplacedFile | undefined {
  const beforeSha256 = hashOf(before);
  const afterSha256 = hashOf(after);
  if (
    !isJsonObject(before) ||
    !isJsonObject(after) ||
    beforeSha256 === undefined ||
    afterSha256 === undefined ||
    beforeSha256 === afterSha256
  ) {
    return undefined;
  }
  return { before, after, beforeSha256, afterSha256 };
}

function compareFiles(
  walk: Walk,
  file: ReplacedFile,
  beforeIndex: number,
  afterIndex: number,
  path: PathSegment[],
  match: FileReplacedChange['match'],
): void {
  const { before, after, beforeSha256, afterSha256 } = file;
  const change: { -readonly [K in keyof FileReplacedChange]: FileReplacedChange[K] } = {
    ...base(path),
    kind: 'file-replaced',
    match,
    beforeIndex,
    afterIndex,
    before,
    after,
    beforeSha256,
    afterSha256,
  };
  const fileName = stringMember(after, 'fileName');
  if (fileName !== undefined) {
    change.fileName = fileName;
  }
  const ocrBefore = walk.options.ocrText?.(beforeSha256);
  const ocrAfter = walk.options.ocrText?.(afterSha256);
  if (ocrBefore !== undefined && ocrAfter !== undefined) {
    change.ocr = diffText(ocrBefore, ocrAfter);
  }
  walk.changes.push(change);
  // The rest of the file's record (kind, validity dates) is compared as usual; a re-upload
  // necessarily has a new id, which is not news.
  const skip = new Set(FILE_CONTENT_FIELDS);
  if (match === 'same-kind-and-name') {
    skip.add('id');
  }
  compareObjects(walk, before, after, path, skip);
}

function compareTags(
  walk: Walk,
  before: readonly string[],
  after: readonly string[],
  path: readonly PathSegment[],
): void {
  // Multiset difference: a duplicated tag removed once is one removal.
  const remaining = new Map<string, number>();
  for (const tag of after) {
    remaining.set(tag, (remaining.get(tag) ?? 0) + 1);
  }
  const removed: string[] = [];
  const keptBefore: string[] = [];
  for (const tag of before) {
    const count = remaining.get(tag) ?? 0;
    if (count > 0) {
      remaining.set(tag, count - 1);
      keptBefore.push(tag);
    } else {
      removed.push(tag);
    }
  }
  const available = new Map<string, number>();
  for (const tag of keptBefore) {
    available.set(tag, (available.get(tag) ?? 0) + 1);
  }
  const added: string[] = [];
  const keptAfter: string[] = [];
  for (const tag of after) {
    const count = available.get(tag) ?? 0;
    if (count > 0) {
      available.set(tag, count - 1);
      keptAfter.push(tag);
    } else {
      added.push(tag);
    }
  }
  walk.changes.push({
    ...base(path),
    kind: 'tags',
    before: [...before],
    after: [...after],
    added,
    removed,
    reordered: keptBefore.some((tag, index) => keptAfter[index] !== tag),
  });
}

// ---------------------------------------------------------------------------------------------
// Summary

/** Counts of a diff's changes by kind, overall and per step (top-level key). */
export function summarizeDiff(diff: Pick<ListingDiff, 'changes'>): DiffSummary {
  const byKind = new Map<ChangeKind, number>();
  const bySteps = new Map<string, { total: number; byKind: Map<ChangeKind, number> }>();
  for (const change of diff.changes) {
    byKind.set(change.kind, (byKind.get(change.kind) ?? 0) + 1);
    let step = bySteps.get(change.step);
    if (step === undefined) {
      step = { total: 0, byKind: new Map() };
      bySteps.set(change.step, step);
    }
    step.total += 1;
    step.byKind.set(change.kind, (step.byKind.get(change.kind) ?? 0) + 1);
  }
  // fromEntries defines own properties, so a step named `__proto__` stays an ordinary key.
  return {
    total: diff.changes.length,
    byKind: countsOf(byKind),
    bySteps: Object.fromEntries(
      [...bySteps].map(([step, counts]) => [
        step,
        { total: counts.total, byKind: countsOf(counts.byKind) },
      ]),
    ),
  };
}

function countsOf(counts: ReadonlyMap<ChangeKind, number>): ChangeCounts {
  return Object.fromEntries(
    CHANGE_KINDS.flatMap((kind) => {
      const count = counts.get(kind);
      return count === undefined ? [] : [[kind, count]];
    }),
  );
}
