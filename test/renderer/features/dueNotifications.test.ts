import { describe, expect, it } from 'vitest';
import type { ReviewItemRecord } from '#shared/sync/rows';
import {
  DUE_SOON_MS,
  itemsToAnnounce,
} from '../../../renderer/src/features/status/dueNotifications';

const now = Date.parse('2026-11-21T08:00:00Z');
const me = 'me';
const item = (id: string, changes: Partial<ReviewItemRecord>): ReviewItemRecord => ({
  id,
  kind: 'listing_revision',
  subjectId: 's',
  revisionId: null,
  state: 'in_review',
  priority: 0,
  dueAt: new Date(now + 10 * 60_000).toISOString(),
  assigneeId: null,
  supersedesItemId: null,
  title: id,
  createdAt: '',
  updatedAt: '',
  claim: { reviewerId: me, claimedAt: '', expiresAt: '', assignedBy: null },
  country: null,
  stages: [],
  institutionName: null,
  ...changes,
});

describe('itemsToAnnounce', () => {
  it('announces my open items due soon or overdue, once', () => {
    const items = [
      item('soon', {}),
      item('overdue', { dueAt: new Date(now - 60_000).toISOString() }),
      item('later', { dueAt: new Date(now + DUE_SOON_MS + 60_000).toISOString() }),
      item('theirs', {
        claim: { reviewerId: 'other', claimedAt: '', expiresAt: '', assignedBy: null },
      }),
      item('assigned', { claim: null, assigneeId: me, state: 'pending' }),
      item('decided', { state: 'decided' }),
      item('undated', { dueAt: null }),
    ];
    expect(itemsToAnnounce(items, me, now, new Set()).map((entry) => entry.id)).toEqual([
      'soon',
      'overdue',
      'assigned',
    ]);
    expect(
      itemsToAnnounce(items, me, now, new Set(['soon', 'overdue'])).map((entry) => entry.id),
    ).toEqual(['assigned']);
  });
});
