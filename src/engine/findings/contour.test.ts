import { describe, expect, it } from 'vitest';
import { labelRegions } from '../metrics/regions.ts';
import { seededRandom } from '../random.ts';
import { traceOuterBoundary } from './contour.ts';
import { rasterise } from './rasterise.testing.ts';

/** Traces every component of `mask`; per component, the IoU of its rasterised polygon and whether it covers every pixel. */
function roundTrip(mask: Uint8Array, width: number, height: number): { iou: number; covered: boolean }[] {
  const ids = new Int32Array(mask.length);
  const areas = labelRegions(mask, width, height, ids, 0);
  return areas.map((_, id) => {
    const polygon = traceOuterBoundary(ids, width, height, id, ids.indexOf(id));
    const filled = rasterise(polygon, width, height);
    let inter = 0;
    let union = 0;
    let area = 0;
    for (let i = 0; i < mask.length; i++) {
      const a = ids[i] === id;
      inter += a && filled[i] ? 1 : 0;
      union += a || filled[i] ? 1 : 0;
      area += a ? 1 : 0;
    }
    return { iou: inter / union, covered: inter === area };
  });
}

const maskOf = (width: number, height: number, inside: (x: number, y: number) => boolean) =>
  Uint8Array.from({ length: width * height }, (_, i) => (inside(i % width, Math.floor(i / width)) ? 1 : 0));

describe('traceOuterBoundary', () => {
  it('gives a rectangle its four corners, on pixel corners, clockwise on screen', () => {
    const mask = maskOf(20, 10, (x, y) => x >= 3 && x < 9 && y >= 2 && y < 7);
    const ids = new Int32Array(mask.length);
    labelRegions(mask, 20, 10, ids, 0);
    expect(traceOuterBoundary(ids, 20, 10, 0, 2 * 20 + 3)).toEqual([3, 2, 9, 2, 9, 7, 3, 7]);
    expect(roundTrip(mask, 20, 10)).toEqual([{ iou: 1, covered: true }]);
  });

  it('gives one pixel, and a pixel on the image border, a unit square', () => {
    const mask = maskOf(4, 4, (x, y) => x === 3 && y === 0);
    const ids = new Int32Array(16);
    labelRegions(mask, 4, 4, ids, 0);
    expect(traceOuterBoundary(ids, 4, 4, 0, 3)).toEqual([3, 0, 4, 0, 4, 1, 3, 1]);
  });

  it('keeps diagonally touching pixels in one polygon that rasterises back exactly', () => {
    const mask = maskOf(6, 6, (x, y) => (x === 1 && y === 1) || (x === 2 && y === 2) || (x === 3 && y === 1));
    expect(roundTrip(mask, 6, 6)).toEqual([{ iou: 1, covered: true }]);
  });

  it('rasterises discs and random blobs back exactly, a ring with IoU ≥ 0.95 (its hole filled)', () => {
    const disc = maskOf(64, 48, (x, y) => (x - 30) ** 2 + (y - 20) ** 2 <= 15 ** 2);
    expect(roundTrip(disc, 64, 48)).toEqual([{ iou: 1, covered: true }]);
    const ring = maskOf(64, 64, (x, y) => {
      const r2 = (x - 32) ** 2 + (y - 32) ** 2;
      return r2 <= 20 ** 2 && r2 >= 4 ** 2;
    });
    const [filledRing] = roundTrip(ring, 64, 64);
    expect(filledRing.covered).toBe(true);
    expect(filledRing.iou).toBeGreaterThanOrEqual(0.95);
    // Unions of random ellipses: smooth blobs, some of them touching.
    const rand = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const ellipses = Array.from({ length: 6 }, () => [rand() * 96, rand() * 72, 2 + rand() * 12, 2 + rand() * 12]);
      const blobs = maskOf(96, 72, (x, y) =>
        ellipses.some(([cx, cy, rx, ry]) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1),
      );
      for (const { iou, covered } of roundTrip(blobs, 96, 72)) {
        expect(covered).toBe(true);
        expect(iou).toBeGreaterThanOrEqual(0.95);
      }
    }
  });

  it('covers every pixel of a component full of holes (noise), which only its outer boundary bounds', () => {
    const rand = seededRandom(11);
    const noise = maskOf(80, 60, () => rand() < 0.45);
    for (const { covered } of roundTrip(noise, 80, 60)) expect(covered).toBe(true);
  });
});
