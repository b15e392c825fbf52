import { describe, expect, it } from 'vitest';
import type { MutationResult } from '#shared/sync/protocol';
import type { ReviewItemRecord } from '#shared/sync/rows';
import { itemView, precheck, type PendingMutation } from '#shared/sync/view';

const me = 'user-me';
const now = Date.parse('2026-11-21T02:00:00Z');
const item = (changes: Partial<ReviewItemRecord> = {}): ReviewItemRecord => ({
  id: 'item-1',
  kind: 'listing_revision',
  subjectId: 'l-1',
  revisionId: 'r-1',
  state: 'pending',
  priority: 0,
  dueAt: null,
  assigneeId: null,
  supersedesItemId: null,
  title: '英国硕士',
  createdAt: '2026-11-20T00:00:00Z',
  updatedAt: '2026-11-20T00:00:00Z',
  country: null,
  stages: [],
  institutionName: null,
  claim: null,
  ...changes,
});
const pending = (
  name: string,
  seq: number,
  status: PendingMutation['status'] = 'pending',
): PendingMutation => ({
  seq,
  mutationId: `m${seq}`,
  name,
  args: { itemId: 'item-1' },
  status,
  createdAt: '2026-11-21T01:00:00Z',
  atRisk: null,
});
const result = (
  name: string,
  status: MutationResult['status'],
  code: MutationResult['code'] = null,
): MutationResult => ({
  seq: 1,
  mutationId: 'm1',
  name,
  status,
  code,
  message: null,
  details: {},
  serverTime: '2026-11-21T01:30:00Z',
});

describe('itemView', () => {
  it('shows a decision saved on this device, then syncing', () => {
    const saved = itemView(item(), {
      userId: me,
      pending: [pending('claim', 1), pending('approve', 2)],
      results: [],
      serverNow: now,
    });
    expect(saved.heldByMe).toBe(true);
    expect(saved.decision).toMatchObject({ kind: 'saved', name: 'approve' });
    const syncing = itemView(item(), {
      userId: me,
      pending: [pending('approve', 2, 'sending')],
      results: [],
      serverNow: now,
    });
    expect(syncing.decision.kind).toBe('syncing');
  });

  it('shows synced and conflict from the results once the outbox is empty', () => {
    expect(
      itemView(item(), {
        userId: me,
        pending: [],
        results: [result('approve', 'applied')],
        serverNow: now,
      }).decision,
    ).toMatchObject({
      kind: 'synced',
      serverTime: '2026-11-21T01:30:00Z',
    });
    expect(
      itemView(item(), {
        userId: me,
        pending: [],
        results: [result('approve', 'conflict', 'ALREADY_DECIDED')],
        serverNow: now,
      }).decision.kind,
    ).toBe('conflict');
  });

  it('knows who holds the item, with expired leases not counting for others', () => {
    const claim = {
      reviewerId: 'other',
      claimedAt: '2026-11-21T00:00:00Z',
      expiresAt: '2026-11-21T04:00:00Z',
      assignedBy: null,
    };
    expect(
      itemView(item({ state: 'in_review', claim }), {
        userId: me,
        pending: [],
        results: [],
        serverNow: now,
      }).heldByOther,
    ).toBe(true);
    const expired = { ...claim, expiresAt: '2026-11-21T01:00:00Z' };
    expect(
      itemView(item({ state: 'in_review', claim: expired }), {
        userId: me,
        pending: [],
        results: [],
        serverNow: now,
      }).heldByOther,
    ).toBe(false);
    const released = itemView(item({ state: 'in_review', claim: { ...claim, reviewerId: me } }), {
      userId: me,
      pending: [pending('release', 3)],
      results: [],
      serverNow: now,
    });
    expect(released.heldByMe).toBe(false);
  });
});

describe('precheck', () => {
  const base = { userId: me, decision: undefined, serverNow: now };
  it('flags decisions on decided, withdrawn and foreign-held items', () => {
    expect(
      precheck(pending('approve', 1), { ...base, item: item({ state: 'decided' }) })?.code,
    ).toBe('ALREADY_DECIDED');
    expect(
      precheck(pending('approve', 1), { ...base, item: item({ state: 'withdrawn' }) })?.code,
    ).toBe('WITHDRAWN');
    const claim = {
      reviewerId: 'other',
      claimedAt: '2026-11-21T00:00:00Z',
      expiresAt: '2026-11-21T04:00:00Z',
      assignedBy: null,
    };
    const risk = precheck(pending('approve', 1), {
      ...base,
      item: item({ state: 'in_review', claim }),
      holderName: '李强',
    });
    expect(risk?.code).toBe('CLAIMED_BY_OTHER');
    expect(risk?.message['zh-CN']).toContain('李强');
  });
  it('has nothing to say about open items or unknown ones', () => {
    expect(precheck(pending('approve', 1), { ...base, item: item() })).toBeNull();
    expect(precheck(pending('approve', 1), { ...base, item: undefined })).toBeNull();
  });
});
