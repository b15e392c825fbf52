import multipart, { type Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maySee, redactForViewer } from '#shared/domain/redaction';
import type { Principal } from '../auth/principal';
import { requirePrincipal } from '../auth/principal';
import type { ServerContext } from '../context';
import { badRequest, forbidden, HttpError, notFound, type ErrorBody } from '../http/errors';
import {
  authorizeCredentialUpload,
  type DownloadableFile,
  findDownloadableFile,
  mayReadFile,
  storeCredentialFile,
  storeHomeworkFile,
} from './service';
import { HOMEWORK_INTAKE_ROLES } from '../review/kinds/homework';
import { ACCEPTED_MIME_TYPES } from './sniff';

/**
 * Credential file upload (`POST /api/v1/listings/:id/files`, multipart, one file in the field
 * `file`) and download (`GET /api/v1/files/:fileId`, with conditional and ranged requests).
 *
 * Range decisions (RFC 9110 §14): one range `bytes=a-b`, `bytes=a-` or `bytes=-n` is served as a
 * 206; a range that starts past the end, `bytes=-0` and a syntactically broken `bytes=` value
 * (`bytes=5-3`, `bytes=abc`) are a 416 whose Content-Range gives the size (`bytes *` + `/size`).
 * Several ranges (`bytes=0-1,5-6`) are answered with the whole file as a 200 — ignoring Range is
 * always allowed and nobody here needs multipart/byteranges. A unit other than `bytes`, and a Range whose
 * `If-Range` does not match the ETag, are ignored the same way (200 with everything).
 */

const UPLOAD_FIELD = 'file';

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const uploadResponse = z.object({
  id: z.guid(),
  listingId: z.guid(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  mimeType: z.enum(ACCEPTED_MIME_TYPES),
  sizeBytes: z.number().int().positive(),
  originalName: z.string(),
  createdAt: z.string(),
  extensionMismatch: z
    .boolean()
    .describe('The file name’s extension disagrees with the type found in its content'),
});

// Any 8-4-4-4-12 hex id (what PostgreSQL's uuid accepts), not only RFC 9562 versions/variants.
const listingParams = z.object({ id: z.guid() });
const fileParams = z.object({ fileId: z.guid() });

// ── Multipart ──────────────────────────────────────────────────────────────────────────────

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;

/** The HTTP error for a failure while reading the multipart body. */
function multipartError(error: unknown, limitBytes: number): unknown {
  if (error instanceof HttpError) {
    return error;
  }
  switch (codeOf(error) ?? '') {
    case 'FST_REQ_FILE_TOO_LARGE':
      return fileTooLarge(limitBytes);
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new HttpError(413, 'TOO_MANY_PARTS', 'Send exactly one file and at most 5 fields');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return badRequest('NO_FILE', 'Send the file as multipart/form-data in the field "file"');
    default:
      return badRequest('MALFORMED_MULTIPART', 'The multipart body could not be read');
  }
}

/** `25 MiB (26214400 bytes)`, or `1024 bytes` for a limit that is no whole number of MiB. */
const limitText = (bytes: number) =>
  bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB (${bytes} bytes)` : `${bytes} bytes`;

const fileTooLarge = (limitBytes: number) =>
  new HttpError(413, 'FILE_TOO_LARGE', `Files may be at most ${limitBytes} bytes`, {
    limitBytes,
  });

/**
 * Reads the one file of a multipart request into memory (at most `limitBytes`; the whole body is
 * read, so the parser's limit errors surface). Nothing is stored here.
 */
async function readUpload(
  parts: AsyncIterable<Multipart>,
  limitBytes: number,
): Promise<{ bytes: Buffer; filename: string }> {
  let upload: { bytes: Buffer; filename: string } | null = null;
  try {
    for await (const part of parts) {
      if (part.type !== 'file') {
        continue;
      }
      if (part.fieldname !== UPLOAD_FIELD || upload !== null) {
        throw badRequest('NO_FILE', 'Send exactly one file, in the form field "file"', {
          field: part.fieldname,
        });
      }
      const bytes = await part.toBuffer();
      // toBuffer throws on truncation already; a truncated stream must never be stored anyway.
      if (part.file.truncated || bytes.length > limitBytes) {
        throw fileTooLarge(limitBytes);
      }
      upload = { bytes, filename: part.filename };
    }
  } catch (error) {
    throw multipartError(error, limitBytes);
  }
  if (upload === null) {
    throw badRequest('NO_FILE', 'No file was sent: put it in the form field "file"');
  }
  return upload;
}

// ── Ranges and conditional requests ─────────────────────────────────────────────────────────

export type RangeDecision =
  | { readonly kind: 'full' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

/** What to send for a `Range` header on a representation of `size` bytes (see the module docs). */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) {
    return { kind: 'full' };
  }
  const unitMatch = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*=(.*)$/.exec(header);
  if (unitMatch === null) {
    return { kind: 'unsatisfiable' };
  }
  const [, unit = '', rest = ''] = unitMatch;
  if (unit.toLowerCase() !== 'bytes') {
    return { kind: 'full' };
  }
  const specs = rest
    .split(',')
    .map((spec) => spec.trim())
    .filter((spec) => spec !== '');
  if (specs.length === 0) {
    return { kind: 'unsatisfiable' };
  }
  const parsed = specs.map((spec) => parseRangeSpec(spec, size));
  if (parsed.some((one) => one === 'malformed')) {
    return { kind: 'unsatisfiable' };
  }
  if (parsed.length > 1) {
    return { kind: 'full' };
  }
  const [only] = parsed;
  return only === undefined || only === 'malformed' || only === 'unsatisfiable'
    ? { kind: 'unsatisfiable' }
    : { kind: 'partial', ...only };
}

function parseRangeSpec(
  spec: string,
  size: number,
): { start: number; end: number } | 'malformed' | 'unsatisfiable' {
  const suffix = /^-(\d{1,16})$/.exec(spec);
  if (suffix !== null) {
    const length = Number(suffix[1]);
    return length === 0 || size === 0
      ? 'unsatisfiable'
      : { start: Math.max(0, size - length), end: size - 1 };
  }
  const bounded = /^(\d{1,16})-(\d{0,16})$/.exec(spec);
  if (bounded === null) {
    return 'malformed';
  }
  const start = Number(bounded[1]);
  const end = bounded[2] === undefined || bounded[2] === '' ? null : Number(bounded[2]);
  if (end !== null && end < start) {
    return 'malformed';
  }
  if (start >= size) {
    return 'unsatisfiable';
  }
  return { start, end: end === null ? size - 1 : Math.min(end, size - 1) };
}

/** Whether an `If-None-Match` value matches `etag` (weak comparison, as RFC 9110 §13.1.2 asks). */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) {
    return false;
  }
  if (header.trim() === '*') {
    return true;
  }
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** `filename*` of Content-Disposition (RFC 6266 / RFC 8187): UTF-8, percent-encoded. */
export function contentDisposition(originalName: string): string {
  const encoded = encodeURIComponent(originalName).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename*=UTF-8''${encoded}`;
}

function sendRangeNotSatisfiable(reply: FastifyReply, size: number): FastifyReply {
  return reply
    .code(416)
    .header('Content-Range', `bytes */${size}`)
    .header('Content-Type', 'application/json; charset=utf-8')
    .send({
      error: {
        code: 'RANGE_NOT_SATISFIABLE',
        message: 'The requested byte range is malformed or outside the file',
        details: { size },
      },
    } satisfies ErrorBody);
}

// ── Redaction ───────────────────────────────────────────────────────────────────────────────

/**
 * Whether the redaction policy lets `principal` have the file at all: a credential file is
 * licence data from its first byte to its last, so reading it needs `licence_identity` (the same
 * rule as `mayReadFile`, checked again so that the two can never drift apart silently).
 */
function policyAllowsBytes(principal: Principal, file: DownloadableFile): boolean {
  return file.kind !== 'credential' || maySee('licence_identity', principal, file.institutionId);
}

/** The file name as `principal` may see it (a screenshot's name may carry a phone number). */
function shownFileName(principal: Principal, file: DownloadableFile): string {
  const shown =
    file.kind === 'credential'
      ? redactForViewer(
          'credential_files',
          { originalName: file.originalName },
          principal,
          file.institutionId,
        )
      : redactForViewer('homework_files', { originalName: file.originalName }, principal, null);
  // A hidden value is null whatever the record's type says; hidden only for someone
  // `policyAllowsBytes` already refused.
  const name: unknown = shown.originalName;
  return typeof name === 'string' ? name : 'file';
}

// ── Routes ────────────────────────────────────────────────────────────────────────────────────

export async function registerFileRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const limitBytes = ctx.config.maxUploadBytes;

  await app.register(async (scope) => {
    // Only this plugin parses multipart bodies; the rest of the API stays JSON-only.
    await scope.register(multipart, {
      limits: { fileSize: limitBytes, files: 1, fields: 5 },
      throwFileSizeLimit: true,
    });
    const typed = scope.withTypeProvider<ZodTypeProvider>();

    typed.post(
      '/api/v1/listings/:id/files',
      {
        // Checked in the handler so that a bad id is a 400 INVALID_ID, after authentication.
        attachValidation: true,
        schema: {
          summary: 'Upload a credential file to a listing',
          description:
            'multipart/form-data with one file in the field `file`: PDF, JPEG, PNG or WebP, ' +
            'decided from the content, at most 25 MiB. The same bytes uploaded again to the same ' +
            'listing return the existing file with 200 instead of 201.',
          tags: ['files'],
          consumes: ['multipart/form-data'],
          params: listingParams,
          response: {
            200: uploadResponse,
            201: uploadResponse,
            400: errorBody,
            401: errorBody,
            403: errorBody,
            404: errorBody,
            413: errorBody,
            415: errorBody,
          },
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        if (request.validationError !== undefined) {
          throw badRequest('INVALID_ID', 'The listing id is not a UUID');
        }
        const listingId = request.params.id;
        // Fail before reading up to 25 MiB for someone who may not upload anyway.
        await authorizeCredentialUpload(ctx.db, listingId, principal);
        const upload = await readUpload(request.parts(), limitBytes);
        const stored = await storeCredentialFile(ctx, {
          listingId,
          uploader: principal,
          bytes: upload.bytes,
          originalName: upload.filename,
        });
        // No redaction: only a member of the listing's institution or an assistant may upload,
        // and both see the listing's licence data in full (`maySee('licence_identity', …)`).
        return reply
          .code(stored.created ? 201 : 200)
          .send({ ...stored.file, extensionMismatch: stored.extensionMismatch });
      },
    );

    typed.post(
      '/api/v1/homework/:id/files',
      {
        attachValidation: true,
        schema: {
          summary: 'Attach a screenshot to a homework submission',
          description:
            'multipart/form-data with one image in the field `file` (JPEG, PNG or WebP, decided ' +
            'from the content; anything else is a 415), at most 25 MiB (413). Filed by the course ' +
            'operations team, like the submission itself. Before the first grade the screenshot ' +
            'amends the current evidence version; after it, it adds an evidence version.',
          tags: ['files'],
          consumes: ['multipart/form-data'],
          params: listingParams,
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        if (request.validationError !== undefined) {
          throw badRequest('INVALID_ID', 'The submission id is not a UUID');
        }
        if (!HOMEWORK_INTAKE_ROLES.has(principal.role)) {
          throw forbidden('Only the course operations team attaches homework screenshots');
        }
        const upload = await readUpload(request.parts(), limitBytes).catch((error: unknown) => {
          if (error instanceof HttpError && error.code === 'FILE_TOO_LARGE') {
            throw new HttpError(
              413,
              'FILE_TOO_LARGE',
              `Screenshots may be at most ${limitText(limitBytes)}; this one is larger. Nothing was stored`,
              { limitBytes },
            );
          }
          throw error;
        });
        const stored = await storeHomeworkFile(ctx, {
          submissionId: request.params.id,
          bytes: upload.bytes,
          originalName: upload.filename,
          uploader: principal,
        });
        return reply.code(stored.created ? 201 : 200).send({
          ...redactForViewer('homework_files', stored.file, principal, null),
          extensionMismatch: stored.extensionMismatch,
        });
      },
    );

    typed.get(
      '/api/v1/files/:fileId',
      {
        attachValidation: true,
        schema: {
          summary: 'Download a credential file or homework screenshot',
          description:
            'Sends the bytes with their sniffed type. Supports `If-None-Match` (304) and one ' +
            '`Range` (206); a range outside the file is a 416. Several ranges get the whole file.',
          tags: ['files'],
          params: fileParams,
        },
      },
      async (request, reply) => {
        const principal = requirePrincipal(request);
        if (request.validationError !== undefined) {
          throw badRequest('INVALID_ID', 'The file id is not a UUID');
        }
        const file = await findDownloadableFile(ctx.db, request.params.fileId);
        if (file === null) {
          throw notFound('File');
        }
        if (!mayReadFile(principal, file) || !policyAllowsBytes(principal, file)) {
          throw forbidden('You may not read this file');
        }

        const etag = `"${file.sha256}"`;
        void reply
          .header('ETag', etag)
          .header('Accept-Ranges', 'bytes')
          .header('X-Content-Type-Options', 'nosniff');
        const cacheControl = 'private, max-age=31536000, immutable';
        if (noneMatchHits(request.headers['if-none-match'], etag)) {
          return reply.code(304).header('Cache-Control', cacheControl).send();
        }

        const size = await ctx.storage.size(file.storageKey);
        if (size === null) {
          request.log.error({ fileId: file.id, key: file.storageKey }, 'stored file bytes missing');
          throw new HttpError(500, 'FILE_BYTES_MISSING', 'The bytes of this file are missing');
        }

        const ifRange = request.headers['if-range'];
        const range =
          ifRange === undefined || (typeof ifRange === 'string' && ifRange.trim() === etag)
            ? decideRange(request.headers.range, size)
            : ({ kind: 'full' } as const);
        if (range.kind === 'unsatisfiable') {
          return sendRangeNotSatisfiable(reply, size);
        }

        void reply
          .header('Content-Type', file.mimeType)
          .header('Content-Disposition', contentDisposition(shownFileName(principal, file)))
          .header('Cache-Control', cacheControl);
        if (range.kind === 'partial') {
          return reply
            .code(206)
            .header('Content-Range', `bytes ${range.start}-${range.end}/${size}`)
            .header('Content-Length', range.end - range.start + 1)
            .send(ctx.storage.read(file.storageKey, { start: range.start, end: range.end }));
        }
        return reply
          .code(200)
          .header('Content-Length', size)
          .send(ctx.storage.read(file.storageKey));
      },
    );
  });
}
