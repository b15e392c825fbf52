import type { z } from 'zod';
import type { LocalizedText } from '../../i18n/localized';
import type { FieldPath, PathSegment, ValidationIssue } from '../validationIssue';
import { hasErrors, toJsonPointer } from '../validationIssue';
import {
  ISSUE_CODE_PARAM,
  LISTING_ID_PATTERN,
  LISTING_ISSUE_SEVERITY,
  LISTING_LIMITS,
  LISTING_STEPS,
  isIsoDate,
  isListingIssueCode,
  isRecord,
  listingDocumentSchema,
  type ListingIssueCode,
} from './document';
import { fieldLabel } from './fieldLabels';

/**
 * Validation of a listing document (draft or submission) against the schema of document.ts and
 * the rules that need the reviewer's context. Drafts are saved incomplete, so this never throws
 * on any document: everything wrong with it comes back as issues, all of them at once.
 */

/** What the rules need to know beyond the document itself. */
export interface ListingValidationContext {
  /**
   * The reviewer's calendar day, `YYYY-MM-DD`, in the reviewer's time zone: credentials are
   * valid through their last day, and "today" is a calendar notion, not an instant.
   */
  readonly today: string;
  /**
   * Ids of the verified mentor profiles the listing may reference. Left out (for example while
   * offline before the mentor list synced), mentor references are not checked against it.
   */
  readonly verifiedMentorIds?: ReadonlySet<string> | undefined;
}

/**
 * Beyond this many issues the list is cut, keeping errors first, and ends with one
 * `too_many_issues`: a pasted spreadsheet must not make the form render 100 000 messages.
 */
export const MAX_LISTING_ISSUES = 500;

type IssueParams = Record<string, string | number>;

interface Finding {
  readonly path: readonly PathSegment[];
  readonly code: ListingIssueCode;
  readonly params: IssueParams;
}

/**
 * All issues of a listing document, in form order (document order within a step). An issue with
 * severity `error` blocks submission (`listingSubmissionBlocked`), a `warning` does not.
 *
 * Decisions:
 * - A missing step or group is read as an empty one, so its required fields are reported one by
 *   one at the fields (see `group` in document.ts), never one issue on the step.
 * - Missing or `null` required values and blank text are `required`; a list with too few items
 *   (an empty list included) is `too_few`.
 * - Keys the document does not define are `unknown_field` warnings, one per key.
 *
 * Throws only when the context itself is malformed (`today` not `YYYY-MM-DD`): that is a bug of
 * the caller, and skipping the expiry checks silently would let an expired licence through.
 */
export function validateListing(
  input: unknown,
  context: ListingValidationContext,
): ValidationIssue[] {
  const today: unknown = context.today;
  if (!isIsoDate(today)) {
    throw new RangeError(
      `validateListing: context.today must be YYYY-MM-DD, got ${JSON.stringify(today)}`,
    );
  }
  if (!isRecord(input)) {
    return [toIssue({ path: [], code: 'not_an_object', params: {} })];
  }
  let findings: Finding[];
  try {
    findings = [...schemaFindings(input), ...contextFindings(input, context)];
  } catch {
    // Only values JSON cannot express get here (a throwing getter, a hostile proxy).
    return [toIssue({ path: [], code: 'unreadable_document', params: {} })];
  }
  return finish(findings).map(toIssue);
}

/** Whether the issues block submission: any `error`. */
export function listingSubmissionBlocked(issues: readonly ValidationIssue[]): boolean {
  return hasErrors(issues);
}

// ---------------------------------------------------------------------------------------------
// Schema issues

function schemaFindings(input: Record<string, unknown>): Finding[] {
  const result = listingDocumentSchema.safeParse(input, { reportInput: true });
  return result.success ? [] : result.error.issues.flatMap(fromZodIssue);
}

function toPath(path: readonly PropertyKey[]): PathSegment[] {
  return path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
}

function isMissing(issue: { readonly input?: unknown }): boolean {
  // zod reports a non-finite number with input `null` and a `received` note; that is not missing.
  return (issue.input === undefined || issue.input === null) && !('received' in issue);
}

function describeAllowed(values: readonly unknown[]): string {
  return values.map((value) => String(value)).join(', ');
}

/** Maps one zod issue to listing findings (several for `unrecognized_keys`). */
function fromZodIssue(issue: z.core.$ZodIssue): Finding[] {
  const path = toPath(issue.path);
  const one = (code: ListingIssueCode, params: IssueParams = {}): Finding[] => [
    { path, code, params },
  ];
  switch (issue.code) {
    case 'invalid_type':
      return isMissing(issue) ? one('required') : one('invalid_type', { expected: issue.expected });
    case 'invalid_value':
      return isMissing(issue)
        ? one('required')
        : one('invalid_value', { allowed: describeAllowed(issue.values) });
    case 'too_big': {
      const max = Number(issue.maximum);
      const actual = Array.isArray(issue.input) ? issue.input.length : Number(issue.input);
      if (issue.origin === 'array') {
        return one('too_many', { max, actual });
      }
      return issue.origin === 'string'
        ? one('too_long', { max, actual: String(issue.input).length })
        : one('too_large', { max, actual });
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array') {
        const actual = Array.isArray(issue.input) ? issue.input.length : 0;
        return one('too_few', { min, actual });
      }
      if (issue.origin === 'string') {
        return one('required');
      }
      const positiveOnly =
        (min === 1 && issue.inclusive !== false) || (min === 0 && issue.inclusive === false);
      return positiveOnly
        ? one('not_positive', { actual: Number(issue.input) })
        : one('too_small', { min, actual: Number(issue.input) });
    }
    case 'invalid_format':
      return one('invalid_format', { format: issue.format });
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: [...path, key],
        code: 'unknown_field',
        params: { key },
      }));
    case 'invalid_union': {
      // Only the price is a union: its `kind` is missing or not one of the price kinds.
      const discriminator = issue.discriminator;
      if (discriminator !== undefined && isRecord(issue.input)) {
        const kind = issue.input[discriminator];
        return kind === undefined || kind === null
          ? one('required')
          : one('invalid_value', {
              allowed: describeAllowed('options' in issue ? (issue.options ?? []) : []),
            });
      }
      return isMissing(issue) ? one('required') : one('invalid_value');
    }
    case 'custom': {
      const params: IssueParams = {};
      let code: ListingIssueCode = 'invalid_value';
      for (const [key, value] of Object.entries(issue.params ?? {})) {
        if (key === ISSUE_CODE_PARAM) {
          code = isListingIssueCode(value) ? value : code;
        } else if (typeof value === 'string' || typeof value === 'number') {
          params[key] = value;
        }
      }
      return one(code, params);
    }
    case 'not_multiple_of':
    case 'invalid_key':
    case 'invalid_element':
      // The schema uses none of these; should one appear, it is still a value not allowed.
      return one('invalid_value');
  }
}

// ---------------------------------------------------------------------------------------------
// Rules that need the context

/** Reads a nested member of raw input, or undefined when any step of the way is not a record. */
function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = current[key];
  }
  return current;
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

const DAY_MS = 24 * 60 * 60 * 1000;

function dayNumber(isoDate: string): number {
  const [year, month, day] = isoDate.split('-').map(Number);
  return Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1) / DAY_MS;
}

function contextFindings(input: Record<string, unknown>, context: ListingValidationContext) {
  const findings: Finding[] = [];
  const today = context.today;

  asArray(at(input, 'credentials', 'files')).forEach((file, index) => {
    const path = ['credentials', 'files', index];
    const validUntil = at(file, 'validUntil');
    const validFrom = at(file, 'validFrom');
    if (isIsoDate(validUntil)) {
      // Valid through its last day: expiring on `today` is still valid today.
      const daysLeft = dayNumber(validUntil) - dayNumber(today);
      if (daysLeft < 0) {
        findings.push({
          path: [...path, 'validUntil'],
          code: 'credential_expired',
          params: { validUntil, today },
        });
      } else if (daysLeft <= LISTING_LIMITS.credentialExpiryWarningDays) {
        findings.push({
          path: [...path, 'validUntil'],
          code: 'credential_expiring_soon',
          params: { validUntil, daysLeft, today },
        });
      }
    }
    if (isIsoDate(validFrom) && validFrom > today) {
      findings.push({
        path: [...path, 'validFrom'],
        code: 'credential_not_yet_valid',
        params: { validFrom, today },
      });
    }
  });

  const verified = context.verifiedMentorIds;
  if (verified !== undefined) {
    asArray(at(input, 'highlights', 'mentors')).forEach((mentor, index) => {
      const mentorId = at(mentor, 'mentorId');
      // Malformed ids are reported by the schema; only a well-formed unknown id is news.
      if (
        typeof mentorId === 'string' &&
        LISTING_ID_PATTERN.test(mentorId) &&
        !verified.has(mentorId)
      ) {
        findings.push({
          path: ['highlights', 'mentors', index, 'mentorId'],
          code: 'unknown_mentor',
          params: { mentorId },
        });
      }
    });
  }

  const currentYear = Number(today.slice(0, 4));
  asArray(at(input, 'highlights', 'successCases')).forEach((successCase, index) => {
    const year = at(successCase, 'year');
    // Years beyond the schema's range are already errors; a near-future year is likely a typo.
    if (
      typeof year === 'number' &&
      Number.isInteger(year) &&
      year > currentYear &&
      year <= LISTING_LIMITS.successCaseYearMax
    ) {
      findings.push({
        path: ['highlights', 'successCases', index, 'year'],
        code: 'future_year',
        params: { year, currentYear },
      });
    }
  });

  return findings;
}

// ---------------------------------------------------------------------------------------------
// Order, de-duplication, cap

const TOP_LEVEL_ORDER: readonly string[] = ['schemaVersion', 'provider', ...LISTING_STEPS];

function topLevelRank(finding: Finding): number {
  const first = finding.path[0];
  if (first === undefined) {
    return -1;
  }
  const rank = TOP_LEVEL_ORDER.indexOf(String(first));
  return rank === -1 ? TOP_LEVEL_ORDER.length : rank;
}

function finish(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  const unique = findings.filter((finding) => {
    const key = `${finding.code} ${toJsonPointer(finding.path)}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
  // Array.prototype.sort is stable: zod's document order survives inside a step.
  const ordered = unique
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => topLevelRank(a.finding) - topLevelRank(b.finding) || a.index - b.index)
    .map(({ finding }) => finding);
  if (ordered.length <= MAX_LISTING_ISSUES) {
    return ordered;
  }
  const keep = MAX_LISTING_ISSUES - 1;
  const errors = ordered.filter((finding) => LISTING_ISSUE_SEVERITY[finding.code] === 'error');
  const kept = new Set(errors.slice(0, keep));
  for (const finding of ordered) {
    if (kept.size >= keep) {
      break;
    }
    kept.add(finding);
  }
  return [
    ...ordered.filter((finding) => kept.has(finding)),
    {
      path: [],
      code: 'too_many_issues',
      params: { total: ordered.length, shown: keep },
    },
  ];
}

function toIssue(finding: Finding): ValidationIssue {
  const issue: ValidationIssue = {
    path: finding.path,
    code: finding.code,
    severity: LISTING_ISSUE_SEVERITY[finding.code],
    message: listingIssueMessage(finding.code, finding.path, finding.params),
  };
  return Object.keys(finding.params).length === 0 ? issue : { ...issue, params: finding.params };
}

// ---------------------------------------------------------------------------------------------
// Messages

const EXPECTED_TYPE: Readonly<Record<string, LocalizedText>> = {
  string: { 'zh-CN': '文本', en: 'text' },
  number: { 'zh-CN': '数字', en: 'a number' },
  int: { 'zh-CN': '整数', en: 'a whole number' },
  boolean: { 'zh-CN': '是/否', en: 'yes or no' },
  array: { 'zh-CN': '列表', en: 'a list' },
  object: { 'zh-CN': '一组字段', en: 'a group of fields' },
};

const FORMAT_HINT: Readonly<Record<string, LocalizedText>> = {
  date: { 'zh-CN': '应为 YYYY-MM-DD 格式的日期', en: 'must be a date as YYYY-MM-DD' },
  datetime: {
    'zh-CN': '应为带时区的 ISO 8601 时间',
    en: 'must be an ISO 8601 time with a time zone',
  },
  decimal: {
    'zh-CN': '应为金额数字，如 12800 或 12800.50',
    en: 'must be an amount such as 12800 or 12800.50',
  },
  sha256: {
    'zh-CN': '应为 64 位小写十六进制字符',
    en: 'must be 64 lower-case hexadecimal characters',
  },
  id: {
    'zh-CN': `只能包含字母、数字、“_”和“-”，最多 ${LISTING_LIMITS.idMaxLength} 个字符`,
    en: `may contain only letters, digits, "_" and "-", at most ${LISTING_LIMITS.idMaxLength} characters`,
  },
  uscc: {
    'zh-CN': '应为 18 位统一社会信用代码（校验位正确）',
    en: 'must be an 18-character unified social credit code with a valid check character',
  },
  plain_text: {
    'zh-CN': '只能是纯文本（不含 <、>、控制字符或文字方向控制符）',
    en: 'must be plain text (no <, >, control or text-direction characters)',
  },
  json_pointer: {
    'zh-CN': '应为指向字段的 JSON Pointer，如 /provider/name',
    en: 'must be a JSON Pointer to a field, such as /provider/name',
  },
};

function param(params: IssueParams, key: string): string {
  const value = params[key];
  return value === undefined ? '?' : String(value);
}

/**
 * The zh-CN/en message of an issue, built from the label of its field. Exported so that a view
 * can rebuild messages of stored issues; `validateListing` already fills them in.
 */
export function listingIssueMessage(
  code: ListingIssueCode,
  path: FieldPath,
  params: Readonly<IssueParams> = {},
): LocalizedText {
  const label = fieldLabel(path);
  const zh = `「${label['zh-CN']}」`;
  const en = label.en;
  const p = (key: string) => param(params, key);
  switch (code) {
    case 'not_an_object':
      return {
        'zh-CN': '项目文档格式不正确：应为一个对象',
        en: 'The listing document must be an object',
      };
    case 'unreadable_document':
      return { 'zh-CN': '项目文档无法读取', en: 'The listing document cannot be read' };
    case 'required':
      return { 'zh-CN': `请填写${zh}`, en: `${en} is required` };
    case 'invalid_type': {
      const expected = EXPECTED_TYPE[p('expected')] ?? {
        'zh-CN': p('expected'),
        en: p('expected'),
      };
      return {
        'zh-CN': `${zh}的类型不正确，应为${expected['zh-CN']}`,
        en: `${en} must be ${expected.en}`,
      };
    }
    case 'invalid_value':
      return {
        'zh-CN': `${zh}不是可选的值`,
        en: `${en} is not one of the allowed values`,
      };
    case 'invalid_format': {
      if (params['format'] === 'currency_precision') {
        return {
          'zh-CN': `${zh}最多保留 ${p('maxDecimals')} 位小数（${p('currency')}）`,
          en: `${en} may have at most ${p('maxDecimals')} decimal places in ${p('currency')}`,
        };
      }
      const hint = FORMAT_HINT[p('format')] ?? {
        'zh-CN': '格式不正确',
        en: 'has an invalid format',
      };
      return { 'zh-CN': `${zh}${hint['zh-CN']}`, en: `${en} ${hint.en}` };
    }
    case 'too_long':
      return {
        'zh-CN': `${zh}最多 ${p('max')} 个字，当前 ${p('actual')} 个字`,
        en: `${en} must be at most ${p('max')} characters (now ${p('actual')})`,
      };
    case 'too_few':
      return {
        'zh-CN': `${zh}至少需要 ${p('min')} 项`,
        en: `${en} needs at least ${p('min')} item(s)`,
      };
    case 'too_many':
      return {
        'zh-CN': `${zh}最多 ${p('max')} 项，当前 ${p('actual')} 项`,
        en: `${en} may have at most ${p('max')} items (now ${p('actual')})`,
      };
    case 'too_small':
      return { 'zh-CN': `${zh}不能小于 ${p('min')}`, en: `${en} must be at least ${p('min')}` };
    case 'too_large':
      return { 'zh-CN': `${zh}不能大于 ${p('max')}`, en: `${en} must be at most ${p('max')}` };
    case 'not_positive':
      return { 'zh-CN': `${zh}必须大于 0`, en: `${en} must be greater than 0` };
    case 'duplicate_id':
      return {
        'zh-CN': `${zh}与第 ${Number(p('firstIndex')) + 1} 项重复（${p('value')}）`,
        en: `${en} repeats the ID of item ${Number(p('firstIndex')) + 1} (${p('value')})`,
      };
    case 'duplicate_value':
      return {
        'zh-CN': `${zh}与第 ${Number(p('firstIndex')) + 1} 项重复：“${p('value')}”`,
        en: `${en} repeats item ${Number(p('firstIndex')) + 1}: "${p('value')}"`,
      };
    case 'range_inverted':
      return params['validFrom'] === undefined
        ? {
            'zh-CN': `${zh}（${p('min')}）不能高于最高价（${p('max')}）`,
            en: `${en} (${p('min')}) must not exceed the maximum (${p('max')})`,
          }
        : {
            'zh-CN': `${zh}（${p('validFrom')}）不能晚于有效期截止日（${p('validUntil')}）`,
            en: `${en} (${p('validFrom')}) must not be after the expiry date (${p('validUntil')})`,
          };
    case 'not_confirmed':
      return {
        'zh-CN': `请阅读风险提示并勾选${zh}`,
        en: `${en} is required: read the risk disclosure and confirm it`,
      };
    case 'credential_expired':
      return {
        'zh-CN': `${zh}已过期：${p('validUntil')} 早于今天（${p('today')}）`,
        en: `${en}: the document expired on ${p('validUntil')} (today is ${p('today')})`,
      };
    case 'credential_expiring_soon':
      return params['daysLeft'] === 0
        ? {
            'zh-CN': `${zh}：今天（${p('validUntil')}）是最后有效日`,
            en: `${en}: the document expires today (${p('validUntil')})`,
          }
        : {
            'zh-CN': `${zh}：将在 ${p('daysLeft')} 天后（${p('validUntil')}）到期`,
            en: `${en}: the document expires in ${p('daysLeft')} days (${p('validUntil')})`,
          };
    case 'credential_not_yet_valid':
      return {
        'zh-CN': `${zh}：文件 ${p('validFrom')} 才生效，今天（${p('today')}）尚未生效`,
        en: `${en}: the document is valid only from ${p('validFrom')} (today is ${p('today')})`,
      };
    case 'unknown_mentor':
      return {
        'zh-CN': `${zh}引用的导师（${p('mentorId')}）不是已认证的导师`,
        en: `${en} refers to a mentor (${p('mentorId')}) who is not verified`,
      };
    case 'missing_business_licence':
      return {
        'zh-CN': `${zh}缺少营业执照：机构提交必须上传营业执照`,
        en: `${en}: an institution must upload its business licence`,
      };
    case 'missing_mentor_certificate':
      return {
        'zh-CN': `${zh}缺少导师证明：导师个人提交必须上传导师证明`,
        en: `${en}: an individual tutor must upload a mentor certificate`,
      };
    case 'name_lacks_country_or_stage':
      return {
        'zh-CN': `${zh}建议包含国家/地区或适用阶段，例如“英国硕士申请旗舰包”`,
        en: `${en} should mention the country/region or the stage, e.g. "UK Master's application flagship package"`,
      };
    case 'future_year':
      return {
        'zh-CN': `${zh}（${p('year')}）晚于今年，请确认`,
        en: `${en} (${p('year')}) is in the future; please check it`,
      };
    case 'unknown_field':
      return {
        'zh-CN': `${zh}不是项目文档中的字段，审核时不会使用`,
        en: `${en} is not a field of the listing and will not be reviewed`,
      };
    case 'too_many_issues':
      return {
        'zh-CN': `问题过多：共 ${p('total')} 个，只显示前 ${p('shown')} 个`,
        en: `Too many issues: ${p('total')} in all, only ${p('shown')} are shown`,
      };
  }
}
