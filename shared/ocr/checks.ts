import { checkUscc, USCC_REASON_MESSAGES } from '../domain/uscc';
import { addCalendarDays, parseCalendarDate, formatCalendarDate } from '../domain/time';
import type { CredentialKind } from '../domain/listing/document';
import type { ReviewReasonCode } from '../domain/review/reasons';
import { toJsonPointer, type IssueSeverity } from '../domain/validationIssue';
import type { Locale, LocalizedText } from '../i18n/localized';
import type { DocumentKind, ExtractedField, ExtractedFieldName, Extraction } from './extract';
import { editDistance, normalizeName } from './normalize';

/*
 * Checks of a credential's OCR reading against the listing it was uploaded with. Each finding
 * names the credential field it is about (to highlight on the paper) and the listing field it
 * concerns (a JSON Pointer, to show at that field), and carries a ready review comment anchored
 * there, so that one click turns a finding into a field comment with reason 资质问题.
 */

export const CREDENTIAL_CHECK_CODES = [
  /** The licence's 名称 (or a tutor certificate's holder) differs from the listing's provider. */
  'NAME_MISMATCH',
  /** The credit code read fails GB 32100 (length, charset or check character). */
  'CREDIT_CODE_INVALID',
  /** The licence's term ended before today. */
  'LICENCE_EXPIRED',
  /** The licence ends before a service bought today would end. */
  'LICENCE_ENDS_BEFORE_SERVICE',
  /** The certificate's validity ended before today. */
  'CERTIFICATE_EXPIRED',
  /** The certificate ends before a service bought today would end. */
  'CERTIFICATE_ENDS_BEFORE_SERVICE',
  /** The expiry the submitter declared differs from the paper's. */
  'EXPIRY_MISMATCH',
  /** The file was declared as one kind of credential but reads as another. */
  'KIND_MISMATCH',
  /** A field every paper of this kind prints was not found. */
  'FIELD_NOT_FOUND',
  /** A value was read with low confidence: verify it by eye. */
  'LOW_CONFIDENCE',
] as const;
export type CredentialCheckCode = (typeof CREDENTIAL_CHECK_CODES)[number];

/**
 * Below this field confidence (0–1) a value gets LOW_CONFIDENCE ("verify by eye"). Measured on
 * the OCR fixtures (162 correctly read values): median 0.90, 4 % below 0.70 (8 % below 0.75), so
 * 0.70 flags the genuinely doubtful readings without crying wolf on every scan. Confidence does
 * not catch confident misreadings (the two wrong names there were read at 0.83 and 0.90): that is
 * why names, codes and dates are also checked against the listing and their own rules.
 */
export const LOW_CONFIDENCE_THRESHOLD = 0.7;

/** What the checks compare the reading with; every part is optional except `today`. */
export interface CredentialContext {
  /** The reviewer's calendar day, `YYYY-MM-DD`. */
  readonly today: string;
  /** The listing's provider name (`/provider/name`). */
  readonly providerName?: string;
  /** Institution listings compare the licence's name; tutor listings the certificate holder's. */
  readonly providerKind?: 'institution' | 'tutor';
  /** The kind the submitter declared for the file. */
  readonly declaredKind?: CredentialKind;
  /** The expiry the submitter declared: a date, `null` for 长期, undefined when unknown. */
  readonly declaredValidUntil?: string | null;
  /** The last day of the service a student buying today would get. */
  readonly timelineEndsOn?: string;
  /** Index of the file in `credentials.files`, for the pointers; unknown → `/credentials/files`. */
  readonly fileIndex?: number;
}

export interface SuggestedComment {
  /** JSON Pointer of the listing field to anchor the comment to. */
  readonly path: string;
  readonly reasonCode: ReviewReasonCode;
  readonly text: LocalizedText;
}

export interface CredentialFinding {
  readonly code: CredentialCheckCode;
  readonly severity: IssueSeverity;
  /** The credential field the finding is about (highlight its box on the paper). */
  readonly field: ExtractedFieldName | null;
  readonly message: LocalizedText;
  /** JSON Pointer of the related listing field. */
  readonly listingPath: string;
  readonly params: Readonly<Record<string, string | number | null>>;
  readonly suggestedComment: SuggestedComment;
}

/** The kinds a credential file may be declared as, and what OCR calls them. */
const OCR_KIND_OF: Readonly<Partial<Record<CredentialKind, DocumentKind>>> = {
  business_licence: 'business_licence',
  mentor_certificate: 'tutor_certificate',
};

const REQUIRED_FIELDS: Readonly<Record<DocumentKind, readonly ExtractedFieldName[]>> = {
  business_licence: ['name', 'creditCode', 'validUntil'],
  tutor_certificate: ['holderName', 'validUntil'],
  unknown: [],
};

const FIELD_LABELS: Readonly<Record<ExtractedFieldName, LocalizedText>> = {
  name: { 'zh-CN': '名称', en: 'name' },
  creditCode: { 'zh-CN': '统一社会信用代码', en: 'credit code' },
  legalRepresentative: { 'zh-CN': '法定代表人', en: 'legal representative' },
  registeredCapital: { 'zh-CN': '注册资本', en: 'registered capital' },
  registeredCapitalAmount: { 'zh-CN': '注册资本金额', en: 'registered capital amount' },
  establishedOn: { 'zh-CN': '成立日期', en: 'date of establishment' },
  validFrom: { 'zh-CN': '营业期限起始日', en: 'start of term' },
  validUntil: { 'zh-CN': '有效期', en: 'expiry' },
  address: { 'zh-CN': '住所', en: 'address' },
  holderName: { 'zh-CN': '持证人姓名', en: 'holder name' },
  certificateNumber: { 'zh-CN': '证书编号', en: 'certificate number' },
};

const KIND_LABELS: Readonly<Record<DocumentKind, LocalizedText>> = {
  business_licence: { 'zh-CN': '营业执照', en: 'business licence' },
  tutor_certificate: { 'zh-CN': '导师资格证书', en: 'tutor certificate' },
  unknown: { 'zh-CN': '无法识别的文件', en: 'unrecognised document' },
};

function untilText(value: string | null | undefined): LocalizedText {
  if (value === null) {
    return { 'zh-CN': '长期', en: 'no end date (长期)' };
  }
  return { 'zh-CN': value ?? '?', en: value ?? '?' };
}

/**
 * Whether two names are the same company or person once normalised ({@link normalizeName}:
 * spaces, brackets, full-width forms, 有限责任公司 ≡ 有限公司).
 */
export function namesMatch(a: string, b: string): boolean {
  return normalizeName(a) === normalizeName(b);
}

/**
 * The last day of a service bought on `start`: the timeline's durations added up (days, weeks of
 * 7 days, calendar months), minus one day (a one-day service ends the day it starts).
 */
export function serviceEndDate(
  timeline: readonly {
    readonly duration: { readonly value: number; readonly unit: 'day' | 'week' | 'month' };
  }[],
  start: string,
): string {
  let days = 0;
  let months = 0;
  for (const node of timeline) {
    if (node.duration.unit === 'month') {
      months += node.duration.value;
    } else {
      days += node.duration.value * (node.duration.unit === 'week' ? 7 : 1);
    }
  }
  const { year, month, day } = parseCalendarDate(start);
  const totalMonths = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(totalMonths / 12);
  const targetMonth = (totalMonths % 12) + 1;
  // Clamp to the month's last day (31 January + 1 month = 28/29 February). Day 0 of the next
  // month is the last day of this one.
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  const afterMonths = formatCalendarDate({
    year: targetYear,
    month: targetMonth,
    day: Math.min(day, lastDay),
  });
  return addCalendarDays(afterMonths, days - 1);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

const DURATION_UNITS = new Set(['day', 'week', 'month']);
const DECLARED_KINDS = new Set<string>([
  'business_licence',
  'contract_sample',
  'mentor_certificate',
  'other',
]);

/**
 * The context of one credential file of a listing document: provider, declared kind and expiry,
 * and the end of a service bought `today`. The file is found by its SHA-256 (as the pipeline
 * computes it) or by its id. Reads the document defensively (a draft may be incomplete or
 * invalid): whatever is missing or malformed is left out of the context, and a file the listing
 * does not list still gets the provider checks.
 */
export function credentialContextFor(
  document: unknown,
  file: { readonly sha256?: string; readonly id?: string },
  today: string,
): CredentialContext {
  const root = record(document);
  const provider = record(root?.['provider']);
  const providerName = provider?.['name'];
  const providerKind = provider?.['kind'];
  const files = record(root?.['credentials'])?.['files'];
  const list = Array.isArray(files) ? files.map(record) : [];
  const index = list.findIndex(
    (candidate) =>
      candidate !== undefined &&
      ((file.sha256 !== undefined && candidate['sha256'] === file.sha256) ||
        (file.id !== undefined && candidate['id'] === file.id)),
  );
  const credential = index >= 0 ? list[index] : undefined;
  const timeline = record(root?.['process'])?.['timeline'];
  const nodes = Array.isArray(timeline)
    ? timeline.flatMap((node) => {
        const duration = record(record(node)?.['duration']);
        const value = duration?.['value'];
        const unit = duration?.['unit'];
        return typeof value === 'number' &&
          Number.isInteger(value) &&
          value > 0 &&
          typeof unit === 'string' &&
          DURATION_UNITS.has(unit)
          ? [{ duration: { value, unit: unit as 'day' | 'week' | 'month' } }]
          : [];
      })
    : [];
  const declaredValidUntil = credential?.['validUntil'];
  const declaredKind = credential?.['kind'];
  return {
    today,
    ...(typeof providerName === 'string' ? { providerName } : {}),
    ...(providerKind === 'institution' || providerKind === 'tutor' ? { providerKind } : {}),
    ...(credential === undefined ? {} : { fileIndex: index }),
    ...(typeof declaredKind === 'string' && DECLARED_KINDS.has(declaredKind)
      ? { declaredKind: declaredKind as CredentialKind }
      : {}),
    ...(declaredValidUntil === null ||
    (typeof declaredValidUntil === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(declaredValidUntil))
      ? { declaredValidUntil }
      : {}),
    ...(nodes.length > 0 ? { timelineEndsOn: serviceEndDate(nodes, today) } : {}),
  };
}

function comment(path: string, text: LocalizedText): SuggestedComment {
  return { path, reasonCode: 'credential_problem', text };
}

/**
 * Checks one credential's extraction against its listing context. Findings come in a fixed order
 * (kind, name, code, dates, missing fields, confidence); an `unknown` document gets KIND_MISMATCH
 * (when a kind was declared) and nothing else.
 */
export function checkCredential(
  extraction: Extraction,
  context: CredentialContext,
): CredentialFinding[] {
  const findings: CredentialFinding[] = [];
  const { fields, kind } = extraction;
  const filePath =
    context.fileIndex === undefined
      ? '/credentials/files'
      : toJsonPointer(['credentials', 'files', context.fileIndex]);
  const validUntilPath = context.fileIndex === undefined ? filePath : `${filePath}/validUntil`;
  const kindLabel = KIND_LABELS[kind];
  const push = (
    finding: Omit<CredentialFinding, 'suggestedComment' | 'params'> & {
      params?: CredentialFinding['params'];
      comment: LocalizedText;
    },
  ) => {
    const { comment: text, params, ...rest } = finding;
    findings.push({
      ...rest,
      params: params ?? {},
      suggestedComment: comment(rest.listingPath, text),
    });
  };

  // ── Kind ─────────────────────────────────────────────────────────────────────────────────
  const declaredOcrKind =
    context.declaredKind === undefined ? undefined : OCR_KIND_OF[context.declaredKind];
  if (declaredOcrKind !== undefined && declaredOcrKind !== kind) {
    const declared = KIND_LABELS[declaredOcrKind];
    push({
      code: 'KIND_MISMATCH',
      severity: 'warning',
      field: null,
      listingPath: filePath,
      params: { declared: declaredOcrKind, read: kind },
      message: {
        'zh-CN': `声明为${declared['zh-CN']}，识别结果却是${kindLabel['zh-CN']}`,
        en: `declared as a ${declared.en}, but it reads as a ${kindLabel.en}`,
      },
      comment: {
        'zh-CN': `上传的文件看起来不是${declared['zh-CN']}，请上传正确的${declared['zh-CN']}。`,
        en: `The uploaded file does not look like a ${declared.en}; please upload the right document.`,
      },
    });
  }
  if (kind === 'unknown') {
    return findings;
  }

  // ── Name ─────────────────────────────────────────────────────────────────────────────────
  const nameField: ExtractedFieldName = kind === 'business_licence' ? 'name' : 'holderName';
  const comparesName =
    kind === 'business_licence'
      ? context.providerKind !== 'tutor'
      : context.providerKind === 'tutor';
  const readName = fields[nameField];
  if (
    comparesName &&
    context.providerName !== undefined &&
    readName?.value !== undefined &&
    readName.value !== null &&
    !namesMatch(readName.value, context.providerName)
  ) {
    const distance = editDistance(
      normalizeName(readName.value),
      normalizeName(context.providerName),
    );
    // One character apart on a long name is more likely a misreading than another company.
    const likelyMisread = distance === 1 && normalizeName(context.providerName).length >= 6;
    push({
      code: 'NAME_MISMATCH',
      severity: likelyMisread ? 'warning' : 'error',
      field: nameField,
      listingPath: '/provider/name',
      params: { read: readName.value, declared: context.providerName, distance },
      message: likelyMisread
        ? {
            'zh-CN': `${kindLabel['zh-CN']}上的名称“${readName.value}”与“${context.providerName}”相差一个字，可能是识别错误，请人工核对`,
            en: `the ${kindLabel.en} reads "${readName.value}", one character from "${context.providerName}" — probably a misreading; check by eye`,
          }
        : {
            'zh-CN': `${kindLabel['zh-CN']}上的名称“${readName.value}”与上架信息中的“${context.providerName}”不一致`,
            en: `the ${kindLabel.en} names "${readName.value}", not "${context.providerName}" as the listing says`,
          },
      comment: {
        'zh-CN': `${kindLabel['zh-CN']}上的名称为“${readName.value}”，与填写的“${context.providerName}”不一致，请核对并上传与主体一致的${kindLabel['zh-CN']}。`,
        en: `The ${kindLabel.en} names "${readName.value}", which differs from "${context.providerName}". Please upload the ${kindLabel.en} of the listed provider.`,
      },
    });
  }

  // ── Credit code ──────────────────────────────────────────────────────────────────────────
  const code = fields.creditCode;
  if (kind === 'business_licence' && code?.value !== undefined && code.value !== null) {
    const check = checkUscc(code.value);
    if (!check.valid && check.reason !== null) {
      const reason = USCC_REASON_MESSAGES[check.reason];
      push({
        code: 'CREDIT_CODE_INVALID',
        severity: 'error',
        field: 'creditCode',
        listingPath: filePath,
        params: { code: check.normalized, reason: check.reason },
        message: {
          'zh-CN': `统一社会信用代码 ${check.normalized} 无效：${reason['zh-CN']}`,
          en: `the credit code ${check.normalized} is invalid: ${reason.en}`,
        },
        comment: {
          'zh-CN': `营业执照上的统一社会信用代码 ${check.normalized} 未通过校验，请上传清晰、真实的营业执照。`,
          en: `The credit code ${check.normalized} on the business licence fails its check; please upload a clear, genuine licence.`,
        },
      });
    }
  }

  // ── Dates ────────────────────────────────────────────────────────────────────────────────
  const until = fields.validUntil;
  const isLicence = kind === 'business_licence';
  if (until !== undefined && typeof until.value === 'string') {
    if (until.value < context.today) {
      push({
        code: isLicence ? 'LICENCE_EXPIRED' : 'CERTIFICATE_EXPIRED',
        severity: 'error',
        field: 'validUntil',
        listingPath: validUntilPath,
        params: { validUntil: until.value, today: context.today },
        message: {
          'zh-CN': `${kindLabel['zh-CN']}已于 ${until.value} 到期（今天是 ${context.today}）`,
          en: `the ${kindLabel.en} expired on ${until.value} (today is ${context.today})`,
        },
        comment: {
          'zh-CN': `${kindLabel['zh-CN']}有效期至 ${until.value}，已过期，请上传有效期内的${kindLabel['zh-CN']}。`,
          en: `The ${kindLabel.en} expired on ${until.value}; please upload a current one.`,
        },
      });
    } else if (context.timelineEndsOn !== undefined && until.value < context.timelineEndsOn) {
      push({
        code: isLicence ? 'LICENCE_ENDS_BEFORE_SERVICE' : 'CERTIFICATE_ENDS_BEFORE_SERVICE',
        severity: 'warning',
        field: 'validUntil',
        listingPath: '/process/timeline',
        params: { validUntil: until.value, serviceEndsOn: context.timelineEndsOn },
        message: {
          'zh-CN': `${kindLabel['zh-CN']}于 ${until.value} 到期，早于今天购买的服务结束日 ${context.timelineEndsOn}`,
          en: `the ${kindLabel.en} ends on ${until.value}, before a service bought today would end (${context.timelineEndsOn})`,
        },
        comment: {
          'zh-CN': `${kindLabel['zh-CN']}有效期至 ${until.value}，早于服务流程结束日 ${context.timelineEndsOn}，请说明续期安排或调整服务周期。`,
          en: `The ${kindLabel.en} ends on ${until.value}, before the service timeline would (${context.timelineEndsOn}); please explain the renewal or shorten the timeline.`,
        },
      });
    }
  }
  if (
    until !== undefined &&
    context.declaredValidUntil !== undefined &&
    until.value !== context.declaredValidUntil
  ) {
    const read = untilText(until.value);
    const declared = untilText(context.declaredValidUntil);
    push({
      code: 'EXPIRY_MISMATCH',
      severity: 'error',
      field: 'validUntil',
      listingPath: validUntilPath,
      params: { read: until.value, declared: context.declaredValidUntil },
      message: {
        'zh-CN': `填写的有效期（${declared['zh-CN']}）与${kindLabel['zh-CN']}上的（${read['zh-CN']}）不一致`,
        en: `the declared expiry (${declared.en}) differs from the ${kindLabel.en}'s (${read.en})`,
      },
      comment: {
        'zh-CN': `填写的有效期为 ${declared['zh-CN']}，${kindLabel['zh-CN']}上为 ${read['zh-CN']}，请按证照填写。`,
        en: `The declared expiry is ${declared.en} but the ${kindLabel.en} says ${read.en}; please enter what the document says.`,
      },
    });
  }

  // ── Missing fields, then confidence ──────────────────────────────────────────────────────
  for (const name of REQUIRED_FIELDS[kind]) {
    if (fields[name] === undefined) {
      const label = FIELD_LABELS[name];
      push({
        code: 'FIELD_NOT_FOUND',
        severity: 'warning',
        field: name,
        listingPath: filePath,
        params: { field: name },
        message: {
          'zh-CN': `未能识别${kindLabel['zh-CN']}上的${label['zh-CN']}，请人工核对`,
          en: `the ${label.en} could not be read from the ${kindLabel.en}; check it by eye`,
        },
        comment: {
          'zh-CN': `${kindLabel['zh-CN']}上的${label['zh-CN']}不清晰，请上传清晰完整的文件。`,
          en: `The ${label.en} on the ${kindLabel.en} is not legible; please upload a clear, complete copy.`,
        },
      });
    }
  }
  for (const [name, value] of Object.entries(fields) as [ExtractedFieldName, ExtractedField][]) {
    if (value.confidence < LOW_CONFIDENCE_THRESHOLD) {
      const label = FIELD_LABELS[name];
      const shown = value.value ?? untilText(null)['zh-CN'];
      push({
        code: 'LOW_CONFIDENCE',
        severity: 'warning',
        field: name,
        listingPath: name === 'validUntil' ? validUntilPath : filePath,
        params: { field: name, value: value.value, confidence: value.confidence },
        message: {
          'zh-CN': `${label['zh-CN']}“${shown}”识别置信度较低（${Math.round(value.confidence * 100)}%），请人工核对`,
          en: `the ${label.en} "${shown}" was read with low confidence (${Math.round(value.confidence * 100)}%); verify it by eye`,
        },
        comment: {
          'zh-CN': `${kindLabel['zh-CN']}上的${label['zh-CN']}不够清晰，请上传更清晰的扫描件。`,
          en: `The ${label.en} on the ${kindLabel.en} is hard to read; please upload a clearer scan.`,
        },
      });
    }
  }
  return findings;
}

/** A finding's suggested comment in one language, in the shape of the `comment` mutation. */
export function findingToComment(
  finding: CredentialFinding,
  locale: Locale,
): { path: string; reasonCode: ReviewReasonCode; text: string } {
  return {
    path: finding.suggestedComment.path,
    reasonCode: finding.suggestedComment.reasonCode,
    text: finding.suggestedComment.text[locale],
  };
}
