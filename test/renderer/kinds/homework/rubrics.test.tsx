import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Role } from '#shared/domain/roles';
import type { RubricRecord } from '#shared/sync/rows';
import { makeUser, renderSignedIn, type FakeWorkspace } from '../../app/harness';
import { BANK, RUBRIC, putHomework, submission } from './homeworkFixtures';

const outbox = (workspace: FakeWorkspace) => workspace.db.outbox.orderBy('seq').toArray();

/** The fixture rubric with the UUIDs `saveRubric` requires. */
const rubric: RubricRecord = {
  ...RUBRIC,
  id: randomUUID(),
  criteria: RUBRIC.criteria.map((criterion) => ({ ...criterion, id: randomUUID() })),
};

async function setUp(role: Role, hash = '#/homework/rubrics', locale: 'en' | 'zh-CN' = 'en') {
  window.location.hash = hash;
  const rendered = await renderSignedIn(makeUser(role), { locale });
  await putHomework(rendered.workspace.db, {
    rubrics: [rubric],
    bank: BANK,
    submissions: [submission({ id: 'sub-2', chapter: '2' })],
  });
  return rendered;
}

const criteria = () => screen.getAllByTestId('rubric-editor-criterion');
const criterion = (index: number): HTMLElement => {
  const found = criteria()[index];
  if (found === undefined) {
    throw new Error(`no criterion ${String(index)}`);
  }
  return found;
};
const points = (index: number, name = 'Points') =>
  within(criterion(index)).getByRole('textbox', { name });

describe('rubric editor', () => {
  it('shows why points that do not add up cannot be saved, then saves a valid edit', async () => {
    const { workspace } = await setUp('ops_manager');
    await waitFor(() => {
      expect(criteria()).toHaveLength(3);
    });
    const save = screen.getByTestId('rubric-save');
    expect(save).toHaveProperty('disabled', true); // nothing changed yet

    await userEvent.clear(points(1));
    await userEvent.type(points(1), '20');
    expect(screen.getByTestId('rubric-issue').textContent).toBe(
      'The criteria add up to 90 points, not the maximum score of 100.',
    );
    expect(screen.getByTestId('rubric-editor-total').getAttribute('data-total')).toBe('90');
    expect(save).toHaveProperty('disabled', true);
    await userEvent.click(save);
    expect(await outbox(workspace)).toEqual([]);

    await userEvent.clear(points(2));
    await userEvent.type(points(2), '40');
    expect(screen.queryByTestId('rubric-issue')).toBeNull();
    // Reorder: the last criterion moves up one place.
    await userEvent.click(within(criterion(2)).getByRole('button', { name: 'Move up' }));
    expect(save).toHaveProperty('disabled', false);
    await userEvent.click(save);

    await waitFor(async () => {
      expect((await outbox(workspace)).map((row) => row.name)).toEqual(['saveRubric']);
    });
    const [structure, practice, reflection] = rubric.criteria;
    expect((await outbox(workspace))[0]?.args).toEqual({
      rubricId: rubric.id,
      chapter: '1',
      title: rubric.title,
      maxScore: 100,
      criteria: [
        { ...structure, points: 40 },
        { ...reflection, points: 40 },
        { ...practice, points: 20 },
      ],
      baseRevision: 3,
    });
    expect(await screen.findByTestId('rubric-pending')).toBeTruthy();
  });

  it('speaks zh-CN and keeps at most nine criteria', async () => {
    await setUp('ops_manager', '#/homework/rubrics', 'zh-CN');
    await waitFor(() => {
      expect(criteria()).toHaveLength(3);
    });
    const add = screen.getByTestId('rubric-add-criterion');
    for (let count = 3; count < 9; count += 1) {
      await userEvent.click(add);
    }
    expect(criteria()).toHaveLength(9);
    expect(add).toHaveProperty('disabled', true);
    // The six new criteria have no title and no points yet.
    expect(screen.getAllByText('请填写评分项名称。')).toHaveLength(6);
    expect(screen.getAllByText('分值须为正整数。')).toHaveLength(6);
    expect(screen.getByTestId('rubric-save')).toHaveProperty('disabled', true);
    await userEvent.type(points(8, '分值'), '5');
    expect(screen.getByTestId('rubric-issue').textContent).toBe(
      '各项分值合计 105 分，与满分 100 分不符。',
    );
  });

  it('creates the rubric of a chapter without one: a new id and no baseRevision', async () => {
    const { workspace } = await setUp('ops_manager', '#/homework/rubrics?chapter=2');
    await waitFor(() => {
      expect(criteria()).toHaveLength(1);
    });
    const title = within(criterion(0)).getByRole('textbox', { name: 'Title' });
    await userEvent.type(title, '完整性');
    await userEvent.click(screen.getByTestId('rubric-save'));
    await waitFor(async () => {
      expect(await outbox(workspace)).toHaveLength(1);
    });
    const args = (await outbox(workspace))[0]?.args as Record<string, unknown>;
    expect(args).not.toHaveProperty('baseRevision');
    expect(args['chapter']).toBe('2');
    expect(args['rubricId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(args['rubricId']).not.toBe(rubric.id);
  });

  it('is read-only for TAs, who still add to the comment bank', async () => {
    const { workspace } = await setUp('ta');
    await waitFor(() => {
      expect(criteria()).toHaveLength(3);
    });
    expect(screen.queryByTestId('rubric-save')).toBeNull();
    expect(screen.getByText('Only ops managers edit rubrics.')).toBeTruthy();
    const entries = screen.getAllByTestId('bank-entry');
    expect(entries.map((entry) => within(entry).getByTestId('bank-uses').textContent)).toEqual([
      'Used 9 times',
      'Used 3 times',
    ]);

    await userEvent.click(screen.getByTestId('bank-add'));
    await userEvent.click(screen.getByTestId('bank-save'));
    expect(screen.getByText('Enter the comment.')).toBeTruthy();
    expect(await outbox(workspace)).toEqual([]);
    await userEvent.type(
      screen.getByRole('textbox', { name: /^Comment/ }),
      'Name the role before the task.',
    );
    await userEvent.click(screen.getByTestId('bank-save'));
    await waitFor(async () => {
      expect(await outbox(workspace)).toHaveLength(1);
    });
    const [saved] = await outbox(workspace);
    expect(saved?.name).toBe('saveBankComment');
    expect(saved?.args).toMatchObject({
      chapter: '1',
      language: 'en',
      text: 'Name the role before the task.',
    });
    await waitFor(() => {
      expect(screen.getAllByTestId('bank-entry')).toHaveLength(3);
    });
  });
});
