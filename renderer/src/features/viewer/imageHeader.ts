/**
 * Image dimensions read from the first bytes of a file, without decoding it: a credential scan
 * of 100 megapixels would take gigabytes to decode, so the viewer reads the header first and
 * refuses images above {@link IMAGE_PIXEL_BUDGET}.
 *
 * Formats: PNG (IHDR), JPEG (the first SOFn frame header, skipping APPn/EXIF segments) and WebP
 * (lossy `VP8 `, lossless `VP8L` and extended `VP8X` canvases), the image types a credential may
 * have (`CREDENTIAL_MIME_TYPES`).
 */

/** Largest image the viewer decodes: 40 megapixels (160 MB as an RGBA bitmap). */
export const IMAGE_PIXEL_BUDGET = 40_000_000;

/**
 * Bytes read for the header. JPEG headers can sit behind large EXIF/ICC segments (each at most
 * 64 KiB, usually a few); 1 MiB is far more than any real file needs.
 */
export const IMAGE_HEADER_BYTES = 1024 * 1024;

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ImageDimensions {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
}

export type ImageHeader =
  | ({ readonly kind: 'dimensions' } & ImageDimensions)
  /** A known format whose header is cut short or broken. */
  | { readonly kind: 'broken'; readonly format: ImageFormat }
  /** Not a PNG, JPEG or WebP file. */
  | { readonly kind: 'unknown' };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((byte, index) => bytes[at + index] === byte);

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

const u16be = (bytes: Uint8Array, at: number) => ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
const u16le = (bytes: Uint8Array, at: number) => (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
const u24le = (bytes: Uint8Array, at: number) =>
  (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16);
const u32be = (bytes: Uint8Array, at: number) =>
  ((bytes[at] ?? 0) * 0x1000000 +
    (((bytes[at + 1] ?? 0) << 16) | ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0))) >>>
  0;

function dimensions(format: ImageFormat, width: number, height: number): ImageHeader {
  return width > 0 && height > 0
    ? { kind: 'dimensions', format, width, height }
    : { kind: 'broken', format };
}

function png(bytes: Uint8Array): ImageHeader {
  // Signature (8), chunk length (4), "IHDR" (4), width (4), height (4).
  if (bytes.length < 24 || ascii(bytes, 12, 4) !== 'IHDR') {
    return { kind: 'broken', format: 'png' };
  }
  return dimensions('png', u32be(bytes, 16), u32be(bytes, 20));
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic), not DHT/JPG/DAC. */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function jpeg(bytes: Uint8Array): ImageHeader {
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) {
      return { kind: 'broken', format: 'jpeg' };
    }
    // Any number of 0xFF fill bytes may precede a marker.
    while (bytes[at] === 0xff) {
      at += 1;
    }
    const marker = bytes[at];
    at += 1;
    if (marker === undefined) {
      break;
    }
    // Markers without a length: TEM, RSTn, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) {
      // End of image, or start of scan before any frame header: no dimensions to be had.
      return { kind: 'broken', format: 'jpeg' };
    }
    if (at + 2 > bytes.length) {
      break;
    }
    const length = u16be(bytes, at);
    if (length < 2) {
      return { kind: 'broken', format: 'jpeg' };
    }
    if (isStartOfFrame(marker)) {
      if (at + 7 > bytes.length) {
        break;
      }
      // Length (2), precision (1), height (2), width (2).
      return dimensions('jpeg', u16be(bytes, at + 5), u16be(bytes, at + 3));
    }
    at += length;
  }
  return { kind: 'broken', format: 'jpeg' };
}

function webp(bytes: Uint8Array): ImageHeader {
  if (bytes.length < 30) {
    return { kind: 'broken', format: 'webp' };
  }
  const chunk = ascii(bytes, 12, 4);
  switch (chunk) {
    case 'VP8 ':
      // Frame tag (3 bytes at 20), start code 9D 01 2A, then 14-bit width and height.
      if (!startsWith(bytes, [0x9d, 0x01, 0x2a], 23)) {
        return { kind: 'broken', format: 'webp' };
      }
      return dimensions('webp', u16le(bytes, 26) & 0x3fff, u16le(bytes, 28) & 0x3fff);
    case 'VP8L': {
      if (bytes[20] !== 0x2f) {
        return { kind: 'broken', format: 'webp' };
      }
      const bits =
        ((bytes[21] ?? 0) |
          ((bytes[22] ?? 0) << 8) |
          ((bytes[23] ?? 0) << 16) |
          ((bytes[24] ?? 0) << 24)) >>>
        0;
      return dimensions('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    case 'VP8X':
      // Flags (1), reserved (3), canvas width − 1 (3), canvas height − 1 (3).
      return dimensions('webp', u24le(bytes, 24) + 1, u24le(bytes, 27) + 1);
    default:
      return { kind: 'broken', format: 'webp' };
  }
}

/** Reads the dimensions from the first bytes of an image (see the module comment). */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (startsWith(bytes, PNG_SIGNATURE)) {
    return png(bytes);
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    return jpeg(bytes);
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    return webp(bytes);
  }
  return { kind: 'unknown' };
}

/** Reads the header of a blob (its first {@link IMAGE_HEADER_BYTES} only). */
export async function readBlobImageHeader(blob: Blob): Promise<ImageHeader> {
  const head = blob.slice(0, Math.min(blob.size, IMAGE_HEADER_BYTES));
  return readImageHeader(new Uint8Array(await head.arrayBuffer()));
}

/** Whether an image of these dimensions is too large to decode. */
export function exceedsPixelBudget(
  size: { readonly width: number; readonly height: number },
  budget = IMAGE_PIXEL_BUDGET,
): boolean {
  return size.width * size.height > budget;
}
