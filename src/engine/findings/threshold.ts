// A pixel threshold that needs no labels (docs/method.md §18). The batch's normal level is
// taken from the map maxima (raw image scores) of the images known or judged normal; an image's
// own threshold lies halfway between that level and its own peak, so a region is where the map
// stands out by at least half of the image's excess over normal (a half-maximum width), and an
// image whose peak does not pass the normal level has no region. Chosen by measurement among
// four label-free rules (§18).

import { OUTLIER_Z } from '../verdict/batchThreshold.ts';
import { robustSpread } from '../verdict/robust.ts';

export type NormalBasis = 'references' | 'references and images judged normal' | 'images judged normal' | 'all images';

export interface NormalLevel {
  /** median + 3 robust SD (1.4826·MAD) of the normal images' map maxima */
  value: number;
  basis: NormalBasis;
  /** how many maps it was taken from */
  images: number;
}

export const PIXEL_THRESHOLD_RULE = `normal level = median + ${OUTLIER_Z} robust SD (1.4826·MAD) of the map maxima of the known-good references when there are 3, else of them and the images judged normal together (of all images when fewer than 3 are); each image's pixel threshold is halfway between the normal level and its own map maximum, and never below the normal level.`;

/** Fewer normal maps than this say too little; all images are used then. */
const MIN_NORMAL_MAPS = 3;

/**
 * The normal level from raw image scores (map maxima): `references` when there are at least 3,
 * else the references with the `normal` images (flags over `maxima`) when they make 3, else all
 * of `maxima`.
 */
export function normalLevel(
  maxima: readonly number[],
  normal: readonly boolean[],
  references: readonly number[] = [],
): NormalLevel {
  const judged = [...references, ...maxima.filter((_, n) => normal[n])];
  const [values, basis]: [readonly number[], NormalBasis] =
    references.length >= MIN_NORMAL_MAPS
      ? [references, 'references']
      : judged.length >= MIN_NORMAL_MAPS
        ? [judged, references.length ? 'references and images judged normal' : 'images judged normal']
        : [maxima, 'all images'];
  const spread = robustSpread(values);
  return { value: spread.median + OUTLIER_Z * spread.sigma, basis, images: values.length };
}

/** One image's pixel threshold: halfway from the normal level to its own peak, never below the level. */
export function imageThreshold(level: number, peak: number): number {
  return Math.max(level, (level + peak) / 2);
}
