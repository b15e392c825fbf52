import type { OcrBox, OcrPage } from '#shared/ocr/index';
import type { ReviewDeskDb } from '../../../db/database';
import { openPdf } from '../../../features/viewer/pdfjs';
import type { DossierFile } from './dossier';

/*
 * The cropped region of a proposal, drawn from its page as the OCR read it: PDF pages through
 * the viewer's pdf.js (same scale and quarter turn as the reading, so the proposal's box fits),
 * images through createImageBitmap. Pages are drawn once, at most `PAGE_SIDE_MAX` pixels on
 * their longer side, and kept while the panel is open.
 */

/** Draws the crop of `box` on page `page` (1-based) of `file`, as an image URL. */
export type CropRenderer = (file: DossierFile, page: number, box: OcrBox) => Promise<string>;

/** The page is drawn at most this large (crops are shown small). */
const PAGE_SIDE_MAX = 2000;
/** Room around the box, in pixels of the reading. */
const MARGIN = 12;

function canvasOf(
  width: number,
  height: number,
): {
  canvas: HTMLCanvasElement;
  context: CanvasRenderingContext2D;
} {
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width));
  canvas.height = Math.max(1, Math.round(height));
  const context = canvas.getContext('2d');
  if (context === null) {
    throw new Error('no 2D canvas');
  }
  return { canvas, context };
}

async function drawPdfPage(
  db: ReviewDeskDb | null,
  file: DossierFile,
  page: OcrPage,
  factor: number,
): Promise<HTMLCanvasElement> {
  const { task, document: pdf } = await openPdf(db, file.blob);
  try {
    const pdfPage = await pdf.getPage(page.index + 1);
    const viewport = pdfPage.getViewport({
      scale: page.scale * factor,
      rotation: (pdfPage.rotate + page.orientation) % 360,
    });
    const { canvas, context } = canvasOf(viewport.width, viewport.height);
    await pdfPage.render({ canvas, canvasContext: context, viewport, background: 'white' }).promise;
    return canvas;
  } finally {
    void task.destroy();
  }
}

async function drawImagePage(
  file: DossierFile,
  page: OcrPage,
  factor: number,
): Promise<HTMLCanvasElement> {
  const bitmap = await createImageBitmap(file.blob);
  try {
    const sideways = page.orientation === 90 || page.orientation === 270;
    const width = bitmap.width * page.scale * factor;
    const height = bitmap.height * page.scale * factor;
    const { canvas, context } = canvasOf(sideways ? height : width, sideways ? width : height);
    context.fillStyle = 'white';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.translate(canvas.width / 2, canvas.height / 2);
    context.rotate((page.orientation * Math.PI) / 180);
    context.drawImage(bitmap, -width / 2, -height / 2, width, height);
    return canvas;
  } finally {
    bitmap.close();
  }
}

/** A crop renderer that keeps each drawn page (for one reading of a dossier). */
export function createCropRenderer(db: ReviewDeskDb | null): CropRenderer {
  const pages = new Map<string, Promise<{ canvas: HTMLCanvasElement; factor: number }>>();
  return async (file, pageNumber, box) => {
    const page = file.pages.find((candidate) => candidate.index === pageNumber - 1);
    if (page === undefined) {
      throw new Error(`no page ${String(pageNumber)} in ${file.name}`);
    }
    const key = `${file.name}#${String(pageNumber)}`;
    let drawn = pages.get(key);
    if (drawn === undefined) {
      const factor = Math.min(1, PAGE_SIDE_MAX / Math.max(page.width, page.height, 1));
      drawn = (
        file.fileType === 'pdf'
          ? drawPdfPage(db, file, page, factor)
          : drawImagePage(file, page, factor)
      ).then((canvas) => ({ canvas, factor: canvas.width / Math.max(1, page.width) }));
      drawn.catch(() => {
        pages.delete(key);
      });
      pages.set(key, drawn);
    }
    const { canvas, factor } = await drawn;
    const x0 = Math.max(0, (box.x - MARGIN) * factor);
    const y0 = Math.max(0, (box.y - MARGIN) * factor);
    const x1 = Math.min(canvas.width, (box.x + box.width + MARGIN) * factor);
    const y1 = Math.min(canvas.height, (box.y + box.height + MARGIN) * factor);
    const crop = canvasOf(Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    crop.context.drawImage(canvas, x0, y0, x1 - x0, y1 - y0, 0, 0, x1 - x0, y1 - y0);
    return crop.canvas.toDataURL('image/png');
  };
}
