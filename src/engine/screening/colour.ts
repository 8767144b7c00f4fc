// Whether an image has colour at all: a grayscale file (or a colour file of grey pixels only)
// decodes to R = G = B everywhere. A grayscale image among colour images of one product was taken
// another way, and the backbone's features see its colour missing on every patch
// (docs/method.md §19), so screening calls it not comparable.

import type { RgbImage } from '../preprocess/index.ts';

export function isGrayscale(image: RgbImage): boolean {
  const { data } = image;
  for (let v = 0; v < data.length; v += 3) if (data[v] !== data[v + 1] || data[v] !== data[v + 2]) return false;
  return true;
}
