import type { LocalizedText } from '../i18n/localized';
import { OcrError, type OcrFileType, type OcrImageFileType } from './types';

/*
 * What a file is, from its first bytes (never from its name), and how large an image is, from
 * its header alone: a 100-megapixel PNG is refused before a single pixel is decoded.
 */

export type SniffResult =
  | { readonly supported: true; readonly type: OcrFileType }
  | { readonly supported: false; readonly detected: LocalizedText };

function startsWith(bytes: Uint8Array, signature: readonly number[], at = 0): boolean {
  return signature.every((byte, index) => bytes[at + index] === byte);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));
}

/** What some unsupported bytes look like, for the error message. */
function describeUnsupported(bytes: Uint8Array): LocalizedText {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return {
      'zh-CN': ' ZIP 压缩包（或 Office 文档）',
      en: 'a ZIP archive (or an Office document)',
    };
  }
  if (ascii(bytes, 0, 4) === 'GIF8') {
    return { 'zh-CN': ' GIF 图片', en: 'a GIF image' };
  }
  if (ascii(bytes, 0, 2) === 'BM') {
    return { 'zh-CN': ' BMP 图片', en: 'a BMP image' };
  }
  if (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*') {
    return { 'zh-CN': ' TIFF 图片', en: 'a TIFF image' };
  }
  if (ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    return /hei|hev|mif1|msf1|avif/.test(brand)
      ? { 'zh-CN': ' HEIC/AVIF 图片', en: 'a HEIC/AVIF image' }
      : { 'zh-CN': '视频文件', en: 'a video file' };
  }
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0])) {
    return { 'zh-CN': '旧版 Office 文档', en: 'a legacy Office document' };
  }
  const head = ascii(bytes, 0, 512).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) {
    return { 'zh-CN': ' HTML 网页', en: 'an HTML page' };
  }
  const sample = bytes.subarray(0, 512);
  const printable = sample.filter(
    (byte) => byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte !== 127),
  ).length;
  if (sample.length > 0 && printable / sample.length > 0.95) {
    return { 'zh-CN': '文本', en: 'text' };
  }
  return { 'zh-CN': '未知的二进制数据', en: 'unknown binary data' };
}

/** The type of a file from its bytes: PDF, JPEG, PNG or WebP, or a description of what it is. */
export function sniffFileType(bytes: Uint8Array): SniffResult {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { supported: true, type: 'png' };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    return { supported: true, type: 'jpeg' };
  }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') {
    return { supported: true, type: 'webp' };
  }
  // PDF readers accept the header anywhere in the first kilobyte.
  if (ascii(bytes, 0, 1024).includes('%PDF-')) {
    return { supported: true, type: 'pdf' };
  }
  return { supported: false, detected: describeUnsupported(bytes) };
}

const EXTENSION_TYPES: Readonly<Record<string, OcrFileType>> = {
  pdf: 'pdf',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  png: 'png',
  webp: 'webp',
};

/** The lower-case extension of a file name (without the dot), or undefined. */
export function extensionOf(name: string): string | undefined {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return match?.[1]?.toLowerCase();
}

/** The type a file name's extension promises, or undefined for other extensions. */
export function typeOfExtension(name: string): OcrFileType | undefined {
  const extension = extensionOf(name);
  return extension === undefined ? undefined : EXTENSION_TYPES[extension];
}

/** Whether a name ends in an extension the pipeline reads (for picking files in a folder). */
export function hasOcrExtension(name: string): boolean {
  return typeOfExtension(name) !== undefined;
}

export interface ImageDimensions {
  readonly width: number;
  readonly height: number;
}

function u16be(bytes: Uint8Array, at: number): number {
  return ((bytes[at] ?? 0) << 8) | (bytes[at + 1] ?? 0);
}
function u32be(bytes: Uint8Array, at: number): number {
  return u16be(bytes, at) * 65536 + u16be(bytes, at + 2);
}
function u16le(bytes: Uint8Array, at: number): number {
  return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
}
function u24le(bytes: Uint8Array, at: number): number {
  return u16le(bytes, at) | ((bytes[at + 2] ?? 0) << 16);
}

function corrupt(detail: string): OcrError {
  return new OcrError('CORRUPT_IMAGE', { detail });
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let bit = 0; bit < 8; bit += 1) {
    c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c >>> 0;
});

/** CRC-32 of `bytes[from..to)` as PNG chunks carry it. */
function crc32(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0xffffffff;
  for (let at = from; at < to; at += 1) {
    crc = (CRC_TABLE[(crc ^ (bytes[at] ?? 0)) & 0xff] ?? 0) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The PNG header, checked before any decoder sees the file: the native decoder of the CLI
 * (@napi-rs/canvas) crashes the whole process on a PNG whose header checksum is wrong or which
 * holds no image data at all, so both are refused here as CORRUPT_IMAGE. A PNG cut off inside
 * its image data is still handed on: decoders read what is there.
 */
function pngDimensions(bytes: Uint8Array): ImageDimensions {
  if (bytes.length < 33 || ascii(bytes, 12, 16) !== 'IHDR' || u32be(bytes, 8) !== 13) {
    throw corrupt('no PNG header');
  }
  if (crc32(bytes, 12, 29) !== u32be(bytes, 29)) {
    throw corrupt('the PNG header fails its checksum');
  }
  let hasImageData = false;
  for (let at = 33; at + 8 <= bytes.length;) {
    const length = u32be(bytes, at);
    const type = ascii(bytes, at + 4, at + 8);
    if (type === 'IDAT' && length > 0 && at + 8 < bytes.length) {
      hasImageData = true;
      break;
    }
    at += 12 + length;
  }
  if (!hasImageData) {
    throw corrupt('the PNG holds no image data');
  }
  return { width: u32be(bytes, 16), height: u32be(bytes, 20) };
}

/** Start-of-frame markers (baseline, progressive, lossless…), not DHT, JPG or DAC. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegDimensions(bytes: Uint8Array): ImageDimensions {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) {
      throw corrupt('broken JPEG marker structure');
    }
    let marker = bytes[at + 1] ?? 0;
    // Fill bytes: any number of 0xFF before a marker.
    while (marker === 0xff && at + 2 < bytes.length) {
      at += 1;
      marker = bytes[at + 1] ?? 0;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) {
      break;
    }
    const length = u16be(bytes, at + 2);
    if (length < 2) {
      throw corrupt('broken JPEG segment');
    }
    if (isStartOfFrame(marker)) {
      if (at + 9 > bytes.length) {
        break;
      }
      return { height: u16be(bytes, at + 5), width: u16be(bytes, at + 7) };
    }
    at += 2 + length;
  }
  throw corrupt('no JPEG frame header');
}

function webpDimensions(bytes: Uint8Array): ImageDimensions {
  const chunk = ascii(bytes, 12, 16);
  if (chunk === 'VP8 ' && bytes.length >= 30) {
    return { width: u16le(bytes, 26) & 0x3fff, height: u16le(bytes, 28) & 0x3fff };
  }
  if (chunk === 'VP8L' && bytes.length >= 25) {
    const b0 = bytes[21] ?? 0;
    const b1 = bytes[22] ?? 0;
    const b2 = bytes[23] ?? 0;
    const b3 = bytes[24] ?? 0;
    return {
      width: 1 + (((b1 & 0x3f) << 8) | b0),
      height: 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6)),
    };
  }
  if (chunk === 'VP8X' && bytes.length >= 30) {
    return { width: 1 + u24le(bytes, 24), height: 1 + u24le(bytes, 27) };
  }
  throw corrupt('no WebP frame header');
}

/**
 * Width and height from an image file's header, without decoding it. Throws `CORRUPT_IMAGE`
 * when the header cannot be read or announces an empty image.
 */
export function readImageDimensions(bytes: Uint8Array, type: OcrImageFileType): ImageDimensions {
  let dimensions: ImageDimensions;
  switch (type) {
    case 'png':
      dimensions = pngDimensions(bytes);
      break;
    case 'jpeg':
      dimensions = jpegDimensions(bytes);
      break;
    case 'webp':
      dimensions = webpDimensions(bytes);
      break;
  }
  if (dimensions.width === 0 || dimensions.height === 0) {
    throw corrupt('the header announces an empty image');
  }
  return dimensions;
}

// ---------------------------------------------------------------------------------------------
// Scanned PDF pages

/** The pdf.js operator codes {@link scannedImageScale} needs (`pdfjs.OPS` fits). */
export interface PdfOperatorCodes {
  readonly save: number;
  readonly restore: number;
  readonly transform: number;
  readonly paintImageXObject: number;
  readonly paintInlineImageXObject: number;
  readonly paintImageMaskXObject: number;
  readonly showText: number;
  readonly showSpacedText: number;
  readonly nextLineShowText: number;
  readonly nextLineSetSpacingShowText: number;
  readonly constructPath: number;
}

type Matrix = readonly [number, number, number, number, number, number];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

function isMatrix(value: unknown): value is Matrix {
  return (
    Array.isArray(value) &&
    value.length === 6 &&
    value.every((entry) => typeof entry === 'number' && Number.isFinite(entry))
  );
}

/**
 * For a page that is a scan — images and no text — the render scale (pixels per point) at which
 * its largest image comes out at its own resolution; undefined for pages with text or without
 * images. Reads a pdf.js operator list (`page.getOperatorList()`): tracks the transformation
 * matrix through save/restore/transform and measures where each image lands (an image fills the
 * unit square of the matrix it is painted with).
 */
export function scannedImageScale(
  fnArray: readonly number[],
  argsArray: readonly unknown[],
  ops: PdfOperatorCodes,
): number | undefined {
  const textOps = new Set([
    ops.showText,
    ops.showSpacedText,
    ops.nextLineShowText,
    ops.nextLineSetSpacingShowText,
  ]);
  let matrix: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  let best: { area: number; scale: number } | undefined;
  for (const [index, fn] of fnArray.entries()) {
    const args = argsArray[index];
    if (textOps.has(fn)) {
      return undefined;
    }
    if (fn === ops.save) {
      stack.push(matrix);
    } else if (fn === ops.restore) {
      matrix = stack.pop() ?? matrix;
    } else if (fn === ops.transform && isMatrix(args)) {
      matrix = multiply(matrix, args);
    } else if (fn === ops.paintImageXObject || fn === ops.paintInlineImageXObject) {
      const list = Array.isArray(args) ? (args as unknown[]) : [];
      // paintImageXObject: [objId, width, height]; inline images: [{width, height, …}].
      const inline = list[0] as { width?: unknown; height?: unknown } | undefined;
      const width = typeof list[1] === 'number' ? list[1] : inline?.width;
      const height = typeof list[2] === 'number' ? list[2] : inline?.height;
      if (typeof width !== 'number' || typeof height !== 'number') {
        continue;
      }
      const drawnWidth = Math.hypot(matrix[0], matrix[1]);
      const drawnHeight = Math.hypot(matrix[2], matrix[3]);
      const area = drawnWidth * drawnHeight;
      if (drawnWidth > 0 && drawnHeight > 0 && (best === undefined || area > best.area)) {
        best = { area, scale: Math.max(width / drawnWidth, height / drawnHeight) };
      }
    }
  }
  return best?.scale;
}
