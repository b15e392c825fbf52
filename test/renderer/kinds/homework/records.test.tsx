import 'fake-indexeddb/auto';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StudentArchiveRecord } from '#shared/sync/rows';
import { makeUser, renderSignedIn } from '../../app/harness';

function record(overrides: Partial<StudentArchiveRecord>): StudentArchiveRecord {
  return {
    id: randomUUID(),
    submissionId: randomUUID(),
    studentId: 'S2026001',
    studentName: '张三',
    chapter: '1',
    score: 80,
    excellent: false,
    mentorComment: null,
    taId: null,
    mentorId: null,
    archivedAt: '2026-05-08T03:00:00.000Z',
    ...overrides,
  };
}

const ROWS = [
  record({ chapter: '1', score: 80 }),
  record({ chapter: '2', score: 95, excellent: true, mentorComment: '结构清楚，案例真实。' }),
  record({ studentId: 'S2026002', studentName: '李四', chapter: '1', score: 60 }),
];

async function open(hash: string, locale: 'en' | 'zh-CN' = 'en') {
  window.location.hash = hash;
  const rendered = await renderSignedIn(makeUser('mentor'), { locale });
  await rendered.workspace.db
    .mirror('student_records')
    .bulkPut(ROWS.map((row, index) => ({ ...row, _version: index + 1 })));
  return rendered;
}

const studentsShown = () =>
  screen.getAllByTestId('student-record').map((row) => row.getAttribute('data-student-id'));

describe('student records', () => {
  it('opens filtered by ?student= with the total and average, and filters by what is typed', async () => {
    await open('#/homework/records?student=S2026001');
    await waitFor(() => {
      expect(studentsShown()).toEqual(['S2026001', 'S2026001']);
    });
    const input = screen.getByRole('textbox', { name: 'Student' });
    expect((input as HTMLInputElement).value).toBe('S2026001');
    const summary = screen.getByTestId('student-summary');
    expect(summary.getAttribute('data-student-id')).toBe('S2026001');
    expect(summary.getAttribute('data-total')).toBe('175');
    expect(summary.getAttribute('data-average')).toBe('87.5');
    const excellent = screen
      .getAllByTestId('student-record')
      .find((row) => within(row).queryByText('Excellent') !== null);
    expect(excellent?.textContent).toContain('结构清楚，案例真实。');

    await userEvent.clear(input);
    await userEvent.type(input, '李四');
    await waitFor(() => {
      expect(studentsShown()).toEqual(['S2026002']);
    });
    await userEvent.clear(input);
    await waitFor(() => {
      expect(studentsShown()).toHaveLength(3);
    });
    await userEvent.type(input, 'S2099');
    expect(await screen.findByTestId('records-empty')).toHaveProperty(
      'textContent',
      'No archived work matches these filters.',
    );
  });

  it('says when nothing is archived yet, in zh-CN', async () => {
    window.location.hash = '#/homework/records';
    await renderSignedIn(makeUser('ta'), { locale: 'zh-CN' });
    expect((await screen.findByTestId('records-empty')).textContent).toBe(
      '暂无归档作业。导师点评后的作业会显示在这里。',
    );
  });
});
