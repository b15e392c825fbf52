import type { LocalizedText } from '../../i18n/localized';
import {
  isRecord,
  LISTING_LIMITS,
  PROVENANCE_FORBIDDEN_CHARACTERS,
  PROVENANCE_POINTER_PATTERN,
  valueAtPointer,
  type ProvenanceEntry,
} from './document';

/*
 * Provenance of listing values entered from a scanned dossier (issue 11, OCR pre-fill): the
 * document's top-level `provenance` member maps the JSON Pointer of a field to where its value
 * was read (file, page, box, confidence, text) and who accepted it. The functions here keep that
 * member true as the document changes: an edit marks the entry `edited`, a removed field loses
 * its entry. All of them are pure and return a new document (the input is never changed).
 */

export type { ProvenanceEntry } from './document';

/** Members of a document this module reads and writes (drafts may be any JSON object). */
type DocumentLike = Readonly<Record<string, unknown>>;

function provenanceOf(document: DocumentLike): Readonly<Record<string, ProvenanceEntry>> {
  const provenance = document['provenance'];
  return isRecord(provenance) ? (provenance as Record<string, ProvenanceEntry>) : {};
}

function withProvenance<T extends DocumentLike>(
  document: T,
  provenance: Readonly<Record<string, ProvenanceEntry>>,
): T {
  const next: Record<string, unknown> = { ...document };
  if (Object.keys(provenance).length === 0) {
    delete next['provenance'];
  } else {
    next['provenance'] = provenance;
  }
  return next as T;
}

/** Whether pointer `a` is `b` or inside it (`/packages/items/0/price` is inside `/packages/items/0`). */
function within(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`);
}

/**
 * Makes a string safe to keep as provenance text: the characters the schema refuses (markup,
 * controls, bidi overrides) become spaces, runs of spaces collapse, and it is cut to `max`
 * characters (code points).
 */
export function provenancePlainText(text: string, max: number): string {
  const cleaned = Array.from(text)
    .map((character) => (PROVENANCE_FORBIDDEN_CHARACTERS.test(character) ? ' ' : character))
    .join('')
    .replace(/\s+/gu, ' ')
    .trim();
  return Array.from(cleaned).slice(0, max).join('');
}

/** The provenance recorded for exactly this field, if any. */
export function provenanceAt(document: DocumentLike, pointer: string): ProvenanceEntry | undefined {
  const provenance = provenanceOf(document);
  return Object.hasOwn(provenance, pointer) ? provenance[pointer] : undefined;
}

/**
 * The provenance shown beside a field of the listing view: the field's own entry, or the entry of
 * the nearest enclosing field (`/packages/items/0/price/amount` shows the price's provenance).
 */
export function provenanceFor(
  document: DocumentLike,
  pointer: string,
): { readonly pointer: string; readonly entry: ProvenanceEntry } | undefined {
  const provenance = provenanceOf(document);
  let best: string | undefined;
  for (const key of Object.keys(provenance)) {
    if (within(pointer, key) && (best === undefined || key.length > best.length)) {
      best = key;
    }
  }
  const entry = best === undefined ? undefined : provenance[best];
  return best === undefined || entry === undefined ? undefined : { pointer: best, entry };
}

/** Records (or replaces) the provenance of one field. */
export function setProvenance<T extends DocumentLike>(
  document: T,
  pointer: string,
  entry: ProvenanceEntry,
): T {
  if (!PROVENANCE_POINTER_PATTERN.test(pointer)) {
    throw new Error(`not a provenance pointer: ${JSON.stringify(pointer)}`);
  }
  return withProvenance(document, { ...provenanceOf(document), [pointer]: entry });
}

/**
 * Call after the user changed the field at `pointer` by hand: every provenance entry of that
 * field, of fields inside it and of the fields enclosing it is marked `edited` (the reviewer
 * then reads "entered by … from page 3 of dossier.pdf, edited after OCR"). Entries of fields
 * that no longer exist are dropped.
 */
export function markProvenanceEdited<T extends DocumentLike>(document: T, pointer: string): T {
  const provenance = provenanceOf(document);
  const keys = Object.keys(provenance);
  if (keys.length === 0) {
    return document;
  }
  const next: Record<string, ProvenanceEntry> = {};
  for (const key of keys) {
    const entry = provenance[key];
    if (entry === undefined) {
      continue;
    }
    next[key] =
      (within(key, pointer) || within(pointer, key)) && entry.edited !== true
        ? { ...entry, edited: true }
        : entry;
  }
  return pruneProvenance(withProvenance(document, next));
}

/** Drops the provenance of fields that are gone (a package removed, a value cleared). */
export function pruneProvenance<T extends DocumentLike>(document: T): T {
  const provenance = provenanceOf(document);
  const keys = Object.keys(provenance);
  const kept = keys.filter((key) => valueAtPointer(document, key) !== undefined);
  if (kept.length === keys.length) {
    return document;
  }
  const next: Record<string, ProvenanceEntry> = {};
  for (const key of kept) {
    const entry = provenance[key];
    if (entry !== undefined) {
      next[key] = entry;
    }
  }
  return withProvenance(document, next);
}

/**
 * What the listing view shows beside a field entered from a dossier, e.g. "entered by Li Mei
 * from page 3 of dossier.pdf" (plain text: render it as text, never as HTML).
 */
export function describeProvenance(entry: ProvenanceEntry): LocalizedText {
  const who = provenancePlainText(entry.enteredBy, LISTING_LIMITS.provenanceEnteredByMax);
  const file = provenancePlainText(entry.fileName, LISTING_LIMITS.fileNameMax);
  const percent = Math.round(entry.confidence * 100);
  const edited = entry.edited === true;
  return {
    'zh-CN': `由 ${who} 从 ${file} 第 ${entry.page} 页录入（OCR 置信度 ${percent}%${edited ? '，录入后已修改' : ''}）`,
    en: `entered by ${who} from page ${entry.page} of ${file} (OCR confidence ${percent}%${edited ? ', edited after OCR' : ''})`,
  };
}
