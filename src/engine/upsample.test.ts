import { describe, expect, it } from 'vitest';
import { resampleNchw, upsampleMap } from './upsample.ts';

describe('upsampleMap (align_corners = true)', () => {
  it('matches F.interpolate on a 2×2 map at 3×3 (hand case)', () => {
    const out = new Float64Array(9);
    upsampleMap(Float64Array.of(9, 0, 1, 2, 3), 1, 2, 3, out); // map at offset 1
    expect(Array.from(out)).toEqual([0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3]);
  });

  it('keeps the corners and interpolates in between at 4×4', () => {
    const out = new Float32Array(16);
    upsampleMap([0, 3, 6, 9], 0, 2, 4, out);
    expect(Array.from(out.subarray(0, 4))).toEqual([0, 1, 2, 3]);
    expect(Array.from(out.subarray(12))).toEqual([6, 7, 8, 9]);
  });
});

describe('resampleNchw (align_corners = false)', () => {
  it('downsamples 4×4 → 2×2 to the means of 2×2 blocks, as tokens [N, grid², C]', () => {
    const plane = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
    const tap = {
      data: Float32Array.from([...plane, ...plane.map((v) => -v)]),
      images: 1,
      channels: 2,
      height: 4,
      width: 4,
    };
    const layer = resampleNchw(tap, 2);
    expect(layer).toMatchObject({ images: 1, grid: 2, dim: 2, skip: 0 });
    // block means: 2.5, 4.5, 10.5, 12.5; channel 1 is the negation
    expect(Array.from(layer.data)).toEqual([2.5, -2.5, 4.5, -4.5, 10.5, -10.5, 12.5, -12.5]);
  });

  it('upsamples 1×2 → 4×4 clamping the half-pixel source like torch', () => {
    const layer = resampleNchw({ data: Float32Array.of(0, 1), images: 1, channels: 1, height: 1, width: 2 }, 4);
    // torch: F.interpolate([[0, 1]], size=4, mode='bilinear', align_corners=False) → [0, 0.25, 0.75, 1]
    expect(Array.from(layer.data.subarray(0, 4))).toEqual([0, 0.25, 0.75, 1]);
    expect(Array.from(layer.data.subarray(12))).toEqual([0, 0.25, 0.75, 1]);
  });
});
