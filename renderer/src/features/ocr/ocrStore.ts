import type { OcrDocumentResult } from '#shared/ocr/index';
import type { OcrResultRow, ReviewDeskDb } from '../../db/database';

/*
 * Where the workstation keeps OCR readings: the `ocrResults` table (by SHA-256; local schema
 * version 2). A database without that table (a build before version 2, or tests with an older
 * schema) keeps them in the `meta` table under `ocrResults/<sha256>`; both are read, the table
 * winning, so nothing read before the upgrade is lost.
 */

const META_PREFIX = 'ocrResults/';

function hasTable(db: ReviewDeskDb): boolean {
  return db.tables.some((table) => table.name === 'ocrResults');
}

/** The stored rows of these hashes (missing ones left out). */
export async function getOcrRows(
  db: ReviewDeskDb,
  hashes: readonly string[],
): Promise<OcrResultRow[]> {
  const rows = new Map<string, OcrResultRow>();
  const meta = await db.meta.bulkGet(hashes.map((hash) => `${META_PREFIX}${hash}`));
  for (const entry of meta) {
    const value = entry?.value;
    if (entry !== undefined && typeof value === 'object' && value !== null && 'sha256' in value) {
      const row = value as OcrResultRow;
      rows.set(row.sha256, row);
    }
  }
  if (hasTable(db)) {
    for (const row of await db.ocrResults.bulkGet([...hashes])) {
      if (row !== undefined) {
        rows.set(row.sha256, row);
      }
    }
  }
  return [...rows.values()];
}

/** Keeps a reading under each of these hashes. */
export async function putOcrResult(
  db: ReviewDeskDb,
  hashes: readonly string[],
  result: OcrDocumentResult,
): Promise<void> {
  const createdAt = new Date().toISOString();
  const rows = [...new Set(hashes)].map((sha256) => ({ sha256, result, createdAt }));
  if (hasTable(db)) {
    await db.ocrResults.bulkPut(rows);
  } else {
    await db.meta.bulkPut(rows.map((row) => ({ key: `${META_PREFIX}${row.sha256}`, value: row })));
  }
}
