import {
  isOcrError,
  OcrError,
  prefillFromDossier,
  type OcrDocumentResult,
  type OcrPage,
  type OcrProgress,
  type OcrWarning,
  type PrefillProposal,
} from '#shared/ocr/index';
import type { ReviewDeskDb } from '../../../db/database';
import { getOcrClient } from '../../../features/ocr/ocrService';
import { storedResult } from '../../../features/ocr/itemOcr';
import { getOcrRows, putOcrResult } from '../../../features/ocr/ocrStore';

/*
 * Reading a paper dossier for the OCR pre-fill (issue 11): every file the assistant picked goes
 * through the workstation's OCR worker (`features/ocr/ocrService.ts`), one after the other; the
 * readings are kept on the device by SHA-256 like the reviewer's (`ocrResults`), so the same
 * scan is read once. A file that cannot be read is reported with its reason and the others are
 * still read; the draft is never touched here (proposals are only proposals).
 */

/** What reading one file takes (the OCR worker in the workstation; a stand-in in tests). */
export type ReadFile = (
  file: File,
  options: { readonly signal: AbortSignal; readonly onProgress: (progress: OcrProgress) => void },
) => Promise<OcrDocumentResult>;

/** One file of the dossier as read: what the crops are drawn from. */
export interface DossierFile {
  /** The name proposals and provenance use (made unique within the dossier). */
  readonly name: string;
  readonly blob: Blob;
  readonly fileType: OcrDocumentResult['fileType'];
  readonly pages: readonly OcrPage[];
}

export interface DossierFailure {
  readonly fileName: string;
  readonly error: OcrError;
}

export interface DossierReading {
  readonly files: readonly DossierFile[];
  readonly failures: readonly DossierFailure[];
  readonly warnings: readonly { readonly fileName: string; readonly warning: OcrWarning }[];
  readonly proposals: readonly PrefillProposal[];
}

/** Progress of the whole dossier: which file, the OCR stage and page, fraction 0–1. */
export interface DossierProgress {
  readonly file: number;
  readonly files: number;
  readonly fileName: string;
  readonly ocr: OcrProgress | null;
  readonly fraction: number;
}

async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * Reads with the OCR worker, reusing a reading kept on this device (by SHA-256) and keeping new
 * ones there.
 */
export function workerReader(db: ReviewDeskDb): ReadFile {
  return async (file, { signal, onProgress }) => {
    const hash = await sha256Hex(file).catch(() => null);
    if (hash !== null) {
      const [stored] = await getOcrRows(db, [hash]).catch(() => []);
      const result = storedResult(stored?.result);
      if (result !== undefined) {
        return result;
      }
    }
    const result = await getOcrClient().process(file, { name: file.name, signal, onProgress });
    await putOcrResult(db, hash === null ? [result.sha256] : [result.sha256, hash], result).catch(
      () => undefined,
    );
    return result;
  };
}

/** `dossier.pdf`, `dossier (2).pdf`, …: provenance names a file, so two files need two names. */
function uniqueName(name: string, taken: Set<string>): string {
  const base = name.trim() === '' ? 'scan' : name.trim();
  let candidate = base;
  for (let n = 2; taken.has(candidate); n += 1) {
    const dot = base.lastIndexOf('.');
    candidate =
      dot > 0 ? `${base.slice(0, dot)} (${String(n)})${base.slice(dot)}` : `${base} (${String(n)})`;
  }
  taken.add(candidate);
  return candidate;
}

/**
 * Reads every file of a dossier and proposes listing values from all their pages (in the order
 * the files were picked), matched against `document` (the draft as it is now).
 */
export async function readDossier(
  files: readonly File[],
  options: {
    readonly read: ReadFile;
    readonly document: unknown;
    readonly signal: AbortSignal;
    readonly onProgress: (progress: DossierProgress) => void;
  },
): Promise<DossierReading> {
  const read: DossierFile[] = [];
  const failures: DossierFailure[] = [];
  const warnings: { fileName: string; warning: OcrWarning }[] = [];
  const names = new Set<string>();
  for (const [index, file] of files.entries()) {
    const name = uniqueName(file.name, names);
    const report = (ocr: OcrProgress | null) => {
      options.onProgress({
        file: index + 1,
        files: files.length,
        fileName: name,
        ocr,
        fraction: (index + (ocr?.fraction ?? 0)) / files.length,
      });
    };
    report(null);
    try {
      const result = await options.read(file, { signal: options.signal, onProgress: report });
      read.push({ name, blob: file, fileType: result.fileType, pages: result.pages });
      for (const warning of result.warnings) {
        warnings.push({ fileName: name, warning });
      }
    } catch (error) {
      if (options.signal.aborted) {
        throw new OcrError('CANCELLED');
      }
      failures.push({
        fileName: name,
        error: isOcrError(error)
          ? error
          : new OcrError('ENGINE_FAILED', {
              detail: error instanceof Error ? error.message : String(error),
            }),
      });
    }
  }
  const proposals = prefillFromDossier(
    read.flatMap((file) =>
      file.pages.map((page) => ({ ...page, fileName: file.name, page: page.index + 1 })),
    ),
    { document: options.document },
  );
  return { files: read, failures, warnings, proposals };
}
