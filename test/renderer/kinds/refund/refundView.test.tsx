import 'fake-indexeddb/auto';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromShanghai } from '#shared/domain/time';
import { payoutCountdown } from '../../../../renderer/src/kinds/refund/RefundItemView';
import { makeItem, makeUser, renderSignedIn } from '../../app/harness';

function refund(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    studentId: 'S2026007',
    studentName: '王小明',
    orderId: 'ORD-1007',
    amount: '1999.00',
    currency: 'CNY',
    purchasedAt: '2026-11-18T02:00:00.000Z',
    requestedAt: '2026-11-20T02:00:00.000Z',
    progressPercent: '4.50',
    eligible: true,
    ineligibilityReasons: [],
    state: 'pending',
    decidedBy: null,
    decidedAt: null,
    refundDueBy: null,
    updatedAt: '2026-11-20T02:00:00.000Z',
    _version: 1,
    ...overrides,
  };
}

async function open(row: ReturnType<typeof refund>, locale: 'en' | 'zh-CN' = 'en') {
  const item = makeItem({
    kind: 'refund',
    subjectId: row.id,
    revisionId: null,
    title: row.studentName,
  });
  window.location.hash = `#/items/${item.id}`;
  const rendered = await renderSignedIn(makeUser('ops_manager'), {
    locale,
    prepare: async (workspace) => {
      await workspace.db.mirror('refund_requests').put(row);
      await workspace.db.mirror('review_items').put({ ...item, _version: 1 });
    },
  });
  return { ...rendered, item };
}

describe('refund request page', () => {
  it('shows the facts, approves an eligible request into the outbox', async () => {
    const { workspace, item } = await open(refund());
    expect((await screen.findByTestId('refund-eligible')).textContent).toMatch(/Eligible/);
    expect(screen.getByTestId('refund-view').textContent).toContain('ORD-1007');
    await userEvent.click(screen.getByTestId('refund-approve'));
    await screen.findByTestId('refund-recorded');
    const outbox = await workspace.db.outbox.toArray();
    expect(outbox.map((row) => [row.name, row.args])).toEqual([['approve', { itemId: item.id }]]);
  });

  it('refuses to approve an ineligible request and needs a reason to reject, in zh-CN', async () => {
    const { workspace, item } = await open(
      refund({ eligible: false, ineligibilityReasons: ['window_closed'] }),
      'zh-CN',
    );
    expect((await screen.findByTestId('refund-ineligible')).textContent).toContain('不能批准');
    expect(screen.getByTestId('refund-approve')).toHaveProperty('disabled', true);
    await userEvent.click(screen.getByTestId('refund-reject'));
    expect(screen.getByText('请说明拒绝退款的原因。')).toBeTruthy();
    expect(await workspace.db.outbox.count()).toBe(0);
    await userEvent.type(screen.getByTestId('refund-note'), '超过7天');
    await userEvent.click(screen.getByTestId('refund-reject'));
    await screen.findByTestId('refund-recorded');
    const [row] = await workspace.db.outbox.toArray();
    expect(row?.name).toBe('reject');
    expect(row?.args).toEqual({
      itemId: item.id,
      reasons: ['other'],
      comments: [{ path: '/refund', reasonCode: 'other', text: '超过7天' }],
    });
  });

  it('counts an approved refund down to its payout day', async () => {
    await open(refund({ state: 'approved', refundDueBy: '2099-01-05' }));
    const badge = await screen.findByTestId('refund-countdown');
    expect(badge.getAttribute('data-status')).toBe('due');
    expect(screen.queryByTestId('refund-approve')).toBeNull();
  });
});

describe('payoutCountdown', () => {
  it('counts working days left over the National Day holidays, then overdue', () => {
    expect(payoutCountdown('2026-10-10', fromShanghai('2026-09-30', 15))).toEqual({
      status: 'due',
      workingDays: 4,
      holidaysKnown: true,
    });
    expect(payoutCountdown('2026-10-10', fromShanghai('2026-10-11', 9))).toEqual({
      status: 'overdue',
      since: '2026-10-10',
    });
    expect(payoutCountdown('2027-01-05', fromShanghai('2026-12-31', 9))).toMatchObject({
      holidaysKnown: false,
    });
  });
});
