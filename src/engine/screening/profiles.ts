// What the screening of a batch (screen.ts) reads from the nearest-patch distances mutual scoring
// already measured (docs/method.md §6): a scoring session keeps, for each image and each image that
// scores it, the distance of every patch to its nearest patch of that scorer in every feature set
// ([sets·P], sets degree-major then layer). Nothing here computes a new image pair.

import { median } from '../verdict/robust.ts';

/** [P] each patch's distance averaged over the feature sets, the quantity the evidence ranks by (docs/method.md §18). */
export function meanOverSets(row: Float32Array, sets: number): Float64Array {
  const P = row.length / sets;
  const out = new Float64Array(P);
  for (let s = 0; s < sets; s++) for (let p = 0; p < P; p++) out[p] += row[s * P + p] / sets;
  return out;
}

/** Median over the patches of the mean over the sets: how far image i's typical patch is from image j. */
export function typicalDistance(row: Float32Array, sets: number): number {
  return median(Array.from(meanOverSets(row, sets)).sort((a, b) => a - b));
}

/** [sets·P] the smallest of each value over rows: a group of images scoring as one (its nearest member per patch). */
export function elementwiseMin(rows: readonly Float32Array[]): Float32Array {
  const out = Float32Array.from(rows[0]);
  for (const row of rows.slice(1)) for (let v = 0; v < out.length; v++) if (row[v] < out[v]) out[v] = row[v];
  return out;
}

/**
 * The median over the patches of each patch's distance to its nearest scorer (mean over the sets):
 * the image's usual nearest distance, as the evidence defines it (docs/method.md §18).
 */
export function usualNearest(rows: readonly Float32Array[], sets: number): number {
  const nearest = meanOverSets(rows[0], sets);
  for (const row of rows.slice(1)) {
    const profile = meanOverSets(row, sets);
    for (let p = 0; p < nearest.length; p++) if (profile[p] < nearest[p]) nearest[p] = profile[p];
  }
  return median(Array.from(nearest).sort((a, b) => a - b));
}
