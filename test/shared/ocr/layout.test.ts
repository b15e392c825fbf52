import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import {
  LAYOUT_MAX_SIDE,
  rgbaToGrey,
  textLineDirection,
  type GreyImage,
} from '../../../shared/ocr/layout';

const FIXTURES = fileURLToPath(new URL('../../fixtures/ocr/', import.meta.url));

/** A white page with `lines` rows of dark "characters" (squares with gaps), like printed text. */
function textPage(width: number, height: number, lines: number): GreyImage {
  const pixels = new Uint8Array(width * height).fill(250);
  const lineHeight = Math.floor(height / (lines * 2));
  for (let line = 0; line < lines; line += 1) {
    const top = lineHeight + line * 2 * lineHeight;
    for (let x = 20; x + lineHeight < width - 20; x += lineHeight + 4) {
      for (let y = top; y < top + lineHeight; y += 1) {
        for (let dx = 0; dx < lineHeight; dx += 1) {
          pixels[y * width + x + dx] = 20;
        }
      }
    }
  }
  return { width, height, pixels };
}

function transpose(image: GreyImage): GreyImage {
  const pixels = new Uint8Array(image.width * image.height);
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      pixels[x * image.height + y] = image.pixels[y * image.width + x] ?? 255;
    }
  }
  return { width: image.height, height: image.width, pixels };
}

async function fixtureGrey(file: string): Promise<GreyImage> {
  const image = await loadImage(readFileSync(join(FIXTURES, file)));
  const scale = Math.min(1, LAYOUT_MAX_SIDE / Math.max(image.width, image.height));
  const width = Math.round(image.width * scale);
  const height = Math.round(image.height * scale);
  const context = createCanvas(width, height).getContext('2d');
  context.drawImage(image, 0, 0, width, height);
  return { width, height, pixels: rgbaToGrey(context.getImageData(0, 0, width, height).data) };
}

describe('textLineDirection', () => {
  it('tells horizontal text lines from the same page turned on its side', () => {
    const page = textPage(600, 420, 8);
    expect(textLineDirection(page).direction).toBe('horizontal');
    expect(textLineDirection(transpose(page)).direction).toBe('vertical');
    expect(textLineDirection(page).ratio).toBeGreaterThan(1);
  });

  it('does not guess on a blank page, a tiny one or a short pixel buffer', () => {
    const blank = { width: 300, height: 200, pixels: new Uint8Array(300 * 200).fill(255) };
    expect(textLineDirection(blank).direction).toBe('unknown');
    expect(textLineDirection({ width: 4, height: 4, pixels: new Uint8Array(16) }).direction).toBe(
      'unknown',
    );
    expect(
      textLineDirection({ width: 100, height: 100, pixels: new Uint8Array(10) }).direction,
    ).toBe('unknown');
  });

  it('converts canvas RGBA to grey by the mean of the colour channels', () => {
    expect([...rgbaToGrey([0, 0, 0, 255, 255, 255, 255, 255, 30, 60, 90, 0])]).toEqual([
      0, 255, 60,
    ]);
  });

  it('finds every fixture scan on its side, and no upright or upside-down one (skew up to ±2°)', async () => {
    const truth = JSON.parse(readFileSync(join(FIXTURES, 'ground-truth.json'), 'utf8')) as {
      files: { file: string; rotation: number }[];
    };
    const images = truth.files.filter(({ file }) => /\.(png|jpe?g)$/.test(file));
    expect(images.length).toBeGreaterThanOrEqual(18);
    const sideways = (rotation: number) => Math.abs((((rotation % 180) + 180) % 180) - 90) < 10;
    for (const { file, rotation } of images) {
      const { direction } = textLineDirection(await fixtureGrey(file));
      expect({ file, direction }).toEqual({
        file,
        direction: sideways(rotation) ? 'vertical' : 'horizontal',
      });
    }
    expect(images.some(({ rotation }) => sideways(rotation))).toBe(true);
  });
});
