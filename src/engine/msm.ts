// MSM (docs/method.md §6): every patch of image i is scored by its nearest-patch Euclidean distance to
// each other image j; the distances of ranks [kMin, kMax) (ascending) are averaged.
// The work is a triangle of unordered pairs, handed out a row at a time: row i is image i
// against every j > i, and one similarity pass per pair serves both directions (its row minima
// score i against j, its column minima j against i). A row source computes rows — here with a
// matmul kernel (TypeScript, onnxruntime), in kernels/nearestRows.ts with a WebAssembly SIMD
// kernel — and the driver fills the N×P×(N−1) distance table. Never N·P × N·P in memory.

import { allPatches, type PatchBlock } from './alignment.ts';
import type { RankInterval } from './config.ts';
import { throwIfAborted } from './errors.ts';
import type { SimilarityKernel } from './types.ts';

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

export interface MsmProgressOptions {
  signal?: AbortSignal;
  /** called after each row with unordered image pairs done / total */
  onPairs?: (done: number, total: number) => void;
}

export interface MsmOptions extends MsmProgressOptions {
  kernel: SimilarityKernel;
  /** cap on one kernel output (float32), default 32 MiB */
  maxTileBytes?: number;
  /** which patches meet (alignment.ts); default every patch against every patch */
  blocks?: readonly PatchBlock[];
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
 * Image i of a feature set against images js of it (ascending, i not among them), both
 * directions: forward[p·|js| + t] is the distance from patch p of image i to its nearest patch of
 * image js[t]; backward[t·P + q] the distance from patch q of image js[t] to its nearest patch of i.
 */
export type PairsAgainst = (i: number, js: readonly number[]) => Promise<PairRow>;

/** The triangle's rows (image i against every later image) from a pair source. */
export function laterRows(pairs: PairsAgainst, images: number): PairRows {
  return (i) =>
    pairs(
      i,
      Array.from({ length: images - 1 - i }, (_, t) => i + 1 + t),
    );
}

/**
 * One (degree, layer) feature set that grows and shrinks with a scoring session: each image has
 * a slot, written once; pairs are computed between slots without copying the set.
 */
export interface FeatureSlots {
  /** writes an image's unit features [P·D] into `slot`, growing the store as needed */
  put(slot: number, z: Float32Array): void;
  /** a session asks every store of a row at once, and `rowsAtOnce` rows at a time */
  pairs: PairsAgainst;
  /**
   * rows of pairs a session may have in flight (default 1): a pool of workers fed from a queue
   * stays busy while the thread that feeds it is blocked (encoding the next image)
   */
  readonly rowsAtOnce?: number;
  /** frees memory held outside the JavaScript heap (GPU buffers) at once */
  destroy?(): void;
}
/** Slots for images of `patches` patches of `dim` values; `blocks` says which patches meet (alignment.ts), default all. */
export type FeatureSlotsFactory = (patches: number, dim: number, blocks?: readonly PatchBlock[]) => FeatureSlots;

/**
 * Pairs from a matmul kernel S = A·Bᵀ over features z [N, P, D] with their squared norms: for
 * each block of the plan (every patch against every patch unless a shortcut narrows it,
 * alignment.ts), image i's block rows against the block columns of runs of consecutive images of
 * js per call, kernel outputs capped at maxTileBytes; the minima are taken here in float64.
 */
export function matmulPairs(
  z: Float32Array,
  norms: Float64Array,
  patches: number,
  dim: number,
  kernel: SimilarityKernel,
  maxTileBytes = DEFAULT_MAX_TILE_BYTES,
  blocks: readonly PatchBlock[] = allPatches(patches),
): PairsAgainst {
  const tileFloats = Math.floor(maxTileBytes / 4);
  const imageSize = patches * dim;
  const widestBlock = Math.max(...blocks.map((b) => b.colEnd - b.colStart));
  const widest = Math.max(1, Math.floor(tileFloats / (patches * widestBlock)));
  return async (i, js) => {
    const count = js.length;
    const forward = new Float32Array(patches * count);
    const backward = new Float32Array(count * patches);
    const rowMin = new Float64Array(patches);
    for (let t0 = 0; t0 < count;) {
      // a run of consecutive images js[t0 …] = j0, j0+1, …, as wide as a tile allows
      const j0 = js[t0];
      let batch = 1;
      while (batch < widest && t0 + batch < count && js[t0 + batch] === j0 + batch) batch++;
      const colMin = new Float64Array(batch * patches).fill(Infinity);
      for (const { rowStart, rowEnd, colStart, colEnd } of blocks) {
        const cols = colEnd - colStart;
        const width = batch * cols; // columns: block columns of images j0 .. j0+batch−1
        const b = blockColumns(z, j0, batch, patches, dim, colStart, colEnd);
        const rowsPerCall = Math.max(1, Math.min(rowEnd - rowStart, Math.floor(tileFloats / width)));
        for (let p0 = rowStart; p0 < rowEnd; p0 += rowsPerCall) {
          const rows = Math.min(rowsPerCall, rowEnd - p0);
          const a = z.subarray(i * imageSize + p0 * dim, i * imageSize + (p0 + rows) * dim);
          const sim = await kernel.matmulT(a, rows, b, width, dim);
          for (let jj = 0; jj < batch; jj++) {
            const colNorms = (j0 + jj) * patches + colStart;
            const colBase = jj * cols;
            const minBase = jj * patches + colStart;
            for (let p = 0; p < rows; p++) {
              const rowNorm = norms[i * patches + p0 + p];
              const simRow = p * width + colBase;
              let best = Infinity;
              for (let q = 0; q < cols; q++) {
                const twice = -2 * sim[simRow + q];
                const toRow = norms[colNorms + q] + twice;
                if (toRow < best) best = toRow;
                const toCol = rowNorm + twice;
                if (toCol < colMin[minBase + q]) colMin[minBase + q] = toCol;
              }
              rowMin[p] = best + rowNorm;
            }
            const t = t0 + jj;
            for (let p = 0; p < rows; p++) forward[(p0 + p) * count + t] = distance(rowMin[p]);
          }
        }
      }
      for (let jj = 0; jj < batch; jj++) {
        const t = t0 + jj;
        for (let q = 0; q < patches; q++)
          backward[t * patches + q] = distance(colMin[jj * patches + q] + norms[(j0 + jj) * patches + q]);
      }
      t0 += batch;
    }
    return { forward, backward };
  };
}

/** Patches [colStart, colEnd) of images j0 .. j0+batch−1, one after another: a view when they are whole images, else a copy. */
function blockColumns(
  z: Float32Array,
  j0: number,
  batch: number,
  patches: number,
  dim: number,
  colStart: number,
  colEnd: number,
): Float32Array {
  const imageSize = patches * dim;
  if (colStart === 0 && colEnd === patches) return z.subarray(j0 * imageSize, (j0 + batch) * imageSize);
  const blockSize = (colEnd - colStart) * dim;
  const out = new Float32Array(batch * blockSize);
  for (let jj = 0; jj < batch; jj++) {
    const from = (j0 + jj) * imageSize + colStart * dim;
    out.set(z.subarray(from, from + blockSize), jj * blockSize);
  }
  return out;
}

/** The triangle's rows from a matmul kernel (matmulPairs over the whole set). */
export function matmulRows(
  z: Float32Array,
  images: number,
  patches: number,
  dim: number,
  kernel: SimilarityKernel,
  maxTileBytes = DEFAULT_MAX_TILE_BYTES,
  blocks?: readonly PatchBlock[],
): PairRows {
  const norms = squaredNorms(z, images * patches, dim);
  return laterRows(matmulPairs(z, norms, patches, dim, kernel, maxTileBytes, blocks), images);
}

/** Growable feature slots on a matmul kernel: one buffer and its norms, doubled when full. */
export function matmulSlots(kernel: SimilarityKernel, maxTileBytes = DEFAULT_MAX_TILE_BYTES): FeatureSlotsFactory {
  return (patches, dim, blocks) => {
    const imageSize = patches * dim;
    let z = new Float32Array(0);
    let norms = new Float64Array(0);
    let pairs: PairsAgainst = () => Promise.reject(new Error('no image in the feature slots'));
    return {
      put(slot, features) {
        if ((slot + 1) * imageSize > z.length) {
          const capacity = Math.max(slot + 1, 2 * (z.length / imageSize), 8);
          const [oldZ, oldNorms] = [z, norms];
          z = new Float32Array(capacity * imageSize);
          norms = new Float64Array(capacity * patches);
          z.set(oldZ);
          norms.set(oldNorms);
          pairs = matmulPairs(z, norms, patches, dim, kernel, maxTileBytes, blocks);
        }
        z.set(features, slot * imageSize);
        norms.set(squaredNorms(features, patches, dim), slot * patches);
      },
      pairs: (i, js) => pairs(i, js),
    };
  };
}

/**
 * MSM scores [N, P] of unit-norm features z [N, P, D] with a matmul kernel.
 * The window comes from config.scorerWindow (kMax − kMin ≥ 1, kMax ≤ N − 1).
 */
export function mutualScores(
  z: Float32Array,
  images: number,
  patches: number,
  dim: number,
  window: RankInterval,
  options: MsmOptions,
): Promise<Float64Array> {
  const { kernel, maxTileBytes, blocks, ...progress } = options;
  return mutualScoresByRows(
    images,
    patches,
    window,
    matmulRows(z, images, patches, dim, kernel, maxTileBytes, blocks),
    progress,
  );
}

/**
 * Moves the k smallest values of `a` to a[0..k), in no particular order (quickselect, Hoare
 * partition): linear on average, where sorting all N−1 distances of every patch is not.
 */
function selectSmallest(a: Float32Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const swap = a[i];
        a[i++] = a[j];
        a[j--] = swap;
      }
    }
    // a[lo..j] ≤ pivot ≤ a[i..hi]; between them every value equals the pivot
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return;
  }
}

/**
 * Mean of ranks [kMin, kMax) of one patch's distances to its scorers (reorders them in place).
 * The kept distances are summed in ascending order, as after a full sort.
 */
export function intervalMean(distances: Float32Array, { kMin, kMax }: RankInterval): number {
  if (kMax < distances.length) selectSmallest(distances, kMax);
  const sorted = distances.subarray(0, kMax).sort();
  let sum = 0;
  for (let k = kMin; k < kMax; k++) sum += sorted[k];
  return sum / (kMax - kMin);
}

/** intervalMean of each row of `scorers` distances. */
function intervalMeans(nearest: Float32Array, rows: number, scorers: number, window: RankInterval): Float64Array {
  const scores = new Float64Array(rows);
  for (let row = 0; row < rows; row++)
    scores[row] = intervalMean(nearest.subarray(row * scorers, (row + 1) * scorers), window);
  return scores;
}
