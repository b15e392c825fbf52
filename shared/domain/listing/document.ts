import Decimal from 'decimal.js';
import { z } from 'zod';
import type { LocalizedText } from '../../i18n/localized';
import { CURRENCIES, CURRENCY_CODES, DECIMAL_AMOUNT_PATTERN } from '../money/currencies';
import { checkUscc } from '../uscc';
import type { IssueSeverity, PathSegment } from '../validationIssue';
import { COUNTRIES, COUNTRY_CODES, mentionsAnyAlias } from './countries';
import { countCharacters, countVisibleCharacters } from './richText';

/*
 * The listing document (项目上架, domain.md "Listing — fields"; seed project-submission-workspace
 * §5): one JSON document per revision, grouped by the steps of the submission form.
 *
 * The zod schema below is the structural half of `validateListing` (validate.ts): it checks
 * types, required fields, enums, limits and the rules local to one part of the document, and
 * reports them as issues with the codes of `LISTING_ISSUE_SEVERITY`. Rules that need the
 * reviewer's context (today's date, the verified mentors) live in validate.ts. Use
 * `validateListing` to judge a document: the schema alone also fails on warnings.
 */

// ---------------------------------------------------------------------------------------------
// Limits

/**
 * Every limit of the document, in one place so that the form can show counters with the same
 * numbers. Text limits count user-perceived characters (a Chinese character or an emoji is one);
 * rich-text limits count visible text only. Limits the seed gives: name 30, introduction 500,
 * advantages 6 × 50. The others are ours, sized to what an honest listing needs and small enough
 * that a reviewer can read every entry.
 */
export const LISTING_LIMITS = {
  /** Stable ids of list items and references: `[A-Za-z0-9_-]`, 1 to 64 characters. */
  idMaxLength: 64,
  providerNameMax: 100,
  /** Seed: 30 字内. */
  nameMax: 30,
  /** Seed: 支持 500 字以内 (visible text of the rich text). */
  introductionMaxVisible: 500,
  /** Seed: 最多 6 条. */
  advantagesMaxItems: 6,
  /** Seed: 每条 ≤ 50 字. */
  advantageMax: 50,
  mentorsMaxItems: 30,
  successCasesMaxItems: 20,
  successCaseTextMax: 200,
  /** Success-case years before this are typos, not track records. */
  successCaseYearMin: 1950,
  successCaseYearMax: 2100,
  /**
   * An institution's catalogue of variants (per country × stage × tier) stays well below this;
   * beyond it a listing should be split, and the reviewer could not compare the prices anyway.
   */
  packagesMaxItems: 50,
  packageNameMax: 40,
  serviceItemsMaxItems: 30,
  serviceItemMax: 100,
  sessionsMax: 1000,
  seatsMax: 10_000,
  refundCustomTextMaxVisible: 1000,
  timelineMaxNodes: 30,
  stageNameMax: 50,
  timelineTextMax: 200,
  durationValueMax: 999,
  requirementsMaxItems: 30,
  requirementTextMax: 200,
  riskDisclosureMax: 2000,
  afterSalesPolicyMax: 2000,
  credentialFilesMaxItems: 30,
  fileNameMax: 255,
  /** Scans and PDFs of licences and contracts; anything larger is not a document scan. */
  credentialFileMaxBytes: 50 * 1024 * 1024,
  /** `validUntil` at most this many days after today is reported as expiring soon. */
  credentialExpiryWarningDays: 30,
  /** 住所 on a business licence (the longest real ones are about 60 characters). */
  providerAddressMax: 200,
  certificateHolderNameMax: 100,
  certificateNumberMax: 64,
  /**
   * Provenance of values entered from a scanned dossier (OCR pre-fill, issue 11): at most one
   * entry per field, and a listing has far fewer OCR-read fields than this.
   */
  provenanceMaxEntries: 500,
  /** A provenance pointer: at most this many characters and `provenancePointerMaxSegments` parts. */
  provenancePointerMax: 200,
  provenancePointerMaxSegments: 8,
  /** The text OCR read for a value, kept for the reviewer. */
  provenanceTextMax: 200,
  provenanceEnteredByMax: 100,
  /** Pages of a dossier (the OCR pipeline refuses longer PDFs). */
  provenancePageMax: 100,
  /** Page pixels: pages are rendered within a 12-megapixel budget, sides stay well below. */
  provenanceBoxMax: 100_000,
} as const;

/** The id pattern of list items (`LISTING_LIMITS.idMaxLength`). */
export const LISTING_ID_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${LISTING_LIMITS.idMaxLength}}$`);

/** Lower-case hexadecimal SHA-256, as the upload pipeline writes it. */
export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

// ---------------------------------------------------------------------------------------------
// Enumerations, each with the labels the form renders

/** The form's steps, in form order; they are the top-level keys of the document besides
 * `schemaVersion` and `provider`. */
export const LISTING_STEPS = [
  'basic',
  'highlights',
  'packages',
  'process',
  'requirements',
  'risk',
  'credentials',
] as const;
export type ListingStep = (typeof LISTING_STEPS)[number];

/** Who offers a listing: an institution (机构) or an individual tutor (导师个人). */
export const PROVIDER_KINDS = ['institution', 'tutor'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export const PROVIDER_KIND_LABELS: Readonly<Record<ProviderKind, LocalizedText>> = {
  institution: { 'zh-CN': '机构', en: 'Institution' },
  tutor: { 'zh-CN': '导师个人', en: 'Individual tutor' },
};

/** Study stages a listing serves (seed: 本科 / 硕士 / 博士 / 交换 / 语言强化). */
export const STAGES = ['undergraduate', 'master', 'phd', 'exchange', 'language_intensive'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_LABELS: Readonly<Record<Stage, LocalizedText>> = {
  undergraduate: { 'zh-CN': '本科', en: 'Undergraduate' },
  master: { 'zh-CN': '硕士', en: 'Master' },
  phd: { 'zh-CN': '博士', en: 'PhD' },
  exchange: { 'zh-CN': '交换', en: 'Exchange' },
  language_intensive: { 'zh-CN': '语言强化', en: 'Language intensive' },
};
/**
 * Words that count as naming a stage in a listing name (see `COUNTRIES` for how they match).
 * 研究生 and 授课型 are how the market says master; 雅思/托福 courses are language courses.
 */
export const STAGE_ALIASES: Readonly<Record<Stage, readonly string[]>> = {
  undergraduate: ['本科', '学士', '大学申请', 'Undergraduate', 'Bachelor', 'BA', 'BSc'],
  master: ['硕士', '硕', '研究生', '授课型', 'Master', 'Masters', 'MSc', 'MA', 'MBA', 'LLM'],
  phd: ['博士', '读博', '直博', 'PhD', 'Ph.D', 'DPhil', 'Doctoral', 'Doctorate'],
  exchange: ['交换', '交流', '游学', '暑校', 'Exchange', 'Summer School'],
  language_intensive: [
    '语言',
    '语培',
    '雅思',
    '托福',
    '多邻国',
    'IELTS',
    'TOEFL',
    'Duolingo',
    'Language',
    'Pre-sessional',
  ],
};

/** Intake seasons (seed: Spring / Fall / Rolling). */
export const INTAKES = ['spring', 'fall', 'rolling'] as const;
export type Intake = (typeof INTAKES)[number];
export const INTAKE_LABELS: Readonly<Record<Intake, LocalizedText>> = {
  spring: { 'zh-CN': '春季入学', en: 'Spring' },
  fall: { 'zh-CN': '秋季入学', en: 'Fall' },
  rolling: { 'zh-CN': '滚动招生', en: 'Rolling' },
};

/** A package price is one amount or a range (seed: 价格区间). */
export const PRICE_KINDS = ['fixed', 'range'] as const;
export type PriceKind = (typeof PRICE_KINDS)[number];
export const PRICE_KIND_LABELS: Readonly<Record<PriceKind, LocalizedText>> = {
  fixed: { 'zh-CN': '固定价格', en: 'Fixed price' },
  range: { 'zh-CN': '价格区间', en: 'Price range' },
};

/**
 * Standard refund templates (seed: 退费规则 = 标准模板 + 自定义补充). The 7-day template is the
 * platform's refund rule (domain.md "Refunds": within 7 days of purchase and progress ≤ 10%).
 * `custom_only` means the custom text is the whole policy, so it must then be filled in.
 */
export const REFUND_TEMPLATE_IDS = [
  'standard_7_days',
  'standard_14_days',
  'pro_rata',
  'custom_only',
] as const;
export type RefundTemplateId = (typeof REFUND_TEMPLATE_IDS)[number];
export const REFUND_TEMPLATES: Readonly<
  Record<RefundTemplateId, { readonly title: LocalizedText; readonly summary: LocalizedText }>
> = {
  standard_7_days: {
    title: { 'zh-CN': '7 天无忧退款', en: '7-day refund' },
    summary: {
      'zh-CN': '购买后 7 天内且服务进度不超过 10%，可申请全额退款，款项 3 个工作日内原路退回。',
      en: 'Full refund within 7 days of purchase while at most 10% of the service is delivered; paid back within 3 working days.',
    },
  },
  standard_14_days: {
    title: { 'zh-CN': '14 天未开始服务退款', en: '14-day refund before service starts' },
    summary: {
      'zh-CN': '购买后 14 天内且服务尚未开始，可申请全额退款。',
      en: 'Full refund within 14 days of purchase if the service has not started.',
    },
  },
  pro_rata: {
    title: { 'zh-CN': '按进度比例退款', en: 'Pro-rata refund' },
    summary: {
      'zh-CN': '服务开始后，按未完成的服务比例退款。',
      en: 'After the service starts, the undelivered share of the price is refunded.',
    },
  },
  custom_only: {
    title: { 'zh-CN': '仅自定义条款', en: 'Custom terms only' },
    summary: {
      'zh-CN': '不使用标准模板，退费规则以自定义补充为准。',
      en: 'No standard template: the custom terms are the whole refund policy.',
    },
  },
};

/** Units of a timeline node's duration. */
export const DURATION_UNITS = ['day', 'week', 'month'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
export const DURATION_UNIT_LABELS: Readonly<Record<DurationUnit, LocalizedText>> = {
  day: { 'zh-CN': '天', en: 'days' },
  week: { 'zh-CN': '周', en: 'weeks' },
  month: { 'zh-CN': '个月', en: 'months' },
};

/** Kinds of admission condition (seed: 学术/语言成绩、背景要求). */
export const REQUIREMENT_CATEGORIES = ['academic', 'language', 'background', 'other'] as const;
export type RequirementCategory = (typeof REQUIREMENT_CATEGORIES)[number];
export const REQUIREMENT_CATEGORY_LABELS: Readonly<Record<RequirementCategory, LocalizedText>> = {
  academic: { 'zh-CN': '学术成绩', en: 'Academic' },
  language: { 'zh-CN': '语言成绩', en: 'Language' },
  background: { 'zh-CN': '背景要求', en: 'Background' },
  other: { 'zh-CN': '其他', en: 'Other' },
};

/** Kinds of credential file (seed: 营业执照、合同样本、导师证明). */
export const CREDENTIAL_KINDS = [
  'business_licence',
  'contract_sample',
  'mentor_certificate',
  'other',
] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];
export const CREDENTIAL_KIND_LABELS: Readonly<Record<CredentialKind, LocalizedText>> = {
  business_licence: { 'zh-CN': '营业执照', en: 'Business licence' },
  contract_sample: { 'zh-CN': '合同样本', en: 'Contract sample' },
  mentor_certificate: { 'zh-CN': '导师证明', en: 'Mentor certificate' },
  other: { 'zh-CN': '其他材料', en: 'Other document' },
};

/** Seed: 支持 PDF、图片. */
export const CREDENTIAL_MIME_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/webp',
] as const;
export type CredentialMimeType = (typeof CREDENTIAL_MIME_TYPES)[number];
export const CREDENTIAL_MIME_TYPE_LABELS: Readonly<Record<CredentialMimeType, LocalizedText>> = {
  'application/pdf': { 'zh-CN': 'PDF 文件', en: 'PDF' },
  'image/jpeg': { 'zh-CN': 'JPEG 图片', en: 'JPEG image' },
  'image/png': { 'zh-CN': 'PNG 图片', en: 'PNG image' },
  'image/webp': { 'zh-CN': 'WebP 图片', en: 'WebP image' },
};

// ---------------------------------------------------------------------------------------------
// Issue codes

/**
 * Every code a listing check reports, with its fixed severity: `error` blocks submission,
 * `warning` is advice. Tests and the UI key on these codes; keep them stable.
 */
export const LISTING_ISSUE_SEVERITY = {
  not_an_object: 'error',
  /** The value could not be read at all (a throwing getter, a proxy): never from JSON. */
  unreadable_document: 'error',
  required: 'error',
  invalid_type: 'error',
  invalid_value: 'error',
  invalid_format: 'error',
  too_long: 'error',
  too_few: 'error',
  too_many: 'error',
  too_small: 'error',
  too_large: 'error',
  not_positive: 'error',
  duplicate_id: 'error',
  duplicate_value: 'error',
  range_inverted: 'error',
  not_confirmed: 'error',
  credential_expired: 'error',
  credential_expiring_soon: 'warning',
  credential_not_yet_valid: 'warning',
  unknown_mentor: 'error',
  missing_business_licence: 'error',
  missing_mentor_certificate: 'error',
  name_lacks_country_or_stage: 'warning',
  future_year: 'warning',
  unknown_field: 'warning',
  /** The list was cut short (see validate.ts); every dropped issue was a warning or an error
   * beyond many kept errors, so it never hides that a document is blocked. */
  too_many_issues: 'warning',
} as const satisfies Record<string, IssueSeverity>;
/** A code `validateListing` can report. */
export type ListingIssueCode = keyof typeof LISTING_ISSUE_SEVERITY;
/** Every issue code, for exhaustive UI tables and tests. */
export const LISTING_ISSUE_CODES = Object.keys(
  LISTING_ISSUE_SEVERITY,
) as readonly ListingIssueCode[];

/** Whether a string is one of the listing issue codes. */
export function isListingIssueCode(value: unknown): value is ListingIssueCode {
  return typeof value === 'string' && Object.hasOwn(LISTING_ISSUE_SEVERITY, value);
}

/** Params of a custom issue: the listing code travels in `issueCode`, the rest is for messages. */
type IssueParams = Record<string, string | number>;

/** The key under which the schema's own checks put their listing issue code in zod params. */
export const ISSUE_CODE_PARAM = 'issueCode';

function report(
  ctx: z.core.$RefinementCtx,
  code: ListingIssueCode,
  path: PathSegment[],
  params: IssueParams = {},
): void {
  ctx.addIssue({
    code: 'custom',
    message: code,
    path,
    params: { ...params, [ISSUE_CODE_PARAM]: code },
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** A plain object (not null, not an array), as JSON objects are. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isoDate = z.iso.date();

/** `YYYY-MM-DD` naming a real calendar day (2026-02-29 is not one). */
export function isIsoDate(value: unknown): value is string {
  return isoDate.safeParse(value).success;
}

/**
 * A whole-list or whole-object check must see lists and objects with broken members too: zod by
 * default skips a refinement once anything inside failed, which would hide a duplicate id until
 * every other field of every item is fixed. Such checks therefore run whenever the value has the
 * right outer shape, and read their members defensively.
 */
const whenRecord = { when: (payload: z.core.ParsePayload) => isRecord(payload.value) };
const whenArray = { when: (payload: z.core.ParsePayload) => Array.isArray(payload.value) };

function checkLength(value: string, max: number, ctx: z.core.$RefinementCtx): void {
  // A grapheme is at least one UTF-16 unit: strings this short cannot be too long.
  if (value.length <= max) {
    return;
  }
  const actual = countCharacters(value);
  if (actual > max) {
    report(ctx, 'too_long', [], { max, actual });
  }
}

/** Required plain text: blank (only white space) counts as missing; length counted trimmed. */
function requiredText(max: number) {
  return z.string().superRefine((value, ctx) => {
    const trimmed = value.trim();
    if (trimmed === '') {
      report(ctx, 'required', []);
    } else {
      checkLength(trimmed, max, ctx);
    }
  });
}

function optionalText(max: number) {
  return z
    .string()
    .superRefine((value, ctx) => {
      checkLength(value.trim(), max, ctx);
    })
    .optional();
}

function checkRichText(value: string, max: number, required: boolean, ctx: z.core.$RefinementCtx) {
  const actual = countVisibleCharacters(value);
  if (actual === 0) {
    if (required) {
      report(ctx, 'required', []);
    }
  } else if (actual > max) {
    report(ctx, 'too_long', [], { max, actual });
  }
}

/** Rich text (an HTML string); required means some visible text, not just empty paragraphs. */
function requiredRichText(maxVisible: number) {
  return z.string().superRefine((value, ctx) => {
    checkRichText(value, maxVisible, true, ctx);
  });
}

function optionalRichText(maxVisible: number) {
  return z
    .string()
    .superRefine((value, ctx) => {
      checkRichText(value, maxVisible, false, ctx);
    })
    .optional();
}

const idSchema = z.string().superRefine((value, ctx) => {
  if (value.trim() === '') {
    report(ctx, 'required', []);
  } else if (!LISTING_ID_PATTERN.test(value)) {
    report(ctx, 'invalid_format', [], { format: 'id', maxLength: LISTING_LIMITS.idMaxLength });
  }
});

/**
 * A step or nested group that is missing is parsed as an empty object, so that a draft that never
 * opened a step reports that step's required fields one by one, at the fields, exactly as a step
 * that was opened and left empty does. The form shows issues at fields; one issue on a whole step
 * would have no field to sit on and would turn into five when the step is opened.
 */
function group<T extends z.ZodType>(schema: T) {
  return schema.prefault(() => ({}) as z.input<T>);
}

/** Duplicate list-item ids break matching items across revisions (diffs, comments). */
function checkUniqueIds(value: unknown, ctx: z.core.$RefinementCtx): void {
  checkUnique(value, ctx, 'duplicate_id', (item) => (isRecord(item) ? item['id'] : undefined), [
    'id',
  ]);
}

/**
 * Reports every item whose key (as `keyOf` reads it) equals an earlier item's, at the later item
 * (plus `subPath`): the first occurrence is the one the submitter meant.
 */
function checkUnique(
  value: unknown,
  ctx: z.core.$RefinementCtx,
  code: 'duplicate_id' | 'duplicate_value',
  keyOf: (item: unknown) => unknown,
  subPath: PathSegment[] = [],
): void {
  if (!Array.isArray(value)) {
    return;
  }
  const seen = new Map<string, number>();
  value.forEach((item: unknown, index) => {
    const key = keyOf(item);
    if (typeof key !== 'string' || key.trim() === '') {
      return;
    }
    // Same text up to width, case and surrounding space is the same tag to a reader.
    const normalised = key.normalize('NFKC').trim().toLowerCase();
    const first = seen.get(normalised);
    if (first === undefined) {
      seen.set(normalised, index);
    } else {
      report(ctx, code, [index, ...subPath], { value: key, firstIndex: first });
    }
  });
}

function checkUniqueValues(value: unknown, ctx: z.core.$RefinementCtx): void {
  checkUnique(value, ctx, 'duplicate_value', (item) => item);
}

// ---------------------------------------------------------------------------------------------
// Schema

const providerSchema = z.strictObject({
  kind: z.enum(PROVIDER_KINDS),
  id: idSchema,
  /** Compared with the name on the business licence (OCR) during review. */
  name: requiredText(LISTING_LIMITS.providerNameMax),
  /**
   * 统一社会信用代码 (GB 32100) as the licence prints it; optional (entered from a dossier by
   * an assistant, or compared with the licence by OCR), but when given it must pass the check.
   */
  creditCode: z
    .string()
    .superRefine((value, ctx) => {
      if (value.trim() !== '' && !checkUscc(value).valid) {
        report(ctx, 'invalid_format', [], { format: 'uscc' });
      }
    })
    .optional(),
  /** 住所 as the licence prints it. */
  address: optionalText(LISTING_LIMITS.providerAddressMax),
});

const ALL_COUNTRY_AND_STAGE_ALIASES: readonly string[] = [
  ...COUNTRY_CODES.flatMap((code) => COUNTRIES[code].aliases),
  ...STAGES.flatMap((stage) => STAGE_ALIASES[stage]),
];

/**
 * True when a listing name says where or at which stage it leads (seed: 建议包含国家/阶段, e.g.
 * 英国硕士申请旗舰包). Any destination counts, not only the selected one: the advice is about
 * a name students can scan, and a mismatch with the selected country is for the reviewer.
 */
export function nameMentionsCountryOrStage(name: string): boolean {
  return mentionsAnyAlias(name, ALL_COUNTRY_AND_STAGE_ALIASES);
}

const basicSchema = z
  .strictObject({
    name: requiredText(LISTING_LIMITS.nameMax),
    country: z.enum(COUNTRY_CODES),
    stages: z
      .array(z.enum(STAGES))
      .min(1)
      .max(STAGES.length)
      .superRefine(checkUniqueValues, whenArray),
    intakes: z
      .array(z.enum(INTAKES))
      .min(1)
      .max(INTAKES.length)
      .superRefine(checkUniqueValues, whenArray),
    introduction: requiredRichText(LISTING_LIMITS.introductionMaxVisible),
  })
  .superRefine((value: unknown, ctx) => {
    const name = isRecord(value) ? value['name'] : undefined;
    if (typeof name === 'string' && name.trim() !== '' && !nameMentionsCountryOrStage(name)) {
      report(ctx, 'name_lacks_country_or_stage', ['name']);
    }
  }, whenRecord);

const mentorRefSchema = z.strictObject({
  id: idSchema,
  /** Id of a verified mentor profile (导师资料); checked against the verified set in validate.ts. */
  mentorId: idSchema,
});

const successCaseSchema = z.strictObject({
  id: idSchema,
  year: z.int().min(LISTING_LIMITS.successCaseYearMin).max(LISTING_LIMITS.successCaseYearMax),
  studentBackground: requiredText(LISTING_LIMITS.successCaseTextMax),
  result: requiredText(LISTING_LIMITS.successCaseTextMax),
  highlight: requiredText(LISTING_LIMITS.successCaseTextMax),
});

/** The whole step is optional (seed lists no required highlight); a missing list means none. */
const highlightsSchema = z.strictObject({
  advantages: z
    .array(requiredText(LISTING_LIMITS.advantageMax))
    .max(LISTING_LIMITS.advantagesMaxItems)
    .superRefine(checkUniqueValues, whenArray)
    .default([]),
  mentors: z
    .array(mentorRefSchema)
    .max(LISTING_LIMITS.mentorsMaxItems)
    .superRefine((value: unknown, ctx) => {
      checkUniqueIds(value, ctx);
      checkUnique(
        value,
        ctx,
        'duplicate_value',
        (item) => (isRecord(item) ? item['mentorId'] : undefined),
        ['mentorId'],
      );
    }, whenArray)
    .default([]),
  successCases: z
    .array(successCaseSchema)
    .max(LISTING_LIMITS.successCasesMaxItems)
    .superRefine(checkUniqueIds, whenArray)
    .default([]),
});

/** A price amount: a decimal string (never a float), greater than zero. */
const amountSchema = z.string().superRefine((value, ctx) => {
  if (value.trim() === '') {
    report(ctx, 'required', []);
  } else if (!DECIMAL_AMOUNT_PATTERN.test(value)) {
    report(ctx, 'invalid_format', [], { format: 'decimal' });
  } else if (new Decimal(value).lte(0)) {
    report(ctx, 'not_positive', [], { actual: value });
  }
});

const currencySchema = z.enum(CURRENCY_CODES);

/** A well-formed amount, or undefined: cross-field checks only compare what parses. */
function readAmount(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && DECIMAL_AMOUNT_PATTERN.test(value) ? value : undefined;
}

/**
 * A price is quoted in its currency's minor units: ¥12800.5 is fine in CNY, but JPY and KRW have
 * no decimals and nothing has more than two, so `12800.555` is a typo a student must not see.
 */
function checkCurrencyPrecision(
  record: Record<string, unknown>,
  keys: readonly string[],
  ctx: z.core.$RefinementCtx,
): void {
  const currency = record['currency'];
  if (typeof currency !== 'string' || !Object.hasOwn(CURRENCIES, currency)) {
    return;
  }
  const maxDecimals = CURRENCIES[currency as keyof typeof CURRENCIES].minorUnits;
  for (const key of keys) {
    const amount = readAmount(record, key);
    const decimals = amount?.split('.')[1]?.length ?? 0;
    if (decimals > maxDecimals) {
      report(ctx, 'invalid_format', [key], { format: 'currency_precision', maxDecimals, currency });
    }
  }
}

const fixedPriceSchema = z
  .strictObject({ kind: z.literal('fixed'), currency: currencySchema, amount: amountSchema })
  .superRefine((value: unknown, ctx) => {
    if (isRecord(value)) {
      checkCurrencyPrecision(value, ['amount'], ctx);
    }
  }, whenRecord);

const rangePriceSchema = z
  .strictObject({
    kind: z.literal('range'),
    currency: currencySchema,
    min: amountSchema,
    max: amountSchema,
  })
  .superRefine((value: unknown, ctx) => {
    if (!isRecord(value)) {
      return;
    }
    checkCurrencyPrecision(value, ['min', 'max'], ctx);
    const min = readAmount(value, 'min');
    const max = readAmount(value, 'max');
    // Compared exactly: "0.10" and "0.1" are equal, binary floats would not always agree.
    if (min !== undefined && max !== undefined && new Decimal(min).gt(max)) {
      report(ctx, 'range_inverted', ['min'], { min, max });
    }
  }, whenRecord);

const priceSchema = z.discriminatedUnion('kind', [fixedPriceSchema, rangePriceSchema]);

const packageSchema = z.strictObject({
  id: idSchema,
  name: requiredText(LISTING_LIMITS.packageNameMax),
  price: priceSchema,
  /** What the package includes; a package without any service item sells nothing. */
  serviceItems: z
    .array(requiredText(LISTING_LIMITS.serviceItemMax))
    .min(1)
    .max(LISTING_LIMITS.serviceItemsMaxItems)
    .superRefine(checkUniqueValues, whenArray),
  /** Number of sessions or stages (课时/阶段数). */
  sessions: z.int().min(1).max(LISTING_LIMITS.sessionsMax),
  seats: z.int().min(1).max(LISTING_LIMITS.seatsMax),
});

const refundPolicySchema = z
  .strictObject({
    templateId: z.enum(REFUND_TEMPLATE_IDS),
    customText: optionalRichText(LISTING_LIMITS.refundCustomTextMaxVisible),
  })
  .superRefine((value: unknown, ctx) => {
    if (!isRecord(value) || value['templateId'] !== 'custom_only') {
      return;
    }
    const customText = value['customText'];
    if (
      customText === undefined ||
      (typeof customText === 'string' && countVisibleCharacters(customText) === 0)
    ) {
      report(ctx, 'required', ['customText']);
    }
  }, whenRecord);

const packagesSchema = z.strictObject({
  items: z
    .array(packageSchema)
    .min(1)
    .max(LISTING_LIMITS.packagesMaxItems)
    .superRefine((value: unknown, ctx) => {
      checkUniqueIds(value, ctx);
      // Two packages with one name cannot be told apart by a student.
      checkUnique(
        value,
        ctx,
        'duplicate_value',
        (item) => (isRecord(item) ? item['name'] : undefined),
        ['name'],
      );
    }, whenArray),
  refundPolicy: group(refundPolicySchema),
});

const durationSchema = z.strictObject({
  value: z.int().min(1).max(LISTING_LIMITS.durationValueMax),
  unit: z.enum(DURATION_UNITS),
});

const timelineNodeSchema = z.strictObject({
  id: idSchema,
  stageName: requiredText(LISTING_LIMITS.stageNameMax),
  duration: group(durationSchema),
  deliverable: requiredText(LISTING_LIMITS.timelineTextMax),
  acceptanceCriteria: requiredText(LISTING_LIMITS.timelineTextMax),
});

const processSchema = z.strictObject({
  timeline: z
    .array(timelineNodeSchema)
    .min(1)
    .max(LISTING_LIMITS.timelineMaxNodes)
    .superRefine(checkUniqueIds, whenArray),
});

const requirementItemSchema = z.strictObject({
  id: idSchema,
  category: z.enum(REQUIREMENT_CATEGORIES),
  text: requiredText(LISTING_LIMITS.requirementTextMax),
  /** Whether the condition is a must (true) or a plus (false). */
  required: z.boolean(),
});

const requirementsSchema = z.strictObject({
  items: z
    .array(requirementItemSchema)
    .min(1)
    .max(LISTING_LIMITS.requirementsMaxItems)
    .superRefine(checkUniqueIds, whenArray),
});

const riskSchema = z
  .strictObject({
    disclosure: requiredText(LISTING_LIMITS.riskDisclosureMax),
    afterSalesPolicy: optionalText(LISTING_LIMITS.afterSalesPolicyMax),
    /** Missing means "not confirmed yet", which is what a draft is, not a malformed document. */
    confirmed: z.boolean().default(false),
    confirmedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((value: unknown, ctx) => {
    if (isRecord(value) && value['confirmed'] === false) {
      report(ctx, 'not_confirmed', ['confirmed']);
    }
  }, whenRecord);

const credentialFileSchema = z
  .strictObject({
    id: idSchema,
    kind: z.enum(CREDENTIAL_KINDS),
    fileName: requiredText(LISTING_LIMITS.fileNameMax),
    mimeType: z.enum(CREDENTIAL_MIME_TYPES),
    sizeBytes: z.int().min(1).max(LISTING_LIMITS.credentialFileMaxBytes),
    sha256: z.string().superRefine((value, ctx) => {
      if (value.trim() === '') {
        report(ctx, 'required', []);
      } else if (!SHA256_PATTERN.test(value)) {
        report(ctx, 'invalid_format', [], { format: 'sha256' });
      }
    }),
    validFrom: z.iso.date().optional(),
    /** `null` is 长期 (no expiry), as licences print it; it must be chosen, not left out. */
    validUntil: z.iso.date().nullable(),
    /** A certificate's holder (持证人) and number, as printed (mentor certificates). */
    holderName: optionalText(LISTING_LIMITS.certificateHolderNameMax),
    certificateNumber: optionalText(LISTING_LIMITS.certificateNumberMax),
  })
  .superRefine((value: unknown, ctx) => {
    if (!isRecord(value)) {
      return;
    }
    const from = value['validFrom'];
    const until = value['validUntil'];
    // ISO dates compare correctly as strings.
    if (isIsoDate(from) && isIsoDate(until) && from > until) {
      report(ctx, 'range_inverted', ['validFrom'], { validFrom: from, validUntil: until });
    }
  }, whenRecord);

const credentialsSchema = z.strictObject({
  files: z
    .array(credentialFileSchema)
    .max(LISTING_LIMITS.credentialFilesMaxItems)
    .superRefine(checkUniqueIds, whenArray),
});

// ---------------------------------------------------------------------------------------------
// Provenance of values entered from a scanned dossier (issue 11, OCR pre-fill)

/**
 * A provenance pointer: an RFC 6901 JSON Pointer into the document made only of keys and
 * indices (`/provider/name`, `/packages/items/0/price`), so it never needs `~` escapes.
 */
export const PROVENANCE_POINTER_PATTERN = new RegExp(
  `^(?:/[A-Za-z0-9_-]{1,${LISTING_LIMITS.idMaxLength}}){1,${LISTING_LIMITS.provenancePointerMaxSegments}}$`,
);

/**
 * Characters a provenance string may not hold: it is plain text shown beside a field, so no
 * markup (`<`, `>`), no control characters and no bidi overrides that could disguise it.
 */
export const PROVENANCE_FORBIDDEN_CHARACTERS = /[<>\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

function provenanceText(max: number, required: boolean) {
  return z.string().superRefine((value, ctx) => {
    if (value.trim() === '') {
      if (required) {
        report(ctx, 'required', []);
      }
      return;
    }
    if (PROVENANCE_FORBIDDEN_CHARACTERS.test(value)) {
      report(ctx, 'invalid_format', [], { format: 'plain_text' });
    }
    checkLength(value, max, ctx);
  });
}

const provenanceCoordinate = z.int().min(0).max(LISTING_LIMITS.provenanceBoxMax);

/** Where one value of the document was read: the dossier file, page and region, by whom. */
const provenanceEntrySchema = z.strictObject({
  /** How the value came in; only OCR pre-fill records provenance so far. */
  method: z.literal('ocr'),
  /** Who accepted the proposal (a user id or display name). */
  enteredBy: provenanceText(LISTING_LIMITS.provenanceEnteredByMax, true),
  enteredAt: z.iso.datetime({ offset: true }),
  fileName: provenanceText(LISTING_LIMITS.fileNameMax, true),
  /** 1-based. */
  page: z.int().min(1).max(LISTING_LIMITS.provenancePageMax),
  /** In pixels of the page image as read. */
  bbox: z.strictObject({
    x: provenanceCoordinate,
    y: provenanceCoordinate,
    width: provenanceCoordinate,
    height: provenanceCoordinate,
  }),
  /** 0–1. */
  confidence: z.number().min(0).max(1),
  /** The text as read. */
  text: provenanceText(LISTING_LIMITS.provenanceTextMax, false),
  /** Set when the value was changed from what OCR proposed (at acceptance or later). */
  edited: z.boolean().optional(),
});

const provenanceSchema = z.record(z.string(), provenanceEntrySchema).superRefine((value, ctx) => {
  const pointers = Object.keys(value);
  if (pointers.length > LISTING_LIMITS.provenanceMaxEntries) {
    report(ctx, 'too_many', [], {
      max: LISTING_LIMITS.provenanceMaxEntries,
      actual: pointers.length,
    });
  }
  for (const pointer of pointers) {
    if (
      pointer.length > LISTING_LIMITS.provenancePointerMax ||
      !PROVENANCE_POINTER_PATTERN.test(pointer)
    ) {
      report(ctx, 'invalid_format', [pointer], { format: 'json_pointer' });
    }
  }
}, whenRecord);

/** The value a provenance pointer names in a document, or undefined when it names nothing. */
export function valueAtPointer(document: unknown, pointer: string): unknown {
  let current: unknown = document;
  for (const segment of pointer.split('/').slice(1)) {
    if (Array.isArray(current)) {
      if (!/^(?:0|[1-9][0-9]*)$/.test(segment)) {
        return undefined;
      }
      current = current[Number(segment)];
    } else if (isRecord(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/**
 * The credential a provider of each kind must upload: an institution its business licence, an
 * individual tutor a certificate proving the tutor's qualification.
 */
export const REQUIRED_CREDENTIAL: Readonly<
  Record<ProviderKind, { kind: CredentialKind; code: ListingIssueCode }>
> = {
  institution: { kind: 'business_licence', code: 'missing_business_licence' },
  tutor: { kind: 'mentor_certificate', code: 'missing_mentor_certificate' },
};

/** The full listing document. See the module comment for what its issues mean. */
export const listingDocumentSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    /** Who offers the listing; set by the system from the signed-in team, not typed. */
    provider: group(providerSchema),
    basic: group(basicSchema),
    highlights: group(highlightsSchema),
    packages: group(packagesSchema),
    process: group(processSchema),
    requirements: group(requirementsSchema),
    risk: group(riskSchema),
    credentials: group(credentialsSchema),
    /**
     * Where values entered from a scanned dossier were read, by the JSON Pointer of the field
     * (OCR pre-fill, `shared/ocr/prefill.ts`); absent in documents typed by hand.
     */
    provenance: provenanceSchema.optional(),
  })
  .superRefine((value: unknown, ctx) => {
    if (!isRecord(value)) {
      return;
    }
    const provenance = value['provenance'];
    if (isRecord(provenance)) {
      // Provenance of a field that is gone (a package removed) says nothing true any more.
      for (const pointer of Object.keys(provenance)) {
        if (
          PROVENANCE_POINTER_PATTERN.test(pointer) &&
          valueAtPointer(value, pointer) === undefined
        ) {
          report(ctx, 'unknown_field', ['provenance', pointer], { pointer });
        }
      }
    }
    const provider = value['provider'];
    const credentials = value['credentials'];
    const kind = isRecord(provider) ? provider['kind'] : undefined;
    const files = isRecord(credentials) ? credentials['files'] : undefined;
    // A missing or malformed list is already reported as such; do not add a second issue on it.
    if ((kind !== 'institution' && kind !== 'tutor') || !Array.isArray(files)) {
      return;
    }
    const needed = REQUIRED_CREDENTIAL[kind];
    const present = files.some((file: unknown) => isRecord(file) && file['kind'] === needed.kind);
    if (!present) {
      report(ctx, needed.code, ['credentials', 'files']);
    }
  }, whenRecord);

// ---------------------------------------------------------------------------------------------
// Types

/**
 * A listing document that passed the schema, after parsing: optional lists that were left out
 * are `[]` and a missing `risk.confirmed` is `false`.
 */
export type ListingDocument = z.output<typeof listingDocumentSchema>;
/** What the schema accepts as input: the same, with the defaulted members optional. */
export type ListingDocumentInput = z.input<typeof listingDocumentSchema>;

/** Parts of a parsed document, named for the code that handles one part. */
export type ListingProvider = ListingDocument['provider'];
export type ListingBasic = ListingDocument['basic'];
export type ListingHighlights = ListingDocument['highlights'];
export type MentorRef = ListingHighlights['mentors'][number];
export type SuccessCase = ListingHighlights['successCases'][number];
export type ListingPackages = ListingDocument['packages'];
export type ListingPackage = ListingPackages['items'][number];
export type Price = ListingPackage['price'];
export type FixedPrice = Extract<Price, { kind: 'fixed' }>;
export type RangePrice = Extract<Price, { kind: 'range' }>;
export type RefundPolicy = ListingPackages['refundPolicy'];
export type ListingProcess = ListingDocument['process'];
export type TimelineNode = ListingProcess['timeline'][number];
export type Duration = TimelineNode['duration'];
export type ListingRequirements = ListingDocument['requirements'];
export type RequirementItem = ListingRequirements['items'][number];
export type ListingRisk = ListingDocument['risk'];
export type ListingCredentials = ListingDocument['credentials'];
export type CredentialFile = ListingCredentials['files'][number];
export type ListingProvenance = NonNullable<ListingDocument['provenance']>;
export type ProvenanceEntry = ListingProvenance[string];
