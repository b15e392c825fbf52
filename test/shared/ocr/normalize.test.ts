import { describe, expect, it } from 'vitest';
import {
  characterErrorRate,
  compactText,
  editDistance,
  normalizeName,
  normalizeOcrText,
} from '../../../shared/ocr/index';

describe('normalizeOcrText', () => {
  it('folds full-width forms and removes spaces between Chinese characters', () => {
    expect(normalizeOcrText('名 称：杭州 明德（远航）有限公司')).toBe(
      '名称:杭州明德(远航)有限公司',
    );
    expect(normalizeOcrText('ＡＢＣ１２３，；')).toBe('ABC123,;');
    expect(normalizeOcrText('营\u3000业\u3000执\u3000照')).toBe('营业执照');
    expect(normalizeOcrText('“引号”‘单’—破折')).toBe('"引号"\'单\'-破折');
  });

  it('keeps spaces between Latin words and between Latin and Chinese, and line breaks', () => {
    expect(normalizeOcrText('STUDY  ABROAD 证书')).toBe('STUDY ABROAD 证书');
    expect(normalizeOcrText('  第一 行 \r\n 第 二行\t ')).toBe('第一行\n第二行');
    expect(normalizeOcrText('2016年04月12日 至 长期')).toBe('2016年04月12日至长期');
  });

  it('compacts text for label matching', () => {
    expect(compactText('统 一 社 会\n信用 代码 ： 9133')).toBe('统一社会信用代码:9133');
  });
});

describe('normalizeName', () => {
  it('treats 有限责任公司 and 有限公司, brackets, spaces and full-width forms alike', () => {
    const reference = normalizeName('上海海纳百川留学咨询有限公司');
    expect(normalizeName('上海海纳百川留学咨询有限责任公司')).toBe(reference);
    expect(normalizeName('上海 海纳百川 留学咨询 有限公司')).toBe(reference);
    expect(normalizeName('上海海纳百川留学咨询（有限公司）')).toBe(reference);
    expect(normalizeName('海纳百川留学咨询（上海）有限公司')).not.toBe(reference);
    expect(normalizeName('ＡＢＣ Education Co., Ltd.')).toBe(normalizeName('abc education co ltd'));
  });
});

describe('editDistance and characterErrorRate', () => {
  it('counts code points', () => {
    expect(editDistance('启航', '后航')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('computes CER over normalised text without whitespace', () => {
    expect(characterErrorRate('名称：杭州', '名 称 : 杭州')).toBe(0);
    expect(characterErrorRate('深圳市南山启航', '深圳市南山后航')).toBeCloseTo(1 / 7);
    expect(characterErrorRate('', '')).toBe(0);
    expect(characterErrorRate('', 'x')).toBe(1);
  });
});
