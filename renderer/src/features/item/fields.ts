import { isRecord, LISTING_STEPS, type ListingStep } from '#shared/domain/listing/document';
import { DOCUMENT_LABEL, fieldLabel } from '#shared/domain/listing/fieldLabels';
import type { Locale } from '#shared/i18n/localized';
import { formatPointer, parsePointer } from '#shared/diff/pointer';

/**
 * The field anchors of the listing view: every place a reviewer can comment on, mark as reviewed
 * and find validation findings at, in the order the view shows them. The view renders exactly
 * these anchors (a test holds the two together), so keyboard navigation, the reviewed counts and
 * the placement of findings and comments all agree.
 *
 * Granularity: one anchor per plain field; lists get an anchor of their own (for "add more" or
 * "the list is empty") and one per item, or one per field of an item when items have several
 * fields a reviewer comments on separately (packages, success cases, timeline nodes).
 */

/** The provider block (not a form step, but shown and commented on) and the seven steps. */
export const SECTIONS = ['provider', ...LISTING_STEPS] as const;
export type Section = (typeof SECTIONS)[number];

export type AnchorKind = 'field' | 'list' | 'item';

export interface AnchorSpec {
  /** JSON Pointer of the field. */
  readonly path: string;
  readonly section: Section;
  readonly kind: AnchorKind;
}

/**
 * Lists longer than this are cut in the view (with a note saying how many are not shown): the
 * schema allows at most 50 packages and 30 of anything else, so only a broken document gets here.
 */
export const MAX_LIST_ITEMS = 100;

const PACKAGE_FIELDS = ['name', 'price', 'serviceItems', 'sessions', 'seats'] as const;
const SUCCESS_CASE_FIELDS = ['year', 'studentBackground', 'result', 'highlight'] as const;
const TIMELINE_FIELDS = ['stageName', 'duration', 'deliverable', 'acceptanceCriteria'] as const;

export const ANCHOR_FIELDS = {
  package: PACKAGE_FIELDS,
  successCase: SUCCESS_CASE_FIELDS,
  timelineNode: TIMELINE_FIELDS,
} as const;

/** A pointer from segments: `ptr('basic', 'name')` → `/basic/name`. */
export function ptr(...segments: readonly (string | number)[]): string {
  return formatPointer(segments);
}

/** The member of an object, or undefined for anything that is not one. */
export function member(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** How many items of a list the view shows (0 for anything that is not a list). */
export function shownCount(value: unknown): number {
  return Array.isArray(value) ? Math.min(value.length, MAX_LIST_ITEMS) : 0;
}

/** Every anchor of a document, in view order. Any value is accepted; missing parts still get
 * their fixed anchors (which then say "not filled in"). */
export function listingAnchors(doc: unknown): AnchorSpec[] {
  const anchors: AnchorSpec[] = [];
  const add = (section: Section, kind: AnchorKind, ...rest: (string | number)[]) => {
    anchors.push({ path: ptr(section, ...rest), section, kind });
  };
  const step = (name: Section) => member(doc, name);
  const listOf = (
    section: Section,
    key: string,
    each: (index: number) => void = (index) => {
      add(section, 'item', key, index);
    },
  ) => {
    add(section, 'list', key);
    const count = shownCount(member(step(section), key));
    for (let index = 0; index < count; index += 1) {
      each(index);
    }
  };

  add('provider', 'field', 'kind');
  add('provider', 'field', 'name');

  for (const key of ['name', 'country', 'stages', 'intakes', 'introduction']) {
    add('basic', 'field', key);
  }

  listOf('highlights', 'advantages');
  listOf('highlights', 'mentors');
  listOf('highlights', 'successCases', (index) => {
    for (const field of SUCCESS_CASE_FIELDS) {
      add('highlights', 'field', 'successCases', index, field);
    }
  });

  listOf('packages', 'items', (index) => {
    for (const field of PACKAGE_FIELDS) {
      add('packages', 'field', 'items', index, field);
    }
  });
  add('packages', 'field', 'refundPolicy', 'templateId');
  add('packages', 'field', 'refundPolicy', 'customText');

  listOf('process', 'timeline', (index) => {
    for (const field of TIMELINE_FIELDS) {
      add('process', 'field', 'timeline', index, field);
    }
  });

  listOf('requirements', 'items');

  for (const key of ['disclosure', 'afterSalesPolicy', 'confirmed']) {
    add('risk', 'field', key);
  }

  listOf('credentials', 'files');
  return anchors;
}

/** Parses a pointer, or null when it is not one. */
export function segmentsOf(path: string): string[] | null {
  try {
    return parsePointer(path);
  } catch {
    return null;
  }
}

/**
 * Where a finding or comment at `path` is shown: the anchor itself, else its nearest ancestor
 * that is an anchor (a comment on `/packages/items/2` sits on the package list, labelled with
 * its own path), else null (shown at the section or at the top of the view).
 */
export function resolveAnchor(path: string, anchors: ReadonlySet<string>): string | null {
  const segments = segmentsOf(path);
  if (segments === null) {
    return null;
  }
  for (let length = segments.length; length > 0; length -= 1) {
    const candidate = formatPointer(segments.slice(0, length));
    if (anchors.has(candidate)) {
      return candidate;
    }
  }
  return null;
}

/** The section a path belongs to, or null for the document as a whole and unknown places. */
export function sectionOf(path: string): Section | null {
  const first = segmentsOf(path)?.[0];
  return first !== undefined && (SECTIONS as readonly string[]).includes(first)
    ? (first as Section)
    : null;
}

export function isListingStep(section: Section): section is ListingStep {
  return section !== 'provider';
}

/**
 * The human label of a field path ("第 3 个套餐 › 价格"); `/` and `` are the whole listing, and
 * text that is not a pointer is shown as it is.
 */
export function pathLabel(path: string, locale: Locale): string {
  const segments = segmentsOf(path);
  if (segments === null) {
    return path;
  }
  if (segments.length === 0 || (segments.length === 1 && segments[0] === '')) {
    return DOCUMENT_LABEL[locale];
  }
  return fieldLabel(segments)[locale];
}

/** A DOM id for an anchor: paths of anchors only hold letters, digits and `/`. */
export function anchorDomId(path: string): string {
  return `field${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
