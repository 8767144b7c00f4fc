// Config checks and the two batch-size rules of MuSc: which ranks of the N−1 scorers MSM averages
// (docs/method.md §6) and which RsCIN windows apply (§8). Every refusal says what to do next.

import { assertTolerance } from './alignment.ts';
import { MuscError } from './errors.ts';
import type { MuscConfig } from './types.ts';

/** Below this many images the default interval keeps no scorer (k = floor(0.3·(N−1)) = 0). */
export const MIN_IMAGES = 5;

/** Ascending rank range [kMin, kMax) of the N−1 nearest-patch distances that MSM averages. */
export interface RankInterval {
  kMin: number;
  kMax: number;
}

export interface ScorerWindow extends RankInterval {
  /** forceSmallBatch was needed to score this batch */
  forced: boolean;
}

export interface RscinPlan {
  /** windows to apply; empty = RsCIN skipped */
  windows: number[];
  /** forceSmallBatch clamped windows larger than the batch */
  forced: boolean;
}

function invalidConfig(message: string): MuscError {
  return new MuscError('invalid-config', message);
}

export function assertDegree(r: number): void {
  if (!Number.isInteger(r) || r < 1 || r % 2 === 0) {
    throw invalidConfig(
      `Aggregation degrees must be odd whole numbers such as 1, 3, 5; got ${r}. Use odd degrees only.`,
    );
  }
}

function assertIntervalBound(bound: number): void {
  if (!Number.isFinite(bound) || bound < 0 || (bound >= 1 && !Number.isInteger(bound))) {
    throw invalidConfig(
      `Each bound of the scoring interval must be a fraction in [0, 1) or a whole count of images; got ${bound}. ` +
        'The default interval is [0, 0.3].',
    );
  }
}

export function validateConfig(config: MuscConfig): void {
  if (config.rList.length === 0)
    throw invalidConfig('No aggregation degree given. Use at least one odd degree, for example [1, 3, 5].');
  config.rList.forEach(assertDegree);
  config.interval.forEach(assertIntervalBound);
  for (const k of config.kList) {
    if (!Number.isInteger(k) || k < 0) {
      throw invalidConfig(
        `RsCIN windows must be whole numbers ≥ 0; got ${k}. Use for example [1, 2, 3], or [] to skip RsCIN.`,
      );
    }
  }
  if (config.alignedTolerance != null) assertTolerance(config.alignedTolerance);
  if (config.candidates != null && (!Number.isInteger(config.candidates) || config.candidates < 1))
    throw invalidConfig(`The number of candidate images must be a whole number ≥ 1; got ${config.candidates}.`);
  if (!Number.isInteger(config.imageSize) || config.imageSize < 2) {
    throw invalidConfig(`The anomaly map size must be a whole number of pixels ≥ 2; got ${config.imageSize}.`);
  }
}

/** A bound below 1 is a fraction of the N−1 scorers (truncated like the reference's int()); else a count. */
function boundToCount(bound: number, scorers: number): number {
  return bound < 1 ? Math.floor(bound * scorers) : bound;
}

export function scorerWindow(
  images: number,
  interval: readonly [number, number],
  forceSmallBatch: boolean,
): ScorerWindow {
  interval.forEach(assertIntervalBound);
  const scorers = images - 1;
  if (images < 2) {
    throw new MuscError(
      'too-few-images',
      `Mutual scoring compares each image with the others, so it needs at least 2 images even when forced (${MIN_IMAGES} or more for real results); got ${images}. Add more images of the same product.`,
    );
  }
  if (images < MIN_IMAGES && !forceSmallBatch) {
    throw new MuscError(
      'too-few-images',
      `Mutual scoring needs at least ${MIN_IMAGES} images of the same product; got ${images}. ` +
        'Add more images, or score anyway (the scores of such a small batch are unreliable and will be labelled as forced).',
    );
  }
  let kMin = boundToCount(interval[0], scorers);
  let kMax = boundToCount(interval[1], scorers);
  if (kMax < kMin) [kMin, kMax] = [kMax, kMin]; // the reference swaps reversed bounds
  if (kMax > scorers) {
    throw invalidConfig(
      `The scoring interval asks for the ${kMax} closest of the other images, but each image has only ${scorers} others. ` +
        'Lower the interval bounds or add more images.',
    );
  }
  let forced = images < MIN_IMAGES;
  if (kMax === kMin) {
    if (!forceSmallBatch) {
      throw invalidConfig(
        `The scoring interval [${interval[0]}, ${interval[1]}] keeps none of the ${scorers} other images for a batch of ${images}. ` +
          'Widen the interval, add more images, or score anyway.',
      );
    }
    // k = max(1, …): keep at least one scorer, the next rank up when there is one.
    if (kMax < scorers) kMax += 1;
    else kMin -= 1;
    forced = true;
  }
  return { kMin, kMax, forced };
}

export function rscinPlan(
  images: number,
  kList: readonly number[],
  hasEmbeddings: boolean,
  forceSmallBatch: boolean,
): RscinPlan {
  if (!hasEmbeddings || kList.length === 0 || kList.includes(0)) return { windows: [], forced: false };
  const largest = Math.max(...kList);
  if (largest <= images) return { windows: [...kList], forced: false };
  // The reference raises here. Clamping silently would change the method (windows above N all
  // collapse to "every image"), so only an explicit "score anyway" clamps, and the result says so.
  if (!forceSmallBatch) {
    throw new MuscError(
      'rscin-too-few-images',
      `Re-scoring with similar images (RsCIN) uses windows of up to ${largest} images, but the batch has only ${images}. ` +
        `Add at least ${largest - images} more image(s), use smaller windows such as [1, 2, 3], turn RsCIN off, or score anyway.`,
    );
  }
  return { windows: kList.map((k) => Math.min(k, images)), forced: true };
}
