import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  makeItem,
  makeUser,
  putItems,
  putUsers,
  renderSignedIn,
  userRecord,
  type FakeWorkspace,
} from '../app/harness';

beforeEach(() => {
  window.location.hash = '#/conflicts';
});

const cards = () => screen.queryAllByTestId('conflict-card');

async function conflictOn(
  workspace: FakeWorkspace,
  name: string,
  args: Record<string, unknown>,
  result: Parameters<FakeWorkspace['answer']>[1],
): Promise<number> {
  const seq = await workspace.record(name, args);
  await workspace.answer(seq, { serverTime: '2026-05-03T06:10:00.000Z', ...result });
  return seq;
}

describe('conflicts inbox', () => {
  it('puts mine beside theirs, newest first, and adds my decision as a comment', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    const decided = makeItem({ title: 'Shanghai maths camp', state: 'decided' });
    const lost = makeItem({ title: 'Piano lessons', state: 'in_review' });
    const lisi = makeUser('reviewer', { username: 'reviewer2', displayName: '李四' });
    await putItems(workspace.db, decided, lost);
    await putUsers(workspace.db, userRecord(lisi));
    await conflictOn(
      workspace,
      'reject',
      {
        itemId: decided.id,
        reasons: ['missing_material', 'other'],
        comments: [{ path: '/credentials', reasonCode: 'missing_material', text: 'No licence' }],
      },
      {
        status: 'conflict',
        code: 'ALREADY_DECIDED',
        details: {
          decision: {
            outcome: 'approve',
            reviewerId: lisi.id,
            reviewerName: '李四',
            decidedAt: '2026-05-03T06:05:00.000Z',
          },
        },
      },
    );
    await conflictOn(
      workspace,
      'approve',
      { itemId: lost.id },
      {
        status: 'conflict',
        code: 'CLAIM_LOST',
        details: { holderName: '赵六', expiresAt: '2026-05-03T06:35:00.000Z' },
      },
    );

    await waitFor(() => {
      expect(cards().map((card) => card.dataset['code'])).toEqual([
        'CLAIM_LOST',
        'ALREADY_DECIDED',
      ]);
    });
    const [claimLost, alreadyDecided] = cards() as [HTMLElement, HTMLElement];
    expect(within(claimLost).getByTestId('conflict-message').textContent).toBe(
      'Your claim lapsed and 赵六 now holds the item; your decision was not applied',
    );
    expect(within(claimLost).getByTestId('conflict-theirs').textContent).toMatch(
      /赵六 holds the item until .*14:35 \(server\)/,
    );
    expect(within(alreadyDecided).getByText('Shanghai maths camp')).toBeTruthy();
    expect(within(alreadyDecided).getByTestId('conflict-mine').textContent).toContain(
      'Reject — reasons: Missing material, Other; /credentials: No licence',
    );
    expect(within(alreadyDecided).getByTestId('conflict-mine').textContent).toMatch(
      /Decided at .* \(this device\)/,
    );
    expect(within(alreadyDecided).getByTestId('conflict-theirs').textContent).toMatch(
      /^TheirsApproved by 李四 \(reviewer2\), .*14:05 \(server\)$/,
    );

    await userEvent.click(
      within(alreadyDecided).getByRole('button', { name: 'Add my decision as a comment' }),
    );
    await waitFor(() => {
      expect(cards()).toHaveLength(1);
    });
    const [comment] = await workspace.db.outbox.toArray();
    expect(comment).toMatchObject({
      name: 'comment',
      args: { itemId: decided.id, path: '/', reasonCode: 'missing_material' },
    });
    expect((comment!.args as { text: string }).text).toMatch(
      /^My decision, made at .* \(device time\), was not applied: Reject — reasons: Missing material, Other; \/credentials: No licence$/,
    );
  });

  it('dismisses a card and updates the badge; opens the item in the queue', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    const item = makeItem({ title: 'Kids coding' });
    await putItems(workspace.db, item);
    const seq = await conflictOn(
      workspace,
      'claim',
      { itemId: item.id },
      {
        status: 'conflict',
        code: 'CLAIMED_BY_OTHER',
        details: { holderName: '李四', expiresAt: '2026-05-03T06:35:00.000Z' },
      },
    );
    const card = await screen.findByTestId('conflict-card');
    expect(screen.getByTestId('sync-status').dataset['conflicts']).toBe('1');
    // A claim that lost is not a decision: nothing to add as a comment.
    expect(within(card).queryByRole('button', { name: 'Add my decision as a comment' })).toBeNull();

    await userEvent.click(within(card).getByRole('button', { name: 'Open item' }));
    expect(window.location.hash).toBe(`#/queue?item=${item.id}`);
    await waitFor(() => {
      expect(screen.getAllByTestId('queue-item').map((row) => row.dataset['itemId'])).toEqual([
        item.id,
      ]);
    });

    window.location.hash = '#/conflicts';
    await userEvent.click(
      within(await screen.findByTestId('conflict-card')).getByRole('button', { name: 'Dismiss' }),
    );
    expect(await screen.findByTestId('conflicts-empty')).toBeTruthy();
    expect((await workspace.db.results.get(seq))?.dismissed).toBe(1);
    await waitFor(() => {
      expect(screen.getByTestId('sync-status').dataset['conflicts']).toBe('0');
    });
    expect(screen.queryByTestId('conflicts-badge')).toBeNull();
  });

  it('offers the newer revision for STALE_BASE, and export for FORBIDDEN', async () => {
    const { workspace, downloads } = await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    const stale = makeItem({ title: 'Old revision' });
    const forbidden = makeItem({ title: 'Refund 88' });
    const current = crypto.randomUUID();
    const revisionId = crypto.randomUUID();
    await putItems(workspace.db, stale, forbidden);
    await workspace.db
      .mirror('listing_revisions')
      .put({ id: revisionId, listingId: stale.subjectId, number: 4, _version: 1 });
    await conflictOn(
      workspace,
      'approve',
      { itemId: stale.id },
      {
        status: 'conflict',
        code: 'STALE_BASE',
        details: {
          currentItemId: current,
          currentRevisionId: revisionId,
        },
      },
    );
    await conflictOn(
      workspace,
      'approve',
      { itemId: forbidden.id },
      {
        status: 'rejected',
        code: 'FORBIDDEN',
        details: { role: 'reviewer' },
      },
    );
    await waitFor(() => {
      expect(cards()).toHaveLength(2);
    });
    const [forbiddenCard, staleCard] = cards() as [HTMLElement, HTMLElement];
    expect(within(forbiddenCard).getByText('Not applied')).toBeTruthy();
    expect(within(forbiddenCard).getByTestId('conflict-message').textContent).toBe(
      'You are not allowed to do this',
    );
    await userEvent.click(within(forbiddenCard).getByRole('button', { name: 'Export' }));
    expect(downloads).toHaveLength(1);
    expect(JSON.parse(downloads[0]!.text)).toMatchObject({
      format: 'review-desk-result/1',
      result: { code: 'FORBIDDEN', args: { itemId: forbidden.id } },
    });

    expect(within(staleCard).getByTestId('conflict-theirs').textContent).toContain(
      'The submitter sent a newer revision (revision 4).',
    );
    expect(within(staleCard).queryByRole('button', { name: 'Export' })).toBeNull();
    await userEvent.click(
      within(staleCard).getByRole('button', { name: 'Open the newer revision' }),
    );
    expect(window.location.hash).toBe(`#/queue?item=${current}`);
  });

  it('speaks zh-CN', async () => {
    const { workspace } = await renderSignedIn(makeUser('reviewer'));
    const item = makeItem();
    await putItems(workspace.db, item);
    await conflictOn(
      workspace,
      'approve',
      { itemId: item.id },
      { status: 'conflict', code: 'ALREADY_DECIDED', details: { decision: null } },
    );
    const card = await screen.findByTestId('conflict-card');
    expect(within(card).getByTestId('conflict-message').textContent).toBe(
      '该条目已有最终决定，你的决定未生效',
    );
    expect(within(card).getByText('我的决定')).toBeTruthy();
    expect(within(card).getByText('该条目已有最终决定。')).toBeTruthy();
    for (const name of ['打开条目', '将我的决定添加为评论', '忽略']) {
      expect(within(card).getByRole('button', { name })).toBeTruthy();
    }
    const nav = screen.getByRole('navigation', { name: '主导航' });
    expect(within(nav).getByLabelText('1 条未处理的冲突')).toBeTruthy();
  });
});
