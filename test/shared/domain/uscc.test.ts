import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  USCC_CHARSET,
  USCC_MAX_REPAIR_CANDIDATES,
  USCC_REASON_MESSAGES,
  USCC_WEIGHTS,
  checkUscc,
  computeUsccCheckCharacter,
  isValidUscc,
  normalizeUscc,
  usccRepairCandidates,
} from '#shared/domain/uscc';

const VALID = '91110000600037341L';

const charsetCharacter = fc.constantFrom(...Array.from(USCC_CHARSET));
const first17 = fc
  .array(charsetCharacter, { minLength: 17, maxLength: 17 })
  .map((cs) => cs.join(''));
const validCode = first17.map((head) => head + computeUsccCheckCharacter(head));

describe('the GB 32100-2015 constants', () => {
  it('has 31 distinct characters without I, O, S, V, Z', () => {
    expect(new Set(USCC_CHARSET).size).toBe(31);
    for (const excluded of 'IOSVZ') {
      expect(USCC_CHARSET).not.toContain(excluded);
    }
  });

  it('uses weights 3^(i-1) mod 31, none of them 0 mod 31', () => {
    expect(USCC_WEIGHTS).toHaveLength(17);
    USCC_WEIGHTS.forEach((weight, index) => {
      expect(weight).toBe(3 ** index % 31);
      expect(weight % 31).not.toBe(0);
    });
  });
});

describe('checkUscc', () => {
  it('accepts a real code', () => {
    expect(checkUscc(VALID)).toEqual({
      input: VALID,
      normalized: VALID,
      valid: true,
      reason: null,
    });
    expect(computeUsccCheckCharacter(VALID.slice(0, 17))).toBe('L');
  });

  it('reports a wrong check character with the expected one', () => {
    expect(checkUscc('91110000600037341N')).toEqual({
      input: '91110000600037341N',
      normalized: '91110000600037341N',
      valid: false,
      reason: 'checksum',
      expectedCheckCharacter: 'L',
    });
  });

  it.each([
    ['lower case', '91110000600037341l'],
    ['spaces', ' 9111 0000 6000 3734 1L '],
    ['hyphens and an ideographic space', '911100-006000\u300037341-L'],
    ['full-width characters', '９１１１００００６０００３７３４１Ｌ'],
    ['full-width lower case with a full-width hyphen', '９１１１００００６０００３７３４１－ｌ'],
  ])('normalises %s to a valid code', (_what, input) => {
    const result = checkUscc(input);
    expect(result.normalized).toBe(VALID);
    expect(result.valid).toBe(true);
    expect(normalizeUscc(input)).toBe(VALID);
  });

  it.each([
    ['17 characters', VALID.slice(0, 17)],
    ['19 characters', `${VALID}0`],
    ['empty', ''],
    ['only spaces', ' \u3000 '],
  ])('rejects %s for its length', (_what, input) => {
    const result = checkUscc(input);
    expect(result.valid).toBe(false);
    expect(result.reason).toBe('length');
    expect(result.expectedCheckCharacter).toBeUndefined();
  });

  it('checks the length before the charset', () => {
    expect(checkUscc('9111O000600037341').reason).toBe('length');
  });

  it('rejects an O or an I, naming the first one', () => {
    expect(checkUscc('9111O000600037341L')).toEqual({
      input: '9111O000600037341L',
      normalized: '9111O000600037341L',
      valid: false,
      reason: 'charset',
      detail: { character: 'O', index: 4, position: 5 },
    });
    expect(checkUscc('91110000600037341I').detail).toEqual({
      character: 'I',
      index: 17,
      position: 18,
    });
    expect(checkUscc('9111000060003734!L').reason).toBe('charset');
  });

  it('has a message in both languages for every reason', () => {
    for (const reason of ['length', 'charset', 'checksum'] as const) {
      expect(USCC_REASON_MESSAGES[reason]['zh-CN']).not.toBe('');
      expect(USCC_REASON_MESSAGES[reason].en).not.toBe('');
    }
    expect(USCC_REASON_MESSAGES.length['zh-CN']).toContain('18');
  });

  it('makes any 17 charset characters plus their check character valid', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        expect(checkUscc(code).valid).toBe(true);
      }),
    );
  });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(
        validCode,
        fc.integer({ min: 0, max: 17 }),
        charsetCharacter,
        (code, index, replacement) => {
          fc.pre(code[index] !== replacement);
          const changed = code.slice(0, index) + replacement + code.slice(index + 1);
          const result = checkUscc(changed);
          expect(result.valid).toBe(false);
          expect(result.reason).toBe('checksum');
        },
      ),
    );
  });
});

describe('computeUsccCheckCharacter', () => {
  it('refuses input that is not 17 charset characters', () => {
    expect(() => computeUsccCheckCharacter(VALID)).toThrow(RangeError);
    expect(() => computeUsccCheckCharacter('')).toThrow(RangeError);
    expect(() => computeUsccCheckCharacter('9111O000600037341')).toThrow(/position 5/);
    expect(() => computeUsccCheckCharacter('9111000060003734l')).toThrow(RangeError);
  });

  it('uses 0 when the sum is a multiple of 31', () => {
    expect(computeUsccCheckCharacter('00000000000000000')).toBe('0');
  });
});

describe('usccRepairCandidates', () => {
  it('recovers a code with an O in place of a 0', () => {
    expect(usccRepairCandidates('9111O000600037341L')).toEqual([VALID]);
    expect(usccRepairCandidates(normalizeUscc('9111o0oo600037341l'))).toEqual([VALID]);
  });

  it('repairs I, Z and S too', () => {
    const code = `1234567890ABCDEFG`;
    const full = code + computeUsccCheckCharacter(code);
    const misread = full.replace('1', 'I').replace('2', 'Z').replace('5', 'S');
    expect(usccRepairCandidates(misread)).toContain(full);
  });

  it('swaps B and 8 only when that makes the code pass', () => {
    // Find a valid code containing an 8 whose B-for-8 reading is invalid, then repair it.
    fc.assert(
      fc.property(first17, fc.integer({ min: 0, max: 16 }), (head, index) => {
        const withEight = `${head.slice(0, index)}8${head.slice(index + 1)}`;
        const full = withEight + computeUsccCheckCharacter(withEight);
        const misread = `${full.slice(0, index)}B${full.slice(index + 1)}`;
        const candidates = usccRepairCandidates(misread);
        expect(candidates).toContain(full);
        for (const candidate of candidates) {
          expect(isValidUscc(candidate)).toBe(true);
        }
        expect(new Set(candidates).size).toBe(candidates.length);
        expect(candidates.length).toBeLessThanOrEqual(USCC_MAX_REPAIR_CANDIDATES);
      }),
    );
  });

  it('returns a valid reading first, unchanged', () => {
    expect(usccRepairCandidates(VALID)[0]).toBe(VALID);
  });

  it('gives up beyond three forced repairs, on the wrong length or unknown characters', () => {
    expect(usccRepairCandidates('9111OOOO600037341L')).toEqual([]);
    expect(usccRepairCandidates('9111O00060003734L')).toEqual([]);
    expect(usccRepairCandidates('9111V000600037341L')).toEqual([]);
  });

  it('never returns an invalid code, even for random readings', () => {
    const ocrCharacter = fc.constantFrom(...Array.from(`${USCC_CHARSET}OIZS`));
    fc.assert(
      fc.property(
        fc.array(ocrCharacter, { minLength: 18, maxLength: 18 }).map((cs) => cs.join('')),
        (reading) => {
          const candidates = usccRepairCandidates(reading);
          expect(candidates.length).toBeLessThanOrEqual(USCC_MAX_REPAIR_CANDIDATES);
          expect(candidates.every(isValidUscc)).toBe(true);
        },
      ),
    );
  });
});
