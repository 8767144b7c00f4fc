// An image's regions: the connected components (8-connectivity) of its anomaly map above the
// pixel threshold, at the image's own resolution, measured (docs/method.md §18).

import { labelRegions } from '../metrics/regions.ts';
import { traceOuterBoundary } from './contour.ts';
import { positionWords } from './position.ts';

export interface Region {
  /** [x, y, width, height] in the image's pixels (pixel (x, y) covers [x, x+1)×[y, y+1)) */
  bbox: [number, number, number, number];
  /** pixels */
  area: number;
  /** share of the image's pixels, in % */
  areaPercent: number;
  /** [x, y], the mean of the pixel centres */
  centroid: [number, number];
  /** largest and mean map value over the region */
  peak: number;
  mean: number;
  /** ratio of the principal axes, √(λ₁/λ₂) of the second central moments (pixels as unit squares): w/h for a w×h rectangle, 1 for a disc */
  elongation: number;
  /** the centroid's third of the image, e.g. "upper right" */
  position: string;
  /** outer boundary on pixel corners, [x0, y0, x1, y1, …], clockwise */
  polygon: number[];
}

interface Moments {
  first: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  sx: number;
  sy: number;
  sxx: number;
  syy: number;
  sxy: number;
  peak: number;
  sum: number;
}

/**
 * Regions of one width×height map: pixels with a value above `threshold`, grouped by
 * 8-connectivity; components under `minArea` pixels are dropped and none are merged. Largest
 * first.
 */
export function findRegions(
  map: ArrayLike<number>,
  width: number,
  height: number,
  threshold: number,
  minArea: number,
): Region[] {
  const pixels = width * height;
  const mask = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) mask[i] = map[i] > threshold ? 1 : 0;
  const ids = new Int32Array(pixels);
  const areas = labelRegions(mask, width, height, ids, 0);
  const moments: Moments[] = areas.map(() => ({
    first: -1,
    x0: Infinity,
    y0: Infinity,
    x1: -Infinity,
    y1: -Infinity,
    sx: 0,
    sy: 0,
    sxx: 0,
    syy: 0,
    sxy: 0,
    peak: -Infinity,
    sum: 0,
  }));
  for (let i = 0; i < pixels; i++) {
    const id = ids[i];
    if (id < 0 || areas[id] < minArea) continue;
    const m = moments[id];
    const y = Math.floor(i / width);
    const x = i - y * width;
    if (m.first < 0) m.first = i;
    m.x0 = Math.min(m.x0, x);
    m.y0 = Math.min(m.y0, y);
    m.x1 = Math.max(m.x1, x);
    m.y1 = Math.max(m.y1, y);
    m.sx += x;
    m.sy += y;
    m.sxx += x * x;
    m.syy += y * y;
    m.sxy += x * y;
    m.peak = Math.max(m.peak, map[i]);
    m.sum += map[i];
  }
  const regions: Region[] = [];
  moments.forEach((m, id) => {
    const area = areas[id];
    if (area < minArea) return;
    const mx = m.sx / area;
    const my = m.sy / area;
    // A pixel is a unit square, whose own second moment is 1/12 along each axis.
    const vxx = m.sxx / area - mx * mx + 1 / 12;
    const vyy = m.syy / area - my * my + 1 / 12;
    const vxy = m.sxy / area - mx * my;
    const spread = Math.sqrt(((vxx - vyy) / 2) ** 2 + vxy * vxy);
    const major = (vxx + vyy) / 2 + spread;
    const minor = (vxx + vyy) / 2 - spread;
    const centroid: [number, number] = [mx + 0.5, my + 0.5];
    regions.push({
      bbox: [m.x0, m.y0, m.x1 - m.x0 + 1, m.y1 - m.y0 + 1],
      area,
      areaPercent: (100 * area) / pixels,
      centroid,
      peak: m.peak,
      mean: m.sum / area,
      elongation: Math.sqrt(major / minor),
      position: positionWords(centroid[0], centroid[1], width, height),
      polygon: traceOuterBoundary(ids, width, height, id, m.first),
    });
  });
  return regions.sort((a, b) => b.area - a.area);
}
