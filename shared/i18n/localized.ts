/**
 * Languages the product speaks. zh-CN is the default: the back-office staff are Chinese-speaking
 * operations people; English is complete too.
 */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** A piece of user-facing text in every supported language. */
export type LocalizedText = Readonly<Record<Locale, string>>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * Picks the supported locale closest to a BCP 47 tag or a POSIX locale such as `zh_CN.UTF-8`:
 * any Chinese tag maps to zh-CN, any English tag to en, anything else to `fallback`.
 */
export function resolveLocale(tag: string | undefined, fallback: Locale = DEFAULT_LOCALE): Locale {
  const language = tag
    ?.trim()
    .toLowerCase()
    .split(/[-_.@]/)[0];
  if (language === 'zh') {
    return 'zh-CN';
  }
  if (language === 'en') {
    return 'en';
  }
  return fallback;
}
