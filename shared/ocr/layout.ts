/**
 * Which way a page's text lines run, from its pixels alone (no recognition): a reading of a
 * sideways page costs as much as a good one and returns garbage, so knowing before the first
 * reading that a page lies on its side saves that reading (issue 13: the orientation search was
 * most of the pipeline's cost over native tesseract).
 *
 * Method: projection profiles. Horizontal text lines make the count of dark pixels per ROW jump
 * between text and the white gaps between lines, while the count per COLUMN changes little
 * (many lines add up); sideways text does the opposite. The jumps are measured as the energy of
 * the profile's differences, per dark pixel. Scans are skewed by a degree or two, which smears
 * a full-width row profile (1.5° over 600 px moves a line by 15 px, more than a line gap), so
 * the profiles are taken in `STRIPES` narrow stripes, where the drift stays under 2 px.
 *
 * It cannot tell 90° from 270° (or 0° from 180°): the recognizer's confidence decides those.
 * On the fixture set (test/fixtures/ocr, 9 clean and 9 scan-like pages, skew up to ±2°) upright
 * and upside-down pages score 1.35–2.08, the sideways scan 0.68.
 */

/** A page in grey levels (0 black – 255 white), row by row, scaled down for speed. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: ArrayLike<number>;
}

/** Grey levels of RGBA pixels (a canvas's `getImageData().data`), by the mean of R, G and B. */
export function rgbaToGrey(rgba: ArrayLike<number>): Uint8Array {
  const grey = new Uint8Array(Math.floor(rgba.length / 4));
  for (let index = 0; index < grey.length; index += 1) {
    const at = index * 4;
    grey[index] = ((rgba[at] ?? 255) + (rgba[at + 1] ?? 255) + (rgba[at + 2] ?? 255)) / 3;
  }
  return grey;
}

export type LineDirection = 'horizontal' | 'vertical' | 'unknown';

/** Longest side the runtimes scale the page to before measuring (enough for text lines). */
export const LAYOUT_MAX_SIDE = 600;

const STRIPES = 8;
/** A pixel this much darker than the page's mean grey counts as ink (scanner beds are grey). */
const INK_BELOW_MEAN = 40;
/** Row/column energy ratio beyond which the direction is called (or its inverse): see above. */
const DECISIVE_RATIO = 1.2;
/** Too little ink to say anything (a blank page, a photo of nothing). */
const MIN_INK_PIXELS = 200;

export interface LineDirectionReading {
  readonly direction: LineDirection;
  /** Row energy / column energy: > 1 horizontal lines, < 1 vertical ones. */
  readonly ratio: number;
}

function profileEnergy(profile: Float64Array): number {
  let energy = 0;
  for (let index = 1; index < profile.length; index += 1) {
    const step = (profile[index] ?? 0) - (profile[index - 1] ?? 0);
    energy += step * step;
  }
  return energy;
}

export function textLineDirection(image: GreyImage): LineDirectionReading {
  const { width, height, pixels } = image;
  if (width < STRIPES || height < STRIPES || pixels.length < width * height) {
    return { direction: 'unknown', ratio: 1 };
  }
  let sum = 0;
  for (let index = 0; index < width * height; index += 1) {
    sum += pixels[index] ?? 255;
  }
  const threshold = sum / (width * height) - INK_BELOW_MEAN;
  const ink = new Uint8Array(width * height);
  let inkPixels = 0;
  for (let index = 0; index < ink.length; index += 1) {
    if ((pixels[index] ?? 255) < threshold) {
      ink[index] = 1;
      inkPixels += 1;
    }
  }
  if (inkPixels < MIN_INK_PIXELS) {
    return { direction: 'unknown', ratio: 1 };
  }
  let rowEnergy = 0;
  let columnEnergy = 0;
  for (let stripe = 0; stripe < STRIPES; stripe += 1) {
    // Row profile inside a vertical stripe, column profile inside a horizontal one.
    const left = Math.floor((stripe * width) / STRIPES);
    const right = Math.floor(((stripe + 1) * width) / STRIPES);
    const rows = new Float64Array(height);
    for (let y = 0; y < height; y += 1) {
      let count = 0;
      for (let x = left; x < right; x += 1) {
        count += ink[y * width + x] ?? 0;
      }
      rows[y] = count;
    }
    rowEnergy += profileEnergy(rows);
    const top = Math.floor((stripe * height) / STRIPES);
    const bottom = Math.floor(((stripe + 1) * height) / STRIPES);
    const columns = new Float64Array(width);
    for (let y = top; y < bottom; y += 1) {
      for (let x = 0; x < width; x += 1) {
        columns[x] = (columns[x] ?? 0) + (ink[y * width + x] ?? 0);
      }
    }
    columnEnergy += profileEnergy(columns);
  }
  if (rowEnergy === 0 && columnEnergy === 0) {
    return { direction: 'unknown', ratio: 1 };
  }
  const ratio = columnEnergy === 0 ? Number.POSITIVE_INFINITY : rowEnergy / columnEnergy;
  const direction: LineDirection =
    ratio >= DECISIVE_RATIO ? 'horizontal' : ratio <= 1 / DECISIVE_RATIO ? 'vertical' : 'unknown';
  return { direction, ratio };
}
