// A bit-exact port of Pillow's `ImagingResample` for 8-bit images (libImaging/Resample.c), the
// resize the reference runs (torchvision Resize on a PIL image → `Image.resize`). Pillow
// convolves separably with a filter whose support is widened by the downscale factor
// (antialiasing), quantises the weights to 22-bit fixed point, rounds and clips every pass to
// 8 bits, and runs the horizontal pass before the vertical one. Each of those steps changes
// pixel values, so all are reproduced exactly; the same code then serves the browser and Node.

import type { ResizeFilter } from './spec.ts';
import { assertRaster, type Raster8 } from './image.ts';

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

interface Filter {
  support: number;
  weight(x: number): number;
}

const FILTERS: Record<ResizeFilter, Filter> = {
  bilinear: {
    support: 1,
    weight(x) {
      const t = Math.abs(x);
      return t < 1 ? 1 - t : 0;
    },
  },
  bicubic: {
    // Keys cubic with a = −0.5, written in Pillow's evaluation order.
    support: 2,
    weight(x) {
      const a = -0.5;
      const t = Math.abs(x);
      if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
      if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
      return 0;
    },
  },
};

/** Per output pixel: first input index, tap count, and `ksize` fixed-point weights. */
interface Coefficients {
  ksize: number;
  first: Int32Array;
  count: Int32Array;
  weights: Int32Array;
}

/** Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the full-image box. */
function precomputeCoefficients(inSize: number, outSize: number, filter: Filter): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const taps = new Float64Array(ksize);
  const invFilterScale = 1 / filterScale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xmax = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let sum = 0;
    for (let x = 0; x < xmax; x++) {
      const w = filter.weight((x + xmin - center + 0.5) * invFilterScale);
      taps[x] = w;
      sum += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = sum !== 0 ? taps[x] / sum : taps[x];
      weights[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    first[xx] = xmin;
    count[xx] = xmax;
  }
  return { ksize, first, count, weights };
}

/** Pillow's `clip8`: drop the fixed-point fraction and saturate to [0, 255]. */
function clip8(acc: number): number {
  if (acc >= ONE * 256) return 255;
  if (acc <= 0) return 0;
  return Math.floor(acc / ONE);
}

function resampleHorizontal(src: Raster8, rowOffset: number, rows: number, outWidth: number, c: Coefficients): Raster8 {
  const { data, width, channels } = src;
  const out = new Uint8Array(outWidth * rows * channels);
  for (let y = 0; y < rows; y++) {
    const srcRow = (y + rowOffset) * width * channels;
    const dstRow = y * outWidth * channels;
    for (let xx = 0; xx < outWidth; xx++) {
      const xmin = c.first[xx];
      const n = c.count[xx];
      const k = xx * c.ksize;
      for (let ch = 0; ch < channels; ch++) {
        let acc = HALF;
        for (let x = 0; x < n; x++) acc += data[srcRow + (xmin + x) * channels + ch] * c.weights[k + x];
        out[dstRow + xx * channels + ch] = clip8(acc);
      }
    }
  }
  return { data: out, width: outWidth, height: rows, channels };
}

function resampleVertical(src: Raster8, rowOffset: number, outHeight: number, c: Coefficients): Raster8 {
  const { data, width, channels } = src;
  const stride = width * channels;
  const out = new Uint8Array(outHeight * stride);
  for (let yy = 0; yy < outHeight; yy++) {
    const ymin = c.first[yy] - rowOffset;
    const n = c.count[yy];
    const k = yy * c.ksize;
    for (let i = 0; i < stride; i++) {
      let acc = HALF;
      for (let y = 0; y < n; y++) acc += data[(ymin + y) * stride + i] * c.weights[k + y];
      out[yy * stride + i] = clip8(acc);
    }
  }
  return { data: out, width, height: outHeight, channels };
}

/**
 * Resizes an 8-bit raster to outWidth×outHeight exactly as Pillow's `Image.resize(size, filter)`
 * does (no box, no reducing_gap). Same size returns a copy, as Pillow does.
 */
export function pilResize(src: Raster8, outWidth: number, outHeight: number, filterName: ResizeFilter): Raster8 {
  assertRaster(src);
  if (!Number.isInteger(outWidth) || !Number.isInteger(outHeight) || outWidth < 1 || outHeight < 1) {
    throw new RangeError(`Resize target must be positive integers, got ${outWidth}×${outHeight}`);
  }
  const filter = FILTERS[filterName];
  const needHorizontal = outWidth !== src.width;
  const needVertical = outHeight !== src.height;
  if (!needHorizontal && !needVertical) return { ...src, data: src.data.slice() };

  const vertical = precomputeCoefficients(src.height, outHeight, filter);
  let image = src;
  let rowOffset = 0;
  if (needHorizontal) {
    // Only the rows the vertical pass reads are resampled horizontally, as in Pillow.
    const firstRow = vertical.first[0];
    const lastRow = vertical.first[outHeight - 1] + vertical.count[outHeight - 1];
    const rows = needVertical ? lastRow - firstRow : src.height;
    rowOffset = needVertical ? firstRow : 0;
    image = resampleHorizontal(src, rowOffset, rows, outWidth, precomputeCoefficients(src.width, outWidth, filter));
  }
  if (!needVertical) return image;
  return resampleVertical(image, needHorizontal ? rowOffset : 0, outHeight, vertical);
}
