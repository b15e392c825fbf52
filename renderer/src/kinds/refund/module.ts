import { RefundItemView } from './RefundItemView';
import type { KindModule } from '../registry';

/**
 * Refund requests: approved or rejected by ops managers, from the queue or on their own page
 * (the eligibility facts and, once approved, the payout deadline counted down).
 */
export const refundKindModule: KindModule = {
  kind: 'refund',
  reviewerRoles: ['ops_manager'],
  decision: 'approveReject',
  ItemView: RefundItemView,
  order: 10,
};
