import type { KindModule, ScreenModule } from '../registry';

/** The TA's first pass of homework (placeholder until the homework screens land). */
export const homeworkKindModule: KindModule = {
  kind: 'homework',
  reviewerRoles: ['ta'],
  decision: 'single',
  decisionLabel: (t) => t('queue.actions.grade'),
  decide: 'open',
  order: 20,
};

/** `#/homework`: the homework screen (placeholder). */
export const homeworkScreen: ScreenModule = {
  id: 'homework',
  navLabel: (t) => t('nav.homework'),
  roles: ['ta', 'mentor', 'ops_manager'],
  order: 10,
  Screen: () => null,
};
