// Bilinear resampling with PyTorch's F.interpolate semantics (mode='bilinear', no antialias):
// align_corners=true for the anomaly maps (docs/method.md §7), align_corners=false for CNN taps (§4).

import type { LayerFeatures, NchwTensor } from './types.ts';

/** For each output coordinate: the lower source index, the upper one (clamped) and the upper weight. */
export interface AxisTaps {
  lo: Int32Array;
  hi: Int32Array;
  weight: Float64Array;
}

export function axisTaps(inSize: number, outSize: number, alignCorners: boolean): AxisTaps {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const weight = new Float64Array(outSize);
  const scale = alignCorners ? (outSize > 1 ? (inSize - 1) / (outSize - 1) : 0) : inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = alignCorners ? scale * o : Math.max(0, scale * (o + 0.5) - 0.5);
    const l = Math.min(Math.floor(src), inSize - 1);
    lo[o] = l;
    hi[o] = l < inSize - 1 ? l + 1 : l;
    weight[o] = src - l;
  }
  return { lo, hi, weight };
}

/**
 * Upsamples one grid×grid map (row-major, at `offset` in `src`) to size×size with
 * align_corners=true, writing into `out` (float32 for display, float64 for exact maxima).
 */
export function upsampleMap(
  src: ArrayLike<number>,
  offset: number,
  grid: number,
  size: number,
  out: Float32Array | Float64Array,
): void {
  resampleMap(src, offset, grid, grid, size, size, out);
}

/**
 * Resamples one srcWidth×srcHeight map (row-major, at `offset` in `src`) to width×height with
 * align_corners=true into `out`: upsampleMap's rule for any shape, e.g. a map brought to an
 * image's own size for its regions (docs/method.md §18).
 */
export function resampleMap(
  src: ArrayLike<number>,
  offset: number,
  srcWidth: number,
  srcHeight: number,
  width: number,
  height: number,
  out: Float32Array | Float64Array,
): void {
  const tx = axisTaps(srcWidth, width, true);
  const ty = axisTaps(srcHeight, height, true);
  for (let y = 0; y < height; y++) {
    const r0 = offset + ty.lo[y] * srcWidth;
    const r1 = offset + ty.hi[y] * srcWidth;
    const wy = ty.weight[y];
    for (let x = 0; x < width; x++) {
      const c0 = tx.lo[x];
      const c1 = tx.hi[x];
      const wx = tx.weight[x];
      const top = (1 - wx) * src[r0 + c0] + wx * src[r0 + c1];
      const bottom = (1 - wx) * src[r1 + c0] + wx * src[r1 + c1];
      out[y * width + x] = (1 - wy) * top + wy * bottom;
    }
  }
}

/** Max of one grid×grid map upsampled to size×size in `scratch` (float64, reused): an image's raw score. */
export function mapMaximum(
  src: ArrayLike<number>,
  offset: number,
  grid: number,
  size: number,
  scratch: Float64Array,
): number {
  upsampleMap(src, offset, grid, size, scratch);
  let max = -Infinity;
  for (let i = 0; i < scratch.length; i++) if (scratch[i] > max) max = scratch[i];
  return max;
}

/**
 * Resamples a CNN tap [N, C, H, W] to grid×grid (bilinear, align_corners=false, no antialias,
 * like F.interpolate) and lays it out as patch tokens [N, grid², C] with no leading tokens.
 */
export function resampleNchw(tap: NchwTensor, grid: number): LayerFeatures {
  const { images, channels, height, width } = tap;
  const ty = axisTaps(height, grid, false);
  const tx = axisTaps(width, grid, false);
  const patches = grid * grid;
  const data = new Float32Array(images * patches * channels);
  for (let n = 0; n < images; n++) {
    for (let c = 0; c < channels; c++) {
      const plane = (n * channels + c) * height * width;
      for (let y = 0; y < grid; y++) {
        const r0 = plane + ty.lo[y] * width;
        const r1 = plane + ty.hi[y] * width;
        const wy = ty.weight[y];
        for (let x = 0; x < grid; x++) {
          const wx = tx.weight[x];
          const top = (1 - wx) * tap.data[r0 + tx.lo[x]] + wx * tap.data[r0 + tx.hi[x]];
          const bottom = (1 - wx) * tap.data[r1 + tx.lo[x]] + wx * tap.data[r1 + tx.hi[x]];
          data[(n * patches + y * grid + x) * channels + c] = (1 - wy) * top + wy * bottom;
        }
      }
    }
  }
  return { data, images, grid, dim: channels, skip: 0 };
}
