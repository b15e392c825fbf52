import { describe, expect, it } from 'vitest';
import { diffListings } from '#shared/diff/index';
import type { JsonValue } from '#shared/diff/patch';
import {
  defaultPair,
  groupChanges,
  orderedChanges,
  previousSubmitted,
  stepLabel,
  type RevisionRecord,
} from '../../../../renderer/src/features/diff/model';
import validFull from '../../../fixtures/listings/valid-full.json';

type Json = Record<string, unknown>;

const fixture = validFull as Json;

function revision(number: number, overrides: Partial<RevisionRecord> = {}): RevisionRecord {
  return {
    id: `rev-${String(number)}`,
    listingId: 'listing-1',
    number,
    state: 'superseded',
    document: {},
    name: `第 ${String(number)} 版`,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    submittedAt: '2026-01-01T01:00:00Z',
    decidedAt: null,
    ...overrides,
  };
}

describe('defaultPair', () => {
  const revisions = [
    revision(1),
    revision(2, { state: 'live' }),
    revision(3, { state: 'rejected' }),
    revision(4, { state: 'draft', submittedAt: null }),
    revision(5, { state: 'in_review' }),
  ];

  it('compares the revision under review with the live version when there is one', () => {
    expect(defaultPair({ revisionId: 'rev-5' }, { liveRevisionId: 'rev-2' }, revisions)).toEqual({
      beforeId: 'rev-2',
      afterId: 'rev-5',
      basis: 'live',
    });
  });

  it('uses the previous submitted revision when the listing has no live version', () => {
    // Revision 4 was never submitted: revision 3 is the previous one a reviewer saw.
    expect(defaultPair({ revisionId: 'rev-5' }, { liveRevisionId: null }, revisions)).toEqual({
      beforeId: 'rev-3',
      afterId: 'rev-5',
      basis: 'previous-no-live',
    });
    expect(defaultPair({ revisionId: 'rev-5' }, undefined, revisions)?.basis).toBe(
      'previous-no-live',
    );
  });

  it('uses the previous submitted revision when the revision is the live one itself', () => {
    expect(defaultPair({ revisionId: 'rev-2' }, { liveRevisionId: 'rev-2' }, revisions)).toEqual({
      beforeId: 'rev-1',
      afterId: 'rev-2',
      basis: 'previous-is-live',
    });
  });

  it('falls back when the live revision is not on this device', () => {
    expect(
      defaultPair({ revisionId: 'rev-5' }, { liveRevisionId: 'rev-99' }, revisions)?.basis,
    ).toBe('previous-no-live');
  });

  it('has nothing to compare with for a first submission', () => {
    expect(defaultPair({ revisionId: 'rev-1' }, { liveRevisionId: null }, revisions)).toEqual({
      beforeId: null,
      afterId: 'rev-1',
      basis: 'none',
    });
  });

  it('is null while the revision under review has not arrived', () => {
    expect(defaultPair({ revisionId: 'rev-6' }, { liveRevisionId: 'rev-2' }, revisions)).toBe(null);
    expect(defaultPair({ revisionId: null }, { liveRevisionId: 'rev-2' }, revisions)).toBe(null);
  });

  it('finds the previous submitted revision by number, not by list order', () => {
    const shuffled = [revisions[4]!, revisions[0]!, revisions[2]!, revisions[1]!];
    expect(previousSubmitted(revisions[4]!, shuffled)?.id).toBe('rev-3');
    expect(previousSubmitted(revisions[0]!, shuffled)).toBeUndefined();
  });
});

/** The fixture with a few edits a reviewer should see. */
function edited(): Json {
  const document = structuredClone(fixture);
  const packages = (document['packages'] as { items: Json[] }).items;
  // Reordered: the last package first.
  packages.unshift(packages.pop()!);
  (packages[1]!['price'] as Json)['amount'] = '31800';
  const basic = document['basic'] as Json;
  basic['name'] = '英国硕士申请旗舰包（2026 版）';
  // A timeline node removed.
  (document['process'] as { timeline: Json[] }).timeline.splice(1, 1);
  return document;
}

describe('groupChanges', () => {
  const before = fixture as JsonValue;
  const after = edited() as JsonValue;
  const { changes } = diffListings(before, after, { onDate: '2026-03-01' });
  const groups = groupChanges(before, after, changes);

  it('groups the changes by form step, in the order of the form', () => {
    expect(groups.map((group) => group.step)).toEqual([
      'provider',
      'basic',
      'highlights',
      'packages',
      'process',
      'requirements',
      'risk',
      'credentials',
    ]);
    const packages = groups.find((group) => group.step === 'packages')!;
    expect(packages.label).toEqual({ 'zh-CN': '套餐与价格', en: 'Packages & prices' });
    expect(packages.changes.map(({ change }) => change.kind).sort()).toEqual([
      'list-item-moved',
      'price',
    ]);
    expect(groups.flatMap((group) => group.changes)).toHaveLength(changes.length);
  });

  it('numbers the changes in the order the view shows them', () => {
    const ordered = orderedChanges(groups);
    expect(ordered.map(({ index }) => index)).toEqual(ordered.map((_entry, index) => index));
    expect(ordered[0]?.change.step).toBe('basic');
    expect(ordered.at(-1)?.change.step).toBe('process');
  });

  it('lists what did not change beside the changes: fields, and list items one by one', () => {
    const basic = groups.find((group) => group.step === 'basic')!;
    const pointers = basic.unchanged.map((field) => field.pointer);
    expect(pointers).toContain('/basic/country');
    expect(pointers).toContain('/basic/introduction');
    expect(pointers).not.toContain('/basic/name');
    const packages = groups.find((group) => group.step === 'packages')!;
    // The moved package and the repriced one changed; the third did not.
    expect(packages.unchanged.map((field) => field.pointer)).toEqual([
      '/packages/items/2',
      '/packages/refundPolicy',
    ]);
    const provider = groups.find((group) => group.step === 'provider')!;
    expect(provider.changes).toHaveLength(0);
    expect(provider.unchanged.length).toBeGreaterThan(0);
    for (const field of provider.unchanged) {
      expect(field.label['zh-CN']).not.toBe('');
    }
  });

  it('does not count a removal as a change of the item now at its place', () => {
    const process = groups.find((group) => group.step === 'process')!;
    expect(process.changes.map(({ change }) => change.kind)).toEqual(['list-item-removed']);
    // Node 2 is gone; the node now second (the old third) is unchanged.
    expect(process.unchanged.map((field) => field.pointer)).toContain('/process/timeline/1');
  });

  it('never lists bookkeeping as unchanged content', () => {
    expect(groups.some((group) => group.step === 'schemaVersion')).toBe(false);
  });

  it('groups changes of any JSON, steps it does not know last', () => {
    const grouped = groupChanges(
      { basic: { name: 'a' }, extra: 1 },
      { basic: { name: 'b' }, extra: 2, more: true },
      diffListings(
        { basic: { name: 'a' }, extra: 1 },
        { basic: { name: 'b' }, extra: 2, more: true },
        {
          onDate: '2026-03-01',
        },
      ).changes,
    );
    expect(grouped.map((group) => group.step)).toEqual(['basic', 'extra', 'more']);
    expect(grouped.find((group) => group.step === 'more')?.changes).toHaveLength(1);
  });

  it('handles a whole document replaced by something else', () => {
    const { changes: whole } = diffListings([1, 2], 'text', { onDate: '2026-03-01' });
    const grouped = groupChanges([1, 2], 'text', whole);
    expect(grouped).toHaveLength(1);
    expect(grouped[0]?.step).toBe('');
    expect(grouped[0]?.unchanged).toEqual([]);
  });
});

describe('stepLabel', () => {
  it('names the form steps in both languages and anything else by its key', () => {
    expect(stepLabel('packages')['zh-CN']).toMatch(/套餐/);
    expect(stepLabel('packages').en).toMatch(/Packages/i);
    expect(stepLabel('somethingElse').en).toBe('somethingElse');
  });
});
