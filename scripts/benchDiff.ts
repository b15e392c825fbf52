/**
 * Benchmark of the structured diff (`shared/diff`): our compact patch (`diffCompact`) against
 * jsondiffpatch's delta on the same pairs of documents in the same run, printed as ratios (never
 * asserted by tests). Both are tree-shaped deltas meant for storing and sending revisions; our
 * RFC 6902 patch (`diffJson`, what `review-desk diff --patch` prints) is measured too and printed
 * after the table, since its operations repeat whole paths and cannot be as small.
 *
 * Each pair is a generated document of about 1,000 leaf fields (nested objects, a keyed list of
 * items with nested prices and tags, long texts) and a variant of it: scalar edits, reordered
 * keyed items, inserted or removed items, long-text edits, renamed keys, a mix, and no change.
 * For each pair: time per diff (median of repeated runs, after a warm-up) and patch size (UTF-8
 * bytes of `JSON.stringify`), for both libraries. Both of our patches are verified by applying them.
 *
 * jsondiffpatch runs as `create({ objectHash: (o) => o.id ?? JSON.stringify(o) })` from its main
 * entry, which (like JSON Patch) replaces changed strings whole rather than diffing their text;
 * its deltas carry the old value of a replaced field too, which JSON Patch does not.
 *
 *   npx tsx scripts/benchDiff.ts [--fields 1000] [--repeats 51]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as jsondiffpatch from 'jsondiffpatch';
import { mulberry32 as random } from '../server/src/demo/content';
import { applyCompactPatch, diffCompact } from '../shared/diff/compact';
import { diffJson } from '../shared/diff/diff';
import { applyPatch, deepEqual, type JsonObject, type JsonValue } from '../shared/diff/patch';

const WORDS = [
  'review',
  'listing',
  'mentor',
  'package',
  'offer',
  'school',
  '申请',
  '硕士',
  '导师',
  '文书',
  'essay',
  'interview',
  'deadline',
  'visa',
];

function sentence(next: () => number, words: number): string {
  return Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
}

/** Number of leaves (scalars, empty containers) of a JSON value. */
export function countLeaves(value: JsonValue): number {
  if (Array.isArray(value)) {
    return value.length === 0 ? 1 : value.reduce<number>((sum, item) => sum + countLeaves(item), 0);
  }
  if (typeof value === 'object' && value !== null) {
    const members = Object.values(value);
    return members.length === 0
      ? 1
      : members.reduce<number>((sum, member) => sum + countLeaves(member), 0);
  }
  return 1;
}

function item(next: () => number, index: number): JsonObject {
  return {
    id: `item_${index}`,
    name: `Item ${index} ${sentence(next, 2)}`,
    price: {
      currency: next() < 0.7 ? 'CNY' : 'GBP',
      amount: String(1000 + Math.floor(next() * 9000)),
    },
    tags: [sentence(next, 1), sentence(next, 1), sentence(next, 1)],
    sessions: 1 + Math.floor(next() * 20),
    active: next() < 0.8,
    note: sentence(next, 6),
  };
}

/** Leaves per generated item (see `item`). */
const ITEM_LEAVES = 10;

/**
 * A document of about `fields` leaves: a tenth in nested settings, a fortieth in long texts, the
 * rest in a keyed list of items.
 */
export function buildDocument(fields: number, seed = 1): JsonObject {
  const next = random(seed);
  const sectionLeaves = Math.max(1, Math.round(fields / 10));
  const sections: JsonObject = {};
  for (let i = 0; i < sectionLeaves; i += 1) {
    const section = `section_${Math.floor(i / 10)}`;
    const group = (sections[section] ??= {}) as JsonObject;
    group[`field_${i % 10}`] =
      i % 3 === 0 ? next() < 0.5 : i % 3 === 1 ? Math.floor(next() * 1000) : sentence(next, 3);
  }
  const texts = Array.from({ length: Math.max(1, Math.round(fields / 40)) }, () =>
    sentence(next, 60),
  );
  const itemCount = Math.max(
    1,
    Math.round((fields - sectionLeaves - texts.length - 2) / ITEM_LEAVES),
  );
  return {
    title: sentence(next, 4),
    version: 1,
    sections,
    texts,
    items: Array.from({ length: itemCount }, (_, index) => item(next, index)),
  };
}

/** The changed half of a pair: a copy of the document with one kind of change. */
export interface DocumentPair {
  readonly name: string;
  readonly before: JsonObject;
  readonly after: JsonObject;
}

function shuffle<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function itemsOf(document: JsonObject): JsonObject[] {
  return document['items'] as JsonObject[];
}

function editScalars(document: JsonObject, share: number, next: () => number): void {
  for (const entry of itemsOf(document)) {
    if (next() < share * 4) {
      entry['sessions'] = (entry['sessions'] as number) + 1;
    }
    if (next() < share * 4) {
      (entry['price'] as JsonObject)['amount'] = String(Math.floor(next() * 9000) + 1000);
    }
  }
  for (const group of Object.values(document['sections'] as JsonObject) as JsonObject[]) {
    for (const key of Object.keys(group)) {
      if (next() < share * 2) {
        group[key] = `edited ${key}`;
      }
    }
  }
}

function editTexts(document: JsonObject, next: () => number): void {
  const texts = document['texts'] as string[];
  document['texts'] = texts.map((text) => {
    const words = text.split(' ');
    words[Math.floor(next() * words.length)] = 'EDITED';
    return words.join(' ');
  });
}

/** The ten pairs the benchmark times, built from one document of about `fields` leaves. */
export function buildPairs(fields: number): DocumentPair[] {
  const before = buildDocument(fields, 7);
  const variant = (name: string, change: (after: JsonObject, next: () => number) => void) => {
    const after = structuredClone(before);
    change(after, random(name.length * 977));
    return { name, before, after };
  };
  return [
    variant('no change', () => undefined),
    variant('1% scalar edits', (after, next) => {
      editScalars(after, 0.01, next);
    }),
    variant('10% scalar edits', (after, next) => {
      editScalars(after, 0.1, next);
    }),
    variant('keyed list shuffled', (after, next) => {
      shuffle(itemsOf(after), next);
    }),
    variant('3 keyed items moved', (after, next) => {
      const list = itemsOf(after);
      for (let i = 0; i < 3; i += 1) {
        list.splice(
          Math.floor(next() * list.length),
          0,
          ...list.splice(Math.floor(next() * list.length), 1),
        );
      }
    }),
    variant('5 items inserted', (after, next) => {
      const list = itemsOf(after);
      for (let i = 0; i < 5; i += 1) {
        list.splice(Math.floor(next() * (list.length + 1)), 0, item(next, 10_000 + i));
      }
    }),
    variant('5 items removed', (after, next) => {
      const list = itemsOf(after);
      for (let i = 0; i < 5 && list.length > 0; i += 1) {
        list.splice(Math.floor(next() * list.length), 1);
      }
    }),
    variant('long texts edited', (after, next) => {
      editTexts(after, next);
    }),
    variant('keys added and removed', (after) => {
      for (const [name, group] of Object.entries(after['sections'] as JsonObject)) {
        const fields = group as JsonObject;
        delete fields['field_0'];
        fields[`new_${name}`] = name;
      }
    }),
    variant('mixed', (after, next) => {
      const list = itemsOf(after);
      shuffle(list, next).splice(0, 2);
      list.splice(3, 0, item(next, 20_000));
      editScalars(after, 0.02, next);
      editTexts(after, next);
    }),
  ];
}

/** Measurements of one pair. */
export interface DiffBenchResult {
  readonly name: string;
  readonly leaves: number;
  readonly oursMs: number;
  readonly theirsMs: number;
  /** Our compact patch. */
  readonly oursBytes: number;
  readonly theirsBytes: number;
  /** Operations of our RFC 6902 patch. */
  readonly oursOperations: number;
  /** Our RFC 6902 patch (`diffJson`): time per diff and size. */
  readonly rfc6902Ms: number;
  readonly rfc6902Bytes: number;
  /** Both of our patches applied to `before` give `after`. */
  readonly verified: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function timeMedian(repeats: number, body: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i += 1) {
    const started = performance.now();
    body();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

function bytes(value: unknown): number {
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

/** Options of {@link runDiffBenchmarks}. */
export interface DiffBenchOptions {
  /** Leaves per document (default 1,000). */
  readonly fields?: number;
  /** Timed runs per library and pair (default 51); the median is reported. */
  readonly repeats?: number;
  readonly log?: (line: string) => void;
}

/** `ours/theirs`; `—` when jsondiffpatch has nothing to compare with (no change: no delta). */
const ratio = (ours: number, theirs: number): string =>
  theirs === 0 ? '—' : `${(ours / theirs).toFixed(2)}×`;

/** Runs the benchmark, prints a table, and returns the measurements. */
export function runDiffBenchmarks(options: DiffBenchOptions = {}): DiffBenchResult[] {
  const fields = options.fields ?? 1000;
  const repeats = options.repeats ?? 51;
  const log =
    options.log ??
    ((line: string) => {
      console.log(line);
    });
  const theirs = jsondiffpatch.create({
    objectHash: (o: object) => {
      const id = (o as { id?: unknown }).id;
      return typeof id === 'string' ? id : JSON.stringify(o);
    },
  });
  const pairs = buildPairs(fields);
  log(
    `\nstructured diff: diffCompact vs jsondiffpatch ${jsondiffpatchVersion()}, ~${fields.toLocaleString('en-US')}-field documents, median of ${repeats} runs`,
  );
  log(
    `${'pair'.padEnd(24)}${'ours ms'.padStart(9)}${'theirs ms'.padStart(11)}${'time'.padStart(8)}` +
      `${'ours B'.padStart(9)}${'theirs B'.padStart(10)}${'size'.padStart(8)}${'ops'.padStart(6)}  ok`,
  );
  // Warm-up: every pair through both libraries first, so that neither is timed while the JIT
  // is still compiling it and the first pair is not slower for that alone.
  for (let round = 0; round < Math.min(10, repeats); round += 1) {
    for (const pair of pairs) {
      diffCompact(pair.before, pair.after);
      diffJson(pair.before, pair.after);
      theirs.diff(pair.before, pair.after);
    }
  }
  const results: DiffBenchResult[] = [];
  for (const pair of pairs) {
    const ours = diffCompact(pair.before, pair.after);
    const patch = diffJson(pair.before, pair.after);
    const delta: unknown = theirs.diff(pair.before, pair.after);
    const verified =
      deepEqual(applyCompactPatch(pair.before, ours), pair.after) &&
      deepEqual(applyPatch(pair.before, patch), pair.after);
    const result: DiffBenchResult = {
      name: pair.name,
      leaves: countLeaves(pair.before),
      oursMs: timeMedian(repeats, () => diffCompact(pair.before, pair.after)),
      theirsMs: timeMedian(repeats, () => theirs.diff(pair.before, pair.after)),
      oursBytes: bytes(ours),
      theirsBytes: bytes(delta),
      oursOperations: patch.length,
      rfc6902Ms: timeMedian(repeats, () => diffJson(pair.before, pair.after)),
      rfc6902Bytes: bytes(patch),
      verified,
    };
    results.push(result);
    log(
      `${pair.name.padEnd(24)}${result.oursMs.toFixed(3).padStart(9)}${result.theirsMs.toFixed(3).padStart(11)}` +
        `${ratio(result.oursMs, result.theirsMs).padStart(8)}${String(result.oursBytes).padStart(9)}` +
        `${String(result.theirsBytes).padStart(10)}${ratio(result.oursBytes, result.theirsBytes).padStart(8)}` +
        `${String(result.oursOperations).padStart(6)}  ${verified ? '✓' : '✗ apply(diff) differs'}`,
    );
  }
  const changed = results.filter((result) => result.theirsBytes > 0);
  const geometric = (values: number[]) =>
    Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / Math.max(values.length, 1));
  log(
    `geometric mean (ours/theirs): time ${geometric(results.map((r) => r.oursMs / Math.max(r.theirsMs, 1e-6))).toFixed(2)}×, ` +
      `size ${geometric(changed.map((r) => Math.max(r.oursBytes, 1) / r.theirsBytes)).toFixed(2)}× (pairs with changes)`,
  );
  log(
    `RFC 6902 patch (diffJson): time ${geometric(results.map((r) => r.rfc6902Ms / Math.max(r.theirsMs, 1e-6))).toFixed(2)}×, ` +
      `size ${geometric(changed.map((r) => Math.max(r.rfc6902Bytes, 1) / r.theirsBytes)).toFixed(2)}× ` +
      `(${changed.map((r) => `${r.name} ${ratio(r.rfc6902Bytes, r.theirsBytes)}`).join(', ')})`,
  );
  return results;
}

function jsondiffpatchVersion(): string {
  // The package does not export its package.json; read it where npm put it.
  try {
    const manifest = JSON.parse(
      readFileSync(new URL('../node_modules/jsondiffpatch/package.json', import.meta.url), 'utf8'),
    ) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : '';
  } catch {
    return '';
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      fields: { type: 'string', default: '1000' },
      repeats: { type: 'string', default: '51' },
    },
  });
  const results = runDiffBenchmarks({
    fields: Number(values.fields),
    repeats: Number(values.repeats),
  });
  if (results.some((result) => !result.verified)) {
    process.exitCode = 1;
  }
}
