// The findings files of `score --regions` and of the page's export: each image's regions above
// the label-free pixel threshold, measured at the image's own size, as regions.json and as COCO
// instances (annotations.coco.json) for labelling tools (docs/method.md §18).

import { cocoInstances, type CocoInstances } from './coco.ts';
import { imageFindings } from './findings.ts';
import type { Region } from './regions.ts';
import { describeRegion } from './sentence.ts';
import { normalLevel, PIXEL_THRESHOLD_RULE, type NormalLevel } from './threshold.ts';
import type { Verdict } from '../verdict/batchThreshold.ts';

/** A region as regions.json gives it: its polygon is in annotations.coco.json. */
export type RegionRow = Omit<Region, 'polygon'> & { sentence: string };

export interface RegionsFile {
  pixelThreshold: NormalLevel & { rule: string };
  images: { path: string; width: number; height: number; threshold: number; sentence: string; regions: RegionRow[] }[];
}

export interface FindingsSource {
  paths: readonly string[];
  sizes: readonly { width: number; height: number }[];
  /** S×S maps, one image at a time */
  map(n: number): Float32Array;
  size: number;
  grid: number;
  /** map maxima (raw scores) and verdicts of the images, and map maxima of the references */
  rawScores: ArrayLike<number>;
  verdicts: ReadonlyArray<Verdict | null>;
  referenceMaxima: readonly number[];
}

function regionRow(region: Region): RegionRow {
  const { bbox, area, areaPercent, centroid, position, peak, mean, elongation } = region;
  return { bbox, area, areaPercent, centroid, position, peak, mean, elongation, sentence: describeRegion(region) };
}

export function findingsFiles(source: FindingsSource): { regions: RegionsFile; coco: CocoInstances } {
  const level = normalLevel(
    Array.from(source.rawScores),
    source.verdicts.map((v) => v === 'normal'),
    source.referenceMaxima,
  );
  const found = source.paths.map((path, n) => ({
    path,
    ...source.sizes[n],
    ...imageFindings({
      map: source.map(n),
      size: source.size,
      grid: source.grid,
      ...source.sizes[n],
      normalLevel: level.value,
    }),
  }));
  return {
    regions: {
      pixelThreshold: { ...level, rule: PIXEL_THRESHOLD_RULE },
      images: found.map(({ path, width, height, threshold, sentence, regions }) => ({
        path,
        width,
        height,
        threshold,
        sentence,
        regions: regions.map(regionRow),
      })),
    },
    coco: cocoInstances(
      found.map((f) => ({ fileName: f.path, width: f.width, height: f.height, regions: f.regions })),
      `MuScope regions above the label-free pixel threshold: ${PIXEL_THRESHOLD_RULE}`,
    ),
  };
}
