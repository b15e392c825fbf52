import { createHash, randomUUID } from 'node:crypto';
import {
  evidenceCanonicalText,
  evidenceChanges,
  type HomeworkEvidenceContent,
} from '#shared/domain/homeworkEvidence';
import type { Queryable } from '../db/database';

/**
 * Evidence snapshots of homework submissions (`homework_evidence`). The server fetches nothing
 * from the internet: it freezes what the course platform sent — the link, the article text, the
 * reflection and the screenshots' SHA-256 — with a SHA-256 over `evidenceCanonicalText`.
 *
 * The rule, one for every writer:
 * - intake (`POST /api/v1/homework`) stores version 1;
 * - a screenshot attached while the submission has no TA grade yet (it is still being filed)
 *   amends the CURRENT version in place: its screenshot list and digest;
 * - a screenshot attached after the first grade, and every content update
 *   (`PUT /api/v1/homework/{id}`), adds version n+1, so the version a TA graded is never changed;
 * - the submission carries the current digest and version (`evidence_sha256`,
 *   `evidence_version`); a grade records the digest the TA looked at (`graded_evidence_sha256`).
 *
 * Nothing here changes a decided grade. Every writer passes the space version of its transaction.
 */

/** SHA-256 (hex) over the canonical text of the content. */
export function evidenceDigest(content: HomeworkEvidenceContent): string {
  return createHash('sha256').update(evidenceCanonicalText(content), 'utf8').digest('hex');
}

export interface EvidenceRow {
  readonly id: string;
  readonly submission_id: string;
  readonly version: number;
  readonly article_url: string;
  readonly article_text: string;
  readonly reflection: string;
  readonly screenshots: string[];
  readonly sha256: string;
  readonly captured_at: string;
}

const EVIDENCE_COLUMNS = `id, submission_id, version, article_url, article_text, reflection,
  screenshots, sha256, captured_at`;

export const contentOf = (row: EvidenceRow): HomeworkEvidenceContent => ({
  articleUrl: row.article_url,
  articleText: row.article_text,
  reflection: row.reflection,
  screenshots: row.screenshots,
});

/** The newest evidence version of a submission, locked, or null when it has none (old data). */
export async function currentEvidence(
  tx: Queryable,
  submissionId: string,
): Promise<EvidenceRow | null> {
  const [row] = await tx.query<EvidenceRow>(
    `SELECT ${EVIDENCE_COLUMNS} FROM homework_evidence WHERE submission_id = $1
      ORDER BY version DESC LIMIT 1 FOR UPDATE`,
    [submissionId],
  );
  return row ?? null;
}

/** SHA-256 of each screenshot file, in the order of `fileIds`. */
export async function screenshotDigests(
  tx: Queryable,
  fileIds: readonly string[],
): Promise<string[]> {
  if (fileIds.length === 0) {
    return [];
  }
  const rows = await tx.query<{ id: string; sha256: string }>(
    'SELECT id, sha256 FROM homework_files WHERE id = ANY($1::uuid[])',
    [[...fileIds]],
  );
  const byId = new Map(rows.map((row) => [row.id, row.sha256]));
  return fileIds.flatMap((id) => {
    const sha256 = byId.get(id);
    return sha256 === undefined ? [] : [sha256];
  });
}

interface SubmissionContentRow {
  readonly article_url: string;
  readonly article_text: string;
  readonly reflection: string;
  readonly screenshots: string[];
}

/** What the submission holds now, as evidence content (for submissions without a snapshot). */
async function submissionContent(
  tx: Queryable,
  submissionId: string,
): Promise<HomeworkEvidenceContent | null> {
  const [row] = await tx.query<SubmissionContentRow>(
    `SELECT article_url, article_text, reflection, screenshots FROM homework_submissions
      WHERE id = $1`,
    [submissionId],
  );
  if (row === undefined) {
    return null;
  }
  return {
    articleUrl: row.article_url,
    articleText: row.article_text,
    reflection: row.reflection,
    screenshots: await screenshotDigests(tx, row.screenshots),
  };
}

/**
 * The digest a grade is compared against: the submission's current evidence digest, or — for a
 * submission filed before evidence snapshots existed — the digest of what it holds now.
 */
export async function currentEvidenceDigest(
  tx: Queryable,
  submissionId: string,
  stored: string | null,
): Promise<string | null> {
  if (stored !== null) {
    return stored;
  }
  const content = await submissionContent(tx, submissionId);
  return content === null ? null : evidenceDigest(content);
}

async function insertEvidence(
  tx: Queryable,
  input: {
    readonly submissionId: string;
    readonly version: number;
    readonly content: HomeworkEvidenceContent;
    readonly nowIso: string;
    readonly rowVersion: number;
  },
): Promise<string> {
  const sha256 = evidenceDigest(input.content);
  await tx.query(
    `INSERT INTO homework_evidence (id, submission_id, version, article_url, article_text,
                                    reflection, screenshots, sha256, captured_at, row_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      randomUUID(),
      input.submissionId,
      input.version,
      input.content.articleUrl,
      input.content.articleText,
      input.content.reflection,
      JSON.stringify(input.content.screenshots),
      sha256,
      input.nowIso,
      input.rowVersion,
    ],
  );
  return sha256;
}

async function pointSubmissionAt(
  tx: Queryable,
  submissionId: string,
  evidence: { readonly version: number; readonly sha256: string },
  nowIso: string,
  rowVersion: number,
): Promise<void> {
  await tx.query(
    `UPDATE homework_submissions
        SET evidence_sha256 = $2, evidence_version = $3, updated_at = $4, row_version = $5
      WHERE id = $1`,
    [submissionId, evidence.sha256, evidence.version, nowIso, rowVersion],
  );
}

/** Version 1, at intake; the submission row must exist already. */
export async function recordIntakeEvidence(
  tx: Queryable,
  input: {
    readonly submissionId: string;
    readonly content: HomeworkEvidenceContent;
    readonly nowIso: string;
    readonly rowVersion: number;
  },
): Promise<{ version: number; sha256: string }> {
  const sha256 = await insertEvidence(tx, { ...input, version: 1 });
  await pointSubmissionAt(
    tx,
    input.submissionId,
    { version: 1, sha256 },
    input.nowIso,
    input.rowVersion,
  );
  return { version: 1, sha256 };
}

export interface EvidenceChange {
  readonly version: number;
  readonly sha256: string;
  /** The parts that differ from the previous current version (empty: nothing changed). */
  readonly changed: ReturnType<typeof evidenceChanges>;
  /** `amended`: the current version was changed in place; `added`: a new version. */
  readonly how: 'amended' | 'added' | 'unchanged';
}

/**
 * Changes a submission's evidence (see the module rule). `update` gets the current content and
 * returns the new one; `amendInPlace` says whether the current version may be amended (a
 * screenshot attached before the first grade) rather than followed by a new version.
 * The caller holds the submission row locked.
 */
export async function changeEvidence(
  tx: Queryable,
  input: {
    readonly submissionId: string;
    readonly update: (current: HomeworkEvidenceContent) => HomeworkEvidenceContent;
    readonly amendInPlace: boolean;
    readonly nowIso: string;
    readonly rowVersion: number;
  },
): Promise<EvidenceChange> {
  const current = await currentEvidence(tx, input.submissionId);
  const before =
    current === null ? await submissionContent(tx, input.submissionId) : contentOf(current);
  if (before === null) {
    throw new Error(`homework submission ${input.submissionId} vanished`);
  }
  const after = input.update(before);
  const changed = evidenceChanges(before, after);
  if (current === null) {
    // Filed before evidence snapshots existed: what it holds now becomes version 1.
    const sha256 = await insertEvidence(tx, {
      submissionId: input.submissionId,
      version: 1,
      content: after,
      nowIso: input.nowIso,
      rowVersion: input.rowVersion,
    });
    await pointSubmissionAt(
      tx,
      input.submissionId,
      { version: 1, sha256 },
      input.nowIso,
      input.rowVersion,
    );
    return { version: 1, sha256, changed, how: 'added' };
  }
  if (changed.length === 0) {
    return { version: current.version, sha256: current.sha256, changed, how: 'unchanged' };
  }
  if (input.amendInPlace) {
    const sha256 = evidenceDigest(after);
    await tx.query(
      `UPDATE homework_evidence
          SET article_url = $2, article_text = $3, reflection = $4, screenshots = $5, sha256 = $6,
              row_version = $7
        WHERE id = $1`,
      [
        current.id,
        after.articleUrl,
        after.articleText,
        after.reflection,
        JSON.stringify(after.screenshots),
        sha256,
        input.rowVersion,
      ],
    );
    await pointSubmissionAt(
      tx,
      input.submissionId,
      { version: current.version, sha256 },
      input.nowIso,
      input.rowVersion,
    );
    return { version: current.version, sha256, changed, how: 'amended' };
  }
  const version = current.version + 1;
  const sha256 = await insertEvidence(tx, {
    submissionId: input.submissionId,
    version,
    content: after,
    nowIso: input.nowIso,
    rowVersion: input.rowVersion,
  });
  await pointSubmissionAt(
    tx,
    input.submissionId,
    { version, sha256 },
    input.nowIso,
    input.rowVersion,
  );
  return { version, sha256, changed, how: 'added' };
}

/**
 * Re-sends a submission's evidence rows with `rowVersion`: they become visible to mentors when
 * the TA passes the work (visibility follows the submission), and a delta sends only rows whose
 * version moved.
 */
export async function touchEvidence(
  tx: Queryable,
  submissionId: string,
  rowVersion: number,
): Promise<void> {
  await tx.query('UPDATE homework_evidence SET row_version = $2 WHERE submission_id = $1', [
    submissionId,
    rowVersion,
  ]);
}
