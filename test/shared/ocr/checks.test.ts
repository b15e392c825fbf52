import { describe, expect, it } from 'vitest';
import {
  checkCredential,
  credentialContextFor,
  findingToComment,
  LOW_CONFIDENCE_THRESHOLD,
  namesMatch,
  serviceEndDate,
  type CredentialContext,
  type ExtractedField,
  type ExtractedFields,
  type Extraction,
} from '../../../shared/ocr/index';

function field(value: string | null, confidence = 0.95): ExtractedField {
  return {
    value,
    confidence,
    page: 1,
    box: { x: 10, y: 20, width: 100, height: 30 },
    raw: String(value),
  };
}

function licence(overrides: ExtractedFields = {}): Extraction {
  return {
    kind: 'business_licence',
    fields: {
      name: field('杭州明德远航教育科技有限公司'),
      creditCode: field('91330106MA2B5K80X3'),
      validFrom: field('2016-04-12'),
      validUntil: field(null),
      ...overrides,
    },
  };
}

const base: CredentialContext = {
  today: '2026-11-22',
  providerName: '杭州明德远航教育科技有限公司',
  providerKind: 'institution',
  fileIndex: 0,
};

const codes = (extraction: Extraction, context: CredentialContext = base) =>
  checkCredential(extraction, context).map((finding) => finding.code);

describe('namesMatch', () => {
  it('tolerates legal-form variants, brackets, spaces and full-width forms', () => {
    expect(namesMatch('上海海纳百川留学咨询有限责任公司', '上海海纳百川留学咨询有限公司')).toBe(
      true,
    );
    expect(namesMatch('上海海纳百川留学咨询（有限公司）', '上海 海纳百川留学咨询有限公司')).toBe(
      true,
    );
    expect(namesMatch('ＡＢＣ教育有限公司', 'abc教育有限责任公司')).toBe(true);
    expect(namesMatch('上海海纳百川留学咨询有限公司', '上海海纳百川教育科技有限公司')).toBe(false);
  });
});

describe('checkCredential', () => {
  it('finds nothing wrong with a matching, valid, long-term licence', () => {
    expect(checkCredential(licence(), { ...base, declaredValidUntil: null })).toEqual([]);
  });

  it('reports a different name at /provider/name with a ready comment', () => {
    const [finding] = checkCredential(
      licence({ name: field('杭州明德远航文化传播有限公司') }),
      base,
    );
    expect(finding).toMatchObject({
      code: 'NAME_MISMATCH',
      severity: 'error',
      field: 'name',
      listingPath: '/provider/name',
      suggestedComment: { path: '/provider/name', reasonCode: 'credential_problem' },
    });
    expect(finding?.message.en).toContain('杭州明德远航文化传播有限公司');
    expect(findingToComment(finding!, 'zh-CN')).toEqual({
      path: '/provider/name',
      reasonCode: 'credential_problem',
      text: finding!.suggestedComment.text['zh-CN'],
    });
  });

  it('calls a one-character difference a likely misreading (warning)', () => {
    const [finding] = checkCredential(
      licence({ name: field('杭州明德远舫教育科技有限公司') }),
      base,
    );
    expect(finding).toMatchObject({ code: 'NAME_MISMATCH', severity: 'warning' });
    expect(finding?.message.en).toMatch(/misreading/);
  });

  it('accepts 有限责任公司 on the licence for 有限公司 in the listing', () => {
    expect(
      codes(licence({ name: field('杭州明德远航教育科技有限责任公司') }), {
        ...base,
        providerName: '杭州明德远航教育科技（有限公司）',
      }),
    ).toEqual([]);
  });

  it('reports an invalid credit code with the reason', () => {
    const [finding] = checkCredential(licence({ creditCode: field('914201113034176647') }), base);
    expect(finding).toMatchObject({
      code: 'CREDIT_CODE_INVALID',
      severity: 'error',
      field: 'creditCode',
      listingPath: '/credentials/files/0',
      params: { reason: 'checksum' },
    });
  });

  it('reports an expired licence, and one that ends before the service', () => {
    expect(codes(licence({ validUntil: field('2025-06-30') }))).toEqual(['LICENCE_EXPIRED']);
    // Valid through its last day.
    expect(codes(licence({ validUntil: field('2026-11-22') }))).toEqual([]);
    const [ends] = checkCredential(licence({ validUntil: field('2027-01-31') }), {
      ...base,
      timelineEndsOn: '2027-05-21',
    });
    expect(ends).toMatchObject({
      code: 'LICENCE_ENDS_BEFORE_SERVICE',
      severity: 'warning',
      listingPath: '/process/timeline',
    });
  });

  it('reports a declared expiry that differs from the paper (长期 vs a date)', () => {
    const [finding] = checkCredential(licence({ validUntil: field('2039-03-14') }), {
      ...base,
      declaredValidUntil: null,
    });
    expect(finding).toMatchObject({
      code: 'EXPIRY_MISMATCH',
      listingPath: '/credentials/files/0/validUntil',
      params: { read: '2039-03-14', declared: null },
    });
    expect(finding?.message['zh-CN']).toContain('长期');
    expect(codes(licence(), { ...base, declaredValidUntil: '2039-03-14' })).toEqual([
      'EXPIRY_MISMATCH',
    ]);
  });

  it('asks to verify low-confidence values and missing fields by eye', () => {
    const findings = checkCredential(
      {
        kind: 'business_licence',
        fields: { name: field(base.providerName!, LOW_CONFIDENCE_THRESHOLD - 0.01) },
      },
      base,
    );
    expect(findings.map((f) => `${f.code}:${f.field}`)).toEqual([
      'FIELD_NOT_FOUND:creditCode',
      'FIELD_NOT_FOUND:validUntil',
      'LOW_CONFIDENCE:name',
    ]);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('reports a file declared as a licence that reads as something else', () => {
    expect(
      codes({ kind: 'unknown', fields: {} }, { ...base, declaredKind: 'business_licence' }),
    ).toEqual(['KIND_MISMATCH']);
    expect(codes({ kind: 'unknown', fields: {} }, { ...base, declaredKind: 'other' })).toEqual([]);
  });

  it('checks a tutor certificate’s holder only for tutor listings', () => {
    const certificate: Extraction = {
      kind: 'tutor_certificate',
      fields: { holderName: field('林晓雯'), validUntil: field('2025-01-01') },
    };
    expect(codes(certificate, { ...base, providerKind: 'tutor', providerName: '陈雅婷' })).toEqual([
      'NAME_MISMATCH',
      'CERTIFICATE_EXPIRED',
    ]);
    expect(codes(certificate, base)).toEqual(['CERTIFICATE_EXPIRED']);
  });

  it('uses /credentials/files when the file is not in the listing', () => {
    const [finding] = checkCredential(licence({ validUntil: field('2020-01-01') }), {
      today: '2026-11-22',
    });
    expect(finding?.listingPath).toBe('/credentials/files');
  });
});

describe('serviceEndDate and credentialContextFor', () => {
  it('adds up days, weeks and calendar months (clamped to the month’s end)', () => {
    const days = (value: number, unit: 'day' | 'week' | 'month') => ({ duration: { value, unit } });
    expect(serviceEndDate([days(1, 'day')], '2026-11-22')).toBe('2026-11-22');
    expect(serviceEndDate([days(2, 'week'), days(3, 'day')], '2026-11-22')).toBe('2026-12-08');
    expect(serviceEndDate([days(1, 'month')], '2027-01-31')).toBe('2027-02-27');
    expect(serviceEndDate([days(13, 'month')], '2027-01-31')).toBe('2028-02-28');
  });

  it('finds the file by SHA-256 and reads a draft defensively', () => {
    const sha256 = 'a'.repeat(64);
    const listing = {
      provider: { kind: 'institution', id: 'p1', name: '杭州明德远航教育科技有限公司' },
      process: {
        timeline: [
          { duration: { value: 6, unit: 'month' } },
          { duration: { value: 'x', unit: 'week' } },
        ],
      },
      credentials: {
        files: [
          { id: 'f0', kind: 'contract_sample', sha256: 'b'.repeat(64), validUntil: null },
          { id: 'f1', kind: 'business_licence', sha256, validUntil: '2039-03-14' },
        ],
      },
    };
    expect(credentialContextFor(listing, { sha256 }, '2026-11-22')).toEqual({
      today: '2026-11-22',
      providerName: '杭州明德远航教育科技有限公司',
      providerKind: 'institution',
      fileIndex: 1,
      declaredKind: 'business_licence',
      declaredValidUntil: '2039-03-14',
      timelineEndsOn: '2027-05-21',
    });
    expect(credentialContextFor(listing, { sha256: 'c'.repeat(64) }, '2026-11-22')).toEqual({
      today: '2026-11-22',
      providerName: '杭州明德远航教育科技有限公司',
      providerKind: 'institution',
      timelineEndsOn: '2027-05-21',
    });
    expect(credentialContextFor(undefined, {}, '2026-11-22')).toEqual({ today: '2026-11-22' });
    expect(credentialContextFor('garbage', { id: 'f1' }, '2026-11-22')).toEqual({
      today: '2026-11-22',
    });
  });
});
