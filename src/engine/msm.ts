// MSM (musc.md §3): every patch of image i is scored by its nearest-patch Euclidean distance to
// each other image j; the distances of ranks [kMin, kMax) (ascending) are averaged.
// The work is a triangle of unordered pairs, handed out a row at a time: row i is image i
// against every j > i, and one similarity pass per pair serves both directions (its row minima
// score i against j, its column minima j against i). A row source computes rows — here with a
// matmul kernel (TypeScript, onnxruntime), in kernels/nearestRows.ts with a WebAssembly SIMD
// kernel — and the driver fills the N×P×(N−1) distance table. Never N·P × N·P in memory.

import type { RankInterval } from './config.ts';
import { throwIfAborted } from './errors.ts';
import type { FeatureSet, SimilarityKernel } from './types.ts';

export const DEFAULT_MAX_TILE_BYTES = 32 * 1024 * 1024;
/** How long the loop may run before it yields, so a worker can receive an abort message. */
const YIELD_EVERY_MS = 50;

/**
 * Image i against every later image i+1+t (t < N−1−i): forward[p·(N−1−i) + t] is the distance
 * from patch p of image i to its nearest patch of image i+1+t; backward[t·P + q] the distance
 * from patch q of image i+1+t to its nearest patch of image i.
 */
export interface PairRow {
  forward: Float32Array;
  backward: Float32Array;
}
export type PairRows = (i: number) => Promise<PairRow>;
/** Makes a row source over one feature set: a kernel instance, or a pool of workers holding it. */
export type PairRowsLoader = (set: FeatureSet) => Promise<PairRows>;

export interface MsmProgressOptions {
  signal?: AbortSignal;
  /** called after each row with unordered image pairs done / total */
  onPairs?: (done: number, total: number) => void;
}

export interface MsmOptions extends MsmProgressOptions {
  kernel: SimilarityKernel;
  /** cap on one kernel output (float32), default 32 MiB */
  maxTileBytes?: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Squared norms in float64, the precision every row source combines them in. */
export function squaredNorms(z: Float32Array, rows: number, dim: number): Float64Array {
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let d = r * dim, end = d + dim; d < end; d++) s += z[d] * z[d];
    norms[r] = s;
  }
  return norms;
}

/** Distance from ‖x‖² + ‖y‖² − 2x·y, clamped at 0 like torch.cdist's matmul path (this form matches the golden vectors best). */
export const distance = (squared: number): number => Math.sqrt(Math.max(0, squared));

/**
 * MSM scores [N, P] from a row source, with up to `concurrency` rows in flight (a pool of
 * workers); the longest rows go first. The window comes from config.scorerWindow.
 */
export async function mutualScoresByRows(
  images: number,
  patches: number,
  window: RankInterval,
  rows: PairRows,
  { signal, onPairs, concurrency = 1 }: MsmProgressOptions & { concurrency?: number },
): Promise<Float64Array> {
  const scorers = images - 1;
  // nearest[(i·P + p)·(N−1) + slot]: distance from patch p of image i to image j (slot skips i)
  const nearest = new Float32Array(images * patches * scorers);
  const totalPairs = (images * scorers) / 2;
  let pairsDone = 0;
  let nextRow = 0;
  let lastYield = Date.now();

  const place = (i: number, { forward, backward }: PairRow): void => {
    const later = scorers - i;
    for (let p = 0; p < patches; p++) {
      const from = p * later;
      nearest.set(forward.subarray(from, from + later), (i * patches + p) * scorers + i); // slot of j > i is j − 1
    }
    for (let t = 0; t < later; t++) {
      const j = i + 1 + t;
      for (let q = 0; q < patches; q++) nearest[(j * patches + q) * scorers + i] = backward[t * patches + q]; // slot of i < j is i
    }
    pairsDone += later;
    onPairs?.(pairsDone, totalPairs);
  };
  const lane = async (): Promise<void> => {
    while (nextRow < scorers) {
      throwIfAborted(signal);
      const i = nextRow++;
      place(i, await rows(i));
      if (Date.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, scorers)) }, lane));
  throwIfAborted(signal);
  return intervalMeans(nearest, images * patches, scorers, window);
}

/**
 * Rows from a matmul kernel S = A·Bᵀ: image i's patches against several later images per call,
 * kernel outputs capped at maxTileBytes; the minima are taken here in float64.
 */
export function matmulRows(z: Float32Array, images: number, patches: number, dim: number, kernel: SimilarityKernel, maxTileBytes = DEFAULT_MAX_TILE_BYTES): PairRows {
  const tileFloats = Math.floor(maxTileBytes / 4);
  const imageSize = patches * dim;
  const norms = squaredNorms(z, images * patches, dim);
  return async (i) => {
    const later = images - 1 - i;
    const forward = new Float32Array(patches * later);
    const backward = new Float32Array(later * patches);
    const rowMin = new Float64Array(patches);
    for (let j0 = i + 1; j0 < images; ) {
      const batch = Math.max(1, Math.min(images - j0, Math.floor(tileFloats / (patches * patches))));
      const width = batch * patches; // columns: patches of images j0 .. j0+batch−1
      const rowsPerCall = Math.max(1, Math.min(patches, Math.floor(tileFloats / width)));
      const colMin = new Float64Array(width).fill(Infinity);
      const b = z.subarray(j0 * imageSize, (j0 + batch) * imageSize);
      for (let p0 = 0; p0 < patches; p0 += rowsPerCall) {
        const rows = Math.min(rowsPerCall, patches - p0);
        const a = z.subarray(i * imageSize + p0 * dim, i * imageSize + (p0 + rows) * dim);
        const sim = await kernel.matmulT(a, rows, b, width, dim);
        for (let jj = 0; jj < batch; jj++) {
          const colNorms = (j0 + jj) * patches;
          const colBase = jj * patches;
          rowMin.fill(Infinity, 0, rows);
          for (let p = 0; p < rows; p++) {
            const rowNorm = norms[i * patches + p0 + p];
            const simRow = p * width + colBase;
            let best = Infinity;
            for (let q = 0; q < patches; q++) {
              const twice = -2 * sim[simRow + q];
              const toRow = norms[colNorms + q] + twice;
              if (toRow < best) best = toRow;
              const toCol = rowNorm + twice;
              if (toCol < colMin[colBase + q]) colMin[colBase + q] = toCol;
            }
            rowMin[p] = best + rowNorm;
          }
          const t = j0 + jj - i - 1;
          for (let p = 0; p < rows; p++) forward[(p0 + p) * later + t] = distance(rowMin[p]);
        }
      }
      for (let jj = 0; jj < batch; jj++) {
        const t = j0 + jj - i - 1;
        for (let q = 0; q < patches; q++) backward[t * patches + q] = distance(colMin[jj * patches + q] + norms[(j0 + jj) * patches + q]);
      }
      j0 += batch;
    }
    return { forward, backward };
  };
}

/** A PairRowsLoader on a matmul kernel (TypeScript, onnxruntime). */
export function matmulRowsLoader(kernel: SimilarityKernel, maxTileBytes = DEFAULT_MAX_TILE_BYTES): PairRowsLoader {
  return (set) => Promise.resolve(matmulRows(set.z, set.images, set.patches, set.dim, kernel, maxTileBytes));
}

/**
 * MSM scores [N, P] of unit-norm features z [N, P, D] with a matmul kernel.
 * The window comes from config.scorerWindow (kMax − kMin ≥ 1, kMax ≤ N − 1).
 */
export function mutualScores(z: Float32Array, images: number, patches: number, dim: number, window: RankInterval, options: MsmOptions): Promise<Float64Array> {
  const { kernel, maxTileBytes, ...progress } = options;
  return mutualScoresByRows(images, patches, window, matmulRows(z, images, patches, dim, kernel, maxTileBytes), progress);
}

/** Mean of ranks [kMin, kMax) of one patch's distances to its scorers (sorts them in place). */
export function intervalMean(distances: Float32Array, { kMin, kMax }: RankInterval): number {
  const sorted = distances.sort();
  let sum = 0;
  for (let k = kMin; k < kMax; k++) sum += sorted[k];
  return sum / (kMax - kMin);
}

/** intervalMean of each row of `scorers` distances. */
function intervalMeans(nearest: Float32Array, rows: number, scorers: number, window: RankInterval): Float64Array {
  const scores = new Float64Array(rows);
  for (let row = 0; row < rows; row++) scores[row] = intervalMean(nearest.subarray(row * scorers, (row + 1) * scorers), window);
  return scores;
}
