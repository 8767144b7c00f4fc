import { describe, expect, it } from 'vitest';
import { pilResize } from './pilResize.ts';
import type { Raster8 } from './image.ts';

const row = (values: number[]): Raster8 => ({
  data: Uint8Array.from(values),
  width: values.length,
  height: 1,
  channels: 1,
});

describe('pilResize (Pillow ImagingResample, 8-bit)', () => {
  it('upscales 2→4 bilinear with Pillow pixel-centre sampling and edge clamping', () => {
    // centres 0.25, 0.75, 1.25, 1.75 → taps clipped at the borders: [a, ¾a+¼b, ¼a+¾b, b]
    expect(Array.from(pilResize(row([0, 100]), 4, 1, 'bilinear').data)).toEqual([0, 25, 75, 100]);
  });

  it('downscales 4→2 bilinear with the triangle widened by the scale (antialiasing)', () => {
    // out 0: centre 1, support 2 → input 0,1,2 with weights ¾,¾,¼ → (3·0 + 3·70 + 140)/7 = 50
    // out 1: centre 3 → input 1,2,3 with ¼,¾,¾ → (70 + 3·140 + 3·210)/7 = 160
    expect(Array.from(pilResize(row([0, 70, 140, 210]), 2, 1, 'bilinear').data)).toEqual([50, 160]);
  });

  it('averages a 2×2 block when halving', () => {
    const img: Raster8 = { data: Uint8Array.from([10, 20, 30, 41]), width: 2, height: 2, channels: 1 };
    // (10+20+30+41)/4 = 25.25 → horizontal pass rounds 15, 35.5→36, vertical (15+36)/2 = 25.5 → 26
    expect(Array.from(pilResize(img, 1, 1, 'bilinear').data)).toEqual([26]);
  });

  it('clips bicubic (a = −0.5) overshoot to [0, 255] at a hard edge', () => {
    // The negative lobes push the samples next to the edge below 0 and above 255; Pillow clips.
    expect(Array.from(pilResize(row([0, 0, 255, 255]), 7, 1, 'bicubic').data)).toEqual([0, 0, 0, 128, 255, 255, 255]);
  });

  it('resizes each channel of interleaved RGB independently', () => {
    const img: Raster8 = { data: Uint8Array.from([0, 255, 7, 100, 255, 7]), width: 2, height: 1, channels: 3 };
    const out = pilResize(img, 4, 1, 'bilinear');
    expect(Array.from(out.data)).toEqual([0, 255, 7, 25, 255, 7, 75, 255, 7, 100, 255, 7]);
  });

  it('returns an equal copy for the same size and keeps a constant image constant', () => {
    const img: Raster8 = { data: new Uint8Array(5 * 3 * 3).fill(200), width: 5, height: 3, channels: 3 };
    const same = pilResize(img, 5, 3, 'bicubic');
    expect(same.data).not.toBe(img.data);
    expect(same.data).toEqual(img.data);
    expect(new Set(pilResize(img, 13, 7, 'bicubic').data)).toEqual(new Set([200]));
  });

  it('rejects a buffer that does not match its size', () => {
    expect(() => pilResize({ data: new Uint8Array(5), width: 2, height: 2, channels: 1 }, 1, 1, 'bilinear')).toThrow(
      RangeError,
    );
  });
});
