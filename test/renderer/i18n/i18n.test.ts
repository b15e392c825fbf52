import { describe, expect, it } from 'vitest';
import { initialLocale, resources } from '../../../renderer/src/i18n/i18n';

/** Every leaf key of a nested catalogue, as dotted paths. */
function leafKeys(catalogue: object, prefix = ''): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? leafKeys(value as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe('UI catalogues', () => {
  it('zh-CN and en have exactly the same keys', () => {
    expect(leafKeys(resources['zh-CN'].translation).sort()).toEqual(
      leafKeys(resources.en.translation).sort(),
    );
  });

  it('has no empty strings in either language', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const catalogue = resources[locale].translation as unknown as Record<string, unknown>;
      const empty = leafKeys(catalogue).filter((key) => {
        const value = key
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalogue);
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(empty, locale).toEqual([]);
    }
  });
});

describe('initialLocale', () => {
  it('prefers ?lang= over the stored choice', () => {
    expect(initialLocale('?lang=en', 'zh-CN')).toBe('en');
  });
  it('uses the stored choice when there is no valid ?lang=', () => {
    expect(initialLocale('?lang=fr', 'en')).toBe('en');
  });
  it('defaults to zh-CN', () => {
    expect(initialLocale('', null)).toBe('zh-CN');
    expect(initialLocale('', 'garbage')).toBe('zh-CN');
  });
});
