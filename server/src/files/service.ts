import { createHash, randomUUID } from 'node:crypto';
import { can, isListingState, type ListingState } from '#shared/domain/listing/lifecycle';
import type { Role } from '#shared/domain/roles';
import type { Principal } from '../auth/principal';
import type { ServerContext } from '../context';
import type { Queryable } from '../db/database';
import { badRequest, forbidden, HttpError, notFound } from '../http/errors';
import { attachScreenshotEvidence } from '../homework/screenshots';
import { createWorkScope } from '../review/scope';
import { nextSpaceVersion } from '../sync/version';
import { isInvitedCollaborator } from '../listings/service';
import { credentialFileKey, homeworkFileKey } from './keys';
import {
  checkDeclaredType,
  EXTENSION_OF,
  isImageType,
  sniffFileType,
  type AcceptedMimeType,
  type SniffAccepted,
} from './sniff';

/**
 * Credential files (licences, contract samples, certificates) of listings, and homework
 * screenshots: content-addressed by SHA-256, stored bytes-first.
 *
 * Order of a store: sniff the bytes → look for the same bytes already stored (then nothing is
 * written) → write the blob under its content-derived key → insert the row in a transaction. A
 * failure after the blob is written leaves an orphan blob and no row: harmless, because nothing
 * points to it, the next upload of the same bytes reuses the key (and overwrites it with identical
 * bytes), and a sweep can delete blobs no row references. The blob is deliberately not deleted
 * on failure: a concurrent upload of the same bytes to the same listing may have just inserted a
 * row pointing to that very key. The reverse — a row whose bytes are missing — cannot happen.
 */

/** Longest stored original file name, in characters (code points). */
export const ORIGINAL_NAME_MAX = 200;

/** A credential file as the API returns it. */
export interface CredentialFileJson {
  readonly id: string;
  readonly listingId: string;
  readonly sha256: string;
  readonly mimeType: AcceptedMimeType;
  readonly sizeBytes: number;
  readonly originalName: string;
  readonly createdAt: string;
}

/** A homework screenshot as the API returns it. */
export interface HomeworkFileJson {
  readonly id: string;
  readonly submissionId: string;
  readonly sha256: string;
  readonly mimeType: AcceptedMimeType;
  readonly sizeBytes: number;
  readonly originalName: string;
  readonly createdAt: string;
}

export interface StoreResult<File> {
  readonly file: File;
  /** False when the same bytes were already stored for this listing (or submission). */
  readonly created: boolean;
  /** The uploaded name's extension disagrees with the sniffed type (a warning, not an error). */
  readonly extensionMismatch: boolean;
}

interface CredentialFileRow {
  id: string;
  listing_id: string;
  sha256: string;
  mime_type: AcceptedMimeType;
  size_bytes: number;
  original_name: string;
  created_at: string;
}

interface HomeworkFileRow {
  id: string;
  submission_id: string;
  sha256: string;
  mime_type: AcceptedMimeType;
  size_bytes: number;
  original_name: string;
  created_at: string;
}

const credentialJson = (row: CredentialFileRow): CredentialFileJson => ({
  id: row.id,
  listingId: row.listing_id,
  sha256: row.sha256,
  mimeType: row.mime_type,
  sizeBytes: row.size_bytes,
  originalName: row.original_name,
  createdAt: row.created_at,
});

const homeworkJson = (row: HomeworkFileRow): HomeworkFileJson => ({
  id: row.id,
  submissionId: row.submission_id,
  sha256: row.sha256,
  mimeType: row.mime_type,
  sizeBytes: row.size_bytes,
  originalName: row.original_name,
  createdAt: row.created_at,
});

const CREDENTIAL_COLUMNS =
  'id, listing_id, sha256, mime_type, size_bytes, original_name, created_at';
const HOMEWORK_COLUMNS =
  'id, submission_id, sha256, mime_type, size_bytes, original_name, created_at';

export const sha256Hex = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

// ── File names ──────────────────────────────────────────────────────────────────────────────

/** Characters that are never part of a stored name: controls, format (bidi overrides, …), separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
/** Characters Windows refuses in file names; replaced so that "save as" keeps working. */
const RESERVED = /[<>:"|?*]/g;

/**
 * The uploader's file name made safe to store and show: only the last path segment
 * (`../../etc/passwd` → `passwd`, `C:\scans\执照.pdf` → `执照.pdf`), without control and bidi
 * characters, NFC-normalised, at most {@link ORIGINAL_NAME_MAX} characters (the extension is kept
 * when shortening), `upload.<ext>` when nothing is left. Chinese and other scripts are kept as
 * they are. The name is only ever shown and sent back in Content-Disposition (encoded), never
 * used to build a storage key or a path.
 */
export function sanitizeOriginalName(name: string, fallbackExtension: string): string {
  const lastSegment = name.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    // Tabs and line breaks become spaces first, so that they do not glue words together.
    .replace(/\s+/gu, ' ')
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    // Leading dots would make a hidden file ("..", ".bashrc"); trailing dots and spaces vanish on Windows.
    .replace(/^[\s.]+|[\s.]+$/gu, '');
  if (cleaned === '') {
    return `upload.${fallbackExtension}`;
  }
  const chars = Array.from(cleaned);
  if (chars.length <= ORIGINAL_NAME_MAX) {
    return cleaned;
  }
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(cleaned.slice(dot)) : [];
  if (extension.length > 1 && extension.length <= 16) {
    const stem = Array.from(cleaned.slice(0, dot)).slice(0, ORIGINAL_NAME_MAX - extension.length);
    return `${stem.join('').trimEnd()}${extension.join('')}`;
  }
  return chars.slice(0, ORIGINAL_NAME_MAX).join('').trimEnd();
}

// ── Who may upload and read ─────────────────────────────────────────────────────────────────

/** What the permission checks need to know about a listing. */
export interface ListingForFiles {
  readonly id: string;
  readonly institutionId: string;
  readonly ownerId: string;
  readonly state: ListingState;
}

/** Roles that prepare a listing's content: its submitter, collaborators, assisted entry. */
const AUTHOR_ROLES: readonly Role[] = ['submitter', 'collaborator', 'assistant'];

/** Any 8-4-4-4-12 hex id: what PostgreSQL's uuid type accepts, so lookups never fail on syntax. */
const UUID_SYNTAX = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findListing(db: Queryable, listingId: string): Promise<ListingForFiles | null> {
  if (!UUID_SYNTAX.test(listingId)) {
    return null;
  }
  const [row] = await db.query<{
    id: string;
    institution_id: string;
    owner_id: string;
    state: string;
  }>(
    `SELECT id, institution_id, owner_id, state FROM listings
      WHERE id = $1 AND deleted_at IS NULL`,
    [listingId],
  );
  if (row === undefined || !isListingState(row.state)) {
    return null;
  }
  return { id: row.id, institutionId: row.institution_id, ownerId: row.owner_id, state: row.state };
}

/**
 * Whether `principal` may add a credential file to `listing`. Scope: the listing's owner, a
 * submitter or collaborator of the listing's institution, or an assistant (assisted entry).
 * State: while the role may edit the listing (`can(role, 'edit', state)`: drafts, and rejected
 * listings for the submitter), or while it is live, where the file is for an update revision.
 * Reviewers, ops managers, TAs and mentors never upload.
 */
export function mayUploadCredential(principal: Principal, listing: ListingForFiles): boolean {
  const sameInstitution =
    principal.institutionId !== null && principal.institutionId === listing.institutionId;
  const inScope =
    principal.id === listing.ownerId ||
    (sameInstitution && (principal.role === 'submitter' || principal.role === 'collaborator')) ||
    principal.role === 'assistant';
  if (!inScope) {
    return false;
  }
  return (
    can(principal.role, 'edit', listing.state) ||
    (listing.state === 'live' && AUTHOR_ROLES.includes(principal.role))
  );
}

/** The listing, after checking that it exists (404) and that `principal` may upload to it (403). */
export async function authorizeCredentialUpload(
  db: Queryable,
  listingId: string,
  principal: Principal,
): Promise<ListingForFiles> {
  const listing = await findListing(db, listingId);
  if (listing === null) {
    throw notFound('Listing');
  }
  if (!mayUploadCredential(principal, listing)) {
    throw forbidden('You may not add files to this listing in its current state', {
      state: listing.state,
    });
  }
  // A collaborator edits (and so adds files to) only the drafts its owner invited it to.
  if (
    principal.role === 'collaborator' &&
    !(await isInvitedCollaborator(db, listing.id, principal.id))
  ) {
    throw forbidden('Only collaborators invited to this draft may add files to it', {
      reason: 'NOT_INVITED',
    });
  }
  return listing;
}

/** A stored file as the download route needs it, whichever table it lives in. */
export type DownloadableFile =
  | {
      readonly kind: 'credential';
      readonly id: string;
      readonly institutionId: string;
      readonly sha256: string;
      readonly mimeType: string;
      readonly sizeBytes: number;
      readonly originalName: string;
      readonly storageKey: string;
    }
  | {
      readonly kind: 'homework';
      readonly id: string;
      readonly sha256: string;
      readonly mimeType: string;
      readonly sizeBytes: number;
      readonly originalName: string;
      readonly storageKey: string;
    };

interface DownloadRow {
  id: string;
  sha256: string;
  mime_type: string;
  size_bytes: number;
  original_name: string;
  storage_key: string;
}

/** The credential file or homework file with this id, or null. */
export async function findDownloadableFile(
  db: Queryable,
  fileId: string,
): Promise<DownloadableFile | null> {
  if (!UUID_SYNTAX.test(fileId)) {
    return null;
  }
  const columns = 'id, sha256, mime_type, size_bytes, original_name, storage_key';
  const [credential] = await db.query<DownloadRow & { institution_id: string }>(
    `SELECT ${columns}, institution_id FROM credential_files WHERE id = $1`,
    [fileId],
  );
  const common = (row: DownloadRow) => ({
    id: row.id,
    sha256: row.sha256,
    mimeType: row.mime_type,
    sizeBytes: row.size_bytes,
    originalName: row.original_name,
    storageKey: row.storage_key,
  });
  if (credential !== undefined) {
    return { kind: 'credential', institutionId: credential.institution_id, ...common(credential) };
  }
  const [homework] = await db.query<DownloadRow>(
    `SELECT ${columns} FROM homework_files WHERE id = $1`,
    [fileId],
  );
  return homework === undefined ? null : { kind: 'homework', ...common(homework) };
}

const CREDENTIAL_READERS: readonly Role[] = ['reviewer', 'ops_manager', 'assistant'];
const HOMEWORK_READERS: readonly Role[] = ['ta', 'mentor', 'ops_manager'];

/**
 * Credential files: reviewers, ops managers, assistants, and members of the listing's
 * institution. Homework screenshots: TAs, mentors and ops managers.
 */
export function mayReadFile(principal: Principal, file: DownloadableFile): boolean {
  if (file.kind === 'homework') {
    return HOMEWORK_READERS.includes(principal.role);
  }
  return (
    CREDENTIAL_READERS.includes(principal.role) ||
    (principal.institutionId !== null && principal.institutionId === file.institutionId)
  );
}

// ── Storing ─────────────────────────────────────────────────────────────────────────────────

/** The sniffed type of `bytes`, or the 400/415 to answer. */
async function acceptBytes(bytes: Uint8Array): Promise<SniffAccepted> {
  const sniffed = await sniffFileType(bytes);
  if (sniffed.ok) {
    return sniffed;
  }
  if (sniffed.code === 'EMPTY_FILE') {
    throw badRequest('EMPTY_FILE', 'The file is empty');
  }
  throw new HttpError(
    415,
    'UNSUPPORTED_TYPE',
    'Only PDF, JPEG, PNG and WebP files can be uploaded; the content of this file is something else',
    { detected: sniffed.detected },
  );
}

export interface NewCredentialFile {
  readonly listingId: string;
  readonly uploader: Principal;
  readonly bytes: Uint8Array;
  /** The name the uploader's file had; only sanitised and stored for display. */
  readonly originalName: string;
}

/**
 * Stores a credential file of a listing. Throws `HttpError`s: 404 for an unknown listing, 403
 * when the uploader may not add files to it (see {@link mayUploadCredential}), 400 `EMPTY_FILE`,
 * 415 `UNSUPPORTED_TYPE` with `details.detected`. The same bytes uploaded again to the same
 * listing return the existing row (`created: false`), keeping its first original name.
 */
export async function storeCredentialFile(
  ctx: ServerContext,
  input: NewCredentialFile,
): Promise<StoreResult<CredentialFileJson>> {
  const { listingId, uploader, bytes } = input;
  const listing = await authorizeCredentialUpload(ctx.db, listingId, uploader);
  const sniffed = await acceptBytes(bytes);
  const { extensionMismatch } = checkDeclaredType(input.originalName, sniffed);
  const sha256 = sha256Hex(bytes);

  const existing = await findCredentialFile(ctx.db, listing.id, sha256);
  if (existing !== null) {
    return { file: existing, created: false, extensionMismatch };
  }

  const storageKey = credentialFileKey(listing.institutionId, listing.id, sha256);
  await ctx.storage.put(storageKey, bytes);

  const originalName = sanitizeOriginalName(input.originalName, EXTENSION_OF[sniffed.mimeType]);
  return ctx.db.transaction(async (tx) => {
    // The version first: every writer of mirrored rows (listing state changes included) takes
    // it, so from here on the listing's state cannot change under us until we commit.
    const version = await nextSpaceVersion(tx);
    const current = await authorizeCredentialUpload(tx, listing.id, uploader);
    const [inserted] = await tx.query<CredentialFileRow>(
      `INSERT INTO credential_files (id, listing_id, institution_id, sha256, mime_type, size_bytes,
                                     original_name, storage_key, uploaded_by, created_at, row_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (listing_id, sha256) DO NOTHING
       RETURNING ${CREDENTIAL_COLUMNS}`,
      [
        randomUUID(),
        current.id,
        current.institutionId,
        sha256,
        sniffed.mimeType,
        bytes.length,
        originalName,
        storageKey,
        uploader.id,
        new Date(ctx.clock.now()).toISOString(),
        version,
      ],
    );
    if (inserted !== undefined) {
      return { file: credentialJson(inserted), created: true, extensionMismatch };
    }
    // A concurrent upload of the same bytes won the race; its row is committed by now.
    const raced = await findCredentialFile(tx, current.id, sha256);
    if (raced === null) {
      throw new Error(`credential file ${sha256} of listing ${current.id} vanished`);
    }
    return { file: raced, created: false, extensionMismatch };
  });
}

async function findCredentialFile(
  db: Queryable,
  listingId: string,
  sha256: string,
): Promise<CredentialFileJson | null> {
  const [row] = await db.query<CredentialFileRow>(
    `SELECT ${CREDENTIAL_COLUMNS} FROM credential_files WHERE listing_id = $1 AND sha256 = $2`,
    [listingId, sha256],
  );
  return row === undefined ? null : credentialJson(row);
}

/** The credential files of a listing, oldest first. */
export async function listCredentialFiles(
  db: Queryable,
  listingId: string,
): Promise<CredentialFileJson[]> {
  const rows = await db.query<CredentialFileRow>(
    `SELECT ${CREDENTIAL_COLUMNS} FROM credential_files WHERE listing_id = $1
      ORDER BY created_at, id`,
    [listingId],
  );
  return rows.map(credentialJson);
}

export interface NewHomeworkFile {
  readonly submissionId: string;
  readonly bytes: Uint8Array;
  readonly originalName: string;
  /** Who attaches it: audited when a screenshot adds an evidence version after a grade. */
  readonly uploader?: Principal;
}

/**
 * Stores a screenshot of a homework submission: JPEG, PNG or WebP only (a PDF is a 415 here).
 * Throws 404 for an unknown submission. Who may attach screenshots is the caller's check.
 * The file row, the submission's list of screenshots and its evidence snapshot change together
 * under a new space version (`attachScreenshotEvidence`: before the first grade the current
 * evidence version is amended in place, afterwards a new version is added).
 */
export async function storeHomeworkFile(
  ctx: ServerContext,
  input: NewHomeworkFile,
): Promise<StoreResult<HomeworkFileJson>> {
  const { submissionId, bytes } = input;
  if (!UUID_SYNTAX.test(submissionId)) {
    throw notFound('Homework submission');
  }
  const [submission] = await ctx.db.query<{ id: string }>(
    'SELECT id FROM homework_submissions WHERE id = $1',
    [submissionId],
  );
  if (submission === undefined) {
    throw notFound('Homework submission');
  }
  const sniffed = await acceptBytes(bytes);
  if (!isImageType(sniffed.mimeType)) {
    throw new HttpError(
      415,
      'UNSUPPORTED_TYPE',
      'Homework screenshots must be JPEG, PNG or WebP images',
      { detected: sniffed.mimeType },
    );
  }
  const { extensionMismatch } = checkDeclaredType(input.originalName, sniffed);
  const sha256 = sha256Hex(bytes);

  const existing = await findHomeworkFile(ctx.db, submission.id, sha256);
  if (existing !== null) {
    return { file: existing, created: false, extensionMismatch };
  }

  const storageKey = homeworkFileKey(submission.id, sha256);
  await ctx.storage.put(storageKey, bytes);

  const originalName = sanitizeOriginalName(input.originalName, EXTENSION_OF[sniffed.mimeType]);
  // The row, the submission's list of screenshots and its evidence change together, with a new
  // sync version, so the TAs' workstations see the screenshot on their next pull.
  const now = ctx.clock.now();
  const { row: inserted, version } = await ctx.db.transaction(async (tx) => {
    const scope =
      input.uploader === undefined
        ? null
        : createWorkScope({ tx, principal: input.uploader, now, config: ctx.config });
    const rowVersion = scope === null ? await nextSpaceVersion(tx) : await scope.version();
    const [row] = await tx.query<HomeworkFileRow>(
      `INSERT INTO homework_files (id, submission_id, sha256, mime_type, size_bytes, original_name,
                                   storage_key, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (submission_id, sha256) DO NOTHING
       RETURNING ${HOMEWORK_COLUMNS}`,
      [
        randomUUID(),
        submission.id,
        sha256,
        sniffed.mimeType,
        bytes.length,
        originalName,
        storageKey,
        new Date(now).toISOString(),
      ],
    );
    if (row !== undefined) {
      await attachScreenshotEvidence(tx, {
        submissionId: submission.id,
        fileId: row.id,
        sha256,
        nowIso: new Date(now).toISOString(),
        rowVersion,
        audit: scope === null ? null : (event) => scope.audit(event),
      });
    }
    return { row, version: rowVersion };
  });
  if (inserted !== undefined) {
    ctx.hints.notify(version);
    return { file: homeworkJson(inserted), created: true, extensionMismatch };
  }
  const raced = await findHomeworkFile(ctx.db, submission.id, sha256);
  if (raced === null) {
    throw new Error(`homework file ${sha256} of submission ${submission.id} vanished`);
  }
  return { file: raced, created: false, extensionMismatch };
}

async function findHomeworkFile(
  db: Queryable,
  submissionId: string,
  sha256: string,
): Promise<HomeworkFileJson | null> {
  const [row] = await db.query<HomeworkFileRow>(
    `SELECT ${HOMEWORK_COLUMNS} FROM homework_files WHERE submission_id = $1 AND sha256 = $2`,
    [submissionId, sha256],
  );
  return row === undefined ? null : homeworkJson(row);
}
