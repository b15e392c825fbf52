import type { KindModule } from '../../registry';
import { MentorReviewDialog } from './MentorReviewDialog';

/** The mentors' Friday review of passed homework: excellent or not, with a comment. */
export const homeworkMentorKindModule: KindModule = {
  kind: 'homework_mentor',
  reviewerRoles: ['mentor'],
  decision: 'single',
  decisionLabel: (t) => t('queue.actions.mentorReview'),
  decide: 'dialog',
  DecisionDialog: MentorReviewDialog,
  order: 30,
};
