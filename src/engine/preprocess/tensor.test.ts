import { describe, expect, it } from 'vitest';
import type { EncoderInputSpec } from './spec.ts';
import { writeChw } from './tensor.ts';
import { isEmptyMask, preprocessMask } from './mask.ts';
import { pilResize } from './pilResize.ts';
import type { GrayImage, RgbImage } from './image.ts';

const spec = (insideGraph: boolean): EncoderInputSpec => ({
  resize: 'bilinear',
  normalization: { insideGraph, mean: [0.5, 0.25, 0], std: [0.5, 0.25, 1] },
});

// 2×1 RGB: pixel 0 = (255, 0, 51), pixel 1 = (0, 255, 102)
const image: RgbImage = { data: Uint8Array.from([255, 0, 51, 0, 255, 102]), width: 2, height: 1, channels: 3 };

describe('writeChw', () => {
  it('writes planar RGB / 255 when the graph normalises itself', () => {
    const out = new Float32Array(8).fill(-1);
    writeChw(image, spec(true), out, 2);
    expect(Array.from(out)).toEqual([-1, -1, 1, 0, 0, 1, 0.2, 0.4].map(Math.fround));
  });

  it('applies (x/255 − mean) / std otherwise', () => {
    const out = new Float32Array(6);
    writeChw(image, spec(false), out, 0);
    expect(Array.from(out)).toEqual([1, -1, -1, 3, 0.2, 0.4].map(Math.fround));
  });

  it('refuses a target too small for the image', () => {
    expect(() => writeChw(image, spec(true), new Float32Array(6), 1)).toThrow(RangeError);
  });
});

describe('preprocessMask', () => {
  // 4×4 mask with a 2×2 defect in the top-left corner, halved to 2×2: the corner output pixel
  // covers defect pixels and, through the widened bilinear support, some background.
  const mask: GrayImage = {
    data: Uint8Array.from([255, 255, 0, 0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    width: 4,
    height: 4,
    channels: 1,
  };

  it('int cast keeps only pixels that stay exactly 255 (borders shrink), > 0 keeps any touch', () => {
    // Pillow gives [188, 31, 31, 5]: the blurred border stays below 255 everywhere.
    expect(Array.from(pilResize(mask, 2, 2, 'bilinear').data)).toEqual([188, 31, 31, 5]);
    expect(Array.from(preprocessMask(mask, 2, 'int-cast'))).toEqual([0, 0, 0, 0]);
    expect(Array.from(preprocessMask(mask, 2, 'gt0'))).toEqual([1, 1, 1, 1]);
  });

  it('keeps a full-size defect under the int cast', () => {
    const full: GrayImage = { data: new Uint8Array(16).fill(255), width: 4, height: 4, channels: 1 };
    expect(Array.from(preprocessMask(full, 3, 'int-cast'))).toEqual(new Array(9).fill(1));
  });

  it('detects empty masks', () => {
    expect(isEmptyMask(mask)).toBe(false);
    expect(isEmptyMask({ ...mask, data: new Uint8Array(16) })).toBe(true);
  });
});
