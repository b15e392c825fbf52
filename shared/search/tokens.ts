/**
 * Search tokens for the workstation's queue index (a multi-entry IndexedDB index), so that
 * searching 50,000 cached items is index look-ups, not scans. Chinese has no spaces: CJK runs
 * are indexed as single characters and character pairs (bigrams); Latin words are indexed with
 * their prefixes, for search as you type. The same function tokenises the query.
 */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const MIN_PREFIX = 2;
const MAX_PREFIX = 16;

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Runs of CJK characters and of letters/digits, in order. */
function runs(text: string): { readonly cjk: boolean; readonly text: string }[] {
  const out: { cjk: boolean; text: string }[] = [];
  let previous: boolean | null = null;
  for (const char of normalize(text)) {
    const cjk = CJK.test(char);
    const word = !cjk && /[\p{L}\p{N}]/u.test(char);
    if (!cjk && !word) {
      previous = null;
      continue;
    }
    const last = out.at(-1);
    if (previous === cjk && last !== undefined) {
      last.text += char;
    } else {
      out.push({ cjk, text: char });
    }
    previous = cjk;
  }
  return out;
}

/** Every token under which a text is found: CJK characters and bigrams, word prefixes. */
export function indexTokens(text: string): string[] {
  const tokens = new Set<string>();
  for (const run of runs(text)) {
    // Code points on purpose: search tokens are single CJK characters, never emoji clusters.
    const chars = Array.from(run.text);
    if (run.cjk) {
      chars.forEach((char, index) => {
        tokens.add(char);
        const next = chars[index + 1];
        if (next !== undefined) {
          tokens.add(char + next);
        }
      });
    } else {
      for (
        let length = Math.min(MIN_PREFIX, chars.length);
        length <= Math.min(MAX_PREFIX, chars.length);
        length += 1
      ) {
        tokens.add(chars.slice(0, length).join(''));
      }
    }
  }
  return [...tokens];
}

/**
 * The tokens a query must all match: CJK bigrams (a single character alone), Latin words as
 * prefixes (cut to the longest prefix indexed). An empty list means "no text filter".
 */
export function queryTokens(query: string): string[] {
  const tokens = new Set<string>();
  for (const run of runs(query)) {
    // Code points on purpose: search tokens are single CJK characters, never emoji clusters.
    const chars = Array.from(run.text);
    if (run.cjk) {
      if (chars.length === 1) {
        tokens.add(chars[0] ?? '');
      }
      for (let index = 0; index + 1 < chars.length; index += 1) {
        tokens.add((chars[index] ?? '') + (chars[index + 1] ?? ''));
      }
    } else if (chars.length >= 1) {
      tokens.add(chars.slice(0, MAX_PREFIX).join(''));
    }
  }
  return [...tokens].filter((token) => token !== '');
}
