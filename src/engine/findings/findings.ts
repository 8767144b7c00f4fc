// An image's findings from its S×S anomaly map: the map brought to the image's own size, its
// regions above the image's pixel threshold, and the sentence saying them (docs/method.md §18).

import { resampleMap } from '../upsample.ts';
import { findRegions, type Region } from './regions.ts';
import { describeRegions } from './sentence.ts';
import { imageThreshold } from './threshold.ts';

export interface ImageFindings {
  /** the pixel threshold this image's regions were cut at */
  threshold: number;
  regions: Region[];
  sentence: string;
}

export interface FindingsInput {
  /** S×S anomaly map (docs/method.md §7) */
  map: ArrayLike<number>;
  size: number;
  /** the patch grid's side: a region must cover at least one patch's share of the image */
  grid: number;
  /** the image's own size */
  width: number;
  height: number;
  /** the batch's normal level (threshold.ts) */
  normalLevel: number;
}

export function imageFindings({ map, size, grid, width, height, normalLevel }: FindingsInput): ImageFindings {
  let peak = -Infinity;
  for (let i = 0; i < size * size; i++) peak = Math.max(peak, map[i]);
  const threshold = imageThreshold(normalLevel, peak);
  const full = new Float32Array(width * height);
  resampleMap(map, 0, size, size, width, height, full);
  // The map cannot place anything finer than a patch; smaller components are fringes.
  const regions = findRegions(full, width, height, threshold, (width * height) / (grid * grid));
  return { threshold, regions, sentence: describeRegions(regions) };
}
