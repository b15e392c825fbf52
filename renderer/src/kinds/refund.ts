import type { KindModule } from './registry';

/** Refund requests: approved or rejected by ops managers from the queue. */
export const refundKindModule: KindModule = {
  kind: 'refund',
  reviewerRoles: ['ops_manager'],
  decision: 'approveReject',
  order: 10,
};
