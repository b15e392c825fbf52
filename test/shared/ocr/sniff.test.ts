import { describe, expect, it } from 'vitest';
import {
  OcrError,
  readImageDimensions,
  readTraineddata,
  scannedImageScale,
  sniffFileType,
  stripLegacyComponents,
  TESSDATA,
  typeOfExtension,
  writeTraineddata,
  type PdfOperatorCodes,
} from '../../../shared/ocr/index';
import { pngHeader } from './pngHeader';

const bytes = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => new TextEncoder().encode(text);

function jpeg(width: number, height: number): Uint8Array {
  // SOI, an APP0 segment, then SOF0 with height and width.
  // prettier-ignore
  return bytes(
    0xff, 0xd8,
    0xff, 0xe0, 0x00, 0x04, 0x00, 0x00,
    0xff, 0xc0, 0x00, 0x0b, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x01, 0x01, 0x11, 0x00,
  );
}

describe('sniffFileType', () => {
  it('tells PDF, JPEG, PNG and WebP from their bytes', () => {
    expect(sniffFileType(ascii('%PDF-1.7\n'))).toEqual({ supported: true, type: 'pdf' });
    expect(sniffFileType(ascii('\n\n%PDF-1.4'))).toEqual({ supported: true, type: 'pdf' });
    expect(sniffFileType(jpeg(10, 10))).toEqual({ supported: true, type: 'jpeg' });
    expect(sniffFileType(pngHeader(10, 10))).toEqual({ supported: true, type: 'png' });
    expect(sniffFileType(ascii('RIFF\0\0\0\0WEBPVP8 '))).toEqual({ supported: true, type: 'webp' });
  });

  it('describes what unsupported bytes look like', () => {
    const describe = (input: Uint8Array) => {
      const result = sniffFileType(input);
      return result.supported ? result.type : result.detected.en;
    };
    expect(describe(bytes(0x50, 0x4b, 0x03, 0x04, 1, 2))).toMatch(/ZIP/);
    expect(describe(ascii('GIF89a'))).toMatch(/GIF/);
    expect(describe(ascii('<!DOCTYPE html><html>'))).toMatch(/HTML/);
    expect(describe(ascii('just some notes'))).toBe('text');
    expect(describe(bytes(0, 1, 2, 3, 250, 251))).toBe('unknown binary data');
  });

  it('maps extensions', () => {
    expect(typeOfExtension('scan.JPG')).toBe('jpeg');
    expect(typeOfExtension('a.b.pdf')).toBe('pdf');
    expect(typeOfExtension('notes.txt')).toBeUndefined();
    expect(typeOfExtension('noextension')).toBeUndefined();
  });
});

describe('readImageDimensions', () => {
  it('reads PNG, JPEG and WebP headers without decoding', () => {
    expect(readImageDimensions(pngHeader(10_000, 10_000), 'png')).toEqual({
      width: 10_000,
      height: 10_000,
    });
    expect(readImageDimensions(jpeg(1800, 1273), 'jpeg')).toEqual({ width: 1800, height: 1273 });
    const vp8x = new Uint8Array(30);
    vp8x.set(ascii('RIFF'), 0);
    vp8x.set(ascii('WEBPVP8X'), 8);
    vp8x.set([0x3f, 0x1f, 0x00], 24); // width - 1 = 7999
    vp8x.set([0xcf, 0x07, 0x00], 27); // height - 1 = 1999
    expect(readImageDimensions(vp8x, 'webp')).toEqual({ width: 8000, height: 2000 });
  });

  it('reports unreadable headers as CORRUPT_IMAGE', () => {
    expect(() => readImageDimensions(bytes(0x89, 0x50), 'png')).toThrow(OcrError);
    expect(() => readImageDimensions(bytes(0xff, 0xd8, 0xff, 0xd9), 'jpeg')).toThrow(/frame/);
    expect(() => readImageDimensions(pngHeader(0, 10), 'png')).toThrow(/empty/);
  });

  // Both crash the CLI's native decoder (@napi-rs/canvas) with a segmentation fault.
  it('refuses a PNG whose header fails its checksum, or which holds no image data', () => {
    const damaged = pngHeader(64, 64);
    damaged[20] = 1; // the height changes, the checksum does not
    expect(() => readImageDimensions(damaged, 'png')).toThrow(/checksum/);
    const headerOnly = pngHeader(64, 64).subarray(0, 33);
    expect(() => readImageDimensions(headerOnly, 'png')).toThrow(/no image data/);
    const cutInData = pngHeader(64, 64).subarray(0, 40);
    expect(() => readImageDimensions(cutInData, 'png')).toThrow(/no image data/);
    expect(readImageDimensions(pngHeader(64, 64), 'png')).toEqual({ width: 64, height: 64 });
  });
});

describe('scannedImageScale', () => {
  const ops: PdfOperatorCodes = {
    save: 10,
    restore: 11,
    transform: 12,
    paintImageXObject: 85,
    paintInlineImageXObject: 86,
    paintImageMaskXObject: 83,
    showText: 44,
    showSpacedText: 45,
    nextLineShowText: 46,
    nextLineSetSpacingShowText: 47,
    constructPath: 91,
  };

  it('gives the scale at which a scanned image renders one to one', () => {
    // An 1800 × 1273 px image painted 790.8 × 559.3 pt (as pdf-lib wraps a scan).
    const scale = scannedImageScale(
      [ops.save, ops.transform, ops.transform, ops.paintImageXObject, ops.restore],
      [null, [1, 0, 0, 1, 25.5, 18], [790.8, 0, 0, 559.28, 0, 0], ['img', 1800, 1273], null],
      ops,
    );
    expect(scale).toBeCloseTo(1800 / 790.8, 3);
  });

  it('is undefined for pages with text or without images', () => {
    expect(scannedImageScale([ops.showText, ops.paintImageXObject], [[], ['i', 10, 10]], ops)).toBe(
      undefined,
    );
    expect(scannedImageScale([ops.constructPath], [[]], ops)).toBeUndefined();
  });
});

describe('traineddata', () => {
  it('round-trips entries and strips the legacy components', () => {
    const entries = new Map<number, Uint8Array>([
      [TESSDATA.config, ascii('config')],
      [1, ascii('unicharset')],
      [3, new Uint8Array(1000)],
      [TESSDATA.lstm, ascii('lstm model')],
      [TESSDATA.version, ascii('4.00')],
    ]);
    const file = writeTraineddata(entries);
    const read = readTraineddata(file);
    expect([...read.keys()].sort((a, b) => a - b)).toEqual([0, 1, 3, 17, 23]);
    expect(new TextDecoder().decode(read.get(TESSDATA.lstm))).toBe('lstm model');
    const stripped = stripLegacyComponents(file);
    expect([...readTraineddata(stripped).keys()].sort((a, b) => a - b)).toEqual([0, 17, 23]);
    expect(stripped.length).toBeLessThan(file.length - 1000);
  });

  it('refuses what is not a traineddata file or has no LSTM model', () => {
    expect(() => readTraineddata(ascii('PK'))).toThrow(RangeError);
    const legacyOnly = writeTraineddata(new Map([[3, new Uint8Array(10)]]));
    expect(() => stripLegacyComponents(legacyOnly)).toThrow(/LSTM/);
  });
});
