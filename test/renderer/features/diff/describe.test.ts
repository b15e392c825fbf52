import { describe, expect, it } from 'vitest';
import { money } from '#shared/domain/money/money';
import {
  codeLabel,
  describeValue,
  formatPrice,
  leafLabel,
  signedMoney,
  signedPercent,
} from '../../../../renderer/src/features/diff/describe';

describe('codeLabel', () => {
  it('names codes by their labels, in either language', () => {
    expect(codeLabel(['basic', 'country'], 'GB', 'zh-CN')).toBe('英国');
    expect(codeLabel(['basic', 'country'], 'GB', 'en')).toBe('United Kingdom');
    expect(codeLabel(['basic', 'stages', 0], 'master', 'zh-CN')).toBe('硕士');
    expect(codeLabel(['packages', 'items', 3, 'price', 'kind'], 'range', 'en')).toMatch(/range/i);
    expect(codeLabel(['credentials', 'files', 0, 'kind'], 'business_licence', 'zh-CN')).toBe(
      '营业执照',
    );
  });

  it('leaves unknown codes and codes of other fields as they are', () => {
    expect(codeLabel(['basic', 'country'], 'XX', 'en')).toBe('XX');
    expect(codeLabel(['basic', 'name'], 'GB', 'en')).toBe('GB');
    // Not fooled by inherited members.
    expect(codeLabel(['basic', 'country'], 'toString', 'en')).toBe('toString');
  });
});

describe('formatPrice', () => {
  it('formats fixed prices and ranges as money', () => {
    expect(formatPrice({ kind: 'fixed', currency: 'CNY', amount: '29800' }, 'zh-CN')).toBe(
      '¥29,800.00',
    );
    expect(formatPrice({ kind: 'fixed', currency: 'CNY', amount: '29800' }, 'en')).toBe(
      'CNY 29,800.00',
    );
    expect(formatPrice({ kind: 'range', currency: 'GBP', min: '4500', max: '6800.50' }, 'en')).toBe(
      'GBP 4,500.00 – GBP 6,800.50',
    );
  });

  it('is null for anything that is not a valid price', () => {
    expect(formatPrice({ kind: 'fixed', currency: 'XYZ', amount: '1' }, 'en')).toBe(null);
    expect(formatPrice({ kind: 'fixed', currency: 'CNY', amount: 'abc' }, 'en')).toBe(null);
    expect(formatPrice({ kind: 'range', currency: 'CNY', min: '1' }, 'en')).toBe(null);
    expect(formatPrice({ kind: 'other' }, 'en')).toBe(null);
    expect(formatPrice('29800', 'en')).toBe(null);
  });
});

describe('describeValue', () => {
  it('says empty for missing and empty values', () => {
    expect(describeValue(undefined, ['basic', 'name'], 'zh-CN')).toBe('（空）');
    expect(describeValue('', ['basic', 'name'], 'en')).toBe('(empty)');
    expect(describeValue(null, ['basic', 'name'], 'en')).toBe('(empty)');
    expect(describeValue([], ['basic', 'stages'], 'en')).toBe('(empty)');
  });

  it('reads a credential without an end date as no expiry (长期)', () => {
    expect(describeValue(null, ['credentials', 'files', 0, 'validUntil'], 'zh-CN')).toBe('长期');
    expect(describeValue(null, ['credentials', 'files', 0, 'validUntil'], 'en')).toBe('No expiry');
  });

  it('reads booleans, numbers, codes and tag lists', () => {
    expect(describeValue(true, ['risk', 'confirmed'], 'zh-CN')).toBe('是');
    expect(describeValue(false, ['risk', 'confirmed'], 'en')).toBe('No');
    expect(describeValue(12, ['packages', 'items', 0, 'seats'], 'en')).toBe('12');
    expect(describeValue('GB', ['basic', 'country'], 'zh-CN')).toBe('英国');
    expect(describeValue(['master', 'phd'], ['basic', 'stages'], 'zh-CN')).toBe('硕士、博士');
    expect(describeValue(['master', 'phd'], ['basic', 'stages'], 'en')).toMatch(/^Master.*, /);
  });

  it('reads rich text as its visible text', () => {
    expect(
      describeValue('<p>面向<strong>英国</strong>硕士</p>', ['basic', 'introduction'], 'zh-CN'),
    ).toBe('面向英国硕士');
    // Other strings are never taken for markup.
    expect(describeValue('<b>x</b>', ['basic', 'name'], 'en')).toBe('<b>x</b>');
  });

  it('reads prices, durations and list items as a reviewer would', () => {
    expect(
      describeValue(
        { kind: 'fixed', currency: 'CNY', amount: '29800' },
        ['packages', 'items', 0, 'price'],
        'zh-CN',
      ),
    ).toBe('¥29,800.00');
    expect(
      describeValue({ value: 2, unit: 'week' }, ['process', 'timeline', 0, 'duration'], 'zh-CN'),
    ).toMatch(/^2 周/);
    const node = describeValue(
      {
        id: 'node_assess',
        stageName: '背景评估与选校',
        duration: { value: 2, unit: 'week' },
      },
      ['process', 'timeline', 0],
      'zh-CN',
    );
    // "name：value" members joined by "；", without the id.
    expect(node).toMatch(/^[^；]+：背景评估与选校；[^；]+：2 周/);
    expect(node).not.toContain('node_assess');
    const list = describeValue(
      [
        { id: 'a', text: '本科成绩单' },
        { id: 'b', text: '雅思成绩' },
      ],
      ['requirements', 'items'],
      'en',
    );
    expect(list.split(' | ')).toHaveLength(2);
  });

  it('shortens objects with many members', () => {
    const many = Object.fromEntries(
      Array.from({ length: 20 }, (_value, index) => [`k${String(index)}`, index]),
    );
    const text = describeValue(many, ['other'], 'en');
    expect(text.endsWith('…')).toBe(true);
    expect(text.split('; ')).toHaveLength(13);
  });
});

describe('leafLabel', () => {
  it('is the last piece of a field label', () => {
    expect(leafLabel(['packages', 'items', 0, 'name'], 'zh-CN')).not.toContain('›');
    expect(leafLabel(['basic'], 'en')).toBe('Basic info');
  });
});

describe('signed amounts', () => {
  it('signs increases, keeps the minus of decreases, leaves zero unsigned', () => {
    expect(signedMoney(money('1280', 'CNY'), 'zh-CN')).toBe('+¥1,280.00');
    expect(signedMoney(money('-12.5', 'USD'), 'en')).toBe('-USD 12.50');
    expect(signedMoney(money('0', 'CNY'), 'zh-CN')).toBe('¥0.00');
    expect(signedPercent('12.50')).toBe('+12.50%');
    expect(signedPercent('-3.00')).toBe('-3.00%');
    expect(signedPercent('0.00')).toBe('0.00%');
    expect(signedPercent('0')).toBe('0%');
  });
});
