import type { LocalizedText } from '../../i18n/localized';

/**
 * One study-abroad destination a listing can be about.
 *
 * `aliases` are the words that count as "the name mentions this country/region" for the advice
 * that a listing name should say where it leads (seed §5: 建议包含国家/阶段). They include the
 * one-character abbreviations the market writes every day (英硕, 美本, 澳洲, 港硕) and the
 * language a tutor's course teaches (德语 A1 保过营): a false match only suppresses advice, a
 * missed one nags a submitter, so the list is generous.
 */
export interface CountryInfo {
  readonly name: LocalizedText;
  readonly aliases: readonly string[];
}

/**
 * Destinations, keyed by ISO 3166-1 alpha-2 code (the `service_types.country` enum of the seed).
 * Hong Kong, Macao and Taiwan are regions, named as the mainland marketplace names them; that is
 * why the field is called "country/region".
 */
export const COUNTRIES = {
  GB: {
    name: { 'zh-CN': '英国', en: 'United Kingdom' },
    aliases: [
      '英国',
      '英',
      '英格兰',
      '苏格兰',
      'UK',
      'United Kingdom',
      'Britain',
      'British',
      'England',
      'Scotland',
    ],
  },
  US: {
    name: { 'zh-CN': '美国', en: 'United States' },
    aliases: ['美国', '美', 'US', 'USA', 'U.S.', 'United States', 'America', 'American'],
  },
  CA: {
    name: { 'zh-CN': '加拿大', en: 'Canada' },
    aliases: ['加拿大', '加国', 'Canada', 'Canadian'],
  },
  AU: {
    name: { 'zh-CN': '澳大利亚', en: 'Australia' },
    aliases: ['澳大利亚', '澳洲', '澳', 'Australia', 'Australian', 'AU'],
  },
  NZ: {
    name: { 'zh-CN': '新西兰', en: 'New Zealand' },
    aliases: ['新西兰', '纽西兰', 'New Zealand', 'NZ'],
  },
  IE: {
    name: { 'zh-CN': '爱尔兰', en: 'Ireland' },
    aliases: ['爱尔兰', 'Ireland', 'Irish'],
  },
  DE: {
    name: { 'zh-CN': '德国', en: 'Germany' },
    aliases: ['德国', '德', 'Germany', 'German', 'Deutsch', 'Deutschland'],
  },
  FR: {
    name: { 'zh-CN': '法国', en: 'France' },
    aliases: ['法国', '法语', 'France', 'French'],
  },
  NL: {
    name: { 'zh-CN': '荷兰', en: 'Netherlands' },
    aliases: ['荷兰', '荷', 'Netherlands', 'Dutch', 'Holland'],
  },
  CH: {
    name: { 'zh-CN': '瑞士', en: 'Switzerland' },
    aliases: ['瑞士', 'Switzerland', 'Swiss'],
  },
  IT: {
    name: { 'zh-CN': '意大利', en: 'Italy' },
    aliases: ['意大利', '意语', 'Italy', 'Italian'],
  },
  ES: {
    name: { 'zh-CN': '西班牙', en: 'Spain' },
    aliases: ['西班牙', '西语', 'Spain', 'Spanish'],
  },
  SE: {
    name: { 'zh-CN': '瑞典', en: 'Sweden' },
    aliases: ['瑞典', 'Sweden', 'Swedish'],
  },
  DK: {
    name: { 'zh-CN': '丹麦', en: 'Denmark' },
    aliases: ['丹麦', 'Denmark', 'Danish'],
  },
  FI: {
    name: { 'zh-CN': '芬兰', en: 'Finland' },
    aliases: ['芬兰', 'Finland', 'Finnish'],
  },
  NO: {
    name: { 'zh-CN': '挪威', en: 'Norway' },
    aliases: ['挪威', 'Norway', 'Norwegian'],
  },
  JP: {
    name: { 'zh-CN': '日本', en: 'Japan' },
    aliases: ['日本', '日语', '日研', 'Japan', 'Japanese'],
  },
  KR: {
    name: { 'zh-CN': '韩国', en: 'South Korea' },
    aliases: ['韩国', '韩语', '韩', 'Korea', 'Korean'],
  },
  SG: {
    name: { 'zh-CN': '新加坡', en: 'Singapore' },
    aliases: ['新加坡', '狮城', '新硕', 'Singapore', 'SG'],
  },
  HK: {
    name: { 'zh-CN': '中国香港', en: 'Hong Kong, China' },
    aliases: ['香港', '港', 'Hong Kong', 'HK'],
  },
  MO: {
    name: { 'zh-CN': '中国澳门', en: 'Macao, China' },
    aliases: ['澳门', 'Macao', 'Macau'],
  },
  MY: {
    name: { 'zh-CN': '马来西亚', en: 'Malaysia' },
    aliases: ['马来西亚', '大马', 'Malaysia', 'Malaysian'],
  },
  TW: {
    name: { 'zh-CN': '中国台湾', en: 'Taiwan, China' },
    aliases: ['台湾', '臺灣', 'Taiwan'],
  },
} as const satisfies Record<string, CountryInfo>;

/** ISO 3166-1 alpha-2 code of a destination in `COUNTRIES`. */
export type CountryCode = keyof typeof COUNTRIES;

/** Every destination code, in the order the country picker lists them. */
export const COUNTRY_CODES = Object.keys(COUNTRIES) as readonly CountryCode[];

/** Whether a value is a destination code of `COUNTRIES` (case-sensitive, `GB` not `gb`). */
export function isCountryCode(value: unknown): value is CountryCode {
  return typeof value === 'string' && Object.hasOwn(COUNTRIES, value);
}

/** Matches when an alias consists of Latin letters, digits and light punctuation only. */
const LATIN_ALIAS = /^[A-Za-z0-9 .'-]+$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const aliasPatterns = new Map<string, RegExp | undefined>();

/**
 * Compiles the matcher for one alias. Chinese aliases match as substrings, since Chinese has no
 * word boundaries (英硕 mentions 英). Latin aliases must stand as whole words so that `US` does
 * not match inside "Business"; an all-capitals alias is matched case-sensitively so that `US`
 * does not match the pronoun "us", every other Latin alias case-insensitively.
 */
function aliasPattern(alias: string): RegExp | undefined {
  if (aliasPatterns.has(alias)) {
    return aliasPatterns.get(alias);
  }
  let pattern: RegExp | undefined;
  if (LATIN_ALIAS.test(alias)) {
    const flags = alias === alias.toUpperCase() ? 'u' : 'iu';
    pattern = new RegExp(`(?<![A-Za-z])${escapeRegExp(alias)}(?![A-Za-z])`, flags);
  }
  aliasPatterns.set(alias, pattern);
  return pattern;
}

/**
 * Whether `text` mentions one of `aliases`. The text is NFKC-normalised first so that full-width
 * letters typed with a Chinese input method (`ＵＫ`) count like `UK`.
 */
export function mentionsAnyAlias(text: string, aliases: readonly string[]): boolean {
  const normalised = text.normalize('NFKC');
  return aliases.some((alias) => {
    const pattern = aliasPattern(alias);
    return pattern === undefined ? normalised.includes(alias) : pattern.test(normalised);
  });
}

/** The destinations a text mentions, in `COUNTRY_CODES` order (empty when none). */
export function countriesMentionedIn(text: string): CountryCode[] {
  return COUNTRY_CODES.filter((code) => mentionsAnyAlias(text, COUNTRIES[code].aliases));
}
