import { createOcrClient, type OcrClient } from '../../ocr/ocrClient';

/*
 * One OCR Web Worker for the whole window, started on the first reading (loading Tesseract and
 * the language data costs a second or two, and hundreds of megabytes per worker). Results are
 * kept by the caller in the user's Dexie database (`ocrResults`), so the worker's own cache is
 * off.
 */
let client: OcrClient | undefined;

export function getOcrClient(): OcrClient {
  client ??= createOcrClient({ cache: false });
  return client;
}

/** Stops the worker (signing out, tests). */
export async function stopOcrClient(): Promise<void> {
  const current = client;
  client = undefined;
  await current?.terminate();
}
