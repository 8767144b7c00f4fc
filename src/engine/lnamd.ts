// LNAMD (docs/method.md §5) in its exact simplified form: per image and layer subtract the scalar mean of
// all P·D values, sum each r×r neighbourhood (out-of-grid neighbours skipped), L2-normalise.
// The LayerNorm's σ and the pooling divisor cancel under the normalisation.

import { assertDegree } from './config.ts';
import { MuscError } from './errors.ts';
import type { LayerFeatures } from './types.ts';
import { l2NormalizeInto } from './vector.ts';

/** Sums each row-vector of `src` over a window of `radius` grid steps along one axis into `out`. */
function boxSumAxis(
  src: Float64Array,
  out: Float64Array,
  grid: number,
  dim: number,
  radius: number,
  alongRows: boolean,
): void {
  out.fill(0);
  for (let y = 0; y < grid; y++) {
    for (let x = 0; x < grid; x++) {
      const at = alongRows ? x : y;
      const from = Math.max(0, at - radius);
      const to = Math.min(grid - 1, at + radius);
      const dst = (y * grid + x) * dim;
      for (let s = from; s <= to; s++) {
        const srcPatch = alongRows ? y * grid + s : s * grid + x;
        const base = srcPatch * dim;
        for (let d = 0; d < dim; d++) out[dst + d] += src[base + d];
      }
    }
  }
}

/** Unit-norm aggregated patch features Z [N, P, D] of one layer at degree r (odd). */
export function lnamd(layer: LayerFeatures, r: number): Float32Array {
  assertDegree(r);
  const { images, grid, dim, skip, data } = layer;
  const patches = grid * grid;
  const tokens = skip + patches;
  const size = patches * dim;
  const centred = new Float64Array(size);
  const scratch = r > 1 ? new Float64Array(size) : centred;
  const summed = r > 1 ? new Float64Array(size) : centred;
  const z = new Float32Array(images * size);
  const radius = (r - 1) / 2;
  for (let n = 0; n < images; n++) {
    const start = (n * tokens + skip) * dim;
    let sum = 0;
    for (let i = 0; i < size; i++) sum += data[start + i];
    const mean = sum / size;
    if (!Number.isFinite(mean)) {
      throw new MuscError(
        'invalid-input',
        `The features of image ${n + 1} contain invalid numbers (NaN or infinity). The model output is broken; try its fp32 variant or another backend.`,
      );
    }
    for (let i = 0; i < size; i++) centred[i] = data[start + i] - mean;
    if (r > 1) {
      boxSumAxis(centred, scratch, grid, dim, radius, true);
      boxSumAxis(scratch, summed, grid, dim, radius, false);
    }
    for (let p = 0; p < patches; p++) l2NormalizeInto(summed, p * dim, z, n * size + p * dim, dim);
  }
  return z;
}
