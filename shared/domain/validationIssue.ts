import type { LocalizedText } from '../i18n/localized';

/** One segment of a field path: an object key or an array index. */
export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

export type IssueSeverity = 'error' | 'warning';

/**
 * A finding about a document, anchored to the field it is about so that the workstation can show
 * it at that field. `error` blocks submission; `warning` is shown but does not block.
 */
export interface ValidationIssue {
  /** Field path from the document root, e.g. `['packages', 'items', 0, 'price', 'min']`. */
  readonly path: FieldPath;
  /** Stable machine code, e.g. `required`, `too_long`; tests and the UI key on it. */
  readonly code: string;
  readonly severity: IssueSeverity;
  readonly message: LocalizedText;
  /** Values the message was built from (limits, actual lengths), for machines. */
  readonly params?: Readonly<Record<string, string | number>>;
}

/** RFC 6901 JSON Pointer of a field path (`/packages/items/0/price/min`). */
export function toJsonPointer(path: FieldPath): string {
  return path
    .map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
