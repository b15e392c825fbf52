import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LISTING_ISSUE_CODES,
  LISTING_ISSUE_SEVERITY,
  type ListingIssueCode,
} from '#shared/domain/listing/document';
import {
  MAX_LISTING_ISSUES,
  listingIssueMessage,
  listingSubmissionBlocked,
  validateListing,
  type ListingValidationContext,
} from '#shared/domain/listing/validate';
import type { PathSegment, ValidationIssue } from '#shared/domain/validationIssue';
import edgeCases from '../../../fixtures/listings/edge-cases.json';
import minimalDraft from '../../../fixtures/listings/minimal-draft.json';
import validFull from '../../../fixtures/listings/valid-full.json';

const TODAY = '2026-11-21';
const CONTEXT: ListingValidationContext = { today: TODAY };

/** Marks a member to delete in `edited`. */
const REMOVE = Symbol('remove');
type Edit = readonly [path: readonly PathSegment[], value: unknown];

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

function child(container: Container, key: PathSegment): unknown {
  return Array.isArray(container) ? container[Number(key)] : container[String(key)];
}

/** A deep copy of `base` (the complete fixture by default) with the edits applied in order. */
function edited(edits: readonly Edit[], base: unknown = validFull): Record<string, unknown> {
  const doc = structuredClone(base) as Record<string, unknown>;
  for (const [path, value] of edits) {
    let target: Container = doc;
    for (const key of path.slice(0, -1)) {
      const next = child(target, key);
      if (!isContainer(next)) {
        throw new Error(`test edit: ${path.join('.')} has no parent`);
      }
      target = next;
    }
    const last = path.at(-1)!;
    if (Array.isArray(target)) {
      target[Number(last)] = value;
    } else if (value === REMOVE) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- removing a test member by path
      delete target[String(last)];
    } else {
      target[String(last)] = value;
    }
  }
  return doc;
}

interface Expected {
  readonly path: readonly PathSegment[];
  readonly code: ListingIssueCode;
  readonly params?: Readonly<Record<string, string | number>>;
}

/** Issues reduced to path and code (and params when the expectation names them). */
function summarise(issues: readonly ValidationIssue[], expected: readonly Expected[] = []) {
  return issues.map((issue, index) =>
    expected[index]?.params === undefined
      ? { path: issue.path, code: issue.code }
      : { path: issue.path, code: issue.code, params: issue.params },
  );
}

function check(doc: unknown, context: ListingValidationContext = CONTEXT) {
  return validateListing(doc, context);
}

function expectIssues(doc: unknown, expected: readonly Expected[], context = CONTEXT) {
  const issues = check(doc, context);
  expect(summarise(issues, expected)).toEqual(expected);
  return issues;
}

/**
 * Every issue is complete. With `ownText`, the messages must also contain nothing but our own
 * words and the params (random documents may carry keys such as "undefined").
 */
function expectWellFormed(issues: readonly ValidationIssue[], ownText = false) {
  for (const issue of issues) {
    expect(Array.isArray(issue.path)).toBe(true);
    expect(LISTING_ISSUE_CODES).toContain(issue.code);
    expect(issue.severity).toBe(LISTING_ISSUE_SEVERITY[issue.code as ListingIssueCode]);
    expect(issue.message['zh-CN'].trim()).not.toBe('');
    expect(issue.message.en.trim()).not.toBe('');
    if (ownText) {
      for (const text of [issue.message['zh-CN'], issue.message.en]) {
        expect(text).not.toMatch(/undefined|NaN|\?|\[object/);
      }
    }
  }
}

const pkg = (index: number, ...rest: PathSegment[]) => ['packages', 'items', index, ...rest];
const file = (index: number, ...rest: PathSegment[]) => ['credentials', 'files', index, ...rest];

describe('validateListing: fixtures', () => {
  it('finds nothing wrong with the complete listing', () => {
    expect(check(validFull)).toEqual([]);
  });

  it('finds nothing wrong with the edge cases: no highlights, 500 characters, 50 packages', () => {
    expect(check(edgeCases)).toEqual([]);
  });

  it('lists what an almost empty draft still lacks, field by field, in form order', () => {
    expectIssues(minimalDraft, [
      { path: ['basic', 'country'], code: 'required' },
      { path: ['basic', 'stages'], code: 'required' },
      { path: ['basic', 'intakes'], code: 'required' },
      { path: ['basic', 'introduction'], code: 'required' },
      { path: ['packages', 'items'], code: 'required' },
      { path: ['packages', 'refundPolicy', 'templateId'], code: 'required' },
      { path: ['process', 'timeline'], code: 'required' },
      { path: ['requirements', 'items'], code: 'required' },
      { path: ['risk', 'disclosure'], code: 'required' },
      { path: ['risk', 'confirmed'], code: 'not_confirmed' },
      { path: ['credentials', 'files'], code: 'required' },
    ]);
  });
});

/** One edit of the complete fixture and exactly the issues it must cause. */
const CASES: readonly (readonly [string, readonly Edit[], readonly Expected[]])[] = [
  [
    'a missing name',
    [[['basic', 'name'], REMOVE]],
    [{ path: ['basic', 'name'], code: 'required' }],
  ],
  ['a blank name', [[['basic', 'name'], ' \t ']], [{ path: ['basic', 'name'], code: 'required' }]],
  [
    'a null country',
    [[['basic', 'country'], null]],
    [{ path: ['basic', 'country'], code: 'required' }],
  ],
  [
    'an introduction of empty paragraphs',
    [[['basic', 'introduction'], '<p> </p><p>&nbsp;</p><script>x</script>']],
    [{ path: ['basic', 'introduction'], code: 'required' }],
  ],
  [
    'a credential without any validity end (null would mean long-term)',
    [[file(1, 'validUntil'), REMOVE]],
    [{ path: file(1, 'validUntil'), code: 'required' }],
  ],
  [
    'custom-only refund terms without custom text',
    [[['packages', 'refundPolicy'], { templateId: 'custom_only', customText: '<p></p>' }]],
    [{ path: ['packages', 'refundPolicy', 'customText'], code: 'required' }],
  ],
  [
    'a price without a kind',
    [[pkg(0, 'price'), { currency: 'CNY', amount: '1' }]],
    [{ path: pkg(0, 'price', 'kind'), code: 'required' }],
  ],
  [
    'a number as name',
    [[['basic', 'name'], 42]],
    [{ path: ['basic', 'name'], code: 'invalid_type', params: { expected: 'string' } }],
  ],
  [
    'fractional sessions',
    [[pkg(0, 'sessions'), 1.5]],
    [{ path: pkg(0, 'sessions'), code: 'invalid_type', params: { expected: 'int' } }],
  ],
  [
    'an amount as a number',
    [[pkg(0, 'price', 'amount'), 29800]],
    [{ path: pkg(0, 'price', 'amount'), code: 'invalid_type', params: { expected: 'string' } }],
  ],
  [
    'advantages as one string',
    [[['highlights', 'advantages'], 'abc']],
    [{ path: ['highlights', 'advantages'], code: 'invalid_type', params: { expected: 'array' } }],
  ],
  [
    'an unknown country',
    [[['basic', 'country'], 'XX']],
    [{ path: ['basic', 'country'], code: 'invalid_value' }],
  ],
  [
    'an unknown price kind',
    [[pkg(0, 'price', 'kind'), 'free']],
    [{ path: pkg(0, 'price', 'kind'), code: 'invalid_value', params: { allowed: 'fixed, range' } }],
  ],
  [
    'schema version 2',
    [[['schemaVersion'], 2]],
    [{ path: ['schemaVersion'], code: 'invalid_value' }],
  ],
  [
    'an unknown stage',
    [
      [
        ['basic', 'stages'],
        ['master', 'postdoc'],
      ],
    ],
    [{ path: ['basic', 'stages', 1], code: 'invalid_value' }],
  ],
  [
    'an impossible date',
    [[file(1, 'validUntil'), '2026-02-30']],
    [{ path: file(1, 'validUntil'), code: 'invalid_format', params: { format: 'date' } }],
  ],
  [
    'an upper-case checksum',
    [[file(0, 'sha256'), 'A'.repeat(64)]],
    [{ path: file(0, 'sha256'), code: 'invalid_format', params: { format: 'sha256' } }],
  ],
  [
    'an amount with a thousands separator',
    [[pkg(0, 'price', 'amount'), '29,800']],
    [{ path: pkg(0, 'price', 'amount'), code: 'invalid_format', params: { format: 'decimal' } }],
  ],
  [
    'an id with a space',
    [[pkg(0, 'id'), 'pkg standard']],
    [{ path: pkg(0, 'id'), code: 'invalid_format', params: { format: 'id', maxLength: 64 } }],
  ],
  [
    'an id of 65 characters',
    [[['process', 'timeline', 0, 'id'], 'n'.repeat(65)]],
    [{ path: ['process', 'timeline', 0, 'id'], code: 'invalid_format' }],
  ],
  [
    'yen with decimals',
    [
      [pkg(2, 'price', 'currency'), 'JPY'],
      [pkg(2, 'price', 'amount'), '1980.5'],
    ],
    [
      {
        path: pkg(2, 'price', 'amount'),
        code: 'invalid_format',
        params: { format: 'currency_precision', maxDecimals: 0, currency: 'JPY' },
      },
    ],
  ],
  [
    'a confirmation time without a time',
    [[['risk', 'confirmedAt'], '2026-11-20']],
    [{ path: ['risk', 'confirmedAt'], code: 'invalid_format', params: { format: 'datetime' } }],
  ],
  [
    'a name of 31 characters',
    [[['basic', 'name'], `英国硕士${'申'.repeat(27)}`]],
    [{ path: ['basic', 'name'], code: 'too_long', params: { max: 30, actual: 31 } }],
  ],
  [
    'a name of 31 emoji',
    [[['basic', 'name'], `英国${'👨‍👩‍👧'.repeat(29)}`]],
    [{ path: ['basic', 'name'], code: 'too_long', params: { max: 30, actual: 31 } }],
  ],
  [
    'an advantage of 51 characters',
    [[['highlights', 'advantages', 0], '优'.repeat(51)]],
    [{ path: ['highlights', 'advantages', 0], code: 'too_long', params: { max: 50, actual: 51 } }],
  ],
  [
    'an introduction of 501 visible characters',
    [[['basic', 'introduction'], `<p><strong>${'字'.repeat(500)}</strong>a</p>`]],
    [{ path: ['basic', 'introduction'], code: 'too_long', params: { max: 500, actual: 501 } }],
  ],
  [
    'custom refund terms of 1001 visible characters',
    [[['packages', 'refundPolicy', 'customText'], `<p>${'退'.repeat(1001)}</p>`]],
    [
      {
        path: ['packages', 'refundPolicy', 'customText'],
        code: 'too_long',
        params: { max: 1000, actual: 1001 },
      },
    ],
  ],
  [
    'a package name of 41 characters',
    [[pkg(0, 'name'), '套'.repeat(41)]],
    [{ path: pkg(0, 'name'), code: 'too_long', params: { max: 40, actual: 41 } }],
  ],
  [
    'no stage',
    [[['basic', 'stages'], []]],
    [{ path: ['basic', 'stages'], code: 'too_few', params: { min: 1, actual: 0 } }],
  ],
  [
    'an empty timeline',
    [[['process', 'timeline'], []]],
    [{ path: ['process', 'timeline'], code: 'too_few', params: { min: 1, actual: 0 } }],
  ],
  [
    'seven advantages',
    [
      [
        ['highlights', 'advantages'],
        ['一', '二', '三', '四', '五', '六', '七'],
      ],
    ],
    [{ path: ['highlights', 'advantages'], code: 'too_many', params: { max: 6, actual: 7 } }],
  ],
  [
    'a success case from 1900',
    [[['highlights', 'successCases', 0, 'year'], 1900]],
    [
      {
        path: ['highlights', 'successCases', 0, 'year'],
        code: 'too_small',
        params: { min: 1950, actual: 1900 },
      },
    ],
  ],
  [
    '10 001 seats',
    [[pkg(0, 'seats'), 10_001]],
    [{ path: pkg(0, 'seats'), code: 'too_large', params: { max: 10_000, actual: 10_001 } }],
  ],
  [
    'a free package',
    [[pkg(0, 'price', 'amount'), '0.00']],
    [{ path: pkg(0, 'price', 'amount'), code: 'not_positive' }],
  ],
  [
    'zero sessions',
    [[pkg(0, 'sessions'), 0]],
    [{ path: pkg(0, 'sessions'), code: 'not_positive' }],
  ],
  [
    'an empty file',
    [[file(0, 'sizeBytes'), 0]],
    [{ path: file(0, 'sizeBytes'), code: 'not_positive' }],
  ],
  [
    'a range starting at zero',
    [[pkg(1, 'price', 'min'), '0']],
    [{ path: pkg(1, 'price', 'min'), code: 'not_positive' }],
  ],
  [
    'two packages with one id',
    [[pkg(1, 'id'), 'pkg_standard']],
    [
      {
        path: pkg(1, 'id'),
        code: 'duplicate_id',
        params: { value: 'pkg_standard', firstIndex: 0 },
      },
    ],
  ],
  [
    'two timeline nodes with one id',
    [[['process', 'timeline', 3, 'id'], 'node_assess']],
    [{ path: ['process', 'timeline', 3, 'id'], code: 'duplicate_id' }],
  ],
  [
    'the same advantage twice, up to spaces and width',
    [[['highlights', 'advantages', 4], ' Ｇ5 院校毕业导师一对一指导 ']],
    [
      {
        path: ['highlights', 'advantages', 4],
        code: 'duplicate_value',
        params: { value: ' Ｇ5 院校毕业导师一对一指导 ', firstIndex: 0 },
      },
    ],
  ],
  [
    'a stage twice',
    [
      [
        ['basic', 'stages'],
        ['master', 'master'],
      ],
    ],
    [{ path: ['basic', 'stages', 1], code: 'duplicate_value' }],
  ],
  [
    'two packages with one name',
    [[pkg(2, 'name'), '标准申请套餐（5 所院校）']],
    [{ path: pkg(2, 'name'), code: 'duplicate_value' }],
  ],
  [
    'a range whose minimum exceeds its maximum',
    [[pkg(1, 'price', 'min'), '6800.51']],
    [
      {
        path: pkg(1, 'price', 'min'),
        code: 'range_inverted',
        params: { min: '6800.51', max: '6800.50' },
      },
    ],
  ],
  [
    'a credential valid from after its end',
    [[file(1, 'validFrom'), '2031-01-01']],
    [
      {
        path: file(1, 'validFrom'),
        code: 'range_inverted',
        params: { validFrom: '2031-01-01', validUntil: '2030-12-31' },
      },
      { path: file(1, 'validFrom'), code: 'credential_not_yet_valid' },
    ],
  ],
  [
    'an unconfirmed risk disclosure',
    [[['risk', 'confirmed'], false]],
    [{ path: ['risk', 'confirmed'], code: 'not_confirmed' }],
  ],
  [
    'a risk disclosure never confirmed',
    [[['risk', 'confirmed'], REMOVE]],
    [{ path: ['risk', 'confirmed'], code: 'not_confirmed' }],
  ],
  [
    'a contract that expired yesterday',
    [[file(1, 'validUntil'), '2026-11-20']],
    [
      {
        path: file(1, 'validUntil'),
        code: 'credential_expired',
        params: { validUntil: '2026-11-20', today: TODAY },
      },
    ],
  ],
  [
    'a contract expiring in 30 days',
    [[file(1, 'validUntil'), '2026-12-21']],
    [
      {
        path: file(1, 'validUntil'),
        code: 'credential_expiring_soon',
        params: { validUntil: '2026-12-21', daysLeft: 30, today: TODAY },
      },
    ],
  ],
  [
    'a contract whose last valid day is today',
    [[file(1, 'validUntil'), TODAY]],
    [
      {
        path: file(1, 'validUntil'),
        code: 'credential_expiring_soon',
        params: { validUntil: TODAY, daysLeft: 0, today: TODAY },
      },
    ],
  ],
  [
    'a credential valid only from tomorrow',
    [[file(1, 'validFrom'), '2026-11-22']],
    [
      {
        path: file(1, 'validFrom'),
        code: 'credential_not_yet_valid',
        params: { validFrom: '2026-11-22', today: TODAY },
      },
    ],
  ],
  [
    'an institution without its business licence',
    [
      [
        ['credentials', 'files'],
        [validFull.credentials.files[1], validFull.credentials.files[2]],
      ],
    ],
    [{ path: ['credentials', 'files'], code: 'missing_business_licence' }],
  ],
  [
    'a tutor without a mentor certificate',
    [
      [['provider', 'kind'], 'tutor'],
      [['credentials', 'files'], [validFull.credentials.files[0]]],
    ],
    [{ path: ['credentials', 'files'], code: 'missing_mentor_certificate' }],
  ],
  [
    'a name that says neither where nor what',
    [[['basic', 'name'], '旗舰包']],
    [{ path: ['basic', 'name'], code: 'name_lacks_country_or_stage' }],
  ],
  [
    'a success case from next year',
    [[['highlights', 'successCases', 1, 'year'], 2027]],
    [
      {
        path: ['highlights', 'successCases', 1, 'year'],
        code: 'future_year',
        params: { year: 2027, currentYear: 2026 },
      },
    ],
  ],
  [
    'keys the document does not define',
    [
      [['slogan'], '全网最低价'],
      [pkg(0, 'price', 'discount'), '10%'],
    ],
    [
      { path: pkg(0, 'price', 'discount'), code: 'unknown_field', params: { key: 'discount' } },
      { path: ['slogan'], code: 'unknown_field', params: { key: 'slogan' } },
    ],
  ],
];

describe('validateListing: one fault at a time', () => {
  it.each(CASES)('reports %s', (_name, edits, expected) => {
    const issues = expectIssues(edited(edits), expected);
    expectWellFormed(issues, true);
  });
});

describe('validateListing: limits are inclusive', () => {
  it.each([
    ['a name of exactly 30 characters', [[['basic', 'name'], `英国硕士${'申'.repeat(26)}`]]],
    ['a name of 30 emoji and CJK', [[['basic', 'name'], `英国${'👨‍👩‍👧'.repeat(28)}`]]],
    [
      'six advantages',
      [
        [
          ['highlights', 'advantages'],
          ['一', '二', '三', '四', '五', '六'],
        ],
      ],
    ],
    ['an advantage of exactly 50 characters', [[['highlights', 'advantages', 0], '优'.repeat(50)]]],
    [
      'an introduction of 500 visible characters in markup',
      [
        [
          ['basic', 'introduction'],
          `<h2 class="t">简介</h2><p><strong>${'字'.repeat(497)}</strong>&amp;</p><script>${'x'.repeat(999)}</script>`,
        ],
      ],
    ],
    [
      'custom refund terms of 1000 characters',
      [[['packages', 'refundPolicy', 'customText'], `<p>${'退'.repeat(1000)}</p>`]],
    ],
    ['a range whose bounds are equal', [[pkg(1, 'price', 'min'), '6800.5']]],
    ['a credential valid until 31 days from now', [[file(1, 'validUntil'), '2026-12-22']]],
    ['a credential valid from today', [[file(1, 'validFrom'), TODAY]]],
    ['a success case from this year', [[['highlights', 'successCases', 0, 'year'], 2026]]],
    ['a long-term licence', [[file(0, 'validUntil'), null]]],
    [
      'custom-only refund terms with text',
      [[['packages', 'refundPolicy', 'templateId'], 'custom_only']],
    ],
  ] as const)('accepts %s', (_name, edits) => {
    expect(check(edited(edits))).toEqual([]);
  });

  it('accepts 50 packages and refuses 51', () => {
    expect(check(edgeCases)).toEqual([]);
    const items = [
      ...edgeCases.packages.items,
      { ...edgeCases.packages.items[0], id: 'pkg_51', name: '第51档' },
    ];
    expectIssues(edited([[['packages', 'items'], items]], edgeCases), [
      { path: ['packages', 'items'], code: 'too_many', params: { max: 50, actual: 51 } },
    ]);
  });
});

describe('validateListing: structure and context', () => {
  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an empty array', []],
    ['an array holding a listing', [validFull]],
    ['a string', 'listing'],
    ['a number', 42],
    ['a boolean', true],
  ] as const)('reports %s as a document once, at the root', (_name, input) => {
    expectIssues(input, [{ path: [], code: 'not_an_object' }]);
  });

  it('reports the fields of a missing step one by one, as for an empty step', () => {
    const expected: Expected[] = [
      { path: ['basic', 'name'], code: 'required' },
      { path: ['basic', 'country'], code: 'required' },
      { path: ['basic', 'stages'], code: 'required' },
      { path: ['basic', 'intakes'], code: 'required' },
      { path: ['basic', 'introduction'], code: 'required' },
    ];
    expectIssues(edited([[['basic'], REMOVE]]), expected);
    expectIssues(edited([[['basic'], {}]]), expected);
  });

  it('reports a step of the wrong type once', () => {
    expectIssues(edited([[['process'], 'later']]), [{ path: ['process'], code: 'invalid_type' }]);
  });

  it('reports every fault at once, even in items that are otherwise broken', () => {
    const doc = edited([
      [pkg(1, 'id'), 'pkg_standard'],
      [pkg(1, 'seats'), 'many'],
      [pkg(1, 'price', 'min'), '9000'],
      [['basic', 'name'], '旗舰包'],
      [['basic', 'country'], 'XX'],
    ]);
    expectIssues(doc, [
      { path: ['basic', 'country'], code: 'invalid_value' },
      { path: ['basic', 'name'], code: 'name_lacks_country_or_stage' },
      { path: pkg(1, 'price', 'min'), code: 'range_inverted' },
      { path: pkg(1, 'seats'), code: 'invalid_type' },
      { path: pkg(1, 'id'), code: 'duplicate_id' },
    ]);
  });

  it('checks mentor references against the verified mentors when it knows them', () => {
    const doc = edited([]);
    expect(
      check(doc, { today: TODAY, verifiedMentorIds: new Set(['mentor_1024', 'mentor_2048']) }),
    ).toEqual([]);
    expectIssues(
      doc,
      [
        {
          path: ['highlights', 'mentors', 1, 'mentorId'],
          code: 'unknown_mentor',
          params: { mentorId: 'mentor_2048' },
        },
      ],
      { today: TODAY, verifiedMentorIds: new Set(['mentor_1024']) },
    );
  });

  it('judges expiry by the calendar day it is given', () => {
    const doc = edited([[file(1, 'validUntil'), '2026-11-21']]);
    expect(check(doc, { today: '2026-11-21' }).map((issue) => issue.code)).toEqual([
      'credential_expiring_soon',
    ]);
    expect(check(doc, { today: '2026-11-22' }).map((issue) => issue.code)).toEqual([
      'credential_expired',
    ]);
    expect(check(doc, { today: '2026-10-22' }).map((issue) => issue.code)).toEqual([
      'credential_expiring_soon',
    ]);
    expect(check(doc, { today: '2026-10-21' })).toEqual([]);
  });

  it('refuses a malformed context instead of skipping the expiry checks', () => {
    expect(() => validateListing(validFull, { today: '21/11/2026' })).toThrow(RangeError);
  });

  it('returns an issue, not an exception, for a value that cannot even be read', () => {
    const hostile = edited([]);
    Object.defineProperty(hostile, 'basic', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expectIssues(hostile, [{ path: [], code: 'unreadable_document' }]);
  });

  it('caps a flood of issues and keeps the errors that block submission', () => {
    const extra: Edit[] = Array.from({ length: 450 }, (_, i) => [[`junk${i}`], i]);
    const items = Array.from({ length: 50 }, (_, i) => ({ id: `p${i}` }));
    const issues = check(edited([...extra, [['packages', 'items'], items]]));
    expect(issues).toHaveLength(MAX_LISTING_ISSUES);
    expect(issues.at(-1)).toMatchObject({
      path: [],
      code: 'too_many_issues',
      severity: 'warning',
      params: { total: 700, shown: MAX_LISTING_ISSUES - 1 },
    });
    expect(issues.filter((issue) => issue.severity === 'error')).toHaveLength(250);
    expect(listingSubmissionBlocked(issues)).toBe(true);
    expectWellFormed(issues);
  });
});

describe('validateListing: messages', () => {
  it('builds messages from the field label', () => {
    const [issue] = check(edited([[['basic', 'name'], REMOVE]]));
    expect(issue?.message).toEqual({
      'zh-CN': '请填写「项目名称」',
      en: 'Project name is required',
    });
    const [tooLong] = check(edited([[pkg(2, 'name'), '套'.repeat(41)]]));
    expect(tooLong?.message).toEqual({
      'zh-CN': '「第 3 个套餐 › 名称」最多 40 个字，当前 41 个字',
      en: 'Package 3 › Name must be at most 40 characters (now 41)',
    });
  });

  it('names the dates, limits and counts a reader needs to fix the field', () => {
    const [expired] = check(edited([[file(1, 'validUntil'), '2026-11-20']]));
    expect(expired?.message).toEqual({
      'zh-CN': '「第 2 个资质文件 › 有效期至」已过期：2026-11-20 早于今天（2026-11-21）',
      en: 'Credential file 2 › Valid until: the document expired on 2026-11-20 (today is 2026-11-21)',
    });
    const [inverted] = check(edited([[pkg(1, 'price', 'min'), '7000']]));
    expect(inverted?.message['zh-CN']).toBe(
      '「第 2 个套餐 › 价格 › 最低价」（7000）不能高于最高价（6800.50）',
    );
    const [few] = check(edited([[['basic', 'intakes'], []]]));
    expect(few?.message).toEqual({
      'zh-CN': '「招生季」至少需要 1 项',
      en: 'Intakes needs at least 1 item(s)',
    });
  });

  it('has a message in both languages for every code', () => {
    for (const code of LISTING_ISSUE_CODES) {
      const message = listingIssueMessage(code, ['basic', 'name'], {});
      expect(message['zh-CN'].length, code).toBeGreaterThan(3);
      expect(message.en.length, code).toBeGreaterThan(3);
    }
  });

  it('covers every issue code in these tests', () => {
    // The table asserts exact codes; the dedicated tests above produce the rest.
    const covered = new Set<string>([
      ...CASES.flatMap(([, , expected]) => expected.map((issue) => issue.code)),
      'not_an_object',
      'unreadable_document',
      'too_many_issues',
      'unknown_mentor',
    ]);
    expect(LISTING_ISSUE_CODES.filter((code) => !covered.has(code))).toEqual([]);
  });
});

describe('listingSubmissionBlocked', () => {
  it('blocks on errors only', () => {
    expect(listingSubmissionBlocked(check(edited([[['basic', 'name'], '旗舰包']])))).toBe(false);
    expect(listingSubmissionBlocked(check(edited([[['risk', 'confirmed'], false]])))).toBe(true);
    expect(listingSubmissionBlocked([])).toBe(false);
  });
});

/** Every path in the complete fixture, to aim random damage at. */
function allPaths(value: unknown, prefix: PathSegment[] = []): PathSegment[][] {
  if (!isContainer(value)) {
    return [prefix];
  }
  const entries: [PathSegment, unknown][] = Array.isArray(value)
    ? value.map((item: unknown, index) => [index, item])
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => allPaths(item, [...prefix, key]))];
}

describe('validateListing: never throws', () => {
  it('on anything at all', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBoxedValues: true,
          withMap: true,
          withSet: true,
          withBigInt: true,
          withDate: true,
          withTypedArray: true,
          withSparseArray: true,
          withNullPrototype: true,
          withObjectString: true,
        }),
        (input) => {
          const issues = check(input);
          expectWellFormed(issues);
          expect(issues.some((issue) => issue.code === 'unreadable_document')).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        expectWellFormed(check(input));
      }),
      { numRuns: 300 },
    );
  });

  it('on the complete listing with any member replaced by any JSON value', () => {
    const paths = allPaths(validFull).filter((path) => path.length > 0);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), (path, value) => {
        const issues = check(edited([[path, value]]));
        expectWellFormed(issues);
        expect(issues.some((issue) => issue.code === 'unreadable_document')).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('on steps full of wrong shapes', () => {
    fc.assert(
      fc.property(
        fc.record({
          basic: fc.dictionary(
            fc.constantFrom('name', 'country', 'stages', 'intakes', 'introduction'),
            fc.jsonValue(),
          ),
          packages: fc.record({
            items: fc.array(
              fc.dictionary(fc.constantFrom('id', 'name', 'price', 'sessions'), fc.jsonValue()),
            ),
          }),
          credentials: fc.record({
            files: fc.array(
              fc.dictionary(
                fc.constantFrom('id', 'kind', 'validFrom', 'validUntil'),
                fc.jsonValue(),
              ),
            ),
          }),
        }),
        (input) => {
          expectWellFormed(check(input));
        },
      ),
      { numRuns: 100 },
    );
  });
});
