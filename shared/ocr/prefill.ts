import { isRecord, LISTING_LIMITS, type ProvenanceEntry } from '../domain/listing/document';
import { provenancePlainText, pruneProvenance, setProvenance } from '../domain/listing/provenance';
import type { CurrencyCode } from '../domain/money/currencies';
import {
  extractDocument,
  extractionLines,
  textOrigin,
  type ExtractedField,
  type ExtractionPage,
  type TextLine,
} from './extract';
import { compactText, hasHan, normalizeName } from './normalize';
import type { OcrBox } from './types';

/*
 * OCR pre-fill (issue 11): from the recognised pages of a scanned dossier (a business licence,
 * tutor certificates, a price table…, in one PDF or as several images), proposals of listing
 * values, each with where it was read. The assistant accepts, edits or dismisses each one;
 * `applyProposal` sets the value and records its provenance in the document's `provenance`
 * member (`shared/domain/listing/provenance.ts`), which the reviewer's listing view shows.
 *
 * Pages are classified one by one (a dossier mixes kinds): licence and certificate pages are read
 * by `extract.ts`; other pages are searched for the two tables a dossier prints: packages with
 * their prices (套餐 … 价格) and the service stages with their durations (阶段 … 周期). A value
 * that was not read is not proposed: every proposal has a source.
 */

// ---------------------------------------------------------------------------------------------
// Types

/** What each proposal fills (the editor's `data-field`). */
export const PREFILL_FIELDS = [
  'providerName',
  'creditCode',
  'address',
  'licenceValidFrom',
  'licenceValidUntil',
  'certificateHolder',
  'certificateNumber',
  'packageName',
  'packagePrice',
  'stageName',
  'stageDuration',
] as const;
export type PrefillField = (typeof PREFILL_FIELDS)[number];

export interface PrefillPrice {
  readonly kind: 'fixed';
  readonly currency: CurrencyCode;
  readonly amount: string;
}
export interface PrefillDuration {
  readonly value: number;
  readonly unit: 'day' | 'week' | 'month';
}
/** A string, `null` (a licence valid 长期), a fixed price or a duration. */
export type PrefillValue = string | null | PrefillPrice | PrefillDuration;

/** Where a proposed value was read. */
export interface PrefillSource {
  readonly fileName: string;
  /** 1-based page of the file. */
  readonly page: number;
  /** In pixels of the page image as read (crop it from the rendered page to show it). */
  readonly bbox: OcrBox;
  /** 0–1. */
  readonly confidence: number;
  /** The text as read. */
  readonly text: string;
}

/**
 * The list item a proposal's field lives in. Proposals of one table row or one paper share it;
 * `applyProposal` finds the item by `id` in the list, or appends `create` when it is not there
 * yet, so accepting some proposals of a row and dismissing others lands each where it belongs.
 */
export interface PrefillItem {
  /** JSON Pointer of the list, e.g. `/packages/items`. */
  readonly list: string;
  readonly id: string;
  /** Path of the field inside the item, e.g. `/price`. */
  readonly field: string;
  /** The item to append when the list has none with this id. */
  readonly create: Readonly<Record<string, unknown>>;
}

export interface PrefillProposal {
  /** Unique within one `prefillFromDossier` result. */
  readonly id: string;
  readonly field: PrefillField;
  /**
   * RFC 6901 pointer into the listing document as it was when the proposals were made (for list
   * items: where the item is or would be appended; `applyProposal` returns the final one).
   */
  readonly path: string;
  readonly value: PrefillValue;
  readonly source: PrefillSource;
  readonly item?: PrefillItem;
  /** The value differs from the reading by a checked repair (a credit code's O → 0). */
  readonly repaired?: true;
}

/** One recognised page of the dossier (an `OcrDocumentResult`'s pages fit). */
export interface PrefillPage extends ExtractionPage {
  /** The file the page is in (several images make one dossier too). */
  readonly fileName: string;
  /** 1-based page within that file; default `index + 1`. */
  readonly page?: number;
}

export interface PrefillOptions {
  /** The draft being filled: list items it already has are matched (by name) instead of added. */
  readonly document?: unknown;
}

// ---------------------------------------------------------------------------------------------
// Tables: rows of lines, values in them

/** One row of a page: the lines whose vertical centres agree, left to right (table cells). */
interface Row {
  readonly text: string;
  readonly parts: readonly { readonly line: TextLine; readonly start: number }[];
  readonly y: number;
}

function rowsOf(page: ExtractionPage): Row[] {
  const rows: TextLine[][] = [];
  for (const line of extractionLines(page)) {
    const centre = line.box.y + line.box.height / 2;
    const row = rows.find((candidate) => {
      const head = candidate[0];
      return (
        head !== undefined &&
        Math.abs(head.box.y + head.box.height / 2 - centre) <
          Math.min(head.box.height, line.box.height) / 2
      );
    });
    if (row === undefined) {
      rows.push([line]);
    } else {
      row.push(line);
    }
  }
  return rows.map((lines) => {
    lines.sort((a, b) => a.box.x - b.box.x);
    let text = '';
    const parts: { line: TextLine; start: number }[] = [];
    for (const line of lines) {
      parts.push({ line, start: text.length });
      text += line.text;
    }
    return { text, parts, y: Math.min(...lines.map((line) => line.box.y)) };
  });
}

function unionBoxes(boxes: readonly OcrBox[]): OcrBox {
  const x0 = Math.min(...boxes.map((box) => box.x));
  const y0 = Math.min(...boxes.map((box) => box.y));
  const x1 = Math.max(...boxes.map((box) => box.x + box.width));
  const y1 = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Box and confidence of characters `start`–`end` of a row (possibly over several cells). */
function rowOrigin(row: Row, start: number, end: number): { box: OcrBox; confidence: number } {
  const boxes: OcrBox[] = [];
  let weighted = 0;
  let characters = 0;
  for (const part of row.parts) {
    const from = Math.max(start, part.start) - part.start;
    const to = Math.min(end, part.start + part.line.text.length) - part.start;
    if (to <= from) {
      continue;
    }
    const origin = textOrigin(part.line, from, to);
    boxes.push(origin.box);
    weighted += origin.confidence * (to - from);
    characters += to - from;
  }
  return {
    box: boxes.length === 0 ? { x: 0, y: 0, width: 0, height: 0 } : unionBoxes(boxes),
    confidence: characters === 0 ? 0 : Math.round((weighted / characters) * 1000) / 1000,
  };
}

/** Table rules and stray marks Tesseract reads around cells. */
const CELL_JUNK =
  /^[\s|｜[\]{}()<>_\-—=:：;,.·、'"`~!*+#/\\]+|[\s|｜[\]{}()<>_\-—=:：;,.·、'"`~!*+#/\\]+$/gu;

function trimmedSpan(text: string, start: number, end: number): [number, number] {
  let from = start;
  let to = end;
  const junk = (character: string) => character !== '' && character.replace(CELL_JUNK, '') === '';
  while (from < to && junk(text.charAt(from))) {
    from += 1;
  }
  while (to > from && junk(text.charAt(to - 1))) {
    to -= 1;
  }
  return [from, to];
}

/** Currency names and codes a dossier prints before an amount. */
const CURRENCY_WORDS: readonly (readonly [string, CurrencyCode])[] = [
  ['人民币', 'CNY'],
  ['RMB', 'CNY'],
  ['CNY', 'CNY'],
  ['新加坡元', 'SGD'],
  ['美元', 'USD'],
  ['USD', 'USD'],
  ['英镑', 'GBP'],
  ['GBP', 'GBP'],
  ['欧元', 'EUR'],
  ['EUR', 'EUR'],
  ['港元', 'HKD'],
  ['港币', 'HKD'],
  ['HKD', 'HKD'],
  ['日元', 'JPY'],
  ['JPY', 'JPY'],
  ['澳元', 'AUD'],
  ['AUD', 'AUD'],
  ['加元', 'CAD'],
  ['CAD', 'CAD'],
  ['SGD', 'SGD'],
];
const CURRENCY_PATTERN = new RegExp(
  `(${CURRENCY_WORDS.map(([word]) => word).join('|')})[:]?([0-9][0-9,.]*[0-9]|[0-9])(元)?`,
  'iu',
);

/** `38,000` / `38.000` (thousands) / `4800.50` → a decimal string, or undefined. */
export function parseTableAmount(text: string): string | undefined {
  if (/^\d{1,3}(?:[,.]\d{3})+$/.test(text)) {
    return text.replace(/[,.]/g, '').replace(/^0+(?=\d)/, '');
  }
  const plain = text.replace(/,/g, '');
  return /^(?:0|[1-9]\d{0,14})(?:\.\d{1,2})?$/.test(plain) ? plain : undefined;
}

interface FoundPrice {
  readonly price: PrefillPrice;
  readonly start: number;
  readonly end: number;
}

export function findPrice(text: string): FoundPrice | undefined {
  const match = CURRENCY_PATTERN.exec(text);
  if (match === null) {
    return undefined;
  }
  const word = (match[1] ?? '').toUpperCase();
  const currency = CURRENCY_WORDS.find(([name]) => name.toUpperCase() === word)?.[1];
  const amount = parseTableAmount(match[2] ?? '');
  if (currency === undefined || amount === undefined || /^0+(?:\.0+)?$/.test(amount)) {
    return undefined;
  }
  return {
    price: { kind: 'fixed', currency, amount },
    start: match.index,
    end: match.index + match[0].length,
  };
}

const DURATION_PATTERN = /(\d{1,3})(个月|个星期|星期|周|天|日|月)/u;
const DURATION_UNITS: Readonly<Record<string, PrefillDuration['unit']>> = {
  个月: 'month',
  月: 'month',
  个星期: 'week',
  星期: 'week',
  周: 'week',
  天: 'day',
  日: 'day',
};

interface FoundDuration {
  readonly duration: PrefillDuration;
  readonly start: number;
  readonly end: number;
}

export function findDuration(text: string): FoundDuration | undefined {
  const match = DURATION_PATTERN.exec(text);
  const unit = DURATION_UNITS[match?.[2] ?? ''];
  const value = Number(match?.[1]);
  if (
    match === null ||
    unit === undefined ||
    !(value >= 1 && value <= LISTING_LIMITS.durationValueMax)
  ) {
    return undefined;
  }
  return {
    duration: { value, unit },
    start: match.index,
    end: match.index + match[0].length,
  };
}

type TableKind = 'packages' | 'timeline';

/** A table's header (or title) row: which table the following rows belong to. */
function tableHeader(text: string): TableKind | undefined {
  const compact = compactText(text);
  if (compact.includes('套餐') && compact.includes('价格')) {
    return 'packages';
  }
  if (compact.includes('阶段') && /周期|时长|用时|时间/u.test(compact)) {
    return 'timeline';
  }
  return undefined;
}

interface TableRow {
  readonly table: TableKind;
  readonly name: { readonly text: string; readonly start: number; readonly end: number };
  readonly value: FoundPrice | FoundDuration;
  readonly row: Row;
}

function tableRows(page: ExtractionPage): TableRow[] {
  const out: TableRow[] = [];
  let table: TableKind | undefined;
  for (const row of rowsOf(page)) {
    const header = tableHeader(row.text);
    if (header !== undefined) {
      table = header;
      continue;
    }
    if (table === undefined) {
      continue;
    }
    const value = table === 'packages' ? findPrice(row.text) : findDuration(row.text);
    if (value === undefined) {
      continue;
    }
    const [start, end] = trimmedSpan(row.text, 0, value.start);
    const name = row.text.slice(start, end);
    const max = table === 'packages' ? LISTING_LIMITS.packageNameMax : LISTING_LIMITS.stageNameMax;
    if (!hasHan(name) || Array.from(name).length > max) {
      continue;
    }
    out.push({ table, name: { text: name, start, end }, value, row });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Matching the draft's list items

function listAt(document: unknown, ...keys: string[]): readonly unknown[] {
  let current: unknown = document;
  for (const key of keys) {
    current = isRecord(current) ? current[key] : undefined;
  }
  return Array.isArray(current) ? (current as unknown[]) : [];
}

function stringMember(item: unknown, key: string): string | undefined {
  const value = isRecord(item) ? item[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Index and id of the first item `matches` accepts, or of a new item appended after `taken`. */
class ListTargets {
  private appended = 0;
  constructor(
    private readonly items: readonly unknown[],
    private readonly prefix: string,
  ) {}

  target(matches: (item: unknown) => boolean): { index: number; id: string; exists: boolean } {
    const index = this.items.findIndex(matches);
    const id = stringMember(this.items[index], 'id');
    if (index >= 0 && id !== undefined) {
      return { index, id, exists: true };
    }
    this.appended += 1;
    return {
      index: this.items.length + this.appended - 1,
      id: `${this.prefix}-${this.appended}`,
      exists: false,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Proposals

function sourceOf(
  page: PrefillPage,
  read: { box: OcrBox; confidence: number },
  text: string,
): PrefillSource {
  return {
    fileName: page.fileName,
    page: page.page ?? page.index + 1,
    bbox: {
      x: Math.max(0, Math.round(read.box.x)),
      y: Math.max(0, Math.round(read.box.y)),
      width: Math.max(0, Math.round(read.box.width)),
      height: Math.max(0, Math.round(read.box.height)),
    },
    confidence: Math.min(1, Math.max(0, read.confidence)),
    text,
  };
}

/**
 * Proposals of listing values from the recognised pages of a dossier, in page order. Pages of one
 * file are given with their 0-based `index`; images of several files each with their own
 * `fileName`. Fields that were not read are not proposed.
 */
export function prefillFromDossier(
  pages: readonly PrefillPage[],
  options: PrefillOptions = {},
): PrefillProposal[] {
  const document = options.document;
  const credentials = new ListTargets(listAt(document, 'credentials', 'files'), 'ocr-credential');
  const packages = new ListTargets(listAt(document, 'packages', 'items'), 'ocr-package');
  const timeline = new ListTargets(listAt(document, 'process', 'timeline'), 'ocr-stage');
  const proposals: PrefillProposal[] = [];
  const seen = new Set<string>();

  const propose = (
    field: PrefillField,
    path: string,
    value: PrefillValue,
    source: PrefillSource,
    extra: { item?: PrefillItem; repaired?: true } = {},
  ): void => {
    // The first reading of a field wins (a dossier may print a licence twice).
    if (seen.has(path)) {
      return;
    }
    seen.add(path);
    proposals.push({ id: `p${proposals.length + 1}`, field, path, value, source, ...extra });
  };
  const fromField = (
    page: PrefillPage,
    name: PrefillField,
    path: string,
    read: ExtractedField | undefined,
    item?: PrefillItem,
  ): void => {
    if (read === undefined || (read.value === null && name !== 'licenceValidUntil')) {
      return;
    }
    if (read.page !== 1) {
      // Extraction ran on this page alone, so its page is 1; anything else is a bug upstream.
      return;
    }
    propose(name, path, read.value, sourceOf(page, read, read.raw), {
      ...(item === undefined ? {} : { item }),
      ...(read.repaired === true ? { repaired: true as const } : {}),
    });
  };

  for (const page of pages) {
    const single: ExtractionPage = { ...page, index: 0 };
    const extraction = extractDocument({ pages: [single] });
    if (extraction.kind === 'business_licence') {
      const fields = extraction.fields;
      fromField(page, 'providerName', '/provider/name', fields.name);
      fromField(page, 'creditCode', '/provider/creditCode', fields.creditCode);
      fromField(page, 'address', '/provider/address', fields.address);
      const target = credentials.target(
        (item) => stringMember(item, 'kind') === 'business_licence',
      );
      const create = { id: target.id, kind: 'business_licence', fileName: page.fileName };
      const item = (field: string): PrefillItem => ({
        list: '/credentials/files',
        id: target.id,
        field,
        create,
      });
      const base = `/credentials/files/${target.index}`;
      fromField(
        page,
        'licenceValidFrom',
        `${base}/validFrom`,
        fields.validFrom,
        item('/validFrom'),
      );
      fromField(
        page,
        'licenceValidUntil',
        `${base}/validUntil`,
        fields.validUntil,
        item('/validUntil'),
      );
      continue;
    }
    if (extraction.kind === 'tutor_certificate') {
      const fields = extraction.fields;
      const holder = fields.holderName?.value;
      if (holder === undefined || holder === null) {
        continue;
      }
      const target = credentials.target(
        (entry) =>
          stringMember(entry, 'kind') === 'mentor_certificate' &&
          normalizeName(stringMember(entry, 'holderName') ?? '') === normalizeName(holder),
      );
      const create = { id: target.id, kind: 'mentor_certificate', fileName: page.fileName };
      const item = (field: string): PrefillItem => ({
        list: '/credentials/files',
        id: target.id,
        field,
        create,
      });
      const base = `/credentials/files/${target.index}`;
      fromField(
        page,
        'certificateHolder',
        `${base}/holderName`,
        fields.holderName,
        item('/holderName'),
      );
      fromField(
        page,
        'certificateNumber',
        `${base}/certificateNumber`,
        fields.certificateNumber,
        item('/certificateNumber'),
      );
      continue;
    }
    for (const row of tableRows(page)) {
      const nameRead = rowOrigin(row.row, row.name.start, row.name.end);
      const valueRead = rowOrigin(row.row, row.value.start, row.value.end);
      const valueText = row.row.text.slice(row.value.start, row.value.end);
      if (row.table === 'packages' && 'price' in row.value) {
        const target = packages.target(
          (item) =>
            normalizeName(stringMember(item, 'name') ?? '') === normalizeName(row.name.text),
        );
        const item = (field: string): PrefillItem => ({
          list: '/packages/items',
          id: target.id,
          field,
          create: { id: target.id },
        });
        const base = `/packages/items/${target.index}`;
        propose(
          'packageName',
          `${base}/name`,
          row.name.text,
          sourceOf(page, nameRead, row.name.text),
          {
            item: item('/name'),
          },
        );
        propose(
          'packagePrice',
          `${base}/price`,
          row.value.price,
          sourceOf(page, valueRead, valueText),
          {
            item: item('/price'),
          },
        );
      } else if (row.table === 'timeline' && 'duration' in row.value) {
        const target = timeline.target(
          (item) =>
            normalizeName(stringMember(item, 'stageName') ?? '') === normalizeName(row.name.text),
        );
        const item = (field: string): PrefillItem => ({
          list: '/process/timeline',
          id: target.id,
          field,
          create: { id: target.id },
        });
        const base = `/process/timeline/${target.index}`;
        propose(
          'stageName',
          `${base}/stageName`,
          row.name.text,
          sourceOf(page, nameRead, row.name.text),
          {
            item: item('/stageName'),
          },
        );
        propose(
          'stageDuration',
          `${base}/duration`,
          row.value.duration,
          sourceOf(page, valueRead, valueText),
          { item: item('/duration') },
        );
      }
    }
  }
  return proposals;
}

// ---------------------------------------------------------------------------------------------
// Accepting a proposal

export interface ApplyOptions {
  /** Who accepts (a user id or display name), kept in the provenance. */
  readonly enteredBy: string;
  /** ISO 8601 time with offset. */
  readonly at: string;
  /** The value as the assistant corrected it; the provenance is then marked `edited`. */
  readonly value?: PrefillValue;
}

export interface Applied<T> {
  readonly document: T;
  /** Where the value was set (for list items it may differ from `proposal.path`). */
  readonly path: string;
}

function segmentsOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.split('/').slice(1);
}

/** A copy of `node` with `value` set at `segments`, creating objects on the way. */
function setIn(node: unknown, segments: readonly string[], value: unknown): unknown {
  const [head, ...rest] = segments;
  if (head === undefined) {
    return value;
  }
  if (Array.isArray(node)) {
    const index = Number(head);
    if (!Number.isInteger(index) || index < 0 || index > node.length) {
      throw new Error(`no list item ${head}`);
    }
    const copy = [...(node as unknown[])];
    copy[index] = setIn(copy[index], rest, value);
    return copy;
  }
  const record = isRecord(node) ? node : {};
  return { ...record, [head]: setIn(record[head], rest, value) };
}

function valueAt(node: unknown, segments: readonly string[]): unknown {
  let current = node;
  for (const segment of segments) {
    current = Array.isArray(current)
      ? (current as unknown[])[Number(segment)]
      : isRecord(current)
        ? current[segment]
        : undefined;
  }
  return current;
}

function sameValue(a: PrefillValue, b: PrefillValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Accepts a proposal: sets its value (or the corrected `options.value`) in the document, creating
 * the list item it belongs to when needed, and records its provenance at the field's pointer.
 * Pure: returns a new document. Provenance entries of fields that no longer exist are dropped.
 */
export function applyProposal<T extends object>(
  document: T,
  proposal: PrefillProposal,
  options: ApplyOptions,
): Applied<T> {
  let next: unknown = document;
  let path = proposal.path;
  const item = proposal.item;
  if (item !== undefined) {
    const listSegments = segmentsOf(item.list);
    const list = valueAt(next, listSegments);
    const items = Array.isArray(list) ? (list as unknown[]) : [];
    let index = items.findIndex((entry) => stringMember(entry, 'id') === item.id);
    if (index < 0) {
      index = items.length;
      next = setIn(next, listSegments, [...items, { ...item.create }]);
    }
    path = `${item.list}/${index}${item.field}`;
  }
  const value = options.value === undefined ? proposal.value : options.value;
  next = setIn(next, segmentsOf(path), value);
  const source = proposal.source;
  const entry: ProvenanceEntry = {
    method: 'ocr',
    enteredBy:
      provenancePlainText(options.enteredBy, LISTING_LIMITS.provenanceEnteredByMax) || 'unknown',
    enteredAt: options.at,
    fileName: provenancePlainText(source.fileName, LISTING_LIMITS.fileNameMax) || 'unknown',
    page: Math.min(LISTING_LIMITS.provenancePageMax, Math.max(1, Math.round(source.page))),
    bbox: {
      x: clampCoordinate(source.bbox.x),
      y: clampCoordinate(source.bbox.y),
      width: clampCoordinate(source.bbox.width),
      height: clampCoordinate(source.bbox.height),
    },
    confidence: Math.min(1, Math.max(0, source.confidence)),
    text: provenancePlainText(source.text, LISTING_LIMITS.provenanceTextMax),
    ...(sameValue(value, proposal.value) ? {} : { edited: true }),
  };
  const withValue = setProvenance(next as Record<string, unknown>, path, entry);
  return { document: pruneProvenance(withValue) as T, path };
}

function clampCoordinate(value: number): number {
  return Math.min(LISTING_LIMITS.provenanceBoxMax, Math.max(0, Math.round(value)));
}
