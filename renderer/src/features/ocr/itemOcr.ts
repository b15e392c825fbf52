import { liveQuery, type Subscription } from 'dexie';
import {
  checkCredential,
  credentialContextFor,
  DOCUMENT_KINDS,
  type CredentialFinding,
  type OcrDocumentResult,
} from '#shared/ocr/index';
import type { ReviewItemRecord } from '#shared/sync/rows';
import type { ReviewDeskDb } from '../../db/database';
import {
  asCredentialFileRow,
  credentialFilesOf,
  serverDay,
  type CredentialFileView,
} from '../viewer/files';
import type { Workspace } from '../../workspace/workspace';
import { getOcrRows } from './ocrStore';

/*
 * The OCR readings of an item's credential files, as the workstation shows them: the results
 * kept on this device by SHA-256 (Dexie `ocrResults`), and the checks of each reading against
 * the listing under review. One live query per item, shared by every component that shows a
 * finding (the Files tab's OCR panel and each listing field), so a long listing with hundreds
 * of anchors does not open hundreds of queries.
 */

export interface FileOcr {
  readonly file: CredentialFileView;
  /** 0-based index of the entry in the listing's `credentials.files`. */
  readonly index: number;
  readonly result: OcrDocumentResult | undefined;
  readonly findings: readonly CredentialFinding[];
}

export interface ItemOcr {
  readonly itemId: string;
  readonly today: string;
  readonly files: readonly FileOcr[];
}

/** A stored result, or undefined when the row is not one this version understands. */
export function storedResult(value: unknown): OcrDocumentResult | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const candidate = value as Partial<Record<keyof OcrDocumentResult, unknown>>;
  return typeof candidate.sha256 === 'string' &&
    typeof candidate.text === 'string' &&
    typeof candidate.fields === 'object' &&
    candidate.fields !== null &&
    Array.isArray(candidate.pages) &&
    (DOCUMENT_KINDS as readonly unknown[]).includes(candidate.kind)
    ? (value as OcrDocumentResult)
    : undefined;
}

/** Reads an item's credential files, their stored OCR results and the checks. */
export async function loadItemOcr(
  db: ReviewDeskDb,
  itemId: string,
  today: string,
): Promise<ItemOcr> {
  const empty: ItemOcr = { itemId, today, files: [] };
  const itemRow = await db.mirror('review_items').get(itemId);
  const item = itemRow as unknown as ReviewItemRecord | undefined;
  if (item?.kind !== 'listing_revision' || item.revisionId === null) {
    return empty;
  }
  const revision = await db.mirror('listing_revisions').get(item.revisionId);
  if (revision === undefined) {
    return empty;
  }
  const listingId =
    typeof revision['listingId'] === 'string' ? revision['listingId'] : item.subjectId;
  const rows = (
    await db.mirror('credential_files').where('listingId').equals(listingId).toArray()
  ).map(asCredentialFileRow);
  const document = revision['document'];
  const files = credentialFilesOf(document, rows);
  const hashes = [...new Set(files.flatMap((file) => (file.sha256 === null ? [] : [file.sha256])))];
  const stored = await getOcrRows(db, hashes);
  const results = new Map<string, OcrDocumentResult>();
  for (const row of stored) {
    const result = storedResult(row.result);
    if (result !== undefined) {
      results.set(row.sha256, result);
    }
  }
  return {
    itemId,
    today,
    files: files.map((file, index) => {
      const result = file.sha256 === null ? undefined : results.get(file.sha256);
      const findings =
        result === undefined
          ? []
          : checkCredential(
              result,
              credentialContextFor(
                document,
                { ...(file.sha256 === null ? {} : { sha256: file.sha256 }), id: file.entryId },
                today,
              ),
            );
      return { file, index, result, findings };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// One shared live query per item

interface Entry {
  value: ItemOcr | undefined;
  readonly listeners: Set<() => void>;
  subscription: Subscription | undefined;
}

const entries = new Map<string, Entry>();

function entryKey(db: ReviewDeskDb, itemId: string) {
  return `${db.name}\u0000${itemId}`;
}

/** Subscribes to an item's OCR readings; returns the unsubscribe function. */
export function subscribeItemOcr(
  workspace: Pick<Workspace, 'db' | 'serverNow'>,
  itemId: string,
  listener: () => void,
): () => void {
  const key = entryKey(workspace.db, itemId);
  let entry = entries.get(key);
  if (entry === undefined) {
    const created: Entry = { value: undefined, listeners: new Set(), subscription: undefined };
    entry = created;
    entries.set(key, created);
    created.subscription = liveQuery(() =>
      loadItemOcr(workspace.db, itemId, serverDay(workspace.serverNow())),
    ).subscribe({
      next: (value) => {
        created.value = value;
        for (const notify of created.listeners) {
          notify();
        }
      },
      error: (error: unknown) => {
        console.warn('reading OCR results failed', error);
      },
    });
  }
  entry.listeners.add(listener);
  const own = entry;
  return () => {
    own.listeners.delete(listener);
    if (own.listeners.size === 0) {
      own.subscription?.unsubscribe();
      entries.delete(key);
    }
  };
}

export function itemOcrSnapshot(db: ReviewDeskDb, itemId: string): ItemOcr | undefined {
  return entries.get(entryKey(db, itemId))?.value;
}
