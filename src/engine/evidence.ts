// Evidence for a finding (docs/method.md §18, "Evidence"): which images of the batch come nearest
// to a patch and how far that is against the image's typical patch, from the nearest-patch
// distances a scoring session keeps, and where in another image the nearest patch is. Scoring
// keeps only each pair's minimum distances, not where they were found, so the position is
// computed again here, for the few images shown.
import { oneImage } from './layers.ts';
import { lnamd } from './lnamd.ts';
import type { LayerFeatures } from './types.ts';
import { median } from './verdict/robust.ts';

/** One scorer's nearest-patch distances to an image: [sets·P], sets degree-major then layer, as a session keeps them. */
export interface ScorerDistances {
  id: string;
  distances: Float32Array;
}

/** What `nearestScorers` finds for one patch. */
export interface NearestScorers {
  /** every scorer with the patch's distance to it (mean over the sets), nearest first */
  matches: Array<{ id: string; distance: number }>;
  /** the median over the image's patches of their distance to their nearest scorer */
  usual: number;
}

/** The patch's distance to each scorer, nearest first, and the image's usual nearest distance. */
export function nearestScorers(rows: readonly ScorerDistances[], sets: number, patch: number): NearestScorers {
  const P = rows.length ? rows[0].distances.length / sets : 0;
  if (patch < 0 || patch >= P) throw new RangeError(`patch ${patch} is outside the image's ${P} patches`);
  const meanOverSets = (row: Float32Array, p: number): number => {
    let sum = 0;
    for (let s = 0; s < sets; s++) sum += row[s * P + p];
    return sum / sets;
  };
  const matches = rows
    .map(({ id, distances }) => ({ id, distance: meanOverSets(distances, patch) }))
    .sort((a, b) => a.distance - b.distance);
  const nearest = Array.from({ length: P }, (_, p) => Math.min(...rows.map((r) => meanOverSets(r.distances, p))));
  return { matches, usual: median(nearest.sort((a, b) => a - b)) };
}

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
