// Decodes and scores an MVTec-layout category as one unlabeled set: the part of `muscope eval`
// before the metrics, shared with the end-to-end bench so both time the same path.

import type { LabeledImage, MvtecCategory } from '../platform/node/mvtec.ts';
import type { ImageFileError } from '../engine/preprocess/imageFiles.ts';
import { reportProblems, requireEnoughImages } from './common.ts';
import { loadSquashed } from './loadImages.ts';
import type { OpenModel } from './model.ts';
import { scoreImages, type ScoreOptions, type ScoredSet } from './scoring.ts';

export interface ScoredCategory {
  /** the category's images that decoded, in the order of `set`'s scores and maps */
  items: LabeledImage[];
  problems: ImageFileError[];
  set: ScoredSet;
  decodeSeconds: number;
}

export async function scoreCategory(
  model: OpenModel,
  category: MvtecCategory,
  opts: Omit<ScoreOptions, 'forceSmallBatch'>,
): Promise<ScoredCategory> {
  const { size, progress } = opts;
  const t = performance.now();
  const loaded = await loadSquashed(
    category.images.map((i) => i.path),
    size,
    model.manifest.input.resize,
    progress,
  );
  const decodeSeconds = (performance.now() - t) / 1000;
  reportProblems(loaded.problems, progress);
  // Evaluation needs a real mutual-scoring set; a forced small batch would say nothing.
  requireEnoughImages(loaded.images.length, loaded.problems.length, false);
  const usable = new Set(loaded.paths);
  const items = category.images.filter((i) => usable.has(i.path));
  const set = await scoreImages(model, loaded.images, { ...opts, forceSmallBatch: false });
  return { items, problems: loaded.problems, set, decodeSeconds };
}
