// Image-score post-processing (docs/method.md §8): min-max within the batch, then RsCIN — for each
// window k a similarity-weighted mean over each image's k most similar images (self included),
// averaged over the windows.

import { rscinPlan } from './config.ts';

/** Min-max to [0, 1]; a constant batch (max = min) maps to all zeros instead of the reference's NaN. */
export function minMaxNormalize(scores: ArrayLike<number>): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    min = Math.min(min, scores[i]);
    max = Math.max(max, scores[i]);
  }
  const range = max - min;
  const out = new Float64Array(scores.length);
  if (range > 0) for (let i = 0; i < scores.length; i++) out[i] = (scores[i] - min) / range;
  return out;
}

/** W = C·Cᵀ for embeddings [N, E]. */
function similarityMatrix(embeddings: Float32Array, images: number, embedDim: number): Float64Array {
  const w = new Float64Array(images * images);
  for (let i = 0; i < images; i++) {
    for (let j = i; j < images; j++) {
      let s = 0;
      for (let e = 0; e < embedDim; e++) s += embeddings[i * embedDim + e] * embeddings[j * embedDim + e];
      w[i * images + j] = s;
      w[j * images + i] = s;
    }
  }
  return w;
}

/**
 * RsCIN re-scoring of min-max normalised scores. `windows` are the k values (1 ≤ k ≤ N, checked
 * by config.rscinPlan). Ties in similarity keep the lower image index (the reference's order is
 * arbitrary there).
 */
export function rscin(
  normalized: Float64Array,
  embeddings: Float32Array,
  embedDim: number,
  windows: readonly number[],
): Float64Array {
  const images = normalized.length;
  const w = similarityMatrix(embeddings, images, embedDim);
  const out = new Float64Array(images);
  const order = Array.from({ length: images }, (_, j) => j);
  for (let i = 0; i < images; i++) {
    const row = w.subarray(i * images, (i + 1) * images);
    order.sort((x, y) => row[y] - row[x] || x - y);
    let total = 0;
    for (const k of windows) {
      let weighted = 0;
      let weights = 0;
      for (let t = 0; t < k; t++) {
        weighted += row[order[t]] * normalized[order[t]];
        weights += row[order[t]];
      }
      // Zero total weight (zero embeddings) would divide by zero: fall back to the plain mean.
      if (weights === 0) {
        weighted = 0;
        for (let t = 0; t < k; t++) weighted += normalized[order[t]];
        weights = k;
      }
      total += weighted / weights;
    }
    out[i] = total / windows.length;
  }
  return out;
}

export interface FinalScores {
  /** [N] min-max of the raw scores, then RsCIN when it applies */
  scores: Float64Array;
  /** RsCIN windows applied (clamped to N when forced); empty when skipped */
  windows: number[];
  /** forceSmallBatch clamped the windows */
  forced: boolean;
}

/** MuSc's final image scores from the raw ones (map maxima): the ending of every scoring path. */
export function finalImageScores(
  raw: ArrayLike<number>,
  embeddings: Float32Array | null,
  embedDim: number,
  kList: readonly number[],
  forceSmallBatch: boolean,
): FinalScores {
  const plan = rscinPlan(raw.length, kList, embeddings !== null, forceSmallBatch);
  const normalized = minMaxNormalize(raw);
  const scores =
    plan.windows.length > 0 && embeddings ? rscin(normalized, embeddings, embedDim, plan.windows) : normalized;
  return { scores, windows: plan.windows, forced: plan.forced };
}
