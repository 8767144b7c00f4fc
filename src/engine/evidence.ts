// Evidence for a finding: which patch of another image is nearest to a given patch, measured as
// scoring measures it (docs/method.md "Evidence"): the distance between LNAMD features, averaged
// over every (degree, layer) feature set. Scoring keeps only each pair's minimum distances, not
// where they were found, so the position is computed again here, for the few images shown.
import { oneImage } from './layers.ts';
import { lnamd } from './lnamd.ts';
import type { LayerFeatures } from './types.ts';

export interface NearestPatch {
  /** patch index in the target image, row-major on the grid */
  patch: number;
  /** mean over the feature sets of the Euclidean distance between the two patches' features */
  distance: number;
}

/**
 * The patch of `target` nearest to patch `patch` of `query`. Both are one image's taps (image 0
 * of each layer), on the same grid and layers.
 */
export function nearestPatch(
  query: readonly LayerFeatures[],
  target: readonly LayerFeatures[],
  patch: number,
  rList: readonly number[],
): NearestPatch {
  const { grid } = query[0];
  const P = grid * grid;
  const sums = new Float64Array(P);
  let sets = 0;
  for (const r of rList) {
    query.forEach((layer, l) => {
      const { dim } = layer;
      const a = lnamd(oneImage(layer, 0), r).subarray(patch * dim, (patch + 1) * dim);
      const b = lnamd(oneImage(target[l], 0), r);
      for (let q = 0; q < P; q++) {
        let squared = 0;
        for (let d = 0; d < dim; d++) {
          const diff = a[d] - b[q * dim + d];
          squared += diff * diff;
        }
        sums[q] += Math.sqrt(squared);
      }
      sets += 1;
    });
  }
  let best = 0;
  for (let q = 1; q < P; q++) if (sums[q] < sums[best]) best = q;
  return { patch: best, distance: sums[best] / sets };
}
