import { describe, expect, it } from 'vitest';
import { validateListing } from '../../../shared/domain/listing/validate';
import {
  describeProvenance,
  markProvenanceEdited,
  provenanceFor,
} from '../../../shared/domain/listing/provenance';
import {
  applyProposal,
  findDuration,
  findPrice,
  parseTableAmount,
  prefillFromDossier,
  type PrefillPage,
  type PrefillProposal,
} from '../../../shared/ocr/prefill';
import { certificateRows, licenceRows, page, type Row } from './support';

/* Pre-fill on synthetic OCR output (no tesseract): cheap to read when it fails. */

function tableRows(): Row[] {
  return [
    { y: 100, cells: [{ x: 400, text: '服务套餐与价格' }] },
    {
      y: 200,
      cells: [
        { x: 110, text: '套餐名称' },
        { x: 800, text: '价格' },
      ],
    },
    {
      y: 270,
      cells: [
        { x: 110, text: '| 英国硕士申请标准套餐' },
        { x: 800, text: '人民币 38,000 |' },
      ],
    },
    {
      y: 340,
      cells: [
        { x: 110, text: '英国硕士文书精修' },
        { x: 800, text: '英镑 4,800' },
      ],
    },
    { y: 420, cells: [{ x: 400, text: '服务流程与周期' }] },
    {
      y: 490,
      cells: [
        { x: 110, text: '服务阶段' },
        { x: 800, text: '周期' },
      ],
    },
    {
      y: 560,
      cells: [
        { x: 110, text: '背景评估与选校' },
        { x: 800, text: '2 周' },
      ],
    },
    {
      y: 630,
      cells: [
        { x: 110, text: '网申递交' },
        { x: 800, text: '3 个月' },
      ],
    },
  ];
}

function dossier(): PrefillPage[] {
  return [
    { ...page(licenceRows(), 0), fileName: 'dossier.pdf' },
    { ...page(certificateRows(), 1), fileName: 'dossier.pdf' },
    { ...page(tableRows(), 2), fileName: 'dossier.pdf' },
  ];
}

const byField = (proposals: readonly PrefillProposal[]) =>
  Object.fromEntries(proposals.map((proposal) => [proposal.path, proposal.value]));

const APPLY = { enteredBy: '助理 李梅', at: '2026-12-07T10:00:00Z' };

describe('prefillFromDossier', () => {
  it('proposes the licence, certificate and table values with their pointers', () => {
    expect(byField(prefillFromDossier(dossier()))).toEqual({
      '/provider/name': '杭州明德远航教育科技有限公司',
      '/provider/creditCode': '91330106MA2B5K80X3',
      '/provider/address': '浙江省杭州市西湖区文三路478号华星时代广场A座1203室',
      '/credentials/files/0/validFrom': '2016-04-12',
      '/credentials/files/0/validUntil': null,
      '/credentials/files/1/holderName': '林晓雯',
      '/credentials/files/1/certificateNumber': '20214401421000123',
      '/packages/items/0/name': '英国硕士申请标准套餐',
      '/packages/items/0/price': { kind: 'fixed', currency: 'CNY', amount: '38000' },
      '/packages/items/1/name': '英国硕士文书精修',
      '/packages/items/1/price': { kind: 'fixed', currency: 'GBP', amount: '4800' },
      '/process/timeline/0/stageName': '背景评估与选校',
      '/process/timeline/0/duration': { value: 2, unit: 'week' },
      '/process/timeline/1/stageName': '网申递交',
      '/process/timeline/1/duration': { value: 3, unit: 'month' },
    });
  });

  it('gives every proposal a source: file, 1-based page, a box on the page, confidence, text', () => {
    const proposals = prefillFromDossier(dossier());
    for (const proposal of proposals) {
      expect(proposal.source.fileName).toBe('dossier.pdf');
      expect(proposal.source.page).toBeGreaterThanOrEqual(1);
      expect(proposal.source.bbox.width).toBeGreaterThan(0);
      expect(proposal.source.bbox.height).toBeGreaterThan(0);
      expect(proposal.source.confidence).toBeGreaterThan(0);
      expect(proposal.source.text).not.toBe('');
    }
    const price = proposals.find((proposal) => proposal.path === '/packages/items/1/price');
    expect(price?.source).toMatchObject({ page: 3, bbox: { x: 800, y: 340 }, text: '英镑4,800' });
    const name = proposals.find((proposal) => proposal.path === '/packages/items/0/name');
    // The table rule "|" read before the name is not part of the value or its box.
    expect(name?.source.bbox.x).toBeGreaterThan(110);
  });

  it('proposes nothing for what it did not read (no value without a source)', () => {
    const blank: PrefillPage = {
      ...page([{ y: 100, cells: [{ x: 100, text: '附件目录' }] }]),
      fileName: 'x.png',
    };
    expect(prefillFromDossier([blank])).toEqual([]);
    const noPrice: PrefillPage = {
      ...page([
        {
          y: 200,
          cells: [
            { x: 110, text: '套餐名称' },
            { x: 800, text: '价格' },
          ],
        },
        {
          y: 270,
          cells: [
            { x: 110, text: '英国硕士申请标准套餐' },
            { x: 800, text: '面议' },
          ],
        },
      ]),
      fileName: 'x.png',
    };
    expect(prefillFromDossier([noPrice])).toEqual([]);
  });

  it('matches list items the draft already has instead of adding new ones', () => {
    const document = {
      packages: { items: [{ id: 'std', name: '英国硕士申请标准套餐' }] },
      credentials: { files: [{ id: 'lic', kind: 'business_licence', fileName: 'old.pdf' }] },
    };
    const paths = prefillFromDossier(dossier(), { document }).map((proposal) => proposal.path);
    expect(paths).toContain('/packages/items/0/price');
    expect(paths).toContain('/packages/items/1/price');
    expect(paths).toContain('/credentials/files/0/validUntil');
    expect(paths).toContain('/credentials/files/1/holderName');
  });

  it('reads amounts and durations as tables print them', () => {
    expect(parseTableAmount('38,000')).toBe('38000');
    expect(parseTableAmount('38.000')).toBe('38000');
    expect(parseTableAmount('4800.50')).toBe('4800.50');
    expect(parseTableAmount('1.2.3')).toBeUndefined();
    expect(findPrice('套餐USD12,500')?.price).toEqual({
      kind: 'fixed',
      currency: 'USD',
      amount: '12500',
    });
    expect(findPrice('人民币0')).toBeUndefined();
    expect(findDuration('文书6周')?.duration).toEqual({ value: 6, unit: 'week' });
    expect(findDuration('10天')?.duration).toEqual({ value: 10, unit: 'day' });
    expect(findDuration('0周')).toBeUndefined();
  });
});

describe('applyProposal', () => {
  it('sets the value and records its provenance, creating the list item once', () => {
    const proposals = prefillFromDossier(dossier());
    let document: Record<string, unknown> = { schemaVersion: 1 };
    for (const proposal of proposals) {
      document = applyProposal(document, proposal, APPLY).document;
    }
    expect(document['provider']).toEqual({
      name: '杭州明德远航教育科技有限公司',
      creditCode: '91330106MA2B5K80X3',
      address: '浙江省杭州市西湖区文三路478号华星时代广场A座1203室',
    });
    expect(document['packages']).toEqual({
      items: [
        {
          id: 'ocr-package-1',
          name: '英国硕士申请标准套餐',
          price: { kind: 'fixed', currency: 'CNY', amount: '38000' },
        },
        {
          id: 'ocr-package-2',
          name: '英国硕士文书精修',
          price: { kind: 'fixed', currency: 'GBP', amount: '4800' },
        },
      ],
    });
    const provenance = document['provenance'] as Record<string, unknown>;
    expect(Object.keys(provenance).sort()).toEqual(proposals.map((p) => p.path).sort());
    expect(provenance['/packages/items/1/price']).toMatchObject({
      method: 'ocr',
      enteredBy: '助理 李梅',
      fileName: 'dossier.pdf',
      page: 3,
      text: '英镑4,800',
    });
    // The validator accepts the provenance it wrote (other issues are a draft's missing fields).
    const issues = validateListing(document, { today: '2026-12-07' });
    expect(issues.filter((issue) => issue.path[0] === 'provenance')).toEqual([]);
    expect(
      issues.filter(
        (issue) =>
          issue.path[0] === 'provider' &&
          ['name', 'creditCode', 'address'].includes(String(issue.path[1])),
      ),
    ).toEqual([]);
  });

  it('lands a row in its own item when another row of the table was dismissed', () => {
    const proposals = prefillFromDossier(dossier());
    const second = proposals.filter((p) => p.path.startsWith('/packages/items/1/'));
    let document: Record<string, unknown> = {};
    const paths: string[] = [];
    for (const proposal of second) {
      const applied = applyProposal(document, proposal, APPLY);
      document = applied.document;
      paths.push(applied.path);
    }
    expect(paths).toEqual(['/packages/items/0/name', '/packages/items/0/price']);
    expect(provenanceFor(document, '/packages/items/0/price/amount')?.entry.text).toBe('英镑4,800');
  });

  it('marks provenance edited when the value was corrected, at acceptance or later', () => {
    const proposals = prefillFromDossier(dossier());
    const name = proposals.find((p) => p.field === 'providerName');
    const address = proposals.find((p) => p.field === 'address');
    if (name === undefined || address === undefined) {
      throw new Error('expected proposals');
    }
    let document: Record<string, unknown> = applyProposal({}, name, {
      ...APPLY,
      value: '杭州明德远航教育科技有限责任公司',
    }).document;
    document = applyProposal(document, address, APPLY).document;
    const provenance = () => document['provenance'] as Record<string, { edited?: boolean }>;
    expect(provenance()['/provider/name']?.edited).toBe(true);
    expect(provenance()['/provider/address']?.edited).toBeUndefined();
    document = markProvenanceEdited(document, '/provider/address');
    expect(provenance()['/provider/address']?.edited).toBe(true);
    const entry = provenanceFor(document, '/provider/address')?.entry;
    expect(entry && describeProvenance(entry).en).toBe(
      `entered by 助理 李梅 from page 1 of dossier.pdf (OCR confidence 95%, edited after OCR)`,
    );
  });

  it('keeps provenance plain text and drops it with its field', () => {
    const proposals = prefillFromDossier(dossier());
    const price = proposals.find((p) => p.field === 'packagePrice');
    if (price === undefined) {
      throw new Error('expected a price proposal');
    }
    const hostile: PrefillProposal = {
      ...price,
      source: {
        ...price.source,
        fileName: '<img src=x onerror=alert(1)>.pdf',
        text: 'a\u202eb<script>',
      },
    };
    const { document } = applyProposal<Record<string, unknown>>({}, hostile, {
      ...APPLY,
      enteredBy: 'x\u0000<b>y</b>',
    });
    const entry = (document['provenance'] as Record<string, Record<string, unknown>>)[
      '/packages/items/0/price'
    ];
    for (const text of [entry?.['fileName'], entry?.['text'], entry?.['enteredBy']]) {
      expect(text).not.toMatch(/[<>\p{Cc}\u202e]/u);
    }
    // Removing the package leaves dangling provenance, which the validator reports and prune drops.
    const removed = { ...document, packages: { items: [] } };
    const issues = validateListing(removed, { today: '2026-12-07' });
    expect(
      issues.some((issue) => issue.path[0] === 'provenance' && issue.code === 'unknown_field'),
    ).toBe(true);
    expect(
      (markProvenanceEdited(removed, '/packages') as { provenance?: unknown }).provenance,
    ).toBeUndefined();
  });

  it('the schema refuses markup, bad pointers and oversized provenance', () => {
    const entry = {
      method: 'ocr',
      enteredBy: 'a',
      enteredAt: '2026-12-07T10:00:00Z',
      fileName: 'd.pdf',
      page: 1,
      bbox: { x: 0, y: 0, width: 1, height: 1 },
      confidence: 0.9,
      text: 'x',
    };
    const codes = (provenance: unknown) =>
      validateListing(
        { schemaVersion: 1, provider: { name: 'x' }, provenance },
        { today: '2026-12-07' },
      )
        .filter((issue) => issue.path[0] === 'provenance')
        .map((issue) => issue.code);
    expect(codes({ '/provider/name': entry })).toEqual([]);
    expect(codes({ '/provider/name': { ...entry, text: '<script>' } })).toContain('invalid_format');
    expect(codes({ '/provider/~0name': entry })).toContain('invalid_format');
    expect(codes({ '/provider/name': { ...entry, page: 0 } })).toContain('not_positive');
    expect(codes({ '/provider/name': { ...entry, extra: 1 } })).toContain('unknown_field');
    const many = Object.fromEntries(
      Array.from({ length: 501 }, (_, index) => [`/provider/name${index}`, entry]),
    );
    expect(codes(many)).toContain('too_many');
  });
});
