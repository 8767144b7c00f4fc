// 8-bit RGB → float CHW, the reference's ToTensor (/255) followed by Normalize unless the graph
// normalises its [0,1] input itself (the CNN trunks do).

import { pilResize } from './pilResize.ts';
import type { Raster8, RgbImage } from './image.ts';
import type { EncoderInputSpec } from './spec.ts';

/**
 * Writes `image` (already size×size) as CHW float32 into `target` at `offset` (in floats), so a
 * batch tensor is filled image by image without intermediate copies.
 */
export function writeChw(image: Raster8, spec: EncoderInputSpec, target: Float32Array, offset: number): void {
  if (image.channels !== 3) throw new RangeError(`Expected an RGB image, got ${image.channels} channels`);
  const plane = image.width * image.height;
  if (offset < 0 || offset + 3 * plane > target.length) throw new RangeError('CHW target too small for the image');
  const { insideGraph, mean, std } = spec.normalization;
  for (let c = 0; c < 3; c++) {
    // Normalize((x/255 − mean)/std) in the same order as torchvision, so float rounding matches.
    const m = insideGraph ? 0 : mean[c];
    const s = insideGraph ? 1 : std[c];
    const base = offset + c * plane;
    for (let p = 0; p < plane; p++) target[base + p] = (image.data[p * 3 + c] / 255 - m) / s;
  }
}

/** The reference's squash-resize to size×size with the manifest's filter (PIL-exact). */
export function squashResize(image: RgbImage, size: number, filter: EncoderInputSpec['resize']): RgbImage {
  return pilResize(image, size, size, filter) as RgbImage;
}
