import { describe, expect, it } from 'vitest';
import {
  applyRereads,
  classifyDocument,
  extractCertificate,
  extractDocument,
  extractLicence,
  findDates,
  parseCapitalAmount,
  parseTerm,
  rereadRequests,
} from '../../../shared/ocr/index';
import { certificateRows, licenceRows, page } from './support';

describe('classifyDocument', () => {
  it('recognises a licence, a certificate and neither', () => {
    expect(classifyDocument('营 业 执 照\n统一社会信用代码 9133…\n法定代表人 陈立群')).toBe(
      'business_licence',
    );
    expect(classifyDocument('教师资格证书\n证书号码 2021…\n发证机关 广州市教育局')).toBe(
      'tutor_certificate',
    );
    expect(classifyDocument('STUDY ABROAD CONSULTANT CERTIFICATE 证书编号 LXZX-1')).toBe(
      'tutor_certificate',
    );
    expect(classifyDocument('会议纪要 2026年1月1日')).toBe('unknown');
    expect(classifyDocument('')).toBe('unknown');
  });
});

describe('dates, terms and capitals', () => {
  it('reads the date styles papers print, repairing look-alike digits', () => {
    expect(findDates('2019年03月15日').map((d) => d.iso)).toEqual(['2019-03-15']);
    expect(findDates('2019-03-15 至 2039.3.14').map((d) => d.iso)).toEqual([
      '2019-03-15',
      '2039-03-14',
    ]);
    expect(findDates('2027.3.31').map((d) => d.iso)).toEqual(['2027-03-31']);
    expect(findDates('2019/3/5').map((d) => d.iso)).toEqual(['2019-03-05']);
    // 日 misread, O for 0, l for 1.
    expect(findDates('2O18年11月08晶').map((d) => d.iso)).toEqual(['2018-11-08']);
    expect(findDates('20l9年03月15日').map((d) => d.iso)).toEqual(['2019-03-15']);
    // Impossible days are not dates.
    expect(findDates('2023年02月30日')).toEqual([]);
  });

  it('reads a term with an end date, with 长期, and without an end', () => {
    expect(parseTerm('2019年03月15日 至 长期')).toEqual({ from: '2019-03-15', until: null });
    expect(parseTerm('2019年03月15日至长其')).toEqual({ from: '2019-03-15', until: null });
    expect(parseTerm('2019年03月15日 至 2039年03月14日')).toEqual({
      from: '2019-03-15',
      until: '2039-03-14',
    });
    expect(parseTerm('长期有效')).toEqual({ until: null });
    expect(parseTerm('2019年03月15日')).toEqual({ from: '2019-03-15' });
  });

  it('parses registered capitals in Chinese and Arabic numerals', () => {
    expect(parseCapitalAmount('人民币伍佰万元整')).toBe('5000000');
    expect(parseCapitalAmount('伍佰万元人民币')).toBe('5000000');
    expect(parseCapitalAmount('人民币贰佰伍拾万元整')).toBe('2500000');
    expect(parseCapitalAmount('捌拾万元整')).toBe('800000');
    expect(parseCapitalAmount('500万元')).toBe('5000000');
    expect(parseCapitalAmount('1000万元人民币')).toBe('10000000');
    expect(parseCapitalAmount('500.5万元')).toBe('5005000');
    expect(parseCapitalAmount('壹亿贰仟万元')).toBe('120000000');
    expect(parseCapitalAmount('(人民币)5,000,000元')).toBe('5000000');
    expect(parseCapitalAmount('100万美元')).toBeUndefined();
    expect(parseCapitalAmount('待定')).toBeUndefined();
  });
});

describe('extractLicence', () => {
  it('reads every field of a two-column licence with provenance', () => {
    const fields = extractLicence({ pages: [page(licenceRows())] });
    expect(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.value]))).toEqual({
      name: '杭州明德远航教育科技有限公司',
      creditCode: '91330106MA2B5K80X3',
      legalRepresentative: '陈立群',
      registeredCapital: '人民币伍佰万元整',
      registeredCapitalAmount: '5000000',
      establishedOn: '2016-04-12',
      validFrom: '2016-04-12',
      validUntil: null,
      address: '浙江省杭州市西湖区文三路478号华星时代广场A座1203室',
    });
    // The name stops before the right column; its box is the value's, on page 1.
    expect(fields.name?.page).toBe(1);
    expect(fields.name?.box).toEqual({ x: 310, y: 440, width: 420, height: 30 });
    // The address spans two lines: one box around both.
    expect(fields.address?.box.y).toBe(656);
    expect(fields.address?.box.height).toBe(80);
    // validUntil points at 长期 only, not at the whole term.
    expect(fields.validUntil?.box.width).toBeLessThan(100);
    expect(fields.validUntil?.raw).toBe('2016年04月12日至长期');
  });

  it('weights confidence by characters and keeps the raw reading', () => {
    const rows = licenceRows();
    rows[5] = {
      y: 584,
      cells: [
        { x: 110, text: '法定代表人' },
        { x: 310, text: '陈立', confidence: 0.9 },
        { x: 370, text: '群', confidence: 0.3 },
      ],
    };
    const fields = extractLicence({ pages: [page(rows)] });
    expect(fields.legalRepresentative?.value).toBe('陈立群');
    expect(fields.legalRepresentative?.confidence).toBeCloseTo(0.7, 3);
  });

  it('finds labels with stray marks between their characters and values after junk', () => {
    const rows = licenceRows();
    rows[3] = {
      y: 440,
      cells: [
        { x: 110, text: '名' },
        { x: 160, text: '“' },
        { x: 210, text: '称' },
        { x: 280, text: '”' },
        { x: 310, text: '上海海纳百川留学咨询有限责任公司' },
        { x: 960, text: '注册资本' },
        { x: 1160, text: '1000万元人民币' },
      ],
    };
    const fields = extractLicence({ pages: [page(rows)] });
    expect(fields.name?.value).toBe('上海海纳百川留学咨询有限责任公司');
    expect(fields.registeredCapitalAmount?.value).toBe('10000000');
  });

  it('does not run a name into the next field when that field’s label is misread', () => {
    const rows = licenceRows();
    rows[4] = {
      y: 486,
      cells: [
        { x: 110, text: '尖' },
        { x: 210, text: '型' },
        { x: 310, text: '有限责任公司' },
      ],
    };
    const fields = extractLicence({ pages: [page(rows)] });
    expect(fields.name?.value).toBe('杭州明德远航教育科技有限公司');
  });

  it('reads a misread long label within one character (法定代表和人)', () => {
    const rows = licenceRows();
    rows[5] = {
      y: 584,
      cells: [
        { x: 110, text: '法定代表和人' },
        { x: 310, text: '陈立群' },
      ],
    };
    expect(extractLicence({ pages: [page(rows)] }).legalRepresentative?.value).toBe('陈立群');
  });

  it('repairs O/I confusions in the credit code only when the repair passes the check', () => {
    const repaired = extractLicence({ pages: [page(licenceRows({ code: '91110108MAOIN8QK36' }))] });
    expect(repaired.creditCode?.value).toBe('91110108MA01N8QK36');
    expect(repaired.creditCode?.repaired).toBe(true);
    expect(repaired.creditCode?.raw).toBe('91110108MAOIN8QK36');
    // Lower case and a glued neighbour.
    // Lower case is normalised, not repaired.
    const lower = extractLicence({ pages: [page(licenceRows({ code: '91330106ma2b5k80x3' }))] });
    expect(lower.creditCode?.value).toBe('91330106MA2B5K80X3');
    expect(lower.creditCode?.repaired).toBeUndefined();
  });

  it('drops one inserted character when that gives a valid code', () => {
    const fields = extractLicence({ pages: [page(licenceRows({ code: '91510107MA62Q8EI1XY' }))] });
    expect(fields.creditCode?.value).toBe('91510107MA62Q8E1XY');
    expect(fields.creditCode?.repaired).toBe(true);
  });

  it('keeps an invalid code as read when no single repair passes', () => {
    // A wrong check character with no look-alikes: nothing to repair.
    const fields = extractLicence({ pages: [page(licenceRows({ code: '914201113034176647' }))] });
    expect(fields.creditCode?.value).toBe('914201113034176647');
    expect(fields.creditCode?.repaired).toBeUndefined();
    // An invalid code with two B/8 swaps that each pass is ambiguous: kept as read too.
    const ambiguous = extractLicence({
      pages: [page(licenceRows({ code: '91110108MA0B8QK3A8' }))],
    });
    expect(ambiguous.creditCode?.value).toBe('91110108MA0B8QK3A8');
    expect(ambiguous.creditCode?.repaired).toBeUndefined();
  });

  it('repairs misread capital numerals only when the result is an amount', () => {
    const fields = extractLicence({
      pages: [page(licenceRows({ capital: '人民币或佰伍失万元束' }))],
    });
    expect(fields.registeredCapital?.value).toBe('人民币贰佰伍拾万元整');
    expect(fields.registeredCapital?.repaired).toBe(true);
    expect(fields.registeredCapitalAmount?.value).toBe('2500000');
    const unreadable = extractLicence({
      pages: [page(licenceRows({ capital: '人民币烈佰万元整' }))],
    });
    expect(unreadable.registeredCapital?.value).toBe('人民币烈佰万元整');
    expect(unreadable.registeredCapitalAmount).toBeUndefined();
  });

  it('reads a fixed term and leaves out fields it cannot find', () => {
    const fields = extractLicence({
      pages: [page(licenceRows({ term: '2019年03月15日 至 2039年03月14日' }).slice(0, 6))],
    });
    expect(fields.validFrom?.value).toBe('2019-03-15');
    expect(fields.validUntil?.value).toBe('2039-03-14');
    expect(fields.address).toBeUndefined();
  });
});

describe('extractCertificate', () => {
  it('reads holder, number and 长期有效', () => {
    const fields = extractCertificate({ pages: [page(certificateRows())] });
    expect(fields.holderName?.value).toBe('林晓雯');
    expect(fields.certificateNumber?.value).toBe('20214401421000123');
    expect(fields.validUntil?.value).toBeNull();
    expect(fields.validUntil?.raw).toBe('长期有效');
  });

  it('reads ISO and dotted expiry dates and other number labels', () => {
    const iso = extractCertificate({
      pages: [
        page(
          certificateRows({
            numberLabel: '证书编号',
            number: 'LXZX-2023-08817',
            until: '2028-06-30',
          }),
        ),
      ],
    });
    expect(iso.certificateNumber?.value).toBe('LXZX-2023-08817');
    expect(iso.validUntil?.value).toBe('2028-06-30');
    const dotted = extractCertificate({
      pages: [page(certificateRows({ until: '2027.3.31', number: '1TQ202400517' }))],
    });
    expect(dotted.validUntil?.value).toBe('2027-03-31');
    // A letter prefix read with a digit first.
    expect(dotted.certificateNumber?.value).toBe('ITQ202400517');
  });

  it('keeps only Chinese characters of a Chinese name', () => {
    const fields = extractCertificate({ pages: [page(certificateRows({ holder: '|张伟,' }))] });
    expect(fields.holderName?.value).toBe('张伟');
  });
});

describe('extractDocument and second readings', () => {
  it('classifies and extracts across pages, reporting 1-based page numbers', () => {
    const blank = page([{ y: 100, cells: [{ x: 100, text: '附件' }] }], 0);
    const licence = page(licenceRows(), 1);
    const extraction = extractDocument({ pages: [blank, licence] });
    expect(extraction.kind).toBe('business_licence');
    expect(extraction.fields.name?.page).toBe(2);
  });

  it('asks to read an invalid code again and applies a valid second reading', () => {
    const extraction = extractDocument({
      pages: [page(licenceRows({ code: '91330106MA2zB5ksox' }))],
    });
    expect(extraction.fields.creditCode?.value).toBe('91330106MA2ZB5KSOX');
    const requests = rereadRequests(extraction, [page(licenceRows())]);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.field).toBe('creditCode');
    expect(requests[0]?.characters).not.toMatch(/[IOSVZ]/);
    const box = requests[0]!.box;
    expect(box.x).toBeLessThan(110);
    expect(box.x + box.width).toBeGreaterThan(110 + 18 * 17);

    const applied = applyRereads(extraction, [
      { ...requests[0]!, text: '91330106MA2B5K80X3\n', confidence: 0.9 },
    ]);
    expect(applied.fields.creditCode).toMatchObject({
      value: '91330106MA2B5K80X3',
      confidence: 0.9,
      repaired: true,
      raw: '91330106MA2B5K80X3',
    });
    // A second reading that is no better is ignored.
    const ignored = applyRereads(extraction, [{ ...requests[0]!, text: 'garbage', confidence: 1 }]);
    expect(ignored.fields.creditCode?.value).toBe('91330106MA2ZB5KSOX');
  });

  it('asks nothing when the code is valid', () => {
    const extraction = extractDocument({ pages: [page(licenceRows())] });
    expect(rereadRequests(extraction, [page(licenceRows())])).toEqual([]);
  });
});
