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

/**
 * Image n's patch features [P·D] less the scalar mean of all P·D values (float64): the part of
 * LNAMD every degree shares.
 */
export function centredImage(layer: LayerFeatures, n: number): Float64Array {
  const { grid, dim, skip, data } = layer;
  const size = grid * grid * dim;
  const start = (n * (skip + grid * grid) + skip) * dim;
  let sum = 0;
  for (let i = 0; i < size; i++) sum += data[start + i];
  const mean = sum / size;
  if (!Number.isFinite(mean)) {
    throw new MuscError(
      'invalid-input',
      `The features of image ${n + 1} contain invalid numbers (NaN or infinity). The model output is broken; try its fp32 variant or another backend.`,
    );
  }
  const centred = new Float64Array(size);
  for (let i = 0; i < size; i++) centred[i] = data[start + i] - mean;
  return centred;
}

/** Each patch's sum over its r×r neighbourhood (out-of-grid neighbours skipped); r = 1 gives `centred` itself. */
export function windowSums(centred: Float64Array, grid: number, dim: number, r: number): Float64Array {
  assertDegree(r);
  if (r === 1) return centred;
  const radius = (r - 1) / 2;
  const scratch = new Float64Array(centred.length);
  const summed = new Float64Array(centred.length);
  boxSumAxis(centred, scratch, grid, dim, radius, true);
  boxSumAxis(scratch, summed, grid, dim, radius, false);
  return summed;
}

/** Unit-norm aggregated patch features Z [N, P, D] of one layer at degree r (odd). */
export function lnamd(layer: LayerFeatures, r: number): Float32Array {
  assertDegree(r);
  const { images, grid, dim } = layer;
  const patches = grid * grid;
  const size = patches * dim;
  const z = new Float32Array(images * size);
  for (let n = 0; n < images; n++) {
    const summed = windowSums(centredImage(layer, n), grid, dim, r);
    for (let p = 0; p < patches; p++) l2NormalizeInto(summed, p * dim, z, n * size + p * dim, dim);
  }
  return z;
}
