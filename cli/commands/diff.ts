import { resolve } from 'node:path';
import {
  INTAKE_LABELS,
  STAGE_LABELS,
  type Intake,
  type Stage,
} from '#shared/domain/listing/document';
import { isCurrencyCode } from '#shared/domain/money/currencies';
import { formatAmount, formatMoney, isZeroMoney, parseAmount } from '#shared/domain/money/money';
import type { Price, PriceBoundChange } from '#shared/domain/money/price';
import { diffCompact } from '#shared/diff/compact';
import { diffJson } from '#shared/diff/diff';
import {
  diffListings,
  listingArrayKey,
  looksLikeListing,
  summarizeDiff,
  type Change,
  type ListingDiff,
  type PriceFieldChange,
} from '#shared/diff/listingDiff';
import { applyPatch, getValueAt, type JsonValue, type Operation } from '#shared/diff/patch';
import { parsePointer } from '#shared/diff/pointer';
import type { TextSegment } from '#shared/diff/text';
import type { Locale } from '#shared/i18n/localized';
import { EXIT, type CliIo } from '../io';
import { readJsonFile } from '../readJson';
import { LISTING_FILE_MAX_BYTES } from './validate';

/** How the two documents are compared. */
export type DiffMode = 'auto' | 'listing' | 'generic';

/** Options of {@link runDiffCommand}, from the command line. */
export interface DiffCommandOptions {
  /** Print the RFC 6902 patch (JSON) instead of the change list. */
  readonly patch: boolean;
  /**
   * Print the compact patch (shared/diff/compact.ts: a tree shaped like the document, no old
   * values, smaller than the RFC 6902 patch and than jsondiffpatch's delta) instead.
   */
  readonly compact: boolean;
  /** Print `{ changes, patch, summary }` for machines. */
  readonly json: boolean;
  /** `auto`: the listing diff when both documents look like listings, else the generic one. */
  readonly mode: DiffMode;
  /** Day whose exchange rates convert prices to CNY (YYYY-MM-DD). */
  readonly today: string;
  readonly locale: Locale;
}

/** One change of the generic diff: an operation of the patch with the values it touches. */
export interface GenericChange {
  readonly kind: 'added' | 'removed' | 'replaced' | 'moved' | 'copied' | 'tested';
  readonly path: readonly string[];
  readonly pointer: string;
  readonly from?: string;
  readonly before?: JsonValue;
  readonly after?: JsonValue;
}

/**
 * `review-desk diff BEFORE.json AFTER.json`: prints what changed, one line per change. Like
 * diff(1) it exits 0 when the documents are equal and 1 when they differ; a file that cannot be
 * read as JSON is one line on stderr and exit 2.
 */
export async function runDiffCommand(
  beforeFile: string,
  afterFile: string,
  options: DiffCommandOptions,
  io: CliIo,
): Promise<number> {
  const before = await readDocument(io, beforeFile);
  const after = await readDocument(io, afterFile);
  const asListing =
    options.mode === 'listing' ||
    (options.mode === 'auto' && looksLikeListing(before) && looksLikeListing(after));
  if (asListing) {
    const diff = diffListings(before, after, { onDate: options.today });
    if (options.compact) {
      const compact = diffCompact(before, after, { arrayKey: listingArrayKey });
      io.stdout(`${JSON.stringify(compact, null, 2)}\n`);
    } else if (options.patch) {
      io.stdout(`${JSON.stringify(diff.patch, null, 2)}\n`);
    } else if (options.json) {
      const output = { changes: diff.changes, patch: diff.patch, summary: summarizeDiff(diff) };
      io.stdout(`${JSON.stringify(output, null, 2)}\n`);
    } else {
      io.stdout(formatListingDiff(diff, options.locale));
    }
    return diff.patch.length === 0 ? EXIT.ok : EXIT.findings;
  }
  const patch = diffJson(before, after);
  if (options.compact) {
    io.stdout(`${JSON.stringify(diffCompact(before, after), null, 2)}\n`);
  } else if (options.patch) {
    io.stdout(`${JSON.stringify(patch, null, 2)}\n`);
  } else {
    // The change list names every changed leaf, even where the patch replaces a container whole.
    const changes = genericChanges(before, diffJson(before, after, { minimize: false }));
    if (options.json) {
      const byKind: Partial<Record<GenericChange['kind'], number>> = {};
      for (const change of changes) {
        byKind[change.kind] = (byKind[change.kind] ?? 0) + 1;
      }
      const output = { changes, patch, summary: { total: changes.length, byKind } };
      io.stdout(`${JSON.stringify(output, null, 2)}\n`);
    } else {
      io.stdout(formatGenericDiff(changes, options.locale));
    }
  }
  return patch.length === 0 ? EXIT.ok : EXIT.findings;
}

async function readDocument(io: CliIo, file: string): Promise<JsonValue> {
  // JSON.parse returns nothing but JSON values.
  return (await readJsonFile(resolve(io.cwd, file), file, {
    maxBytes: LISTING_FILE_MAX_BYTES,
    noun: 'a document to compare',
  })) as JsonValue;
}

// ---------------------------------------------------------------------------------------------
// Generic documents

/** Annotates each operation with the value it replaced or removed, by replaying the patch. */
function genericChanges(document: JsonValue, patch: readonly Operation[]): GenericChange[] {
  let current = document;
  return patch.map((operation) => {
    const path = parsePointer(operation.path);
    const previous = getValueAt(current, operation.path);
    current = applyPatch(current, [operation]);
    const change = { path, pointer: operation.path };
    switch (operation.op) {
      case 'add':
        return { ...change, kind: 'added', after: operation.value };
      case 'remove':
        return previous === undefined
          ? { ...change, kind: 'removed' }
          : { ...change, kind: 'removed', before: previous };
      case 'replace':
        return previous === undefined
          ? { ...change, kind: 'replaced', after: operation.value }
          : { ...change, kind: 'replaced', before: previous, after: operation.value };
      case 'move':
        return { ...change, kind: 'moved', from: operation.from };
      case 'copy':
        return { ...change, kind: 'copied', from: operation.from };
      case 'test':
        return { ...change, kind: 'tested', after: operation.value };
    }
  });
}

const WORDS = {
  'zh-CN': {
    same: '两个文档相同',
    movedFrom: (from: string) => `移自 ${from}`,
    copiedFrom: (from: string) => `复制自 ${from}`,
    position: (from: number, to: number) => `从第 ${from + 1} 位移到第 ${to + 1} 位`,
    formattingOnly: '仅格式变化',
    lineDiff: '按行比较',
    wholeDiff: '整体替换',
    reordered: '顺序调整',
    inCny: '折合人民币',
    min: '最低',
    max: '最高',
    noPercent: '无百分比',
    cnyUnavailable: '无法折算人民币',
    replacedFile: '文件已替换',
    ocr: 'OCR',
    none: '（空）',
  },
  en: {
    same: 'the documents are the same',
    movedFrom: (from: string) => `moved from ${from}`,
    copiedFrom: (from: string) => `copied from ${from}`,
    position: (from: number, to: number) => `position ${from + 1} → ${to + 1}`,
    formattingOnly: 'formatting only',
    lineDiff: 'by line',
    wholeDiff: 'replaced whole',
    reordered: 'order changed',
    inCny: 'in CNY',
    min: 'min',
    max: 'max',
    noPercent: 'no percentage',
    cnyUnavailable: 'no CNY conversion',
    replacedFile: 'file replaced',
    ocr: 'OCR',
    none: '(empty)',
  },
} as const;

type Words = (typeof WORDS)[Locale];

/** Values on one line: JSON, shortened in the middle when long. */
function showValue(value: JsonValue | undefined, max = 80): string {
  if (value === undefined) {
    return '';
  }
  const text = JSON.stringify(value);
  return text.length <= max ? text : `${text.slice(0, max - 12)}…${text.slice(-10)}`;
}

interface Line {
  readonly mark: string;
  readonly pointer: string;
  readonly label?: string;
  readonly detail: string;
}

function renderLines(lines: readonly Line[], words: Words): string {
  if (lines.length === 0) {
    return `✓ ${words.same}\n`;
  }
  const width = Math.max(...lines.map((line) => (line.pointer || '/').length));
  return lines
    .map((line) => {
      const pointer = (line.pointer || '/').padEnd(width);
      const text = line.label === undefined ? line.detail : `${line.label}: ${line.detail}`;
      return `${line.mark} ${pointer}  ${text}`.trimEnd();
    })
    .join('\n')
    .concat('\n');
}

function formatGenericDiff(changes: readonly GenericChange[], locale: Locale): string {
  const words = WORDS[locale];
  const lines = changes.map((change): Line => {
    switch (change.kind) {
      case 'added':
        return { mark: '+', pointer: change.pointer, detail: showValue(change.after) };
      case 'removed':
        return { mark: '-', pointer: change.pointer, detail: showValue(change.before) };
      case 'replaced':
        return {
          mark: '~',
          pointer: change.pointer,
          detail: `${showValue(change.before)} → ${showValue(change.after)}`,
        };
      case 'moved':
        return { mark: '→', pointer: change.pointer, detail: words.movedFrom(change.from ?? '') };
      case 'copied':
        return { mark: '+', pointer: change.pointer, detail: words.copiedFrom(change.from ?? '') };
      case 'tested':
        return { mark: '=', pointer: change.pointer, detail: showValue(change.after) };
    }
  });
  return renderLines(lines, words);
}

// ---------------------------------------------------------------------------------------------
// Listings

function formatListingDiff(diff: ListingDiff, locale: Locale): string {
  const words = WORDS[locale];
  return renderLines(
    diff.changes.map((change) => listingLine(change, locale, words)),
    words,
  );
}

function named(name: string | undefined, id: string | undefined): string {
  if (name !== undefined && id !== undefined) {
    return `${name} (${id})`;
  }
  return name ?? id ?? '';
}

function shortHash(hash: string | undefined): string {
  return hash === undefined ? '' : `${hash.slice(0, 12)}…`;
}

function listingLine(change: Change, locale: Locale, words: Words): Line {
  const at = { pointer: change.pointer, label: change.label[locale] };
  switch (change.kind) {
    case 'value': {
      if (change.before === undefined) {
        return { ...at, mark: '+', detail: showValue(change.after) };
      }
      if (change.after === undefined) {
        return { ...at, mark: '-', detail: showValue(change.before) };
      }
      return {
        ...at,
        mark: '~',
        detail: `${showValue(change.before)} → ${showValue(change.after)}`,
      };
    }
    case 'text': {
      const mark = change.before === '' ? '+' : change.after === '' ? '-' : '~';
      const notes: string[] = [];
      if (change.formattingOnly) {
        notes.push(words.formattingOnly);
      }
      if (change.granularity !== 'token') {
        notes.push(change.granularity === 'line' ? words.lineDiff : words.wholeDiff);
      }
      const inline = change.formattingOnly ? '' : inlineSegments(change.segments);
      const detail = [inline, notes.length > 0 ? `(${notes.join(', ')})` : '']
        .filter((part) => part !== '')
        .join(' ');
      return { ...at, mark, detail };
    }
    case 'list-item-added':
      return { ...at, mark: '+', detail: named(change.itemName, change.id) };
    case 'list-item-removed':
      return { ...at, mark: '-', detail: named(change.itemName, change.id) };
    case 'list-item-moved':
      return {
        ...at,
        mark: '→',
        detail: `${named(change.itemName, change.id)}: ${words.position(change.from, change.to)}`,
      };
    case 'price':
      return {
        ...at,
        mark: '~',
        detail: `${showPrice(change.before, locale)} → ${showPrice(change.after, locale)} (${priceDelta(change, locale, words)})`,
      };
    case 'file-added':
      return {
        ...at,
        mark: '+',
        detail: `${named(change.fileName, change.id)} ${shortHash(change.sha256)}`.trim(),
      };
    case 'file-removed':
      return {
        ...at,
        mark: '-',
        detail: `${named(change.fileName, change.id)} ${shortHash(change.sha256)}`.trim(),
      };
    case 'file-replaced': {
      const ocr =
        change.ocr === undefined ? '' : `; ${words.ocr}: ${inlineSegments(change.ocr.segments)}`;
      return {
        ...at,
        mark: '~',
        detail:
          `${words.replacedFile} ${change.fileName ?? ''} ${shortHash(change.beforeSha256)} → ${shortHash(change.afterSha256)}${ocr}`.replace(
            /\s+/g,
            ' ',
          ),
      };
    }
    case 'tags': {
      const parts = [
        ...change.added.map((tag) => `+${tagLabel(change.path, tag, locale)}`),
        ...change.removed.map((tag) => `-${tagLabel(change.path, tag, locale)}`),
      ];
      if (change.reordered) {
        parts.push(`(${words.reordered})`);
      }
      return { ...at, mark: '~', detail: parts.join(' ') };
    }
  }
}

/** Stage and intake codes read as their labels; other tags are the text itself. */
function tagLabel(path: readonly (string | number)[], tag: string, locale: Locale): string {
  const field = path.at(-1);
  if (field === 'stages' && Object.hasOwn(STAGE_LABELS, tag)) {
    return STAGE_LABELS[tag as Stage][locale];
  }
  if (field === 'intakes' && Object.hasOwn(INTAKE_LABELS, tag)) {
    return INTAKE_LABELS[tag as Intake][locale];
  }
  return tag;
}

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Characters as a reader counts them, so shortening never splits an emoji or an accent. */
function graphemes(text: string): string[] {
  return Array.from(graphemeSegmenter.segment(text), (part) => part.segment);
}

/** Unchanged text longer than this is shortened to its ends around the edits. */
const CONTEXT = 12;

/** Segments in one line, git word-diff style: `[-deleted-]{+inserted+}`. */
function inlineSegments(segments: readonly TextSegment[]): string {
  const parts = segments.map((segment, index) => {
    const text = segment.text.replace(/\n/g, '⏎');
    if (segment.kind === 'delete') {
      return `[-${text}-]`;
    }
    if (segment.kind === 'insert') {
      return `{+${text}+}`;
    }
    const first = index === 0;
    const last = index === segments.length - 1;
    const keep = first || last ? CONTEXT : 2 * CONTEXT;
    if (text.length <= keep + 1) {
      return text;
    }
    const characters = graphemes(text);
    if (characters.length <= keep + 1) {
      return text;
    }
    if (first) {
      return `…${characters.slice(-CONTEXT).join('')}`;
    }
    if (last) {
      return `${characters.slice(0, CONTEXT).join('')}…`;
    }
    return `${characters.slice(0, CONTEXT).join('')}…${characters.slice(-CONTEXT).join('')}`;
  });
  return parts.join('');
}

function showAmount(amount: string, currency: string, locale: Locale): string {
  const parsed = parseAmount(amount);
  return parsed.ok && isCurrencyCode(currency)
    ? formatMoney({ amount: parsed.amount, currency }, locale)
    : `${currency} ${amount}`;
}

function showPrice(price: Price, locale: Locale): string {
  return price.kind === 'fixed'
    ? showAmount(price.amount, price.currency, locale)
    : `${showAmount(price.min, price.currency, locale)} – ${showAmount(price.max, price.currency, locale)}`;
}

/** `+1,000.00`, `-250.50`, `0.00`: a change always shows its direction. */
function signed(text: string): string {
  return text.startsWith('-') || /^[0.,]+$/.test(text) ? text : `+${text}`;
}

function showBound(bound: PriceBoundChange, words: Words): string {
  const percent = bound.percent === null ? words.noPercent : `${signed(bound.percent)} %`;
  return `${signed(formatAmount(bound.absolute.amount, 2))}, ${percent}`;
}

function priceDelta(change: PriceFieldChange, locale: Locale, words: Words): string {
  if (!change.change.ok) {
    return `${words.cnyUnavailable}: ${change.change.error.message[locale]}`;
  }
  const { min, max } = change.change.value;
  const prefix =
    change.before.currency === 'CNY' && change.after.currency === 'CNY' ? '' : `${words.inCny} `;
  const bothFixed = change.before.kind === 'fixed' && change.after.kind === 'fixed';
  if (bothFixed) {
    return `${prefix}${showBound(min, words)}`;
  }
  // A range shows the bounds that moved (both when neither did, e.g. only the currency changed).
  const bounds = [
    { name: words.min, bound: min },
    { name: words.max, bound: max },
  ];
  const moved = bounds.filter(({ bound }) => !isZeroMoney(bound.absolute));
  return `${prefix}${(moved.length > 0 ? moved : bounds)
    .map(({ name, bound }) => `${name} ${showBound(bound, words)}`)
    .join('; ')}`;
}
