import { useMemo } from 'react';
import { isTaOverdue } from '#shared/domain/homework';
import { usePending } from '../../../features/queue/useQueue';
import type { Workspace } from '../../../workspace/workspace';
import { pendingFor, useItemsBySubmission, useSubmissions } from '../data';
import type { HomeworkRow } from './homeworkOrder';

/**
 * The homework list's rows: every cached submission that has a `homework` review item, with the
 * user's own pending grade and whether the first pass is late (by server time).
 */
export function useHomeworkRows(
  workspace: Workspace,
  serverNow: number,
): readonly HomeworkRow[] | undefined {
  const { db } = workspace;
  const submissions = useSubmissions(db);
  const items = useItemsBySubmission(db, 'homework');
  const pending = usePending(db);
  // Overdue flags change at most each minute; do not rebuild the rows on every render.
  const minute = Math.floor(serverNow / 60_000);
  return useMemo(() => {
    if (submissions === undefined || items === undefined) {
      return undefined;
    }
    const rows: HomeworkRow[] = [];
    for (const submission of submissions) {
      const item = items.get(submission.id);
      if (item === undefined) {
        continue;
      }
      const grade = pendingFor(pending, 'gradeHomework', item.id);
      const outcome = grade?.['outcome'];
      rows.push({
        submission,
        item,
        pendingOutcome: outcome === 'pass' || outcome === 'reject' ? outcome : null,
        overdue:
          submission.state === 'submitted' &&
          isTaOverdue(Date.parse(submission.submittedAt), minute * 60_000),
      });
    }
    return rows;
  }, [submissions, items, pending, minute]);
}
