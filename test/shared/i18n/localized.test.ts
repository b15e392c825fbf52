import { describe, expect, it } from 'vitest';
import { isLocale, resolveLocale } from '#shared/i18n/localized';

describe('resolveLocale', () => {
  it.each([
    ['zh_CN.UTF-8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['en_US.UTF-8', 'en'],
    ['EN', 'en'],
    ['C.UTF-8', 'zh-CN'],
    [undefined, 'zh-CN'],
  ] as const)('maps %s to %s', (tag, expected) => {
    expect(resolveLocale(tag)).toBe(expected);
  });

  it('uses the given fallback for unknown languages', () => {
    expect(resolveLocale('fr_FR', 'en')).toBe('en');
  });

  it('recognises only supported locales', () => {
    expect(isLocale('en')).toBe(true);
    expect(isLocale('fr')).toBe(false);
    expect(isLocale(3)).toBe(false);
  });
});
