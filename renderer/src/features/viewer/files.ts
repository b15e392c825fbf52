import { CREDENTIAL_KIND_LABELS, type CredentialKind } from '#shared/domain/listing/document';
import type { Locale } from '#shared/i18n/localized';
import type { ReviewItemRecord } from '#shared/sync/rows';
import type { MirrorRow, ReviewDeskDb } from '../../db/database';

/**
 * The credential files of a listing revision, as the Files tab lists them: each entry of the
 * document's `credentials.files` (what the submitter declared: kind, name, validity) joined with
 * the server's `credential_files` row that holds its bytes (what is downloaded). The document
 * entry's `id` is the row's id; when it is not (an older upload), the row of the same listing
 * with the same SHA-256 is used.
 */

/** A mirrored `credential_files` row (the columns the server sends, camelCase). */
export interface CredentialFileRow {
  readonly id: string;
  readonly listingId: string;
  readonly sha256: string;
  readonly mimeType: string;
  readonly sizeBytes: number;
  readonly originalName: string;
  readonly createdAt: string;
}

/** One credential file of a revision. */
export interface CredentialFileView {
  /** The document entry's id (stable across revisions). */
  readonly entryId: string;
  /** The file to download (`GET /api/v1/files/{fileId}`), or null when this device has no row. */
  readonly fileId: string | null;
  readonly kind: string;
  readonly fileName: string;
  readonly mimeType: string;
  readonly sizeBytes: number | null;
  readonly sha256: string | null;
  readonly validFrom: string | null;
  /** `null` is 长期 (no expiry); `undefined` when the entry does not say. */
  readonly validUntil: string | null | undefined;
}

/** What the Files tab and the prefetcher need about an item. */
export interface RevisionFiles {
  readonly item: ReviewItemRecord;
  readonly listingId: string;
  readonly revisionId: string;
  readonly revisionNumber: number | null;
  readonly files: readonly CredentialFileView[];
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stringOr = <T>(value: unknown, fallback: T): string | T =>
  typeof value === 'string' && value !== '' ? value : fallback;

export const asCredentialFileRow = (row: MirrorRow) => row as unknown as CredentialFileRow;

/** The server row holding an entry's bytes (see the module comment). */
export function rowForEntry(
  entry: { readonly id?: unknown; readonly sha256?: unknown },
  rows: readonly CredentialFileRow[],
): CredentialFileRow | undefined {
  return (
    rows.find((row) => row.id === entry.id) ??
    (typeof entry.sha256 === 'string' ? rows.find((row) => row.sha256 === entry.sha256) : undefined)
  );
}

/** The document's credential entries joined with the listing's file rows. */
export function credentialFilesOf(
  document: unknown,
  rows: readonly CredentialFileRow[],
): CredentialFileView[] {
  const credentials = isRecord(document) ? document['credentials'] : undefined;
  const entries = isRecord(credentials) ? credentials['files'] : undefined;
  if (!Array.isArray(entries)) {
    return [];
  }
  return entries.filter(isRecord).map((entry, index) => {
    const row = rowForEntry(entry, rows);
    const sizeBytes = entry['sizeBytes'];
    const validUntil = entry['validUntil'];
    return {
      entryId: stringOr(entry['id'], `#${String(index)}`),
      fileId: row?.id ?? null,
      kind: stringOr(entry['kind'], 'other'),
      fileName: stringOr(entry['fileName'], row?.originalName ?? `#${String(index + 1)}`),
      mimeType: stringOr(entry['mimeType'], row?.mimeType ?? 'application/octet-stream'),
      sizeBytes: typeof sizeBytes === 'number' ? sizeBytes : (row?.sizeBytes ?? null),
      sha256: stringOr(entry['sha256'], row?.sha256 ?? null),
      validFrom: stringOr(entry['validFrom'], null),
      validUntil:
        validUntil === null ? null : typeof validUntil === 'string' ? validUntil : undefined,
    };
  });
}

export const isPdf = (mimeType: string) => mimeType === 'application/pdf';
export const isImage = (mimeType: string) => mimeType.startsWith('image/');

/** An item's revision and its credential files, from the local mirror; null for other kinds. */
export async function loadRevisionFiles(
  db: ReviewDeskDb,
  itemId: string,
): Promise<RevisionFiles | null> {
  const itemRow = await db.mirror('review_items').get(itemId);
  if (itemRow === undefined) {
    return null;
  }
  const item = itemRow as unknown as ReviewItemRecord;
  if (item.kind !== 'listing_revision' || item.revisionId === null) {
    return null;
  }
  const revision = await db.mirror('listing_revisions').get(item.revisionId);
  const listingId =
    typeof revision?.['listingId'] === 'string' ? revision['listingId'] : item.subjectId;
  const rows = (await db.mirror('credential_files').where('listingId').equals(listingId).toArray())
    .map(asCredentialFileRow)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const number = revision?.['number'];
  return {
    item,
    listingId,
    revisionId: item.revisionId,
    revisionNumber: typeof number === 'number' ? number : null,
    files: revision === undefined ? [] : credentialFilesOf(revision['document'], rows),
  };
}

/** `1.2 MB`-style sizes (decimal units, as file managers show them). */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[unit] ?? 'B'}`;
}

/** A credential kind's label (`business_licence` → 营业执照); unknown kinds as they are. */
export function credentialKindLabel(kind: string, locale: Locale): string {
  return Object.hasOwn(CREDENTIAL_KIND_LABELS, kind)
    ? CREDENTIAL_KIND_LABELS[kind as CredentialKind][locale]
    : kind;
}

const SERVER_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in the business time zone (Asia/Shanghai), `YYYY-MM-DD`. */
export const serverDay = (epochMs: number): string => SERVER_DAY.format(epochMs);
