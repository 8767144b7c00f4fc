// Unit feature rows Z [N, P, D] of one (degree, layer) set on the GPU: split into chunks of whole
// images (one storage binding each), rows zero-padded to a multiple of 4 dims for vec4 loads,
// plus the squared norm of every stored row (the CPU engine's distance uses them).

import type { BufferPool } from './buffers.ts';
import { readBack, storageBuffer } from './buffers.ts';
import type { GpuContext } from './context.ts';
import { imagesPerBinding, splitImages, type ImageRange } from './plan.ts';
import { bytesPerFeature, type FeatureStorage } from './shaders/storage.ts';

export interface FeatureSet {
  images: number;
  patches: number;
  dim: number;
  dimPadded: number;
  storage: FeatureStorage;
  imagesPerChunk: number;
  ranges: ImageRange[];
  /** chunks[c] holds the rows of ranges[c] */
  chunks: GPUBuffer[];
  /** [N·P] squared norms of the stored rows */
  norms: GPUBuffer;
}

export const padDim = (dim: number): number => Math.ceil(dim / 4) * 4;

/** Allocates the chunks; `extraBytesPerImage` is what else must fit one binding per image (LNAMD's taps). */
export function allocateFeatureSet(
  ctx: GpuContext,
  pool: BufferPool,
  shape: { images: number; patches: number; dim: number; storage: FeatureStorage },
  extraBytesPerImage = 0,
): FeatureSet {
  const { images, patches, dim, storage } = shape;
  const dimPadded = padDim(dim);
  const rowBytes = dimPadded * bytesPerFeature(storage);
  const imagesPerChunk = imagesPerBinding(
    Math.max(patches * rowBytes, extraBytesPerImage),
    ctx.bindingCap,
    images,
    'features',
  );
  const ranges = splitImages(images, imagesPerChunk);
  const chunks = ranges.map((r, c) =>
    pool.track(storageBuffer(ctx.device, r.count * patches * rowBytes, `features ${c}`)),
  );
  const norms = pool.track(storageBuffer(ctx.device, images * patches * 4, 'feature norms'));
  return { images, patches, dim, dimPadded, storage, imagesPerChunk, ranges, chunks, norms };
}

/** Uploads CPU unit rows z [N, P, D] (kept as f32) with their squared norms. */
export function uploadFeatureSet(
  ctx: GpuContext,
  pool: BufferPool,
  z: Float32Array,
  images: number,
  patches: number,
  dim: number,
): FeatureSet {
  if (z.length !== images * patches * dim)
    throw new RangeError(`features hold ${z.length} values, expected ${images}·${patches}·${dim}`);
  const set = allocateFeatureSet(ctx, pool, { images, patches, dim, storage: 'f32' });
  const { dimPadded, ranges, chunks } = set;
  const rows = images * patches;
  const norms = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    let s = 0;
    for (let d = row * dim, end = d + dim; d < end; d++) s += z[d] * z[d];
    norms[row] = s;
  }
  ctx.device.queue.writeBuffer(set.norms, 0, norms);
  ranges.forEach(({ first, count }, c) => {
    const part = z.subarray(first * patches * dim, (first + count) * patches * dim);
    ctx.device.queue.writeBuffer(
      chunks[c],
      0,
      dim === dimPadded ? part : padRows(part, count * patches, dim, dimPadded),
    );
  });
  return set;
}

/** Rows of `dim` values spaced to `dimPadded` (zeros between), the layout the kernels read in vec4s. */
export function padRows(rows: Float32Array, count: number, dim: number, dimPadded: number): Float32Array {
  const out = new Float32Array(count * dimPadded);
  for (let r = 0; r < count; r++) out.set(rows.subarray(r * dim, (r + 1) * dim), r * dimPadded);
  return out;
}

/** IEEE half → float, for reading back f16 rows. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Reads the rows back as f32 [N, P, D] without padding. */
export async function readFeatureSet(ctx: GpuContext, set: FeatureSet): Promise<Float32Array> {
  const { patches, dim, dimPadded, storage, ranges, chunks } = set;
  const out = new Float32Array(set.images * patches * dim);
  for (const [c, { first, count }] of ranges.entries()) {
    const bytes = await readBack(ctx.device, chunks[c], 0, count * patches * dimPadded * bytesPerFeature(storage));
    const values = storage === 'f16' ? Float32Array.from(new Uint16Array(bytes), halfToFloat) : new Float32Array(bytes);
    for (let r = 0; r < count * patches; r++) {
      out.set(values.subarray(r * dimPadded, r * dimPadded + dim), (first * patches + r) * dim);
    }
  }
  return out;
}
