import { describe, expect, it } from 'vitest';
import {
  exceedsPixelBudget,
  readBlobImageHeader,
  readImageHeader,
} from '../../../../renderer/src/features/viewer/imageHeader';

const be32 = (value: number) => [
  value >>> 24,
  (value >>> 16) & 255,
  (value >>> 8) & 255,
  value & 255,
];
const be16 = (value: number) => [value >>> 8, value & 255];
const le16 = (value: number) => [value & 255, value >>> 8];
const ascii = (text: string) => Array.from(text, (char) => char.charCodeAt(0));

function pngHeader(width: number, height: number): Uint8Array {
  return Uint8Array.from([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...be32(13),
    ...ascii('IHDR'),
    ...be32(width),
    ...be32(height),
    8,
    6,
    0,
    0,
    0,
  ]);
}

/** A JPEG start: SOI, an APP1 (EXIF) segment of `exifBytes`, then a baseline SOF0 frame header. */
function jpegHeader(width: number, height: number, exifBytes = 100): Uint8Array {
  return Uint8Array.from([
    0xff,
    0xd8,
    0xff,
    0xe1,
    ...be16(exifBytes + 2),
    ...new Array<number>(exifBytes).fill(0),
    0xff,
    0xc0,
    ...be16(17),
    8,
    ...be16(height),
    ...be16(width),
    3,
  ]);
}

function webpLossyHeader(width: number, height: number): Uint8Array {
  return Uint8Array.from([
    ...ascii('RIFF'),
    0,
    0,
    0,
    0,
    ...ascii('WEBP'),
    ...ascii('VP8 '),
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0x9d,
    0x01,
    0x2a,
    ...le16(width),
    ...le16(height),
  ]);
}

describe('image headers', () => {
  it('reads the dimensions of PNG, JPEG (behind EXIF) and WebP without decoding', () => {
    expect(readImageHeader(pngHeader(1600, 1131))).toEqual({
      kind: 'dimensions',
      format: 'png',
      width: 1600,
      height: 1131,
    });
    expect(readImageHeader(jpegHeader(4000, 3000, 30_000))).toMatchObject({
      format: 'jpeg',
      width: 4000,
      height: 3000,
    });
    expect(readImageHeader(webpLossyHeader(800, 600))).toMatchObject({
      format: 'webp',
      width: 800,
      height: 600,
    });
  });

  it('refuses a 100-megapixel scan before decoding it, and accepts a normal one', async () => {
    const huge = readImageHeader(pngHeader(10_000, 10_000));
    expect(huge.kind).toBe('dimensions');
    expect(huge.kind === 'dimensions' && exceedsPixelBudget(huge)).toBe(true);
    const normal = readImageHeader(jpegHeader(2480, 3508));
    expect(normal.kind === 'dimensions' && exceedsPixelBudget(normal)).toBe(false);
    // Only the header is read, however large the blob claims to be.
    const blob = new Blob([jpegHeader(12_000, 9_000).slice(), new Uint8Array(2 * 1024 * 1024)]);
    const header = await readBlobImageHeader(blob);
    expect(header.kind === 'dimensions' && exceedsPixelBudget(header)).toBe(true);
  });

  it('says when a header is cut short or the bytes are no image at all', () => {
    expect(readImageHeader(pngHeader(100, 100).subarray(0, 20))).toEqual({
      kind: 'broken',
      format: 'png',
    });
    expect(readImageHeader(jpegHeader(100, 100).subarray(0, 110))).toEqual({
      kind: 'broken',
      format: 'jpeg',
    });
    expect(readImageHeader(pngHeader(0, 100))).toEqual({ kind: 'broken', format: 'png' });
    expect(readImageHeader(new TextEncoder().encode('%PDF-1.7\n'))).toEqual({ kind: 'unknown' });
    expect(readImageHeader(new Uint8Array())).toEqual({ kind: 'unknown' });
  });
});
