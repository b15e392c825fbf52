import type { Queryable } from '../db/database';
import type { AuditInput } from '../review/scope';
import { changeEvidence } from './evidence';
import { homeworkItemIdOf } from './submissions';

/**
 * A screenshot was stored for a submission (its `homework_files` row is inserted): append it to
 * the submission's screenshot list and to its evidence. Before the first TA grade the current
 * evidence version is amended in place (the submission is still being filed); after it a new
 * version is added (audited as `update_evidence`), so what was graded stays as it was graded.
 */
export async function attachScreenshotEvidence(
  tx: Queryable,
  input: {
    readonly submissionId: string;
    readonly fileId: string;
    readonly sha256: string;
    readonly nowIso: string;
    readonly rowVersion: number;
    readonly audit: ((event: AuditInput) => Promise<void>) | null;
  },
): Promise<void> {
  const [submission] = await tx.query<{ graded: boolean }>(
    `SELECT (state <> 'submitted' OR ta_decided_at IS NOT NULL) AS graded
       FROM homework_submissions WHERE id = $1 FOR UPDATE`,
    [input.submissionId],
  );
  if (submission === undefined) {
    throw new Error(`homework submission ${input.submissionId} vanished`);
  }
  // Evidence first: for a submission without a snapshot it is built from the list as it was.
  const change = await changeEvidence(tx, {
    submissionId: input.submissionId,
    update: (current) => ({ ...current, screenshots: [...current.screenshots, input.sha256] }),
    amendInPlace: !submission.graded,
    nowIso: input.nowIso,
    rowVersion: input.rowVersion,
  });
  await tx.query(
    `UPDATE homework_submissions
        SET screenshots = screenshots || jsonb_build_array($2::text), updated_at = $3,
            row_version = $4
      WHERE id = $1`,
    [input.submissionId, input.fileId, input.nowIso, input.rowVersion],
  );
  if (submission.graded && change.how === 'added' && input.audit !== null) {
    await input.audit({
      subjectType: 'homework',
      subjectId: input.submissionId,
      itemId: await homeworkItemIdOf(tx, input.submissionId),
      action: 'update_evidence',
      details: {
        evidenceVersion: change.version,
        evidenceSha256: change.sha256,
        changed: change.changed,
        fileId: input.fileId,
      },
    });
  }
}
