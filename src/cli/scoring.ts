// Scores a set of images with MuSc, optionally as several subsets of at most maxBatch images
// (subsets.ts). Each subset is encoded and mutually scored on its own; the image scores are then
// min-max normalised and re-scored with RsCIN over the whole set at once, as the reference does
// after its divide_num subsets (musc.md §4.2, §7).

import { encodeImages } from '../encoders/encode.ts';
import type { RgbImage } from '../engine/preprocess/index.ts';
import { rscinPlan } from '../engine/config.ts';
import { runMusc } from '../engine/pipeline.ts';
import { minMaxNormalize, rscin } from '../engine/rscin.ts';
import { DEFAULT_CONFIG, type MuscResult } from '../engine/types.ts';
import { upsampleMap } from '../engine/upsample.ts';
import type { OpenModel } from './model.ts';
import type { ProgressReporter } from './progress.ts';
import { splitIntoSubsets } from './subsets.ts';

export interface ScoreOptions {
  size: number;
  grid?: number;
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

export async function scoreImages(model: OpenModel, images: readonly RgbImage[], opts: ScoreOptions): Promise<ScoredSet> {
  const { manifest, runner, msm } = model;
  const { size, progress } = opts;
  if (manifest.fixture) progress.note(`note: ${manifest.id} is a random-weight test fixture; its scores say nothing about defects.`);
  for (const note of model.notes) progress.note(note);
  const subsets = splitIntoSubsets(images.length, opts.maxBatch);
  const where: Array<{ result: MuscResult; position: number }> = [];
  const rawScores = new Float64Array(images.length);
  const embedDim = manifest.embedding?.dim ?? 0;
  const embeddings = manifest.embedding ? new Float32Array(images.length * embedDim) : null;
  let forced = false;
  let encodeSeconds = 0;
  let scoreSeconds = 0;
  let grid = 0;
  const range = { min: Infinity, max: -Infinity };

  for (const [s, indices] of subsets.entries()) {
    const label = subsets.length > 1 ? ` (subset ${s + 1}/${subsets.length})` : '';
    let t = performance.now();
    const input = await encodeImages(
      runner,
      manifest,
      indices.map((i) => images[i]),
      { size, grid: opts.grid, onProgress: (p) => progress.update(`encode${label}`, p.done, p.total) },
    );
    encodeSeconds += (performance.now() - t) / 1000;
    t = performance.now();
    // RsCIN runs once over the whole set below, so each subset skips it.
    const result = await runMusc(
      input,
      { ...DEFAULT_CONFIG, kList: [], imageSize: size, forceSmallBatch: opts.forceSmallBatch },
      { ...msm, onProgress: (p) => p.stage === 'msm' && progress.update(`mutual scoring${label}`, p.done, p.total, 'image pairs') },
    );
    scoreSeconds += (performance.now() - t) / 1000;
    grid = result.grid;
    forced ||= result.forcedSmallBatch;
    for (const v of result.patchScores) {
      if (v < range.min) range.min = v;
      if (v > range.max) range.max = v;
    }
    indices.forEach((index, position) => {
      where[index] = { result, position };
      rawScores[index] = result.imageScoresRaw[position];
      if (embeddings && input.embeddings) embeddings.set(input.embeddings.subarray(position * embedDim, (position + 1) * embedDim), index * embedDim);
    });
  }

  const plan = rscinPlan(images.length, DEFAULT_CONFIG.kList, embeddings !== null, opts.forceSmallBatch);
  const normalized = minMaxNormalize(rawScores);
  const scores = plan.windows.length > 0 && embeddings ? rscin(normalized, embeddings, embedDim, plan.windows) : normalized;

  return {
    size,
    grid,
    subsets: subsets.length,
    rawScores,
    scores,
    forcedSmallBatch: forced || plan.forced,
    rscinWindows: plan.windows,
    range,
    encodeSeconds,
    scoreSeconds,
    map(n, out) {
      const { result, position } = where[n];
      upsampleMap(result.patchScores, position * grid * grid, grid, size, out);
      return out;
    },
  };
}
