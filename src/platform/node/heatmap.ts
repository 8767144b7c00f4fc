// PNG overlays of anomaly maps: the map, scaled with a given range (the whole batch's, so normal
// images stay cold — docs/method.md §7 "whole_norm"), coloured with the OpenCV JET colormap, resized
// to the image and blended over it.

import sharp from 'sharp';
import { COLORMAPS } from '../../engine/colormaps.ts';
import type { RgbImage } from '../../engine/preprocess/index.ts';

const LUT = COLORMAPS.jet;

export interface MapRange {
  min: number;
  max: number;
}

/** size×size map → RGB heat image, values clamped into `range`. */
export function colorize(map: Float32Array, size: number, range: MapRange): RgbImage {
  const span = range.max - range.min;
  const out = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p++) {
    const v = span > 0 ? (map[p] - range.min) / span : 0;
    const level = Math.round(255 * Math.min(1, Math.max(0, v)));
    out.set(LUT.subarray(level * 3, level * 3 + 3), p * 3);
  }
  return { data: out, width: size, height: size, channels: 3 };
}

/** Writes `image` with the coloured map blended over it (`alpha` = heat weight) as a PNG. */
export async function writeHeatmapOverlay(
  path: string,
  image: RgbImage,
  map: Float32Array,
  size: number,
  range: MapRange,
  alpha = 0.45,
): Promise<void> {
  const heat = colorize(map, size, range);
  // The map covers the squashed S×S image, so it is stretched back to the image's own shape.
  const stretched = await sharp(heat.data, { raw: { width: size, height: size, channels: 3 } })
    .resize({ width: image.width, height: image.height, fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  const blended = new Uint8Array(image.data.length);
  for (let i = 0; i < blended.length; i++) blended[i] = Math.round((1 - alpha) * image.data[i] + alpha * stretched[i]);
  await sharp(blended, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toFile(path);
}
