import { EscalationItemView } from './EscalationItemView';
import type { KindModule } from '../registry';

/**
 * Escalated customer-service conversations (运营 SOP 9.2): the human desk (assistants and ops
 * managers) opens one from the queue, reads the thread, replies and closes it on its own page.
 */
export const escalationKindModule: KindModule = {
  kind: 'escalation',
  reviewerRoles: ['assistant', 'ops_manager'],
  decision: 'single',
  decisionLabel: (t) => t('escalationView.handle'),
  decide: 'open',
  ItemView: EscalationItemView,
  order: 12,
};
