/**
 * Benchmark of the on-device near-duplicate detector (`shared/text/nearDuplicate`): MinHash + LSH
 * against the exact all-pairs comparison (`findNearDuplicatesNaive`) over the same cohort in the
 * same run, printed as a ratio (never asserted by tests).
 *
 * The cohort: `submissions` texts of about `length` characters spread over 8 chapters, written
 * from a shared vocabulary of course words and common characters (so unrelated texts share many
 * shingles, as real reflections do), with planted copies (a submission copied with 3–15 % of its
 * characters changed). Both detectors run chapter by chapter, as the grading page does; both must
 * report the same pairs, and every planted copy must be among them.
 *
 *   npx tsx scripts/benchNearDuplicates.ts [--submissions 2000] [--length 1500]
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../server/src/demo/content';
import {
  findNearDuplicates,
  findNearDuplicatesNaive,
  type NearDuplicateDocument,
  type NearDuplicatePair,
} from '../shared/text/nearDuplicate';

const CHAPTERS = 8;

const WORDS = [
  '人工智能',
  '写作',
  '提示词',
  '模型',
  '文章',
  '结构',
  '段落',
  '观点',
  '读者',
  '标题',
  '修改',
  '反思',
  '本章',
  '我们',
  '学习',
  '练习',
  '心得',
  '体会',
  '因为',
  '所以',
  '但是',
  '觉得',
  '可以',
  '非常',
  'AI',
  'ChatGPT',
  'prompt',
  'draft',
  'outline',
  '。',
  '，',
  '、',
  '：',
];

function reflection(next: () => number, length: number): string {
  let text = '';
  while (text.length < length) {
    // Mostly vocabulary words, some free characters: 3,000 common ideographs.
    text +=
      next() < 0.6
        ? (WORDS[Math.floor(next() * WORDS.length)] ?? '')
        : String.fromCodePoint(0x4e00 + Math.floor(next() * 3000));
  }
  return text.slice(0, length);
}

function withChanges(next: () => number, text: string, fraction: number): string {
  const characters = Array.from(text);
  const changes = Math.floor(characters.length * fraction);
  for (let k = 0; k < changes; k += 1) {
    characters[Math.floor(next() * characters.length)] = String.fromCodePoint(
      0x4e00 + Math.floor(next() * 3000),
    );
  }
  return characters.join('');
}

export interface NearDuplicateCohort {
  readonly chapters: NearDuplicateDocument[][];
  readonly planted: readonly (readonly [string, string])[];
}

export function generateCohort(
  submissions: number,
  length: number,
  seed = 20261206,
): NearDuplicateCohort {
  const next = mulberry32(seed);
  const chapters: NearDuplicateDocument[][] = Array.from({ length: CHAPTERS }, () => []);
  const planted: [string, string][] = [];
  for (let index = 0; index < submissions; index += 1) {
    const chapter = chapters[index % CHAPTERS] ?? [];
    const id = `sub-${String(index).padStart(5, '0')}`;
    const source =
      chapter.length > 0 && next() < 0.01
        ? chapter[Math.floor(next() * chapter.length)]
        : undefined;
    if (source === undefined) {
      chapter.push({ id, text: reflection(next, length) });
    } else {
      chapter.push({ id, text: withChanges(next, source.text, 0.03 + next() * 0.12) });
      planted.push([source.id, id]);
    }
  }
  return { chapters, planted };
}

export interface NearDuplicateBenchmarkResult {
  readonly oursMs: number;
  readonly naiveMs: number;
  readonly pairs: number;
  readonly planted: number;
  readonly verified: boolean;
}

function timeChapters(
  chapters: readonly NearDuplicateDocument[][],
  detect: (documents: readonly NearDuplicateDocument[]) => NearDuplicatePair[],
): { ms: number; pairs: NearDuplicatePair[] } {
  const started = performance.now();
  const pairs = chapters.flatMap((chapter) => detect(chapter));
  return { ms: performance.now() - started, pairs };
}

export function runNearDuplicateBenchmarks(
  options: { submissions?: number; length?: number } = {},
): NearDuplicateBenchmarkResult {
  const submissions = options.submissions ?? 2000;
  const length = options.length ?? 1500;
  const cohort = generateCohort(submissions, length);
  // Warm-up on one chapter so neither side pays for the JIT.
  const first = cohort.chapters[0] ?? [];
  findNearDuplicates(first);
  findNearDuplicatesNaive(first);

  const ours = timeChapters(cohort.chapters, (documents) => findNearDuplicates(documents));
  const naive = timeChapters(cohort.chapters, (documents) => findNearDuplicatesNaive(documents));
  const key = (pair: NearDuplicatePair) => `${pair.a}|${pair.b}`;
  const found = new Set(ours.pairs.map(key));
  const sameAsNaive =
    ours.pairs.length === naive.pairs.length && naive.pairs.every((pair) => found.has(key(pair)));
  const allPlanted = cohort.planted.every(([a, b]) => found.has(a < b ? `${a}|${b}` : `${b}|${a}`));

  console.log(
    `near-duplicates, ${submissions.toLocaleString('en-US')} submissions × ${length.toLocaleString('en-US')} chars, ${CHAPTERS} chapters`,
  );
  console.log(`  MinHash + LSH (ours)     ${(ours.ms / 1000).toFixed(2)} s`);
  console.log(`  exact all pairs (naive)  ${(naive.ms / 1000).toFixed(2)} s`);
  console.log(`  ratio ours / naive       ${(ours.ms / naive.ms).toFixed(2)}×`);
  console.log(
    `  pairs flagged            ${ours.pairs.length} (naive ${naive.pairs.length}; planted ${cohort.planted.length}, ` +
      `${allPlanted ? 'all found' : 'SOME MISSED'}; ${sameAsNaive ? 'same as naive' : 'DIFFERENT FROM NAIVE'})`,
  );
  return {
    oursMs: ours.ms,
    naiveMs: naive.ms,
    pairs: ours.pairs.length,
    planted: cohort.planted.length,
    verified: sameAsNaive && allPlanted,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      submissions: { type: 'string', default: '2000' },
      length: { type: 'string', default: '1500' },
    },
  });
  const result = runNearDuplicateBenchmarks({
    submissions: Number(values.submissions),
    length: Number(values.length),
  });
  if (!result.verified) {
    process.exitCode = 1;
  }
}
