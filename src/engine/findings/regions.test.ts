import { describe, expect, it } from 'vitest';
import { findRegions } from './regions.ts';

/** A width×height map that is `value(x, y)` inside `inside` and 0 elsewhere. */
function mapOf(width: number, height: number, inside: (x: number, y: number) => number): Float32Array {
  return Float32Array.from({ length: width * height }, (_, i) => inside(i % width, Math.floor(i / width)));
}

describe('findRegions', () => {
  it('measures a rectangle: box, area, centroid, peak, mean, elongation w/h, position', () => {
    // 30×10 pixels at x ∈ [120, 150), y ∈ [20, 30) of a 200×100 image, values 1 and 3.
    const map = mapOf(200, 100, (x, y) => (x >= 120 && x < 150 && y >= 20 && y < 30 ? (x < 135 ? 1 : 3) : 0));
    const [region, ...rest] = findRegions(map, 200, 100, 0.5, 1);
    expect(rest).toEqual([]);
    expect(region.bbox).toEqual([120, 20, 30, 10]);
    expect(region.area).toBe(300);
    expect(region.areaPercent).toBeCloseTo(1.5, 12);
    expect(region.centroid).toEqual([135, 25]);
    expect(region.peak).toBe(3);
    expect(region.mean).toBe(2);
    expect(region.elongation).toBeCloseTo(3, 12);
    expect(region.position).toBe('upper right');
    expect(region.polygon).toEqual([120, 20, 150, 20, 150, 30, 120, 30]);
  });

  it('measures a disc: area πr² within 1 %, centroid at its centre, elongation 1', () => {
    const map = mapOf(300, 300, (x, y) => Math.max(0, 1 - Math.hypot(x + 0.5 - 80, y + 0.5 - 200) / 40));
    const [disc] = findRegions(map, 300, 300, 0, 1);
    expect(disc.area / (Math.PI * 40 ** 2)).toBeCloseTo(1, 2);
    expect(disc.centroid[0]).toBeCloseTo(80, 9);
    expect(disc.centroid[1]).toBeCloseTo(200, 9);
    expect(disc.bbox).toEqual([40, 160, 80, 80]);
    expect(disc.elongation).toBeCloseTo(1, 9);
    expect(disc.peak).toBeLessThanOrEqual(1);
    expect(disc.position).toBe('lower left');
  });

  it('gives a tilted bar its length-to-width ratio as elongation, whatever the angle', () => {
    // A 60×6 bar rotated 30°: principal axes 60 and 6.
    const [c, s] = [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6)];
    const map = mapOf(200, 200, (x, y) => {
      const [dx, dy] = [x + 0.5 - 100, y + 0.5 - 100];
      return Math.abs(c * dx + s * dy) < 30 && Math.abs(-s * dx + c * dy) < 3 ? 1 : 0;
    });
    const [bar] = findRegions(map, 200, 200, 0.5, 1);
    expect(bar.elongation).toBeGreaterThan(9);
    expect(bar.elongation).toBeLessThan(11);
    expect(bar.position).toBe('centre');
  });

  it('joins diagonal neighbours (8-connectivity), drops components under minArea, and lists the largest first', () => {
    const map = mapOf(50, 50, (x, y) => {
      if (x === y && x < 5) return 1; // a diagonal of 5 pixels: one region
      if (x >= 20 && x < 30 && y >= 20 && y < 30) return 1; // 100 pixels
      if (x === 45 && y === 45) return 1; // one pixel: dropped
      return 0;
    });
    const regions = findRegions(map, 50, 50, 0.5, 2);
    expect(regions.map((r) => r.area)).toEqual([100, 5]);
    expect(regions[1].bbox).toEqual([0, 0, 5, 5]);
    expect(findRegions(map, 50, 50, 1, 1)).toEqual([]);
  });
});
