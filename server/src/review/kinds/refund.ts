import { refundDueBy } from '#shared/domain/refund';
import { decisionOutcome, recordFinalDecision } from '../core';
import type { ReviewKind } from '../kind';
import { rejected } from '../scope';

/**
 * Refund requests: the system checks eligibility (≤ 7 days, progress ≤ 10 %) when the request
 * arrives; an ops manager approves or rejects. An ineligible request cannot be approved: the
 * rule is the business's promise, not a reviewer's judgement call.
 */
export const REFUND_KIND = 'refund';

interface RefundRow {
  readonly id: string;
  readonly state: 'pending' | 'approved' | 'rejected';
  readonly eligible: boolean;
  readonly ineligibility_reasons: string[];
}

export const refundKind: ReviewKind = {
  kind: REFUND_KIND,
  reviewerRoles: ['ops_manager'],
  assignerRoles: ['ops_manager'],
  visibleTo: ['ops_manager'],
  async decide(scope, item, decision, flags) {
    const [refund] = await scope.tx.query<RefundRow>(
      `SELECT id, state, eligible, ineligibility_reasons FROM refund_requests WHERE id = $1 FOR UPDATE`,
      [item.subject_id],
    );
    if (refund === undefined) {
      return rejected('NOT_FOUND', { refundId: item.subject_id });
    }
    if (decision.outcome === 'approve' && !refund.eligible) {
      return rejected('VALIDATION', {
        reason: 'refund_not_eligible',
        reasons: refund.ineligibility_reasons,
      });
    }
    const approved = decision.outcome === 'approve';
    await recordFinalDecision(scope, item, {
      outcome: decision.outcome,
      reasons: decision.reasons,
      comments: decision.comments,
      flags,
    });
    await scope.tx.query(
      `UPDATE refund_requests
          SET state = $2, decided_by = $3, decided_at = $4, refund_due_by = $5, updated_at = $4,
              row_version = $6
        WHERE id = $1`,
      [
        refund.id,
        approved ? 'approved' : 'rejected',
        scope.principal.id,
        scope.nowIso,
        approved ? refundDueBy(scope.now).lastDay : null,
        await scope.version(),
      ],
    );
    return decisionOutcome(flags);
  },
};
