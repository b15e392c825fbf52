import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeJson, resolveConflict } from '#shared/diff/merge';
import { isJsonObject, type JsonValue } from '#shared/diff/patch';
import validFull from '../../fixtures/listings/valid-full.json';

const BASE = validFull as unknown as Record<string, JsonValue>;
const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;

const pkg = (id: string, name: string, price = 100) => ({ id, name, price });

describe('three-way merge of documents', () => {
  it('takes each side’s change to a different field, and flags the field both changed differently', () => {
    const base = { basic: { name: '英国硕士', city: '伦敦' }, risk: false };
    const mine = { basic: { name: '英国硕士申请', city: '伦敦' }, risk: true };
    const theirs = { basic: { name: '英国硕士直通车', city: '曼彻斯特' }, risk: false };

    const { merged, conflicts } = mergeJson(base, mine, theirs);

    expect(merged).toEqual({ basic: { name: '英国硕士申请', city: '曼彻斯特' }, risk: true });
    expect(conflicts).toEqual([
      { path: '/basic/name', base: '英国硕士', mine: '英国硕士申请', theirs: '英国硕士直通车' },
    ]);
    expect(resolveConflict(merged, conflicts[0]!, 'theirs')).toEqual({
      basic: { name: '英国硕士直通车', city: '曼彻斯特' },
      risk: true,
    });
  });

  it('is no conflict when both sides made the same change', () => {
    const base = { a: 1, b: [1, 2] };
    const both = { a: 2, b: [1, 2, 3] };
    expect(mergeJson(base, both, both)).toEqual({ merged: both, conflicts: [] });
  });

  it('merges id-keyed lists item by item: additions on both sides, an edit, a removal', () => {
    const base = { packages: [pkg('p1', '基础'), pkg('p2', '进阶'), pkg('p3', '旗舰')] };
    // Mine: edits p1's price, adds p4 after p2. Theirs: removes p3, adds p5 first.
    const mine = {
      packages: [pkg('p1', '基础', 120), pkg('p2', '进阶'), pkg('p4', '冲刺'), pkg('p3', '旗舰')],
    };
    const theirs = { packages: [pkg('p5', '体验'), pkg('p1', '基础'), pkg('p2', '进阶')] };

    const { merged, conflicts } = mergeJson(base, mine, theirs);

    expect(conflicts).toEqual([]);
    expect(merged).toEqual({
      packages: [pkg('p5', '体验'), pkg('p1', '基础', 120), pkg('p2', '进阶'), pkg('p4', '冲刺')],
    });
  });

  it('keeps the other side’s order when only it reordered, and flags an item removed on one side and edited on the other', () => {
    const base = { steps: [pkg('a', 'A'), pkg('b', 'B'), pkg('c', 'C')] };
    const mine = { steps: [pkg('a', 'A', 5), pkg('b', 'B')] };
    const theirs = { steps: [pkg('c', 'C', 9), pkg('b', 'B'), pkg('a', 'A')] };

    const { merged, conflicts } = mergeJson(base, mine, theirs);

    // Theirs reordered (b before a), mine did not: their order, with mine's edit of a. I removed
    // c, they edited it: a conflict, and until someone picks the merge holds mine (no c).
    expect(merged).toEqual({ steps: [pkg('b', 'B'), pkg('a', 'A', 5)] });
    expect(conflicts).toEqual([
      { path: '/steps/0', base: pkg('c', 'C'), mine: undefined, theirs: pkg('c', 'C', 9) },
    ]);
    // Taking theirs puts their c back.
    expect(resolveConflict(merged, conflicts[0]!, 'theirs')).toEqual({
      steps: [pkg('c', 'C', 9), pkg('b', 'B'), pkg('a', 'A', 5)],
    });
  });

  it('treats a rich-text string as one value: both edited it → one conflict with both texts', () => {
    const base = { intro: '<p>一</p>' };
    const { conflicts } = mergeJson(base, { intro: '<p>一二</p>' }, { intro: '<p>一三</p>' });
    expect(conflicts.map((conflict) => conflict.path)).toEqual(['/intro']);
  });

  it('on a real listing document: two devices editing different steps merge without conflict', () => {
    const mine = structuredClone(BASE);
    const theirs = structuredClone(BASE);
    const basic = mine['basic'];
    const process = theirs['process'];
    if (!isJsonObject(basic) || process === undefined) {
      throw new Error('fixture shape changed');
    }
    basic['name'] = '改过的名称';
    theirs['process'] = [];
    const { merged, conflicts } = mergeJson(BASE, mine, theirs);
    expect(conflicts).toEqual([]);
    expect((merged as typeof BASE)['process']).toEqual([]);
    expect(((merged as typeof BASE)['basic'] as Record<string, JsonValue>)['name']).toBe(
      '改过的名称',
    );
  });

  it('properties: one-sided edits merge to that side; no conflict means no lost edit', () => {
    fc.assert(
      fc.property(json, json, (base, edited) => {
        expect(mergeJson(base, edited, base)).toEqual({ merged: edited, conflicts: [] });
        expect(mergeJson(base, base, edited)).toEqual({ merged: edited, conflicts: [] });
      }),
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 3 }), json),
        fc.dictionary(fc.string({ maxLength: 3 }), json),
        fc.dictionary(fc.string({ maxLength: 3 }), json),
        (base, mine, theirs) => {
          const { merged, conflicts } = mergeJson(base, mine, theirs);
          const conflicted = new Set(conflicts.map((conflict) => conflict.path.split('/')[1]));
          for (const key of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
            if (conflicted.has(key.replace(/~/g, '~0').replace(/\//g, '~1'))) {
              continue;
            }
            const value = Object.hasOwn(merged as object, key)
              ? (merged as Record<string, JsonValue>)[key]
              : undefined;
            const text = (v: JsonValue | undefined) =>
              v === undefined ? 'absent' : JSON.stringify(v);
            const side = (object: Record<string, JsonValue>) =>
              Object.hasOwn(object, key) ? object[key] : undefined;
            // A key only one side changed holds that side's value.
            if (text(side(theirs)) === text(side(base))) {
              expect(text(value)).toBe(text(side(mine)));
            } else if (text(side(mine)) === text(side(base))) {
              expect(text(value)).toBe(text(side(theirs)));
            }
          }
        },
      ),
    );
  });
});
