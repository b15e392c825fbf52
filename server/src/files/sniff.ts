import { fileTypeFromBuffer } from 'file-type';

/**
 * What an uploaded file really is, decided from its bytes only (magic numbers, via `file-type`),
 * never from its name or the Content-Type the client declared: a `.pdf` that is a ZIP or an HTML
 * page, or an `.exe` renamed `.jpg`, is refused whatever it claims to be.
 */

/** The types credential files may have (the `credential_files.mime_type` CHECK). */
export const ACCEPTED_MIME_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/webp',
] as const;
export type AcceptedMimeType = (typeof ACCEPTED_MIME_TYPES)[number];

/** The image types homework screenshots may have. */
export const IMAGE_MIME_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
] as const satisfies readonly AcceptedMimeType[];

/** Canonical extension per accepted type. */
export const EXTENSION_OF: Readonly<Record<AcceptedMimeType, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** Extensions people really give each accepted type (lower case, without the dot). */
const EXTENSIONS_FOR: Readonly<Record<AcceptedMimeType, readonly string[]>> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif', 'pjpeg', 'pjp'],
  'image/png': ['png'],
  'image/webp': ['webp'],
};

export interface SniffAccepted {
  readonly ok: true;
  readonly mimeType: AcceptedMimeType;
  /** Canonical extension without the dot: `pdf`, `jpg`, `png`, `webp`. */
  readonly extension: string;
}

export interface SniffRejected {
  readonly ok: false;
  readonly code: 'UNSUPPORTED_TYPE' | 'EMPTY_FILE';
  /** What the bytes look like (a MIME type), or null when nothing recognisable was found. */
  readonly detected: string | null;
}

export type SniffResult = SniffAccepted | SniffRejected;

/** Detected subtypes that are the accepted type for every viewer: an animated PNG is a PNG. */
const ALIASES: Readonly<Record<string, AcceptedMimeType>> = { 'image/apng': 'image/png' };

const isAccepted = (mime: string): mime is AcceptedMimeType =>
  (ACCEPTED_MIME_TYPES as readonly string[]).includes(mime);

/** How many leading bytes the text heuristics look at. */
const TEXT_PROBE_BYTES = 4096;

/**
 * A best guess for text formats `file-type` does not detect (it only knows binary signatures),
 * used only to tell the uploader what they sent; nothing is ever accepted because of it.
 */
function guessTextType(bytes: Uint8Array): string | null {
  const probe = bytes.subarray(0, TEXT_PROBE_BYTES);
  if (probe.includes(0)) {
    return null;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(probe, {
      stream: probe.length < bytes.length,
    });
  } catch {
    return null;
  }
  const head = text.trimStart().slice(0, 512).toLowerCase();
  if (head.startsWith('<!doctype html') || /<(html|head|body|script|iframe)[\s>]/.test(head)) {
    return 'text/html';
  }
  if (head.includes('<svg')) {
    return 'image/svg+xml';
  }
  if (head.startsWith('<?xml')) {
    return 'application/xml';
  }
  return 'text/plain';
}

/** Sniffs `bytes` and says whether they are a PDF, JPEG, PNG or WebP. */
export async function sniffFileType(bytes: Uint8Array): Promise<SniffResult> {
  if (bytes.length === 0) {
    return { ok: false, code: 'EMPTY_FILE', detected: null };
  }
  const found = await fileTypeFromBuffer(bytes);
  if (found === undefined) {
    return { ok: false, code: 'UNSUPPORTED_TYPE', detected: guessTextType(bytes) };
  }
  const mime = ALIASES[found.mime] ?? found.mime;
  if (!isAccepted(mime)) {
    return { ok: false, code: 'UNSUPPORTED_TYPE', detected: found.mime };
  }
  return { ok: true, mimeType: mime, extension: EXTENSION_OF[mime] };
}

/** Whether the sniffed type is one homework screenshots may have (JPEG, PNG, WebP). */
export function isImageType(mimeType: AcceptedMimeType): boolean {
  return (IMAGE_MIME_TYPES as readonly string[]).includes(mimeType);
}

/** The lower-case extension of a file name (after the last dot of its last path segment), or null. */
export function extensionOf(name: string): string | null {
  const base = name.split(/[/\\]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) {
    return null;
  }
  return base.slice(dot + 1).toLowerCase();
}

/**
 * Whether the declared file name's extension disagrees with what the bytes are (a PNG called
 * `scan.pdf`). Worth a warning in the response, not a refusal: the bytes decide the type. A name
 * without an extension disagrees with nothing.
 */
export function checkDeclaredType(
  declaredName: string,
  sniffed: Pick<SniffAccepted, 'mimeType'>,
): { readonly extensionMismatch: boolean; readonly declaredExtension: string | null } {
  const declaredExtension = extensionOf(declaredName.trim());
  return {
    declaredExtension,
    extensionMismatch:
      declaredExtension !== null && !EXTENSIONS_FOR[sniffed.mimeType].includes(declaredExtension),
  };
}
