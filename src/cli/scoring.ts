// Scores a set of images with MuSc, optionally as several subsets of at most maxBatch images
// (engine/subsets.ts): each subset is encoded and mutually scored on its own, then the final
// scores are taken over the whole set at once (docs/method.md §8, §10).

import { encodeImages } from '../encoders/encode.ts';
import type { RgbImage } from '../engine/preprocess/index.ts';
import { runMusc } from '../engine/pipeline.ts';
import { DEFAULT_CONFIG } from '../engine/types.ts';
import { upsampleMap } from '../engine/upsample.ts';
import { announceModel, type OpenModel } from './model.ts';
import type { ProgressReporter } from './progress.ts';
import { scoreInSubsets } from '../engine/subsets.ts';

export interface ScoreOptions {
  size: number;
  grid?: number;
  /** the aligned-parts shortcut's tolerance, null or absent for exact scoring */
  aligned?: number | null;
  /** the candidate-images shortcut's K, null or absent to score against every other image */
  candidates?: number | null;
  maxBatch: number;
  forceSmallBatch: boolean;
  progress: ProgressReporter;
}

export interface ScoredSet {
  size: number;
  grid: number;
  subsets: number;
  /** [N] max of each map */
  rawScores: Float64Array;
  /** [N] final image scores (min-max + RsCIN over the whole set), batch-relative in [0, 1] */
  scores: Float64Array;
  forcedSmallBatch: boolean;
  rscinWindows: number[];
  /** smallest and largest patch score over the set, for display scaling */
  range: { min: number; max: number };
  encodeSeconds: number;
  scoreSeconds: number;
  /** writes image n's S×S anomaly map (bilinear, align_corners = true, unnormalised) into `out` */
  map<T extends Float32Array | Float64Array>(n: number, out: T): T;
}

export async function scoreImages(
  model: OpenModel,
  images: readonly RgbImage[],
  opts: ScoreOptions,
): Promise<ScoredSet> {
  const { manifest, runner, msm } = model;
  const { size, progress } = opts;
  announceModel(model, progress);
  let encodeSeconds = 0;
  let scoreSeconds = 0;
  let grid = 0;
  const range = { min: Infinity, max: -Infinity };
  const final = {
    embedDim: manifest.embedding?.dim ?? 0,
    kList: DEFAULT_CONFIG.kList,
    forceSmallBatch: opts.forceSmallBatch,
  };

  const scored = await scoreInSubsets(images.length, opts.maxBatch, final, async (indices, s, subsets) => {
    const label = subsets > 1 ? ` (subset ${s + 1}/${subsets})` : '';
    let t = performance.now();
    const input = await encodeImages(
      runner,
      manifest,
      indices.map((i) => images[i]),
      { size, grid: opts.grid, onProgress: (p) => progress.update(`encode${label}`, p.done, p.total) },
    );
    encodeSeconds += (performance.now() - t) / 1000;
    t = performance.now();
    // RsCIN runs once over the whole set afterwards, so each subset skips it.
    const result = await runMusc(
      input,
      {
        ...DEFAULT_CONFIG,
        kList: [],
        imageSize: size,
        forceSmallBatch: opts.forceSmallBatch,
        alignedTolerance: opts.aligned ?? null,
        candidates: opts.candidates ?? null,
      },
      {
        ...msm,
        onProgress: (p) =>
          p.stage === 'msm' && progress.update(`mutual scoring${label}`, p.done, p.total, 'image pairs'),
      },
    );
    scoreSeconds += (performance.now() - t) / 1000;
    grid = result.grid;
    for (const v of result.patchScores) {
      if (v < range.min) range.min = v;
      if (v > range.max) range.max = v;
    }
    return { result, embeddings: input.embeddings };
  });

  return {
    size,
    grid,
    subsets: scored.subsets,
    rawScores: scored.rawScores,
    scores: scored.scores,
    forcedSmallBatch: scored.forcedSmallBatch,
    rscinWindows: scored.rscinWindows,
    range,
    encodeSeconds,
    scoreSeconds,
    map(n, out) {
      const { result, position } = scored.locate(n);
      upsampleMap(result.patchScores, position * grid * grid, grid, size, out);
      return out;
    },
  };
}
