import Decimal from 'decimal.js';
import { checkUscc, normalizeUscc, usccRepairCandidates } from '../domain/uscc';
import { formatCalendarDate, parseCalendarDate } from '../domain/time';
import { compactText, hasHan, normalizeOcrText } from './normalize';
import type { OcrBox, OcrLine, OcrWord } from './types';

/*
 * Field extraction from recognised pages: which kind of paper it is, and what it says, with the
 * page, box and confidence every value was read from.
 *
 * The papers are forms: a label (名称, 营业期限, 证书编号…) and its value to the right on the
 * same line, sometimes wrapping onto the next lines of the same column; a licence has two
 * columns, which Tesseract often reads as one line ("名称 X … 注册资本 Y"). So values are cut
 * at the next label on the line and at a wide gap between words, and continuation lines are
 * found by geometry (below, same column, no new label in the label column), not by line order.
 */

// ---------------------------------------------------------------------------------------------
// Types

export const DOCUMENT_KINDS = ['business_licence', 'tutor_certificate', 'unknown'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Fields of a business licence (营业执照). */
export const LICENCE_FIELDS = [
  'name',
  'creditCode',
  'legalRepresentative',
  'registeredCapital',
  /** 注册资本 in yuan as a decimal string, when it is in 人民币 and could be parsed. */
  'registeredCapitalAmount',
  'establishedOn',
  'validFrom',
  /** `null` value: 长期 (no end). */
  'validUntil',
  'address',
] as const;
export type LicenceField = (typeof LICENCE_FIELDS)[number];

/** Fields of a tutor's qualification certificate. */
export const CERTIFICATE_FIELDS = ['holderName', 'certificateNumber', 'validUntil'] as const;
export type CertificateField = (typeof CERTIFICATE_FIELDS)[number];

export type ExtractedFieldName = LicenceField | CertificateField;

/** One value read from a paper, with where it was read. */
export interface ExtractedField {
  /** Normalised value: ISO `YYYY-MM-DD` for dates, `null` for 长期 (only `validUntil`). */
  readonly value: string | null;
  /** 0–1: character-weighted mean confidence of the words the value was read from. */
  readonly confidence: number;
  /** 1-based page number. */
  readonly page: number;
  /** Union of the boxes of the words (or parts of words) the value was read from. */
  readonly box: OcrBox;
  /** The text as read, before cleaning and repairs. */
  readonly raw: string;
  /** Set when the value differs from the reading by a checked repair (credit code, capital). */
  readonly repaired?: true;
}

export type ExtractedFields = Partial<Record<ExtractedFieldName, ExtractedField>>;

export interface Extraction {
  readonly kind: DocumentKind;
  readonly fields: ExtractedFields;
}

/** What extraction reads: recognised pages (an `OcrDocumentResult` fits). */
export interface ExtractionPage {
  /** 0-based. */
  readonly index: number;
  readonly words: readonly OcrWord[];
  readonly lines: readonly OcrLine[];
  /** Size of the page image, when known (keeps second-reading boxes on the page). */
  readonly width?: number;
  readonly height?: number;
}
export interface ExtractionInput {
  readonly pages: readonly ExtractionPage[];
}

// ---------------------------------------------------------------------------------------------
// Classification

const LICENCE_CUES: readonly (readonly [string, number])[] = [
  ['营业执照', 4],
  ['统一社会信用代码', 4],
  ['法定代表人', 2],
  ['注册资本', 2],
  ['营业期限', 2],
  ['经营范围', 2],
  ['成立日期', 1],
  ['登记机关', 1],
  ['住所', 1],
];
const CERTIFICATE_CUES: readonly (readonly [string, number])[] = [
  ['证书', 3],
  ['资格', 1],
  ['证书编号', 2],
  ['证书号码', 2],
  ['持证人', 2],
  ['发证机关', 2],
  ['发证日期', 1],
  ['有效期', 1],
  ['certificate', 2],
];
/** A kind needs at least this score (two strong cues, or one strong and a few weak ones). */
const CLASSIFY_MIN_SCORE = 4;

function score(text: string, cues: readonly (readonly [string, number])[]): number {
  return cues.reduce((sum, [cue, weight]) => sum + (text.includes(cue) ? weight : 0), 0);
}

/**
 * Which kind of paper a text is, from the labels it prints. Works on raw or normalised text
 * (both are compacted first); `unknown` when neither kind scores enough.
 */
export function classifyDocument(text: string): DocumentKind {
  const compact = compactText(text).toLowerCase();
  const licence = score(compact, LICENCE_CUES);
  const certificate = score(compact, CERTIFICATE_CUES);
  if (licence >= CLASSIFY_MIN_SCORE && licence >= certificate) {
    return 'business_licence';
  }
  if (certificate >= CLASSIFY_MIN_SCORE) {
    return 'tutor_certificate';
  }
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Layout: lines of normalised words, and labels on them

/** A normalised word of a line (see {@link extractionLines}). */
export interface Token {
  readonly text: string;
  readonly confidence: number;
  readonly box: OcrBox;
}

/** A recognised line as extraction reads it: normalised words left to right, and their text. */
export interface TextLine {
  /** 0-based page index. */
  readonly page: number;
  readonly tokens: readonly Token[];
  /** The tokens' texts concatenated. */
  readonly text: string;
  /** For each character (UTF-16 unit) of `text`: the index of its token. */
  readonly tokenOf: readonly number[];
  /** For each character: its offset within its token. */
  readonly offsetInToken: readonly number[];
  readonly box: OcrBox;
}

function union(boxes: readonly OcrBox[]): OcrBox {
  const first = boxes[0];
  if (first === undefined) {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
  let x0 = first.x;
  let y0 = first.y;
  let x1 = first.x + first.width;
  let y1 = first.y + first.height;
  for (const box of boxes) {
    x0 = Math.min(x0, box.x);
    y0 = Math.min(y0, box.y);
    x1 = Math.max(x1, box.x + box.width);
    y1 = Math.max(y1, box.y + box.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function buildLines(page: ExtractionPage): TextLine[] {
  const byLine = new Map<number, Token[]>();
  for (const word of page.words) {
    // Normalise each word alone: a word never spans two values, and a word's characters keep
    // their position in the line's text.
    const text = normalizeOcrText(word.text).replace(/\s+/g, '');
    if (text === '') {
      continue;
    }
    const tokens = byLine.get(word.line) ?? [];
    tokens.push({ text, confidence: word.confidence, box: word.box });
    byLine.set(word.line, tokens);
  }
  const lines: TextLine[] = [];
  for (const tokens of byLine.values()) {
    tokens.sort((a, b) => a.box.x - b.box.x);
    const tokenOf: number[] = [];
    const offsetInToken: number[] = [];
    tokens.forEach((token, index) => {
      for (let offset = 0; offset < token.text.length; offset += 1) {
        tokenOf.push(index);
        offsetInToken.push(offset);
      }
    });
    lines.push({
      page: page.index,
      tokens,
      text: tokens.map((token) => token.text).join(''),
      tokenOf,
      offsetInToken,
      box: union(tokens.map((token) => token.box)),
    });
  }
  return lines.sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
}

/** A field label and the spellings it is printed with. */
interface LabelSpec {
  readonly key: string;
  readonly spellings: readonly string[];
}

interface LabelHit {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly exact: boolean;
}

/**
 * Whether `candidate` is `label` with at most one character substituted, inserted or deleted.
 * Only used for labels of four or more characters: shorter ones are too easily found by
 * accident inside values.
 */
function withinOneEdit(label: string, candidate: string): boolean {
  if (candidate === label) {
    return true;
  }
  const a = Array.from(label);
  const b = Array.from(candidate);
  if (Math.abs(a.length - b.length) > 1) {
    return false;
  }
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i += 1;
      j += 1;
      continue;
    }
    edits += 1;
    if (edits > 1) {
      return false;
    }
    if (a.length > b.length) {
      i += 1;
    } else if (b.length > a.length) {
      j += 1;
    } else {
      i += 1;
      j += 1;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/**
 * Marks Tesseract scatters between spaced-out characters (名 “ 称, 类 。 型): ignored inside
 * labels, stripped from the ends of values.
 */
const JUNK = /["'`^*~_|:;,.\u3001\u3002!?<>«»\-=\\/[\]{}$#@&+…•·]/u;

function isJunk(text: string): boolean {
  return Array.from(text).every((character) => JUNK.test(character));
}

function findLabels(line: TextLine, specs: readonly LabelSpec[]): LabelHit[] {
  // Search a copy of the line without junk marks, mapping positions back.
  const kept: number[] = [];
  let text = '';
  for (let index = 0; index < line.text.length; index += 1) {
    const character = line.text.charAt(index);
    if (!JUNK.test(character)) {
      kept.push(index);
      text += character;
    }
  }
  const hits: LabelHit[] = [];
  const taken = (start: number, end: number) =>
    hits.some((hit) => start < hit.end && end > hit.start);
  const hit = (key: string, start: number, end: number, exact: boolean): LabelHit => ({
    key,
    start: kept[start] ?? 0,
    end: (kept[end - 1] ?? 0) + 1,
    exact,
  });
  // Exact spellings first, longest first, so 有效期至 wins over 有效期.
  const exact = specs
    .flatMap((spec) => spec.spellings.map((spelling) => ({ key: spec.key, spelling })))
    .sort((a, b) => b.spelling.length - a.spelling.length);
  for (const { key, spelling } of exact) {
    let from = 0;
    for (;;) {
      const start = text.toLowerCase().indexOf(spelling, from);
      if (start < 0) {
        break;
      }
      const found = hit(key, start, start + spelling.length, true);
      if (!taken(found.start, found.end)) {
        hits.push(found);
      }
      from = start + 1;
    }
  }
  // Then misreadings of long labels (法定代表和人, 营韭期限), starting where a word starts.
  for (const { key, spelling } of exact) {
    if (spelling.length < 4) {
      continue;
    }
    for (let start = 0; start < text.length; start += 1) {
      const original = kept[start] ?? 0;
      const wordStart =
        line.offsetInToken[original] === 0 || JUNK.test(line.text.charAt(original - 1));
      if (!wordStart) {
        continue;
      }
      // A character inserted inside the label first (法定代表和人), but not one appended: the
      // character after a label is the value's.
      for (const length of [spelling.length + 1, spelling.length, spelling.length - 1]) {
        const end = start + length;
        if (end > text.length) {
          continue;
        }
        const candidate = text.slice(start, end);
        if (length > spelling.length && candidate.at(-1) !== spelling.at(-1)) {
          continue;
        }
        const found = hit(key, start, end, false);
        if (taken(found.start, found.end)) {
          continue;
        }
        if (withinOneEdit(spelling, candidate)) {
          hits.push(found);
          break;
        }
      }
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------
// Values: character ranges of lines, mapped back to words

interface Span {
  readonly line: TextLine;
  readonly start: number;
  readonly end: number;
}

interface RawValue {
  readonly text: string;
  readonly spans: readonly Span[];
}

function trimSpan(span: Span): Span | null {
  let { start, end } = span;
  const text = span.line.text;
  while (start < end && JUNK.test(text.charAt(start))) {
    start += 1;
  }
  while (end > start && JUNK.test(text.charAt(end - 1))) {
    end -= 1;
  }
  // A closing bracket ends a value only when the value opened it.
  const inner = text.slice(start, end);
  if (inner.startsWith(')')) {
    start += 1;
  }
  if (inner.endsWith('(') || (inner.endsWith(')') && !inner.includes('('))) {
    end -= 1;
  }
  return end > start ? { line: span.line, start, end } : null;
}

/** The part of a token's box covering characters `from`–`to` of it (text runs left to right). */
function partOfBox(token: Token, from: number, to: number): OcrBox {
  const length = token.text.length;
  if (from <= 0 && to >= length) {
    return token.box;
  }
  const x = token.box.x + (token.box.width * from) / length;
  const width = (token.box.width * (to - from)) / length;
  return { x, y: token.box.y, width, height: token.box.height };
}

interface SpanStats {
  readonly box: OcrBox;
  readonly confidence: number;
  readonly characters: number;
}

function spanStats(span: Span): SpanStats {
  const boxes: OcrBox[] = [];
  let weighted = 0;
  let characters = 0;
  let index = span.start;
  while (index < span.end) {
    const tokenIndex = span.line.tokenOf[index] ?? 0;
    const token = span.line.tokens[tokenIndex];
    if (token === undefined) {
      break;
    }
    const from = span.line.offsetInToken[index] ?? 0;
    let to = from;
    while (index < span.end && span.line.tokenOf[index] === tokenIndex) {
      index += 1;
      to += 1;
    }
    boxes.push(partOfBox(token, from, to));
    weighted += token.confidence * (to - from);
    characters += to - from;
  }
  return {
    box: union(boxes),
    confidence: characters === 0 ? 0 : weighted / characters,
    characters,
  };
}

/** Average confidence, page and box of a value made of several spans. */
function provenance(spans: readonly Span[]): Omit<ExtractedField, 'value' | 'raw'> {
  const stats = spans.map(spanStats);
  const characters = stats.reduce((sum, stat) => sum + stat.characters, 0);
  const confidence =
    characters === 0
      ? 0
      : stats.reduce((sum, stat) => sum + stat.confidence * stat.characters, 0) / characters;
  return {
    confidence: Math.round(confidence * 1000) / 1000,
    page: (spans[0]?.line.page ?? 0) + 1,
    box: roundBox(union(stats.map((stat) => stat.box))),
  };
}

/**
 * The lines of a page as extraction reads them (words normalised, grouped by line, sorted top to
 * bottom), for readers of layouts other than the licence and certificate forms (the pre-fill's
 * tables, `prefill.ts`).
 */
export function extractionLines(page: ExtractionPage): readonly TextLine[] {
  return buildLines(page);
}

/** Confidence, 1-based page and box of characters `start`–`end` of a line's text. */
export function textOrigin(
  line: TextLine,
  start: number,
  end: number,
): Omit<ExtractedField, 'value' | 'raw'> {
  return provenance([{ line, start, end }]);
}

function roundBox(box: OcrBox): OcrBox {
  return {
    x: Math.round(box.x),
    y: Math.round(box.y),
    width: Math.round(box.width),
    height: Math.round(box.height),
  };
}

function lineHeight(line: TextLine): number {
  const heights = line.tokens.map((token) => token.box.height).sort((a, b) => a - b);
  return heights[Math.floor(heights.length / 2)] ?? line.box.height;
}

/**
 * Where a value that starts at `start` on `line` ends: at the next label on the line, or at a
 * gap between words wider than three line heights (the other column).
 */
function valueEnd(line: TextLine, start: number, labels: readonly LabelHit[]): number {
  const nextLabel = labels.find((label) => label.start >= start);
  let end = nextLabel?.start ?? line.text.length;
  const gap = 3 * lineHeight(line);
  const firstToken = line.tokenOf[start];
  if (firstToken === undefined) {
    return end;
  }
  for (let index = firstToken + 1; index < line.tokens.length; index += 1) {
    const previous = line.tokens[index - 1];
    const token = line.tokens[index];
    if (previous === undefined || token === undefined) {
      break;
    }
    if (token.box.x - (previous.box.x + previous.box.width) > gap) {
      const charStart = line.tokenOf.indexOf(index);
      if (charStart >= 0 && charStart < end) {
        end = charStart;
      }
      break;
    }
  }
  return end;
}

interface Located {
  readonly line: TextLine;
  readonly label: LabelHit;
  readonly labels: readonly LabelHit[];
  readonly lineIndex: number;
}

/** Every occurrence of a label key, in page then reading order. */
function locate(lines: readonly TextLine[], specs: readonly LabelSpec[], key: string): Located[] {
  const found: Located[] = [];
  lines.forEach((line, lineIndex) => {
    const labels = findLabels(line, specs);
    for (const label of labels) {
      if (label.key === key) {
        found.push({ line, label, labels, lineIndex });
      }
    }
  });
  // Exact spellings before misreadings.
  return found.sort((a, b) => Number(b.label.exact) - Number(a.label.exact));
}

/**
 * The value right of a label. With `continuation`, lines below in the same column are appended
 * while they are close and start no new field.
 */
function valueAfter(
  lines: readonly TextLine[],
  specs: readonly LabelSpec[],
  located: Located,
  options: { continuation: number },
): RawValue | null {
  const { line, label, labels } = located;
  const end = valueEnd(line, label.end, labels);
  const first = trimSpan({ line, start: label.end, end });
  if (first === null) {
    return null;
  }
  const spans: Span[] = [first];
  if (options.continuation > 0) {
    const valueLeft = spanStats(first).box.x;
    const labelLeft = spanStats({ line, start: label.start, end: label.end }).box.x;
    const height = lineHeight(line);
    const nextLabel = labels.find((hit) => hit.start >= end);
    const right =
      nextLabel === undefined
        ? Number.POSITIVE_INFINITY
        : spanStats({ line, start: nextLabel.start, end: nextLabel.end }).box.x - height;
    let bottom = line.box.y + line.box.height;
    const below = lines
      .filter((other) => other.page === line.page && other.box.y > line.box.y + height / 2)
      .sort((a, b) => a.box.y - b.box.y);
    for (const other of below) {
      if (spans.length > options.continuation) {
        break;
      }
      const inColumn = other.tokens
        .map((token, index) => ({ token, index }))
        .filter(({ token }) => token.box.x >= valueLeft - height && token.box.x < right);
      if (inColumn.length === 0) {
        continue;
      }
      const top = Math.min(...inColumn.map(({ token }) => token.box.y));
      if (top - bottom > 1.2 * height) {
        break;
      }
      // Text in the label column starts the next field (even when its label was misread), and
      // so does a label anywhere in the value column.
      const inLabelColumn = other.tokens.some(
        (token) =>
          token.box.x + token.box.width > labelLeft - height / 2 &&
          token.box.x < valueLeft - height / 2 &&
          !isJunk(token.text),
      );
      const otherLabels = findLabels(other, specs);
      const startsField =
        inLabelColumn ||
        otherLabels.some((hit) => {
          const x = spanStats({ line: other, start: hit.start, end: hit.end }).box.x;
          return x >= labelLeft - height && x < right;
        });
      if (startsField) {
        break;
      }
      const firstIndex = inColumn[0]?.index ?? 0;
      const lastIndex = inColumn.at(-1)?.index ?? firstIndex;
      const start = other.tokenOf.indexOf(firstIndex);
      let stop = other.tokenOf.lastIndexOf(lastIndex) + 1;
      // Stop at a wide gap inside the column too.
      stop = Math.min(stop, valueEnd(other, start, []));
      const span = trimSpan({ line: other, start, end: stop });
      if (span === null) {
        break;
      }
      spans.push(span);
      bottom = Math.max(...inColumn.map(({ token }) => token.box.y + token.box.height));
    }
  }
  return { text: spans.map((span) => span.line.text.slice(span.start, span.end)).join(''), spans };
}

function field(value: string | null, raw: RawValue, spans = raw.spans): ExtractedField {
  return { value, raw: raw.text, ...provenance(spans) };
}

/** The spans covering characters `start`–`end` of a value's text (all spans if none do). */
function subSpans(raw: RawValue, start: number, end: number): readonly Span[] {
  const spans: Span[] = [];
  let offset = 0;
  for (const span of raw.spans) {
    const length = span.end - span.start;
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + length);
    if (to > from) {
      spans.push({
        line: span.line,
        start: span.start + from - offset,
        end: span.start + to - offset,
      });
    }
    offset += length;
  }
  return spans.length > 0 ? spans : raw.spans;
}

// ---------------------------------------------------------------------------------------------
// Value parsers

/** Digits Tesseract confuses with letters, repaired only between or next to digits. */
const DIGIT_LOOKALIKES: Readonly<Record<string, string>> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  I: '1',
  l: '1',
  '|': '1',
  Z: '2',
  z: '2',
  S: '5',
  s: '5',
  B: '8',
  g: '9',
};

function repairDigits(text: string): string {
  return text.replace(
    /(?<=\d)[OoDQIl|ZzSsBg]|[OoDQIl|ZzSsBg](?=\d)/g,
    (ch) => DIGIT_LOOKALIKES[ch] ?? ch,
  );
}

interface FoundDate {
  readonly iso: string;
  readonly start: number;
  readonly end: number;
}

const ZH_DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日曰目昌晶]?/g;
const SEPARATED_DATE = /(?<!\d)(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?!\d)/g;

/**
 * Calendar dates in a text, in order: `2019年03月15日`, `2019-03-15`, `2019.3.15`, `2019/3/15`.
 * Letters that look like digits next to digits are read as digits; impossible dates are skipped.
 */
export function findDates(text: string): FoundDate[] {
  const repaired = repairDigits(text);
  const found: FoundDate[] = [];
  for (const pattern of [ZH_DATE, SEPARATED_DATE]) {
    for (const match of repaired.matchAll(pattern)) {
      const [all, year, month, day] = match;
      const start = match.index;
      if (year === undefined || month === undefined || day === undefined) {
        continue;
      }
      if (found.some((date) => start < date.end && start + all.length > date.start)) {
        continue;
      }
      const y = Number(year);
      if (y < 1900 || y > 2200) {
        continue;
      }
      try {
        const iso = formatCalendarDate(
          parseCalendarDate(`${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`),
        );
        found.push({ iso, start, end: start + all.length });
      } catch {
        // Not a day of the calendar (a misread digit): not a date.
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The first date in a text as ISO `YYYY-MM-DD`, or undefined. */
export function parseDate(text: string): string | undefined {
  return findDates(text)[0]?.iso;
}

/** 长期, 永久, 长期有效, 不约定期限, 无固定期限 (and 长其, a frequent misreading of 长期). */
const NO_END = /长期|永久|长[其朗斯]|不约定期限|无固定期限|long[- ]?term|permanent/iu;

interface TermParts {
  readonly from?: FoundDate;
  /** `iso: null` is 长期. */
  readonly until?: { readonly iso: string | null; readonly start: number; readonly end: number };
}

function termParts(text: string): TermParts {
  const dates = findDates(text);
  const first = dates[0];
  const second = dates[1];
  if (second !== undefined) {
    return { ...(first === undefined ? {} : { from: first }), until: second };
  }
  const searchFrom = first?.end ?? 0;
  const noEnd = NO_END.exec(repairDigits(text).slice(searchFrom));
  if (noEnd !== null) {
    const start = searchFrom + noEnd.index;
    return {
      ...(first === undefined ? {} : { from: first }),
      until: { iso: null, start, end: start + noEnd[0].length },
    };
  }
  return first === undefined ? {} : { from: first };
}

/**
 * A term of operation or validity: `2019年03月15日 至 长期` → from 2019-03-15, until `null`;
 * `2019-03-15 至 2039-03-14` → both dates. `until` is undefined when the text names no end.
 */
export function parseTerm(text: string): { from?: string; until?: string | null } {
  const parts = termParts(text);
  return {
    ...(parts.from === undefined ? {} : { from: parts.from.iso }),
    ...(parts.until === undefined ? {} : { until: parts.until.iso }),
  };
}

const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  壹: 1,
  一: 1,
  贰: 2,
  贳: 2,
  二: 2,
  两: 2,
  叁: 3,
  三: 3,
  肆: 4,
  四: 4,
  伍: 5,
  五: 5,
  陆: 6,
  六: 6,
  柒: 7,
  七: 7,
  捌: 8,
  八: 8,
  玖: 9,
  九: 9,
};
const CHINESE_SMALL_UNITS: Readonly<Record<string, number>> = {
  拾: 10,
  十: 10,
  佰: 100,
  百: 100,
  仟: 1000,
  千: 1000,
};
const CHINESE_BIG_UNITS: Readonly<Record<string, number>> = { 万: 10_000, 亿: 100_000_000 };

/**
 * Misreadings of financial numerals seen from Tesseract's chi_sim model, tried only when the
 * reading as is does not parse (the way credit codes are repaired).
 */
const NUMERAL_CONFUSIONS: Readonly<Record<string, string>> = {
  // 壹 贰 叁 伍 捌 拾 佰 仟 整 as Tesseract's chi_sim models misread them on licences.
  喜: '壹',
  壶: '壹',
  查: '壹',
  或: '贰',
  武: '贰',
  式: '贰',
  歪: '贰',
  参: '叁',
  叄: '叁',
  仁: '伍',
  位: '伍',
  撞: '捌',
  桶: '捌',
  拥: '捌',
  别: '捌',
  抬: '拾',
  恰: '拾',
  失: '拾',
  拙: '拾',
  给: '拾',
  介: '佰',
  伯: '佰',
  个: '佰',
  陌: '佰',
  仔: '仟',
  任: '仟',
  束: '整',
  登: '整',
  园: '圆',
};

/** An amount written in Chinese numerals (伍佰万, 贰佰伍拾万, 捌拾万), or undefined. */
function parseChineseNumerals(text: string): Decimal | undefined {
  if (text === '') {
    return undefined;
  }
  let total = new Decimal(0);
  let section = new Decimal(0);
  let digit: number | null = null;
  for (const character of text) {
    const value = CHINESE_DIGITS[character];
    if (value !== undefined) {
      digit = value;
      continue;
    }
    const small = CHINESE_SMALL_UNITS[character];
    if (small !== undefined) {
      section = section.plus(new Decimal(digit ?? 1).times(small));
      digit = null;
      continue;
    }
    const big = CHINESE_BIG_UNITS[character];
    if (big !== undefined) {
      section = section.plus(digit ?? 0);
      total = total.plus(section.times(big));
      section = new Decimal(0);
      digit = null;
      continue;
    }
    return undefined;
  }
  return total.plus(section).plus(digit ?? 0);
}

/** Currency words of a capital: only 人民币 (or none) gives a CNY amount. */
const FOREIGN_CURRENCY = /美元|港元|港币|欧元|日元|英镑|澳元|加元|USD|HKD|EUR|JPY|GBP/iu;

/**
 * 注册资本 as a CNY amount in yuan: `人民币伍佰万元整`, `伍佰万元人民币`, `500万元`,
 * `1000万元人民币`, `500.5万元`, `5,000,000元`. Undefined when it cannot be parsed or is in a
 * foreign currency.
 */
export function parseCapitalAmount(text: string): string | undefined {
  const compact = normalizeOcrText(text).replace(/[\s,]/g, '');
  if (FOREIGN_CURRENCY.test(compact)) {
    return undefined;
  }
  const body = compact
    .replace(/人民币|RMB|CNY|¥|[()]/giu, '')
    .replace(/[元圆]整?$|整$/u, '')
    .replace(/[元圆]整?$/u, '');
  const arabic = /^(\d+(?:\.\d+)?)(万|亿)?$/u.exec(body);
  if (arabic !== null) {
    const [, number = '0', unit] = arabic;
    const multiplier = unit === '亿' ? 100_000_000 : unit === '万' ? 10_000 : 1;
    return new Decimal(number).times(multiplier).toFixed();
  }
  const chinese = parseChineseNumerals(body);
  return chinese?.isPositive() === true ? chinese.toFixed() : undefined;
}

/**
 * The capital text, with misread numerals ({@link NUMERAL_CONFUSIONS}) put right when, and only
 * when, the result reads as an amount: the vocabulary of a capital is a few dozen characters, so
 * a character outside it that turns a reading into a well-formed amount is a misreading.
 */
function repairCapital(text: string): {
  text: string;
  amount: string | undefined;
  repaired: boolean;
} {
  const repairedText = Array.from(text)
    .map((character) => NUMERAL_CONFUSIONS[character] ?? character)
    .join('');
  if (repairedText !== text && !FOREIGN_CURRENCY.test(text)) {
    const repairedAmount = parseCapitalAmount(repairedText);
    if (repairedAmount !== undefined) {
      return { text: repairedText, amount: repairedAmount, repaired: true };
    }
  }
  return { text, amount: parseCapitalAmount(text), repaired: false };
}

/** A person's name: Chinese characters (and the middle dot of minority names) when it has any. */
function cleanPersonName(text: string): string {
  if (!hasHan(text)) {
    return text.trim();
  }
  return Array.from(text)
    .filter((character) => hasHan(character) || character === '·')
    .join('');
}

// ---------------------------------------------------------------------------------------------
// Credit code

interface CodeReading {
  readonly span: Span;
  /** The whole run the reading was taken from. */
  readonly run: Span;
  /** 18 characters as read (or as read minus one inserted character). */
  readonly reading: string;
  /** Whether a character was dropped to get 18. */
  readonly dropped: boolean;
}

/**
 * Readings of a credit code in the runs of code-like characters of a line (letters and digits,
 * lower case allowed: OCR reads a small x for X): an 18-character run as it is; a 19-character
 * run (a character inserted by OCR, 8E1XY → 8EI1XY) with each character dropped in turn and as
 * its two 18-character windows; longer runs (a code glued to a neighbour) as 18-character windows.
 */
function codeReadings(line: TextLine): CodeReading[] {
  const readings: CodeReading[] = [];
  for (const match of line.text.matchAll(/[0-9A-Za-z]{18,24}/g)) {
    const start = match.index;
    const run = match[0];
    const whole: Span = { line, start, end: start + run.length };
    if (run.length === 18) {
      readings.push({ span: whole, run: whole, reading: run, dropped: false });
      continue;
    }
    if (run.length === 19) {
      for (let drop = 0; drop < run.length; drop += 1) {
        readings.push({
          span: whole,
          run: whole,
          reading: run.slice(0, drop) + run.slice(drop + 1),
          dropped: true,
        });
      }
    }
    for (let offset = 0; offset + 18 <= run.length; offset += 1) {
      readings.push({
        span: { line, start: start + offset, end: start + offset + 18 },
        run: whole,
        reading: run.slice(offset, offset + 18),
        dropped: false,
      });
    }
  }
  return readings;
}

/**
 * The credit code: near its label first (same line and the two below), then anywhere. A reading
 * valid as read wins; else a reading with exactly one repair candidate (O/I/Z/S forced to
 * digits, B/8 swapped; `usccRepairCandidates`) is repaired; else the first reading is returned
 * as read, and the checks report it invalid.
 */
function extractCreditCode(lines: readonly TextLine[]): ExtractedField | undefined {
  const labelled = locate(lines, LICENCE_LABELS, 'creditCode');
  const near = new Set<TextLine>();
  for (const hit of labelled) {
    for (const line of lines.slice(hit.lineIndex, hit.lineIndex + 3)) {
      if (line.page === hit.line.page) {
        near.add(line);
      }
    }
  }
  const ordered = [...near, ...lines.filter((line) => !near.has(line))];
  const readings = ordered
    .flatMap(codeReadings)
    .map((reading) => ({ ...reading, normalized: normalizeUscc(reading.reading) }))
    // The first eight characters (registration authority, type, region) hold digits.
    .filter((reading) => /\d{4}/.test(reading.normalized.slice(0, 8)));
  const valueOf = (reading: (typeof readings)[number], value: string): ExtractedField => {
    const base = field(value, { text: reading.reading, spans: [reading.span] });
    return value !== reading.normalized || reading.dropped ? { ...base, repaired: true } : base;
  };
  const valid = readings.find((reading) => checkUscc(reading.normalized).valid);
  if (valid !== undefined) {
    return valueOf(valid, valid.normalized);
  }
  for (const reading of readings) {
    const repairs = usccRepairCandidates(reading.normalized);
    const [only] = repairs;
    if (repairs.length === 1 && only !== undefined) {
      return valueOf(reading, only);
    }
  }
  // Nothing valid: the first reading as read, with the box and text of its whole run (a second
  // reading of that box may do better; see rereadRequests).
  const first = readings.find((reading) => !reading.dropped);
  if (first === undefined) {
    return undefined;
  }
  const runText = first.run.line.text.slice(first.run.start, first.run.end);
  return field(first.normalized, { text: runText, spans: [first.run] });
}

// ---------------------------------------------------------------------------------------------
// Licence

const LICENCE_LABELS: readonly LabelSpec[] = [
  { key: 'name', spellings: ['名称', '企业名称'] },
  { key: 'creditCode', spellings: ['统一社会信用代码'] },
  { key: 'type', spellings: ['类型', '组成形式'] },
  {
    key: 'legalRepresentative',
    spellings: ['法定代表人', '执行事务合伙人', '负责人', '经营者', '投资人'],
  },
  { key: 'registeredCapital', spellings: ['注册资本', '出资额', '出资总额'] },
  { key: 'establishedOn', spellings: ['成立日期', '注册日期'] },
  { key: 'term', spellings: ['营业期限', '经营期限', '合伙期限'] },
  { key: 'address', spellings: ['住所', '主要经营场所', '经营场所', '营业场所'] },
  { key: 'scope', spellings: ['经营范围'] },
  { key: 'authority', spellings: ['登记机关'] },
  { key: 'licenceNumber', spellings: ['证照编号', '注册号'] },
];

function firstValue(
  lines: readonly TextLine[],
  specs: readonly LabelSpec[],
  key: string,
  continuation = 0,
): RawValue | undefined {
  for (const located of locate(lines, specs, key)) {
    const value = valueAfter(lines, specs, located, { continuation });
    if (value !== null) {
      return value;
    }
  }
  return undefined;
}

function linesOf(input: ExtractionInput): TextLine[] {
  return input.pages.flatMap(buildLines);
}

/** The fields of a business licence (营业执照); fields that were not found are left out. */
export function extractLicence(input: ExtractionInput): ExtractedFields {
  const lines = linesOf(input);
  const fields: ExtractedFields = {};

  const name = firstValue(lines, LICENCE_LABELS, 'name', 2);
  if (name !== undefined) {
    fields.name = field(name.text, name);
  }
  const creditCode = extractCreditCode(lines);
  if (creditCode !== undefined) {
    fields.creditCode = creditCode;
  }
  const representative = firstValue(lines, LICENCE_LABELS, 'legalRepresentative');
  if (representative !== undefined) {
    const value = cleanPersonName(representative.text);
    if (value !== '') {
      fields.legalRepresentative = field(value, representative);
    }
  }
  const capital = firstValue(lines, LICENCE_LABELS, 'registeredCapital');
  if (capital !== undefined) {
    const repaired = repairCapital(capital.text);
    fields.registeredCapital = {
      ...field(repaired.text, capital),
      ...(repaired.repaired ? { repaired: true as const } : {}),
    };
    if (repaired.amount !== undefined) {
      fields.registeredCapitalAmount = {
        ...field(repaired.amount, capital),
        ...(repaired.repaired ? { repaired: true as const } : {}),
      };
    }
  }
  const established = firstValue(lines, LICENCE_LABELS, 'establishedOn');
  const establishedOn = established === undefined ? undefined : findDates(established.text)[0];
  if (established !== undefined && establishedOn !== undefined) {
    fields.establishedOn = field(
      establishedOn.iso,
      established,
      subSpans(established, establishedOn.start, establishedOn.end),
    );
  }
  const term = firstValue(lines, LICENCE_LABELS, 'term', 1);
  if (term !== undefined) {
    const parts = termParts(term.text);
    if (parts.from !== undefined) {
      fields.validFrom = field(
        parts.from.iso,
        term,
        subSpans(term, parts.from.start, parts.from.end),
      );
    }
    if (parts.until !== undefined) {
      fields.validUntil = field(
        parts.until.iso,
        term,
        subSpans(term, parts.until.start, parts.until.end),
      );
    }
  }
  const address = firstValue(lines, LICENCE_LABELS, 'address', 3);
  if (address !== undefined) {
    fields.address = field(address.text, address);
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Tutor certificate

const CERTIFICATE_LABELS: readonly LabelSpec[] = [
  { key: 'holderName', spellings: ['姓名', '持证人', '持证人姓名'] },
  { key: 'gender', spellings: ['性别'] },
  { key: 'birthDate', spellings: ['出生日期', '出生年月'] },
  {
    key: 'certificateNumber',
    spellings: ['证书编号', '证书号码', '证书号', '证件编号', '证号', '编号'],
  },
  { key: 'validUntil', spellings: ['有效期至', '有效期限', '有效日期', '有效期', '截止日期'] },
  { key: 'issuer', spellings: ['发证机关', '发证单位', '颁发机构'] },
  { key: 'issuedOn', spellings: ['发证日期', '颁发日期'] },
  { key: 'qualification', spellings: ['资格种类', '资格类别'] },
  { key: 'subject', spellings: ['任教学科', '学科'] },
];

/** The fields of a tutor's certificate; fields that were not found are left out. */
export function extractCertificate(input: ExtractionInput): ExtractedFields {
  const lines = linesOf(input);
  const fields: ExtractedFields = {};
  const holder = firstValue(lines, CERTIFICATE_LABELS, 'holderName');
  if (holder !== undefined) {
    const value = cleanPersonName(holder.text);
    if (value !== '') {
      fields.holderName = field(value, holder);
    }
  }
  const number = firstValue(lines, CERTIFICATE_LABELS, 'certificateNumber');
  if (number !== undefined) {
    const match = /[A-Za-z0-9][A-Za-z0-9-]{3,}/.exec(number.text);
    if (match !== null) {
      const spans = subSpans(number, match.index, match.index + match[0].length);
      const read = match[0].toUpperCase();
      // A letter prefix read with a digit first (ITQ… as 1TQ…): Tesseract's commonest slip.
      const value = read.replace(/^[01](?=[A-Z]{2})/, (digit) => (digit === '0' ? 'O' : 'I'));
      fields.certificateNumber = {
        ...field(value, number, spans),
        ...(value === read ? {} : { repaired: true as const }),
      };
    }
  }
  const until = firstValue(lines, CERTIFICATE_LABELS, 'validUntil');
  if (until !== undefined) {
    const last = findDates(until.text).at(-1);
    const noEnd = NO_END.exec(until.text);
    if (last !== undefined) {
      fields.validUntil = field(last.iso, until, subSpans(until, last.start, last.end));
    } else if (noEnd !== null) {
      const spans = subSpans(until, noEnd.index, noEnd.index + noEnd[0].length);
      fields.validUntil = field(null, until, spans);
    }
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Second readings of closed-vocabulary fields

/** Characters a credit code may contain (USCC_CHARSET). */
const CODE_CHARACTERS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A field to read again from its box, as one line, with only the characters it may hold. */
export interface RereadRequest {
  readonly field: 'creditCode';
  /** 0-based page index. */
  readonly page: number;
  readonly box: OcrBox;
  /** Tesseract's character whitelist for the second reading. */
  readonly characters: string;
}

/** A second reading, as the recognizer returned it. */
export interface Reread extends RereadRequest {
  readonly text: string;
  /** 0–1. */
  readonly confidence: number;
}

/** A box grown by a character's width left and right and half a line up and down. */
function padBox(box: OcrBox, page: ExtractionPage | undefined): OcrBox {
  const padX = Math.max(8, Math.round(box.height * 1.2));
  const padY = Math.max(4, Math.round(box.height * 0.5));
  const x = Math.max(0, box.x - padX);
  const y = Math.max(0, box.y - padY);
  const right = box.x + box.width + padX;
  const bottom = box.y + box.height + padY;
  const maxRight = page?.width ?? right;
  const maxBottom = page?.height ?? bottom;
  return {
    x,
    y,
    width: Math.max(1, Math.min(right, maxRight) - x),
    height: Math.max(1, Math.min(bottom, maxBottom) - y),
  };
}

/**
 * Fields whose first reading fails their own rule, to be read again from their box as one line
 * with a character whitelist: a credit code that is invalid even after repairs. The second
 * reading gets bold codes right that the page reading garbles (91330106MA2zB5ksox3): lower-case
 * letters and look-alikes are simply not allowed. (Tried for registered capitals too: with
 * Chinese characters whitelisted the LSTM drops the character it doubts instead of choosing a
 * numeral, so capitals rely on the confusion table.)
 */
export function rereadRequests(
  extraction: Extraction,
  pages: readonly ExtractionPage[],
): RereadRequest[] {
  const requests: RereadRequest[] = [];
  const { fields } = extraction;
  const pageOf = (value: ExtractedField) => pages.find((page) => page.index === value.page - 1);
  const code = fields.creditCode;
  if (
    extraction.kind === 'business_licence' &&
    code?.value !== undefined &&
    code.value !== null &&
    !checkUscc(code.value).valid
  ) {
    requests.push({
      field: 'creditCode',
      page: code.page - 1,
      box: padBox(code.box, pageOf(code)),
      characters: CODE_CHARACTERS,
    });
  }
  return requests;
}

/** The first valid credit code in a line of text (18-character windows, one drop), if any. */
function validCodeIn(text: string): string | undefined {
  const compact = normalizeUscc(text).replace(/[^0-9A-Z]/g, '');
  for (let offset = 0; offset + 18 <= compact.length; offset += 1) {
    const window = compact.slice(offset, offset + 18);
    if (checkUscc(window).valid) {
      return window;
    }
  }
  return undefined;
}

/**
 * The extraction with second readings applied where they pass the field's rule (a valid code);
 * other second readings are ignored.
 */
export function applyRereads(extraction: Extraction, rereads: readonly Reread[]): Extraction {
  if (rereads.length === 0) {
    return extraction;
  }
  const fields: ExtractedFields = { ...extraction.fields };
  for (const reread of rereads) {
    const base = fields[reread.field];
    if (base === undefined) {
      continue;
    }
    const reading = {
      confidence: Math.round(reread.confidence * 1000) / 1000,
      page: base.page,
      box: base.box,
      raw: reread.text.trim(),
      repaired: true as const,
    };
    const code = validCodeIn(reread.text);
    if (code !== undefined) {
      fields.creditCode = { ...reading, value: code };
    }
  }
  return { kind: extraction.kind, fields };
}

// ---------------------------------------------------------------------------------------------
// Everything

/**
 * Classifies the pages' text and extracts the fields of that kind, then applies second
 * readings (see {@link rereadRequests}) when there are any.
 */
export function extractDocument(
  input: ExtractionInput & { readonly text?: string; readonly rereads?: readonly Reread[] },
): Extraction {
  const text =
    input.text ??
    input.pages.map((page) => page.lines.map((line) => line.text).join('\n')).join('\n');
  const kind = classifyDocument(text);
  let extraction: Extraction;
  switch (kind) {
    case 'business_licence':
      extraction = { kind, fields: extractLicence(input) };
      break;
    case 'tutor_certificate':
      extraction = { kind, fields: extractCertificate(input) };
      break;
    case 'unknown':
      extraction = { kind, fields: {} };
      break;
  }
  return applyRereads(extraction, input.rereads ?? []);
}
