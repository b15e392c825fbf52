import type { KindModule } from '../../registry';

/** The mentors' Friday pool (placeholder until the pool screen lands). */
export const homeworkMentorKindModule: KindModule = {
  kind: 'homework_mentor',
  reviewerRoles: ['mentor'],
  decision: 'single',
  decisionLabel: (t) => t('queue.actions.mentorReview'),
  decide: 'dialog',
  order: 30,
};
