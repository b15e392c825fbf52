import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  diffRichText,
  diffText,
  hasTextChanges,
  tokenize,
  type TextDiff,
  type TextSegment,
} from '#shared/diff/text';

function sides(diff: TextDiff): { before: string; after: string } {
  let before = '';
  let after = '';
  for (const segment of diff.segments) {
    if (segment.kind !== 'insert') {
      before += segment.text;
    }
    if (segment.kind !== 'delete') {
      after += segment.text;
    }
  }
  return { before, after };
}

function changed(diff: TextDiff): TextSegment[] {
  return diff.segments.filter((segment) => segment.kind !== 'equal');
}

describe('tokenize', () => {
  it('splits Chinese into characters', () => {
    expect(tokenize('英国硕士申请')).toEqual(['英', '国', '硕', '士', '申', '请']);
  });

  it('keeps Latin words, numbers, spaces and punctuation as tokens', () => {
    expect(tokenize('GPA 3.5, IELTS 7.0!')).toEqual([
      'GPA',
      ' ',
      '3.5',
      ',',
      ' ',
      'IELTS',
      ' ',
      '7.0',
      '!',
    ]);
  });

  it('mixes both: CJK characters alone, Latin words whole', () => {
    expect(tokenize('由 G5 院校导师（London）指导')).toEqual([
      '由',
      ' ',
      'G5',
      ' ',
      '院',
      '校',
      '导',
      '师',
      '（',
      'London',
      '）',
      '指',
      '导',
    ]);
  });

  it('keeps line breaks and never splits a grapheme', () => {
    expect(tokenize('a\nb')).toEqual(['a', '\n', 'b']);
    expect(tokenize('👨‍👩‍👧 café')).toContain('café');
    expect(tokenize('一个👨‍👩‍👧家庭').join('')).toBe('一个👨‍👩‍👧家庭');
  });

  it('gives the text back when joined, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(tokenize(text).join('')).toBe(text);
      }),
    );
  });

  it('handles lines longer than the segmenter likes', () => {
    const long = `${'word '.repeat(5000)}${'字'.repeat(20_000)}`;
    const tokens = tokenize(long);
    expect(tokens.join('')).toBe(long);
    expect(tokens.filter((token) => token === 'word')).toHaveLength(5000);
  });
});

describe('diffText', () => {
  it('changes one character in Chinese: 英国硕士申请 → 英国博士申请', () => {
    const diff = diffText('英国硕士申请', '英国博士申请');
    expect(diff.granularity).toBe('token');
    expect(diff.segments).toEqual([
      { kind: 'equal', text: '英国' },
      { kind: 'delete', text: '硕' },
      { kind: 'insert', text: '博' },
      { kind: 'equal', text: '士申请' },
    ]);
  });

  it('changes whole words in English', () => {
    const diff = diffText('the quick brown fox', 'the slow brown fox jumps');
    expect(diff.segments).toEqual([
      { kind: 'equal', text: 'the ' },
      { kind: 'delete', text: 'quick' },
      { kind: 'insert', text: 'slow' },
      { kind: 'equal', text: ' brown fox' },
      { kind: 'insert', text: ' jumps' },
    ]);
  });

  it('handles mixed text: a number inside Chinese, a word inside Chinese', () => {
    const diff = diffText('累计服务 320 位学员，录取率 92%', '累计服务 350 位学员，录取率 95%');
    expect(changed(diff)).toEqual([
      { kind: 'delete', text: '320' },
      { kind: 'insert', text: '350' },
      { kind: 'delete', text: '92' },
      { kind: 'insert', text: '95' },
    ]);
    expect(changed(diffText('申请LSE硕士', '申请UCL硕士'))).toEqual([
      { kind: 'delete', text: 'LSE' },
      { kind: 'insert', text: 'UCL' },
    ]);
  });

  it('handles empty sides and equal texts', () => {
    expect(diffText('', '').segments).toEqual([]);
    expect(diffText('same', 'same').segments).toEqual([{ kind: 'equal', text: 'same' }]);
    expect(diffText('', 'new').segments).toEqual([{ kind: 'insert', text: 'new' }]);
    expect(diffText('old', '').segments).toEqual([{ kind: 'delete', text: 'old' }]);
    expect(hasTextChanges(diffText('same', 'same'))).toBe(false);
  });

  it('always rebuilds both texts from its segments, deletions before insertions', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        (before, after) => {
          const diff = diffText(before, after);
          expect(sides(diff)).toEqual({ before, after });
          diff.segments.forEach((segment, index) => {
            expect(segment.text).not.toBe('');
            const next = diff.segments[index + 1];
            expect(next?.kind).not.toBe(segment.kind);
            if (segment.kind === 'insert') {
              expect(next?.kind).not.toBe('delete');
            }
          });
        },
      ),
    );
  });

  it('falls back to lines, then to one replacement, beyond the edit bound', () => {
    const before = ['alpha beta gamma', 'one two three', 'keep this line'].join('\n');
    const after = ['ALPHA BETA GAMMA', 'ONE TWO THREE', 'keep this line'].join('\n');
    const fine = diffText(before, after);
    expect(fine.granularity).toBe('token');
    // 12 word edits, but only 4 line edits.
    const byLine = diffText(before, after, { maxEditDistance: 5 });
    expect(byLine.granularity).toBe('line');
    expect(byLine.segments.at(-1)).toEqual({ kind: 'equal', text: 'keep this line' });
    expect(sides(byLine)).toEqual({ before, after });
    const whole = diffText('a b c d', 'e f g h', { maxEditDistance: 1 });
    expect(whole).toEqual({
      segments: [
        { kind: 'delete', text: 'a b c d' },
        { kind: 'insert', text: 'e f g h' },
      ],
      granularity: 'whole',
    });
  });

  it('stays fast on long, heavily edited texts', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i % 97}`);
    const before = words.join(' ');
    const after = words.map((word, i) => (i % 3 === 0 ? word.toUpperCase() : word)).join(' ');
    const started = performance.now();
    const diff = diffText(before, after);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(sides(diff)).toEqual({ before, after });
  });
});

describe('diffRichText', () => {
  it('compares the visible text of HTML', () => {
    const diff = diffRichText('<p>录取率 <b>92%</b></p>', '<p>录取率 <b>95%</b></p>');
    expect(changed(diff)).toEqual([
      { kind: 'delete', text: '92' },
      { kind: 'insert', text: '95' },
    ]);
  });

  it('sees no text change in a markup-only edit', () => {
    const diff = diffRichText('<p>英国硕士</p>', '<p><strong>英国</strong>硕士</p>');
    expect(hasTextChanges(diff)).toBe(false);
  });
});
