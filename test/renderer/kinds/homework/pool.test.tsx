import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '#shared/domain/roles';
import type { ReviewItemRecord } from '#shared/sync/rows';
import {
  claimBy,
  makeItem,
  makeUser,
  putItems,
  putUsers,
  renderSignedIn,
  userRecord,
  type FakeWorkspace,
} from '../../app/harness';
import { putHomework, submission } from './homeworkFixtures';

const outbox = (workspace: FakeWorkspace) => workspace.db.outbox.orderBy('seq').toArray();

/** Passed on Tuesday 5 May 2026, 10:00 Shanghai: its review day is Friday 8 May. */
const PASSED_AT = '2026-05-05T02:00:00.000Z';
/** Thursday 7 May, 23:59 Shanghai: the pool is not open yet. */
const THURSDAY_NIGHT = Date.parse('2026-05-07T15:59:00.000Z');
/** Friday 8 May, 00:30 Shanghai: open. */
const FRIDAY = Date.parse('2026-05-07T16:30:00.000Z');

const ta = makeUser('ta', { username: 'ta2', displayName: '李助教' });

async function setUp(role: Role, serverNow: number, options: { held?: boolean } = {}) {
  const user = makeUser(role);
  const rendered = await renderSignedIn(user, {
    locale: 'en',
    prepare: (workspace) => {
      workspace.current = { ...workspace.current, serverOffsetMs: serverNow - Date.now() };
    },
  });
  const { workspace } = rendered;
  const passed = submission({
    id: randomUUID(),
    studentName: '张三',
    state: 'ta_passed',
    score: 86,
    taId: ta.id,
    taDecidedAt: PASSED_AT,
    taFeedback: 'Clear structure and a real rewrite; the reflection could go deeper.',
  });
  const reviewed = submission({
    id: randomUUID(),
    studentId: 'S2026002',
    studentName: '李四',
    chapter: '2',
    state: 'archived',
    score: 95,
    taId: ta.id,
    taDecidedAt: '2026-04-28T02:00:00.000Z',
    mentorId: user.id,
    excellent: true,
    mentorComment: 'A model answer: shared with the cohort.',
    mentorReviewedAt: '2026-05-01T03:00:00.000Z',
    archivedAt: '2026-05-01T03:00:00.000Z',
  });
  const item: ReviewItemRecord = makeItem({
    kind: 'homework_mentor',
    subjectId: passed.id,
    revisionId: null,
    title: '张三 第1章',
    state: options.held === true ? 'in_review' : 'pending',
    dueAt: '2026-05-08T16:00:00.000Z',
    claim: options.held === true ? claimBy(user.id) : null,
  });
  await putItems(workspace.db, item);
  await putUsers(workspace.db, userRecord(ta), userRecord(user));
  await putHomework(workspace.db, { submissions: [passed, reviewed] });
  return { ...rendered, workspace, item, user };
}

beforeEach(() => {
  window.location.hash = '#/homework/pool';
});

describe('mentor Friday pool', () => {
  it('lists passed work with its TA and says when the pool opens; no review before Friday', async () => {
    const { workspace, item } = await setUp('mentor', THURSDAY_NIGHT);
    const row = await screen.findByTestId('pool-item');
    expect(row.getAttribute('data-item-id')).toBe(item.id);
    expect(row.getAttribute('data-open')).toBe('false');
    expect(within(row).getByTestId('pool-passed-by').textContent).toContain('李助教');
    expect(within(row).getByTestId('pool-score').textContent).toBe('Score 86');
    expect(within(row).getByTestId('pool-feedback').textContent).toContain('Clear structure');
    expect(within(row).getByTestId('pool-opens').textContent).toContain('May 8');
    expect(within(row).getByTestId('pool-opens').textContent).toContain('00:00');
    const review = within(row).getByTestId('pool-review');
    expect(review).toHaveProperty('disabled', true);
    await userEvent.click(review);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(await outbox(workspace)).toEqual([]);
  });

  it('on Friday claims the item and records the review, then shows it pending sync', async () => {
    const { workspace, item } = await setUp('mentor', FRIDAY);
    const row = await screen.findByTestId('pool-item');
    expect(row.getAttribute('data-open')).toBe('true');
    expect(within(row).queryByTestId('pool-opens')).toBeNull();
    await userEvent.click(within(row).getByTestId('pool-review'));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: 'Pick as excellent work' }));
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Comment/ }),
      'Concrete, honest reflection.',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save review' }));

    await waitFor(async () => {
      expect((await outbox(workspace)).map((one) => one.name)).toEqual(['claim', 'mentorReview']);
    });
    const [claim, review] = await outbox(workspace);
    expect(claim?.args).toEqual({ itemId: item.id });
    expect(review?.args).toEqual({
      itemId: item.id,
      excellent: true,
      comment: 'Concrete, honest reflection.',
    });
    await waitFor(() => {
      expect(screen.queryByRole('dialog')).toBeNull();
    });
    expect(within(row).getByTestId('pool-pending').textContent).toBe('Excellent · pending sync');
    expect(within(row).queryByTestId('pool-review')).toBeNull();
  });

  it('does not claim again an item the mentor already holds', async () => {
    const { workspace, item } = await setUp('mentor', FRIDAY, { held: true });
    const row = await screen.findByTestId('pool-item');
    await userEvent.click(within(row).getByTestId('pool-review'));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save review' }));
    await waitFor(async () => {
      expect((await outbox(workspace)).map((one) => one.name)).toEqual(['mentorReview']);
    });
    expect((await outbox(workspace))[0]?.args).toEqual({
      itemId: item.id,
      excellent: false,
      comment: '',
    });
  });

  it('shows reviewed work with its badge and comment, read-only for ops managers', async () => {
    await setUp('ops_manager', FRIDAY);
    const row = await screen.findByTestId('pool-item');
    expect(within(row).queryByTestId('pool-review')).toBeNull();
    const reviewed = screen.getByTestId('pool-reviewed');
    expect(reviewed.getAttribute('data-excellent')).toBe('true');
    expect(within(reviewed).getByTestId('pool-excellent').textContent).toBe('Excellent');
    expect(within(reviewed).getByTestId('pool-comment').textContent).toBe(
      'A model answer: shared with the cohort.',
    );
    expect(screen.getByText(/only mentors review it/i)).toBeTruthy();
  });

  it('lists reviewed work newest first, a page at a time', async () => {
    const { workspace } = await setUp('mentor', FRIDAY);
    const earlier = Array.from({ length: 44 }, (_, index) =>
      submission({
        id: randomUUID(),
        studentId: `S2026${String(100 + index)}`,
        studentName: `学员${String(index)}`,
        state: 'archived',
        score: 80,
        taId: ta.id,
        taDecidedAt: '2026-04-20T02:00:00.000Z',
        excellent: false,
        mentorComment: `comment ${String(index)}`,
        // Minutes apart: the higher the index, the newer the review.
        mentorReviewedAt: new Date(
          Date.parse('2026-04-24T03:00:00.000Z') + index * 60_000,
        ).toISOString(),
        archivedAt: '2026-04-24T03:00:00.000Z',
      }),
    );
    await putHomework(workspace.db, { submissions: earlier });
    const user = userEvent.setup();
    await waitFor(() => {
      expect(screen.getAllByTestId('pool-reviewed')).toHaveLength(20);
    });
    // The fixture's own reviewed piece (1 May) is the newest of the 45.
    const first = screen.getAllByTestId('pool-reviewed')[0];
    expect(first === undefined ? '' : within(first).getByTestId('pool-comment').textContent).toBe(
      'A model answer: shared with the cohort.',
    );
    await user.click(screen.getByRole('button', { name: 'Show 20 more (25 left)' }));
    expect(screen.getAllByTestId('pool-reviewed')).toHaveLength(40);
    await user.click(screen.getByTestId('pool-reviewed-more'));
    expect(screen.getAllByTestId('pool-reviewed')).toHaveLength(45);
    expect(screen.queryByTestId('pool-reviewed-more')).toBeNull();
  });
});
