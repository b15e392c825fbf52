import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  makeItem,
  makeUser,
  putItems,
  renderSignedIn,
  type FakeWorkspace,
} from '../../app/harness';
import {
  BANK,
  REFLECTION,
  RUBRIC,
  evidence,
  putHomework,
  student,
  submission,
} from './homeworkFixtures';

const outbox = (workspace: FakeWorkspace) => workspace.db.outbox.orderBy('seq').toArray();

/** A copy of the reflection with a few characters changed: the planted near-duplicate. */
const COPIED = REFLECTION.replace('公众号', '小红书').replace('留言', '评论');

async function setUp(locale: 'en' | 'zh-CN' = 'en') {
  const ta = makeUser('ta');
  const rendered = await renderSignedIn(ta, { locale });
  const { workspace } = rendered;
  const mine = submission();
  const copy = submission({
    id: 'sub-2',
    studentId: 'S2026002',
    studentName: '李四',
    reflection: COPIED,
    submittedAt: new Date(Date.now() - 60_000).toISOString(),
    taDueAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
    evidenceSha256: 'b'.repeat(64),
  });
  const unrelated = submission({
    id: 'sub-3',
    studentId: 'S2026003',
    studentName: 'Wang Wu',
    chapter: '2',
    reflection: 'I learned to outline before drafting and to ask the model for counter-arguments.',
    articleText:
      'Outlines first: a short essay on drafting with AI tools and keeping your own voice.',
    evidenceSha256: 'c'.repeat(64),
  });
  const item = makeItem({
    kind: 'homework',
    subjectId: mine.id,
    revisionId: null,
    title: '张三 第1章',
    state: 'pending',
  });
  const copyItem = makeItem({
    kind: 'homework',
    subjectId: copy.id,
    revisionId: null,
    title: '李四 第1章',
    state: 'pending',
  });
  const otherItem = makeItem({
    kind: 'homework',
    subjectId: unrelated.id,
    revisionId: null,
    title: 'Wang Wu',
    state: 'pending',
  });
  await putItems(workspace.db, item, copyItem, otherItem);
  await putHomework(workspace.db, {
    submissions: [mine, copy, unrelated],
    rubrics: [RUBRIC],
    bank: BANK,
    students: [
      student({ language: 'en' }),
      student({ id: 'student-2', studentId: 'S2026002', name: '李四' }),
    ],
    evidence: [evidence(mine), evidence(copy), evidence(unrelated)],
  });
  return { ...rendered, workspace, ta, item, copyItem, otherItem };
}

beforeEach(() => {
  window.location.hash = '#/homework';
});

describe('homework list', () => {
  it('groups by chapter with overdue work first, and filters', async () => {
    const { item, copyItem, otherItem } = await setUp();
    await waitFor(() => {
      expect(screen.getAllByTestId('homework-item')).toHaveLength(3);
    });
    const ids = () =>
      screen.getAllByTestId('homework-item').map((row) => row.getAttribute('data-item-id'));
    // Chapter 1: the overdue one before the one due in 3 hours; chapter 2 (overdue) ranks with it.
    expect(ids().indexOf(item.id)).toBeLessThan(ids().indexOf(copyItem.id));
    expect(screen.getByTestId('homework-overdue-alert').textContent).toContain('2 submissions');
    await userEvent.type(screen.getByRole('textbox', { name: 'Student' }), 'wang');
    await waitFor(() => {
      expect(ids()).toEqual([otherItem.id]);
    });
  });
});

describe('grading page', () => {
  it('grades with rubric keys only, claims first, and records the near-duplicate flag', async () => {
    const { workspace, item, copyItem } = await setUp();
    window.location.hash = `#/items/${item.id}`;
    await screen.findByTestId('grade-form');
    expect(screen.getAllByTestId('rubric-criterion')).toHaveLength(3);
    // The planted copy is flagged, with its shared passages side by side.
    const flag = await screen.findByTestId('duplicate-flag');
    expect(flag.getAttribute('data-other-id')).toBe('sub-2');
    await userEvent.click(within(flag).getByTestId('duplicate-show'));
    expect(within(flag).getAllByTestId('shared-passage').length).toBeGreaterThanOrEqual(2);

    await userEvent.keyboard('123');
    expect(screen.getByTestId('rubric-total').getAttribute('data-total')).toBe('100');
    await userEvent.keyboard('2');
    expect(screen.getByTestId('rubric-total').getAttribute('data-total')).toBe('70');
    await userEvent.keyboard('2a{Control>}{Enter}{/Control}');

    await waitFor(async () => {
      expect((await outbox(workspace)).map((row) => row.name)).toEqual(['claim', 'gradeHomework']);
    });
    const [claim, grade] = await outbox(workspace);
    expect(claim?.args).toEqual({ itemId: item.id });
    expect(grade?.v).toBe(2);
    expect(grade?.args).toMatchObject({
      itemId: item.id,
      outcome: 'pass',
      rubricId: RUBRIC.id,
      rubricRevision: 3,
      criterionScores: { 'c-structure': 40, 'c-practice': 30, 'c-reflection': 30 },
      evidenceSha256: 'a'.repeat(64),
      bankCommentIds: [],
    });
    const flags = (
      grade?.args as { duplicateFlags: { submissionId: string; similarity: number }[] }
    ).duplicateFlags;
    expect(flags.map((f) => f.submissionId)).toEqual(['sub-2']);
    expect(flags[0]?.similarity).toBeGreaterThan(0.35);
    // Saved and on to the next submission to grade.
    await waitFor(() => {
      expect(window.location.hash).toBe(`#/items/${copyItem.id}`);
    });
  });

  it('requires feedback to return work, inserts from the bank by key, and counts characters', async () => {
    const { workspace, item } = await setUp();
    window.location.hash = `#/items/${item.id}`;
    await screen.findByTestId('grade-form');
    await userEvent.keyboard('r{Control>}{Enter}{/Control}');
    expect(await screen.findByText('Rejecting homework requires written feedback.')).toBeTruthy();
    expect(await outbox(workspace)).toEqual([]);

    // The student's course language is English: the English entry is number 1.
    await userEvent.keyboard('b');
    await screen.findByTestId('bank-picker');
    await userEvent.keyboard('1');
    await waitFor(() => {
      expect(screen.getByTestId<HTMLTextAreaElement>('grade-feedback').value).toBe(BANK[0]?.text);
    });
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(async () => {
      expect((await outbox(workspace)).map((row) => row.name)).toEqual(['claim', 'gradeHomework']);
    });
    const grade = (await outbox(workspace))[1];
    expect(grade?.args).toMatchObject({
      outcome: 'reject',
      bankCommentIds: ['bank-en'],
      feedback: BANK[0]?.text,
    });
  });

  it('refuses a score outside the rubric and feedback over 2,000 characters, keeping the text', async () => {
    const { workspace, item } = await setUp();
    window.location.hash = `#/items/${item.id}`;
    await screen.findByTestId('grade-form');
    const score = screen.getByRole('textbox', { name: 'Score: 实践案例' });
    await userEvent.type(score, '45');
    expect(
      await screen.findByText('The score for “实践案例” must be a whole number from 0 to 30.'),
    ).toBeTruthy();
    const long = '很'.repeat(2001);
    const feedback = screen.getByTestId<HTMLTextAreaElement>('grade-feedback');
    await userEvent.click(feedback);
    await userEvent.paste(long);
    expect(
      await screen.findByText('Feedback has at most 2000 characters (this has 2001).'),
    ).toBeTruthy();
    await userEvent.click(screen.getByTestId('grade-save'));
    expect(await outbox(workspace)).toEqual([]);
    expect(feedback.value).toBe(long);
  });
});

describe('grade conflict', () => {
  it('shows my grade beside the standing one when another TA graded first', async () => {
    const { workspace, item } = await setUp();
    const seq = await workspace.record(
      'gradeHomework',
      {
        itemId: item.id,
        outcome: 'reject',
        rubricId: RUBRIC.id,
        rubricRevision: 3,
        criterionScores: { 'c-structure': 20, 'c-practice': 10 },
        feedback: '请补充案例',
        bankCommentIds: [],
        evidenceSha256: 'a'.repeat(64),
        duplicateFlags: [],
      },
      undefined,
      { v: 2 },
    );
    await workspace.answer(seq, {
      status: 'conflict',
      code: 'ALREADY_DECIDED',
      details: {
        theirs: {
          outcome: 'pass',
          score: 88,
          feedback: 'Well structured.',
          taName: '助教 周婷',
          decidedAt: '2026-05-01T03:00:00.000Z',
        },
      },
    });
    window.location.hash = '#/conflicts';
    const mine = await screen.findByTestId('grade-conflict-mine');
    const theirs = screen.getByTestId('grade-conflict-theirs');
    expect(mine.textContent).toContain('Return');
    expect(mine.textContent).toContain('30 points');
    expect(mine.textContent).toContain('请补充案例');
    expect(theirs.textContent).toContain('助教 周婷');
    expect(theirs.textContent).toContain('88 points');
    expect(theirs.textContent).toContain('Well structured.');
  });
});
