// MSM rows on the WebAssembly SIMD kernel (wasm/nearest.wat): a feature set is copied into the
// kernel's memory once, then each row(i) runs image i against every later image, both
// directions, and returns nearest-patch distances (msm.ts PairRow). Plain TypeScript over
// WebAssembly, so it runs the same in a Web Worker, in Node and in Vitest; the browser spreads
// rows over several workers (src/worker/msmPool.ts).
//
// Layout in the kernel's memory: images of `stride` rows of `width` floats, then float64 squared
// norms, then the two minima buffers. Rows are padded to a multiple of 4 floats with zeros (dot
// products unchanged), and images of fewer than 4 patches repeat their last patch (a minimum is
// unchanged by a duplicate), which meets the kernel's tile preconditions for any shape.

import { lnamd } from '../lnamd.ts';
import { distance, mutualScoresByRows, squaredNorms, type PairRows, type PairRowsLoader } from '../msm.ts';
import type { FeatureSet, FeatureSetScorer } from '../types.ts';
import kernelBytes from './wasm/nearest.wat';

interface NearestExports {
  nearest(a: number, rows: number, b: number, cols: number, dim: number, normsA: number, normsB: number, rowMin: number, colMin: number): void;
}

const PAGE_BYTES = 65536;
const MAX_PAGES = 65536; // 4 GiB, wasm32's limit
const MIN_TILE_ROWS = 4;

let compiled: WebAssembly.Module | undefined;

/** Loads the set into a fresh kernel instance; the returned rows read only that copy. */
export function createNearestRows({ z, images, patches, dim }: FeatureSet): PairRows {
  const width = Math.ceil(dim / 4) * 4;
  const stride = Math.max(patches, MIN_TILE_ROWS);
  const zBytes = images * stride * width * 4;
  const normsAt = zBytes;
  const rowMinAt = normsAt + images * stride * 8;
  const colMinAt = rowMinAt + stride * 8;
  const pages = Math.ceil((colMinAt + stride * 8) / PAGE_BYTES);
  if (pages > MAX_PAGES) throw new RangeError(`A feature set of ${images} images × ${patches} patches × ${dim} values needs more than 4 GiB; score it in smaller batches.`);

  compiled ??= new WebAssembly.Module(kernelBytes);
  const memory = new WebAssembly.Memory({ initial: pages });
  const kernel = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as NearestExports;
  const rowsView = new Float32Array(memory.buffer, 0, zBytes / 4);
  const norms = new Float64Array(memory.buffer, normsAt, images * stride);
  const source = squaredNorms(z, images * patches, dim);
  for (let n = 0; n < images; n++) {
    for (let p = 0; p < stride; p++) {
      const from = (n * patches + Math.min(p, patches - 1)) * dim;
      rowsView.set(z.subarray(from, from + dim), (n * stride + p) * width);
      norms[n * stride + p] = source[n * patches + Math.min(p, patches - 1)];
    }
  }
  const rowMin = new Float64Array(memory.buffer, rowMinAt, stride);
  const colMin = new Float64Array(memory.buffer, colMinAt, stride);
  const imageAt = (n: number): number => n * stride * width * 4;
  const normsOf = (n: number): number => normsAt + n * stride * 8;

  return (i) => {
    const later = images - 1 - i;
    const forward = new Float32Array(patches * later);
    const backward = new Float32Array(later * patches);
    for (let t = 0; t < later; t++) {
      const j = i + 1 + t;
      rowMin.fill(Infinity);
      colMin.fill(Infinity);
      kernel.nearest(imageAt(i), stride, imageAt(j), stride, width, normsOf(i), normsOf(j), rowMinAt, colMinAt);
      for (let p = 0; p < patches; p++) forward[p * later + t] = distance(rowMin[p] + norms[i * stride + p]);
      for (let q = 0; q < patches; q++) backward[t * patches + q] = distance(colMin[q] + norms[j * stride + q]);
    }
    return Promise.resolve({ forward, backward });
  };
}

/**
 * A RunOptions.scoreFeatureSet from a row source: LNAMD on the CPU, then MSM with `load`'s rows,
 * `concurrency` rows in flight (a pool of workers each holding the set, or one in-process copy).
 */
export function rowsScorer(load: PairRowsLoader, concurrency = 1): FeatureSetScorer {
  return async (layer, r, window, progress) => {
    const patches = layer.grid * layer.grid;
    const rows = await load({ z: lnamd(layer, r), images: layer.images, patches, dim: layer.dim });
    return mutualScoresByRows(layer.images, patches, window, rows, { ...progress, concurrency });
  };
}

/** The WebAssembly kernel on the calling thread (Node, tests; the browser uses the worker pool). */
export const nearestRowsLoader: PairRowsLoader = (set) => Promise.resolve(createNearestRows(set));
export const nearestRowsScorer: FeatureSetScorer = rowsScorer(nearestRowsLoader);
