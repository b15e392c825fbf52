import type { LocalizedText } from '../i18n/localized';

/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015) printed on every Chinese
 * business licence: 18 characters, the last a check character over the first 17.
 */

/** The 31 characters a code may contain, in value order (no I, O, S, V, Z: too easily misread). */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 32100-2015 weights of positions 1–17 (3^(i-1) mod 31). */
export const USCC_WEIGHTS: readonly number[] = [
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

export const USCC_LENGTH = 18;

const MODULUS = USCC_CHARSET.length;

/** Why a code is invalid, in the order the checks run. */
export type UsccInvalidReason = 'length' | 'charset' | 'checksum';

/** The first character outside the charset. */
export interface UsccCharsetDetail {
  readonly character: string;
  /** 0-based index in the normalised code. */
  readonly index: number;
  /** 1-based position, for messages ("第 5 位"). */
  readonly position: number;
}

/** Outcome of {@link checkUscc}. */
export interface UsccCheck {
  /** The text as given. */
  input: string;
  /** The text after {@link normalizeUscc}; this is the code to store when `valid`. */
  normalized: string;
  valid: boolean;
  reason: UsccInvalidReason | null;
  /** For `checksum`: the check character the first 17 characters call for. */
  expectedCheckCharacter?: string;
  /** For `charset`: the first offending character. */
  detail?: UsccCharsetDetail;
}

/** Human explanations of each reason, for the field message and the OCR panel. */
export const USCC_REASON_MESSAGES: Readonly<Record<UsccInvalidReason, LocalizedText>> = {
  length: {
    'zh-CN': '统一社会信用代码长度应为 18 位',
    en: 'The unified social credit code must be 18 characters long',
  },
  charset: {
    'zh-CN': '统一社会信用代码只能包含数字和大写字母（不含 I、O、S、V、Z）',
    en: 'The unified social credit code may only contain digits and capital letters other than I, O, S, V and Z',
  },
  checksum: {
    'zh-CN': '统一社会信用代码校验位不正确，请核对是否有输错或识别错误的字符',
    en: 'The check character of the unified social credit code does not match; look for a mistyped or misread character',
  },
};

// Hyphen-like characters people put between groups of characters; NFKC has already turned the
// full-width hyphen-minus (U+FF0D) into "-".
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u30FC]/gu;

/**
 * Brings a typed or pasted code to its canonical form: NFKC (full-width digits and letters from
 * Chinese input methods become ASCII), every whitespace character (including the ideographic
 * space U+3000) and hyphen removed, upper case.
 */
export function normalizeUscc(input: string): string {
  return input.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
}

/**
 * The check character for the first 17 characters of a code (already normalised: exactly 17
 * characters of {@link USCC_CHARSET}). Throws a `RangeError` otherwise.
 */
export function computeUsccCheckCharacter(first17: string): string {
  if (first17.length !== USCC_LENGTH - 1) {
    throw new RangeError(
      `A USCC check character needs exactly ${USCC_LENGTH - 1} characters, got ${first17.length}.`,
    );
  }
  let sum = 0;
  USCC_WEIGHTS.forEach((weight, index) => {
    const character = first17.charAt(index);
    const value = USCC_CHARSET.indexOf(character);
    // `indexOf('')` is 0: never let an empty `charAt` pass as the character "0".
    if (character === '' || value < 0) {
      throw new RangeError(
        `Character ${JSON.stringify(character)} at position ${index + 1} is not allowed in a USCC.`,
      );
    }
    sum += value * weight;
  });
  // c = 31 − (sum mod 31), and 31 itself stands for 0.
  const check = (MODULUS - (sum % MODULUS)) % MODULUS;
  return USCC_CHARSET.charAt(check);
}

/**
 * Checks a unified social credit code after normalising it. The checks run in order — length
 * (18 characters; an empty input fails here), charset, check character — and the first failure
 * is reported.
 */
export function checkUscc(input: string): UsccCheck {
  const normalized = normalizeUscc(input);
  // Count code points, not UTF-16 units, so that a stray emoji counts as one wrong character.
  const characters = Array.from(normalized);
  const result = { input, normalized };
  if (characters.length !== USCC_LENGTH) {
    return { ...result, valid: false, reason: 'length' };
  }
  const index = characters.findIndex((character) => !USCC_CHARSET.includes(character));
  if (index >= 0) {
    const character = characters[index] ?? '';
    return {
      ...result,
      valid: false,
      reason: 'charset',
      detail: { character, index, position: index + 1 },
    };
  }
  const expected = computeUsccCheckCharacter(normalized.slice(0, USCC_LENGTH - 1));
  if (normalized.charAt(USCC_LENGTH - 1) !== expected) {
    return { ...result, valid: false, reason: 'checksum', expectedCheckCharacter: expected };
  }
  return { ...result, valid: true, reason: null };
}

/** Whether `input` is a valid code once normalised. */
export function isValidUscc(input: string): boolean {
  return checkUscc(input).valid;
}

/**
 * Characters OCR confuses on business licences. O, I, Z and S are never part of a code, so where
 * they appear they must be the digit; B and 8 are both allowed, so either may be a misreading of
 * the other.
 */
const FORCED_REPAIRS: Readonly<Record<string, string>> = { O: '0', I: '1', Z: '2', S: '5' };
const AMBIGUOUS_SWAPS: Readonly<Record<string, string>> = { B: '8', '8': 'B' };

/** At most this many characters are changed in one candidate. */
export const USCC_MAX_REPAIR_SUBSTITUTIONS = 3;
/** At most this many candidates are returned. */
export const USCC_MAX_REPAIR_CANDIDATES = 8;

/**
 * Codes that an OCR reading may have been, for a normalised 18-character reading: every `O`,
 * `I`, `Z`, `S` is replaced by `0`, `1`, `2`, `5` (they cannot occur in a code), and any `B`/`8`
 * may be swapped for the other. Only codes that pass {@link checkUscc} are returned, with the
 * fewest substitutions first (the reading itself, if already valid, then left-most changes
 * first), deduplicated.
 *
 * Bounds, so that a noisy reading cannot blow up: at most {@link USCC_MAX_REPAIR_SUBSTITUTIONS}
 * characters changed (a reading needing more forced repairs gives `[]`; at most
 * C(18,0)+…+C(18,3) = 988 combinations are tried) and at most {@link USCC_MAX_REPAIR_CANDIDATES}
 * candidates returned. A reading of the wrong length, or with another character outside the
 * charset, gives `[]`. The caller should repair automatically only when exactly one candidate
 * comes back, and ask a person otherwise: a second substitution can always re-balance the check.
 */
export function usccRepairCandidates(normalized: string): string[] {
  const characters = Array.from(normalized);
  if (characters.length !== USCC_LENGTH) {
    return [];
  }
  const forced: number[] = [];
  const optional: number[] = [];
  for (const [index, character] of characters.entries()) {
    if (Object.hasOwn(FORCED_REPAIRS, character)) {
      forced.push(index);
    } else if (Object.hasOwn(AMBIGUOUS_SWAPS, character)) {
      optional.push(index);
    } else if (!USCC_CHARSET.includes(character)) {
      return [];
    }
  }
  if (forced.length > USCC_MAX_REPAIR_SUBSTITUTIONS) {
    return [];
  }
  const base = characters.map((character) => FORCED_REPAIRS[character] ?? character);
  const candidates = new Set<string>();
  const budget = USCC_MAX_REPAIR_SUBSTITUTIONS - forced.length;
  for (let swaps = 0; swaps <= Math.min(budget, optional.length); swaps += 1) {
    for (const positions of combinations(optional, swaps)) {
      const candidate = [...base];
      for (const position of positions) {
        const character = candidate[position] ?? '';
        candidate[position] = AMBIGUOUS_SWAPS[character] ?? character;
      }
      const code = candidate.join('');
      if (checkUscc(code).valid) {
        candidates.add(code);
        if (candidates.size >= USCC_MAX_REPAIR_CANDIDATES) {
          return [...candidates];
        }
      }
    }
  }
  return [...candidates];
}

/** The `size`-element subsets of `items`, in lexicographic order of positions. */
function* combinations(items: readonly number[], size: number, start = 0): Generator<number[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= items.length - size; i += 1) {
    const head = items[i];
    if (head === undefined) {
      continue;
    }
    for (const rest of combinations(items, size - 1, i + 1)) {
      yield [head, ...rest];
    }
  }
}
