import type { OcrDocumentResult } from '#shared/ocr/index';
import type { OcrResultRow, ReviewDeskDb } from '../../db/database';

/* OCR readings are kept in the `ocrResults` table (local schema version 2), by file SHA-256. */

/** The stored rows of these hashes (missing ones left out). */
export async function getOcrRows(
  db: ReviewDeskDb,
  hashes: readonly string[],
): Promise<OcrResultRow[]> {
  const rows = await db.ocrResults.bulkGet([...hashes]);
  return rows.filter((row): row is OcrResultRow => row !== undefined);
}

/** Keeps a reading under each of these hashes. */
export async function putOcrResult(
  db: ReviewDeskDb,
  hashes: readonly string[],
  result: OcrDocumentResult,
): Promise<void> {
  const createdAt = new Date().toISOString();
  const rows = [...new Set(hashes)].map((sha256) => ({ sha256, result, createdAt }));
  await db.ocrResults.bulkPut(rows);
}
