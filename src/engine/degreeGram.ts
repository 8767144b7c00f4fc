// Every LNAMD degree of one layer from one product matrix per image pair. LNAMD's feature at
// degree r is z_p = u_p / ‖u_p‖ with u = S_r·C: C the image's centred patch features, S_r the sum
// over each patch's r×r neighbourhood (lnamd.ts). So for images a and b
//   z_p^a · z_q^b = (S_r · G · S_rᵀ)_pq / (‖u_p^a‖ ‖u_q^b‖),   G = C_a · C_bᵀ  [P, P],
// and one product G (P²·D multiply-adds) serves every degree: the window sums over G cost O(P²)
// per degree, where scoring each degree's features apart costs P²·D each (docs/method.md §5–6).
// G comes from a kernel in float32; the window sums and distances run in float64
// (kernels/degreeWindows.ts).

import { centredImage, windowSums } from './lnamd.ts';
import type { PairRow } from './msm.ts';
import type { LayerFeatures } from './types.ts';

/** Below this norm a vector counts as zero, as in l2NormalizeInto (vector.ts). */
const NORM_EPS = 1e-12;

/** Per degree [P]: 1/‖u_p‖, and ‖z_p‖² (1, or 0 for a zero u_p). */
export interface DegreeNorms {
  inverseNorms: Float64Array[];
  unitNorms: Float64Array[];
}

/** One image of a layer for degree sharing: its norms and centred features [P·D], what the product kernel reads. */
export interface DegreeImage extends DegreeNorms {
  centred: Float32Array;
}

/** Image n of `layer` prepared for the degrees (odd, e.g. [1, 3, 5]). */
export function degreeImage(layer: LayerFeatures, n: number, degrees: readonly number[]): DegreeImage {
  const { grid, dim } = layer;
  const patches = grid * grid;
  const centred = centredImage(layer, n);
  const inverseNorms: Float64Array[] = [];
  const unitNorms: Float64Array[] = [];
  for (const r of degrees) {
    const summed = windowSums(centred, grid, dim, r);
    const inverse = new Float64Array(patches);
    const unit = new Float64Array(patches);
    for (let p = 0; p < patches; p++) {
      let sq = 0;
      for (let d = p * dim, end = d + dim; d < end; d++) sq += summed[d] * summed[d];
      const norm = Math.sqrt(sq);
      inverse[p] = 1 / Math.max(norm, NORM_EPS);
      unit[p] = (norm * inverse[p]) ** 2;
    }
    inverseNorms.push(inverse);
    unitNorms.push(unit);
  }
  return { centred: Float32Array.from(centred), inverseNorms, unitNorms };
}

/** Nearest-patch distances of one pair at every degree: rows[d][p] from a's patch p to b, cols[d][q] from b's patch q to a. */
export interface DegreeNearest {
  rows: Float64Array[];
  cols: Float64Array[];
}

/** Empty rows for image i against `count` partners, one PairRow per degree (msm.ts layout). */
export function degreeRows(degrees: number, patches: number, count: number): PairRow[] {
  return Array.from({ length: degrees }, () => ({
    forward: new Float32Array(patches * count),
    backward: new Float32Array(count * patches),
  }));
}

/** One pair's distances (against partner t of `count`) into each degree's row. */
export function placePair(rows: readonly PairRow[], nearest: DegreeNearest, t: number, count: number): void {
  rows.forEach(({ forward, backward }, d) => {
    const toPartner = nearest.rows[d];
    for (let p = 0; p < toPartner.length; p++) forward[p * count + t] = toPartner[p];
    backward.set(nearest.cols[d], t * toPartner.length);
  });
}
