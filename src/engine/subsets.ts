// Splitting a large set into scoring subsets of at most `maxBatch` images (the reference's
// divide_num, docs/method.md §10, without its label leakage). The reference shuffles *within each
// ground-truth folder* and deals the folders out evenly, so every subset gets the same mix of
// defect types — information an unlabeled user never has. Here the whole set is shuffled with a
// fixed seed (42, as the reference) and dealt round-robin into ceil(N / maxBatch) subsets, whose
// sizes differ by at most one; no label, folder or file name is looked at.

import { finalImageScores } from './rscin.ts';
import { seededRandom } from './random.ts';
import type { MuscResult } from './types.ts';

export const SPLIT_SEED = 42;

/** Image indices per subset, each list ascending; one subset holding everything when count ≤ maxBatch. */
export function splitIntoSubsets(count: number, maxBatch: number, seed = SPLIT_SEED): number[][] {
  const all = Array.from({ length: count }, (_, i) => i);
  if (count <= maxBatch) return [all];
  const random = seededRandom(seed); // reproducible across runs and machines
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const subsets = Math.ceil(count / maxBatch);
  const out: number[][] = Array.from({ length: subsets }, () => []);
  all.forEach((index, position) => out[position % subsets].push(index));
  return out.map((s) => s.sort((a, b) => a - b));
}

/** One subset scored: its MuSc result with RsCIN skipped, and its images' embeddings [n, E]. */
export interface SubsetRun {
  result: MuscResult;
  embeddings: Float32Array | null;
}

export interface SubsetScores {
  subsets: number;
  /** [N] max of each image's map */
  rawScores: Float64Array;
  /** [N] min-max + RsCIN over the whole set, as the reference does after its subsets */
  scores: Float64Array;
  forcedSmallBatch: boolean;
  rscinWindows: number[];
  /** the subset run that scored image n, and its position there */
  locate(n: number): { result: MuscResult; position: number };
}

/**
 * Scores `count` images in subsets of at most `maxBatch`: `scoreSubset` runs MuSc on the images
 * it is given (RsCIN skipped), then the final scores are taken over the whole set at once.
 */
export async function scoreInSubsets(
  count: number,
  maxBatch: number,
  final: { embedDim: number; kList: readonly number[]; forceSmallBatch: boolean },
  scoreSubset: (indices: number[], subset: number, subsets: number) => Promise<SubsetRun>,
): Promise<SubsetScores> {
  const subsets = splitIntoSubsets(count, maxBatch);
  const where: Array<{ result: MuscResult; position: number }> = [];
  const rawScores = new Float64Array(count);
  const { embedDim } = final;
  let embeddings: Float32Array | null = embedDim > 0 ? new Float32Array(count * embedDim) : null;
  let forced = false;
  for (const [s, indices] of subsets.entries()) {
    const run = await scoreSubset(indices, s, subsets.length);
    forced ||= run.result.forcedSmallBatch;
    if (!run.embeddings) embeddings = null;
    indices.forEach((index, position) => {
      where[index] = { result: run.result, position };
      rawScores[index] = run.result.imageScoresRaw[position];
      embeddings?.set(run.embeddings?.subarray(position * embedDim, (position + 1) * embedDim) ?? [], index * embedDim);
    });
  }
  const scored = finalImageScores(rawScores, embeddings, embedDim, final.kList, final.forceSmallBatch);
  return {
    subsets: subsets.length,
    rawScores,
    scores: scored.scores,
    forcedSmallBatch: forced || scored.forced,
    rscinWindows: scored.windows,
    locate: (n) => where[n],
  };
}
