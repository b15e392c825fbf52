import type { KindModule, ScreenModule } from '../registry';
import { HomeworkScreen } from './HomeworkScreen';

/** The TA's first pass of homework (placeholder until the homework screens land). */
export const homeworkKindModule: KindModule = {
  kind: 'homework',
  reviewerRoles: ['ta'],
  decision: 'single',
  decisionLabel: (t) => t('queue.actions.grade'),
  decide: 'open',
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
