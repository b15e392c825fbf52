import { describe, expect, it } from 'vitest';
import {
  diffListings,
  looksLikeListing,
  summarizeDiff,
  type Change,
  type ChangeKind,
  type ListingDiff,
} from '#shared/diff/listingDiff';
import { applyPatch, deepEqual, type JsonValue } from '#shared/diff/patch';
import validFull from '../../fixtures/listings/valid-full.json';

type Listing = typeof validFull;

const TODAY = '2026-11-21';

function listing(edit: (draft: Listing) => void = () => undefined): Listing {
  const draft = structuredClone(validFull);
  edit(draft);
  return draft;
}

function diff(
  before: JsonValue,
  after: JsonValue,
  options: Partial<Parameters<typeof diffListings>[2]> = {},
): ListingDiff {
  const result = diffListings(before, after, { onDate: TODAY, ...options });
  // Whatever else a test checks: the patch always turns before into after.
  expect(deepEqual(applyPatch(before, result.patch), after)).toBe(true);
  return result;
}

function only<K extends ChangeKind>(result: ListingDiff, kind: K): Extract<Change, { kind: K }> {
  expect(result.changes.map((change) => change.kind)).toEqual([kind]);
  return result.changes[0] as Extract<Change, { kind: K }>;
}

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

describe('diffListings', () => {
  it('finds nothing between equal documents, whatever the member order', () => {
    const reordered = Object.fromEntries(Object.entries(validFull).reverse()) as Listing;
    const result = diff(validFull, reordered);
    expect(result.changes).toEqual([]);
    expect(result.patch).toEqual([]);
  });

  it('reports a scalar change with its path, pointer, label and step', () => {
    const change = only(
      diff(
        validFull,
        listing((d) => {
          d.risk.confirmed = false;
        }),
      ),
      'value',
    );
    expect(change).toEqual({
      kind: 'value',
      path: ['risk', 'confirmed'],
      pointer: '/risk/confirmed',
      label: { 'zh-CN': '风险提示确认', en: 'Risk disclosure confirmation' },
      step: 'risk',
      before: true,
      after: false,
    });
  });

  it('reports an added and a removed field without the missing side', () => {
    const after = listing((d) => {
      (d.credentials.files[2] as Record<string, unknown>)['validFrom'] = '2026-01-01';
      delete (d.risk as Partial<Listing['risk']>).confirmedAt;
    });
    const result = diff(validFull, after);
    expect(result.changes).toHaveLength(2);
    // Document order: risk comes before credentials.
    const [removed, added] = result.changes;
    expect(added).toMatchObject({
      kind: 'value',
      pointer: '/credentials/files/2/validFrom',
      after: '2026-01-01',
    });
    expect(added).not.toHaveProperty('before');
    expect(removed).toMatchObject({ kind: 'value', pointer: '/risk/confirmedAt' });
    expect(removed).not.toHaveProperty('after');
  });

  it('diffs a text field by character: 英国硕士申请 → 英国博士申请', () => {
    const change = only(
      diff(
        validFull,
        listing((d) => {
          d.basic.name = '英国博士申请旗舰包';
        }),
      ),
      'text',
    );
    expect(change).toMatchObject({
      pointer: '/basic/name',
      rich: false,
      before: '英国硕士申请旗舰包',
      after: '英国博士申请旗舰包',
      formattingOnly: false,
      granularity: 'token',
    });
    expect(change.segments).toEqual([
      { kind: 'equal', text: '英国' },
      { kind: 'delete', text: '硕' },
      { kind: 'insert', text: '博' },
      { kind: 'equal', text: '士申请旗舰包' },
    ]);
  });

  it('diffs rich text by its visible text, and notices formatting-only edits', () => {
    const edited = only(
      diff(
        validFull,
        listing((d) => {
          d.basic.introduction = d.basic.introduction.replace('320 位', '350 位');
        }),
      ),
      'text',
    );
    expect(edited.rich).toBe(true);
    expect(edited.before).not.toContain('<');
    expect(edited.segments.filter((segment) => segment.kind !== 'equal')).toEqual([
      { kind: 'delete', text: '320' },
      { kind: 'insert', text: '350' },
    ]);

    const formatting = only(
      diff(
        validFull,
        listing((d) => {
          d.packages.refundPolicy.customText =
            '<p><em>已递交的院校申请费</em>由院校收取，不在退款范围内。</p>';
        }),
      ),
      'text',
    );
    expect(formatting).toMatchObject({
      pointer: '/packages/refundPolicy/customText',
      rich: true,
      formattingOnly: true,
    });
  });

  it('diffs a removed free-text field as text against nothing', () => {
    const change = only(
      diff(
        validFull,
        listing((d) => {
          delete (d.risk as Partial<Listing['risk']>).afterSalesPolicy;
        }),
      ),
      'text',
    );
    expect(change.after).toBe('');
    expect(change.segments).toEqual([{ kind: 'delete', text: validFull.risk.afterSalesPolicy }]);
  });

  it('reports added and removed list items with their id and name', () => {
    const result = diff(
      validFull,
      listing((d) => {
        d.requirements.items.splice(1, 1);
        d.packages.items.push({
          id: 'pkg_mock',
          name: '模拟面试单项',
          price: { kind: 'fixed', currency: 'CNY', amount: '1200' },
          serviceItems: ['模拟面试两次'],
          sessions: 2,
          seats: 20,
        });
      }),
    );
    expect(result.changes).toEqual([
      expect.objectContaining({
        kind: 'list-item-added',
        path: ['packages', 'items', 3],
        index: 3,
        id: 'pkg_mock',
        itemName: '模拟面试单项',
        label: { 'zh-CN': '第 4 个套餐', en: 'Package 4' },
        step: 'packages',
      }),
      expect.objectContaining({
        kind: 'list-item-removed',
        // Removals are paths of the before document.
        path: ['requirements', 'items', 1],
        index: 1,
        id: 'req_gpa',
        itemName: 'GPA 3.0/4.0 或均分 80 以上',
        item: validFull.requirements.items[1],
      }),
    ]);
  });

  it('reports a moved package and an edit inside it at its new path', () => {
    const result = diff(
      validFull,
      listing((d) => {
        const sprint = d.packages.items.pop()!;
        sprint.seats = 40;
        sprint.name = '冲刺单校申请（加急）';
        d.packages.items.unshift(sprint);
      }),
    );
    expect(result.changes).toEqual([
      expect.objectContaining({
        kind: 'list-item-moved',
        pointer: '/packages/items/0',
        fromPointer: '/packages/items/2',
        from: 2,
        to: 0,
        id: 'pkg_sprint',
        itemName: '冲刺单校申请（加急）',
      }),
      expect.objectContaining({ kind: 'text', pointer: '/packages/items/0/name' }),
      expect.objectContaining({
        kind: 'value',
        pointer: '/packages/items/0/seats',
        before: 50,
        after: 40,
      }),
    ]);
    expect(result.patch[0]).toEqual({
      op: 'move',
      from: '/packages/items/2',
      path: '/packages/items/0',
    });
    expect(result.patch.filter((operation) => operation.op === 'move')).toHaveLength(1);
    expect(result.patch.some((operation) => operation.op === 'remove')).toBe(false);
  });

  it('reports a price change in CNY for a GBP price', () => {
    const change = only(
      diff(
        listing((d) => {
          d.packages.items[0]!.price = { kind: 'fixed', currency: 'GBP', amount: '1000' };
        }),
        listing((d) => {
          d.packages.items[0]!.price = { kind: 'fixed', currency: 'GBP', amount: '1100' };
        }),
      ),
      'price',
    );
    expect(change.pointer).toBe('/packages/items/0/price');
    expect(change.label.en).toBe('Package 1 › Price');
    expect(change.before).toEqual({ kind: 'fixed', currency: 'GBP', amount: '1000' });
    expect(change.change.ok).toBe(true);
    if (change.change.ok) {
      // 2026-07-01 rates: 1 GBP = 8.98 CNY.
      expect(change.change.value.min).toEqual({
        before: { amount: '8980', currency: 'CNY' },
        after: { amount: '9878', currency: 'CNY' },
        absolute: { amount: '898', currency: 'CNY' },
        percent: '10.00',
      });
      expect(change.change.value.after.rate).toBe('8.98');
    }
  });

  it('reports a range price change and a conversion error as data', () => {
    const after = listing((d) => {
      d.packages.items[1]!.price.min = '4800';
    });
    const change = only(diff(validFull, after), 'price');
    expect(change.change.ok && change.change.value.min.absolute).toEqual({
      amount: '2694',
      currency: 'CNY',
    });
    expect(change.change.ok && change.change.value.max.percent).toBe('0.00');

    const early = only(diff(validFull, after, { onDate: '2020-01-01' }), 'price');
    expect(early.change).toMatchObject({ ok: false, error: { code: 'no_rate_for_date' } });
  });

  it('treats a price that is not a price as fields', () => {
    const result = diff(
      validFull,
      listing((d) => {
        (d.packages.items[0]!.price as Record<string, unknown>)['amount'] = 29800;
      }),
    );
    expect(result.changes).toEqual([
      expect.objectContaining({
        kind: 'value',
        pointer: '/packages/items/0/price/amount',
        before: '29800',
        after: 29800,
      }),
    ]);
  });

  it('reports a file replaced under the same id (by hash), with the OCR text diff', () => {
    const before = listing((d) => {
      d.credentials.files[0]!.sha256 = HASH_A;
    });
    const after = listing((d) => {
      d.credentials.files[0]!.sha256 = HASH_B;
      d.credentials.files[0]!.sizeBytes = 900_000;
      d.credentials.files[0]!.validUntil = '2036-05-07';
    });
    const ocr: Record<string, string> = {
      [HASH_A]: '名称 北京启航远志教育咨询有限公司 营业期限 长期',
      [HASH_B]: '名称 北京启航远志教育科技有限公司 营业期限 2036年05月07日',
    };
    const result = diff(before, after, { ocrText: (hash) => ocr[hash] });
    expect(result.changes.map((change) => change.kind)).toEqual(['file-replaced', 'value']);
    const replaced = result.changes[0] as Extract<Change, { kind: 'file-replaced' }>;
    expect(replaced).toMatchObject({
      pointer: '/credentials/files/0',
      match: 'same-id',
      beforeSha256: HASH_A,
      afterSha256: HASH_B,
      fileName: validFull.credentials.files[0]!.fileName,
    });
    expect(replaced.ocr?.segments.filter((segment) => segment.kind !== 'equal')).toEqual([
      { kind: 'delete', text: '咨询' },
      { kind: 'insert', text: '科技' },
      { kind: 'delete', text: '长期' },
      { kind: 'insert', text: '2036年05月07日' },
    ]);
    // The size went with the content; the validity date is news of its own.
    expect(result.changes[1]).toMatchObject({ pointer: '/credentials/files/0/validUntil' });
  });

  it('leaves out the OCR diff when either text is unknown', () => {
    const after = listing((d) => {
      d.credentials.files[1]!.sha256 = HASH_B;
    });
    const change = only(diff(validFull, after, { ocrText: () => undefined }), 'file-replaced');
    expect(change).not.toHaveProperty('ocr');
  });

  it('pairs a removed and an added file of the same kind and name as a re-upload', () => {
    const after = listing((d) => {
      d.credentials.files[1] = {
        ...d.credentials.files[1]!,
        id: 'file_contract_v2',
        sha256: HASH_B,
      };
    });
    const change = only(diff(validFull, after), 'file-replaced');
    expect(change).toMatchObject({
      match: 'same-kind-and-name',
      path: ['credentials', 'files', 1],
      beforeIndex: 1,
      afterIndex: 1,
      afterSha256: HASH_B,
    });
  });

  it('reports other files as added and removed', () => {
    const result = diff(
      validFull,
      listing((d) => {
        d.credentials.files.splice(2, 1);
        d.credentials.files.push({
          id: 'file_extra',
          kind: 'other',
          fileName: '办学许可证.png',
          mimeType: 'image/png',
          sizeBytes: 1000,
          sha256: HASH_A,
          validUntil: null,
        } as unknown as (typeof d.credentials.files)[number]);
      }),
    );
    expect(result.changes).toEqual([
      expect.objectContaining({
        kind: 'file-removed',
        path: ['credentials', 'files', 2],
        id: 'file_mentor_cert',
        fileName: validFull.credentials.files[2]!.fileName,
        sha256: validFull.credentials.files[2]!.sha256,
      }),
      expect.objectContaining({
        kind: 'file-added',
        path: ['credentials', 'files', 2],
        id: 'file_extra',
        fileName: '办学许可证.png',
        sha256: HASH_A,
      }),
    ]);
  });

  it('compares tag lists as sets, noticing a new order', () => {
    const result = diff(
      validFull,
      listing((d) => {
        d.basic.stages = ['phd', 'master'];
        d.basic.intakes = ['spring', 'fall'];
        d.highlights.advantages = d.highlights.advantages.slice(1).concat('提供签证指导');
      }),
    );
    expect(result.changes).toEqual([
      expect.objectContaining({
        kind: 'tags',
        pointer: '/basic/stages',
        added: ['phd'],
        removed: [],
        reordered: false,
      }),
      expect.objectContaining({
        kind: 'tags',
        pointer: '/basic/intakes',
        added: [],
        removed: [],
        reordered: true,
      }),
      expect.objectContaining({
        kind: 'tags',
        pointer: '/highlights/advantages',
        added: ['提供签证指导'],
        removed: [validFull.highlights.advantages[0]],
        reordered: false,
      }),
    ]);
    // Tags are matched by value in the patch too: a reorder is a move.
    const swapped = diff(
      validFull,
      listing((d) => {
        d.basic.intakes = ['spring', 'fall'];
      }),
    );
    expect(swapped.patch).toEqual([
      { op: 'move', from: '/basic/intakes/0', path: '/basic/intakes/1' },
    ]);
  });

  it('treats a step or list a draft never had as empty', () => {
    const draft = listing((d) => {
      delete (d as Partial<Listing>).highlights;
    });
    const result = diff(draft, validFull);
    const kinds = result.changes.map((change) => `${change.kind} ${change.pointer}`);
    expect(kinds).toEqual([
      'tags /highlights/advantages',
      'list-item-added /highlights/mentors/0',
      'list-item-added /highlights/mentors/1',
      'list-item-added /highlights/successCases/0',
      'list-item-added /highlights/successCases/1',
    ]);
  });

  it('compares lists with duplicate ids position by position', () => {
    const before = listing((d) => {
      d.highlights.mentors = [
        { id: 'm', mentorId: 'mentor_1' },
        { id: 'm', mentorId: 'mentor_2' },
      ];
    });
    const after = listing((d) => {
      d.highlights.mentors = [{ id: 'm', mentorId: 'mentor_3' }];
    });
    const result = diff(before, after);
    expect(result.changes.map((change) => `${change.kind} ${change.pointer}`)).toEqual([
      'list-item-removed /highlights/mentors/1',
      'value /highlights/mentors/0/mentorId',
    ]);
  });

  it('works on documents that are not listings at all', () => {
    const result = diff({ a: [1, 2], b: { c: 'x' } }, { a: [1, 3], b: 'y' });
    expect(result.changes.map((change) => `${change.kind} ${change.pointer}`)).toEqual([
      'value /a/1',
      'value /b',
    ]);
    expect(result.changes[1]!.label.en).toBe('b');
    const root = diff([1], 'x');
    expect(root.changes).toEqual([
      expect.objectContaining({ kind: 'value', path: [], pointer: '', step: '' }),
    ]);
  });

  it('recognises listing documents', () => {
    expect(looksLikeListing(validFull)).toBe(true);
    expect(looksLikeListing({ schemaVersion: 1, basic: {} })).toBe(true);
    expect(looksLikeListing({ schemaVersion: 2, basic: {} })).toBe(false);
    expect(looksLikeListing({ schemaVersion: 1 })).toBe(false);
    expect(looksLikeListing([validFull])).toBe(false);
  });
});

describe('summarizeDiff', () => {
  it('counts changes per kind and per step', () => {
    const result = diff(
      validFull,
      listing((d) => {
        d.basic.name = '英国博士申请旗舰包';
        d.basic.stages = ['master', 'phd'];
        d.risk.confirmed = false;
        d.packages.items.reverse();
      }),
    );
    expect(summarizeDiff(result)).toEqual({
      total: 5,
      // Reversing three items moves two of them.
      byKind: { value: 1, text: 1, 'list-item-moved': 2, tags: 1 },
      bySteps: {
        basic: { total: 2, byKind: { text: 1, tags: 1 } },
        packages: { total: 2, byKind: { 'list-item-moved': 2 } },
        risk: { total: 1, byKind: { value: 1 } },
      },
    });
  });

  it('summarises nothing as zero', () => {
    expect(summarizeDiff({ changes: [] })).toEqual({ total: 0, byKind: {}, bySteps: {} });
  });
});
