import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexTokens, queryTokens } from '#shared/search/tokens';

/** What the index answers: every query token among the text's tokens. */
const found = (text: string, query: string) => {
  const index = new Set(indexTokens(text));
  return queryTokens(query).every((token) => index.has(token));
};

describe('search tokens', () => {
  it('finds Chinese substrings and English prefixes, case and width insensitive', () => {
    const title = '英国硕士申请旗舰包 UK Masters Premium · 杭州明远教育科技有限公司';
    expect(found(title, '硕士')).toBe(true);
    expect(found(title, '旗舰')).toBe(true);
    expect(found(title, '明远教育')).toBe(true);
    expect(found(title, 'mast')).toBe(true);
    expect(found(title, 'ＵＫ')).toBe(true);
    expect(found(title, 'premium masters')).toBe(true);
    expect(found(title, '博士')).toBe(false);
    expect(found(title, 'phd')).toBe(false);
  });

  it('finds every substring of a Chinese text of two or more characters', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...Array.from('英国美德日韩硕士博本科申请留学文书语言')),
          minLength: 2,
          maxLength: 20,
        }),
        fc.nat(),
        fc.nat(),
        (text, a, b) => {
          const start = a % text.length;
          const end = start + 1 + (b % (text.length - start));
          return found(text, text.slice(start, end));
        },
      ),
    );
  });

  it('has no tokens for an empty or punctuation-only query', () => {
    expect(queryTokens('')).toEqual([]);
    expect(queryTokens('  ·、。')).toEqual([]);
  });
});
