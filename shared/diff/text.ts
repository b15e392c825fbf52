import { richTextToPlainText } from '../domain/listing/richText';
import { diffSequences, type EditRun } from './diff';

/**
 * Text diff for the revision view: what a reviewer reads as one edit should be one change.
 *
 * Text is cut into tokens with `Intl.Segmenter`: Latin words and numbers are one token each, as
 * are runs of white space and each punctuation mark. Chinese and Japanese have no spaces between
 * words and the segmenter's dictionary words (英国/硕士/申请) would turn a one-character edit
 * into a whole-word one, so runs of CJK script are split into characters (graphemes) instead:
 * 英国硕士申请 → 英国博士申请 is one character replaced.
 *
 * The tokens are aligned with Myers' diff, bounded: when more than `maxEditDistance` token
 * insertions and deletions would be needed (default {@link DEFAULT_TEXT_EDIT_DISTANCE}), the
 * texts are aligned line by line instead, and when even the lines differ that much, the result is
 * one deletion of the old text and one insertion of the new. `granularity` says which was used.
 */

/** One piece of a text diff. Concatenating `equal` and `delete` pieces gives the old text;
 * `equal` and `insert` pieces give the new one. */
export interface TextSegment {
  readonly kind: 'equal' | 'insert' | 'delete';
  readonly text: string;
}

/** The unit the alignment worked in (see the module comment). */
export type TextDiffGranularity = 'token' | 'line' | 'whole';

/** A text diff: its segments, and how fine the alignment was. */
export interface TextDiff {
  readonly segments: readonly TextSegment[];
  readonly granularity: TextDiffGranularity;
}

/** Options of {@link diffText}. */
export interface TextDiffOptions {
  /** Bound of each alignment (token, then line); see the module comment. */
  readonly maxEditDistance?: number;
}

/**
 * Default bound: 2,000 token edits is a rewrite of several pages, far beyond a revision a
 * reviewer reads word by word, while the search stays within milliseconds (O((N+M)·D) time,
 * O(D²) memory).
 */
export const DEFAULT_TEXT_EDIT_DISTANCE = 2000;

const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Scripts written without spaces between words: split into characters. Korean is written with
 * spaces, so Hangul words stay whole. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}]/u;

/**
 * Lines are segmented one at a time, and overlong lines in pieces of about this many UTF-16
 * units: V8's segmenter slows down by orders of magnitude on strings beyond about 64 K units
 * (see richText.ts). A piece ends at white space when there is some, so a cut rarely splits a
 * word; when it does, the word becomes two tokens, which only makes the diff slightly finer.
 */
const PIECE_UNITS = 8192;

/**
 * Splits text into diff tokens (see the module comment). Joining the tokens gives the text back
 * exactly; line breaks are tokens of their own.
 */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const line of text.split(/(\n)/)) {
    if (line === '\n') {
      tokens.push(line);
      continue;
    }
    for (const piece of pieces(line)) {
      for (const { segment } of wordSegmenter.segment(piece)) {
        if (CJK.test(segment)) {
          splitCjk(segment, tokens);
        } else {
          tokens.push(segment);
        }
      }
    }
  }
  return tokens;
}

function pieces(line: string): string[] {
  if (line.length <= PIECE_UNITS) {
    return line === '' ? [] : [line];
  }
  const result: string[] = [];
  let start = 0;
  while (start < line.length) {
    let end = Math.min(start + PIECE_UNITS, line.length);
    if (end < line.length) {
      const space = line.lastIndexOf(' ', end);
      if (space > start) {
        end = space;
      } else if (isHighSurrogate(line.charCodeAt(end - 1))) {
        end += 1;
      }
    }
    result.push(line.slice(start, end));
    start = end;
  }
  return result;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/** Each CJK character is a token; other characters between them stay together. */
function splitCjk(segment: string, tokens: string[]): void {
  let pending = '';
  for (const { segment: grapheme } of graphemeSegmenter.segment(segment)) {
    if (CJK.test(grapheme)) {
      if (pending !== '') {
        tokens.push(pending);
        pending = '';
      }
      tokens.push(grapheme);
    } else {
      pending += grapheme;
    }
  }
  if (pending !== '') {
    tokens.push(pending);
  }
}

/** The diff of two plain texts (see the module comment). */
export function diffText(before: string, after: string, options: TextDiffOptions = {}): TextDiff {
  const limit = options.maxEditDistance ?? DEFAULT_TEXT_EDIT_DISTANCE;
  if (before === after) {
    return {
      segments: before === '' ? [] : [{ kind: 'equal', text: before }],
      granularity: 'token',
    };
  }
  const byToken = alignUnits(tokenize(before), tokenize(after), limit);
  if (byToken !== undefined) {
    return { segments: byToken, granularity: 'token' };
  }
  const byLine = alignUnits(splitLines(before), splitLines(after), limit);
  if (byLine !== undefined) {
    return { segments: byLine, granularity: 'line' };
  }
  const segments: TextSegment[] = [];
  if (before !== '') {
    segments.push({ kind: 'delete', text: before });
  }
  if (after !== '') {
    segments.push({ kind: 'insert', text: after });
  }
  return { segments, granularity: 'whole' };
}

/**
 * The diff of the visible text of two rich-text (HTML) values, read with
 * `richTextToPlainText`: markup-only edits (bold added, a paragraph split the same way) leave
 * no `insert` or `delete` segment.
 */
export function diffRichText(
  beforeHtml: string,
  afterHtml: string,
  options: TextDiffOptions = {},
): TextDiff {
  return diffText(richTextToPlainText(beforeHtml), richTextToPlainText(afterHtml), options);
}

/** Whether a diff has any insertion or deletion. */
export function hasTextChanges(diff: TextDiff): boolean {
  return diff.segments.some((segment) => segment.kind !== 'equal');
}

/** Lines with their line breaks, so that joining them gives the text back. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+/g) ?? [];
}

function alignUnits(
  a: readonly string[],
  b: readonly string[],
  limit: number,
): TextSegment[] | undefined {
  const runs = diffSequences(a.length, b.length, (i, j) => a[i] === b[j], limit);
  if (runs === undefined) {
    return undefined;
  }
  // Within a hunk the deleted text comes before the inserted text, as readers expect.
  const segments: TextSegment[] = [];
  let deleted = '';
  let inserted = '';
  const flush = (): void => {
    if (deleted !== '') {
      appendSegment(segments, 'delete', deleted);
    }
    if (inserted !== '') {
      appendSegment(segments, 'insert', inserted);
    }
    deleted = '';
    inserted = '';
  };
  for (const run of runs) {
    const text = runText(run, a, b);
    if (run.kind === 'equal') {
      flush();
      appendSegment(segments, 'equal', text);
    } else if (run.kind === 'delete') {
      deleted += text;
    } else {
      inserted += text;
    }
  }
  flush();
  return segments;
}

function runText(run: EditRun, a: readonly string[], b: readonly string[]): string {
  const source = run.kind === 'insert' ? b : a;
  const start = run.kind === 'insert' ? run.bStart : run.aStart;
  return source.slice(start, start + run.length).join('');
}

function appendSegment(segments: TextSegment[], kind: TextSegment['kind'], text: string): void {
  const last = segments.at(-1);
  if (last?.kind === kind) {
    segments[segments.length - 1] = { kind, text: last.text + text };
  } else {
    segments.push({ kind, text });
  }
}
