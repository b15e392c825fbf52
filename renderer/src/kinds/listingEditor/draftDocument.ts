import {
  isRecord,
  LISTING_STEPS,
  type ListingStep,
  type ProviderKind,
} from '#shared/domain/listing/document';
import { validateListing } from '#shared/domain/listing/validate';
import { shanghaiDate } from '#shared/domain/time';
import type { FieldPath, ValidationIssue } from '#shared/domain/validationIssue';
import { toJsonPointer } from '#shared/domain/validationIssue';

/**
 * The editor's view of a listing document: plain JSON edited by path, never a half-parsed
 * object. A draft is kept exactly as typed (an empty name, an amount "12,800"), so nothing the
 * user entered is lost; `validateListing` (the server's validator) says what is wrong with it.
 */
export type DraftDocument = Record<string, unknown>;

export interface ProviderChoice {
  readonly kind: ProviderKind;
  readonly id: string;
  readonly name: string;
}

/** A new listing: every step present and empty, so each required field reports at itself. */
export function emptyDocument(provider: ProviderChoice | null): DraftDocument {
  return {
    schemaVersion: 1,
    ...(provider === null ? {} : { provider: { ...provider } }),
    basic: { name: '', stages: [], intakes: [], introduction: '' },
    highlights: { advantages: [], mentors: [], successCases: [] },
    packages: { items: [], refundPolicy: { templateId: 'standard_7_days' } },
    process: { timeline: [] },
    requirements: { items: [] },
    risk: { disclosure: '', confirmed: false },
    credentials: { files: [] },
  };
}

/** The value at `path`, or undefined when any part of it is missing. */
export function getAt(doc: unknown, path: FieldPath): unknown {
  let value: unknown = doc;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') {
      value = value[segment];
    } else if (isRecord(value) && typeof segment === 'string') {
      value = value[segment];
    } else {
      return undefined;
    }
  }
  return value;
}

/**
 * A copy of `doc` with `value` at `path` (undefined deletes an object key), creating the
 * objects and lists on the way. Only the containers along the path are copied.
 */
export function setAt(doc: unknown, path: FieldPath, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) {
    return value;
  }
  if (typeof head === 'number') {
    const list = Array.isArray(doc) ? [...(doc as unknown[])] : [];
    list[head] = setAt(list[head], rest, value);
    return list;
  }
  const record: Record<string, unknown> = isRecord(doc) ? doc : {};
  const next = setAt(record[head], rest, value);
  if (next === undefined) {
    return Object.fromEntries(Object.entries(record).filter(([key]) => key !== head));
  }
  return { ...record, [head]: next };
}

/** The list moved: the item at `from` now at `to` (both clamped to the list). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  if (from < 0 || from >= copy.length || to < 0 || to >= copy.length || from === to) {
    return copy;
  }
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item as T);
  return copy;
}

/** A list-item id the schema accepts (`[A-Za-z0-9_-]`), unique enough for one document. */
export function newItemId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
}

/** The list at `path`, or an empty one when the document holds none there. */
export function listAt(doc: unknown, path: FieldPath): unknown[] {
  const value = getAt(doc, path);
  return Array.isArray(value) ? value : [];
}

/** Validation as the server does it, with today's date in Shanghai (the server's day). */
export function validateDraft(
  doc: unknown,
  nowMs: number,
  verifiedMentorIds?: ReadonlySet<string>,
): ValidationIssue[] {
  return validateListing(doc, { today: shanghaiDate(nowMs), verifiedMentorIds });
}

/** Issues by the JSON Pointer of their field. */
export function issuesByPointer(
  issues: readonly ValidationIssue[],
): ReadonlyMap<string, readonly ValidationIssue[]> {
  const map = new Map<string, ValidationIssue[]>();
  for (const issue of issues) {
    const pointer = toJsonPointer(issue.path);
    map.set(pointer, [...(map.get(pointer) ?? []), issue]);
  }
  return map;
}

/** The section an issue belongs to: a form step, `provider`, or `document` for the rest. */
export function issueSection(issue: ValidationIssue): ListingStep | 'provider' | 'document' {
  const head = issue.path[0];
  if (head === 'provider') {
    return 'provider';
  }
  return (LISTING_STEPS as readonly unknown[]).includes(head) ? (head as ListingStep) : 'document';
}

export interface StepProgress {
  readonly step: ListingStep;
  readonly errors: number;
  readonly warnings: number;
}

/** Per step, how many errors and warnings block or mark it: complete means no error. */
export function stepProgress(issues: readonly ValidationIssue[]): StepProgress[] {
  return LISTING_STEPS.map((step) => {
    const own = issues.filter((issue) => issueSection(issue) === step);
    return {
      step,
      errors: own.filter((issue) => issue.severity === 'error').length,
      warnings: own.filter((issue) => issue.severity === 'warning').length,
    };
  });
}
