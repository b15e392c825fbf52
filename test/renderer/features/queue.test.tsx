import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '#shared/domain/roles';
import {
  claimBy,
  makeItem,
  makeUser,
  putDecisions,
  putItems,
  putUsers,
  renderSignedIn,
  userRecord,
  type FakeWorkspace,
} from '../app/harness';

beforeEach(() => {
  window.location.hash = '#/queue';
});

const other = makeUser('reviewer', { username: 'lisi', displayName: '李四' });

async function signedIn(role: Role, locale: 'zh-CN' | 'en' = 'en') {
  const me = makeUser(role, { displayName: '我自己' });
  const app = await renderSignedIn(me, { locale });
  await putUsers(app.workspace.db, userRecord(me), userRecord(other));
  return { ...app, me };
}

const row = async (itemId: string) =>
  (await screen.findAllByTestId('queue-item')).find(
    (element) => element.dataset['itemId'] === itemId,
  ) ??
  (await waitFor(() => {
    const found = screen
      .getAllByTestId('queue-item')
      .find((element) => element.dataset['itemId'] === itemId);
    if (found === undefined) {
      throw new Error(`no row for ${itemId}`);
    }
    return found;
  }));

const buttons = (element: HTMLElement) =>
  within(element)
    .queryAllByRole('button')
    .map((button) => button.textContent);

async function outbox(workspace: FakeWorkspace) {
  return (await workspace.db.outbox.orderBy('seq').toArray()).map(({ name, args }) => ({
    name,
    args,
  }));
}

describe('queue rows', () => {
  it('lists open items oldest first; closed ones under another state filter', async () => {
    const { workspace } = await signedIn('reviewer');
    const newer = makeItem({ title: 'Newer', createdAt: '2026-05-02T00:00:00.000Z' });
    const older = makeItem({
      title: 'Older',
      createdAt: '2026-05-01T00:00:00.000Z',
      state: 'in_review',
      claim: claimBy(other.id),
    });
    const decided = makeItem({
      title: 'Decided',
      createdAt: '2026-04-01T00:00:00.000Z',
      state: 'decided',
    });
    await putItems(workspace.db, newer, decided, older);
    await waitFor(() => {
      expect(
        screen.getAllByTestId('queue-item').map((element) => element.dataset['itemId']),
      ).toEqual([older.id, newer.id]);
    });
    const first = await row(older.id);
    expect(first.textContent).toContain('Listing review');
    expect(first.textContent).toContain('In review');
    expect(first.textContent).toMatch(/李四, until .*\d\d:\d\d/);
    expect(buttons(first)).toEqual([]);
    expect((await row(newer.id)).textContent).toContain('Nobody');

    await userEvent.selectOptions(screen.getByLabelText('State'), 'all');
    await waitFor(() => {
      expect(
        screen.getAllByTestId('queue-item').map((element) => element.dataset['itemId']),
      ).toEqual([decided.id, older.id, newer.id]);
    });
  });

  it('goes claim → decide → saved → syncing → synced, never showing a pending decision as final', async () => {
    const { workspace } = await signedIn('reviewer');
    const item = makeItem({ title: 'Beijing English' });
    await putItems(workspace.db, item);

    expect(buttons(await row(item.id))).toEqual(['Claim', 'Approve', 'Reject']);
    await userEvent.click(within(await row(item.id)).getByRole('button', { name: 'Claim' }));
    await waitFor(async () => {
      expect(buttons(await row(item.id))).toEqual(['Approve', 'Reject', 'Release']);
    });
    expect((await row(item.id)).textContent).toContain('Me (claim not synced yet)');
    // Nothing was written to the mirror: the row comes from the outbox.
    expect((await workspace.db.mirror('review_items').get(item.id))?.['claim']).toBeNull();

    await userEvent.click(within(await row(item.id)).getByRole('button', { name: 'Approve' }));
    await waitFor(async () => {
      expect(within(await row(item.id)).getByTestId('decision-status').textContent).toBe(
        'Approve · Saved on this device',
      );
    });
    const saved = await row(item.id);
    expect(saved.dataset['state']).toBe('pending');
    expect(saved.textContent).toContain('Waiting');
    expect(buttons(saved)).toEqual([]);
    expect(await outbox(workspace)).toEqual([
      { name: 'claim', args: { itemId: item.id } },
      { name: 'approve', args: { itemId: item.id } },
    ]);

    await workspace.markSending();
    await waitFor(async () => {
      expect(within(await row(item.id)).getByTestId('decision-status').textContent).toBe(
        'Approve · Syncing',
      );
    });

    await workspace.answer(1, { status: 'applied' });
    await workspace.answer(2, { status: 'applied', serverTime: '2026-05-03T06:05:00.000Z' });
    await waitFor(async () => {
      expect(within(await row(item.id)).getByTestId('decision-status').textContent).toMatch(
        /^Approve · Synced .*14:05 \(server\)$/,
      );
    });
    // Applied: nothing more to do on it, even before the pull brings its new state.
    expect(buttons(await row(item.id))).toEqual([]);
  });

  it('decides an item nobody holds without claiming it first (the server claims it)', async () => {
    const { workspace } = await signedIn('reviewer');
    const item = makeItem();
    await putItems(workspace.db, item);
    await userEvent.click(within(await row(item.id)).getByRole('button', { name: 'Approve' }));
    await waitFor(async () => {
      expect(buttons(await row(item.id))).toEqual([]);
    });
    expect(await outbox(workspace)).toEqual([{ name: 'approve', args: { itemId: item.id } }]);
  });

  it('shows a conflict, and a likely conflict while the decision is still pending', async () => {
    const { workspace } = await signedIn('reviewer');
    const item = makeItem({ state: 'in_review', claim: claimBy(other.id) });
    await putItems(workspace.db, item);
    await workspace.record('approve', { itemId: item.id });
    await workspace.db.outbox.update(1, {
      atRisk: {
        code: 'CLAIMED_BY_OTHER',
        message: {
          'zh-CN': '该条目已被李四领取',
          en: 'Claimed by 李四 until 2026-05-03T06:05:00.000Z',
        },
      },
    });
    await waitFor(async () => {
      expect(within(await row(item.id)).getByTestId('decision-at-risk').textContent).toMatch(
        /^Likely conflict: Claimed by 李四 until .*14:05$/,
      );
    });

    await workspace.answer(1, {
      status: 'conflict',
      code: 'CLAIMED_BY_OTHER',
      details: { holderName: '李四' },
    });
    await waitFor(async () => {
      const chip = within(await row(item.id)).getByTestId('decision-status');
      expect(chip.textContent).toBe('Approve · Conflict');
      expect(chip.dataset['state']).toBe('conflict');
    });
  });

  it('marks open items past their due time', async () => {
    const { workspace } = await signedIn('reviewer');
    const late = makeItem({ dueAt: '2020-01-01T00:00:00.000Z' });
    const onTime = makeItem({ dueAt: new Date(Date.now() + 86_400_000).toISOString() });
    await putItems(workspace.db, late, onTime);
    await waitFor(async () => {
      expect((await row(late.id)).querySelector('[data-overdue="true"]')).not.toBeNull();
    });
    expect((await row(onTime.id)).querySelector('[data-overdue="true"]')).toBeNull();
  });

  it('shows the final decision of a decided item', async () => {
    const { workspace } = await signedIn('reviewer');
    const item = makeItem({ state: 'decided' });
    await putItems(workspace.db, item);
    await putDecisions(workspace.db, {
      id: crypto.randomUUID(),
      itemId: item.id,
      revisionId: item.revisionId,
      kind: item.kind,
      outcome: 'reject',
      isFinal: true,
      reviewerId: other.id,
      reasons: ['missing_material'],
      note: '',
      details: {},
      flags: [],
      decidedAt: '2026-05-02T06:05:00.000Z',
      clientCreatedAt: null,
    });
    await userEvent.selectOptions(await screen.findByLabelText('State'), 'decided');
    await waitFor(async () => {
      expect(within(await row(item.id)).getByTestId('final-decision').textContent).toMatch(
        /^Rejected by 李四, .*14:05 \(server\)$/,
      );
    });
    expect(buttons(await row(item.id))).toEqual([]);
  });

  it('offers claim again when the other reviewer’s lease expired, and release when I hold it', async () => {
    const { workspace, me } = await signedIn('reviewer');
    const expired = makeItem({
      state: 'in_review',
      claim: { ...claimBy(other.id), expiresAt: '2020-01-01T00:00:00.000Z' },
    });
    const mine = makeItem({ state: 'in_review', claim: claimBy(me.id) });
    await putItems(workspace.db, expired, mine);
    await waitFor(async () => {
      expect(buttons(await row(expired.id))).toEqual(['Claim', 'Approve', 'Reject']);
    });
    expect((await row(expired.id)).textContent).toContain('李四 (claim expired)');
    expect(buttons(await row(mine.id))).toEqual(['Approve', 'Reject', 'Release']);
    await userEvent.click(within(await row(mine.id)).getByRole('button', { name: 'Release' }));
    await waitFor(async () => {
      expect(buttons(await row(mine.id))).toEqual(['Claim', 'Approve', 'Reject']);
    });
    expect((await row(mine.id)).textContent).toContain('Release not synced yet');
  });

  it('names the actions in zh-CN', async () => {
    const { workspace, me } = await signedIn('reviewer', 'zh-CN');
    const open = makeItem();
    const mine = makeItem({ state: 'in_review', claim: claimBy(me.id) });
    await putItems(workspace.db, open, mine);
    await waitFor(async () => {
      expect(buttons(await row(open.id))).toEqual(['领取', '通过', '驳回']);
    });
    expect(buttons(await row(mine.id))).toEqual(['通过', '驳回', '释放']);
  });
});

describe('actions by role and kind', () => {
  it('gives an ops manager every kind, assigning, and no grading buttons on homework', async () => {
    const { workspace, me } = await signedIn('ops_manager');
    const listing = makeItem({
      kind: 'listing_revision',
      title: 'A listing',
      createdAt: '2026-05-01T00:00:00.000Z',
    });
    const refund = makeItem({
      kind: 'refund',
      title: 'A refund',
      state: 'in_review',
      claim: claimBy(me.id),
      createdAt: '2026-05-01T01:00:00.000Z',
    });
    const homework = makeItem({
      kind: 'homework',
      title: 'Homework 3',
      state: 'in_review',
      claim: claimBy(me.id),
      createdAt: '2026-05-01T02:00:00.000Z',
    });
    await putItems(workspace.db, listing, refund, homework);

    const kinds = await screen.findByLabelText('Review kinds');
    await waitFor(() => {
      expect(
        within(kinds)
          .getAllByRole('option')
          .map((option) => option.textContent),
      ).toEqual([
        'All kinds (3)',
        'Listing review (1)',
        'Refund approval (1)',
        'Homework grading (1)',
      ]);
    });
    expect(buttons(await row(listing.id))).toEqual(['Claim', 'Approve', 'Reject', 'Assign']);
    expect(buttons(await row(refund.id))).toEqual(['Approve', 'Reject', 'Release', 'Assign']);
    expect(buttons(await row(homework.id))).toEqual(['Assign']);
    await userEvent.selectOptions(kinds, 'refund');
    await waitFor(() => {
      expect(
        screen.getAllByTestId('queue-item').map((element) => element.dataset['itemId']),
      ).toEqual([refund.id]);
    });
  });

  it("opens a homework item's grading page from the TA's Grade action (the kind module decides)", async () => {
    const { workspace, me } = await signedIn('ta');
    const held = makeItem({
      kind: 'homework',
      title: 'Chapter 1',
      state: 'in_review',
      claim: claimBy(me.id),
    });
    await putItems(workspace.db, held);
    await waitFor(async () => {
      expect(buttons(await row(held.id))).toEqual(['Grade', 'Release']);
    });
    window.location.hash = '#/queue';
    await userEvent.click(within(await row(held.id)).getByRole('button', { name: 'Grade' }));
    // Homework is graded on its own page (rubric, evidence, comment bank), never in a dialog.
    expect(window.location.hash).toBe(`#/items/${held.id}`);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(await workspace.db.outbox.count()).toBe(0);
  });

  it('lets a mentor review: excellent work needs a comment', async () => {
    const { workspace, me } = await signedIn('mentor');
    const item = makeItem({
      kind: 'homework_mentor',
      title: 'Essay',
      state: 'in_review',
      claim: claimBy(me.id),
    });
    await putItems(workspace.db, item);
    await userEvent.click(within(await row(item.id)).getByRole('button', { name: 'Review' }));
    const dialog = await screen.findByRole('dialog', { name: 'Mentor review: Essay' });
    await userEvent.click(within(dialog).getByLabelText('Pick as excellent work'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save review' }));
    expect(within(dialog).getByText('Excellent work needs a comment saying why.')).toBeTruthy();
    await userEvent.type(within(dialog).getByLabelText(/Comment/), 'Clear structure');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save review' }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).toBeNull();
    });
    expect(await outbox(workspace)).toEqual([
      {
        name: 'mentorReview',
        args: { itemId: item.id, excellent: true, comment: 'Clear structure' },
      },
    ]);
  });
});

describe('reject', () => {
  it('validates reasons, field paths and texts before recording', async () => {
    const { workspace, me } = await signedIn('reviewer');
    const item = makeItem({ title: 'Tokyo study tour', state: 'in_review', claim: claimBy(me.id) });
    await putItems(workspace.db, item);
    await userEvent.click(within(await row(item.id)).getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reject: Tokyo study tour' });

    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(within(dialog).getByText('Choose at least one reason.')).toBeTruthy();
    expect(within(dialog).getByText('Write the comment (at most 2000 characters).')).toBeTruthy();
    expect(await workspace.db.outbox.count()).toBe(0);

    await userEvent.click(within(dialog).getByLabelText('Missing material'));
    const path = within(dialog).getByLabelText<HTMLInputElement>(/Field path/);
    expect(path.value).toBe('/');
    await userEvent.clear(path);
    await userEvent.type(path, 'basic/name');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /^Comment/ }),
      'The business licence is missing',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(
      within(dialog).getByText('A field path starts with / (for example /basic/name).'),
    ).toBeTruthy();
    expect(await workspace.db.outbox.count()).toBe(0);

    await userEvent.clear(path);
    await userEvent.type(path, '/credentials');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add a comment' }));
    const texts = within(dialog).getAllByRole('textbox', { name: /^Comment/ });
    expect(texts).toHaveLength(2);
    await userEvent.type(texts[1]!, 'Describe the itinerary');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).toBeNull();
    });
    expect(await outbox(workspace)).toEqual([
      {
        name: 'reject',
        args: {
          itemId: item.id,
          reasons: ['missing_material'],
          comments: [
            {
              path: '/credentials',
              reasonCode: 'missing_material',
              text: 'The business licence is missing',
            },
            { path: '/', reasonCode: 'missing_material', text: 'Describe the itinerary' },
          ],
        },
      },
    ]);
    await waitFor(async () => {
      expect(within(await row(item.id)).getByTestId('decision-status').textContent).toBe(
        'Reject · Saved on this device',
      );
    });
  });
});

describe('one item', () => {
  it('shows only the item the route names', async () => {
    const { workspace } = await signedIn('reviewer');
    const a = makeItem({ title: 'First' });
    const b = makeItem({ title: 'Second' });
    await putItems(workspace.db, a, b);
    window.location.hash = `#/queue?item=${b.id}`;
    await waitFor(() => {
      expect(
        screen.getAllByTestId('queue-item').map((element) => element.dataset['itemId']),
      ).toEqual([b.id]);
    });
    expect(screen.getByText('Showing one item')).toBeTruthy();
    await userEvent.click(screen.getByText('Show the whole queue'));
    await waitFor(() => {
      expect(screen.getAllByTestId('queue-item')).toHaveLength(2);
    });
  });
});
