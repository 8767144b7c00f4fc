// MSM (docs/method.md §6): every patch of image i is scored by its nearest-patch Euclidean distance to
// each other image j; the distances of ranks [kMin, kMax) (ascending) are averaged.
// The work is a triangle of unordered pairs, handed out a row at a time: row i is image i
// against every j > i, and one similarity pass per pair serves both directions (its row minima
// score i against j, its column minima j against i). A row source computes rows — here with a
// matmul kernel (TypeScript, onnxruntime), in kernels/nearestRows.ts with a WebAssembly SIMD
// kernel — and the driver fills the N×P×(scorers) distance table (N − 1 scorers, or a plan's, candidates.ts).
// Never N·P × N·P in memory.

import { allPatches, bandsMet, isExact, type PatchBands } from './alignment.ts';
import { everyOtherImage, type ScorerPlan } from './candidates.ts';
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
  bands?: PatchBands;
  /** which images score which (candidates.ts); default every other image */
  plan?: ScorerPlan;
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
export function mutualScoresByRows(
  images: number,
  patches: number,
  window: RankInterval,
  rows: PairRows,
  progress: MsmProgressOptions & { concurrency?: number },
): Promise<Float64Array> {
  return mutualScoresOnPlan(images, patches, window, everyOtherImage(images), (i) => rows(i), progress);
}

/**
 * MSM scores [N, P] where `plan` says which images score which (candidates.ts): image i's row is
 * its pairs with plan.partners(i), each direction kept where the plan chose it. The window ranks
 * each patch's plan.scorers distances.
 */
export async function mutualScoresOnPlan(
  images: number,
  patches: number,
  window: RankInterval,
  plan: ScorerPlan,
  pairs: PairsAgainst,
  progress: MsmProgressOptions & { concurrency?: number },
): Promise<Float64Array> {
  const [scores] = await setsScoresOnPlan(
    images,
    patches,
    window,
    plan,
    1,
    async (i, js) => [await pairs(i, js)],
    progress,
  );
  return scores;
}

/**
 * mutualScoresOnPlan for `sets` feature sets whose pairs come together (every LNAMD degree of a
 * layer from one product per pair, degreeGram.ts): one PairRow per set, scores per set.
 */
export async function setsScoresOnPlan(
  images: number,
  patches: number,
  window: RankInterval,
  plan: ScorerPlan,
  sets: number,
  pairs: (i: number, js: readonly number[]) => Promise<PairRow[]>,
  { signal, onPairs, concurrency = 1 }: MsmProgressOptions & { concurrency?: number },
): Promise<Float64Array[]> {
  const { scorers } = plan;
  // nearest[s][(i·P + p)·scorers + slot]: distance from patch p of image i to its scorer in `slot`
  const nearest = Array.from({ length: sets }, () => new Float32Array(images * patches * scorers));
  const partners = Array.from({ length: images }, (_, i) => plan.partners(i));
  const totalPairs = partners.reduce((sum, js) => sum + js.length, 0);
  // longest rows first, so a pool's last rows are short
  const order = partners.map((_, i) => i).sort((a, b) => partners[b].length - partners[a].length || a - b);
  let pairsDone = 0;
  let next = 0;
  let lastYield = Date.now();

  const place = (i: number, js: readonly number[], rows: PairRow[]): void => {
    const count = js.length;
    rows.forEach(({ forward, backward }, s) => {
      const table = nearest[s];
      js.forEach((j, t) => {
        const forwardSlot = plan.slot(i, j);
        if (forwardSlot >= 0)
          for (let p = 0; p < patches; p++) table[(i * patches + p) * scorers + forwardSlot] = forward[p * count + t];
        const backwardSlot = plan.slot(j, i);
        if (backwardSlot >= 0)
          for (let q = 0; q < patches; q++)
            table[(j * patches + q) * scorers + backwardSlot] = backward[t * patches + q];
      });
    });
    pairsDone += count;
    onPairs?.(pairsDone, totalPairs);
  };
  const lane = async (): Promise<void> => {
    while (next < order.length) {
      throwIfAborted(signal);
      const i = order[next++];
      const js = partners[i];
      if (js.length > 0) place(i, js, await pairs(i, js));
      if (Date.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, images - 1)) }, lane));
  throwIfAborted(signal);
  return nearest.map((table) => intervalMeans(table, images * patches, scorers, window));
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
/** Slots for images of `patches` patches of `dim` values; `bands` says which patches meet (alignment.ts), default all. */
export type FeatureSlotsFactory = (patches: number, dim: number, bands?: PatchBands) => FeatureSlots;

/**
 * Where image `image`'s band c starts, in rows of z, when z holds `capacity` images band by band:
 * band c of every image, then band c + 1 … (alignment.ts). With one band (exact MSM) that is plain
 * image after image. Laid out so, the bands a band meets are contiguous over a run of images and
 * go to the kernel without a copy.
 */
function bandStart({ bounds }: PatchBands, capacity: number, c: number, image: number): number {
  return capacity * bounds[c] + image * (bounds[c + 1] - bounds[c]);
}

/** Image-major features [N, P, D] laid out band by band for N images (bandStart). */
function toBandLayout(z: Float32Array, images: number, patches: number, dim: number, bands: PatchBands): Float32Array {
  if (isExact(bands)) return z;
  const out = new Float32Array(z.length);
  const { bounds } = bands;
  for (let c = 0; c + 1 < bounds.length; c++)
    for (let n = 0; n < images; n++)
      out.set(
        z.subarray((n * patches + bounds[c]) * dim, (n * patches + bounds[c + 1]) * dim),
        bandStart(bands, images, c, n) * dim,
      );
  return out;
}

/**
 * Pairs from a matmul kernel S = A·Bᵀ over features z of `capacity` images laid out band by band
 * (bandStart; image after image for exact MSM) with their squared norms [N, P] (image-major): each
 * band of image i against each band it meets of a run of consecutive images of js per call (a
 * view, no copy), kernel outputs capped at maxTileBytes; the minima are taken here in float64.
 */
export function matmulPairs(
  z: Float32Array,
  norms: Float64Array,
  patches: number,
  dim: number,
  kernel: SimilarityKernel,
  maxTileBytes = DEFAULT_MAX_TILE_BYTES,
  bands: PatchBands = allPatches(patches),
  capacity = 0,
): PairsAgainst {
  const tileFloats = Math.floor(maxTileBytes / 4);
  const { bounds } = bands;
  const sizes = bounds.slice(1).map((end, c) => end - bounds[c]);
  const largest = Math.max(...sizes);
  const widest = Math.max(1, Math.floor(tileFloats / (largest * largest)));
  const at = (c: number, image: number): number => bandStart(bands, capacity, c, image) * dim;
  return async (i, js) => {
    const count = js.length;
    const forward = new Float32Array(patches * count);
    const backward = new Float32Array(count * patches);
    for (let t0 = 0; t0 < count;) {
      const j0 = js[t0];
      const batch = consecutiveRun(js, t0, widest);
      const colMin = new Float64Array(batch * patches).fill(Infinity);
      for (let b = 0; b < sizes.length; b++) {
        const rowStart = bounds[b];
        const rowsOfBand = sizes[b];
        // rowBest[jj·L + p]: min over the met patches q of image j0 + jj of ‖q‖² − 2p·q
        const rowBest = new Float64Array(batch * rowsOfBand).fill(Infinity);
        const [first, last] = bandsMet(bands, b);
        for (let c = first; c <= last; c++) {
          const cols = sizes[c];
          const width = batch * cols; // columns: band c of each image of the run
          const matB = z.subarray(at(c, j0), at(c, j0) + width * dim);
          const rowsPerCall = Math.max(1, Math.min(rowsOfBand, Math.floor(tileFloats / width)));
          for (let p0 = 0; p0 < rowsOfBand; p0 += rowsPerCall) {
            const rows = Math.min(rowsPerCall, rowsOfBand - p0);
            const a = z.subarray(at(b, i) + p0 * dim, at(b, i) + (p0 + rows) * dim);
            const sim = await kernel.matmulT(a, rows, matB, width, dim);
            for (let jj = 0; jj < batch; jj++) {
              const colNorms = (j0 + jj) * patches + bounds[c];
              const colBase = jj * cols;
              const minBase = jj * patches + bounds[c];
              for (let p = 0; p < rows; p++) {
                const rowNorm = norms[i * patches + rowStart + p0 + p];
                const simRow = p * width + colBase;
                let best = rowBest[jj * rowsOfBand + p0 + p];
                for (let q = 0; q < cols; q++) {
                  const twice = -2 * sim[simRow + q];
                  const toRow = norms[colNorms + q] + twice;
                  if (toRow < best) best = toRow;
                  const toCol = rowNorm + twice;
                  if (toCol < colMin[minBase + q]) colMin[minBase + q] = toCol;
                }
                rowBest[jj * rowsOfBand + p0 + p] = best;
              }
            }
          }
        }
        for (let jj = 0; jj < batch; jj++)
          for (let p = 0; p < rowsOfBand; p++)
            forward[(rowStart + p) * count + t0 + jj] = distance(
              rowBest[jj * rowsOfBand + p] + norms[i * patches + rowStart + p],
            );
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

/** How many of js[t0 …] are consecutive (j0, j0 + 1, …), at most `widest`: a run one matmul call takes without a copy. */
export function consecutiveRun(js: readonly number[], t0: number, widest: number): number {
  let run = 1;
  while (run < widest && t0 + run < js.length && js[t0 + run] === js[t0] + run) run++;
  return run;
}

/** Pairs from a matmul kernel over a whole image-major feature set (matmulPairs, after laying it out in bands). */
export function matmulPairsOfSet(
  z: Float32Array,
  images: number,
  patches: number,
  dim: number,
  kernel: SimilarityKernel,
  maxTileBytes = DEFAULT_MAX_TILE_BYTES,
  bands: PatchBands = allPatches(patches),
): PairsAgainst {
  const norms = squaredNorms(z, images * patches, dim);
  const laidOut = toBandLayout(z, images, patches, dim, bands);
  return matmulPairs(laidOut, norms, patches, dim, kernel, maxTileBytes, bands, images);
}

/** Growable feature slots on a matmul kernel: one buffer (band by band) and its norms, doubled when full. */
export function matmulSlots(kernel: SimilarityKernel, maxTileBytes = DEFAULT_MAX_TILE_BYTES): FeatureSlotsFactory {
  return (patches, dim, bands = allPatches(patches)) => {
    const imageSize = patches * dim;
    const { bounds } = bands;
    let capacity = 0;
    let z = new Float32Array(0);
    let norms = new Float64Array(0);
    let pairs: PairsAgainst = () => Promise.reject(new Error('no image in the feature slots'));
    return {
      put(slot, features) {
        if (slot >= capacity) {
          const grown = Math.max(slot + 1, 2 * capacity, 8);
          const [oldZ, oldNorms] = [z, norms];
          z = new Float32Array(grown * imageSize);
          norms = new Float64Array(grown * patches);
          for (let c = 0; c + 1 < bounds.length; c++)
            z.set(
              oldZ.subarray(capacity * bounds[c] * dim, capacity * bounds[c + 1] * dim),
              bandStart(bands, grown, c, 0) * dim,
            );
          norms.set(oldNorms);
          capacity = grown;
          pairs = matmulPairs(z, norms, patches, dim, kernel, maxTileBytes, bands, capacity);
        }
        for (let c = 0; c + 1 < bounds.length; c++)
          z.set(features.subarray(bounds[c] * dim, bounds[c + 1] * dim), bandStart(bands, capacity, c, slot) * dim);
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
  const { kernel, maxTileBytes, bands, plan, ...progress } = options;
  return mutualScoresOnPlan(
    images,
    patches,
    window,
    plan ?? everyOtherImage(images),
    matmulPairsOfSet(z, images, patches, dim, kernel, maxTileBytes, bands),
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
