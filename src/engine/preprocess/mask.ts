// Ground-truth masks as the reference prepares them: PIL bilinear resize of the 8-bit mask to
// S×S, ToTensor, then either the MVTec/BTAD int cast (only pixels that stay exactly 255 count,
// so borders shrink slightly) or the VisA `> 0` rule (borders grow; also right for soft masks
// such as Magnetic Tile's).

import { pilResize } from './pilResize.ts';
import type { GrayImage } from './image.ts';

export type MaskRule = 'int-cast' | 'gt0';

/** Returns size×size bytes, 1 = anomalous pixel. */
export function preprocessMask(mask: GrayImage, size: number, rule: MaskRule): Uint8Array {
  if (mask.channels !== 1) throw new RangeError(`Expected a single-channel mask, got ${mask.channels} channels`);
  const resized = pilResize(mask, size, size, 'bilinear').data;
  const out = new Uint8Array(resized.length);
  for (let i = 0; i < resized.length; i++) {
    out[i] = rule === 'int-cast' ? (resized[i] === 255 ? 1 : 0) : resized[i] > 0 ? 1 : 0;
  }
  return out;
}

/** true when the mask has no anomalous pixel (e.g. the 4 empty Magnetic Tile `uneven` masks). */
export function isEmptyMask(mask: GrayImage): boolean {
  return !mask.data.some((v) => v > 0);
}
