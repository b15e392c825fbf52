import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClaimRecord, ReviewItemRecord, UserRecord } from '#shared/sync/rows';
import { enrichMirrorRow, type ReviewDeskDb } from '../../../../renderer/src/db/database';
import {
  ASSIGNMENTS_PER_WRITE,
  recordAssignments,
} from '../../../../renderer/src/kinds/workload/bulkAssign';
import {
  eligibleAssignees,
  memberLoads,
  noAssigneeReason,
} from '../../../../renderer/src/kinds/workload/workloadData';
import {
  fakeFetch,
  json,
  makeItem,
  makeUser,
  putUsers,
  renderSignedIn,
  userRecord,
} from '../../app/harness';

const HOUR = 3_600_000;

/** Caches items as the sync engine stores them: with the queue's index fields (`_dueOrder`…). */
async function putItems(db: ReviewDeskDb, ...items: ReviewItemRecord[]): Promise<void> {
  await db
    .mirror('review_items')
    .bulkPut(items.map((item) => enrichMirrorRow('review_items', { ...item, _version: 1 })));
}
const NOW = Date.parse('2026-11-21T04:00:00.000Z');
const PAST = '2026-01-01T00:00:00.000Z';
const FUTURE = '2099-01-01T00:00:00.000Z';

function member(role: UserRecord['role'], displayName: string, active = true): UserRecord {
  return {
    id: randomUUID(),
    username: displayName,
    displayName,
    role,
    active,
    institutionId: null,
  };
}

/** A claim that started an hour before `at` and whose lease ends `hoursLeft` after it. */
function claim(reviewerId: string, at: number, hoursLeft: number): ClaimRecord {
  return {
    reviewerId,
    claimedAt: new Date(at - HOUR).toISOString(),
    expiresAt: new Date(at + hoursLeft * HOUR).toISOString(),
    assignedBy: null,
  };
}

const held = (reviewerId: string, hoursLeft: number, dueAt: string | null, kind?: string) =>
  makeItem({
    state: 'in_review',
    dueAt,
    claim: claim(reviewerId, Date.now(), hoursLeft),
    ...(kind === undefined ? {} : { kind }),
  });

describe('member loads', () => {
  it('counts live claims, the overdue ones among them, and expired leases, per member', () => {
    const a = randomUUID();
    const b = randomUUID();
    const items: ReviewItemRecord[] = [
      // a: two live claims, one past its due time; one expired lease (not counted as held).
      makeItem({ state: 'in_review', dueAt: PAST, claim: claim(a, NOW, 2) }),
      makeItem({ state: 'in_review', dueAt: FUTURE, claim: claim(a, NOW, 1) }),
      makeItem({ state: 'in_review', dueAt: PAST, claim: claim(a, NOW, -1) }),
      // b: one live claim without a due time, on a homework item.
      makeItem({ kind: 'homework', state: 'in_review', dueAt: null, claim: claim(b, NOW, 3) }),
      // Decided: its claim is history, it counts for nobody.
      makeItem({ state: 'decided', dueAt: PAST, claim: claim(b, NOW, 3) }),
      makeItem({ state: 'pending', claim: null }),
    ];

    const loads = memberLoads(items, NOW);

    expect(
      loads.map(({ userId, holding, overdue, expired, itemIds, kinds }) => ({
        userId,
        holding,
        overdue,
        expired,
        items: itemIds.length,
        kinds,
      })),
    ).toEqual([
      { userId: a, holding: 2, overdue: 1, expired: 1, items: 3, kinds: ['listing_revision'] },
      { userId: b, holding: 1, overdue: 0, expired: 0, items: 1, kinds: ['homework'] },
    ]);
  });
});

describe('who may be assigned', () => {
  const reviewer = member('reviewer', '王芳');
  const ops = member('ops_manager', '李娜');
  const ta = member('ta', '张伟');
  const gone = member('reviewer', '赵磊', false);
  const users = [reviewer, ops, ta, gone];

  it('offers active members whose role reviews every selected kind', () => {
    expect(eligibleAssignees(users, ['listing_revision']).map((u) => u.displayName)).toEqual(
      [ops, reviewer].map((u) => u.displayName).sort((x, y) => x.localeCompare(y)),
    );
    expect(eligibleAssignees(users, ['homework'])).toEqual([ta]);
    expect(eligibleAssignees(users, ['listing_revision', 'refund'])).toEqual([ops]);
    expect(eligibleAssignees(users, ['listing_revision', 'homework'])).toEqual([]);
    expect(noAssigneeReason(users, ['listing_revision', 'homework'])).toBe('mixed');
    expect(noAssigneeReason([reviewer, gone], ['homework'])).toBe('none');
  });
});

describe('recording a bulk assignment', () => {
  it('records one assign per item in order, a chunk per write, and stops, saying how far, at a failure', async () => {
    const writes: { name: string; args: unknown }[][] = [];
    const progress: number[] = [];
    const ids = Array.from({ length: 2 * ASSIGNMENTS_PER_WRITE + 30 }, () => randomUUID());
    const failing = {
      recordMany: (mutations: readonly { name: string; args: unknown }[]) => {
        if (writes.length === 2) {
          return Promise.reject(new Error('disk full'));
        }
        writes.push(mutations.map(({ name, args }) => ({ name, args })));
        return Promise.resolve(mutations.map((_, index) => index));
      },
    };

    const outcome = await recordAssignments(failing, ids, 'u1', (done) => progress.push(done));

    expect(writes.map((write) => write.length)).toEqual([
      ASSIGNMENTS_PER_WRITE,
      ASSIGNMENTS_PER_WRITE,
    ]);
    expect(writes.flat()).toEqual(
      ids
        .slice(0, 2 * ASSIGNMENTS_PER_WRITE)
        .map((itemId) => ({ name: 'assign', args: { itemId, assigneeId: 'u1' } })),
    );
    expect(progress).toEqual([
      ASSIGNMENTS_PER_WRITE,
      2 * ASSIGNMENTS_PER_WRITE,
      2 * ASSIGNMENTS_PER_WRITE,
    ]);
    expect(outcome).toEqual({
      ok: false,
      recorded: 2 * ASSIGNMENTS_PER_WRITE,
      message: 'disk full',
    });
  });
});

describe('workload screen', () => {
  beforeEach(() => {
    window.location.hash = '#/workload';
    vi.stubGlobal(
      'fetch',
      fakeFetch((url) =>
        new URL(url).pathname === '/api/v1/ops/alerts' ? json(200, { alerts: [] }) : json(200, {}),
      ),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  async function openAs(locale: 'en' | 'zh-CN' = 'en') {
    const me = makeUser('ops_manager', { displayName: 'Ops Li' });
    const reviewer = member('reviewer', 'Wang Fang');
    const leaver = member('reviewer', 'Zhao Lei', false);
    const ta = member('ta', 'Zhang Wei');
    const app = await renderSignedIn(me, { locale });
    await putUsers(app.workspace.db, userRecord(me), reviewer, leaver, ta);
    return { ...app, me, reviewer, leaver, ta };
  }

  const outboxAssigns = async (db: ReviewDeskDb) =>
    (await db.outbox.orderBy('seq').toArray()).map(
      (row) => [row.name, row.args] as [string, { itemId: string; assigneeId: string }],
    );

  it('shows who holds what, filters, selects all matches and assigns them, pending until synced', async () => {
    const { workspace, reviewer, leaver } = await openAs('en');
    const overdueWaiting = [1, 2, 3].map((n) =>
      makeItem({ title: `Overdue ${n}`, dueAt: PAST, createdAt: `2026-05-0${n}T00:00:00.000Z` }),
    );
    const onTime = makeItem({ title: 'On time', dueAt: FUTURE });
    const homework = makeItem({ kind: 'homework', title: 'Essay', dueAt: PAST });
    const leaverLive = held(leaver.id, 2, PAST);
    const leaverExpired = held(leaver.id, -1, FUTURE);
    await putItems(workspace.db, ...overdueWaiting, onTime, homework, leaverLive, leaverExpired);

    const row = await screen.findByTestId('workload-member');
    expect(row.dataset).toMatchObject({
      userId: leaver.id,
      holding: '1',
      overdue: '1',
      expired: '1',
    });
    expect(within(row).getByText('inactive')).toBeTruthy();
    await screen.findByRole('option', { name: 'Listing review' });

    await userEvent.selectOptions(screen.getByTestId('workload-filter-kind'), 'listing_revision');
    await userEvent.selectOptions(screen.getByTestId('workload-filter-state'), 'pending');
    await userEvent.click(screen.getByTestId('workload-filter-overdue'));
    await waitFor(() => {
      expect(screen.getByTestId('workload-count').dataset['count']).toBe('3');
    });
    await userEvent.click(screen.getByTestId('workload-select-all'));
    await waitFor(() => {
      expect(screen.getByTestId('workload-selected').dataset['count']).toBe('3');
    });
    const assignPanel = screen.getByTestId('workload-assign');
    // Listing reviews go to reviewers and ops managers: the TA and the inactive member are not offered.
    const options = within(assignPanel)
      .getAllByRole('option')
      .map((option) => option.textContent);
    expect(options.sort()).toEqual(['Ops Li', 'Wang Fang']);
    await userEvent.selectOptions(
      within(assignPanel).getByTestId('workload-assign-to'),
      reviewer.id,
    );
    await userEvent.click(within(assignPanel).getByRole('button', { name: 'Assign 3 items' }));

    await screen.findByTestId('workload-recorded');
    const recorded = await outboxAssigns(workspace.db);
    expect(recorded.map(([name]) => name)).toEqual(['assign', 'assign', 'assign']);
    expect(recorded.map(([, args]) => args.itemId).sort()).toEqual(
      overdueWaiting.map((item) => item.id).sort(),
    );
    expect(new Set(recorded.map(([, args]) => args.assigneeId))).toEqual(new Set([reviewer.id]));
    await waitFor(() => {
      const pending = screen
        .getAllByTestId('workload-item')
        .filter((item) => item.dataset['pending'] === 'true');
      expect(pending).toHaveLength(3);
    });
    expect(screen.getAllByText('Assigning to Wang Fang — not synced yet')).toHaveLength(3);
  });

  it('says so when a selection mixes kinds no single member takes', async () => {
    const { workspace } = await openAs('en');
    await putItems(
      workspace.db,
      makeItem({ title: 'Listing', dueAt: PAST }),
      makeItem({ kind: 'homework', title: 'Essay', dueAt: PAST }),
    );
    await waitFor(() => {
      expect(screen.getByTestId('workload-count').dataset['count']).toBe('2');
    });
    await userEvent.click(screen.getByTestId('workload-select-all'));

    const warning = await screen.findByTestId('workload-assign-nobody');
    expect(warning.textContent).toBe(
      'Nobody can take every kind in this selection (Listing review, Homework grading): each member reviews only some of them. Narrow the selection to one kind.',
    );
    expect(screen.queryByTestId('workload-assign-submit')).toBeNull();
  });

  it('hands over every claim of an inactive member, live or expired, in zh-CN', async () => {
    const { workspace, leaver, reviewer } = await openAs('zh-CN');
    const live = held(leaver.id, 2, PAST);
    const expired = held(leaver.id, -1, FUTURE);
    const other = held(reviewer.id, 2, FUTURE);
    await putItems(workspace.db, live, expired, other);

    const release = await screen.findByTestId('workload-release');
    await waitFor(() => {
      expect(within(release).getByTestId('workload-release-summary').textContent).toBe(
        'Zhao Lei持有 2 个条目（项目上架审核）。',
      );
    });
    const to = within(release).getByTestId('workload-release-to');
    // The member whose claims are released is not offered to take them back.
    expect(within(to).queryByText('Zhao Lei')).toBeNull();
    await userEvent.selectOptions(to, reviewer.id);
    await userEvent.click(
      within(release).getByRole('button', { name: '将 2 个条目移交给所选成员' }),
    );

    await screen.findByTestId('workload-recorded');
    const recorded = await outboxAssigns(workspace.db);
    expect(
      recorded.map(([, args]) => args).sort((a, b) => a.itemId.localeCompare(b.itemId)),
    ).toEqual(
      [live, expired]
        .map((item) => ({ itemId: item.id, assigneeId: reviewer.id }))
        .sort((a, b) => a.itemId.localeCompare(b.itemId)),
    );
  });
});
