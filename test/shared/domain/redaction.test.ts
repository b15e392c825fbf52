import { describe, expect, it } from 'vitest';
import {
  maskText,
  maySee,
  REDACTION_MARK_PATTERN,
  REDACTION_POLICY,
  redactForViewer,
  redactRecord,
  redactionMark,
  SENSITIVE_TEXT_KINDS,
  type RedactionViewer,
} from '#shared/domain/redaction';
import { parsePointer } from '#shared/diff/pointer';
import { ROLES, type Role } from '#shared/domain/roles';

const ID_NUMBER = '110101199003071234';
const PHONE = '13800138000';
const OWN = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

const staff = (role: Role): RedactionViewer => ({ role, institutionId: null });
const member = (role: 'submitter' | 'collaborator', institutionId = OWN): RedactionViewer => ({
  role,
  institutionId,
});

describe('maySee', () => {
  it('gives licence data to reviewers, ops managers, assistants and the own institution only', () => {
    const allowed = ROLES.filter((role) => maySee('licence_identity', staff(role), OWN));
    // Staff viewers carry no institution: the own-institution grant never applies to them.
    expect(allowed).toEqual(['assistant', 'reviewer', 'ops_manager']);
    expect(maySee('licence_identity', member('submitter'), OWN)).toBe(true);
    expect(maySee('licence_identity', member('collaborator'), OWN)).toBe(true);
    expect(maySee('licence_identity', member('submitter'), OTHER)).toBe(false);
    expect(maySee('licence_identity', member('submitter'), null)).toBe(false);
    expect(maySee('licence_identity', { role: 'submitter', institutionId: null }, null)).toBe(
      false,
    );
  });

  it('gives students’ contact data to TAs and ops managers only', () => {
    const allowed = ROLES.filter((role) => maySee('student_contact', staff(role), null));
    expect(allowed).toEqual(['ops_manager', 'ta']);
    expect(maySee('student_contact', member('submitter'), OWN)).toBe(false);
  });
});

describe('maskText', () => {
  const all = SENSITIVE_TEXT_KINDS;

  it('masks ID numbers, phone numbers, e-mail, WeChat and QQ ids', () => {
    expect(maskText(`身份证号 ${ID_NUMBER}，电话${PHONE}`, ['id_number', 'phone'])).toBe(
      '身份证号 ⟦hidden:id_number⟧，电话⟦hidden:phone⟧',
    );
    expect(maskText('身份证 11010119900307123X。', all)).toBe('身份证 ⟦hidden:id_number⟧。');
    expect(maskText('Call +86 138-0013-8000 or 138 0013 8000', all)).toBe(
      'Call ⟦hidden:phone⟧ or ⟦hidden:phone⟧',
    );
    expect(maskText('座机 010-62345678', all)).toBe('座机 ⟦hidden:phone⟧');
    expect(maskText('邮箱 li.lei+hw@example.com.cn 谢谢', all)).toBe('邮箱 ⟦hidden:email⟧ 谢谢');
    expect(maskText('加我微信号：LiLei_2026 交流', all)).toBe('加我微信号：⟦hidden:wechat⟧ 交流');
    expect(maskText('WeChat: lilei2026', all)).toBe('WeChat: ⟦hidden:wechat⟧');
    expect(maskText('my id wxid_abc123def', all)).toBe('my id ⟦hidden:wechat⟧');
    expect(maskText('QQ号 12345678', all)).toBe('QQ号 ⟦hidden:qq⟧');
  });

  it('leaves ids, digests, dates, longer numbers and ordinary words alone', () => {
    const untouched = [
      '3f1b2c4d-1380-0138-8000-0a1b2c3d4e5f',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      '2026-11-21T01:00:00.000Z',
      '订单号 2026113800138000123',
      'I posted it on WeChat yesterday',
      '录取率 92%，服务 320 位学员',
      '统一社会信用代码 91330106MA2H3K7X5Q',
    ];
    for (const text of untouched) {
      expect(maskText(text, all)).toBe(text);
    }
  });

  it('only masks the kinds asked for', () => {
    expect(maskText(`${PHONE} a@b.cn`, ['phone'])).toBe('⟦hidden:phone⟧ a@b.cn');
  });

  it('writes marks the mark pattern finds', () => {
    const marks = [...maskText(`${ID_NUMBER} ${PHONE}`, all).matchAll(REDACTION_MARK_PATTERN)];
    expect(marks.map((match) => match[1])).toEqual(['id_number', 'phone']);
    expect(redactionMark('qq')).toBe('⟦hidden:qq⟧');
  });
});

describe('redactRecord', () => {
  const institution = {
    id: OWN,
    name: '明远教育',
    kind: 'institution',
    creditCode: '91330106MA2H3K7X5Q',
  };

  it('hides a field and names it, without changing the input', () => {
    const before = structuredClone(institution);
    const result = redactRecord('institutions', institution, staff('ta'), OWN);
    expect(result.record).toEqual({ ...institution, creditCode: null });
    expect(result.hidden).toEqual(['/creditCode']);
    expect(institution).toEqual(before);
  });

  it('returns the record itself to a viewer who may see everything', () => {
    const result = redactRecord('institutions', institution, staff('reviewer'), OWN);
    expect(result.record).toBe(institution);
    expect(result.hidden).toEqual([]);
  });

  it('does not name an empty value as hidden', () => {
    const result = redactRecord(
      'institutions',
      { ...institution, creditCode: null },
      staff('mentor'),
      OWN,
    );
    expect(result.hidden).toEqual([]);
  });

  const revision = {
    id: 'r1',
    name: '英国硕士申请',
    document: {
      provider: { kind: 'tutor', id: 'tutor_1', name: '陈老师' },
      risk: { disclosure: `咨询电话 ${PHONE}`, confirmed: true },
      credentials: {
        files: [{ id: 'f1', kind: 'mentor_certificate', fileName: `身份证${ID_NUMBER}.jpg` }],
      },
    },
  };

  it('strips a listing’s credentials and masks its text for TAs and mentors', () => {
    for (const role of ['ta', 'mentor'] as const) {
      const result = redactRecord('listing_revisions', revision, staff(role), OWN);
      expect(result.hidden).toEqual(['/document/credentials/files']);
      expect(result.record.document.credentials.files).toEqual([]);
      expect(result.record.document.risk.disclosure).toBe('咨询电话 ⟦hidden:phone⟧');
      expect(JSON.stringify(result.record)).not.toContain(ID_NUMBER);
      expect(JSON.stringify(result.record)).not.toContain(PHONE);
    }
  });

  it('keeps a listing whole for its own institution, not for another one', () => {
    expect(redactRecord('listing_revisions', revision, member('collaborator'), OWN).record).toBe(
      revision,
    );
    const outsider = redactRecord('listing_revisions', revision, member('submitter', OTHER), OWN);
    expect(outsider.hidden).toEqual(['/document/credentials/files']);
  });

  const student = {
    id: 's1',
    studentId: 'S2026001',
    name: '李雷',
    contactNote: `已私聊，电话 ${PHONE}`,
  };

  it('hides the roster contact note from everyone but TAs and ops managers', () => {
    expect(redactRecord('students', student, staff('ta'), null).record).toBe(student);
    expect(redactRecord('students', student, staff('ops_manager'), null).record).toBe(student);
    for (const role of ['mentor', 'assistant', 'reviewer'] as const) {
      expect(redactRecord('students', student, staff(role), null).record.contactNote).toBeNull();
    }
  });

  it('masks students’ contact data in homework for mentors', () => {
    const submission = {
      id: 'h1',
      studentId: 'S2026001',
      articleUrl: 'https://mp.weixin.qq.com/s/Ab3dEf',
      reflection: `有问题加微信：LiLei_2026 或打 ${PHONE}`,
      screenshots: ['3f1b2c4d-1380-0138-8000-0a1b2c3d4e5f'],
    };
    const forMentor = redactRecord('homework_submissions', submission, staff('mentor'), null);
    expect(forMentor.record.reflection).toBe('有问题加微信：⟦hidden:wechat⟧ 或打 ⟦hidden:phone⟧');
    expect(forMentor.record.articleUrl).toBe(submission.articleUrl);
    expect(forMentor.record.screenshots).toBe(submission.screenshots);
    expect(redactRecord('homework_submissions', submission, staff('ta'), null).record).toBe(
      submission,
    );
  });
});

describe('redactForViewer', () => {
  it('lists hidden pointers under `redacted`, and adds nothing when nothing was hidden', () => {
    const row = { id: 'i1', creditCode: '91330106MA2H3K7X5Q', name: '明远' };
    expect(redactForViewer('institutions', row, staff('mentor'), null)).toEqual({
      id: 'i1',
      creditCode: null,
      name: '明远',
      redacted: ['/creditCode'],
    });
    expect(redactForViewer('institutions', row, staff('reviewer'), null)).toBe(row);
  });
});

describe('REDACTION_POLICY', () => {
  it('names every path as a JSON Pointer into a field, never the whole record', () => {
    for (const rules of Object.values(REDACTION_POLICY)) {
      for (const rule of rules) {
        expect(parsePointer(rule.path).length).toBeGreaterThan(0);
      }
    }
  });
});
