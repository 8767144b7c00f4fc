// Pixel metrics of a scored set against its ground truth, image by image: each image's map
// upsampled to S×S in float64 (as the reference), its mask prepared by the dataset's rule, both
// added to one accumulator. The page, the CLI and the golden check share this loop; where the
// maps and masks come from (decoding files or blobs) is theirs.

import { throwIfAborted } from '../errors.ts';
import type { GrayImage } from '../preprocess/image.ts';
import { isEmptyMask, preprocessMask, type MaskRule } from '../preprocess/mask.ts';
import type { PixelMetrics } from '../types.ts';
import { PixelMetricsAccumulator } from './pixelMetrics.ts';

/** An image's ground truth: a decoded mask image, a mask already at S×S (1 = anomalous), or null for a normal image. */
export type GroundTruth = GrayImage | Uint8Array | null;

export interface PixelEvaluation {
  images: number;
  /** side S of maps and masks */
  size: number;
  /** writes image n's S×S anomaly map into `out` */
  map(n: number, out: Float64Array): Float64Array | Float32Array;
  mask(n: number): GroundTruth | Promise<GroundTruth>;
  rule: MaskRule;
  /** leave images whose mask is empty out (Magnetic Tile's empty `uneven` masks) */
  excludeEmpty?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** The metrics, and which images were left out for an empty mask. */
export async function evaluatePixels(e: PixelEvaluation): Promise<{ metrics: PixelMetrics; excluded: number[] }> {
  const { images, size } = e;
  const accumulator = new PixelMetricsAccumulator(size, size, images);
  const map = new Float64Array(size * size);
  const normal = new Uint8Array(size * size);
  const excluded: number[] = [];
  for (let n = 0; n < images; n++) {
    throwIfAborted(e.signal);
    e.onProgress?.(n, images);
    const truth = await e.mask(n);
    let mask: Uint8Array = normal;
    if (truth instanceof Uint8Array) mask = truth;
    else if (truth) {
      if (e.excludeEmpty && isEmptyMask(truth)) {
        excluded.push(n);
        continue;
      }
      mask = preprocessMask(truth, size, e.rule);
    }
    accumulator.add(e.map(n, map), mask);
  }
  e.onProgress?.(images, images);
  return { metrics: accumulator.finish(), excluded };
}
