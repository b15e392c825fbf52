import { describe, expect, expectTypeOf, it } from 'vitest';
import type { LocalizedText } from '#shared/i18n/localized';
import type { CurrencyCode } from '#shared/domain/money/currencies';
import {
  COUNTRIES,
  COUNTRY_CODES,
  countriesMentionedIn,
  isCountryCode,
  mentionsAnyAlias,
  type CountryCode,
} from '#shared/domain/listing/countries';
import {
  CREDENTIAL_KINDS,
  CREDENTIAL_KIND_LABELS,
  CREDENTIAL_MIME_TYPES,
  CREDENTIAL_MIME_TYPE_LABELS,
  DURATION_UNITS,
  DURATION_UNIT_LABELS,
  INTAKES,
  INTAKE_LABELS,
  LISTING_ID_PATTERN,
  LISTING_ISSUE_CODES,
  LISTING_ISSUE_SEVERITY,
  PRICE_KINDS,
  PRICE_KIND_LABELS,
  PROVIDER_KINDS,
  PROVIDER_KIND_LABELS,
  REFUND_TEMPLATES,
  REFUND_TEMPLATE_IDS,
  REQUIRED_CREDENTIAL,
  REQUIREMENT_CATEGORIES,
  REQUIREMENT_CATEGORY_LABELS,
  STAGES,
  STAGE_ALIASES,
  STAGE_LABELS,
  isIsoDate,
  listingDocumentSchema,
  nameMentionsCountryOrStage,
  type FixedPrice,
  type ListingDocument,
  type Price,
  type RangePrice,
} from '#shared/domain/listing/document';
import edgeCases from '../../../fixtures/listings/edge-cases.json';
import validFull from '../../../fixtures/listings/valid-full.json';

function expectLabelsFor(
  values: readonly string[],
  labels: Readonly<Record<string, LocalizedText>>,
) {
  expect(Object.keys(labels).sort()).toEqual([...values].sort());
  for (const value of values) {
    expect(labels[value]?.['zh-CN'].trim()).not.toBe('');
    expect(labels[value]?.en.trim()).not.toBe('');
  }
}

describe('listingDocumentSchema', () => {
  it('accepts the complete fixture and keeps every value', () => {
    const result = listingDocumentSchema.safeParse(validFull);
    expect(result.success).toBe(true);
    expect(result.data?.basic.name).toBe('英国硕士申请旗舰包');
    expect(result.data?.packages.items.map((item) => item.price.kind)).toEqual([
      'fixed',
      'range',
      'fixed',
    ]);
  });

  it('fills left-out optional lists with [] in its output', () => {
    const result = listingDocumentSchema.safeParse(edgeCases);
    expect(result.success).toBe(true);
    expect(result.data?.highlights).toEqual({ advantages: [], mentors: [], successCases: [] });
    expect(result.data?.packages.items).toHaveLength(50);
    expect(result.data?.risk.afterSalesPolicy).toBeUndefined();
  });

  it('rejects a document with an unknown key instead of dropping it silently', () => {
    const result = listingDocumentSchema.safeParse({ ...validFull, extra: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.code)).toEqual(['unrecognized_keys']);
  });

  it('exports types that match the document shape', () => {
    expectTypeOf<Price>().toEqualTypeOf<FixedPrice | RangePrice>();
    expectTypeOf<RangePrice>().toHaveProperty('min').toEqualTypeOf<string>();
    expectTypeOf<ListingDocument['basic']['stages']>().toEqualTypeOf<
      ('undergraduate' | 'master' | 'phd' | 'exchange' | 'language_intensive')[]
    >();
    expectTypeOf<ListingDocument['credentials']['files'][number]['validUntil']>().toEqualTypeOf<
      string | null
    >();
    expectTypeOf<FixedPrice['currency']>().toEqualTypeOf<CurrencyCode>();
    expectTypeOf<ListingDocument['basic']['country']>().toEqualTypeOf<CountryCode>();
    expectTypeOf<ListingDocument['risk']['confirmed']>().toEqualTypeOf<boolean>();
    expectTypeOf<ListingDocument['highlights']['advantages']>().toEqualTypeOf<string[]>();
    const price: Price = { kind: 'range', currency: 'GBP', min: '4500', max: '6800.50' };
    expect(price.kind).toBe('range');
  });
});

describe('enumerations', () => {
  it('label every value in zh-CN and en', () => {
    expectLabelsFor(PROVIDER_KINDS, PROVIDER_KIND_LABELS);
    expectLabelsFor(STAGES, STAGE_LABELS);
    expectLabelsFor(INTAKES, INTAKE_LABELS);
    expectLabelsFor(PRICE_KINDS, PRICE_KIND_LABELS);
    expectLabelsFor(DURATION_UNITS, DURATION_UNIT_LABELS);
    expectLabelsFor(REQUIREMENT_CATEGORIES, REQUIREMENT_CATEGORY_LABELS);
    expectLabelsFor(CREDENTIAL_KINDS, CREDENTIAL_KIND_LABELS);
    expectLabelsFor(CREDENTIAL_MIME_TYPES, CREDENTIAL_MIME_TYPE_LABELS);
  });

  it('give every refund template a title and a summary in both languages', () => {
    expect(Object.keys(REFUND_TEMPLATES).sort()).toEqual([...REFUND_TEMPLATE_IDS].sort());
    for (const id of REFUND_TEMPLATE_IDS) {
      expect(REFUND_TEMPLATES[id].title['zh-CN']).not.toBe('');
      expect(REFUND_TEMPLATES[id].title.en).not.toBe('');
      expect(REFUND_TEMPLATES[id].summary['zh-CN']).not.toBe('');
      expect(REFUND_TEMPLATES[id].summary.en).not.toBe('');
    }
  });

  it('give every stage aliases that include its own zh-CN label', () => {
    for (const stage of STAGES) {
      expect(mentionsAnyAlias(STAGE_LABELS[stage]['zh-CN'], STAGE_ALIASES[stage])).toBe(true);
    }
  });

  it('require the credential of each provider kind', () => {
    expect(REQUIRED_CREDENTIAL).toEqual({
      institution: { kind: 'business_licence', code: 'missing_business_licence' },
      tutor: { kind: 'mentor_certificate', code: 'missing_mentor_certificate' },
    });
  });
});

describe('countries', () => {
  it('lists 20 to 25 destinations as ISO 3166-1 alpha-2 codes', () => {
    expect(COUNTRY_CODES.length).toBeGreaterThanOrEqual(20);
    expect(COUNTRY_CODES.length).toBeLessThanOrEqual(25);
    for (const code of COUNTRY_CODES) {
      expect(code).toMatch(/^[A-Z]{2}$/);
    }
    expect(COUNTRY_CODES).toEqual(expect.arrayContaining(['GB', 'US', 'HK', 'MO', 'TW', 'SG']));
  });

  it('name every destination in both languages, and its aliases recognise those names', () => {
    for (const code of COUNTRY_CODES) {
      const { name, aliases } = COUNTRIES[code];
      expect(name['zh-CN']).not.toBe('');
      expect(name.en).not.toBe('');
      expect(mentionsAnyAlias(name['zh-CN'], aliases)).toBe(true);
      expect(mentionsAnyAlias(name.en, aliases)).toBe(true);
    }
  });

  it('recognises codes', () => {
    expect(isCountryCode('GB')).toBe(true);
    expect(isCountryCode('gb')).toBe(false);
    expect(isCountryCode('toString')).toBe(false);
  });

  it.each([
    ['英国硕士申请旗舰包', ['GB']],
    ['英硕冲刺', ['GB']],
    ['US Master application', ['US']],
    ['ＵＫ本科直通车', ['GB']],
    ['港澳本科申请', ['AU', 'HK']],
    ['Business English for us', []],
    ['旗舰包', []],
  ] as const)('finds the destinations %j mentions', (text, expected) => {
    expect(countriesMentionedIn(text)).toEqual(expected);
  });
});

describe('nameMentionsCountryOrStage', () => {
  it.each([
    ['英国硕士申请旗舰包', true],
    ['德语 A1 保过营', true],
    ['硕士申请全程服务', true],
    ['IELTS 7 分冲刺营', true],
    ['PhD proposal coaching', true],
    ['旗舰包', false],
    ['Drama workshop', false],
    ['VIP 全程服务', false],
  ] as const)('%j → %s', (name, expected) => {
    expect(nameMentionsCountryOrStage(name)).toBe(expected);
  });
});

describe('small helpers', () => {
  it('accepts ids of 1 to 64 letters, digits, "_" and "-"', () => {
    expect(LISTING_ID_PATTERN.test('pkg_01-a')).toBe(true);
    expect(LISTING_ID_PATTERN.test('a'.repeat(64))).toBe(true);
    expect(LISTING_ID_PATTERN.test('a'.repeat(65))).toBe(false);
    expect(LISTING_ID_PATTERN.test('')).toBe(false);
    expect(LISTING_ID_PATTERN.test('a b')).toBe(false);
    expect(LISTING_ID_PATTERN.test('套餐')).toBe(false);
  });

  it('accepts real calendar days only', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-1')).toBe(false);
    expect(isIsoDate('2026-11-21T00:00:00Z')).toBe(false);
    expect(isIsoDate(20261121)).toBe(false);
  });

  it('makes advice warnings and everything else an error', () => {
    const warnings = LISTING_ISSUE_CODES.filter(
      (code) => LISTING_ISSUE_SEVERITY[code] === 'warning',
    );
    expect(warnings.sort()).toEqual(
      [
        'credential_expiring_soon',
        'credential_not_yet_valid',
        'future_year',
        'name_lacks_country_or_stage',
        'too_many_issues',
        'unknown_field',
      ].sort(),
    );
  });
});
