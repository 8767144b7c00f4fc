// MSM (musc.md §3): every patch of image i is scored by its nearest-patch Euclidean distance to
// each other image j; the distances of ranks [kMin, kMax) (ascending) are averaged.
// One similarity tile per unordered pair (i < j) serves both directions: its row minima score i
// against j, its column minima score j against i. Memory: Z, the N×P×(N−1) distance table and
// kernel outputs capped at maxTileBytes — never N·P × N·P.

import type { RankInterval } from './config.ts';
import { throwIfAborted } from './errors.ts';
import type { SimilarityKernel } from './types.ts';

export const DEFAULT_MAX_TILE_BYTES = 32 * 1024 * 1024;
/** How long the loop may run before it yields, so a worker can receive an abort message. */
const YIELD_EVERY_MS = 50;

export interface MsmOptions {
  kernel: SimilarityKernel;
  signal?: AbortSignal;
  /** called after each batch of image pairs with unordered pairs done / total */
  onPairs?: (done: number, total: number) => void;
  /** cap on one kernel output (float32), default 32 MiB */
  maxTileBytes?: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function squaredNorms(z: Float32Array, rows: number, dim: number): Float64Array {
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let d = r * dim, end = d + dim; d < end; d++) s += z[d] * z[d];
    norms[r] = s;
  }
  return norms;
}

/** Distance from ‖x‖² + ‖y‖² − 2x·y, clamped at 0 like torch.cdist's matmul path (this form matches the golden vectors best). */
const distance = (squared: number): number => Math.sqrt(Math.max(0, squared));

/**
 * MSM scores [N, P] of unit-norm features z [N, P, D].
 * The window comes from config.scorerWindow (kMax − kMin ≥ 1, kMax ≤ N − 1).
 */
export async function mutualScores(
  z: Float32Array,
  images: number,
  patches: number,
  dim: number,
  window: RankInterval,
  options: MsmOptions,
): Promise<Float64Array> {
  const { kernel, signal, onPairs } = options;
  const scorers = images - 1;
  const tileFloats = Math.floor((options.maxTileBytes ?? DEFAULT_MAX_TILE_BYTES) / 4);
  const imageSize = patches * dim;
  const norms = squaredNorms(z, images * patches, dim);
  // nearest[(i·P + p)·(N−1) + slot]: distance from patch p of image i to image j (slot skips i)
  const nearest = new Float32Array(images * patches * scorers);
  const slot = (i: number, j: number): number => (j < i ? j : j - 1);
  const totalPairs = (images * scorers) / 2;
  let pairsDone = 0;
  let lastYield = Date.now();

  const rowMin = new Float64Array(patches);
  for (let i = 0; i < scorers; i++) {
    for (let j0 = i + 1; j0 < images; ) {
      const batch = Math.max(1, Math.min(images - j0, Math.floor(tileFloats / (patches * patches))));
      const width = batch * patches; // columns: patches of images j0 .. j0+batch−1
      const rowsPerCall = Math.max(1, Math.min(patches, Math.floor(tileFloats / width)));
      const colMin = new Float64Array(width).fill(Infinity);
      const b = z.subarray(j0 * imageSize, (j0 + batch) * imageSize);
      for (let p0 = 0; p0 < patches; p0 += rowsPerCall) {
        const rows = Math.min(rowsPerCall, patches - p0);
        throwIfAborted(signal);
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
          const s = slot(i, j0 + jj);
          for (let p = 0; p < rows; p++) nearest[(i * patches + p0 + p) * scorers + s] = distance(rowMin[p]);
        }
      }
      for (let jj = 0; jj < batch; jj++) {
        const j = j0 + jj;
        const s = slot(j, i);
        for (let q = 0; q < patches; q++) {
          nearest[(j * patches + q) * scorers + s] = distance(colMin[jj * patches + q] + norms[j * patches + q]);
        }
      }
      j0 += batch;
      pairsDone += batch;
      onPairs?.(pairsDone, totalPairs);
      if (Date.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
  }
  throwIfAborted(signal);
  return intervalMeans(nearest, images * patches, scorers, window);
}

/** Mean of ranks [kMin, kMax) of each row's ascending distances (sorts the rows in place). */
function intervalMeans(nearest: Float32Array, rows: number, scorers: number, { kMin, kMax }: RankInterval): Float64Array {
  const scores = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    const sorted = nearest.subarray(row * scorers, (row + 1) * scorers).sort();
    let sum = 0;
    for (let k = kMin; k < kMax; k++) sum += sorted[k];
    scores[row] = sum / (kMax - kMin);
  }
  return scores;
}
