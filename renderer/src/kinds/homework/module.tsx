import type { HomeworkEvidenceRecord, HomeworkSubmissionRecord } from '#shared/sync/rows';
import type { FileRef } from '../../features/viewer/useFileBlob';
import type { KindModule, ScreenModule } from '../registry';
import { GradeConflictView } from './grading/GradeConflictView';
import { GradingPage } from './grading/GradingPage';
import { HomeworkScreen } from './HomeworkScreen';

/**
 * The TA's first pass of homework: graded on its own page (the queue's Grade opens it), its
 * screenshots cached when taken for offline work, its lost grades shown beside the standing one.
 */
export const homeworkKindModule: KindModule = {
  kind: 'homework',
  reviewerRoles: ['ta'],
  decision: 'single',
  decisionLabel: (t) => t('queue.actions.grade'),
  decide: 'open',
  ItemView: GradingPage,
  conflictViews: { gradeHomework: GradeConflictView },
  offlineFiles: async (db, item): Promise<FileRef[]> => {
    const submission = (await db.mirror('homework_submissions').get(item.subjectId)) as
      HomeworkSubmissionRecord | undefined;
    if (submission === undefined) {
      return [];
    }
    const evidence = (
      (await db
        .mirror('homework_evidence')
        .where('submissionId')
        .equals(submission.id)
        .toArray()) as unknown as HomeworkEvidenceRecord[]
    ).find((version) => version.sha256 === submission.evidenceSha256);
    const digests =
      evidence?.screenshots.length === submission.screenshots.length ? evidence.screenshots : [];
    return submission.screenshots.map((id, index) => ({ id, sha256: digests[index] ?? null }));
  },
  order: 20,
};

/** `#/homework`: the homework workstation (today's homework, the pool, records, the board, rubrics). */
export const homeworkScreen: ScreenModule = {
  id: 'homework',
  navLabel: (t) => t('nav.homework'),
  roles: ['ta', 'mentor', 'ops_manager'],
  order: 10,
  Screen: HomeworkScreen,
};
