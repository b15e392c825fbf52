import 'fake-indexeddb/auto';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEventRecord } from '#shared/sync/rows';
import { resetQueueStore, useQueueStore } from '../../../renderer/src/features/queue/queueStore';
import { useQueueNeighbours } from '../../../renderer/src/features/queue/queueOrder';
import { renderHook } from '@testing-library/react';
import {
  claimBy,
  makeItem,
  makeUser,
  putItems,
  putRows,
  renderQueue,
  userRecord,
} from './queue/queueHarness';

beforeEach(() => {
  window.location.hash = '#/queue';
  resetQueueStore();
});
afterEach(() => {
  resetQueueStore();
});

const other = makeUser('reviewer', { username: 'lisi', displayName: '李四' });

const rowIds = () =>
  screen.queryAllByTestId('queue-item').map((element) => element.dataset['itemId']);

const rowOf = (itemId: string) => {
  const found = screen
    .queryAllByTestId('queue-item')
    .find((element) => element.dataset['itemId'] === itemId);
  if (found === undefined) {
    throw new Error(`no row for ${itemId}`);
  }
  return found;
};

const days = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

describe('the full queue', () => {
  it('searches in Chinese and English, filters, and counts', async () => {
    const me = makeUser();
    const { workspace } = await renderQueue(me);
    const oxford = makeItem({ title: '牛津大学硕士申请 Oxford', createdAt: days(3) });
    const boston = makeItem({ title: '美国本科 Boston', country: 'US', createdAt: days(2) });
    const refund = makeItem({
      kind: 'refund',
      title: '退款 Refund',
      createdAt: days(1),
      institutionName: null,
      country: null,
    });
    await putItems(workspace.db, oxford, boston, refund);
    await waitFor(() => {
      expect(rowIds()).toEqual([oxford.id, boston.id, refund.id]);
    });
    expect(screen.getByTestId('queue-count').textContent).toBe('3 items match');

    await userEvent.type(screen.getByLabelText('Search'), '牛津');
    await waitFor(() => {
      expect(rowIds()).toEqual([oxford.id]);
    });
    await userEvent.clear(screen.getByLabelText('Search'));
    await userEvent.type(screen.getByLabelText('Search'), 'bost');
    await waitFor(() => {
      expect(rowIds()).toEqual([boston.id]);
    });
    await userEvent.clear(screen.getByLabelText('Search'));
    await waitFor(() => {
      expect(rowIds()).toHaveLength(3);
    });

    await userEvent.selectOptions(screen.getByLabelText('Review kinds'), 'refund');
    await waitFor(() => {
      expect(rowIds()).toEqual([refund.id]);
    });
    expect(
      within(screen.getByLabelText('Review kinds'))
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['All kinds (3)', 'Listing review (2)', 'Refund approval (1)']);
    await userEvent.selectOptions(screen.getByLabelText('Review kinds'), '');
    await userEvent.selectOptions(screen.getByLabelText('Country/region'), 'US');
    await waitFor(() => {
      expect(rowIds()).toEqual([boston.id]);
    });
    await userEvent.click(screen.getByRole('button', { name: 'Clear 1 filter' }));
    await waitFor(() => {
      expect(rowIds()).toHaveLength(3);
    });
  });

  it('lists items assigned to me first, and flags those changed after I claimed them', async () => {
    const me = makeUser();
    const ops = makeUser('ops_manager', { displayName: '运营张' });
    const { workspace } = await renderQueue(me, { users: [userRecord(ops)] });
    const old = makeItem({ title: 'Old', createdAt: days(5) });
    const claimedAt = new Date(Date.now() - 3_600_000).toISOString();
    const mine = makeItem({
      title: 'Mine',
      createdAt: days(1),
      state: 'in_review',
      claim: claimBy(me.id, 90, { claimedAt }),
    });
    const assigned = makeItem({
      title: 'Assigned',
      createdAt: days(0.5),
      state: 'in_review',
      assigneeId: me.id,
      claim: claimBy(me.id, 125, { assignedBy: ops.id }),
    });
    await putItems(workspace.db, old, mine, assigned);
    const event: AuditEventRecord = {
      id: crypto.randomUUID(),
      at: new Date(Date.now() - 600_000).toISOString(),
      actorId: ops.id,
      subjectType: 'review_item',
      subjectId: mine.subjectId,
      itemId: mine.id,
      action: 'assign',
      fromState: null,
      toState: null,
      reason: null,
      details: {},
      clientCreatedAt: null,
    };
    await putRows(workspace.db, 'audit_events', event);
    await waitFor(() => {
      expect(rowIds()).toEqual([assigned.id, old.id, mine.id]);
    });
    expect(rowOf(assigned.id).textContent).toContain('Assigned to you');
    expect(within(rowOf(assigned.id)).getByTestId('lease-countdown').textContent).toMatch(
      /^Lease: 2 h 0[45] min left$/,
    );
    expect(within(rowOf(mine.id)).getByTestId('lease-countdown').textContent).toMatch(
      /^Lease: (1 h 29|1 h 30|89|90) min left$|^Lease: 1 h (29|30) min left$/,
    );
    await waitFor(() => {
      expect(rowOf(mine.id).dataset['changed']).toBe('assigned');
    });
    expect(within(rowOf(mine.id)).getByTestId('changed-after-claim').textContent).toContain(
      'Changed since you claimed it · assigned by 运营张',
    );
    expect(rowOf(old.id).dataset['changed']).toBeUndefined();
    expect(rowOf(assigned.id).dataset['changed']).toBeUndefined();
  });

  it('claims the next claimable item with one key and opens it', async () => {
    const me = makeUser();
    const { workspace } = await renderQueue(me);
    const held = makeItem({ createdAt: days(4), state: 'in_review', claim: claimBy(other.id) });
    const first = makeItem({ createdAt: days(3) });
    const second = makeItem({ createdAt: days(2) });
    await putItems(workspace.db, held, first, second);
    await waitFor(() => {
      expect(rowIds()).toHaveLength(3);
    });
    await userEvent.keyboard('n');
    await waitFor(() => {
      expect(window.location.hash).toBe(`#/items/${first.id}`);
    });
    expect(await workspace.outbox()).toEqual([{ name: 'claim', v: 1, args: { itemId: first.id } }]);
  });

  it('takes N items for H hours with claim@2, with progress', async () => {
    const me = makeUser();
    const { workspace } = await renderQueue(me);
    const items = [4, 3, 2, 1].map((n) => makeItem({ title: `Item ${n}`, createdAt: days(n) }));
    const taken = makeItem({ createdAt: days(5), state: 'in_review', claim: claimBy(other.id) });
    await putItems(workspace.db, taken, ...items);
    await waitFor(() => {
      expect(rowIds()).toHaveLength(5);
    });
    await userEvent.click(screen.getByRole('button', { name: 'Take items for offline work…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Take items for offline work' });
    const count = within(dialog).getByLabelText('How many items (1–50)');
    await userEvent.clear(count);
    await userEvent.type(count, '3');
    const hours = within(dialog).getByLabelText('For how many hours (1–12)');
    await userEvent.clear(hours);
    await userEvent.type(hours, '6');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Take them' }));
    await waitFor(() => {
      expect(within(dialog).getByTestId('take-outcome').textContent).toContain(
        'Claimed 3 items for 6 hours.',
      );
    });
    expect(within(dialog).getByTestId('take-progress')).toBeTruthy();
    expect(await workspace.outbox()).toEqual(
      items.slice(0, 3).map((item) => ({
        name: 'claim',
        v: 2,
        args: { itemId: item.id, leaseHours: 6 },
      })),
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => {
      expect(rowOf(items[0]!.id).dataset['heldByMe']).toBe('true');
    });
  });

  it('is driven by the keyboard: j/k, c, Enter, / and the help overlay', async () => {
    const me = makeUser();
    const { workspace } = await renderQueue(me);
    const a = makeItem({ title: 'A', createdAt: days(3) });
    const b = makeItem({ title: 'B', createdAt: days(2) });
    const c = makeItem({ title: 'C', createdAt: days(1) });
    await putItems(workspace.db, a, b, c);
    await waitFor(() => {
      expect(rowIds()).toEqual([a.id, b.id, c.id]);
    });
    await waitFor(() => {
      expect(rowOf(a.id).dataset['selected']).toBe('true');
    });
    await userEvent.keyboard('j');
    await waitFor(() => {
      expect(rowOf(b.id).dataset['selected']).toBe('true');
    });
    expect(document.activeElement).toBe(rowOf(b.id));
    await userEvent.keyboard('jk');
    await waitFor(() => {
      expect(document.activeElement).toBe(rowOf(b.id));
    });
    await userEvent.keyboard('c');
    await waitFor(async () => {
      expect(await workspace.outbox()).toEqual([{ name: 'claim', v: 1, args: { itemId: b.id } }]);
    });
    await userEvent.keyboard('/');
    expect(document.activeElement).toBe(screen.getByLabelText('Search'));
    await userEvent.keyboard('{Escape}');
    expect(document.activeElement).not.toBe(screen.getByLabelText('Search'));

    await userEvent.keyboard('?');
    const help = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const text of [
      'Next item',
      'Previous item',
      'Open the item',
      'Claim the item',
      'Claim the next item and open it',
      'Search',
    ]) {
      expect(within(help).getAllByText(text).length).toBeGreaterThan(0);
    }
    await userEvent.keyboard('{Escape}');
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).toBeNull();
    });
    act(() => {
      rowOf(b.id).focus();
    });
    await userEvent.keyboard('{Enter}');
    expect(window.location.hash).toBe(`#/items/${b.id}`);
  });

  it('gives the item page the next and previous item in the user’s order', async () => {
    const me = makeUser();
    const { workspace, unmount } = await renderQueue(me);
    const a = makeItem({ title: 'A', createdAt: days(3), country: 'US' });
    const b = makeItem({ title: 'B', createdAt: days(2) });
    const c = makeItem({ title: 'C', createdAt: days(1) });
    await putItems(workspace.db, a, b, c);
    await waitFor(() => {
      expect(rowIds()).toHaveLength(3);
    });
    await userEvent.selectOptions(screen.getByLabelText('Country/region'), 'GB');
    await waitFor(() => {
      expect(rowIds()).toEqual([b.id, c.id]);
    });
    expect(useQueueStore.getState().filters.country).toBe('GB');
    unmount();
    const { result } = renderHook(() => useQueueNeighbours(workspace, c.id));
    await waitFor(() => {
      expect(result.current).toEqual({ previous: b.id, next: null });
    });
  });

  it('shows the operations manager who holds what since when, and assigns', async () => {
    const ops = makeUser('ops_manager', { displayName: '运营张' });
    const { workspace } = await renderQueue(ops, { users: [userRecord(other)] });
    const held = makeItem({
      title: 'Held',
      createdAt: days(2),
      state: 'in_review',
      claim: claimBy(other.id, 30, { claimedAt: '2026-05-01T01:30:00.000Z' }),
    });
    const free = makeItem({ title: 'Free', createdAt: days(1) });
    await putItems(workspace.db, held, free);
    await waitFor(() => {
      expect(rowIds()).toHaveLength(2);
    });
    const holders = await screen.findByTestId('holders');
    await waitFor(() => {
      expect(
        within(holders)
          .getAllByTestId('holder')
          .map((row) => row.textContent),
      ).toEqual([expect.stringMatching(/^李四1.*09:30/)]);
    });
    expect(within(rowOf(held.id)).getByTestId('held-since').textContent).toMatch(/^Since .*09:30/);
    await userEvent.click(within(holders).getByRole('button', { name: '李四' }));
    await waitFor(() => {
      expect(rowIds()).toEqual([held.id]);
    });
    await userEvent.click(screen.getByRole('button', { name: 'Clear 1 filter' }));
    await waitFor(() => {
      expect(rowIds()).toHaveLength(2);
    });
    await userEvent.click(within(rowOf(free.id)).getByRole('button', { name: 'Assign' }));
    const dialog = await screen.findByRole('dialog', { name: 'Assign: Free' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Assign' }));
    await waitFor(async () => {
      expect(await workspace.outbox()).toEqual([
        { name: 'assign', v: 1, args: { itemId: free.id, assigneeId: other.id } },
      ]);
    });
  });

  it('has no serious or critical accessibility violations', async () => {
    const me = makeUser();
    const { workspace, container } = await renderQueue(me, { users: [userRecord(other)] });
    await putItems(
      workspace.db,
      makeItem({ title: '牛津硕士', createdAt: days(3) }),
      makeItem({ title: 'Held', state: 'in_review', claim: claimBy(other.id), createdAt: days(2) }),
      makeItem({ title: 'Mine', state: 'in_review', claim: claimBy(me.id), createdAt: days(1) }),
      makeItem({ title: 'Late', dueAt: days(1), createdAt: days(1) }),
    );
    await waitFor(() => {
      expect(rowIds()).toHaveLength(4);
    });
    const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } });
    const bad = results.violations.filter(
      (violation) => violation.impact === 'serious' || violation.impact === 'critical',
    );
    expect(
      bad.map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(' | ')}`,
      ),
    ).toEqual([]);
  });
});
