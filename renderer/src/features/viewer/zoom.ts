import { useEffect, useState, type RefObject } from 'react';

/** Zoom levels the `+`/`-` keys step through (1 = 100 %). */
export const ZOOM_STEPS = [0.1, 0.25, 0.33, 0.5, 0.67, 0.75, 1, 1.25, 1.5, 2, 3, 4, 6, 8] as const;

const MIN_ZOOM = 0.1;
const MAX_ZOOM = 8;

/** `fit`: as large as fits the view; otherwise a scale (1 = 100 %). */
export type Zoom = 'fit' | number;

export function zoomIn(current: number): number {
  return ZOOM_STEPS.find((step) => step > current * 1.01) ?? MAX_ZOOM;
}

export function zoomOut(current: number): number {
  return [...ZOOM_STEPS].reverse().find((step) => step < current * 0.99) ?? MIN_ZOOM;
}

/** The scale at which a `width`×`height` box fits into `view` (with a margin). */
export function fitScale(
  width: number,
  height: number,
  view: { readonly width: number; readonly height: number },
  max = 2,
): number {
  if (width <= 0 || height <= 0) {
    return 1;
  }
  const margin = 16;
  return Math.max(
    0.05,
    Math.min(max, (view.width - margin) / width, (view.height - margin) / height),
  );
}

/** The size of an element (re-measured when it changes); a default where nothing lays out. */
export function useElementSize(
  ref: RefObject<HTMLElement | null>,
  fallback: { readonly width: number; readonly height: number } = { width: 800, height: 600 },
): { readonly width: number; readonly height: number } {
  const [size, setSize] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (element === null) {
      return;
    }
    const measure = () => {
      const width = element.clientWidth;
      const height = element.clientHeight;
      if (width > 0 && height > 0) {
        setSize((old) => (old.width === width && old.height === height ? old : { width, height }));
      }
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => {
      observer.disconnect();
    };
  }, [ref]);
  return size;
}
