/**
 * Text normalisation for OCR output and for comparing what a paper prints with what a listing
 * says. Tesseract's chi_sim model puts spaces between Chinese characters and reads full-width
 * punctuation as ASCII (or not): both sides are brought to the same form before anything is
 * compared.
 */

const HAN = '\\p{Script=Han}';
/** CJK symbols that sit between Chinese characters like letters do (、。〇 etc. and 《》「」). */
const CJK_PUNCTUATION = '\\u3001-\\u303f';
const CJK_LIKE = `[${HAN}${CJK_PUNCTUATION}]`;

const SPACE_BETWEEN_CJK = new RegExp(`(?<=${CJK_LIKE})[ \\t]+(?=${CJK_LIKE})`, 'gu');
const HAN_CHARACTER = new RegExp(HAN, 'u');
const HAN_GLOBAL = new RegExp(HAN, 'gu');

/** Whether a character (or any character of a string) is a Chinese character. */
export function hasHan(text: string): boolean {
  return HAN_CHARACTER.test(text);
}

/** Number of Chinese characters in a string. */
export function countHan(text: string): number {
  return text.match(HAN_GLOBAL)?.length ?? 0;
}

/**
 * NFKC (full-width letters, digits and punctuation become ASCII: `：` → `:`, `（` → `(`, `，` →
 * `,`, the ideographic space → a space), typographic quotes and dashes folded to ASCII, runs of
 * spaces and tabs collapsed, spaces between Chinese characters removed, lines trimmed. Line
 * breaks are kept.
 */
export function normalizeOcrText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201a\u201b]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/[ \t\u00a0]+/g, ' ')
        .replace(SPACE_BETWEEN_CJK, '')
        .trim(),
    )
    .join('\n');
}

/** {@link normalizeOcrText} with every whitespace character removed: for matching labels. */
export function compactText(text: string): string {
  return normalizeOcrText(text).replace(/\s+/g, '');
}

/**
 * Company-name endings that mean the same legal form, longest first: a listing that says
 * 有限公司 for a licence printing 有限责任公司 names the same company.
 */
const LEGAL_FORM_VARIANTS: readonly (readonly [RegExp, string])[] = [
  [/有限责任公司$/u, '有限公司'],
  [/有限公司$/u, '有限公司'],
];

/**
 * A company or person name in the form two names are compared in: NFKC, no whitespace, no
 * brackets or separators (`（北京）` and `(北京)` and `北京` compare equal), Latin letters in
 * lower case, and 有限责任公司 folded to 有限公司.
 */
export function normalizeName(name: string): string {
  let folded = normalizeOcrText(name)
    .replace(/[\s()[\]{}<>《》〈〉「」『』【】〔〕"'`·・.,:;_\-/\\]/gu, '')
    .toLowerCase();
  for (const [pattern, replacement] of LEGAL_FORM_VARIANTS) {
    if (pattern.test(folded)) {
      folded = folded.replace(pattern, replacement);
      break;
    }
  }
  return folded;
}

/** Levenshtein distance over code points (names are short: the quadratic table is fine). */
export function editDistance(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/**
 * Character error rate: edit distance between the reference and the reading, over the
 * reference's length, both normalised ({@link normalizeOcrText}) and stripped of all whitespace.
 * 0 is perfect; above 1 is possible when the reading is much longer.
 */
export function characterErrorRate(reference: string, reading: string): number {
  const truth = compactText(reference);
  const read = compactText(reading);
  if (truth.length === 0) {
    return read.length === 0 ? 0 : 1;
  }
  return editDistance(truth, read) / Array.from(truth).length;
}
