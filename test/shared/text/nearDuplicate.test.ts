import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NEAR_DUPLICATE_OPTIONS,
  findNearDuplicates,
  findNearDuplicatesNaive,
  jaccard,
  normalizeForShingles,
  sharedPassages,
  shingleSet,
  validateNearDuplicateOptions,
  type NearDuplicateDocument,
} from '#shared/text/nearDuplicate';

/** Common CJK ideographs (一 … 龥 is too rare a mix; the first 3,000 of the block are everyday). */
const HAN = fc
  .integer({ min: 0x4e00, max: 0x4e00 + 3000 })
  .map((code) => String.fromCodePoint(code));
const LATIN = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split(''));
const LETTER = fc.oneof({ weight: 4, arbitrary: HAN }, { weight: 1, arbitrary: LATIN });

/** Everyday words of a reflection: unrelated texts drawn from it still share many words. */
const VOCABULARY = [
  '我们',
  '学习',
  '人工智能',
  '写作',
  '本章',
  '提示词',
  '模型',
  '文章',
  '心得',
  '体会',
  '今天',
  '老师',
  '作业',
  '练习',
  '结构',
  '段落',
  '观点',
  '例子',
  '读者',
  '标题',
  '修改',
  '反思',
  '工具',
  '效率',
  '发现',
  '问题',
  '方法',
  '尝试',
  '结果',
  '重要',
  '理解',
  '表达',
  '语言',
  '逻辑',
  '内容',
  '风格',
  'AI',
  'prompt',
  'ChatGPT',
  'draft',
  'outline',
  '因为',
  '所以',
  '但是',
  '而且',
  '非常',
  '觉得',
  '可以',
];
const WORD = fc.constantFrom(...VOCABULARY);

function textOf(parts: readonly string[]): string {
  return parts.join('');
}

const randomText = (length: number) =>
  fc.array(LETTER, { minLength: length, maxLength: length }).map(textOf);

/** Replace `fraction` of the characters of `text` at positions chosen by `positions`. */
function mutate(
  text: string,
  positions: readonly number[],
  replacements: readonly string[],
): string {
  const characters = Array.from(text);
  positions.forEach((position, index) => {
    characters[position % characters.length] = replacements[index] ?? 'x';
  });
  return characters.join('');
}

function documents(...texts: string[]): NearDuplicateDocument[] {
  return texts.map((text, index) => ({ id: `s${String(index).padStart(3, '0')}`, text }));
}

describe('near-duplicate detector: properties', () => {
  it('never flags two unrelated random texts of the same length', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 80, max: 1500 })
          .chain((length) => fc.tuple(randomText(length), randomText(length))),
        ([a, b]) => {
          expect(findNearDuplicates(documents(a, b))).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never flags two unrelated texts written from the same everyday vocabulary', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 60, max: 400 })
          .chain((words) =>
            fc.tuple(
              fc.array(WORD, { minLength: words, maxLength: words }).map(textOf),
              fc.array(WORD, { minLength: words, maxLength: words }).map(textOf),
            ),
          ),
        ([a, b]) => {
          const pairs = findNearDuplicates(documents(a, b));
          // Whatever is reported is exact and at the threshold; texts from a 48-word vocabulary in
          // independent order stay far below it.
          expect(pairs).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('flags a copy with 10 % of its characters changed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 1500 }).chain((length) =>
          fc.tuple(
            randomText(length),
            fc.uniqueArray(fc.integer({ min: 0, max: length - 1 }), {
              minLength: Math.floor(length / 10),
              maxLength: Math.floor(length / 10),
            }),
            fc.array(LETTER, {
              minLength: Math.floor(length / 10),
              maxLength: Math.floor(length / 10),
            }),
          ),
        ),
        ([original, positions, replacements]) => {
          const copy = mutate(original, positions, replacements);
          const pairs = findNearDuplicates(documents(original, copy));
          expect(pairs).toHaveLength(1);
          expect(pairs[0]?.similarity).toBeGreaterThanOrEqual(
            DEFAULT_NEAR_DUPLICATE_OPTIONS.threshold,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds the same pairs as the exact all-pairs comparison on cohorts with planted copies', () => {
    fc.assert(
      fc.property(
        fc.array(randomText(300), { minLength: 2, maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(), fc.double({ min: 0, max: 0.3, noNaN: true }), fc.nat()), {
          maxLength: 8,
        }),
        (originals, plants) => {
          const texts = [...originals];
          for (const [sourceIndex, fraction, seed] of plants) {
            const source = texts[sourceIndex % texts.length] ?? '';
            const count = Math.floor(source.length * fraction);
            const positions = Array.from(
              { length: count },
              (_, k) => (seed + k * 7919) % source.length,
            );
            const replacements = positions.map((p) =>
              String.fromCodePoint(0x4e00 + ((p * 31 + seed) % 3000)),
            );
            texts.push(mutate(source, positions, replacements));
          }
          const docs = documents(...texts);
          expect(findNearDuplicates(docs)).toEqual(findNearDuplicatesNaive(docs));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reports only exact similarities at or above the threshold, for any threshold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(WORD, { minLength: 30, maxLength: 80 }).map(textOf), {
          minLength: 2,
          maxLength: 12,
        }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (texts, threshold) => {
          const options = { ...DEFAULT_NEAR_DUPLICATE_OPTIONS, threshold };
          const docs = documents(...texts);
          for (const pair of findNearDuplicates(docs, options)) {
            const a = docs.find((d) => d.id === pair.a)?.text ?? '';
            const b = docs.find((d) => d.id === pair.b)?.text ?? '';
            const exact = jaccard(
              shingleSet(a, options.shingleSize),
              shingleSet(b, options.shingleSize),
            );
            expect(pair.similarity).toBe(exact);
            expect(pair.similarity).toBeGreaterThanOrEqual(threshold);
            expect(pair.a < pair.b).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('sees through re-punctuation, spacing and full-width characters', () => {
    const original =
      '通过本章学习，我理解了提示词的结构：角色、任务、约束和输出格式。ChatGPT 的回答更准确了。'.repeat(
        3,
      );
    const disguised = original
      .replaceAll('，', ' , ')
      .replaceAll('。', '\n')
      .replace('ChatGPT', 'ＣｈａｔＧＰＴ');
    expect(normalizeForShingles(disguised)).toEqual(normalizeForShingles(original));
    expect(findNearDuplicates(documents(original, disguised))).toEqual([
      { a: 's000', b: 's001', similarity: 1 },
    ]);
  });

  it('does not compare texts shorter than the minimum length', () => {
    expect(findNearDuplicates(documents('很好，学到了很多。', '很好，学到了很多。'))).toEqual([]);
  });
});

describe('near-duplicate detector: options and input', () => {
  it('accepts the defaults', () => {
    expect(validateNearDuplicateOptions(DEFAULT_NEAR_DUPLICATE_OPTIONS)).toBeNull();
  });

  it.each([
    [{ threshold: 0 }, /threshold/],
    [{ threshold: 1.5 }, /threshold/],
    [{ threshold: Number.NaN }, /threshold/],
    [{ shingleSize: 0 }, /shingle/i],
    [{ hashCount: 100, bands: 64 }, /bands/],
    [{ hashCount: 1.5 }, /hash/i],
    [{ minLength: -1 }, /length/i],
  ])('rejects %o with a message', (override, message) => {
    const options = { ...DEFAULT_NEAR_DUPLICATE_OPTIONS, ...override };
    expect(validateNearDuplicateOptions(options)).toMatch(message);
    expect(() => findNearDuplicates(documents('a'.repeat(100)), options)).toThrow(RangeError);
  });

  it('refuses a repeated id instead of comparing a submission with itself', () => {
    const text = '我'.repeat(100);
    expect(() =>
      findNearDuplicates([
        { id: 'x', text },
        { id: 'x', text },
      ]),
    ).toThrow(RangeError);
  });
});

describe('shared passages', () => {
  it('maps every passage to equal text in both inputs', () => {
    fc.assert(
      fc.property(
        randomText(400),
        fc.uniqueArray(fc.integer({ min: 0, max: 399 }), { minLength: 5, maxLength: 40 }),
        (original, positions) => {
          const copy = mutate(
            original,
            positions,
            positions.map(() => '★'),
          );
          const passages = sharedPassages(original, copy);
          expect(passages.length).toBeGreaterThan(0);
          let lastA = 0;
          let lastB = 0;
          for (const passage of passages) {
            expect(original.slice(passage.aStart, passage.aEnd)).toBe(
              copy.slice(passage.bStart, passage.bEnd),
            );
            expect(
              normalizeForShingles(original.slice(passage.aStart, passage.aEnd)).length,
            ).toBeGreaterThanOrEqual(12);
            expect(passage.aStart).toBeGreaterThanOrEqual(lastA);
            expect(passage.bStart).toBeGreaterThanOrEqual(lastB);
            lastA = passage.aEnd;
            lastB = passage.bEnd;
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('finds nothing shared between unrelated texts', () => {
    expect(
      sharedPassages('今天学习了提示词的写法和结构安排', 'The outline came first, then drafts'),
    ).toEqual([]);
  });
});
